// One batch worker: compiles the files it is handed, one at a time, keeping the
// preprocessor's lexed-header cache across files (boards of one SoC share most headers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../batch/pool.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import { loadInput } from '../input/load.js';
import { writeFailure } from '../input/paths.js';
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
  let ok = r.ok && !!r.tree && !found.errors;
  const diagnostics = quiet ? found.diagnostics.filter((d) => d.severity === 'error') : found.diagnostics;
  if (ok && r.tree) {
    const data = outFormat === 'dts' ? latin1Bytes(printDts(r.tree)) : writeFdt(r.tree);
    const tmp = path.join(path.dirname(job.output), `.${path.basename(job.output)}.${process.pid}.tmp`);
    try {
      fs.mkdirSync(path.dirname(job.output), { recursive: true });
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, job.output);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      ok = false;
      diagnostics.push({ rule: IO_RULE, severity: 'error', file: job.output, message: `cannot write '${job.output}': ${writeFailure(e as NodeJS.ErrnoException)}` });
    }
  }
  if (!ok && !diagnostics.some((d) => d.severity === 'error')) diagnostics.push(silencedErrors(job.input));
  const lineText = sourceLines(r.sources);
  const rendered = text ? diagnostics.map((d) => renderText(d, { lineText, color: text.color })) : undefined;
  return { input: job.input, ok, diagnostics, rendered, suppressed: found.suppressed, seconds: (performance.now() - t0) / 1000 };
}

serveJobs<BatchJob, BatchOutcome>(run, (job, e) => ({
  input: job.input, ok: false, suppressed: 0, seconds: 0,
  diagnostics: [{ rule: INTERNAL_RULE, severity: 'error', file: job.input, message: `internal error: ${e.message}` }],
}));
