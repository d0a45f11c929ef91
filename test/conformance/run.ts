// Conformance against the oracle: every kernel board under <linux-dt>/src/arm64 compiled
// by cpp + dtc and by dtkit, bytes compared; plus dtc's own test inputs against the
// golden dtc 1.8.1 outputs. Boards run in a pool of worker threads.
//
//   node dist/test/conformance/run.js [--vendor qcom] [--jobs N] [--overlays]
//        [--overlays-only] [--no-kernel] [--no-dtc-tests] [--no-cache] [--linux DIR]
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { corpusDir, linuxDtDir, skipUnless } from '../support/corpus.js';
import type { BoardOutcome } from './kernel.js';
import { listBoards, runBoard } from './kernel.js';
import { readExpectations, runDtcTest } from './dtc-tests.js';

interface Args {
  vendor?: string;
  jobs: number;
  overlays: boolean;
  overlaysOnly: boolean;
  kernel: boolean;
  dtcTests: boolean;
  cache: boolean;
  linux?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { jobs: Math.max(1, os.cpus().length), overlays: false, overlaysOnly: false, kernel: true, dtcTests: true, cache: true };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--vendor') a.vendor = argv[++i];
    else if (v === '--jobs' || v === '-j') a.jobs = Number(argv[++i]);
    else if (v === '--overlays') a.overlays = true;
    else if (v === '--overlays-only') a.overlays = a.overlaysOnly = true;
    else if (v === '--no-kernel') a.kernel = false;
    else if (v === '--no-dtc-tests') a.dtcTests = false;
    else if (v === '--no-cache') a.cache = false;
    else if (v === '--linux') a.linux = argv[++i];
    else {
      process.stderr.write(`unknown option ${v}\n`);
      process.exit(2);
    }
  }
  return a;
}

/** Runs boards on `jobs` worker threads; resolves with the outcomes in input order. */
export function runBoardsInPool(linuxDt: string, files: string[], opts: { jobs: number; cacheDir?: string; onResult?: (o: BoardOutcome) => void }): Promise<BoardOutcome[]> {
  const results: BoardOutcome[] = new Array(files.length);
  let nextIndex = 0;
  let done = 0;
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    if (files.length === 0) return resolve([]);
    const startWorker = () => {
      const w = new Worker(self, { workerData: { linuxDt, cacheDir: opts.cacheDir } });
      const feed = () => {
        if (nextIndex >= files.length) return void w.terminate();
        const i = nextIndex++;
        w.postMessage({ i, file: files[i] });
      };
      w.on('message', (m: { i: number; outcome: BoardOutcome }) => {
        results[m.i] = m.outcome;
        opts.onResult?.(m.outcome);
        if (++done === files.length) resolve(results);
        feed();
      });
      w.on('error', reject);
      feed();
    };
    for (let k = 0; k < Math.min(opts.jobs, files.length); k++) startWorker();
  });
}

function workerMain(): void {
  const { linuxDt, cacheDir } = workerData as { linuxDt: string; cacheDir?: string };
  parentPort!.on('message', (m: { i: number; file: string }) => {
    let outcome: BoardOutcome;
    try {
      outcome = runBoard({ linuxDt, file: m.file, cacheDir });
    } catch (e) {
      outcome = { file: m.file, verdict: 'differs', detail: `dtkit crashed: ${(e as Error).stack}`, dtkitMs: 0 };
    }
    parentPort!.postMessage({ i: m.i, outcome });
  });
}

async function kernelRun(args: Args): Promise<boolean> {
  const linuxDt = args.linux ?? linuxDtDir();
  const skip = skipUnless({ corpus: true, dtc: true, cpp: true });
  if (!linuxDt || skip) {
    console.log(`kernel corpus: skipped (${skip || 'no linux-dt'})`);
    return true;
  }
  const files = listBoards(linuxDt, { vendor: args.vendor, overlays: args.overlays }).filter((f) => !args.overlaysOnly || f.endsWith('.dtso'));
  const cacheDir = args.cache ? path.join(os.tmpdir(), 'dtkit-oracle-cache', 'dtc-1.6.1') : undefined;
  const t0 = Date.now();
  let n = 0;
  const outcomes = await runBoardsInPool(linuxDt, files, {
    jobs: args.jobs,
    cacheDir,
    onResult: () => {
      if (++n % 100 === 0) process.stderr.write(`  ${n}/${files.length}\n`);
    },
  });
  const good = outcomes.filter((o) => o.verdict === 'identical' || o.verdict === 'both-rejected');
  const newer = outcomes.filter((o) => o.verdict === 'newer-dtc-syntax');
  const bad = outcomes.filter((o) => !good.includes(o) && !newer.includes(o));
  for (const o of newer) console.log(`NEWER-DTC ${o.file}: dtc 1.6.1 predates ${o.detail}`);
  for (const o of bad) console.log(`MISMATCH ${o.verdict} ${o.file}${o.detail ? `: ${o.detail}` : ''}`);
  const rejected = outcomes.filter((o) => o.verdict === 'both-rejected').length;
  const ms = outcomes.reduce((s, o) => s + o.dtkitMs, 0);
  console.log(
    `kernel ${args.vendor ?? 'arm64'}: ${good.length}/${outcomes.length} identical` +
      `${rejected ? ` (${rejected} rejected by both)` : ''}` +
      `${newer.length ? `; ${newer.length} use &{label/path}, which dtc 1.6.1 rejects and dtc >= 1.7 and dtkit accept` : ''}; dtkit compile time ${(ms / 1000).toFixed(1)} s total, wall ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return bad.length === 0;
}

function dtcTestsRun(): boolean {
  const c = corpusDir();
  const dir = c && path.join(c, 'dtc-tests');
  if (!dir) {
    console.log('dtc-tests: skipped (corpus not found)');
    return true;
  }
  const outcomes = readExpectations(dir).map((e) => runDtcTest(dir, e));
  const failing = outcomes.filter((o) => o.verdict === 'differs' || o.verdict === 'accepted' || o.verdict === 'rejected-unlocated' || (o.verdict === 'rejected' && o.category === 'must-compile'));
  for (const o of failing) console.log(`DTC-TEST ${o.verdict} ${o.file} (${o.category})${o.detail ? `: ${o.detail}` : ''}`);
  const count = (v: string) => outcomes.filter((o) => o.verdict === v).length;
  const golden = count('identical') + count('differs') + outcomes.filter((o) => o.verdict === 'rejected' && o.category !== 'must-fail').length;
  console.log(
    `dtc-tests: ${count('identical')}/${golden} identical to golden dtc 1.8.1; ` +
      `${count('rejected-located')} rejected with a located error, ${count('rejected-unlocated')} unlocated, ${count('accepted')} wrongly accepted`,
  );
  return failing.length === 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let ok = true;
  if (args.kernel) ok = (await kernelRun(args)) && ok;
  if (args.dtcTests && !args.vendor) ok = dtcTestsRun() && ok;
  process.exitCode = ok ? 0 : 1;
}

if (isMainThread) {
  if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
} else {
  workerMain();
}
