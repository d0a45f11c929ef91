// Opening a schema set: which folders (dtkit's own schemas, the user's --schemas, the
// core schemas), in which precedence, and the on-disk cache of the processed result,
// keyed by the content hash of every schema file plus the dtkit version, so that a second
// run skips YAML parsing and normalisation entirely.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Host } from '../host.js';
import { VERSION } from '../version.js';
import { SchemaEngine } from './engine.js';
import type { JsonObject } from './json.js';
import { isObject } from './json.js';
import type { SchemaFile } from './load.js';
import { SCHEMA_LOAD_RULE, listYamlFiles, parseSchemaText } from './load.js';
import { normaliseSchema } from './normalise.js';
import type { ProcessedSchema, ProcessedSet, SchemaIndex } from './process.js';
import { indexOf, processSchemaStream, processSchemas } from './process.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE } from './rules.js';
import { buildSelectIndex } from './select-index.js';
import type { ValidateContext, ValidateOptions } from './validate.js';

export { EXTENDED_RULE, NO_BINDINGS_RULE };

/** Bump when processing changes in a way that invalidates cached results. */
const CACHE_FORMAT = 6;


export interface SchemaSetOptions {
  host: Host;
  /** binding folders (e.g. the kernel's Documentation/devicetree/bindings), highest precedence */
  schemaDirs: string[];
  /** core schemas folder (dt-schema's dtschema/schemas); default: dtkit's own schemas/core */
  coreDir?: string;
  /** dtkit's schemas/ folder; default: found beside the installed package */
  dtkitSchemasDir?: string;
  /** cache folder; null disables the cache */
  cacheDir?: string | null;
  /** the clock the cache's stamp compares file times with (tests move it on) */
  now?: () => number;
}

export interface SchemaSet {
  index: SchemaIndex;
  diagnostics: Diagnostic[];
  /** whether any binding folder (`schemaDirs`) supplied schemas; without, only dtkit's
   *  shipped bindings apply, untyped properties are decoded by their look and undocumented
   *  compatibles are not reported */
  bindings: boolean;
  /** whether the processed schemas came from the disk cache */
  fromCache: boolean;
  /** the text of a schema file (to locate problems found while validating) */
  sourceOf?: (file: string) => string | undefined;
  /** settles when a freshly processed set is on disk (writes go on in the background) */
  cacheWritten?: Promise<void>;
}

/** dtkit's shipped schemas/ folder, found by walking up from this module. */
export function defaultDtkitSchemasDir(): string | undefined {
  let d = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(d, 'schemas', 'core')) && fs.existsSync(path.join(d, 'package.json'))) return path.join(d, 'schemas');
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

export function defaultCacheDir(): string {
  if (process.env.DTKIT_CACHE_DIR) return process.env.DTKIT_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'dtkit');
}

interface FileList {
  files: string[];
  shipped: Set<string>;
  bindings: boolean;
  diagnostics: Diagnostic[];
}

/** The folders the schema files are listed from. */
function schemaRoots(opts: SchemaSetOptions): { dtkitDir?: string; coreDir?: string; roots: string[] } {
  const dtkitDir = opts.dtkitSchemasDir ?? defaultDtkitSchemasDir();
  const coreDir = opts.coreDir ?? (dtkitDir ? path.join(dtkitDir, 'core') : undefined);
  const roots = [...opts.schemaDirs, ...(dtkitDir ? [dtkitDir] : []), ...(coreDir ? [coreDir] : [])];
  return { dtkitDir, coreDir, roots };
}

/** The schema files in load order: user dirs, dtkit's bindings, then the core. */
function schemaFileList(opts: SchemaSetOptions): FileList {
  const diagnostics: Diagnostic[] = [];
  const { dtkitDir, coreDir } = schemaRoots(opts);
  const files: string[] = [];
  const shipped = new Set<string>();
  let bindings = false;
  for (const dir of opts.schemaDirs) {
    const list = listYamlFiles(dir);
    if (list.length === 0) diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: dir, message: `no schema found in path: ${dir}` });
    else bindings = true;
    files.push(...list);
  }
  if (dtkitDir) {
    const core = path.join(dtkitDir, 'core') + path.sep;
    for (const f of listYamlFiles(dtkitDir)) {
      if (f.startsWith(core)) continue;
      files.push(f);
      shipped.add(f);
    }
  }
  if (coreDir) {
    const list = listYamlFiles(coreDir);
    if (list.length === 0) diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: coreDir, message: `no schema found in path: ${coreDir}` });
    files.push(...list);
  }
  if (!bindings) {
    diagnostics.push({
      rule: NO_BINDINGS_RULE, severity: 'info',
      message: "no binding schemas found (no --schemas, and no kernel tree's Documentation/devicetree/bindings): only dtkit's shipped bindings and dtc's checks run; properties no binding describes are not reported, nor undocumented compatibles",
    });
  }
  return { files, shipped, bindings, diagnostics };
}

/**
 * Precedence of a binding the user gives (the kernel's) over dtkit's shipped copy with the
 * same `$id`: the user's binding holds for everything it says; properties only dtkit's copy
 * defines (qcom,pas-common's `qcom,devmem`, which upstream dropped) are added to it, so
 * trees carrying them still validate. Reported once per binding as an info note.
 */
function extendWithShipped(user: SchemaFile, shipped: SchemaFile): Diagnostic | undefined {
  const theirs = user.raw.properties;
  const ours = shipped.raw.properties;
  if (!isObject(ours)) return undefined;
  if (!isObject(theirs)) user.raw.properties = {};
  const target = user.raw.properties as JsonObject;
  const added = Object.keys(ours).filter((k) => !Object.prototype.hasOwnProperty.call(target, k));
  if (added.length === 0) return undefined;
  for (const k of added) target[k] = ours[k];
  return {
    rule: EXTENDED_RULE, severity: 'info', file: user.file,
    message: `extended with dtkit's ${added.map((k) => `'${k}'`).join(', ')} (from ${shipped.file}); everything else is the binding's own`,
  };
}

/** The loaded files deduplicated by $id (first wins), dtkit's shipped copies merged into the user's. */
function dedupe<T extends Pending>(parsed: T[], shipped: Set<string>, diags: Diagnostic[]): T[] {
  const byId = new Map<string, T>();
  const out: T[] = [];
  for (const schema of parsed) {
    const prev = byId.get(schema.id);
    if (!prev) {
      byId.set(schema.id, schema);
      out.push(schema);
      continue;
    }
    if (shipped.has(schema.file) && !shipped.has(prev.file)) {
      // both parsed: a user binding with a shipped `$id` is never taken from a line
      if (!isParsed(prev) || !isParsed(schema)) throw new Error(`internal: '${prev.file}' was not parsed`);
      const note = extendWithShipped(prev, schema);
      if (note) diags.push(note);
      continue;
    }
    diags.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: schema.file, message: `ignoring duplicate '$id' value '${schema.id}' (already loaded from ${prev.file})` });
  }
  return out;
}

/** A schema as the cache index records it: everything but the body, which is a byte
 *  range of the bodies file, decoded and parsed only when the schema is used. */
type CachedSchema = Omit<ProcessedSchema, 'schema'> & { body: [number, number] };
/** compatMap keeps its ids (positions in `schemas` would make a smaller file, but turning
 *  ~24,000 positions back into ids cost a warm start more than parsing the ids) */
type CachedIndex = Omit<ProcessedSet, 'schemas'> & { schemas: Record<string, CachedSchema> };

function cachePaths(cacheDir: string, key: string): { index: string; bodies: string } {
  return { index: path.join(cacheDir, `schemas-${key}.json`), bodies: path.join(cacheDir, `schemas-${key}.bodies`) };
}

/** A processed schema from the cache: its body is decoded and parsed on first use (a run
 *  uses a few hundred of ~5,500). A getter on the class, not one defined per object, keeps
 *  opening the index cheap. */
class CachedProcessedSchema implements ProcessedSchema {
  readonly id: string;
  readonly file: string;
  readonly refs: string[];
  readonly select?: ProcessedSchema['select'];
  readonly gateKeys?: string[];
  private readonly body: [number, number];
  private parsed: JsonObject | undefined;
  constructor(c: CachedSchema, private readonly bodies: Buffer) {
    this.id = c.id;
    this.file = c.file;
    this.refs = c.refs;
    this.select = c.select;
    this.gateKeys = c.gateKeys;
    this.body = c.body;
  }
  get schema(): JsonObject {
    return (this.parsed ??= JSON.parse(this.bodies.toString('utf8', this.body[0], this.body[1])) as JsonObject);
  }
}

/** Processed schemas whose `schema` is parsed from `bodies` on first access. */
function lazySchemas(cached: Record<string, CachedSchema>, bodies: Buffer): Record<string, ProcessedSchema> {
  const out: Record<string, ProcessedSchema> = {};
  for (const id of Object.keys(cached)) out[id] = new CachedProcessedSchema(cached[id], bodies);
  return out;
}

function readCache(cacheDir: string, key: string): ProcessedSet | undefined {
  const p = cachePaths(cacheDir, key);
  try {
    const index = JSON.parse(fs.readFileSync(p.index, 'utf8')) as CachedIndex;
    const bodies = fs.readFileSync(p.bodies);
    // a bodies file that is not the one the index was written with is no cache
    let end = 0;
    for (const c of Object.values(index.schemas)) end = Math.max(end, c.body[1]);
    if (end !== bodies.length) return undefined;
    // no prototype: a compatible named like an Object.prototype member is an ordinary key
    const compatMap = Object.setPrototypeOf(index.compatMap, null) as Record<string, string>;
    return { ...index, compatMap, schemas: lazySchemas(index.schemas, bodies) };
  } catch {
    return undefined;
  }
}

/** A temporary name beside `file`, one per writer: worker threads of one process share its
 *  pid, and each writes whole. */
function tempFor(file: string): string {
  return `${file}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes `file` through a temporary and a rename, in the background; the process waits
 *  for it before exiting. */
async function writeAtomic(file: string, text: string | Uint8Array): Promise<void> {
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = tempFor(file);
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, file);
  } catch {
    // a cache that cannot be written only costs time on the next run
  }
}

/** Writes the normalised lines (joined by newlines) as writeAtomic would, but now: held for
 *  a write in the background, the ~10 MB of lines would stay in memory while the run validates. */
function writeLinesNow(file: string, lines: string[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = tempFor(file);
    const fd = fs.openSync(tmp, 'w');
    try {
      // a few hundred lines at a time, not one more ~10 MB string
      for (let i = 0; i < lines.length; i += 256) fs.writeSync(fd, `${i ? '\n' : ''}${lines.slice(i, i + 256).join('\n')}`);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs time on the next run
  }
}

/** Sets kept in a cache folder: every edit of a binding makes a new one (~13 MB for the
 *  kernel's), and switching between a few trees should still find each. */
const KEPT_SETS = 3;

/** Removes all but the newest KEPT_SETS sets. */
function pruneCache(cacheDir: string): void {
  try {
    const sets = fs.readdirSync(cacheDir).filter((f) => /^schemas-[0-9a-f]+\.json$/.test(f))
      .map((f) => ({ f, at: fs.statSync(path.join(cacheDir, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { f } of sets.slice(KEPT_SETS)) {
      fs.rmSync(path.join(cacheDir, f), { force: true });
      fs.rmSync(path.join(cacheDir, f.replace(/\.json$/, '.bodies')), { force: true });
    }
  } catch {
    // an old set left behind only costs disk space
  }
}

/** Writes the set: bodies first, then the index that points into them (its presence
 *  means the pair is complete). The writes overlap with validation; the process waits for
 *  them. */
function writeCache(cacheDir: string, key: string, index: CachedIndex, bodies: Uint8Array): Promise<void> {
  const p = cachePaths(cacheDir, key);
  const text = JSON.stringify(index);
  return writeAtomic(p.bodies, bodies).then(() => writeAtomic(p.index, text));
}

/**
 * What the schema folders held when the set was last opened, so that a warm start can tell
 * without reading (or listing) them that nothing changed: every folder below the roots with
 * its mtime (adding, removing or renaming an entry changes its folder's mtime, so equal
 * mtimes mean the listing is the one recorded) and every schema file with its size, mtime
 * and ctime (an edit in place changes only the file's own; ctime cannot be set back). What
 * changed within the last seconds is recorded as unknown: a later change inside the same
 * timestamp granule would look the same. The stamp names the content key of the set.
 */
interface Stamp {
  folders: [string, number][];
  files: [string, number, number, number][];
  list: { files: string[]; shipped: string[]; bindings: boolean; diagnostics: Diagnostic[] };
  key: string;
}

/** Recorded times younger than this (ms) are not trusted (coarse file-system clocks). */
const RACY_MS = 2000;
const UNKNOWN = -1;

function stampPath(cacheDir: string, opts: SchemaSetOptions): string {
  const h = createHash('sha256').update(`dtkit ${VERSION} cache ${CACHE_FORMAT}\n${JSON.stringify(schemaRoots(opts).roots)}`);
  return path.join(cacheDir, `stamp-${h.digest('hex').slice(0, 32)}.json`);
}

/** Every folder below (and including) `roots`. */
function foldersOf(roots: string[]): string[] {
  const out: string[] = [];
  const stack = [...roots];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    out.push(d);
    for (const e of entries) if (e.isDirectory()) stack.push(path.join(d, e.name));
  }
  return out;
}

function makeStamp(roots: string[], list: FileList, key: string, now: number): Stamp | undefined {
  const trusted = (...ms: number[]): boolean => ms.every((m) => now - m >= RACY_MS);
  try {
    const folders = foldersOf(roots).map((d): [string, number] => {
      const st = fs.statSync(d);
      return [d, trusted(st.mtimeMs) ? st.mtimeMs : UNKNOWN];
    });
    const files = list.files.map((f): [string, number, number, number] => {
      const st = fs.statSync(f);
      return trusted(st.mtimeMs, st.ctimeMs) ? [f, st.size, st.mtimeMs, st.ctimeMs] : [f, UNKNOWN, UNKNOWN, UNKNOWN];
    });
    return { folders, files, list: { ...list, shipped: [...list.shipped] }, key };
  } catch {
    return undefined;
  }
}

/** Whether the folders still hold what `stamp` recorded: one stat per folder and file. */
function stampHolds(stamp: Stamp): boolean {
  try {
    for (const [d, mtime] of stamp.folders) if (mtime === UNKNOWN || fs.statSync(d).mtimeMs !== mtime) return false;
    for (const [f, size, mtime, ctime] of stamp.files) {
      const st = fs.statSync(f);
      if (size === UNKNOWN || st.size !== size || st.mtimeMs !== mtime || st.ctimeMs !== ctime) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/**
 * Normalised schema files from earlier runs, one line per file, so that after an edit only
 * the edited bindings are parsed and normalised again (normalising depends on the file
 * alone), and the lines of unchanged files are written back as they were read. A binding
 * whose `$id` dtkit also ships is extended before normalising (dedupe): it is always done
 * afresh, as are dtkit's own shipped files.
 */
type NormalisedLine = [file: string, hash: string, id: string | null, schema: JsonObject | null, diagnostic: Diagnostic | null];

function normalisedPath(stamp: string): string {
  return stamp.replace(/\.json$/, '.normalised');
}

/** A line of the previous run, by file: the text hash, the `$id` when the line holds a
 *  schema and no finding (the line itself is then parsed only when the set is processed),
 *  and the line as written. */
interface PreviousLine {
  hash: string;
  id?: string;
  line: string;
}

function readNormalised(file: string): Map<string, PreviousLine> {
  const out = new Map<string, PreviousLine>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    // the file, hash and id are the line's first JSON strings; the rest is parsed on use
    const m = /^\["((?:[^"\\]|\\.)*)","([0-9a-f]+)",(?:null|"((?:[^"\\]|\\.)*)"),/.exec(line);
    if (!m) continue;
    const id = m[3] !== undefined && line.endsWith('},null]') ? (JSON.parse(`"${m[3]}"`) as string) : undefined;
    out.set(JSON.parse(`"${m[1]}"`) as string, { hash: m[2], id, line });
  }
  return out;
}

/** A schema file to process: parsed now, or an unchanged file's normalised line, parsed
 *  only when its turn comes (so that the ~5,500 parsed schemas of a set are never all in
 *  memory at once). */
type Pending = SchemaFile | { id: string; file: string; line: string };

function isParsed(p: Pending): p is SchemaFile {
  return !('line' in p);
}

/** The pending files as schema files, each parsed as it is taken; the text of a file taken
 *  from a line is read again only to locate a finding. */
function* pendingFiles(pending: Pending[], sourceOf: (file: string) => string | undefined): Generator<SchemaFile> {
  for (const p of pending) {
    if (isParsed(p)) {
      yield p;
      continue;
    }
    const raw = (JSON.parse(p.line) as NormalisedLine)[3]!;
    yield { id: p.id, file: p.file, raw, normalised: true, get text() { return sourceOf(p.file) ?? ''; } };
  }
}

/** Processes the pending files into a set whose schemas are held serialised (the cache's
 *  bodies, parsed again on use as a cached set's are), with the index the cache records. */
function processPending(pending: Pending[], sourceOf: (file: string) => string | undefined, loadDiags: Diagnostic[]):
  { set: ProcessedSet; index: CachedIndex; bodies: Buffer } {
  const parts: string[] = [];
  let at = 0;
  const keep = (p: ProcessedSchema): CachedSchema => {
    const body = JSON.stringify(p.schema);
    parts.push(body);
    const { schema: _schema, ...meta } = p;
    const bytes = Buffer.byteLength(body);
    at += bytes;
    return { ...meta, body: [at - bytes, at] };
  };
  const index: CachedIndex = processSchemaStream(pending.map((p) => p.id), pendingFiles(pending, sourceOf), keep);
  index.diagnostics = [...loadDiags, ...index.diagnostics];
  const bodies = Buffer.from(parts.join(''));
  return { set: { ...index, schemas: lazySchemas(index.schemas, bodies) }, index, bodies };
}

/** Loads, normalises and indexes the schemas (or takes them from the cache). */
export function openSchemaSet(opts: SchemaSetOptions): SchemaSet {
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const sourceOf = (file: string): string | undefined => {
    const bytes = opts.host.readFile(file);
    return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
  };
  const done = (list: FileList | Stamp['list'], set: ProcessedSet, fromCache: boolean, cacheWritten?: Promise<void>): SchemaSet =>
    ({ index: indexOf(set), diagnostics: [...list.diagnostics, ...set.diagnostics], bindings: list.bindings, fromCache, cacheWritten, sourceOf });
  // Fast path: the folders hold what the stamp recorded, so the set is the one cached
  // under the stamp's key; no schema file is listed or read.
  const stampFile = cacheDir ? stampPath(cacheDir, opts) : undefined;
  const stamp = stampFile ? readStamp(stampFile) : undefined;
  if (stamp && cacheDir && stampHolds(stamp)) {
    const cached = readCache(cacheDir, stamp.key);
    if (cached) return done(stamp.list, cached, true);
  }

  const list = schemaFileList(opts);
  const { files, shipped } = list;
  // each file's text is hashed and let go (a set's texts are ~30 MB in memory); dtkit's
  // shipped files are always parsed, so theirs are kept
  const hashes: (string | undefined)[] = [];
  const shippedTexts = new Map<string, string>();
  const hash = createHash('sha256').update(`dtkit ${VERSION} cache ${CACHE_FORMAT}\n`);
  for (const file of files) {
    const text = sourceOf(file);
    const textHash = text === undefined ? undefined : createHash('sha1').update(text).digest('hex');
    hashes.push(textHash);
    if (text !== undefined && shipped.has(file)) shippedTexts.set(file, text);
    hash.update(`${file}\n${shipped.has(file) ? 'shipped' : ''}\n${textHash ?? '-'}\n`);
  }
  const key = hash.digest('hex').slice(0, 32);
  const writeStamp = (): Promise<void> | undefined => {
    const st = stampFile && makeStamp(schemaRoots(opts).roots, list, key, (opts.now ?? Date.now)());
    return st ? writeAtomic(stampFile!, JSON.stringify(st)) : undefined;
  };
  const cached = cacheDir ? readCache(cacheDir, key) : undefined;
  // the same content under new stats (a fresh checkout, a touched file): a new stamp
  if (cached) return done(list, cached, true, writeStamp());

  const previous = stampFile ? readNormalised(normalisedPath(stampFile)) : new Map<string, PreviousLine>();
  const lines: string[] = [];
  // dtkit's shipped files are parsed first: their $ids say which user bindings dedupe extends
  const fresh = new Map<string, { schema?: SchemaFile; diagnostic?: Diagnostic }>();
  for (const [file, text] of shippedTexts) fresh.set(file, parseSchemaText(file, text));
  const shippedIds = new Set([...fresh.values()].flatMap((r) => (r.schema ? [r.schema.id] : [])));
  const pending: Pending[] = [];
  const loadDiags: Diagnostic[] = [];
  const unreadable = (file: string): void => {
    loadDiags.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file, message: 'cannot read schema file' });
  };
  for (const [i, file] of files.entries()) {
    const textHash = hashes[i];
    if (textHash === undefined) {
      unreadable(file);
      continue;
    }
    const prev = previous.get(file);
    if (prev?.hash === textHash && prev.id !== undefined && !shippedIds.has(prev.id)) {
      pending.push({ id: prev.id, file, line: prev.line });
      lines.push(prev.line);
      continue;
    }
    const line = prev?.hash === textHash ? (JSON.parse(prev.line) as NormalisedLine) : undefined;
    if (line && !(line[2] !== null && shippedIds.has(line[2]))) {
      if (line[2] !== null && line[3]) pending.push({ id: line[2], file, text: sourceOf(file) ?? '', raw: line[3], normalised: true });
      if (line[4]) loadDiags.push(line[4]);
      lines.push(prev!.line);
      continue;
    }
    // changed since it was hashed: it is read again (and its line says what was parsed)
    const text = shippedTexts.get(file) ?? sourceOf(file);
    if (text === undefined) {
      unreadable(file);
      continue;
    }
    const r = fresh.get(file) ?? parseSchemaText(file, text);
    if (r.diagnostic) loadDiags.push(r.diagnostic);
    if (!r.schema) {
      if (!shipped.has(file)) lines.push(JSON.stringify([file, textHash, null, null, r.diagnostic ?? null] satisfies NormalisedLine));
      continue;
    }
    if (shipped.has(file) || shippedIds.has(r.schema.id)) {
      pending.push(r.schema);
      continue;
    }
    normaliseSchema(r.schema.raw, { inPlace: true });
    // serialised now: processing goes on changing the schema in place
    lines.push(JSON.stringify([file, textHash, r.schema.id, r.schema.raw, r.diagnostic ?? null] satisfies NormalisedLine));
    pending.push({ ...r.schema, normalised: true });
  }
  if (stampFile) writeLinesNow(normalisedPath(stampFile), lines);
  const { set, index, bodies } = processPending(dedupe(pending, shipped, loadDiags), sourceOf, loadDiags);
  const cacheWritten = cacheDir
    ? writeCache(cacheDir, key, index, bodies).then(writeStamp).then(() => pruneCache(cacheDir))
    : undefined;
  return done(list, set, false, cacheWritten);
}

/** A validation context over an opened set: one engine, compiled lazily. */
export function validationContext(set: SchemaSet, options: ValidateOptions = {}): ValidateContext {
  const engine = new SchemaEngine(set.index, set.sourceOf);
  return {
    index: set.index,
    engine,
    // without bindings every compatible would be "unmatched": not reported
    options: set.bindings ? options : { ...options, unmatched: false },
    selectIndex: buildSelectIndex(set.index, (p) => engine.regex(p)),
    decode: { guessUntyped: !set.bindings },
  };
}

/** A schema set from in-memory texts (tests, embedders), in load order, uncached; they
 *  count as bindings unless `bindings: false`. */
export function schemaSetFromTexts(texts: { file: string; text: string }[], opts: { bindings?: boolean } = {}): SchemaSet {
  const diagnostics: Diagnostic[] = [];
  const parsed: SchemaFile[] = [];
  for (const { file, text } of texts) {
    const { schema, diagnostic } = parseSchemaText(file, text);
    if (diagnostic) diagnostics.push(diagnostic);
    if (schema) parsed.push(schema);
  }
  const set = processSchemas(dedupe(parsed, new Set(), diagnostics));
  const sources = new Map(texts.map(({ file, text }) => [file, text]));
  return {
    index: indexOf(set), diagnostics: [...diagnostics, ...set.diagnostics], bindings: opts.bindings ?? true, fromCache: false,
    sourceOf: (file) => sources.get(file),
  };
}
