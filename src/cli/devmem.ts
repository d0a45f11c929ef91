// `dtkit devmem`: Qualcomm PAS remote processors on a KVM host.
//   decode ROWS            table of typed qcom,devmem rows, then every problem found
//   check BOARD            the same per PAS remote processor of a board (+ overlays)
//   encode --da --size ..  one valid row, or the reason it would not be
//   map BOARD -o map.svg   the IOVA and physical spaces as an SVG
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { runChecks } from '../checks/run.js';
import type { CheckOptions } from '../checks/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { renderAllText, sortDiagnostics, sourceLines, toJsonRecord } from '../report/render.js';
import type { SourceSpan } from '../report/source.js';
import { loadBoard } from '../qcom/board.js';
import type { LoadedBoard } from '../qcom/board.js';
import { makeQcomChecks } from '../qcom/checks.js';
import type { DevmemRow } from '../qcom/devmem.js';
import { DEFAULT_IOMMU_PAGE_SIZE, DEVMEM_FLAGS, cellCountProblem, rowProblems, rowsFromCells } from '../qcom/devmem.js';
import { hexPadded, parseSize } from '../qcom/format.js';
import { parseFlagList, parseTypedCells } from '../qcom/parse-rows.js';
import { phandleLookup } from '../qcom/pas.js';
import type { RemoteprocReport } from '../qcom/report.js';
import { remoteprocReport, remoteprocText, rowJson, rowTable, selectRemoteprocs } from '../qcom/report.js';
import { renderDevmemMap } from '../qcom/svg.js';
import { writeFileAtomically } from './output.js';
import type { RegisterCommand } from './commands.js';

/** Where a devmem action reads and writes; tests pass their own. */
export interface DevmemIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
  /** standard input as text, or undefined when it cannot be read */
  readStdin(): string | undefined;
  /** writes a file whole (temp file + rename), or returns why it could not */
  writeFile(file: string, text: string): string | undefined;
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
};

type Format = 'text' | 'json';

interface CommonOptions {
  format: Format;
  pageSize: string;
}

interface BoardOptions extends CommonOptions {
  node?: string;
  overlay: string[];
  include: string[];
  host?: 'qhee' | 'kvm';
  requireDevmem?: boolean;
}

const EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2;

/** Compile warnings `devmem check` still shows: the value written is not the value stored. */
const KEPT_COMPILE_WARNINGS = new Set(['cell_overflow']);

function pageSizeOf(text: string, io: DevmemIo): number | undefined {
  const n = parseSize(text);
  if (n === undefined || n < 1 || (n & (n - 1)) !== 0 || n > 2 ** 30) {
    io.err(`dtkit devmem: error: --page-size '${text}' is not a power of two such as 4K or 64K\n`);
    return undefined;
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
  const pageSize = pageSizeOf(opts.pageSize, io);
  if (pageSize === undefined) return EXIT_USAGE;
  const file = input === '-' ? '<stdin>' : '<input>';
  const text = input === '-' ? io.readStdin() : input;
  if (text === undefined) {
    io.err('dtkit devmem decode: error: cannot read standard input\n');
    return EXIT_INPUT;
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
    io.out(`${JSON.stringify({ rows: rows.map(rowJson), diagnostics: sortDiagnostics(diagnostics).map(toJsonRecord) }, null, 2)}\n`);
  } else {
    const lines = rows.length ? [`qcom,devmem: ${rows.length} row${rows.length === 1 ? '' : 's'}`, ...rowTable(rows)] : ['qcom,devmem: no rows'];
    lines.push('', diagnostics.length ? renderFindings(diagnostics, () => text) : 'no problems found');
    io.out(`${lines.join('\n')}\n`);
  }
  return hasErrors(diagnostics) ? EXIT_INPUT : EXIT_OK;
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
  const pageSize = pageSizeOf(opts.pageSize, io);
  if (pageSize === undefined) return EXIT_USAGE;
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
    for (const p of rowProblems([row], { pageSize })) reasons.push(p.message.replace(/^row 0: /, ''));
    if (reasons.length === 0) {
      const dts = `<${hexPadded(da)} ${hexPadded(pa)} ${hexPadded(size, 1)} ${flagsText(row.flags, !!opts.numeric)}>`;
      if (opts.format === 'json') io.out(`${JSON.stringify({ ...rowJson(row, 0), cells: [da, pa, size, row.flags], dts }, null, 2)}\n`);
      else io.out(`${dts}\n`);
      return EXIT_OK;
    }
  }
  if (opts.format === 'json') io.out(`${JSON.stringify({ error: reasons }, null, 2)}\n`);
  for (const r of reasons) io.err(`dtkit devmem encode: error: ${r}\n`);
  return EXIT_INPUT;
}

// ---- check / map ----------------------------------------------------------------------

interface Inspected {
  board: LoadedBoard;
  diagnostics: Diagnostic[];
  reports: RemoteprocReport[];
}

function inspectBoard(file: string, opts: BoardOptions, pageSize: number, io: DevmemIo): Inspected | number {
  const board = loadBoard(file, { host: io.host, includeDirs: opts.include, overlays: opts.overlay });
  // compile warnings belong to `dtkit compile`; here only what stops the build, notes, and
  // values the compiler truncated (a 64-bit address in a row would otherwise go unseen)
  const diagnostics = board.diagnostics.filter((d) => d.severity !== 'warning' || KEPT_COMPILE_WARNINGS.has(d.rule));
  if (!board.tree) return { board, diagnostics, reports: [] };
  const nodes = selectRemoteprocs(board.tree, opts.node);
  if (!nodes) {
    io.err(`dtkit devmem: error: --node '${opts.node}' matches no node of ${file}\n`);
    return EXIT_INPUT;
  }
  const options: CheckOptions = { iommuPageSize: pageSize, host: opts.host, requireDevmem: opts.requireDevmem };
  const result = runChecks(board.tree, { checks: makeQcomChecks({ sourceText: board.sourceText }), options, file });
  const selected = new Set(nodes.map((n) => n.path));
  diagnostics.push(...result.diagnostics.filter((d) => opts.node === undefined || (d.node !== undefined && selected.has(d.node))));
  const lookup = phandleLookup(board.tree);
  return { board, diagnostics, reports: nodes.map((n) => remoteprocReport(n, lookup)) };
}

function boardJson(file: string, r: Inspected): string {
  const reports = r.reports.map((p) => ({ ...p, devmem: p.devmem?.map(rowJson) ?? null, carveout: p.carveout ?? null }));
  return `${JSON.stringify({ file, remoteprocs: reports, diagnostics: sortDiagnostics(r.diagnostics).map(toJsonRecord) }, null, 2)}\n`;
}

export function devmemCheck(file: string, opts: BoardOptions, io: DevmemIo): number {
  const pageSize = pageSizeOf(opts.pageSize, io);
  if (pageSize === undefined) return EXIT_USAGE;
  const r = inspectBoard(file, opts, pageSize, io);
  if (typeof r === 'number') return r;
  if (opts.format === 'json') {
    io.out(boardJson(file, r));
  } else {
    const lines: string[] = [];
    if (r.board.tree) {
      const n = r.reports.length;
      lines.push(`${file}: ${n} PAS remote processor${n === 1 ? '' : 's'}${opts.overlay.length ? ` (with ${opts.overlay.join(', ')})` : ''}`);
      for (const p of r.reports) lines.push('', ...remoteprocText(p));
      lines.push('');
    }
    lines.push(r.diagnostics.length ? renderFindings(r.diagnostics, r.board.sourceText) : 'no problems found');
    io.out(`${lines.join('\n')}\n`);
  }
  return r.board.tree && !hasErrors(r.diagnostics) ? EXIT_OK : EXIT_INPUT;
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
  const pageSize = pageSizeOf(opts.pageSize, io);
  if (pageSize === undefined) return EXIT_USAGE;
  const r = inspectBoard(file, opts, pageSize, io);
  if (typeof r === 'number') return r;
  if (r.diagnostics.length) io.err(`${renderFindings(r.diagnostics, r.board.sourceText)}\n`);
  if (!r.board.tree) return EXIT_INPUT;
  const svg = renderDevmemMap(r.reports.map((p) => ({
    title: `${p.path}${p.labels.length ? ` (&${p.labels[0]})` : ''}`,
    subtitle: mapSubtitle(p),
    rows: p.devmem ?? [],
    carveout: p.carveout && { pa: p.carveout.pa, size: p.carveout.size, name: p.carveout.node },
  })));
  if (opts.output === undefined || opts.output === '-') {
    io.out(svg);
  } else {
    const failure = io.writeFile(opts.output, svg);
    if (failure) {
      io.err(`dtkit devmem map: error: cannot write ${opts.output}: ${failure}\n`);
      return EXIT_INPUT;
    }
  }
  return hasErrors(r.diagnostics) ? EXIT_INPUT : EXIT_OK;
}

// ---- commander wiring -----------------------------------------------------------------

const collect = (v: string, acc: string[]) => [...acc, v];

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--page-size <size>', 'IOMMU page size for alignment checks', `${DEFAULT_IOMMU_PAGE_SIZE / 1024}K`);
}

function boardOptions(cmd: Command): Command {
  return common(cmd)
    .option('--node <label|path>', 'only this remote processor (a label such as remoteproc_adsp, or a path)')
    .option('--overlay <file>', 'apply an overlay (.dtso or .dtbo) first; repeatable', collect, [])
    .option('-I, --include <dir>', 'add an include folder (searched before dtkit\'s own headers); repeatable', collect, [])
    .addOption(new Option('--host <host>', 'host policy: qhee (base tree, no PAS IOMMU properties) or kvm (every enabled PAS has iommus)').choices(['qhee', 'kvm']))
    .option('--require-devmem', 'iommus without qcom,devmem is an error (the originally proposed driver)');
}

export const registerDevmem: RegisterCommand = (program, setExit) => {
  const devmem = program.command('devmem').description('Qualcomm PAS remote processors on a KVM host: qcom,devmem rows, iommus and carveouts');
  common(devmem.command('decode').argument('<rows>', "rows as in a .dts ('<0x110000 0x110000 0x4000 0x1>, ...'), bare numbers, or - for stdin"))
    .description('show qcom,devmem rows as a table and every problem in them')
    .action((rows: string, opts: CommonOptions) => setExit(devmemDecode(rows, opts, processIo)));
  boardOptions(devmem.command('check').argument('<board>', '.dts or .dtb'))
    .description('show and check every PAS remote processor of a board: iommus, carveout, qcom,devmem')
    .action((file: string, opts: BoardOptions) => setExit(devmemCheck(file, opts, processIo)));
  common(devmem.command('encode'))
    .description('print one valid qcom,devmem row, or why the values cannot form one')
    .requiredOption('--da <addr>', 'device address (IOVA)')
    .option('--pa <addr>', 'physical address (default: same as --da)')
    .requiredOption('--size <size>', 'size: 0x4000, 16K, 2M, ...')
    .requiredOption('--flags <flags>', 'read,write,cache,noexec,mmio (or a number)')
    .option('--numeric', 'write the flags as a number instead of QCOM_DEVMEM_* macros')
    .action((opts: EncodeOptions) => setExit(devmemEncode(opts, processIo)));
  boardOptions(devmem.command('map').argument('<board>', '.dts or .dtb'))
    .description('draw the IOVA and physical spaces of each PAS remote processor as SVG')
    .option('-o, --output <file>', 'SVG file to write (default: standard output)')
    .action((file: string, opts: MapOptions) => setExit(devmemMap(file, opts, processIo)));
};
