// `dtkit apply BASE OVERLAY... -o OUT`: fdtoverlay's result, byte for byte, with failures
// named and located. BASE may be a .dts (compiled here with -@) and overlays .dtso
// (compiled here, as the kernel does, with -@), so findings point at source lines.
// All-or-nothing: on any error nothing is written (an existing OUT is left as it was).
import * as path from 'node:path';
import { Option } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import type { ApplyResult, OverlayInput } from '../overlay/apply.js';
import { applyOverlays } from '../overlay/apply.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';
import { writeFileAtomically } from './output.js';
import type { RegisterCommand } from './commands.js';

export interface ApplyCommandOptions {
  output: string;
  include: string[];
  strict?: boolean;
  format: 'text' | 'json';
  /** also show the compile warnings of .dts/.dtso inputs (errors always show) */
  compileWarnings?: boolean;
}

/** Where the command reads and writes; tests pass their own. */
export interface ApplyIo {
  host: Host;
  err(text: string): void;
  out(text: string): void;
  /** writes a file whole (temp file + rename), or returns why it could not */
  writeFile(file: string, bytes: Uint8Array): string | undefined;
}

export const applyProcessIo: ApplyIo = {
  host: nodeHost,
  err: (t) => process.stderr.write(t),
  out: (t) => process.stdout.write(t),
  writeFile: writeFileAtomically,
};

const EXIT_OK = 0, EXIT_INPUT = 1;

interface Input {
  bytes?: Uint8Array;
  tree?: Tree;
  diagnostics: Diagnostic[];
}

/** Source inputs compile in this run; anything else is read as a blob. */
const isSource = (file: string): boolean => /\.dtsi?$|\.dtso$/.test(file);

async function loadInput(file: string, opts: ApplyCommandOptions, io: ApplyIo, sources: Map<string, string>): Promise<Input> {
  if (!isSource(file)) {
    const bytes = io.host.readFile(file);
    if (bytes) return { bytes, diagnostics: [] };
    return { diagnostics: [{ rule: 'io', severity: 'error', message: `cannot read ${file}`, file }] };
  }
  // loaded only for source inputs: blob-only runs stay quick to start
  const [{ compileFile }, { writeFdt }, { ensureOverlayNodes }, { Diagnostics }] = await Promise.all([
    import('../compile/compile.js'),
    import('../fdt/writer.js'),
    import('../overlay/transforms.js'),
    import('../report/diagnostic.js'),
  ]);
  const dirs = [...opts.include, path.dirname(file)];
  const r = compileFile(file, { host: io.host, includeDirs: dirs, symbols: true });
  for (const [f, t] of r.sources) sources.set(f, t);
  // the inputs' own lint is `dtkit compile`'s business; here it would bury the apply findings
  const shown = opts.compileWarnings ? r.diagnostics : r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.ok || !r.tree) return { diagnostics: shown };
  const diags = new Diagnostics();
  ensureOverlayNodes(r.tree, diags, { symbols: true });
  return { bytes: writeFdt(r.tree), tree: r.tree, diagnostics: [...shown, ...diags.items] };
}

async function report(ds: Diagnostic[], opts: ApplyCommandOptions, io: ApplyIo, sources: Map<string, string>): Promise<void> {
  if (opts.format !== 'json' && ds.length === 0) return;
  // loaded only when there is something to print: a clean apply skips the renderer
  const { renderAllText, sortDiagnostics, sourceLines, toJsonRecord } = await import('../report/render.js');
  if (opts.format === 'json') {
    io.out(`${JSON.stringify(sortDiagnostics(ds).map(toJsonRecord), null, 2)}\n`);
    return;
  }
  io.err(`${renderAllText(ds, { lineText: sourceLines(sources) })}\n`);
}

export async function runApply(base: string, overlays: string[], opts: ApplyCommandOptions, io: ApplyIo): Promise<number> {
  const sources = new Map<string, string>();
  const findings: Diagnostic[] = [];
  const b = await loadInput(base, opts, io, sources);
  findings.push(...b.diagnostics);
  const inputs: OverlayInput[] = [];
  for (const file of overlays) {
    const o = await loadInput(file, opts, io, sources);
    findings.push(...o.diagnostics);
    if (o.bytes) inputs.push({ bytes: o.bytes, file, source: o.tree });
  }
  if (!b.bytes || inputs.length !== overlays.length || findings.some((d) => d.severity === 'error')) {
    await report(findings, opts, io, sources);
    return EXIT_INPUT;
  }
  const result: ApplyResult = applyOverlays(b.bytes, inputs, { baseFile: base, strictPhandles: opts.strict });
  findings.push(...result.diagnostics);
  let code = EXIT_INPUT;
  if (result.bytes) {
    const failure = io.writeFile(opts.output, result.bytes);
    if (failure === undefined) code = EXIT_OK;
    else findings.push({ rule: 'io', severity: 'error', message: `cannot write ${opts.output}: ${failure}`, file: opts.output });
  }
  await report(findings, opts, io, sources);
  return code;
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

export const registerApply: RegisterCommand = (program, setExit) => {
  program
    .command('apply')
    .description('apply overlays to a base like fdtoverlay (byte-identical output); .dts/.dtso inputs are compiled with -@ first')
    .argument('<base>', 'base .dtb, or .dts compiled here with -@')
    .argument('<overlays...>', 'overlays (.dtbo, or .dtso compiled here), applied in order')
    .requiredOption('-o, --output <file>', 'composite .dtb to write (only when every overlay applies)')
    .option('-I, --include <dir>', 'include folder for .dts/.dtso inputs; repeatable', collect, [])
    .option('--strict', 'refuse an overlay that changes the phandle of an existing base node')
    .option('--compile-warnings', 'also show the compile warnings of .dts/.dtso inputs')
    .addOption(new Option('--format <format>', 'diagnostics format').choices(['text', 'json']).default('text'))
    .action(async (base: string, overlays: string[], opts: ApplyCommandOptions) => {
      setExit(await runApply(base, overlays, opts, applyProcessIo));
    });
};
