// One batch worker: compiles the files it is handed, one at a time, keeping the
// preprocessor's lexed-header cache across files (boards of one SoC share most headers).
import { workerData } from 'node:worker_threads';
import { serveJobs } from './pool.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import { loadInput } from '../input/load.js';
import { nodeHost } from '../host.js';
import { renderText, sourceLines } from '../report/render.js';
import { IO_RULE } from '../input/load.js';
import { INTERNAL_RULE, ruleCatalog } from '../rules/catalog.js';
import { inputFindings } from '../suppress/findings.js';
import { latin1Bytes } from '../tree/value.js';
import type { BatchJob, BatchOptions, BatchOutcome } from './batch.js';
import { silencedErrors } from './batch.js';
import { BoundedLexCache } from '../preprocessor/cache.js';

const { compile, input, outFormat, quiet, text } = workerData as Pick<BatchOptions, 'compile' | 'input' | 'outFormat' | 'quiet' | 'text'>;
const catalog = ruleCatalog();
/** one per worker: boards compiled here share most of their headers. Bounded to 512 KB of
 *  source text (~100k tokens): on the 332 qcom boards (2 workers) that keeps most hits
 *  (CPU 17 s; unbounded 19-23 s, 256 KB 24 s, uncached 31 s) at 350 MB peak RSS
 *  (unbounded 870 MB, 1 MB 450 MB, uncached 270 MB). */
const ppCache = { lexed: new BoundedLexCache(1 << 19) };

function run(job: BatchJob): BatchOutcome {
  const t0 = performance.now();
  const r = loadInput(job.input, {
    ...input, host: nodeHost, includeDirs: job.includeDirs, checkBlobs: true,
    compile: { ...compile, checkLevels: job.levels.checks, dtcVersion: job.dtcVersion, ppCache },
  });
  const found = inputFindings(r.diagnostics, r.sources, job.levels, catalog);
  // the tree decides whether there is output (as dtc); a wrong suppression comment only fails the run
  const ok = r.ok && !!r.tree && !found.errors;
  const diagnostics = quiet ? found.diagnostics.filter((d) => d.severity === 'error') : found.diagnostics;
  // written by the main thread (one atomic-write helper, which holds signals while temps exist)
  const data = ok && r.tree ? (outFormat === 'dts' ? latin1Bytes(printDts(r.tree)) : writeFdt(r.tree)) : undefined;
  if (!ok && !diagnostics.some((d) => d.severity === 'error')) diagnostics.push(silencedErrors(job.input));
  const lineText = sourceLines(r.sources);
  const rendered = text ? diagnostics.map((d) => renderText(d, { lineText, color: text.color })) : undefined;
  return { input: job.input, ok, diagnostics, rendered, suppressed: found.suppressed, seconds: (performance.now() - t0) / 1000, data };
}

serveJobs<BatchJob, BatchOutcome>(run, (job, e) => ({
  input: job.input, ok: false, suppressed: 0, seconds: 0,
  diagnostics: [{ rule: INTERNAL_RULE, severity: 'error', file: job.input, message: `internal error: ${e.message}` }],
}), undefined, (o) => {
  // hand the bytes over without a copy when they own their whole buffer
  const d = o.data;
  return d && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? [d.buffer as ArrayBuffer] : [];
});
