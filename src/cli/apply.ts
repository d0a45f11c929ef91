// `dtkit apply BASE OVERLAY... -o OUT`: fdtoverlay's result, byte for byte, with failures
// named and located. Inputs are read by the input stage: a source base is compiled with -@
// and source overlays as the kernel compiles them, so findings point at source lines. A
// base that looks like an overlay (or an overlay that looks like a base) is warned about.
// All-or-nothing: on any error nothing is written (an existing OUT is left as it was).
// The base's dtkit.config.yaml (src/config) gives the preset, include folders and rule levels.
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import { loadComposite } from '../input/composite.js';
import { STDIN_ARG } from '../input/paths.js';
import { sourceLines } from '../report/render.js';
import type { RegisterCommand } from './commands.js';
import type { ConfigFlags, InputFlags, ReportFormat } from './options.js';
import {
  EXIT, inputHelp, UsageError, addConfigOptions, addExample, addInputOptions, addReportOptions, addRuleOptions, configHelp, inputSettings, withUsage,
} from './options.js';
import { writeFilesAtomically } from './output.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { readStdin } from './stdin.js';
import { baseInputSettings, settingFlags } from './tree.js';
import { outputPathError, writeOutputs } from './write.js';

export interface ApplyCommandOptions extends InputFlags, ConfigFlags {
  output: string;
  strict?: boolean;
  format?: ReportFormat;
  color?: boolean;
  warning?: string[];
  error?: string[];
  preset?: string;
  /** also show the compile warnings of source inputs (errors always show) */
  compileWarnings?: boolean;
}

/** Where the command reads and writes; tests pass their own. */
export interface ApplyIo extends ReportStreams {
  host: Host;
  /** writes a file whole (temp file + rename), or returns why it could not */
  writeFile(file: string, bytes: Uint8Array): string | undefined;
  readStdin?: () => Uint8Array | undefined;
}

export const applyProcessIo: ApplyIo = {
  host: nodeHost,
  err: (t) => process.stderr.write(t),
  out: (t) => process.stdout.write(t),
  writeFile: (file, data) => writeFilesAtomically([{ file, data }]),
  readStdin,
  // asked only when a finding is written: taking a stream makes it (see stdio.ts)
  get outIsTTY() {
    return process.stdout.isTTY;
  },
  get errIsTTY() {
    return process.stderr.isTTY;
  },
};

export async function runApply(base: string, overlays: string[], opts: ApplyCommandOptions, io: ApplyIo): Promise<number> {
  return withUsage(io.err, () => apply(base, overlays, opts, io));
}

function apply(base: string, overlays: string[], opts: ApplyCommandOptions, io: ApplyIo): number {
  const settings = inputSettings(opts);
  if ([base, ...overlays].filter((f) => f === STDIN_ARG).length > 1) throw new UsageError('standard input (-) can be read only once');
  if (opts.output === '-') throw new UsageError('apply writes a file: give -o a file name');
  // the base's dtkit.config.yaml: preset, include, rules (flags override it)
  const s = baseInputSettings(base, settingFlags(opts), io.host, io.err);
  if (!s) return EXIT.USAGE;
  const levels = s.levels;
  const pathError = outputPathError([opts.output]);
  if (pathError) {
    io.err(pathError);
    return EXIT.INPUT;
  }
  const reporter = new Reporter({ command: 'apply', format: opts.format ?? 'text', color: opts.color, levels, textTo: 'err' }, io);
  const c = loadComposite(base, overlays, {
    host: io.host, includeDirs: s.includeDirs, detect: settings.detect, format: settings.format,
    readStdin: io.readStdin, compile: { checkLevels: levels.checks, dtcVersion: s.table }, strictPhandles: opts.strict, tree: false,
  });
  // the inputs' own lint is `dtkit compile`'s business; here it would bury the apply findings
  const lint = new Set([c.base, ...c.overlays].flatMap((i) => i.diagnostics.filter((d) => d.severity !== 'error')));
  const shown = opts.compileWarnings ? c.diagnostics : c.diagnostics.filter((d) => !lint.has(d));
  reporter.add(shown, { lineText: sourceLines(new Map(), (f) => c.sourceText(f) ?? readText(io.host, f)) });
  let written = false;
  if (c.bytes && !reporter.hasErrors) written = writeOutputs([{ file: opts.output, data: c.bytes }], io.err, ([f]) => io.writeFile(f.file, f.data as Uint8Array));
  reporter.finish({ output: written ? opts.output : null });
  return written ? EXIT.OK : EXIT.INPUT;
}

export const registerApply: RegisterCommand = (program, setExit) => {
  const cmd = program
    .command('apply')
    .description('apply overlays to a base like fdtoverlay (byte-identical output); source inputs are compiled with -@ first')
    .argument('<base>', 'the base: a DTB (by content), or DTS source compiled here with -@; - for standard input')
    .argument('<overlays...>', 'overlays (DTBO, or DTS source compiled here), applied in order')
    .requiredOption('-o, --output <file>', '(required) the composite DTB to write, only when every overlay applies');
  addInputOptions(cmd)
    .option('--strict', 'refuse an overlay that changes the phandle of an existing base node')
    .option('--compile-warnings', 'also show the compile warnings of source inputs');
  addRuleOptions(cmd);
  addConfigOptions(cmd);
  addReportOptions(cmd);
  cmd.addHelpText('after', `\n${inputHelp({ bindings: false })}\n${configHelp('the base', 'preset, include, rules')}`);
  addExample(cmd, 'dtkit apply lemans-evk.dtb lemans-el2.dtbo -o lemans-evk-el2.dtb');
  cmd.action(async (base: string, overlays: string[], opts: ApplyCommandOptions) => {
    setExit(await runApply(base, overlays, opts, applyProcessIo));
  });
};
