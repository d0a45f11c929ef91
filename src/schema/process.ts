// From loaded files to a processed schema set, as dt-mk-schema builds it and dt-validate
// reads it back: normalised schemas (normalise.ts), the property type table (walked in load
// order), and then, in sorted `$id` order as the processed JSON is written with sorted
// keys: the compatible index (a later schema wins a compatible), the schemas applied by
// `select`, and the documented compatibles (for "unmatched"). Each schema's external
// references are collected; a `$ref` to no loaded schema or with a malformed %-escape is
// reported at its line and dropped. Everything here is plain JSON so that the whole result
// can be cached on disk.
import type { Diagnostic } from '../report/diagnostic.js';
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';
import { normaliseSchema } from './normalise.js';
import type { SchemaFile } from './load.js';
import { SCHEMA_LOAD_RULE, locateRef, normaliseId } from './load.js';
import type { PropTypeTable } from './prop-types.js';
import { buildPropTypeTable, tableFromJson, tableToJson } from './prop-types.js';
import { byCodePoint } from './repr.js';

/** How a schema with a `select` decides whether it applies to a node. */
export type SelectKind =
  | { kind: 'always' }
  | { kind: 'compatible'; compatibles: string[] }
  /** the node name matches a regular expression (or equals a constant) */
  | { kind: 'nodename'; pattern?: string; name?: string }
  /** evaluated per node; `requires`: properties the select needs (a cheap pre-test);
   *  `compatibleOnly`: it looks at nothing but `compatible` (its answer depends on that alone) */
  | { kind: 'schema'; requires: string[]; compatibleOnly?: boolean };

export interface ProcessedSchema {
  id: string;
  file: string;
  schema: JsonObject;
  /** ids of other schemas this one references */
  refs: string[];
  select?: SelectKind;
  /** for select-true schemas that only constrain named properties: those names */
  gateKeys?: string[];
}

export interface ProcessedSet {
  schemas: Record<string, ProcessedSchema>;
  /** compatible -> schema id (schemas without `select`) */
  compatMap: Record<string, string>;
  /** ids of schemas with a `select` other than false, in sorted order */
  always: string[];
  /** documented compatible strings and patterns (for "unmatched") */
  documented: { enum: string[]; patterns: string[] };
  types: Json;
  diagnostics: Diagnostic[];
}

export interface SchemaIndex extends Omit<ProcessedSet, 'types'> {
  table: PropTypeTable;
}

/** Resolves a `$ref` against the id of the schema it appears in. */
export function refTarget(ref: string, baseId: string): { id: string; fragment: string } | undefined {
  if (ref.startsWith('#')) return { id: baseId, fragment: ref.slice(1) };
  // the common case, a path on the base's origin ('/schemas/types.yaml#/...'), without URL parsing
  const origin = /^https?:\/\/[^/?#]+/.exec(baseId)?.[0];
  if (origin && ref.startsWith('/') && !ref.startsWith('//') && /^[\w\-./,+]*(#|$)/.test(ref)) {
    const hash = ref.indexOf('#');
    const p = hash < 0 ? ref : ref.slice(0, hash);
    if (!/(^|\/)\.\.?(\/|$)/.test(p)) return { id: origin + p, fragment: hash < 0 ? '' : ref.slice(hash + 1) };
  }
  try {
    const u = new URL(ref, baseId);
    const fragment = u.hash.replace(/^#/, '');
    u.hash = '';
    return { id: u.toString(), fragment };
  } catch {
    return undefined;
  }
}

/** Collects external refs; unknown or malformed ones are dropped from the schema and reported. */
function collectRefs(root: Json, file: SchemaFile, known: Set<string>, refs: Set<string>, diags: Diagnostic[]): void {
  const report = (v: string, message: string): void => {
    const at = locateRef(file.text, v);
    diags.push({
      rule: SCHEMA_LOAD_RULE, severity: 'warning', file: file.file, message,
      span: at ? { file: file.file, line: at.line, column: at.column, length: v.length } : undefined,
    });
  };
  const stack: Json[] = [root];
  while (stack.length) {
    const s = stack.pop()!;
    if (Array.isArray(s)) {
      for (const x of s) stack.push(x);
      continue;
    }
    if (!isObject(s)) continue;
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref' && typeof v === 'string') {
        const bad = /%(?![0-9a-fA-F]{2})/.exec(v);
        const t = bad ? undefined : refTarget(v, file.id);
        if (bad) {
          report(v, `$ref '${v}' has a malformed %-escape at character ${bad.index + 1}; the reference is ignored`);
          delete s.$ref;
        } else if (!t || (t.id !== file.id && !known.has(t.id))) {
          report(v, `$ref to unknown schema '${v}' (no loaded schema has $id '${t?.id ?? v}'); the reference is ignored`);
          delete s.$ref;
        } else if (t.id !== file.id) {
          refs.add(t.id);
        }
      } else if (k !== 'enum' && k !== 'const') {
        stack.push(v);
      }
    }
  }
}

/** Every value under a `key` anywhere in `s` (dt-schema's item_generator). */
function valuesUnder(root: Json, key: string, out: Json[]): Json[] {
  const stack: Json[] = [root];
  while (stack.length) {
    const s = stack.pop()!;
    if (Array.isArray(s)) for (let i = s.length - 1; i >= 0; i--) stack.push(s[i]);
    else if (isObject(s)) {
      const entries = Object.entries(s);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i];
        if (k === key) out.push(v);
        else stack.push(v);
      }
    }
  }
  return out;
}

function pyStrOf(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Compatible strings (and patterns) a `compatible` property schema names (extract_node_compatibles). */
export function compatiblesIn(s: Json): Set<string> {
  const out = new Set<string>();
  if (!isObject(s)) return out;
  for (const l of valuesUnder(s, 'enum', [])) if (Array.isArray(l) && typeof l[0] === 'string') for (const x of l) out.add(pyStrOf(x));
  for (const l of valuesUnder(s, 'const', [])) out.add(pyStrOf(l));
  for (const l of valuesUnder(s, 'pattern', [])) if (typeof l === 'string') out.add(l);
  return out;
}

function allCompatibles(schema: JsonObject): Set<string> {
  const out = new Set<string>();
  for (const sub of valuesUnder(schema, 'compatible', [])) for (const c of compatiblesIn(sub)) out.add(c);
  return out;
}

function classifySelect(sel: Json): SelectKind | undefined {
  if (sel === false) return undefined;
  if (sel === true) return { kind: 'always' };
  if (isObject(sel)) {
    const keys = Object.keys(sel);
    const props = sel.properties;
    const req = sel.required;
    if (keys.every((k) => k === 'properties' || k === 'required') && isObject(props) && Object.keys(props).length === 1 &&
        Array.isArray(req) && req.length === 1 && req[0] === 'compatible' && isObject(props.compatible)) {
      const c = props.compatible;
      const contains = c.contains;
      if (Object.keys(c).length === 1 && isObject(contains)) {
        const ck = Object.keys(contains);
        if (ck.length === 1 && Array.isArray(contains.enum) && contains.enum.every((x) => typeof x === 'string')) {
          return { kind: 'compatible', compatibles: contains.enum as string[] };
        }
        if (ck.length === 1 && typeof contains.const === 'string') return { kind: 'compatible', compatibles: [contains.const] };
      }
    }
  }
  const byName = nodenameSelect(sel);
  if (byName) return byName;
  const req = isObject(sel) && Array.isArray(sel.required) ? sel.required.filter((x): x is string => typeof x === 'string') : [];
  const compatibleOnly = isObject(sel) && Object.keys(sel).every((k) => k === 'properties' || k === 'required') &&
    isObject(sel.properties) && Object.keys(sel.properties).every((k) => k === 'compatible') && req.every((r) => r === 'compatible') &&
    (!('required' in sel) || (Array.isArray(sel.required) && sel.required.length === req.length));
  return compatibleOnly ? { kind: 'schema', requires: req, compatibleOnly } : { kind: 'schema', requires: req };
}

/** `select: {required: [$nodename], properties: {$nodename: {items: [{pattern|const}]}}}` */
function nodenameSelect(sel: Json): SelectKind | undefined {
  if (!isObject(sel) || !isObject(sel.properties)) return undefined;
  if (Object.keys(sel).some((k) => k !== 'required' && k !== 'properties')) return undefined;
  if (Object.keys(sel.properties).length !== 1) return undefined;
  const req = sel.required;
  if (req !== undefined && !(Array.isArray(req) && req.length === 1 && req[0] === '$nodename')) return undefined;
  const nn = sel.properties.$nodename;
  if (!isObject(nn) || Object.keys(nn).some((k) => !['items', 'type', 'minItems', 'maxItems'].includes(k))) return undefined;
  if (nn.type !== undefined && nn.type !== 'array') return undefined;
  if (!Array.isArray(nn.items) || nn.items.length !== 1 || !isObject(nn.items[0])) return undefined;
  if ((nn.minItems !== undefined && nn.minItems !== 1) || (nn.maxItems !== undefined && nn.maxItems !== 1)) return undefined;
  const item = nn.items[0];
  const keys = Object.keys(item);
  if (keys.length === 1 && typeof item.pattern === 'string') return { kind: 'nodename', pattern: item.pattern };
  if (keys.length === 1 && typeof item.const === 'string') return { kind: 'nodename', name: item.const };
  return undefined;
}

const GATE_OK = new Set(['$id', '$schema', 'title', 'select', 'type', 'properties', 'dependentRequired', 'dependentSchemas', '$filename']);

/** Names that must be present for a select-true schema to have anything to check. */
function gateKeysOf(s: JsonObject): string[] | undefined {
  if (!Object.keys(s).every((k) => GATE_OK.has(k))) return undefined;
  if ('type' in s && s.type !== 'object') return undefined;
  const keys = new Set<string>();
  if (isObject(s.properties)) for (const k of Object.keys(s.properties)) keys.add(k);
  for (const d of ['dependentRequired', 'dependentSchemas']) if (isObject(s[d])) for (const k of Object.keys(s[d] as JsonObject)) keys.add(k);
  return [...keys];
}

const GENERIC_COMPAT_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9,+\\-._/]+$';
/** generated-compatibles' fixed patterns: example and test compatibles */
const BUILTIN_COMPAT_PATTERNS = ['^foo', '^test,'];
const NOT_A_NODE_MATCH = new Set(['syscon', 'simple-mfd', 'simple-bus']);

/** Processes loaded schema files (already deduplicated by $id, in load order); each
 *  file's `raw` is normalised in place, so it is consumed. */
export function processSchemas(files: SchemaFile[]): ProcessedSet {
  return processSchemaStream(files.map((f) => f.id), files, (p) => p);
}

/** What the select list, the compatible index and the documented compatibles need of a schema. */
interface IndexFacts {
  /** it has a `select` other than false */
  selects: boolean;
  /** the compatibles its `compatible` property names (schemas without `select`) */
  index?: Set<string>;
  /** every compatible (and pattern) it names anywhere */
  all: Set<string>;
}

/**
 * processSchemas one file at a time: `files` (whose ids are `ids`) may be produced as they
 * are consumed, and `keep` says what the set holds of each processed schema, called as soon
 * as it is done (a cache writer serialises the schema and drops it), so that a large set is
 * never whole in memory.
 */
export function processSchemaStream<T>(ids: string[], files: Iterable<SchemaFile>, keep: (p: ProcessedSchema) => T):
  Omit<ProcessedSet, 'schemas'> & { schemas: Record<string, T> } {
  const diagnostics: Diagnostic[] = [];
  const known = new Set(ids);
  const schemas: Record<string, T> = {};
  const facts = new Map<string, IndexFacts>();
  function* normalised(): Generator<JsonObject> {
    for (const f of files) {
      const schema = f.normalised ? f.raw : normaliseSchema(f.raw, { inPlace: true });
      delete schema.$schema;
      const refs = new Set<string>();
      collectRefs(schema, f, known, refs, diagnostics);
      // the type table takes its entries now, before the schema is let go
      yield schema;
      const p: ProcessedSchema = { id: f.id, file: f.file, schema, refs: [...refs].sort() };
      const fact: IndexFacts = { selects: false, all: allCompatibles(schema) };
      if ('select' in schema) {
        const sel = classifySelect(schema.select);
        if (sel) {
          p.select = sel;
          fact.selects = true;
          if (sel.kind === 'always') p.gateKeys = gateKeysOf(schema);
        }
      } else if (isObject(schema.properties) && 'compatible' in schema.properties) {
        fact.index = compatiblesIn(schema.properties.compatible);
        if (fact.index.size > 1) for (const c of NOT_A_NODE_MATCH) fact.index.delete(c);
      }
      facts.set(f.id, fact);
      schemas[f.id] = keep(p);
    }
  }
  const types = tableToJson(buildPropTypeTable(normalised()));

  // dt-validate reads the processed schema back with its keys sorted
  const sorted = [...facts.keys()].sort(byCodePoint);
  // no prototype: a compatible named like an Object.prototype member is an ordinary key
  const compatMap: Record<string, string> = Object.create(null) as Record<string, string>;
  const always: string[] = [];
  const enumSet = new Set<string>();
  const patterns = new Set<string>();
  for (const id of sorted) {
    const fact = facts.get(id)!;
    if (fact.selects) always.push(id);
    for (const c of fact.index ?? []) compatMap[c] = id;
    for (const c of fact.all) {
      if (/[\^[{($]/.test(c)) {
        if (c !== GENERIC_COMPAT_PATTERN && !/\.[+*]/.test(c) && c.startsWith('^') && c.endsWith('$')) patterns.add(c);
      } else {
        enumSet.add(c);
      }
    }
  }
  return {
    schemas, compatMap, always,
    documented: { enum: [...enumSet].sort(byCodePoint), patterns: [...BUILTIN_COMPAT_PATTERNS, ...patterns] },
    types, diagnostics,
  };
}

export function indexOf(set: ProcessedSet): SchemaIndex {
  const { types, ...rest } = set;
  return { ...rest, table: tableFromJson(types as JsonObject) };
}

export { normaliseId };
