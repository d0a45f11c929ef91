// `dtkit validate [-I DIR]... [--schemas DIR]... [--overlay X.dtso]... [--format F]
//  [-W [no-]RULE]... [-E [no-]RULE]... INPUT...`: dt-schema validation (what dt-validate
// reports) plus dtc's structural checks and dtkit's Qualcomm rows, for sources (findings at
// file:line:col with the include chain) and blobs. Inside a kernel tree the tree's include
// folders and bindings are used without flags. With --overlay, the composite (base +
// overlays, as fdtoverlay makes it) is checked, with locations in every source.
// Exit 0 clean, 1 any error, 2 usage.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import { runChecks } from '../checks/run.js';
import { dtcChecks } from '../checks/table.js';
import { loadComposite } from '../input/composite.js';
import type { InputOptions } from '../input/load.js';
import { loadInput, sourceTreeOf } from '../input/load.js';
import { describeSourceTree } from '../input/layout.js';
import { STDIN_ARG } from '../input/paths.js';
import { qcomChecks } from '../qcom/checks.js';
import type { PasPolicy, QcomCheckOptions } from '../qcom/checks.js';
import { parseSize } from '../qcom/format.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { sourceLines } from '../report/render.js';
import type { Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';
import { openSchemaSet, validationContext } from '../schema/schema-set.js';
import { validateTree } from '../schema/validate.js';
import type { ValidateContext } from '../schema/validate.js';
import type { RegisterCommand } from './commands.js';
import type { InputFlags, ReportFormat } from './options.js';
import {
  EXIT, inputHelp, UsageError, addExample, addInputOptions, addReportOptions, addRuleOptions, collect, inputSettings, withUsage,
} from './options.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { resolveRuleSwitches } from './rules.js';
import type { RuleLevels } from './rules.js';
import { readStdin } from './stdin.js';

export interface ValidateCliOptions extends InputFlags {
  schemas?: string[];
  coreSchemas?: string;
  format?: ReportFormat;
  color?: boolean;
  warning?: string[];
  error?: string[];
  /** overlays applied to each input before checking */
  overlay?: string[];
  unmatched: boolean;
  cache: boolean;
  cacheDir?: string;
  /** --host: the PAS policy of the qcom rows (commander names the attribute after the flag) */
  host?: PasPolicy;
  requireDevmem?: boolean;
  iommuPageSize?: string;
}

export interface ValidateIo extends ReportStreams {
  host: Host;
  readStdin?: () => Uint8Array | undefined;
}

export const processValidateIo: ValidateIo = {
  host: nodeHost,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  readStdin,
  outIsTTY: process.stdout.isTTY,
  errIsTTY: process.stderr.isTTY,
};

interface InputFindings {
  diagnostics: Diagnostic[];
  tree?: Tree;
  sourceText: (file: string) => string | undefined;
}

interface RunContext {
  opts: ValidateCliOptions;
  io: ValidateIo;
  levels: RuleLevels;
  /** the qcom rows' options (the rows are made per input, with its source text) */
  qcom: QcomCheckOptions;
  input: InputOptions;
}

/** dtc's rows run in the compile; the vendor rows and the schemas after it. */
function validateOne(file: string, schemas: ValidateContext, rc: RunContext): InputFindings {
  const loaded = loadInput(file, rc.input);
  const sourceText = (f: string) => loaded.sources.get(f) ?? readText(rc.io.host, f);
  const diagnostics = [...loaded.diagnostics];
  // a tree cut short by a syntax error would only add findings about what is missing
  if (loaded.tree && loaded.parsed) {
    diagnostics.push(...runChecks(loaded.tree, { checks: qcomChecks({ ...rc.qcom, sourceText }), options: { levels: rc.levels.checks }, file: loaded.file }).diagnostics);
    diagnostics.push(...validateTree(schemas, loaded.tree, loaded.file));
  }
  return { diagnostics, tree: loaded.tree, sourceText };
}

/** The composite: every check runs on it, so the inputs' own check warnings would repeat. */
function validateWithOverlays(file: string, overlays: string[], schemas: ValidateContext, rc: RunContext): InputFindings {
  const c = loadComposite(file, overlays, rc.input);
  const dtcIds = new Set(dtcChecks().map((r) => r.id));
  const diagnostics = c.diagnostics.filter((d) => d.severity === 'error' || !dtcIds.has(d.rule));
  if (c.tree) {
    // dtc's rows as on a blob (the composite is one): the reference fixups would find the
    // markers carried over from the sources and resolve them a second time
    // (and, as after a compile, the vendor rows in a run of their own: dtc's first error
    // ends a run)
    const rows = dtcChecks().filter((r) => !r.mutates || r.id === 'explicit_phandles');
    diagnostics.push(...runChecks(c.tree, { checks: rows, options: { levels: rc.levels.checks }, file: c.base.file }).diagnostics);
    diagnostics.push(...runChecks(c.tree, { checks: qcomChecks({ ...rc.qcom, sourceText: c.sourceText }), options: { levels: rc.levels.checks }, file: c.base.file }).diagnostics);
    diagnostics.push(...validateTree(schemas, c.tree, c.base.file));
  }
  return { diagnostics, tree: c.tree, sourceText: c.sourceText };
}

function compatibleOf(tree: Tree | undefined): (node: string) => string[] | undefined {
  return (node) => {
    const p = tree?.findByPath(node)?.getProperty('compatible');
    return p ? stringsOf(p.value) : undefined;
  };
}

function pageSizeOf(text: string | undefined): number {
  const pageSize = text === undefined ? 4096 : parseSize(text);
  if (pageSize === undefined || pageSize <= 0 || (pageSize & (pageSize - 1)) !== 0) {
    throw new UsageError(`--iommu-page-size must be a power of two such as 4K, not '${text}'`);
  }
  return pageSize;
}

export function runValidate(inputs: string[], opts: ValidateCliOptions, io: ValidateIo): number {
  return withUsage(io.err, () => validateAll(inputs, opts, io));
}

function validateAll(inputs: string[], opts: ValidateCliOptions, io: ValidateIo): number {
  const levels = resolveRuleSwitches(opts.warning, opts.error);
  const settings = inputSettings(opts);
  const overlays = opts.overlay ?? [];
  if ([...inputs, ...overlays].filter((i) => i === STDIN_ARG).length > 1) throw new UsageError('standard input (-) can be read only once');
  const rc: RunContext = {
    opts, io, levels,
    qcom: { policy: opts.host, requireDevmem: opts.requireDevmem, iommuPageSize: pageSizeOf(opts.iommuPageSize) },
    input: {
      host: io.host, includeDirs: settings.includeDirs, detect: settings.detect, format: settings.format,
      checkBlobs: true, readStdin: io.readStdin, compile: { checkLevels: levels.checks },
    },
  };
  const reporter = new Reporter({ command: 'validate', format: opts.format ?? 'text', color: opts.color, levels, textTo: 'out' }, io);

  // one schema set per bindings folder (inputs from different trees use their own)
  const contexts = new Map<string, ValidateContext>();
  const schemasFor = (dirs: string[]): ValidateContext => {
    const key = JSON.stringify(dirs);
    let ctx = contexts.get(key);
    if (!ctx) {
      const set = openSchemaSet({ host: io.host, schemaDirs: dirs, coreDir: opts.coreSchemas, cacheDir: opts.cache ? opts.cacheDir : null });
      // problems in the schemas themselves: reported, the rest of the schemas still apply
      reporter.addRunFindings(set.diagnostics);
      ctx = validationContext(set, { unmatched: opts.unmatched });
      contexts.set(key, ctx);
    }
    return ctx;
  };

  const told = new Set<string>();
  for (const input of inputs) {
    const layout = sourceTreeOf(input, rc.input);
    const explicit = (opts.schemas ?? []).length > 0;
    if (layout && !told.has(layout.root)) {
      told.add(layout.root);
      reporter.info(`using the ${describeSourceTree(layout, { bindings: !explicit })}`);
    }
    const schemas = schemasFor(explicit ? opts.schemas! : layout ? [layout.bindings] : []);
    const r = overlays.length ? validateWithOverlays(input, overlays, schemas, rc) : validateOne(input, schemas, rc);
    // rendered now, so that the tree (and its decoded instance) can be freed: 391 boards'
    // trees at once took ~0.5 GB
    reporter.add(r.diagnostics, { lineText: sourceLines(new Map(), r.sourceText), compatibleOf: compatibleOf(r.tree) });
  }
  for (const ctx of contexts.values()) reporter.addRunFindings(ctx.engine.diagnostics);
  reporter.finish();
  return reporter.hasErrors ? EXIT.INPUT : EXIT.OK;
}

export const registerValidate: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('validate')
    .description("check .dts/.dtb files against dt-schema YAML bindings (dt-validate's findings, at the source line), dtc's checks and dtkit's Qualcomm rows")
    .argument('<inputs...>', 'DTS sources or DTB blobs (by content), - for standard input');
  addInputOptions(cmd)
    .option('--overlay <file>', 'apply this overlay (.dtso or .dtbo) to each input first and check the composite (repeatable, in order)', collect)
    .option('--schemas <dir>', "binding schemas folder, e.g. the kernel's Documentation/devicetree/bindings (repeatable; replaces the detected tree's)", collect)
    .option('--core-schemas <dir>', "core schemas folder (dt-schema's dtschema/schemas) instead of dtkit's own");
  addReportOptions(cmd);
  addRuleOptions(cmd)
    .option('--no-unmatched', 'do not report compatibles that no schema documents')
    .option('--no-cache', 'do not read or write the processed-schema cache')
    .option('--cache-dir <dir>', 'processed-schema cache folder (default $XDG_CACHE_HOME/dtkit)')
    .addOption(new Option('--host <host>', 'Qualcomm PAS host policy: qhee (base tree: no iommus/qcom,devmem on PAS nodes) or kvm (every enabled PAS remoteproc has iommus)').choices(['qhee', 'kvm']))
    .option('--require-devmem', 'iommus without qcom,devmem is an error (the originally proposed driver)')
    .option('--iommu-page-size <size>', 'IOMMU page size for qcom_devmem_alignment', '4K');
  cmd.addHelpText('after', `\n${inputHelp({ bindings: true })}`);
  addExample(cmd, 'dtkit validate lemans-evk.dts --overlay lemans-el2.dtso --host kvm --format sarif > dtkit.sarif');
  cmd.action((inputs: string[], opts: ValidateCliOptions) => {
    setExit(runValidate(inputs, opts, processValidateIo));
  });
};
