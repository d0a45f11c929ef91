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
import type { ProcessedSchema, ProcessedSet, SchemaIndex } from './process.js';
import { indexOf, processSchemas } from './process.js';
import { buildSelectIndex } from './select-index.js';
import type { ValidateContext, ValidateOptions } from './validate.js';

/** Bump when processing changes in a way that invalidates cached results. */
const CACHE_FORMAT = 5;

/** Info: no binding folder was given or found; only dtkit's shipped bindings apply. */
export const NO_BINDINGS_RULE = 'schema-no-bindings';
/** Info: a binding of the user's (the kernel's) was extended with properties of dtkit's copy. */
export const EXTENDED_RULE = 'schema-extended';

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

/** The schema files in load order: user dirs, dtkit's bindings, then the core. */
function schemaFileList(opts: SchemaSetOptions): { files: string[]; shipped: Set<string>; bindings: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const dtkitDir = opts.dtkitSchemasDir ?? defaultDtkitSchemasDir();
  const coreDir = opts.coreDir ?? (dtkitDir ? path.join(dtkitDir, 'core') : undefined);
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
function dedupe(parsed: SchemaFile[], shipped: Set<string>, diags: Diagnostic[]): SchemaFile[] {
  const byId = new Map<string, SchemaFile>();
  const out: SchemaFile[] = [];
  for (const schema of parsed) {
    const prev = byId.get(schema.id);
    if (!prev) {
      byId.set(schema.id, schema);
      out.push(schema);
      continue;
    }
    if (shipped.has(schema.file) && !shipped.has(prev.file)) {
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
/** compatMap's values are positions in `schemas`' keys (the ids would repeat ~20k times) */
type CachedIndex = Omit<ProcessedSet, 'schemas' | 'compatMap'> & { schemas: Record<string, CachedSchema>; compatMap: Record<string, number> };

function cachePaths(cacheDir: string, key: string): { index: string; bodies: string } {
  return { index: path.join(cacheDir, `schemas-${key}.json`), bodies: path.join(cacheDir, `schemas-${key}.bodies`) };
}

/** Processed schemas whose `schema` is parsed from `bodies` on first access. */
function lazySchemas(cached: Record<string, CachedSchema>, bodies: Buffer): Record<string, ProcessedSchema> {
  const out: Record<string, ProcessedSchema> = {};
  for (const [id, c] of Object.entries(cached)) {
    const { body, ...meta } = c;
    let parsed: JsonObject | undefined;
    Object.defineProperty(meta, 'schema', {
      enumerable: true,
      get: () => (parsed ??= JSON.parse(bodies.toString('utf8', body[0], body[1])) as JsonObject),
    });
    out[id] = meta as ProcessedSchema;
  }
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
    const ids = Object.keys(index.schemas);
    const compatMap: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [c, at] of Object.entries(index.compatMap)) compatMap[c] = ids[at];
    return { ...index, compatMap, schemas: lazySchemas(index.schemas, bodies) };
  } catch {
    return undefined;
  }
}

/** Writes `file` through a temporary and a rename, in the background; the process waits
 *  for it before exiting. */
async function writeAtomic(file: string, text: string): Promise<void> {
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // one name per writer: worker threads of one process share its pid, and each writes whole
    const tmp = `${file}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, file);
  } catch {
    // a cache that cannot be written only costs time on the next run
  }
}

/** Writes the set: bodies first, then the index that points into them (its presence
 *  means the pair is complete), then `after` (the stat key's pointer). The writes overlap
 *  with validation; the process waits for them. */
function writeCache(cacheDir: string, key: string, set: ProcessedSet, after?: [string, string]): Promise<void> {
  const p = cachePaths(cacheDir, key);
  const parts: string[] = [];
  const schemas: Record<string, CachedSchema> = {};
  let at = 0;
  for (const [id, ps] of Object.entries(set.schemas)) {
    const body = JSON.stringify(ps.schema);
    parts.push(body);
    const { schema: _schema, ...meta } = ps;
    const bytes = Buffer.byteLength(body);
    schemas[id] = { ...meta, body: [at, at + bytes] };
    at += bytes;
  }
  const bodies = parts.join('');
  const position = new Map(Object.keys(schemas).map((id, i) => [id, i]));
  const compatMap: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [c, id] of Object.entries(set.compatMap)) compatMap[c] = position.get(id)!;
  const index = JSON.stringify({ ...set, schemas, compatMap } satisfies CachedIndex);
  return writeAtomic(p.bodies, bodies)
    .then(() => writeAtomic(p.index, index))
    .then(() => (after ? writeAtomic(after[0], after[1]) : undefined));
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Hash of every schema file's path, size and modification time (plus dtkit's version). */
function statKeyOf(files: string[]): string | undefined {
  const h = createHash('sha256').update(`dtkit ${VERSION} cache ${CACHE_FORMAT}\n`);
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      h.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      return undefined;
    }
  }
  return h.digest('hex').slice(0, 32);
}

/** Loads, normalises and indexes the schemas (or takes them from the cache). */
export function openSchemaSet(opts: SchemaSetOptions): SchemaSet {
  const { files, shipped, bindings, diagnostics } = schemaFileList(opts);
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const sourceOf = (file: string): string | undefined => {
    const bytes = opts.host.readFile(file);
    return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
  };
  const done = (set: ProcessedSet, fromCache: boolean, cacheWritten?: Promise<void>): SchemaSet =>
    ({ index: indexOf(set), diagnostics: [...diagnostics, ...set.diagnostics], bindings, fromCache, cacheWritten, sourceOf });
  // Fast path: unchanged file stats map straight to the content key of a previous run,
  // so a warm start reads no schema file at all.
  const statKey = cacheDir ? statKeyOf(files) : undefined;
  const known = statKey && cacheDir ? readText(path.join(cacheDir, `stat-${statKey}`)) : undefined;
  if (known && cacheDir) {
    const cached = readCache(cacheDir, known);
    if (cached) return done(cached, true);
  }

  const texts: (string | undefined)[] = [];
  const hash = createHash('sha256').update(`dtkit ${VERSION} cache ${CACHE_FORMAT}\n`);
  for (const file of files) {
    const bytes = opts.host.readFile(file);
    const text = bytes ? Buffer.from(bytes).toString('utf8') : undefined;
    texts.push(text);
    hash.update(`${file}\n${shipped.has(file) ? 'shipped' : ''}\n${text?.length ?? -1}\n`).update(text ?? '');
  }
  const key = hash.digest('hex').slice(0, 32);
  const cached = cacheDir ? readCache(cacheDir, key) : undefined;
  // the same content under new stats (a fresh checkout): point the stats at it
  if (cached && statKey && cacheDir) void writeAtomic(path.join(cacheDir, `stat-${statKey}`), key);
  if (cached) return done(cached, true);

  const parsed: SchemaFile[] = [];
  const loadDiags: Diagnostic[] = [];
  for (const [i, file] of files.entries()) {
    const text = texts[i];
    if (text === undefined) {
      loadDiags.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file, message: 'cannot read schema file' });
      continue;
    }
    const { schema, diagnostic } = parseSchemaText(file, text);
    if (diagnostic) loadDiags.push(diagnostic);
    if (schema) parsed.push(schema);
  }
  const set = processSchemas(dedupe(parsed, shipped, loadDiags));
  set.diagnostics = [...loadDiags, ...set.diagnostics];
  const cacheWritten = cacheDir
    ? writeCache(cacheDir, key, set, statKey ? [path.join(cacheDir, `stat-${statKey}`), key] : undefined)
    : undefined;
  return done(set, false, cacheWritten);
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
