// `dtkit compile`: cpp + dtc in one step, and dtc's `-I dtb` too (a blob input, recognised
// by its magic number, is read, checked and written again, e.g. `-O dts` prints what
// `dtc -I dtb -O dts` prints). Errors print as `file:line:col: error: ...` with the
// include/expansion chain and a source excerpt; exit 1 on input errors, 2 on usage
// errors. Output is written atomically and only when the compile succeeded; without -o
// the DTB goes to stdout, as dtc does.
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CheckLevel } from '../checks/types.js';
import type { CompileOptions } from '../compile/compile.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import { loadInput } from '../input/load.js';
import { writeFailure } from '../input/paths.js';
import type { InputOptions } from '../input/load.js';
import { sourceLines } from '../report/render.js';
import { colorEnabled } from '../report/style.js';
import { latin1Bytes } from '../tree/value.js';
import type { RegisterCommand } from './commands.js';
import type { InputFlags, ReportFormat } from './options.js';
import {
  EXIT, inputHelp, UsageError, addExample, withUsage, withUsageAsync, addInputOptions, addReportOptions, addRuleOptions, collect, errorLine, inputSettings,
} from './options.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { resolveRuleSwitches } from './rules.js';
import type { RuleLevels } from './rules.js';
import { readStdin } from './stdin.js';
import { writeFileAtomically } from './output.js';
import { outputPathError, writeOutputs } from './write.js';

export interface CompileCliOptions extends InputFlags {
  define?: string[];
  undefine?: string[];
  outFormat: string;
  bootCpu?: string;
  symbols?: boolean;
  output?: string;
  cpp: boolean;
  warning?: string[];
  error?: string[];
  quiet?: boolean;
  outDir?: string;
  jobs?: string;
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

interface CompileSettings {
  format: 'dtb' | 'dts';
  levels: RuleLevels;
  input: InputOptions & { compile: CompileOptions & { checkLevels: Map<string, CheckLevel> } };
}

/** The options both paths share, checked once (a problem is a UsageError). */
function compileSettings(opts: CompileCliOptions, io: CompileIo): CompileSettings {
  if (!OUT_FORMATS.includes(opts.outFormat)) {
    throw new UsageError(`unknown output format '${opts.outFormat}' (-O takes ${OUT_FORMATS.join(' or ')})`);
  }
  const bootCpuid = opts.bootCpu === undefined ? undefined : Number(opts.bootCpu);
  if (bootCpuid !== undefined && (!Number.isInteger(bootCpuid) || bootCpuid < 0 || bootCpuid > 0xffffffff)) {
    throw new UsageError(`bad boot cpu id '${opts.bootCpu}'`);
  }
  const levels = resolveRuleSwitches(opts.warning, opts.error);
  const input = inputSettings(opts);
  return {
    format: opts.outFormat as 'dtb' | 'dts',
    levels,
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
        checkLevels: levels.checks,
      },
    },
  };
}

function streams(io: CompileIo): ReportStreams {
  return { out: (t) => io.stdout(latin1Bytes(t)), err: io.stderr, outIsTTY: io.stdoutIsTTY, errIsTTY: io.stderrIsTTY };
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
  const reporter = new Reporter(
    { command: 'compile', format: opts.format ?? 'text', color: opts.color, levels: settings.levels, textTo: 'err', stdoutIsData: toStdout },
    streams(io),
  );
  const loaded = loadInput(input, settings.input);
  if (loaded.tree && loaded.format === 'dtb' && settings.input.compile.bootCpuid !== undefined) {
    loaded.tree.bootCpuid = settings.input.compile.bootCpuid;
  }
  const shown = opts.quiet ? loaded.diagnostics.filter((d) => d.severity === 'error') : loaded.diagnostics;
  reporter.add(shown, { lineText: sourceLines(loaded.sources, (f) => readText(settings.input.host, f)) });
  const ok = loaded.ok && loaded.tree && !reporter.hasErrors;
  let code: number = ok ? EXIT.OK : EXIT.INPUT;
  if (ok && loaded.tree) {
    const data = settings.format === 'dts' ? latin1Bytes(printDts(loaded.tree)) : writeFdt(loaded.tree);
    if (toStdout) io.stdout(data);
    else if (!writeOutputs([{ file: opts.output!, data }], io.stderr)) code = EXIT.INPUT;
  }
  reporter.finish();
  return code;
}

/** Several inputs (or --out-dir): compile them over worker threads into OUT-DIR. */
export async function runCompileBatch(inputs: string[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  return withUsageAsync(io.stderr, () => compileMany(inputs, opts, io));
}

async function compileMany(inputs: string[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  if (!opts.outDir) throw new UsageError('several inputs need --out-dir');
  if (opts.output !== undefined) throw new UsageError('-o takes one input; use --out-dir with several');
  if (inputs.includes('-')) throw new UsageError('standard input (-) takes one input, not --out-dir');
  if ((opts.format ?? 'text') !== 'text') throw new UsageError(`--format ${opts.format} takes one input; the batch reports as text`);
  const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`bad --jobs '${opts.jobs}'`);
  const settings = compileSettings(opts, io);
  try {
    fs.mkdirSync(opts.outDir, { recursive: true });
  } catch (e) {
    io.stderr(errorLine(`cannot create the folder '${opts.outDir}': ${writeFailure(e as NodeJS.ErrnoException)}`));
    return EXIT.INPUT;
  }
  const { format } = settings;
  const { host: _host, readStdin: _stdin, compile, ...input } = settings.input;
  // worker threads only for a batch: one board is compiled in this thread
  const { batchOutput, compileBatch } = await import('../batch/batch.js');
  const outcomes = await compileBatch(
    inputs.map((i) => ({ input: i, output: batchOutput(i, opts.outDir!, format) })),
    {
      jobs, outFormat: format, quiet: opts.quiet, compile: { ...compile, checkLevels: [...compile.checkLevels] }, input,
      write: writeFileAtomically,
      render: { levels: [...settings.levels.all], color: colorEnabled({ flag: opts.color, isTTY: io.stderrIsTTY }) },
    },
  );
  let failed = 0;
  for (const o of outcomes) {
    if (o.messages) io.stderr(`${o.messages}\n`);
    if (!o.ok) failed++;
  }
  if (failed) io.stderr(errorLine(`${failed} of ${inputs.length} inputs failed`));
  return failed ? EXIT.INPUT : EXIT.OK;
}

export const registerCompile: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('compile')
    .description('compile .dts/.dtsi/.dtso to a DTB (or DTS), byte-identical to cpp + dtc; a DTB input is read as dtc -I dtb reads it')
    .argument('<inputs...>', 'device-tree source(s) or blob(s), - for standard input; several need --out-dir');
  addInputOptions(cmd)
    .option('-D, --define <name[=value]>', 'define a preprocessor macro (repeatable)', collect)
    .option('-U, --undefine <name>', 'undefine a preprocessor macro (repeatable)', collect)
    .addOption(new Option('-O, --out-format <format>', 'output format').choices(OUT_FORMATS).default('dtb'))
    .option('-b, --boot-cpu <n>', 'boot CPU id written to the DTB header')
    .option('-@, --symbols', 'generate __symbols__ (for overlays)');
  addRuleOptions(cmd)
    .option('-q, --quiet', 'print errors only, not warnings')
    .option('-o, --output <file>', 'output file (default: standard output)')
    .option('--out-dir <dir>', 'with several inputs: write <name>.dtb/.dtbo there')
    .option('-j, --jobs <n>', 'with several inputs: worker threads (default: one per core)')
    .option('--no-cpp', 'do not run the C preprocessor');
  addReportOptions(cmd);
  cmd.addHelpText('after', `\n${inputHelp({ bindings: false })}\nFindings go to stderr; with --format json|sarif|github and no -o they go to stderr too (stdout is the tree).`);
  addExample(cmd, 'dtkit compile -I include -@ -o board.dtb board.dts', 'dtkit compile -I dtb -O dts board.dtb');
  cmd.action(async (inputs: string[], opts: CompileCliOptions) => {
    const io: CompileIo = {
      stdout: (d) => process.stdout.write(d),
      stderr: (t) => process.stderr.write(t),
      stdoutIsTTY: process.stdout.isTTY, stderrIsTTY: process.stderr.isTTY,
    };
    setExit(inputs.length === 1 && !opts.outDir ? runCompile(inputs[0], opts, io) : await runCompileBatch(inputs, opts, io));
  });
};
