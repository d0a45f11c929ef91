// One `dtkit validate` worker thread (src/batch/pool.ts): validates the inputs it is handed
// in one workspace (schema sets and lexed headers kept across inputs); on finish, hands back
// the run's own findings and waits for the schema cache it wrote, if any.
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../batch/pool.js';
import { nodeHost } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { INTERNAL_RULE } from '../rules/catalog.js';
import type { InputReport, ValidateJob, ValidateRun } from './input.js';
import { createWorkspace, runFindings, settleWorkspace, validateInput } from './input.js';

const ws = createWorkspace(nodeHost, workerData as ValidateRun);

serveJobs<ValidateJob, InputReport, Diagnostic[]>(
  (job) => validateInput(job, ws),
  (job, e) => ({
    input: job.input, suppressed: 0, seconds: 0,
    diagnostics: [{ rule: INTERNAL_RULE, severity: 'error', file: job.input, message: `internal error: ${e.message}` }],
  }),
  async () => {
    await settleWorkspace(ws);
    return runFindings(ws);
  },
);
