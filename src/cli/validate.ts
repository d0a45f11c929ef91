// `dtkit validate [-I DIR]... [--schemas DIR]... [--overlay X.dtso]... [--preset P]
//  [--format F] [-W [no-]RULE]... [-E [no-]RULE]... [--baseline F] INPUT|FOLDER|GLOB...`:
// dt-schema validation (what dt-validate reports) plus dtc's structural checks and dtkit's
// Qualcomm rows, for sources (findings at file:line:col with the include chain) and blobs.
// Inside a kernel tree the tree's include folders and bindings are used without flags; a
// dtkit.config.yaml above an input (src/config) sets what the flags would. With --overlay,
// the composite (base + overlays, as fdtoverlay makes it) is checked, with locations in
// every source. Many inputs run over worker threads (src/validate), reported in input order.
// Exit 0 without errors (and within --max-warnings), 1 otherwise, 2 usage or config errors.
import { Option } from 'commander';
import type { Command } from 'commander';
import { defaultThreads } from '../batch/pool.js';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { describeSourceTree } from '../input/layout.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE } from '../schema/schema-set.js';
import { STDIN_ARG } from '../input/paths.js';
import type { ValidateJob } from '../validate/input.js';
import { jobFor } from '../validate/input.js';
import { validateMany } from '../validate/run.js';
import type { RegisterCommand } from './commands.js';
import type { InputFlags, ReportFormat, RuleFlags, TreeFlags } from './options.js';
import {
  EXIT, EXIT_POLICY, TREE_HELP, inputHelp, UsageError, addExample, addInputOptions, addReportOptions, addRuleOptions, addTreeOptions, collect, countOption,
  inputSettings, withUsageAsync,
} from './options.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { readStdin } from './stdin.js';
import { inputSettingsOf, progressFor, settingFlags, treeInputs, treeReportOptions } from './tree.js';

export interface ValidateCliOptions extends InputFlags, RuleFlags, TreeFlags {
  schemas?: string[];
  coreSchemas?: string;
  format?: ReportFormat;
  color?: boolean;
  /** overlays applied to each input before checking */
  overlay?: string[];
  unmatched: boolean;
  cache: boolean;
  cacheDir?: string;
  /** host policy for the qcom PAS rows */
  host?: 'qhee' | 'kvm';
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

/** What a folder or glob yields for validate: sources and blobs. */
const VALIDATE_INPUTS = /\.dt[sb]$/;

export function runValidate(inputs: string[], opts: ValidateCliOptions, io: ValidateIo): Promise<number> {
  return withUsageAsync(io.err, () => validateAll(inputs, opts, io));
}

async function validateAll(args: string[], opts: ValidateCliOptions, io: ValidateIo): Promise<number> {
  const format = opts.format ?? 'text';
  const inputs = treeInputs(args, opts, VALIDATE_INPUTS, '.dts or .dtb');
  const flags = settingFlags(opts, {
    schemas: opts.schemas, overlays: opts.overlay, host: opts.host, iommuPageSize: opts.iommuPageSize, requireDevmem: opts.requireDevmem,
  });
  const jobsFlag = countOption(opts.jobs, '--jobs', 1);
  const report = treeReportOptions(opts, io.host, io.err);
  if (!report) return EXIT.USAGE;
  const each = inputSettingsOf(inputs, flags, io.host, io.err);
  if (!each) return EXIT.USAGE;
  const { detect, format: inFormat } = inputSettings(opts);
  const overlaysOf = each.flatMap((e) => e.settings.overlays);
  if ([...inputs.map((i) => i.input), ...new Set(overlaysOf)].filter((i) => i === STDIN_ARG).length > 1) {
    throw new UsageError('standard input (-) can be read only once');
  }
  const reporter = new Reporter({ command: 'validate', format, color: opts.color, textTo: 'out', summary: inputs.length > 1, ...report }, io);

  const told = new Set<string>();
  const jobs: ValidateJob[] = each.map(({ input, settings }) => {
    const { job, layout } = jobFor(input.input, settings, { detect });
    if (layout && !told.has(layout.root)) {
      told.add(layout.root);
      reporter.info(`using the ${describeSourceTree(layout, { bindings: settings.schemas === undefined })}`);
    }
    return job;
  });

  // standard input and a test's in-memory host are this thread's only
  const local = io.host !== nodeHost || jobs.some((j) => j.input === STDIN_ARG || j.overlays.includes(STDIN_ARG));
  const progress = progressFor(jobs.length, io);
  const result = await validateMany(jobs, {
    host: io.host,
    readStdin: io.readStdin,
    threads: local ? 1 : jobsFlag ?? defaultThreads(),
    run: {
      detect, format: inFormat, coreSchemas: opts.coreSchemas, cacheDir: opts.cache ? opts.cacheDir : null, unmatched: opts.unmatched,
      render: format === 'text' || format === 'json' ? { format, color: reporter.textColor } : undefined,
    },
    onStart: (i) => progress.started(jobs[i].input),
    onResult: () => progress.finished(),
  });
  progress.clear();
  // how the bindings were combined is said about the run, once, not as a finding; problems
  // in the schemas themselves are findings, and the rest of the schemas still apply
  const noBindings = result.runFindings.find((d) => d.rule === NO_BINDINGS_RULE);
  if (noBindings) reporter.info(noBindings.message);
  if (opts.verbose) for (const d of result.runFindings) if (d.rule === EXTENDED_RULE) reporter.info(`${d.file}: ${d.message}`);
  for (const r of result.reports) reporter.addInput(r);
  reporter.addRunFindings(result.runFindings.filter((d) => d.rule !== NO_BINDINGS_RULE && d.rule !== EXTENDED_RULE));
  reporter.finish();
  return reporter.exitCode();
}

export const registerValidate: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('validate')
    .description("check .dts/.dtb files against dt-schema YAML bindings (dt-validate's findings, at the source line), dtc's checks and dtkit's Qualcomm rows")
    .argument('[inputs...]', 'DTS sources or DTB blobs (by content), folders (every .dts and .dtb under them), globs, - for standard input');
  addInputOptions(cmd)
    .option('--overlay <file>', 'apply this overlay (.dtso or .dtbo) to each input first and check the composite (repeatable, in order)', collect)
    .option('--schemas <dir>', "binding schemas folder, e.g. the kernel's Documentation/devicetree/bindings (repeatable; replaces the detected tree's)", collect)
    .option('--core-schemas <dir>', "core schemas folder (dt-schema's dtschema/schemas) instead of dtkit's own");
  addReportOptions(cmd);
  addRuleOptions(cmd);
  addTreeOptions(cmd, 'validate')
    .option('--no-unmatched', 'do not report compatibles that no schema documents')
    .option('--no-cache', 'do not read or write the processed-schema cache')
    .option('--cache-dir <dir>', 'processed-schema cache folder (default $XDG_CACHE_HOME/dtkit)')
    .addOption(new Option('--host <host>', 'Qualcomm PAS host policy: qhee (base tree: no iommus/qcom,devmem on PAS nodes) or kvm (every enabled PAS remoteproc has iommus)').choices(['qhee', 'kvm']))
    .option('--require-devmem', 'iommus without qcom,devmem is an error (the originally proposed driver)')
    .option('--no-require-devmem', 'iommus without qcom,devmem is fine (the default; overrides a config file)')
    .option('--iommu-page-size <size>', 'IOMMU page size for qcom_devmem_alignment (default 4K)')
    .option('--verbose', "also say what dtkit's shipped bindings add to the user's (e.g. qcom,devmem on the kernel's qcom,pas-common)");
  cmd.addHelpText('after', `\n${inputHelp({ bindings: true })}\n${TREE_HELP}\n${EXIT_POLICY}`);
  addExample(cmd,
    'dtkit validate lemans-evk.dts --overlay lemans-el2.dtso --host kvm --format sarif > dtkit.sarif',
    "dtkit validate --preset kernel --baseline dtkit-baseline.json 'arch/arm64/boot/dts/qcom/*.dts'");
  cmd.action(async (inputs: string[], opts: ValidateCliOptions) => {
    setExit(await runValidate(inputs, opts, processValidateIo));
  });
};
