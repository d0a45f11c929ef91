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
import type { InputOptions, LoadedInput } from '../input/load.js';
import { loadInput, sourceTreeOf } from '../input/load.js';
import { describeSourceTree } from '../input/layout.js';
import { STDIN_ARG } from '../input/paths.js';
import { qcomChecks } from '../qcom/checks.js';
import type { PasPolicy } from '../qcom/checks.js';
import type { CheckOptions, Check } from '../checks/types.js';
import { parseSize } from '../qcom/format.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { sourceLines } from '../report/render.js';
import type { Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE, openSchemaSet, validationContext } from '../schema/schema-set.js';
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
  /** also say how the bindings were combined (dtkit's additions to the user's bindings) */
  verbose?: boolean;
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

/** What checking one input found (before -W/-E levels are applied). */
export interface InputFindings {
  diagnostics: Diagnostic[];
  tree?: Tree;
  sourceText: (file: string) => string | undefined;
  /** the input as loaded (the base, with overlays) */
  base: LoadedInput;
  overlays: LoadedInput[];
}

/** How every input of a run is checked: levels, check options, input options. Built from
 *  the command line here, and from the editor's settings by `dtkit lsp`. */
export interface ValidateSetup {
  levels: RuleLevels;
  /** what the runner needs for every table (the -W/-E levels) */
  checkOptions: CheckOptions;
  /** dtkit's vendor rows, made with their options (--host, --require-devmem, ...) */
  vendorChecks: Check[];
  input: InputOptions;
}

export function validateSetup(opts: ValidateCliOptions, io: Pick<ValidateIo, 'host' | 'readStdin'>): ValidateSetup {
  const levels = resolveRuleSwitches(opts.warning, opts.error);
  const settings = inputSettings(opts);
  return {
    levels,
    checkOptions: { levels: levels.checks },
    vendorChecks: qcomChecks({ policy: opts.host, requireDevmem: opts.requireDevmem, iommuPageSize: pageSizeOf(opts.iommuPageSize) }),
    input: {
      host: io.host, includeDirs: settings.includeDirs, detect: settings.detect, format: settings.format,
      checkBlobs: true, readStdin: io.readStdin, compile: { checkLevels: levels.checks },
    },
  };
}

/** The bindings folders for `input`: --schemas, else the tree's, else none (dtkit's own). */
export function bindingDirsFor(input: string, opts: Pick<ValidateCliOptions, 'schemas'>, setup: ValidateSetup): string[] {
  if ((opts.schemas ?? []).length > 0) return opts.schemas!;
  const layout = sourceTreeOf(input, setup.input);
  return layout ? [layout.bindings] : [];
}

/** dtc's rows run in the compile; the vendor rows and the schemas after it. */
function validateOne(file: string, schemas: ValidateContext, rc: ValidateSetup): InputFindings {
  const loaded = loadInput(file, rc.input);
  const sourceText = (f: string) => loaded.sources.get(f) ?? readText(rc.input.host, f);
  const diagnostics = [...loaded.diagnostics];
  // a tree cut short by a syntax error would only add findings about what is missing
  if (loaded.tree && loaded.parsed) {
    diagnostics.push(...runChecks(loaded.tree, { checks: rc.vendorChecks, options: rc.checkOptions, file: loaded.file }).diagnostics);
    diagnostics.push(...validateTree(schemas, loaded.tree, loaded.file));
  }
  return { diagnostics, tree: loaded.tree, sourceText, base: loaded, overlays: [] };
}

/** The composite: every check runs on it, so the inputs' own check warnings would repeat. */
function validateWithOverlays(file: string, overlays: string[], schemas: ValidateContext, rc: ValidateSetup): InputFindings {
  const c = loadComposite(file, overlays, rc.input);
  const dtcIds = new Set(dtcChecks().map((r) => r.id));
  const diagnostics = c.diagnostics.filter((d) => d.severity === 'error' || !dtcIds.has(d.rule));
  if (c.tree) {
    // dtc's rows as on a blob (the composite is one): the reference fixups would find the
    // markers carried over from the sources and resolve them a second time
    // (and, as after a compile, the vendor rows in a run of their own: dtc's first error
    // ends a run)
    const rows = dtcChecks().filter((r) => !r.mutates || r.id === 'explicit_phandles');
    diagnostics.push(...runChecks(c.tree, { checks: rows, options: rc.checkOptions, file: c.base.file }).diagnostics);
    diagnostics.push(...runChecks(c.tree, { checks: rc.vendorChecks, options: rc.checkOptions, file: c.base.file }).diagnostics);
    diagnostics.push(...validateTree(schemas, c.tree, c.base.file));
  }
  return { diagnostics, tree: c.tree, sourceText: c.sourceText, base: c.base, overlays: c.overlays };
}

/** Everything `dtkit validate` finds about `file` (with `overlays` applied), before levels. */
export function validateInput(file: string, overlays: string[], schemas: ValidateContext, setup: ValidateSetup): InputFindings {
  return overlays.length ? validateWithOverlays(file, overlays, schemas, setup) : validateOne(file, schemas, setup);
}

export function compatibleOf(tree: Tree | undefined): (node: string) => string[] | undefined {
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
  const setup = validateSetup(opts, io);
  const overlays = opts.overlay ?? [];
  if ([...inputs, ...overlays].filter((i) => i === STDIN_ARG).length > 1) throw new UsageError('standard input (-) can be read only once');
  const reporter = new Reporter({ command: 'validate', format: opts.format ?? 'text', color: opts.color, levels: setup.levels, textTo: 'out' }, io);

  // one schema set per bindings folder (inputs from different trees use their own)
  const contexts = new Map<string, ValidateContext>();
  let toldNoBindings = false;
  const schemasFor = (dirs: string[]): ValidateContext => {
    const key = JSON.stringify(dirs);
    let ctx = contexts.get(key);
    if (!ctx) {
      const set = openSchemaSet({ host: io.host, schemaDirs: dirs, coreDir: opts.coreSchemas, cacheDir: opts.cache ? opts.cacheDir : null });
      // how the bindings were combined is said about the run, once, not as a finding; problems
      // in the schemas themselves are findings, and the rest of the schemas still apply
      for (const d of set.diagnostics) {
        if (d.rule === NO_BINDINGS_RULE && !toldNoBindings) reporter.info(d.message);
        if (d.rule === EXTENDED_RULE && opts.verbose) reporter.info(`${d.file}: ${d.message}`);
        toldNoBindings ||= d.rule === NO_BINDINGS_RULE;
      }
      reporter.addRunFindings(set.diagnostics.filter((d) => d.rule !== NO_BINDINGS_RULE && d.rule !== EXTENDED_RULE));
      ctx = validationContext(set, { unmatched: opts.unmatched });
      contexts.set(key, ctx);
    }
    return ctx;
  };

  const told = new Set<string>();
  for (const input of inputs) {
    const layout = sourceTreeOf(input, setup.input);
    const explicit = (opts.schemas ?? []).length > 0;
    if (layout && !told.has(layout.root)) {
      told.add(layout.root);
      reporter.info(`using the ${describeSourceTree(layout, { bindings: !explicit })}`);
    }
    const r = validateInput(input, overlays, schemasFor(bindingDirsFor(input, opts, setup)), setup);
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
    .option('--iommu-page-size <size>', 'IOMMU page size for qcom_devmem_alignment', '4K')
    .option('--verbose', "also say what dtkit's shipped bindings add to the user's (e.g. qcom,devmem on the kernel's qcom,pas-common)");
  cmd.addHelpText('after', `\n${inputHelp({ bindings: true })}`);
  addExample(cmd, 'dtkit validate lemans-evk.dts --overlay lemans-el2.dtso --host kvm --format sarif > dtkit.sarif');
  cmd.action((inputs: string[], opts: ValidateCliOptions) => {
    setExit(runValidate(inputs, opts, processValidateIo));
  });
};
