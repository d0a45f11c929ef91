// What `dtkit validate` does to one input, callable by the command (in process or in a
// worker thread, src/validate/worker.ts) and by the language server:
//   input stage (compile with dtc's table at the input's levels; or a blob) -> dtkit's
//   vendor rows -> the schemas -> the levels and suppression comments (src/suppress)
//   -> the findings, sorted, with each one rendered for the report asked for.
// With overlays, the composite (base + overlays, as fdtoverlay makes it) is checked.
// A workspace holds what is kept across inputs: the schema sets (one per bindings folder
// list) and the preprocessor's lexed headers.
import type { DtcVersion } from '../checks/table.js';
import type { Settings } from '../config/settings.js';
import { dtcChecks } from '../checks/table.js';
import { runChecks } from '../checks/run.js';
import type { Check, CheckOptions } from '../checks/types.js';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import { loadComposite } from '../input/composite.js';
import type { InputFormat } from '../input/kind.js';
import type { InputOptions } from '../input/load.js';
import type { LoadedInput } from '../input/load.js';
import { loadInput, sourceTreeOf } from '../input/load.js';
import type { SourceTree } from '../input/layout.js';
import { BoundedLexCache } from '../preprocessor/cache.js';
import type { PreprocessCache } from '../preprocessor/types.js';
import { qcomChecks } from '../qcom/checks.js';
import type { PasPolicy } from '../qcom/checks.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { JsonFinding } from '../report/json.js';
import { jsonFinding } from '../report/json.js';
import { compareDiagnostics, renderText, sourceLines } from '../report/render.js';
import type { CatalogRule } from '../rules/catalog.js';
import { ruleCatalog } from '../rules/catalog.js';
import type { RuleLevels } from '../rules/levels.js';
import { openSchemaSet, validationContext } from '../schema/schema-set.js';
import type { SchemaSet } from '../schema/schema-set.js';
import { validateTree } from '../schema/validate.js';
import type { ValidateContext } from '../schema/validate.js';
import { inputFindings } from '../suppress/findings.js';
import type { Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';

/** One input and the settings it is checked with (structured-clonable, for workers). */
export interface ValidateJob {
  input: string;
  /** applied to the input, in order, before checking */
  overlays: string[];
  /** the user's (or config's) include folders; the tree's are added by the input stage */
  includeDirs: string[];
  /** the bindings folders (the user's, the config's or the detected tree's) */
  schemas: string[];
  dtcVersion: DtcVersion;
  levels: RuleLevels;
  host?: PasPolicy;
  requireDevmem: boolean;
  iommuPageSize: number;
}

/** The job for `input` under its settings (src/config): the bindings are the settings' or,
 *  by default, those of the kernel tree the input lives in (`layout`, when detection is on). */
export function jobFor(input: string, settings: Settings, opts: { detect: boolean }): { job: ValidateJob; layout?: SourceTree } {
  const layout = sourceTreeOf(input, { detect: opts.detect });
  const job: ValidateJob = {
    input,
    overlays: settings.overlays,
    includeDirs: settings.includeDirs,
    schemas: settings.schemas ?? (layout ? [layout.bindings] : []),
    dtcVersion: settings.table,
    levels: settings.levels,
    host: settings.host,
    requireDevmem: settings.requireDevmem,
    iommuPageSize: settings.iommuPageSize,
  };
  return { job, layout };
}

/** What is the same for every input of a run (structured-clonable). */
export interface ValidateRun {
  detect: boolean;
  format?: InputFormat;
  coreSchemas?: string;
  /** processed-schema cache folder; null: no cache; undefined: the default folder */
  cacheDir?: string | null;
  unmatched: boolean;
  /** render each finding for this report format (text with or without colour, json) */
  render?: { format: 'text' | 'json'; color?: boolean };
}

/** One input's outcome, as it crosses from a worker (structured-clonable). */
export interface InputReport {
  input: string;
  /** the findings to report (levels and suppressions applied), sorted */
  diagnostics: Diagnostic[];
  /** with `render`: each finding as text or as its JSON record, in the same order */
  rendered?: string[];
  records?: JsonFinding[];
  /** findings suppression comments silenced */
  suppressed: number;
  seconds: number;
}

/** What a process (or worker thread) keeps across inputs. */
export interface ValidateWorkspace {
  host: Host;
  run: ValidateRun;
  readStdin?: () => Uint8Array | undefined;
  catalog: CatalogRule[];
  ppCache: PreprocessCache;
  sets: Map<string, { set: SchemaSet; ctx: ValidateContext }>;
}

export function createWorkspace(host: Host, run: ValidateRun, readStdin?: () => Uint8Array | undefined): ValidateWorkspace {
  // lexed headers kept across inputs, bounded as in the compile batch (compile/batch-worker.ts)
  return { host, run, readStdin, catalog: ruleCatalog(), ppCache: { lexed: new BoundedLexCache(1 << 19) }, sets: new Map() };
}

/** The schema context for a list of bindings folders, opened once per workspace. */
export function schemasFor(ws: ValidateWorkspace, dirs: string[]): ValidateContext {
  const key = JSON.stringify(dirs);
  let s = ws.sets.get(key);
  if (!s) {
    const set = openSchemaSet({ host: ws.host, schemaDirs: dirs, coreDir: ws.run.coreSchemas, cacheDir: ws.run.cacheDir });
    s = { set, ctx: validationContext(set, { unmatched: ws.run.unmatched }) };
    ws.sets.set(key, s);
  }
  return s.ctx;
}

/** What checking one input found, before levels and suppression comments (what the
 *  language server keeps of a check: the tree, the inputs as loaded, their sources). */
export interface CheckedInput {
  diagnostics: Diagnostic[];
  tree?: Tree;
  /** the input as loaded, and the overlays applied to it */
  base: LoadedInput;
  overlays: LoadedInput[];
  /** file -> text of every source the input and its overlays read */
  sources: Map<string, string>;
  /** text of a file: a source read, else from the host */
  sourceText: (file: string) => string | undefined;
}

function checkOptions(job: ValidateJob): CheckOptions {
  return { levels: job.levels.checks };
}

/** dtkit's vendor rows, made with the job's options (--host, --require-devmem, ...). */
function vendorChecks(job: ValidateJob): Check[] {
  return qcomChecks({ policy: job.host, requireDevmem: job.requireDevmem, iommuPageSize: job.iommuPageSize });
}

function inputOptions(job: ValidateJob, ws: ValidateWorkspace): InputOptions {
  return {
    host: ws.host, includeDirs: job.includeDirs, detect: ws.run.detect, format: ws.run.format, checkBlobs: true, readStdin: ws.readStdin,
    compile: { checkLevels: job.levels.checks, dtcVersion: job.dtcVersion, ppCache: ws.ppCache },
  };
}

/** dtc's rows run in the compile; the vendor rows and the schemas after it. */
function checkOne(job: ValidateJob, ws: ValidateWorkspace): CheckedInput {
  const loaded = loadInput(job.input, inputOptions(job, ws));
  const diagnostics = [...loaded.diagnostics];
  // a tree cut short by a syntax error would only add findings about what is missing
  if (loaded.tree && loaded.parsed) {
    diagnostics.push(...runChecks(loaded.tree, { checks: vendorChecks(job), options: checkOptions(job), file: loaded.file }).diagnostics);
    diagnostics.push(...validateTree(schemasFor(ws, job.schemas), loaded.tree, loaded.file));
  }
  const sourceText = (f: string) => loaded.sources.get(f) ?? readText(ws.host, f);
  return { diagnostics, tree: loaded.tree, base: loaded, overlays: [], sources: loaded.sources, sourceText };
}

/** The composite: every check runs on it, so the inputs' own check warnings would repeat. */
function checkComposite(job: ValidateJob, ws: ValidateWorkspace): CheckedInput {
  const c = loadComposite(job.input, job.overlays, inputOptions(job, ws));
  const table = dtcChecks(job.dtcVersion);
  const dtcIds = new Set(table.map((r) => r.id));
  const diagnostics = c.diagnostics.filter((d) => d.severity === 'error' || !dtcIds.has(d.rule));
  const sources = new Map<string, string>();
  for (const i of [c.base, ...c.overlays]) for (const [f, t] of i.sources) sources.set(f, t);
  if (c.tree) {
    // dtc's rows as on a blob (the composite is one): the reference fixups would find the
    // markers carried over from the sources and resolve them a second time
    // (and, as after a compile, the vendor rows in a run of their own: dtc's first error
    // ends a run)
    const rows = table.filter((r) => !r.mutates || r.id === 'explicit_phandles');
    diagnostics.push(...runChecks(c.tree, { checks: rows, options: checkOptions(job), file: c.base.file }).diagnostics);
    diagnostics.push(...runChecks(c.tree, { checks: vendorChecks(job), options: checkOptions(job), file: c.base.file }).diagnostics);
    diagnostics.push(...validateTree(schemasFor(ws, job.schemas), c.tree, c.base.file));
  }
  return { diagnostics, tree: c.tree, base: c.base, overlays: c.overlays, sources, sourceText: c.sourceText };
}

/** Everything validate finds about one input (with its overlays applied), before levels. */
export function checkInput(job: ValidateJob, ws: ValidateWorkspace): CheckedInput {
  return job.overlays.length ? checkComposite(job, ws) : checkOne(job, ws);
}

function compatibleOf(tree: Tree | undefined): (node: string) => string[] | undefined {
  return (node) => {
    const p = tree?.findByPath(node)?.getProperty('compatible');
    return p ? stringsOf(p.value) : undefined;
  };
}

/** Validates one input: its findings, final and sorted, rendered as `ws.run.render` asks. */
export function validateInput(job: ValidateJob, ws: ValidateWorkspace): InputReport {
  const t0 = performance.now();
  const checked = checkInput(job, ws);
  const found = inputFindings(checked.diagnostics, checked.sources, job.levels, ws.catalog);
  const report: InputReport = { input: job.input, diagnostics: found.diagnostics, suppressed: found.suppressed, seconds: 0 };
  const render = ws.run.render;
  if (render?.format === 'text') {
    const lineText = sourceLines(new Map(), checked.sourceText);
    report.rendered = found.diagnostics.map((d) => renderText(d, { lineText, color: render.color }));
  } else if (render?.format === 'json') {
    const compat = compatibleOf(checked.tree);
    report.records = found.diagnostics.map((d) => jsonFinding(d, { compatibleOf: compat }));
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/** Findings about the run's own material (the bindings), each once, sorted: the same
 *  whichever inputs a workspace validated, so workers' lists merge to one. */
export function runFindings(ws: ValidateWorkspace): Diagnostic[] {
  return uniqueFindings([...ws.sets.values()].flatMap((s) => [...s.set.diagnostics, ...s.ctx.engine.diagnostics]));
}

/** Findings without repeats (same rule, place and message), sorted. */
export function uniqueFindings(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const key = JSON.stringify([d.rule, d.severity, d.span?.file ?? d.file, d.span?.line, d.span?.column, d.node, d.property, d.schema, d.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(compareDiagnostics);
}

/** Waits for the schema cache files this workspace is writing. */
export async function settleWorkspace(ws: ValidateWorkspace): Promise<void> {
  await Promise.all([...ws.sets.values()].map((s) => s.set.cacheWritten));
}
