// From loaded files to a processed schema set: normalised schemas, the compatible index,
// the always-applied (`select`) schemas, the documented-compatible list, the property type
// table, and every schema's external references. Everything here is plain JSON so that
// the whole result can be cached on disk.
import type { Diagnostic } from '../report/diagnostic.js';
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';
import { normaliseSchema } from './fixups.js';
import type { SchemaFile } from './load.js';
import { SCHEMA_LOAD_RULE, locateRef, normaliseId } from './load.js';
import type { PropTypeTable } from './prop-types.js';
import { buildPropTypeTable, tableFromJson, tableToJson } from './prop-types.js';

/** How a schema with a `select` decides whether it applies to a node. */
export type SelectKind =
  | { kind: 'always' }
  | { kind: 'compatible'; compatibles: string[] }
  /** the node name matches a regular expression (or equals a constant) */
  | { kind: 'nodename'; pattern?: string; name?: string }
  /** evaluated by ajv; `requires`: properties the select needs (a cheap pre-test) */
  | { kind: 'schema'; requires: string[] };

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
  /** first-compatible -> schema id (schemas without `select`) */
  compatMap: Record<string, string>;
  /** ids of schemas with a `select`, in load order */
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
  try {
    const u = new URL(ref, baseId);
    const fragment = u.hash.replace(/^#/, '');
    u.hash = '';
    return { id: u.toString(), fragment };
  } catch {
    return undefined;
  }
}

/** Collects external refs; unknown ones are dropped from the schema and reported. */
function collectRefs(s: Json, file: SchemaFile, known: Set<string>, refs: Set<string>, diags: Diagnostic[]): void {
  if (Array.isArray(s)) {
    for (const x of s) collectRefs(x, file, known, refs, diags);
    return;
  }
  if (!isObject(s)) return;
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') {
      const t = refTarget(v, file.id);
      if (!t || (t.id !== file.id && !known.has(t.id))) {
        const at = locateRef(file.text, v);
        diags.push({
          rule: SCHEMA_LOAD_RULE, severity: 'warning', file: file.file,
          message: `$ref to unknown schema '${v}' (no loaded schema has $id '${t?.id ?? v}'); the reference is ignored`,
          span: at ? { file: file.file, line: at.line, column: at.column, length: v.length } : undefined,
        });
        delete s.$ref;
      } else if (t.id !== file.id) {
        refs.add(t.id);
      }
    } else if (k !== 'enum' && k !== 'const') {
      collectRefs(v, file, known, refs, diags);
    }
  }
}

/** Every value under a `key` anywhere in `s` (dt-schema's item_generator). */
function valuesUnder(s: Json, key: string, out: Json[]): Json[] {
  if (Array.isArray(s)) for (const x of s) valuesUnder(x, key, out);
  else if (isObject(s)) {
    for (const [k, v] of Object.entries(s)) {
      if (k === key) out.push(typeof v === 'string' ? [v] : v);
      else valuesUnder(v, key, out);
    }
  }
  return out;
}

/** Compatible strings (and patterns) a `compatible` property schema names. */
export function compatiblesIn(s: Json): Set<string> {
  const out = new Set<string>();
  if (!isObject(s)) return out;
  for (const l of valuesUnder(s, 'enum', [])) if (Array.isArray(l) && typeof l[0] === 'string') for (const x of l) out.add(String(x));
  for (const l of valuesUnder(s, 'const', [])) if (Array.isArray(l) && l.length) out.add(String(l[0]));
  for (const l of valuesUnder(s, 'pattern', [])) if (Array.isArray(l) && typeof l[0] === 'string') out.add(l[0]);
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
    const keys = Object.keys(sel).filter((k) => k !== 'description');
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
  return { kind: 'schema', requires: req };
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
  if (!Array.isArray(nn.items) || nn.items.length !== 1 || !isObject(nn.items[0])) return undefined;
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
  const keys = new Set<string>();
  if (isObject(s.properties)) for (const k of Object.keys(s.properties)) keys.add(k);
  for (const d of ['dependentRequired', 'dependentSchemas']) if (isObject(s[d])) for (const k of Object.keys(s[d] as JsonObject)) keys.add(k);
  return [...keys];
}

const GENERIC_COMPAT_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9,+\\-._/]+$';

/** Processes loaded schema files (already deduplicated by $id, in precedence order);
 *  each file's `raw` is normalised in place, so it is consumed. */
export function processSchemas(files: SchemaFile[]): ProcessedSet {
  const diagnostics: Diagnostic[] = [];
  const known = new Set(files.map((f) => f.id));
  const schemas: Record<string, ProcessedSchema> = {};
  const compatMap: Record<string, string> = {};
  const always: string[] = [];
  const enumSet = new Set<string>();
  const patterns: string[] = ['^foo'];
  const normalised: JsonObject[] = [];
  for (const f of files) {
    const schema = normaliseSchema(f.raw, { inPlace: true });
    delete schema.$schema;
    const refs = new Set<string>();
    collectRefs(schema, f, known, refs, diagnostics);
    const p: ProcessedSchema = { id: f.id, file: f.file, schema, refs: [...refs].sort() };
    schemas[f.id] = p;
    normalised.push(schema);
    if ('select' in schema) {
      const sel = classifySelect(schema.select);
      if (sel) {
        p.select = sel;
        always.push(f.id);
        if (sel.kind === 'always') p.gateKeys = gateKeysOf(schema);
      }
    } else if (isObject(schema.properties) && 'compatible' in schema.properties) {
      for (const c of compatiblesIn(schema.properties.compatible)) {
        if (c !== 'syscon' && c !== 'simple-mfd') compatMap[c] = f.id;
      }
    }
    for (const c of allCompatibles(schema)) {
      if (/[\^[{($]/.test(c)) {
        if (c !== GENERIC_COMPAT_PATTERN && !/\.[+*]/.test(c) && c.startsWith('^') && c.endsWith('$')) patterns.push(c);
      } else {
        enumSet.add(c);
      }
    }
  }
  const types = tableToJson(buildPropTypeTable(normalised));
  return { schemas, compatMap, always, documented: { enum: [...enumSet].sort(), patterns }, types, diagnostics };
}

export function indexOf(set: ProcessedSet): SchemaIndex {
  const { types, ...rest } = set;
  return { ...rest, table: tableFromJson(types as JsonObject) };
}

export { normaliseId };
