// `npm run fuzz`: the properties of properties.ts run long, before a release.
//   npm run fuzz -- [--seed N] [--runs N] [--only NAME] [--path P] [--hang-seconds S]
// (or DTKIT_FUZZ_SEED). Each property runs in a worker thread, so that a hang is caught
// too: the worker counts cases in shared memory and saves each input before running it;
// when the count stops moving for --hang-seconds, the worker is stopped and the saved
// input reported. A failure prints the seed, the path to replay it and fast-check's
// shrunk (minimal) counterexample, and saves the failing input beside it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import type { Edit, TokenEdit, TreeSpec } from './properties.js';
import { applyEdits, corpusDtbs, dtbMutation, kernelBoard, mutateSource, printParseCheck, sourceMutation, treeRoundTripCheck, treeSpec, treeText } from './properties.js';

type PropertyName = 'treeRoundTrip' | 'printParse' | 'dtbMutation' | 'sourceMutation';
const NAMES: PropertyName[] = ['treeRoundTrip', 'printParse', 'dtbMutation', 'sourceMutation'];
/** default runs per property (the short `npm test` form runs a tenth or less) */
const DEFAULT_RUNS: Record<PropertyName, number> = { treeRoundTrip: 5000, printParse: 3000, dtbMutation: 20000, sourceMutation: 600 };

interface Job {
  name: PropertyName;
  seed: number;
  runs: number;
  path?: string;
  /** shared counter of cases started */
  progress: SharedArrayBuffer;
  /** where the worker saves the case it is about to run */
  current: string;
}

interface Report {
  name: string;
  ok: boolean;
  skipped?: string;
  numRuns?: number;
  text?: string;
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The property with a hook that saves each case before it runs (for hang reports). */
function property(job: Job): { prop: fc.IProperty<unknown[]>; describe: (c: unknown[]) => Uint8Array | string } | string {
  const count = new Int32Array(job.progress);
  const save = (data: Uint8Array | string): void => {
    Atomics.add(count, 0, 1);
    fs.writeFileSync(job.current, data);
  };
  switch (job.name) {
    case 'treeRoundTrip':
    case 'printParse': {
      const check = job.name === 'treeRoundTrip' ? treeRoundTripCheck : printParseCheck;
      const describe = (c: unknown[]) => treeText(c[0] as TreeSpec);
      const prop = fc.property(treeSpec, (spec) => {
        save(describe([spec]));
        check(spec);
      });
      return { prop: prop as fc.IProperty<unknown[]>, describe };
    }
    case 'dtbMutation': {
      const dtbs = corpusDtbs();
      if (!dtbs.length) return 'corpus not found (set DTKIT_CORPUS): no real DTBs to edit';
      const describe = (c: unknown[]) => applyEdits(dtbs[(c[0] as number) % dtbs.length].bytes, c[1] as Edit[]);
      const prop = dtbMutation(dtbs, (pick, edits) => save(describe([pick, edits])));
      return { prop: prop as fc.IProperty<unknown[]>, describe };
    }
    case 'sourceMutation': {
      const board = kernelBoard();
      if (!board) return 'corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT): no board source to edit';
      const text = fs.readFileSync(board.file, 'latin1');
      const describe = (c: unknown[]) => mutateSource(text, c[0] as TokenEdit[]);
      const prop = sourceMutation(board, 10_000, (edits) => save(describe([edits])));
      return { prop: prop as fc.IProperty<unknown[]>, describe };
    }
  }
}

function runJob(job: Job): Report {
  const p = property(job);
  if (typeof p === 'string') return { name: job.name, ok: true, skipped: p };
  const details = fc.check(p.prop, { numRuns: job.runs, seed: job.seed, path: job.path });
  if (!details.failed) return { name: job.name, ok: true, numRuns: details.numRuns };
  const example = details.counterexample ?? [];
  const saved = path.join(path.dirname(job.current), `${job.name}-failure.${job.name === 'dtbMutation' ? 'dtb' : 'dts'}`);
  fs.writeFileSync(saved, p.describe(example));
  const lines = [
    `FAILED after ${details.numRuns} runs: seed ${details.seed}, path ${details.counterexamplePath}`,
    `  replay: npm run fuzz -- --only ${job.name} --seed ${details.seed} --path ${details.counterexamplePath}`,
    `  error: ${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance).split('\n')[0]}`,
    `  minimal counterexample (after ${details.numShrinks} shrinks): ${fc.stringify(example).slice(0, 2000)}`,
    `  the failing input: ${saved}`,
  ];
  return { name: job.name, ok: false, text: lines.join('\n') };
}

async function main(argv: string[]): Promise<number> {
  const seed = Number(arg(argv, '--seed') ?? process.env.DTKIT_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const only = arg(argv, '--only');
  const names = only ? NAMES.filter((n) => n === only) : NAMES;
  if (names.length === 0) {
    process.stderr.write(`unknown property '${only}' (one of ${NAMES.join(', ')})\n`);
    return 2;
  }
  const runsArg = arg(argv, '--runs');
  const hangSeconds = Number(arg(argv, '--hang-seconds') ?? 60);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-fuzz-'));
  process.stdout.write(`dtkit fuzz: seed ${seed} (replay with --seed ${seed}); inputs saved in ${dir}\n`);
  let failed = 0;
  for (const name of names) {
    const job: Job = {
      name, seed, runs: runsArg ? Number(runsArg) : DEFAULT_RUNS[name], path: arg(argv, '--path'),
      progress: new SharedArrayBuffer(4), current: path.join(dir, `${name}-current.bin`),
    };
    const t0 = Date.now();
    const report = await inWorker(job, hangSeconds);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (report.skipped) process.stdout.write(`  skip  ${name}: ${report.skipped}\n`);
    else if (report.ok) process.stdout.write(`  ok    ${name}: ${report.numRuns} runs in ${secs} s\n`);
    else {
      failed++;
      process.stdout.write(`  FAIL  ${name} (${secs} s)\n${report.text}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Runs the job in a worker; stops it when no new case starts for `hangSeconds`. */
function inWorker(job: Job, hangSeconds: number): Promise<Report> {
  return new Promise((resolve) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
    const count = new Int32Array(job.progress);
    let last = -1, still = 0;
    const timer = setInterval(() => {
      const now = Atomics.load(count, 0);
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= hangSeconds) {
        clearInterval(timer);
        void w.terminate();
        resolve({ name: job.name, ok: false, text: `HANG: case ${now} ran over ${hangSeconds} s (seed ${job.seed}); its input: ${job.current}` });
      }
    }, 1000);
    w.on('message', (r: Report) => {
      clearInterval(timer);
      resolve(r);
      void w.terminate();
    });
    w.on('error', (e) => {
      clearInterval(timer);
      resolve({ name: job.name, ok: false, text: `the worker died: ${e.message}` });
    });
  });
}

if (isMainThread) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
} else {
  parentPort!.postMessage(runJob(workerData as Job));
}
