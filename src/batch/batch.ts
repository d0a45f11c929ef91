// Batch compilation over worker threads (src/batch/pool.ts): many boards, one process, all
// cores. Each worker compiles whole files and reports each input's findings back (at its
// levels, without what its suppression comments silence, rendered as text when the report
// is text) with the output bytes; the main thread writes the files (through the caller's
// atomic writer).
import * as path from 'node:path';
import { defaultThreads, runPool } from './pool.js';
import type { DtcVersion } from '../checks/table.js';
import { IO_RULE } from '../input/load.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { renderText } from '../report/render.js';
import type { RuleLevels } from '../rules/levels.js';
import type { CompileOptions } from '../compile/compile.js';

const YOUNG_GENERATION_MB = 4;

export interface BatchJob {
  input: string;
  output: string;
  /** the input's include folders (the user's or its config's; the tree's are added) */
  includeDirs: string[];
  /** the dtc table and rule levels of the input's preset, config and switches */
  dtcVersion?: DtcVersion;
  levels: RuleLevels;
}

export interface BatchOptions {
  jobs?: number;
  /** options shared by every file; must be structured-clonable (no Host) */
  compile: Omit<CompileOptions, 'host' | 'checkLevels' | 'includeDirs' | 'dtcVersion' | 'ppCache'>;
  /** how the input stage reads inputs (src/input/load.ts) */
  input: { detect?: boolean; format?: 'dts' | 'dtb' };
  outFormat: 'dtb' | 'dts';
  /** report errors only */
  quiet?: boolean;
  /** render each finding as text (colour or not) for a text report */
  text?: { color: boolean };
  /** writes one output whole, or returns why it could not (run on the main thread) */
  write(file: string, data: Uint8Array): string | undefined;
  onStart?(index: number): void;
  onResult?(index: number, outcome: BatchOutcome): void;
}

export interface BatchOutcome {
  input: string;
  ok: boolean;
  /** the findings to report, sorted */
  diagnostics: Diagnostic[];
  /** with `text`: each finding rendered, in the same order */
  rendered?: string[];
  /** findings silenced by suppression comments */
  suppressed: number;
  /** the time the input took in its worker */
  seconds: number;
  /** the output, from the worker (written by compileBatch, then dropped) */
  data?: Uint8Array;
}

/** Output path for `input` in `outDir`: its path under `base` (else its base name) with the
 *  format's extension. */
export function batchOutput(input: string, outDir: string, outFormat: 'dtb' | 'dts', base?: string): string {
  const ext = outFormat === 'dts' ? '.dts' : /\.dt[sb]o$/.test(input) ? '.dtbo' : '.dtb';
  const name = base === undefined ? path.basename(input) : path.relative(base, input);
  return path.join(outDir, name.replace(/\.dts[io]?$|\.dtbo?$/, '') + ext);
}

/** dtc writes nothing for a tree with errors, even when suppression comments hide them all. */
export function silencedErrors(input: string): Diagnostic {
  return {
    rule: IO_RULE, severity: 'error', file: input,
    message: 'no output: the tree has errors that suppression comments silence (a comment only hides a finding; -E no-RULE switches a check off)',
  };
}

export async function compileBatch(jobs: BatchJob[], opts: BatchOptions): Promise<BatchOutcome[]> {
  const { results } = await runPool<BatchJob, BatchOutcome>({
    worker: new URL('./batch-worker.js', import.meta.url),
    workerData: { compile: opts.compile, input: opts.input, outFormat: opts.outFormat, quiet: opts.quiet, text: opts.text },
    jobs,
    threads: opts.jobs ?? defaultThreads(),
    // a small young generation keeps two workers' peak well under 300 MB at the same
    // speed: each board's garbage is short-lived
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    onStart: opts.onStart,
    onResult: (index, o) => {
      if (o.ok && o.data) {
        const output = jobs[index].output;
        const why = opts.write(output, o.data);
        if (why) {
          o.ok = false;
          o.diagnostics.push({ rule: IO_RULE, severity: 'error', file: output, message: `cannot write '${output}': ${why}` });
          if (o.rendered) o.rendered.push(renderText(o.diagnostics[o.diagnostics.length - 1], { color: opts.text?.color }));
        }
      }
      delete o.data;
      opts.onResult?.(index, o);
    },
  });
  return results;
}
