// The one input stage: every command reads its inputs here. An input is a path or `-`
// (standard input); a blob (DTB/DTBO) is recognised by its magic number, anything else is
// compiled as DTS source with the include folders of the tree it lives in (layout.ts),
// after the user's own and before dtkit's shipped headers.
import * as path from 'node:path';
import type { Host } from '../host.js';
import type { CheckLevel } from '../checks/types.js';
import { runChecks } from '../checks/run.js';
import { dtcChecks } from '../checks/table.js';
import { compileFile, compileText } from '../compile/compile.js';
import type { CompileOptions } from '../compile/compile.js';
import type { NodeOutline } from '../fdt/reader.js';
import { readFdt, readFdtOutline } from '../fdt/reader.js';
import { includeDirsWithShipped, shadowedHeaderNotes, shippedIncludeDir } from './shipped.js';
import type { PreprocessIndex } from '../preprocessor/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';
import { latin1String } from '../tree/value.js';
import type { InputFormat } from './kind.js';
import { formatOf, hasFdtMagic } from './kind.js';
import type { LayoutProbe, SourceTree } from './layout.js';
import { findSourceTree } from './layout.js';
import { STDIN_ARG, STDIN_NAME, quoted, unreadableReason } from './paths.js';

/** The rule of findings about reading an input at all. */
export const IO_RULE = 'io';

export interface InputOptions {
  host: Host;
  /** the user's -I/-i folders, searched first */
  includeDirs: string[];
  /** find the tree the input lives in and use its include folders (default true) */
  detect?: boolean;
  /** what the user said the input is (dtc's -I dts|dtb); the content decides otherwise */
  format?: InputFormat;
  /** how source inputs compile (-D, -U, -@, -b, check levels, ...) */
  compile?: Omit<CompileOptions, 'host' | 'includeDirs'>;
  /** run dtc's check table on a blob too, as dtc does for `-I dtb` (with compile.checkLevels) */
  checkBlobs?: boolean;
  /** false: a blob's bytes are all the command uses, so it is checked but not read into a
   *  tree (`outline` holds its nodes' names) */
  tree?: boolean;
  /** the bytes of standard input, for `-` */
  readStdin?: () => Uint8Array | undefined;
  /** for tests: the file-system probe of tree detection, and dtkit's header folder */
  probe?: LayoutProbe;
  shippedInclude?: string;
}

export interface LoadedInput {
  /** the name findings use: the path as typed, or <stdin> */
  file: string;
  format: InputFormat;
  tree?: Tree;
  /** a blob loaded with `tree: false`: its nodes by name */
  outline?: NodeOutline;
  /** the bytes as read, for a blob */
  blob?: Uint8Array;
  /** a complete tree without errors: what a command may go on with */
  ok: boolean;
  /** the source parsed to its end (a tree cut short by a syntax error holds only what came before) */
  parsed: boolean;
  diagnostics: Diagnostic[];
  /** file -> text of every source read, for excerpts and row locations */
  sources: Map<string, string>;
  /** a source input's macros and include sites (for editors) */
  preprocessed?: PreprocessIndex;
  /** the tree the input lives in, when detection found one */
  layout?: SourceTree;
  /** the include folders searched, in order */
  includeDirs: string[];
}

/** The tree `file` lives in, unless detection is off. */
export function sourceTreeOf(file: string, opts: Pick<InputOptions, 'detect' | 'probe'>): SourceTree | undefined {
  return opts.detect === false ? undefined : findSourceTree(file, opts.probe);
}

/** The include search path for `file`: the user's folders, the tree's (with the board's
 *  folder, as the kernel passes `dtc -i`), then dtkit's shipped headers. */
export function includeSearchPath(file: string, layout: SourceTree | undefined, opts: Pick<InputOptions, 'includeDirs' | 'shippedInclude'>): string[] {
  const dirs = [...opts.includeDirs];
  if (layout) {
    dirs.push(...layout.includeDirs);
    if (file !== STDIN_ARG) dirs.push(path.dirname(file));
  }
  const unique = dirs.filter((d, i) => dirs.indexOf(d) === i);
  return includeDirsWithShipped(unique, opts.shippedInclude ?? shippedIncludeDir());
}

function failed(file: string, format: InputFormat, message: string, extra: Partial<LoadedInput> = {}): LoadedInput {
  return {
    file, format, ok: false, parsed: false, sources: new Map(), includeDirs: [],
    diagnostics: [{ rule: IO_RULE, severity: 'error', message }], ...extra,
  };
}

function readBytes(arg: string, opts: InputOptions): Uint8Array | string {
  if (arg === STDIN_ARG) return opts.readStdin?.() ?? 'cannot read standard input';
  if (arg === '') return 'the input file name is empty';
  return opts.host.readFile(arg) ?? `cannot read ${quoted(arg)}: ${unreadableReason(arg)}`;
}

export function loadInput(arg: string, opts: InputOptions): LoadedInput {
  const file = arg === STDIN_ARG ? STDIN_NAME : arg;
  const bytes = readBytes(arg, opts);
  if (typeof bytes === 'string') return failed(file, opts.format ?? 'dts', bytes);
  // what the user said wins (dtc -I): a "DTB" without the magic gets the reader's own
  // finding about its first bytes; a blob said to be source is refused plainly
  const format = opts.format ?? formatOf(bytes, arg);
  if (format === 'dts' && hasFdtMagic(bytes)) {
    return failed(file, format, `${arg === STDIN_ARG ? 'standard input' : quoted(arg)} is a DTB (it starts with the FDT magic 0xd00dfeed), not DTS source`);
  }
  return format === 'dtb' ? loadBlob(file, bytes, opts) : loadSource(arg, file, bytes, opts);
}

function loadBlob(file: string, bytes: Uint8Array, opts: InputOptions): LoadedInput {
  if (opts.tree === false && !opts.checkBlobs) {
    const r = readFdtOutline(bytes, file);
    return { file, format: 'dtb', outline: r.root, blob: bytes, ok: !!r.root, parsed: !!r.root, diagnostics: r.diagnostics, sources: new Map(), includeDirs: [] };
  }
  const r = readFdt(bytes, file);
  const diagnostics = [...r.diagnostics];
  let ok = !!r.tree;
  if (r.tree && opts.checkBlobs) {
    const levels: Map<string, CheckLevel> | undefined = opts.compile?.checkLevels;
    const checks = runChecks(r.tree, { checks: dtcChecks(opts.compile?.dtcVersion), options: { levels, symbols: opts.compile?.symbols }, file });
    diagnostics.push(...checks.diagnostics);
    ok &&= checks.failed.size === 0;
  }
  return { file, format: 'dtb', tree: r.tree, blob: bytes, ok, parsed: !!r.tree, diagnostics, sources: new Map(), includeDirs: [] };
}

function loadSource(arg: string, file: string, bytes: Uint8Array, opts: InputOptions): LoadedInput {
  const layout = sourceTreeOf(arg, opts);
  const includeDirs = includeSearchPath(arg, layout, opts);
  const compileOpts: CompileOptions = { ...opts.compile, host: opts.host, includeDirs };
  const r = arg === STDIN_ARG ? compileText(latin1String(bytes), file, compileOpts) : compileFile(arg, compileOpts);
  const shipped = opts.shippedInclude ?? shippedIncludeDir();
  const notes = shadowedHeaderNotes({ host: opts.host, userDirs: includeDirs.filter((d) => d !== shipped), dependencies: r.sources.keys() });
  return {
    file, format: 'dts', tree: r.tree, ok: r.ok && !!r.tree, parsed: r.parsed ?? false,
    diagnostics: [...r.diagnostics, ...notes], sources: r.sources, layout, includeDirs, preprocessed: r.preprocessed,
  };
}
