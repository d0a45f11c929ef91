// `dtkit compile`: cpp + dtc in one step, and dtc's `-I dtb` too (a blob input, recognised
// by its magic number, is read, checked and written again, e.g. `-O dts` prints what
// `dtc -I dtb -O dts` prints). Errors print as `file:line:col: error: ...` with the
// include/expansion chain and a source excerpt; exit 1 on input errors, 2 on usage
// errors. Output is written atomically and only when the compile succeeded; without -o
// the DTB goes to stdout, as dtc does. Folders and globs stand for the sources under them;
// several inputs compile over worker threads (batch/batch.ts) into --out-dir. Each input's
// dtkit.config.yaml (src/config) gives its preset, include folders and rule levels.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { batchOutput, compileBatch, silencedErrors } from '../batch/batch.js';
import type { BatchJob } from '../batch/batch.js';
import type { CompileOptions } from '../compile/compile.js';
import type { SettingFlags } from '../config/settings.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import type { ExpandedInput } from '../input/expand.js';
import { loadInput } from '../input/load.js';
import { writeFailure } from '../input/paths.js';
import type { InputOptions } from '../input/load.js';
import { sourceLines } from '../report/render.js';
import { inputFindings } from '../suppress/findings.js';
import { latin1Bytes } from '../tree/value.js';
import type { RegisterCommand } from './commands.js';
import type { InputFlags, ReportFormat, RuleFlags, TreeFlags } from './options.js';
import {
  EXIT, EXIT_POLICY, TREE_HELP, inputHelp, UsageError, addExample, withUsage, withUsageAsync, addInputOptions, addReportOptions, addRuleOptions,
  addTreeOptions, collect, countOption, errorLine, inputSettings,
} from './options.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { readStdin } from './stdin.js';
import { inputSettingsOf, progressFor, settingFlags, treeInputs, treeReportOptions } from './tree.js';
import { writeFileAtomically } from './output.js';
import { outputPathError, writeOutputs } from './write.js';

export interface CompileCliOptions extends InputFlags, RuleFlags, TreeFlags {
  define?: string[];
  undefine?: string[];
  outFormat: string;
  bootCpu?: string;
  symbols?: boolean;
  output?: string;
  cpp: boolean;
  quiet?: boolean;
  outDir?: string;
  format?: ReportFormat;
  color?: boolean;
}

export interface CompileIo {
  stdout(data: Uint8Array): void;
  stderr(text: string): void;
  host?: Host;
  readStdin?: () => Uint8Array | undefined;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

const OUT_FORMATS = ['dtb', 'dts'];

/** What a folder or glob yields for compile: device-tree sources. */
const COMPILE_INPUTS = /\.dts$/;

interface CompileSettings {
  format: 'dtb' | 'dts';
  /** the settings flags (a config file fills in what they leave out) */
  flags: SettingFlags;
  input: InputOptions & { compile: CompileOptions };
}

/** The options every input shares, checked once (a problem is a UsageError). */
function compileSettings(opts: CompileCliOptions, io: CompileIo): CompileSettings {
  if (!OUT_FORMATS.includes(opts.outFormat)) {
    throw new UsageError(`unknown output format '${opts.outFormat}' (-O takes ${OUT_FORMATS.join(' or ')})`);
  }
  const bootCpuid = opts.bootCpu === undefined ? undefined : Number(opts.bootCpu);
  if (bootCpuid !== undefined && (!Number.isInteger(bootCpuid) || bootCpuid < 0 || bootCpuid > 0xffffffff)) {
    throw new UsageError(`bad boot cpu id '${opts.bootCpu}'`);
  }
  const input = inputSettings(opts);
  return {
    format: opts.outFormat as 'dtb' | 'dts',
    flags: settingFlags(opts),
    input: {
      host: io.host ?? nodeHost,
      includeDirs: input.includeDirs,
      detect: input.detect,
      format: input.format,
      checkBlobs: true,
      readStdin: io.readStdin ?? readStdin,
      compile: {
        defines: opts.define ?? [],
        undefines: opts.undefine ?? [],
        cpp: opts.cpp,
        symbols: opts.symbols,
        bootCpuid,
      },
    },
  };
}

function streams(io: CompileIo): ReportStreams {
  return { out: (t) => io.stdout(latin1Bytes(t)), err: io.stderr, outIsTTY: io.stdoutIsTTY, errIsTTY: io.stderrIsTTY };
}

/** The inputs the arguments stand for, then one input (in this thread) or a batch. */
export async function runCompileCommand(args: string[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  return withUsageAsync(io.stderr, async () => {
    const inputs = treeInputs(args, opts, COMPILE_INPUTS, '.dts');
    if (inputs.length === 1 && !opts.outDir && !inputs[0].base) return compileOne(inputs[0].input, opts, io);
    return compileMany(inputs, opts, io);
  });
}

export function runCompile(input: string, opts: CompileCliOptions, io: CompileIo): number {
  return withUsage(io.stderr, () => compileOne(input, opts, io));
}

function compileOne(input: string, opts: CompileCliOptions, io: CompileIo): number {
  const settings = compileSettings(opts, io);
  const toStdout = opts.output === undefined || opts.output === '-';
  const pathError = outputPathError([opts.output]);
  if (pathError) {
    io.stderr(pathError);
    return EXIT.INPUT;
  }
  const report = treeReportOptions(opts, settings.input.host, io.stderr);
  const each = report && inputSettingsOf([{ input }], settings.flags, settings.input.host, io.stderr);
  if (!report || !each) return EXIT.USAGE;
  const s = each[0].settings;
  const reporter = new Reporter(
    { command: 'compile', format: opts.format ?? 'text', color: opts.color, textTo: 'err', stdoutIsData: toStdout, ...report },
    streams(io),
  );
  const loaded = loadInput(input, {
    ...settings.input, includeDirs: s.includeDirs, compile: { ...settings.input.compile, checkLevels: s.levels.checks, dtcVersion: s.table },
  });
  if (loaded.tree && loaded.format === 'dtb' && settings.input.compile.bootCpuid !== undefined) {
    loaded.tree.bootCpuid = settings.input.compile.bootCpuid;
  }
  const found = inputFindings(loaded.diagnostics, loaded.sources, s.levels);
  const shown = opts.quiet ? found.diagnostics.filter((d) => d.severity === 'error') : found.diagnostics;
  // the tree decides whether there is output (as dtc); a wrong suppression comment only fails the run
  const ok = loaded.ok && !!loaded.tree && !found.errors;
  if (!ok && !shown.some((d) => d.severity === 'error')) shown.push(silencedErrors(loaded.file));
  reporter.addInput({ input, diagnostics: shown, suppressed: found.suppressed }, { lineText: sourceLines(loaded.sources, (f) => readText(settings.input.host, f)) });
  let code: number = ok ? EXIT.OK : EXIT.INPUT;
  if (ok && loaded.tree) {
    const data = settings.format === 'dts' ? latin1Bytes(printDts(loaded.tree)) : writeFdt(loaded.tree);
    if (toStdout) io.stdout(data);
    else if (!writeOutputs([{ file: opts.output!, data }], io.stderr)) code = EXIT.INPUT;
  }
  reporter.finish();
  return code === EXIT.OK ? reporter.exitCode() : code;
}

/** Several inputs (or --out-dir): compile them over worker threads into OUT-DIR. */
export async function runCompileBatch(inputs: string[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  return withUsageAsync(io.stderr, () => compileMany(inputs.map((input) => ({ input })), opts, io));
}

async function compileMany(inputs: ExpandedInput[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  if (!opts.outDir) throw new UsageError('several inputs need --out-dir');
  if (opts.output !== undefined) throw new UsageError('-o takes one input; use --out-dir with several');
  if (inputs.some((i) => i.input === '-')) throw new UsageError('standard input (-) takes one input, not --out-dir');
  const jobs = countOption(opts.jobs, '--jobs', 1);
  const settings = compileSettings(opts, io);
  const report = treeReportOptions(opts, settings.input.host, io.stderr);
  const each = report && inputSettingsOf(inputs, settings.flags, settings.input.host, io.stderr);
  if (!report || !each) return EXIT.USAGE;
  const { format } = settings;
  const outputs = new Map<string, string>();
  const batch: BatchJob[] = each.map(({ input, settings: s }) => {
    const output = batchOutput(input.input, opts.outDir!, format, input.base);
    const other = outputs.get(output);
    if (other !== undefined) throw new UsageError(`'${other}' and '${input.input}' would both be written to '${output}'`);
    outputs.set(output, input.input);
    return { input: input.input, output, includeDirs: s.includeDirs, dtcVersion: s.table, levels: s.levels };
  });
  // the output folders (a folder's inputs keep their paths below it)
  for (const dir of new Set([opts.outDir, ...batch.map((j) => path.dirname(j.output))])) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      io.stderr(errorLine(`cannot create the folder '${dir}': ${writeFailure(e as NodeJS.ErrnoException)}`));
      return EXIT.INPUT;
    }
  }
  const reportFormat = opts.format ?? 'text';
  const reporter = new Reporter({ command: 'compile', format: reportFormat, color: opts.color, textTo: 'err', summary: inputs.length > 1 && !opts.quiet, ...report }, streams(io));
  const { host: _host, readStdin: _stdin, compile, includeDirs: _dirs, ...input } = settings.input;
  const progress = progressFor(batch.length, streams(io));
  const outcomes = await compileBatch(batch, {
    jobs, outFormat: format, quiet: opts.quiet, compile, input,
    write: writeFileAtomically,
    text: reportFormat === 'text' ? { color: reporter.textColor } : undefined,
    onStart: (i) => progress.started(batch[i].input),
    onResult: () => progress.finished(),
  });
  progress.clear();
  let failed = 0;
  for (const o of outcomes) {
    if (!o.ok) failed++;
    reporter.addInput(o);
  }
  reporter.finish();
  if (failed) io.stderr(errorLine(`${failed} of ${inputs.length} inputs failed`));
  return failed ? EXIT.INPUT : reporter.exitCode();
}

export const registerCompile: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('compile')
    .description('compile .dts/.dtsi/.dtso to a DTB (or DTS), byte-identical to cpp + dtc; a DTB input is read as dtc -I dtb reads it')
    .argument('[inputs...]', 'device-tree source(s) or blob(s), folders (every .dts under them), globs, - for standard input; several need --out-dir');
  addInputOptions(cmd)
    .option('-D, --define <name[=value]>', 'define a preprocessor macro (repeatable)', collect)
    .option('-U, --undefine <name>', 'undefine a preprocessor macro (repeatable)', collect)
    .addOption(new Option('-O, --out-format <format>', 'output format').choices(OUT_FORMATS).default('dtb'))
    .option('-b, --boot-cpu <n>', 'boot CPU id written to the DTB header')
    .option('-@, --symbols', 'generate __symbols__ (for overlays)');
  addRuleOptions(cmd)
    .option('-q, --quiet', 'print errors only, not warnings')
    .option('-o, --output <file>', 'output file (default: standard output)')
    .option('--out-dir <dir>', 'with several inputs: write <name>.dtb/.dtbo there (inputs from a folder: at their path below it)')
    .option('--no-cpp', 'do not run the C preprocessor');
  addTreeOptions(cmd, 'with several inputs: compile');
  addReportOptions(cmd);
  cmd.addHelpText('after', `\n${inputHelp({ bindings: false })}\nFindings go to stderr; with --format json|sarif|github and no -o they go to stderr too (stdout is the tree).\n${TREE_HELP}\n${EXIT_POLICY}`);
  addExample(cmd, 'dtkit compile -I include -@ -o board.dtb board.dts', 'dtkit compile -I dtb -O dts board.dtb', "dtkit compile --preset kernel --out-dir out 'arch/arm64/boot/dts/qcom/*.dts'");
  cmd.action(async (inputs: string[], opts: CompileCliOptions) => {
    const io: CompileIo = {
      stdout: (d) => process.stdout.write(d),
      stderr: (t) => process.stderr.write(t),
      stdoutIsTTY: process.stdout.isTTY, stderrIsTTY: process.stderr.isTTY,
    };
    setExit(await runCompileCommand(inputs, opts, io));
  });
};
