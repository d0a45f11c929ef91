// Batch compilation over worker threads: many boards, one process, all cores. Each
// worker compiles whole files (the unit dtc and make parallelise on too) and reports
// rendered diagnostics and the output bytes back; the main thread writes the files (through
// the caller's atomic writer).
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { tierUpAsUsual } from '../tier-up.js';
import type { CompileOptions } from '../compile/compile.js';

const YOUNG_GENERATION_MB = 4;

export interface BatchJob {
  input: string;
  output: string;
}

export interface BatchOptions {
  jobs?: number;
  /** options shared by every file; must be structured-clonable (no Host) */
  compile: Omit<CompileOptions, 'host' | 'checkLevels' | 'includeDirs'> & { checkLevels?: [string, string][] };
  /** how the input stage finds includes (src/input/load.ts) */
  input: { includeDirs: string[]; detect?: boolean; format?: 'dts' | 'dtb' };
  outFormat: 'dtb' | 'dts';
  /** report errors only */
  quiet?: boolean;
  /** how findings are rendered: -W/-E levels of rules outside the check table, colour */
  render?: { levels: [string, string][]; color: boolean };
  /** writes one output whole, or returns why it could not (run on the main thread) */
  write(file: string, data: Uint8Array): string | undefined;
}

export interface BatchOutcome {
  input: string;
  ok: boolean;
  /** diagnostics rendered as text, '' when none */
  messages: string;
  /** the output, from the worker (written by compileBatch, then dropped) */
  data?: Uint8Array;
}

/** Output path for `input` in `outDir`: the input's base name with the format's extension. */
export function batchOutput(input: string, outDir: string, outFormat: 'dtb' | 'dts'): string {
  const ext = outFormat === 'dts' ? '.dts' : /\.dt[sb]o$/.test(input) ? '.dtbo' : '.dtb';
  return path.join(outDir, path.basename(input).replace(/\.dts[io]?$|\.dtbo?$/, '') + ext);
}

export async function compileBatch(jobs: BatchJob[], opts: BatchOptions): Promise<BatchOutcome[]> {
  tierUpAsUsual();
  const workers = Math.max(1, Math.min(opts.jobs ?? os.availableParallelism(), jobs.length));
  const outcomes: BatchOutcome[] = new Array(jobs.length);
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./batch-worker.js', import.meta.url), {
        workerData: { compile: opts.compile, input: opts.input, outFormat: opts.outFormat, quiet: opts.quiet, render: opts.render },
        // a small young generation keeps two workers' peak well under 300 MB at the same
        // speed: each board's garbage is short-lived
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      const feed = () => {
        if (next >= jobs.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        const i = next++;
        w.postMessage({ index: i, job: jobs[i] });
      };
      w.on('message', (m: { index: number; outcome: BatchOutcome }) => {
        const o = m.outcome;
        if (o.ok && o.data) {
          const output = jobs[m.index].output;
          const why = opts.write(output, o.data);
          if (why) {
            o.ok = false;
            o.messages = `${o.messages}${o.messages ? '\n' : ''}dtkit: error: cannot write '${output}': ${why}`;
          }
        }
        delete o.data;
        outcomes[m.index] = o;
        feed();
      });
      w.on('error', reject);
      w.on('online', feed);
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return outcomes;
}
