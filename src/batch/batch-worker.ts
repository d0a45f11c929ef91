// One batch worker: compiles the files it is handed, one at a time, keeping the
// preprocessor's lexed-header cache across files (boards of one SoC share most headers).
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckLevel } from '../checks/types.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import { loadInput } from '../input/load.js';
import { nodeHost } from '../host.js';
import { applyLevels } from '../report/levels.js';
import type { RuleLevel } from '../report/levels.js';
import { renderAllText, sourceLines } from '../report/render.js';
import { latin1Bytes } from '../tree/value.js';
import type { BatchJob, BatchOptions, BatchOutcome } from './batch.js';
import { BoundedLexCache } from '../preprocessor/cache.js';

const { compile, input, outFormat, quiet, render } = workerData as Pick<BatchOptions, 'compile' | 'input' | 'outFormat' | 'quiet' | 'render'>;
const levels = new Map((render?.levels ?? []) as [string, RuleLevel][]);
const checkLevels = new Map((compile.checkLevels ?? []) as [string, CheckLevel][]);
/** one per worker: boards compiled here share most of their headers. Bounded to 512 KB of
 *  source text (~100k tokens): on the 332 qcom boards (2 workers) that keeps most hits
 *  (CPU 17 s; unbounded 19-23 s, 256 KB 24 s, uncached 31 s) at 350 MB peak RSS
 *  (unbounded 870 MB, 1 MB 450 MB, uncached 270 MB). */
const ppCache = { lexed: new BoundedLexCache(1 << 19) };

function run(job: BatchJob): BatchOutcome {
  const r = loadInput(job.input, { ...input, host: nodeHost, checkBlobs: true, compile: { ...compile, checkLevels, ppCache } });
  const found = applyLevels(r.diagnostics, levels);
  const shown = quiet ? found.filter((d) => d.severity === 'error') : found;
  const messages = shown.length ? renderAllText(shown, { lineText: sourceLines(r.sources), color: render?.color }) : '';
  if (!r.ok || !r.tree || found.some((d) => d.severity === 'error')) return { input: job.input, ok: false, messages };
  const data = outFormat === 'dts' ? latin1Bytes(printDts(r.tree)) : writeFdt(r.tree);
  // written by the main thread (one atomic-write helper, which holds signals while temps exist)
  return { input: job.input, ok: true, messages, data };
}

parentPort!.on('message', (m: { index: number; job: BatchJob }) => {
  let outcome: BatchOutcome;
  try {
    outcome = run(m.job);
  } catch (e) {
    outcome = { input: m.job.input, ok: false, messages: `dtkit: internal error compiling ${m.job.input}: ${(e as Error).message}` };
  }
  const d = outcome.data;
  // hand the bytes over without a copy when they own their whole buffer
  const own = d && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
  parentPort!.postMessage({ index: m.index, outcome }, own ? [d.buffer as ArrayBuffer] : []);
});
