// What every command shares on its command line: exit codes, repeatable options, the
// input options (-I/-i/--no-detect, with dtc's -I FORMAT), the report options
// (--format, --color) and the rule switches (-W/-E), each defined once.
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { CommanderError, Option } from 'commander';
import type { InputFormat } from '../input/kind.js';
import { listPresets } from '../checks/presets.js';

export const EXIT = { OK: 0, INPUT: 1, USAGE: 2, INTERNAL: 70 } as const;

/** commander's accumulator for a repeatable option (no default: help shows none). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** One message style for every error that is not about a place in a file. */
export function errorLine(message: string): string {
  return `dtkit: error: ${message}\n`;
}

export function infoLine(message: string): string {
  return `dtkit: info: ${message}\n`;
}

export function warningLine(message: string): string {
  return `dtkit: warning: ${message}\n`;
}

/** A usage error: said once, exit 2. */
export class UsageError extends Error {}

/** Runs a command, turning a UsageError into its message on `err` and exit 2. */
export function withUsage(err: (text: string) => void, run: () => number): number {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(errorLine(e.message));
    return EXIT.USAGE;
  }
}

export async function withUsageAsync(err: (text: string) => void, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(errorLine(e.message));
    return EXIT.USAGE;
  }
}

// ---- input options ----------------------------------------------------------------------

export interface InputFlags {
  include?: string[];
  dtcInclude?: string[];
  detect?: boolean;
}

export interface InputSettings {
  includeDirs: string[];
  /** dtc's -I FORMAT, when given */
  format?: InputFormat;
  detect: boolean;
}

const FORMAT_WORDS: readonly InputFormat[] = ['dts', 'dtb'];

/**
 * -I takes include folders (cpp's sense) and, where it is unambiguous, dtc's input format:
 * `-I dts` or `-I dtb` is a format unless a folder of that name exists here (then it is
 * that folder). -i folders (dtc's sense) are searched after the -I ones.
 */
export function inputSettings(o: InputFlags, isFolder: (d: string) => boolean = isDirectory): InputSettings {
  const includeDirs: string[] = [];
  let format: InputFormat | undefined;
  for (const arg of o.include ?? []) {
    if ((FORMAT_WORDS as string[]).includes(arg) && !isFolder(arg)) {
      if (format && format !== arg) throw new UsageError(`-I ${format} and -I ${arg} contradict each other`);
      format = arg as InputFormat;
    } else {
      includeDirs.push(arg);
    }
  }
  includeDirs.push(...(o.dtcInclude ?? []));
  for (const d of includeDirs) if (d === '') throw new UsageError('an include folder name is empty');
  return { includeDirs, format, detect: o.detect !== false };
}

function isDirectory(d: string): boolean {
  try {
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
}

/** The input rules, said once under each command's help. */
export function inputHelp(opts: { bindings: boolean }): string {
  return `Inputs are read by content: a DTB/DTBO is recognised by its magic number, whatever its
name; anything else is DTS source. \`-\` is standard input.
Inside a kernel tree (Documentation/devicetree/bindings, scripts/dtc/include-prefixes,
arch/ARCH/boot/dts) or a devicetree-rebasing tree (Bindings/, include/, src/ARCH/), dtkit
uses the include folders${opts.bindings ? ' and bindings' : ''} the kernel's build uses; -I folders are searched
first${opts.bindings ? ', --schemas replaces the tree\'s bindings' : ''}, --no-detect turns detection off.
dtc's spelling is accepted: -I dts / -I dtb name the input format (unless a folder of that
name exists here: then it is that include folder), -i DIR is an include folder.`;
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('-I, --include <dir>', 'include folder for #include, /include/ and /incbin/, searched before the tree\'s and dtkit\'s own (repeatable); dtc\'s "-I dts|dtb" input format is accepted too', collect)
    .option('-i, --dtc-include <dir>', 'include folder, as dtc -i (repeatable)', collect)
    .option('--no-detect', 'do not look for the kernel tree the input lives in');
}

// ---- report options ---------------------------------------------------------------------

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function addReportOptions(cmd: Command, formats: readonly string[] = REPORT_FORMATS): Command {
  return cmd
    .addOption(new Option('--format <format>', 'how to report findings').choices(formats).default('text'))
    .option('--color', 'colour the text report even when not on a terminal')
    .option('--no-color', 'never colour the text report (NO_COLOR=1 does the same)');
}

// ---- rule switches ----------------------------------------------------------------------

export interface RuleFlags {
  warning?: string[];
  error?: string[];
  preset?: string;
}

/** --preset, --list-presets and -W/-E: every command that reports check findings. */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--preset <name>', `check preset: ${listPresets().map((p) => p.name).join(', ')} (default dtc; --list-presets says what each is); -W/-E and a config file's rules apply after it`)
    .option('--list-presets', 'list the check presets and exit')
    .on('option:list-presets', () => {
      process.stdout.write(presetListText());
      throw new CommanderError(0, 'dtkit.listPresets', '');
    })
    .option('-W, --warning <rule>', 'report RULE as a warning; no-RULE switches it off (repeatable; dtc\'s checks keep dtc\'s -W semantics)', collect)
    .option('-E, --error <rule>', 'report RULE as an error; no-RULE switches it off (repeatable; dtc\'s checks keep dtc\'s -E semantics)', collect);
}

/** `--list-presets`: one line per preset, its name and what it is. */
export function presetListText(): string {
  const presets = listPresets();
  const width = Math.max(...presets.map((p) => p.name.length));
  return presets.map((p) => `${p.name.padEnd(width)}  ${p.description}${p.vendorRows ? '' : ' (no dtkit vendor rows)'}\n`).join('');
}

// ---- whole trees: config, inputs, baseline, exit policy ---------------------------------

export interface TreeFlags extends ConfigFlags {
  jobs?: string;
  shard?: string;
  timings?: boolean;
  baseline?: string;
  writeBaseline?: string;
  prune?: boolean;
  maxWarnings?: string;
}

export interface ConfigFlags {
  /** --config FILE; false: --no-config */
  config?: string | false;
}

/** --config FILE / --no-config: every command that reads an input's dtkit.config.yaml. */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'use this dtkit.config.yaml (default: the nearest one above each input, else above the current folder)')
    .option('--no-config', 'use no config file');
}

/** The options of a run over many inputs (validate, compile). */
export function addTreeOptions(cmd: Command, what: string): Command {
  return addConfigOptions(cmd)
    .option('-j, --jobs <n>', `${what} over this many worker threads (default: one per core)`)
    .option('--shard <i/n>', 'take every n-th input from the i-th (CI matrices: the n shards give exactly the whole run\'s findings)')
    .option('--timings', 'list the slowest inputs after the summary')
    .option('--baseline <file>', 'report only findings not in this baseline (its entries that match nothing are info findings)')
    .option('--prune', 'with --baseline: remove the entries that match nothing from the file')
    .option('--write-baseline <file>', 'record the findings in this baseline instead of reporting them (exit 0)')
    .option('--max-warnings <n>', 'exit 1 when there are more than N warnings (default: warnings never fail)');
}

/** A count option (--jobs, --max-warnings): a whole number from `min`, else a usage error. */
export function countOption(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`bad ${name} '${text}' (a whole number${min > 0 ? ` from ${min}` : ''})`);
  return n;
}

export const TREE_HELP = `Inputs may be files, folders (every input file under them, recursively) and globs
('boards/**/*.dts', quoted: dtkit expands them itself). Each input's dtkit.config.yaml is the
nearest one above it (else above the current folder); its keys (preset, include, schemas,
host, overlays, rules, iommu-page-size, require-devmem) are what the flags say, and a flag
given here wins over the file. --shard I/N checks every N-th input from the I-th.
Suppression comments in sources: /* dtkit-disable-next-line RULE[, RULE] */ silences those
rules on the next line, /* dtkit-disable-file RULE */ in the whole file; one that silences
nothing is a warning [suppress_unused].`;

/** Under the help of a command with one base input (apply, overlay, devmem check/map): what its config file gives. */
export function configHelp(input: string, keys: string): string {
  return `The dtkit.config.yaml nearest above ${input} (else above the current folder; --config FILE,
--no-config) gives ${keys}; a flag given here wins over the file; a wrong key or
value in the file is an error at its file:line:col (exit 2).`;
}

export const EXIT_POLICY = `Exit status: 0 when there is no error (warnings do not fail a run unless --max-warnings N
is exceeded), 1 on any error or too many warnings, 2 on a usage or config file error.`;

/** One example under a command's help. */
export function addExample(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
