// `dtkit compile`: cpp + dtc in one step. Errors print as `file:line:col: error: ...` with
// the include/expansion chain and a source excerpt; exit 1 on input errors, 2 on usage
// errors. Output is written atomically (temp + rename) and only when the compile succeeded;
// without -o the DTB goes to stdout, as dtc does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parseCheckSwitch, resolveCheckLevels } from '../checks/switches.js';
import { dtcChecks } from '../checks/table.js';
import type { CheckLevel } from '../checks/types.js';
import { batchOutput, compileBatch } from '../compile/batch.js';
import { compileFile } from '../compile/compile.js';
import type { CompileOptions } from '../compile/compile.js';
import { includeDirsWithShipped } from '../qcom/include.js';
import { printDts } from '../dts/print.js';
import { writeFdt } from '../fdt/writer.js';
import { renderAllText, sourceLines } from '../report/render.js';
import { latin1Bytes } from '../tree/value.js';
import type { RegisterCommand } from './commands.js';
import { writeFileAtomically } from './output.js';

export interface CompileCliOptions {
  include: string[];
  define: string[];
  undefine: string[];
  outFormat: string;
  bootCpu?: string;
  symbols?: boolean;
  output?: string;
  cpp: boolean;
  warning: string[];
  error: string[];
  quiet?: boolean;
  outDir?: string;
  jobs?: string;
}

export interface CompileIo {
  stdout(data: Uint8Array): void;
  stderr(text: string): void;
}

const EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2;

const collect = (v: string, acc: string[]) => [...acc, v];


/** -W/-E switches resolved as dtc does (prerequisites raised, dependents lowered);
 *  an unknown check name is a usage error. */
function checkLevels(warnings: string[], errors: string[], io: CompileIo): Map<string, CheckLevel> | undefined {
  const switches = [...warnings.map((w) => parseCheckSwitch(w, 'W')), ...errors.map((e) => parseCheckSwitch(e, 'E'))];
  const { levels, unknown } = resolveCheckLevels(switches, dtcChecks());
  if (unknown.length === 0) return levels;
  io.stderr(`dtkit compile: error: unknown check '${unknown[0]}' (see dtc's check names)\n`);
  return undefined;
}

interface CompileSettings {
  format: 'dtb' | 'dts';
  compile: CompileOptions & { checkLevels: Map<string, CheckLevel> };
}

/** The options both paths share, checked once; undefined after a usage error was printed. */
function compileSettings(opts: CompileCliOptions, io: CompileIo): CompileSettings | undefined {
  if (opts.outFormat !== 'dtb' && opts.outFormat !== 'dts') {
    io.stderr(`dtkit compile: error: unknown output format '${opts.outFormat}' (use dtb or dts)\n`);
    return undefined;
  }
  const bootCpuid = opts.bootCpu === undefined ? undefined : Number(opts.bootCpu);
  if (bootCpuid !== undefined && (!Number.isInteger(bootCpuid) || bootCpuid < 0 || bootCpuid > 0xffffffff)) {
    io.stderr(`dtkit compile: error: bad boot cpu id '${opts.bootCpu}'\n`);
    return undefined;
  }
  const levels = checkLevels(opts.warning, opts.error, io);
  if (!levels) return undefined;
  return {
    format: opts.outFormat,
    compile: {
      includeDirs: includeDirsWithShipped(opts.include),
      defines: opts.define,
      undefines: opts.undefine,
      cpp: opts.cpp,
      symbols: opts.symbols,
      bootCpuid,
      checkLevels: levels,
    },
  };
}

export function runCompile(input: string, opts: CompileCliOptions, io: CompileIo): number {
  const settings = compileSettings(opts, io);
  if (!settings) return EXIT_USAGE;
  if (!fs.existsSync(input)) {
    io.stderr(`dtkit compile: error: cannot read '${input}'\n`);
    return EXIT_INPUT;
  }
  const result = compileFile(input, settings.compile);
  const shown = opts.quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  if (shown.length) {
    io.stderr(`${renderAllText(shown, { lineText: sourceLines(result.sources, readSource) })}\n`);
  }
  if (!result.ok || !result.tree) return EXIT_INPUT;
  const data = settings.format === 'dts' ? latin1Bytes(printDts(result.tree)) : writeFdt(result.tree);
  if (!opts.output || opts.output === '-') {
    io.stdout(data);
    return EXIT_OK;
  }
  const why = writeFileAtomically(opts.output, data);
  if (why) {
    io.stderr(`dtkit compile: error: cannot write '${opts.output}': ${why}\n`);
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

function readSource(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

/** Several inputs (or --out-dir): compile them over worker threads into OUT-DIR. */
export async function runCompileBatch(inputs: string[], opts: CompileCliOptions, io: CompileIo): Promise<number> {
  if (!opts.outDir) {
    io.stderr('dtkit compile: error: several inputs need --out-dir\n');
    return EXIT_USAGE;
  }
  if (opts.output) {
    io.stderr('dtkit compile: error: -o takes one input; use --out-dir with several\n');
    return EXIT_USAGE;
  }
  const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    io.stderr(`dtkit compile: error: bad --jobs '${opts.jobs}'\n`);
    return EXIT_USAGE;
  }
  const settings = compileSettings(opts, io);
  if (!settings) return EXIT_USAGE;
  fs.mkdirSync(opts.outDir, { recursive: true });
  const { format } = settings;
  const outcomes = await compileBatch(
    inputs.map((input) => ({ input, output: batchOutput(input, opts.outDir!, format) })),
    {
      jobs,
      outFormat: format,
      quiet: opts.quiet,
      compile: { ...settings.compile, checkLevels: [...settings.compile.checkLevels] },
      write: writeFileAtomically,
    },
  );
  let failed = 0;
  for (const o of outcomes) {
    if (o.messages) io.stderr(`${o.messages}\n`);
    if (!o.ok) failed++;
  }
  if (failed) io.stderr(`dtkit compile: ${failed} of ${inputs.length} inputs failed\n`);
  return failed ? EXIT_INPUT : EXIT_OK;
}

export const registerCompile: RegisterCommand = (program: Command, setExit) => {
  program
    .command('compile')
    .description('compile .dts/.dtsi/.dtso to a DTB (or DTS), byte-identical to cpp + dtc')
    .argument('<inputs...>', 'device-tree source(s); several need --out-dir')
    .option('-I, --include <dir>', 'search folder for #include, /include/ and /incbin/ (repeatable)', collect, [])
    .option('-D, --define <name[=value]>', 'define a preprocessor macro (repeatable)', collect, [])
    .option('-U, --undefine <name>', 'undefine a preprocessor macro (repeatable)', collect, [])
    .option('-O, --out-format <format>', 'dtb or dts', 'dtb')
    .option('-b, --boot-cpu <n>', 'boot CPU id written to the DTB header')
    .option('-@, --symbols', 'generate __symbols__ (for overlays)')
    .option('-W, --warning <check>', 'set a check to warning (no-<check>: off)', collect, [])
    .option('-E, --error <check>', 'set a check to error (no-<check>: off)', collect, [])
    .option('-q, --quiet', 'print errors only, not warnings')
    .option('-o, --output <file>', 'output file (default: stdout)')
    .option('--out-dir <dir>', 'with several inputs: write <name>.dtb/.dtbo there')
    .option('-j, --jobs <n>', 'with several inputs: worker threads (default: one per core)')
    .option('--no-cpp', 'do not run the C preprocessor')
    .action(async (inputs: string[], opts: CompileCliOptions) => {
      const io: CompileIo = {
        stdout: (d) => process.stdout.write(d),
        stderr: (t) => process.stderr.write(t),
      };
      setExit(inputs.length === 1 && !opts.outDir ? runCompile(inputs[0], opts, io) : await runCompileBatch(inputs, opts, io));
    });
};
