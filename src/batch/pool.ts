// Many inputs, one process, all cores: a pool of worker threads, each handed whole inputs
// one at a time (the unit dtc and make parallelise on too) in input order, results kept in
// input order whatever finishes first. `dtkit compile` and `dtkit validate` share it; each
// has its own worker module, which calls `serveJobs` with its per-input function.
//
// A worker keeps what it learns across inputs (the preprocessor's lexed headers, compiled
// schemas). When the jobs run out it is asked to finish: its `finish` hook returns what it
// found about the run itself (e.g. schema problems) and settles its pending writes (the
// schema cache) before the pool ends it, so no temporary file is left half-written.
import * as os from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { Worker, parentPort } from 'node:worker_threads';
import { tierUpAsUsual } from '../tier-up.js';

export interface PoolOptions<J, R> {
  /** the worker module (it calls serveJobs) */
  worker: URL;
  /** given to every worker once (structured-clonable) */
  workerData: unknown;
  jobs: readonly J[];
  /** worker threads (default: one per core), never more than jobs */
  threads?: number;
  resourceLimits?: ResourceLimits;
  /** a job was handed to a worker */
  onStart?(index: number): void;
  /** a job's result came back */
  onResult?(index: number, result: R): void;
}

export interface PoolResult<R, F> {
  /** in job order */
  results: R[];
  /** each worker's `finish` answer */
  finals: F[];
}

type ToWorker<J> = { index: number; job: J } | { finish: true };
type FromWorker<R, F> = { index: number; result: R } | { final: F };

/** The default number of threads: the machine's cores. */
export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism());
}

export async function runPool<J, R, F = undefined>(opts: PoolOptions<J, R>): Promise<PoolResult<R, F>> {
  // a long run: the workers share this process's V8 flags (bin/dtkit raises the budget for one board)
  tierUpAsUsual();
  const count = Math.max(1, Math.min(opts.threads ?? defaultThreads(), opts.jobs.length));
  const results: R[] = new Array(opts.jobs.length);
  const finals: F[] = [];
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(opts.worker, { workerData: opts.workerData, resourceLimits: opts.resourceLimits });
      let finished = false;
      const post = (m: ToWorker<J>) => w.postMessage(m);
      const feed = () => {
        if (next >= opts.jobs.length) {
          post({ finish: true });
          return;
        }
        const index = next++;
        opts.onStart?.(index);
        post({ index, job: opts.jobs[index] });
      };
      w.on('message', (m: FromWorker<R, F>) => {
        if ('final' in m) {
          finished = true;
          finals.push(m.final);
          void w.terminate().then(() => resolve());
          return;
        }
        results[m.index] = m.result;
        opts.onResult?.(m.index, m.result);
        feed();
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (!finished) reject(new Error(`a worker thread stopped (exit code ${code}) before its inputs were done`));
      });
      w.on('online', feed);
    });
  await Promise.all(Array.from({ length: count }, runWorker));
  return { results, finals };
}

/**
 * The worker side: runs `run` on each job it is handed and answers with its result; a job
 * that throws gets `failed`'s result (a dtkit bug, said as such, never a hung pool). On
 * finish, answers with `finish()`'s value once it settles.
 */
export function serveJobs<J, R, F = undefined>(
  run: (job: J) => R,
  failed: (job: J, e: Error) => R,
  finish?: () => F | Promise<F>,
  /** what of a result to move rather than copy (its output bytes) */
  transfer?: (result: R) => ArrayBuffer[],
): void {
  const port = parentPort!;
  port.on('message', (m: ToWorker<J>) => {
    if ('finish' in m) {
      void Promise.resolve()
        .then(() => finish?.())
        .catch(() => undefined)
        .then((final) => port.postMessage({ final } satisfies FromWorker<R, F | undefined>));
      return;
    }
    let result: R;
    try {
      result = run(m.job);
    } catch (e) {
      result = failed(m.job, e as Error);
    }
    port.postMessage({ index: m.index, result } satisfies FromWorker<R, F>, transfer?.(result) ?? []);
  });
}
