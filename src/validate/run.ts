// Validating many inputs: in this thread for one input or --jobs 1 (no worker start-up),
// else over worker threads (src/batch/pool.ts). Either way the reports come back in input
// order and the run's own findings once, sorted, so the output is the same whatever the
// number of threads.
import { runPool } from '../batch/pool.js';
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { InputReport, ValidateJob, ValidateRun } from './input.js';
import { createWorkspace, runFindings, settleWorkspace, uniqueFindings, validateInput } from './input.js';

export interface ValidateManyOptions {
  host: Host;
  run: ValidateRun;
  /** worker threads; 1: this thread */
  threads: number;
  readStdin?: () => Uint8Array | undefined;
  onStart?(index: number): void;
  onResult?(index: number, report: InputReport): void;
}

export interface ValidateManyResult {
  reports: InputReport[];
  /** findings about the run's own material (the bindings) */
  runFindings: Diagnostic[];
}

export async function validateMany(jobs: ValidateJob[], opts: ValidateManyOptions): Promise<ValidateManyResult> {
  if (opts.threads <= 1 || jobs.length <= 1) {
    const ws = createWorkspace(opts.host, opts.run, opts.readStdin);
    const reports = jobs.map((job, i) => {
      opts.onStart?.(i);
      const r = validateInput(job, ws);
      opts.onResult?.(i, r);
      return r;
    });
    await settleWorkspace(ws);
    return { reports, runFindings: runFindings(ws) };
  }
  const { results, finals } = await runPool<ValidateJob, InputReport, Diagnostic[]>({
    worker: new URL('./worker.js', import.meta.url),
    workerData: opts.run,
    jobs,
    threads: opts.threads,
    onStart: opts.onStart,
    onResult: opts.onResult,
  });
  return { reports: results, runFindings: uniqueFindings(finals.flat()) };
}
