// `dtkit devmem`: Qualcomm PAS remote processors on a KVM host.
//   decode ROWS            table of typed qcom,devmem rows, then every problem found
//   check BOARD            the same per PAS remote processor of a board (+ overlays)
//   encode --da --size ..  one valid row, or the reason it would not be
//   map BOARD -o map.svg   the IOVA and physical spaces as an SVG
// check and map read the board's dtkit.config.yaml (src/config): preset, include folders,
// rule levels, host, iommu-page-size, require-devmem; their flags override it.
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { runChecks } from '../checks/run.js';
import { SWAPPED_RULE, loadComposite } from '../input/composite.js';
import type { LoadedComposite } from '../input/composite.js';
import { describeSourceTree } from '../input/layout.js';
import { sourceTreeOf } from '../input/load.js';
import { STDIN_ARG, STDIN_NAME } from '../input/paths.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { jsonFinding, jsonReport } from '../report/json.js';
import { renderAllText, sortDiagnostics, sourceLines } from '../report/render.js';
import type { SourceSpan } from '../report/source.js';
import { qcomChecks } from '../qcom/checks.js';
import type { PasPolicy } from '../qcom/checks.js';
import type { DevmemRow } from '../qcom/devmem.js';
import { DEFAULT_IOMMU_PAGE_SIZE, DEVMEM_FLAGS, cellCountProblem, rowProblems, rowsFromCells } from '../qcom/devmem.js';
import { hexPadded, parseSize } from '../qcom/format.js';
import { parseFlagList, parseTypedCells } from '../qcom/parse-rows.js';
import type { RemoteprocReport } from '../qcom/report.js';
import { remoteprocReport, remoteprocText, rowJson, rowTable, selectRemoteprocs } from '../qcom/report.js';
import { renderDevmemMap } from '../qcom/svg.js';
import { phandleLookup } from '../tree/refs.js';
import { latin1Bytes } from '../tree/value.js';
import { VERSION } from '../version.js';
import type { RegisterCommand } from './commands.js';
import type { Settings } from '../config/settings.js';
import type { ConfigFlags, InputFlags, ReportFormat } from './options.js';
import {
  EXIT, inputHelp, UsageError, addConfigOptions, addExample, addInputOptions, addReportOptions, addRuleOptions, collect, configHelp, errorLine,
  inputSettings, withUsage,
} from './options.js';
import { writeFileAtomically } from './output.js';
import { Reporter } from './report.js';
import { baseInputSettings, settingFlags } from './tree.js';
import { outputPathError, writeOutputs } from './write.js';

/** Where a devmem action reads and writes; tests pass their own. */
export interface DevmemIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
  /** standard input as text, or undefined when it cannot be read */
  readStdin(): string | undefined;
  /** writes a file whole (temp file + rename), or returns why it could not */
  writeFile(file: string, text: string): string | undefined;
  outIsTTY?: boolean;
  errIsTTY?: boolean;
}

export const processIo: DevmemIo = {
  host: nodeHost,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  readStdin() {
    try {
      return fs.readFileSync(0, 'latin1');
    } catch {
      return undefined;
    }
  },
  writeFile: writeFileAtomically,
  outIsTTY: process.stdout.isTTY,
  errIsTTY: process.stderr.isTTY,
};

interface CommonOptions {
  format: ReportFormat;
  pageSize: string;
}

interface BoardOptions extends Omit<CommonOptions, 'pageSize'>, InputFlags, ConfigFlags {
  /** undefined: the config file's iommu-page-size, else 4K */
  pageSize?: string;
  node?: string;
  overlay?: string[];
  /** --host: the PAS policy (commander names the attribute after the flag) */
  host?: PasPolicy;
  requireDevmem?: boolean;
  warning?: string[];
  error?: string[];
  preset?: string;
  color?: boolean;
}

/** Warnings of loading `devmem check` still shows: the value written is not the value
 *  stored, and base and overlay look swapped. */
const KEPT_WARNINGS = new Set(['cell_overflow', SWAPPED_RULE]);

function pageSizeOf(text: string): number {
  const n = parseSize(text);
  if (n === undefined || n < 1 || (n & (n - 1)) !== 0 || n > 2 ** 30) {
    throw new UsageError(`--page-size '${text}' is not a power of two such as 4K or 64K`);
  }
  return n;
}

function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Text rendering with source excerpts, lines split once per file. */
function renderFindings(ds: Diagnostic[], sourceText: (f: string) => string | undefined): string {
  return renderAllText(ds, { lineText: sourceLines(new Map(), sourceText) });
}

// ---- decode ---------------------------------------------------------------------------

export function devmemDecode(input: string, opts: CommonOptions, io: DevmemIo): number {
  return withUsage(io.err, () => decode(input, opts, io));
}

function decode(input: string, opts: CommonOptions, io: DevmemIo): number {
  const pageSize = pageSizeOf(opts.pageSize);
  const file = input === STDIN_ARG ? STDIN_NAME : '<input>';
  const text = input === STDIN_ARG ? io.readStdin() : input;
  if (text === undefined) {
    io.err(errorLine('cannot read standard input'));
    return EXIT.INPUT;
  }
  const parsed = parseTypedCells(text, file);
  const diagnostics = [...parsed.diagnostics];
  let rows: DevmemRow[] = [];
  if (diagnostics.length === 0) {
    const count = cellCountProblem(parsed.cells.length);
    if (count) diagnostics.push({ rule: count.rule, severity: 'error', message: count.message, file });
    else rows = rowsFromCells(parsed.cells);
  }
  for (const p of rowProblems(rows, { pageSize })) {
    const span: SourceSpan | undefined = p.row === undefined ? undefined : parsed.spans[p.row * 4 + (p.cell ?? 0)];
    const notes = p.otherRow !== undefined ? [{ message: `row ${p.otherRow} is here`, span: parsed.spans[p.otherRow * 4 + (p.cell ?? 0)] }] : undefined;
    diagnostics.push({ rule: p.rule, severity: 'error', message: p.message, span, file, ...(notes ? { notes } : {}) });
  }
  if (opts.format === 'json') {
    const findings = sortDiagnostics(diagnostics).map((d) => jsonFinding(d));
    io.out(jsonReport({ command: 'devmem decode', version: VERSION, inputs: 1, diagnostics: findings, data: { rows: rows.map(rowJson) } }));
  } else {
    const lines = rows.length ? [`qcom,devmem: ${rows.length} row${rows.length === 1 ? '' : 's'}`, ...rowTable(rows)] : ['qcom,devmem: no rows'];
    lines.push('', diagnostics.length ? renderFindings(diagnostics, () => text) : 'no problems found');
    io.out(`${lines.join('\n')}\n`);
  }
  return hasErrors(diagnostics) ? EXIT.INPUT : EXIT.OK;
}

// ---- encode ---------------------------------------------------------------------------

export interface EncodeOptions extends CommonOptions {
  da: string;
  pa?: string;
  size: string;
  flags: string;
  numeric?: boolean;
}

function flagsText(flags: number, numeric: boolean): string {
  if (numeric) return hexPadded(flags, 1);
  const names = DEVMEM_FLAGS.filter((f) => flags & f.bit).map((f) => f.macro);
  return names.length === 1 ? names[0] : `(${names.join(' | ')})`;
}

export function devmemEncode(opts: EncodeOptions, io: DevmemIo): number {
  return withUsage(io.err, () => encode(opts, io));
}

function encode(opts: EncodeOptions, io: DevmemIo): number {
  const pageSize = pageSizeOf(opts.pageSize);
  const reasons: string[] = [];
  const number = (what: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const v = parseSize(text);
    if (v === undefined) reasons.push(`${what} '${text}' is not a number (0x.., decimal, or with K/M/G)`);
    else if (v > 0xffffffff) reasons.push(`${what} ${text} does not fit in 32 bits`);
    else return v;
    return undefined;
  };
  const da = number('--da', opts.da);
  const pa = opts.pa === undefined ? da : number('--pa', opts.pa);
  const size = number('--size', opts.size);
  const f = parseFlagList(opts.flags);
  if ('error' in f) reasons.push(`--flags: ${f.error}`);
  if (da !== undefined && pa !== undefined && size !== undefined && 'flags' in f) {
    const row: DevmemRow = { da, pa, size, flags: f.flags };
    for (const p of rowProblems([row], { pageSize })) reasons.push(p.detail ?? p.message);
    if (reasons.length === 0) {
      const dts = `<${hexPadded(da)} ${hexPadded(pa)} ${hexPadded(size, 1)} ${flagsText(row.flags, !!opts.numeric)}>`;
      if (opts.format === 'json') io.out(`${JSON.stringify({ ...rowJson(row, 0), cells: [da, pa, size, row.flags], dts }, null, 2)}\n`);
      else io.out(`${dts}\n`);
      return EXIT.OK;
    }
  }
  if (opts.format === 'json') io.out(`${JSON.stringify({ error: reasons }, null, 2)}\n`);
  for (const r of reasons) io.err(errorLine(r));
  return EXIT.INPUT;
}

// ---- check / map ----------------------------------------------------------------------

interface Inspected {
  board: LoadedComposite;
  diagnostics: Diagnostic[];
  reports: RemoteprocReport[];
}

/** The board's dtkit.config.yaml under the flags (undefined: a config error, printed; exit 2). */
function boardSettings(file: string, opts: BoardOptions, io: DevmemIo): Settings | undefined {
  return baseInputSettings(file, settingFlags(opts, { host: opts.host, requireDevmem: opts.requireDevmem }), io.host, io.err);
}

/** The board (with overlays) through the input stage, and the qcom rows on it. */
function inspectBoard(file: string, opts: BoardOptions, io: DevmemIo, reporter: Reporter, s: Settings): Inspected | number {
  const pageSize = opts.pageSize === undefined ? s.iommuPageSize : pageSizeOf(opts.pageSize);
  const levels = s.levels;
  const settings = { ...inputSettings(opts), includeDirs: s.includeDirs };
  const overlays = opts.overlay ?? [];
  if ([file, ...overlays].filter((f) => f === STDIN_ARG).length > 1) throw new UsageError('standard input (-) can be read only once');
  const layout = sourceTreeOf(file, settings);
  if (layout) reporter.info(`using the ${describeSourceTree(layout, { bindings: false })}`);
  const board = loadComposite(file, overlays, {
    host: io.host, includeDirs: settings.includeDirs, detect: settings.detect, format: settings.format,
    readStdin: () => {
      const t = io.readStdin();
      return t === undefined ? undefined : latin1Bytes(t);
    },
    compile: { checkLevels: levels.checks, dtcVersion: s.table },
  });
  // compile warnings belong to `dtkit compile`; here only what stops the build, notes, the
  // swap warnings, and values the compiler truncated (a 64-bit address in a row would
  // otherwise go unseen)
  const diagnostics = board.diagnostics.filter((d) => d.severity !== 'warning' || KEPT_WARNINGS.has(d.rule));
  if (!board.tree) return { board, diagnostics, reports: [] };
  const nodes = selectRemoteprocs(board.tree, opts.node);
  if (!nodes) {
    io.err(errorLine(`--node '${opts.node}' matches no node of ${board.base.file}`));
    return EXIT.INPUT;
  }
  const checks = qcomChecks({ iommuPageSize: pageSize, policy: s.host, requireDevmem: s.requireDevmem });
  const result = runChecks(board.tree, { checks, options: { levels: levels.checks }, file: board.base.file });
  const selected = new Set(nodes.map((n) => n.path));
  diagnostics.push(...result.diagnostics.filter((d) => opts.node === undefined || (d.node !== undefined && selected.has(d.node))));
  const lookup = phandleLookup(board.tree);
  return { board, diagnostics, reports: nodes.map((n) => remoteprocReport(n, lookup)) };
}

function remoteprocsJson(r: Inspected): unknown[] {
  return r.reports.map((p) => ({ ...p, devmem: p.devmem?.map(rowJson) ?? null, carveout: p.carveout ?? null }));
}

function boardReporter(command: string, opts: BoardOptions, io: DevmemIo, s: Settings, text: { to: 'out' | 'err'; stdoutIsData?: boolean }): Reporter {
  return new Reporter({
    command, format: opts.format, color: opts.color, levels: s.levels,
    textTo: text.to, stdoutIsData: text.stdoutIsData,
  }, io);
}

export function devmemCheck(file: string, opts: BoardOptions, io: DevmemIo): number {
  return withUsage(io.err, () => check(file, opts, io));
}

function check(file: string, opts: BoardOptions, io: DevmemIo): number {
  const s = boardSettings(file, opts, io);
  if (!s) return EXIT.USAGE;
  const reporter = boardReporter('devmem check', opts, io, s, { to: 'out' });
  const r = inspectBoard(file, opts, io, reporter, s);
  if (typeof r === 'number') return r;
  if (opts.format === 'text' && r.board.tree) {
    const n = r.reports.length;
    const lines = [`${r.board.base.file}: ${n} PAS remote processor${n === 1 ? '' : 's'}${r.board.overlays.length ? ` (with ${r.board.overlays.map((o) => o.file).join(', ')})` : ''}`];
    for (const p of r.reports) lines.push('', ...remoteprocText(p));
    io.out(`${lines.join('\n')}\n\n`);
  }
  const shown = reporter.add(r.diagnostics, { lineText: sourceLines(new Map(), r.board.sourceText) });
  reporter.finish({ file: r.board.base.file, remoteprocs: remoteprocsJson(r) });
  if (opts.format === 'text' && shown.length === 0) io.out('no problems found\n');
  return r.board.tree && !reporter.hasErrors ? EXIT.OK : EXIT.INPUT;
}

export interface MapOptions extends BoardOptions {
  output?: string;
}

function mapSubtitle(p: RemoteprocReport): string {
  const streams = p.iommus.map((s) => `${s.iommuLabel ? `&${s.iommuLabel}` : s.iommu} ${s.args.map((a) => hexPadded(a, 1)).join('/')}`);
  const rows = p.devmem === undefined ? 'no qcom,devmem' : `${p.devmem.length} qcom,devmem row${p.devmem.length === 1 ? '' : 's'}`;
  return `iommus: ${streams.length ? streams.join(', ') : 'none'}; ${rows}`;
}

export function devmemMap(file: string, opts: MapOptions, io: DevmemIo): number {
  return withUsage(io.err, () => map(file, opts, io));
}

function map(file: string, opts: MapOptions, io: DevmemIo): number {
  const toStdout = opts.output === undefined || opts.output === '-';
  const pathError = outputPathError([opts.output]);
  if (pathError) {
    io.err(pathError);
    return EXIT.INPUT;
  }
  const s = boardSettings(file, opts, io);
  if (!s) return EXIT.USAGE;
  const reporter = boardReporter('devmem map', opts, io, s, { to: 'err', stdoutIsData: toStdout });
  const r = inspectBoard(file, opts, io, reporter, s);
  if (typeof r === 'number') return r;
  reporter.add(r.diagnostics, { lineText: sourceLines(new Map(), r.board.sourceText) });
  const done = (code: number, output: string | null) => {
    reporter.finish({ file: r.board.base.file, output, remoteprocs: remoteprocsJson(r) });
    return code;
  };
  if (!r.board.tree) return done(EXIT.INPUT, null);
  const svg = renderDevmemMap(r.reports.map((p) => ({
    title: `${p.path}${p.labels.length ? ` (&${p.labels[0]})` : ''}`,
    subtitle: mapSubtitle(p),
    rows: p.devmem ?? [],
    carveout: p.carveout && { pa: p.carveout.pa, size: p.carveout.size, name: p.carveout.node },
  })));
  if (toStdout) {
    io.out(svg);
    return done(reporter.hasErrors ? EXIT.INPUT : EXIT.OK, '-');
  }
  // a failing command leaves no file behind: the drawing of a board with errors goes to
  // standard output only when asked for
  if (reporter.hasErrors) {
    done(EXIT.INPUT, null);
    io.err(errorLine(`'${opts.output}' not written: the board has errors (draw it anyway with -o -)`));
    return EXIT.INPUT;
  }
  const written = writeOutputs([{ file: opts.output!, data: svg }], io.err, ([f]) => io.writeFile(f.file, f.data as string));
  return done(written ? EXIT.OK : EXIT.INPUT, written ? opts.output! : null);
}

// ---- commander wiring -----------------------------------------------------------------

function common(cmd: Command, formats: readonly string[]): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('text'))
    .option('--page-size <size>', 'IOMMU page size for alignment checks', `${DEFAULT_IOMMU_PAGE_SIZE / 1024}K`);
}

function boardOptions(cmd: Command): Command {
  addInputOptions(cmd)
    .option('--node <label|path>', 'only this remote processor (a label such as remoteproc_adsp, or a path)')
    .option('--overlay <file>', 'apply an overlay (.dtso or .dtbo) first (repeatable, in order)', collect)
    .addOption(new Option('--host <host>', 'host policy: qhee (base tree, no PAS IOMMU properties) or kvm (every enabled PAS has iommus)').choices(['qhee', 'kvm']))
    .option('--require-devmem', 'iommus without qcom,devmem is an error (the originally proposed driver)')
    .option('--no-require-devmem', 'iommus without qcom,devmem is fine (the default; overrides a config file)')
    .option('--page-size <size>', `IOMMU page size for alignment checks (default ${DEFAULT_IOMMU_PAGE_SIZE / 1024}K, or the config file's iommu-page-size)`);
  addRuleOptions(cmd);
  addConfigOptions(cmd);
  addReportOptions(cmd);
  return cmd.addHelpText('after', `\n${inputHelp({ bindings: false })}\n${configHelp('the board', 'preset, include, rules, host, iommu-page-size, require-devmem')}`);
}

export const registerDevmem: RegisterCommand = (program, setExit) => {
  const devmem = program.command('devmem').description('Qualcomm PAS remote processors on a KVM host: qcom,devmem rows, iommus and carveouts');
  const decodeCmd = common(devmem.command('decode').argument('<rows>', "rows as in a .dts ('<0x110000 0x110000 0x4000 0x1>, ...'), bare numbers, or - for stdin"), ['text', 'json'])
    .description('show qcom,devmem rows as a table and every problem in them');
  addExample(decodeCmd, "dtkit devmem decode '<0x110000 0x110000 0x4000 0x1>, <0x123000 0x123000 0x1000 0x3>'");
  decodeCmd.action((rows: string, opts: CommonOptions) => setExit(devmemDecode(rows, opts, processIo)));
  const checkCmd = boardOptions(devmem.command('check').argument('<board>', 'DTS source or DTB (by content), - for standard input'))
    .description('show and check every PAS remote processor of a board: iommus, carveout, qcom,devmem');
  addExample(checkCmd, 'dtkit devmem check lemans-evk.dts --overlay lemans-el2.dtso --host kvm');
  checkCmd.action((file: string, opts: BoardOptions) => setExit(devmemCheck(file, opts, processIo)));
  const encodeCmd = common(devmem.command('encode'), ['text', 'json'])
    .description('print one valid qcom,devmem row, or why the values cannot form one')
    .requiredOption('--da <addr>', '(required) device address (IOVA)')
    .option('--pa <addr>', 'physical address (default: same as --da)')
    .requiredOption('--size <size>', '(required) size: 0x4000, 16K, 2M, ...')
    .requiredOption('--flags <flags>', '(required) read,write,cache,noexec,mmio (or a number)')
    .option('--numeric', 'write the flags as a number instead of QCOM_DEVMEM_* macros');
  addExample(encodeCmd, 'dtkit devmem encode --da 0x110000 --size 16K --flags read,write');
  encodeCmd.action((opts: EncodeOptions) => setExit(devmemEncode(opts, processIo)));
  const mapCmd = boardOptions(devmem.command('map').argument('<board>', 'DTS source or DTB (by content), - for standard input'))
    .description('draw the IOVA and physical spaces of each PAS remote processor as SVG')
    .option('-o, --output <file>', 'SVG file to write (default: standard output)');
  addExample(mapCmd, 'dtkit devmem map lemans-evk.dts --overlay lemans-el2.dtso -o map.svg');
  mapCmd.action((file: string, opts: MapOptions) => setExit(devmemMap(file, opts, processIo)));
};
