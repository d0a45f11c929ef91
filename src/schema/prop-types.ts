// The property type table, derived from the (normalised) schemas as dt-schema derives it
// (dtschema/validator.py: extract_types, get_prop_types, property_get_type[_dim]): every
// `properties`/`patternProperties` entry that references a types.yaml definition names a
// type; matrices and phandle-arrays also record their dimensions, so a DTB's raw cells can
// be split into rows the way the schemas expect. The walk runs over the schemas in load
// order and each schema's keys in file order (the first definition seen can win); lookups
// try pattern entries in sorted order, as dt-validate reads them back from the processed
// schema (written with sorted keys).
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';
import { isStringSchema } from './normalise.js';
import type { PyRegex } from './regex.js';
import { pyRegex } from './regex.js';
import { byCodePoint } from './repr.js';

/** ((outer min, outer max), (inner min, inner max)); a max of 0 means unbounded */
export type Dim = [[number, number], [number, number]];

export interface PropType {
  /** a types.yaml definition name ('uint32-matrix', 'phandle-array', 'flag'...), 'node', or null (untyped) */
  type: string | null;
  dim?: Dim;
}

export interface PropTypeTable {
  props: Map<string, PropType[]>;
  /** pattern properties with a type, sorted by pattern */
  patterns: { pattern: string; re: PyRegex; types: PropType[] }[];
  /** answers of typesOf / dimOf by property name (names repeat across nodes and trees) */
  memo?: { types: Map<string, Set<string>>; dims: Map<string, Dim | undefined> };
}

const TYPE_RE = /(address|flag|u?int(8|16|32|64)(-(array|matrix))?|string(-array)?|phandle(-array)?)/;

interface Entry extends PropType {
  ids: string[];
  pattern?: boolean;
}
type RawTable = Map<string, Entry[]>;

/** Whether `id` is among the entry's ids. Schemas are walked one after another and an entry
 *  only ever gains the id of the schema being walked, so it can only be the last: this keeps
 *  the walk linear where `reg` alone gathers thousands of ids. */
function hasId(p: Entry, id: string): boolean {
  return p.ids[p.ids.length - 1] === id;
}

function mergeDim(a: Dim, b: Dim): Dim {
  const out: [number, number][] = [];
  for (let i = 0; i < 2; i++) {
    let min = Math.min(a[i][0], b[i][0]);
    let max = Math.max(a[i][1], b[i][1]);
    if (Math.min(a[i][1], b[i][1]) === 0) max = 0;
    if (max === 1) min = 1;
    out.push([min, max]);
  }
  return out as Dim;
}

/** dt-schema's _get_array_range: (min, max) item counts of an array schema (max 0 = unbounded). */
export function arrayRange(s: Json | undefined): [number, number] {
  if (Array.isArray(s)) {
    if (s.length !== 1) return [0, 0];
    s = s[0];
  }
  if (!isObject(s)) return [0, 0];
  const num = (v: Json | undefined, d: number): number => (typeof v === 'number' ? v : d);
  if (Array.isArray(s.items)) {
    const max = s.items.length;
    return [num(s.minItems, max), max];
  }
  return [num(s.minItems, 1), num(s.maxItems, 0)];
}

function resolveLocal(schema: JsonObject, ref: string): Json | undefined {
  let cur: Json | undefined = schema;
  for (const part of ref.split('/').slice(1)) {
    if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    else if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else return undefined;
  }
  return cur;
}

function entriesOf(table: RawTable, name: string): Entry[] {
  let l = table.get(name);
  if (!l) table.set(name, (l = []));
  return l;
}

const NODE_KEYS = ['properties', 'patternProperties', 'additionalProperties'];
const hasNodeKeys = (s: JsonObject): boolean => NODE_KEYS.some((k) => k in s);

function extractPropType(table: RawTable, schema: JsonObject, id: string, name: string, sub: Json, isPattern: boolean, depth: number): void {
  if (name.startsWith('$') || depth > 64) return;
  if (!isObject(sub)) {
    if (sub === true && !table.has(name)) table.set(name, [{ type: null, ids: [id], pattern: isPattern }]);
    return;
  }
  let propType: string | null = null;
  const ref = typeof sub.$ref === 'string' ? sub.$ref : undefined;
  if (ref !== undefined) {
    if (ref.startsWith('#/')) {
      if (table.get(name)?.some((p) => hasId(p, id))) return;
      const target = resolveLocal(schema, ref);
      if (target !== undefined) extractPropType(table, schema, id, name, target, isPattern, depth + 1);
    } else if (ref.includes('/properties/')) {
      propType = ref.split('/').pop() ?? null;
      if (propType === name) propType = null;
    }
  }
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const l = sub[k];
    if (Array.isArray(l)) for (const v of l) extractPropType(table, schema, id, name, v, isPattern, depth + 1);
  }
  const list = entriesOf(table, name);

  if (sub.type === 'object' || hasNodeKeys(sub)) {
    propType = 'node';
  } else {
    const m = ref !== undefined ? TYPE_RE.exec(ref) : null;
    if (m) propType = m[0];
    else if (sub.type === 'boolean') propType = 'flag';
    else if ('items' in sub) {
      const items = sub.items;
      if ((Array.isArray(items) && isStringSchema(items[0])) || (isObject(items) && isStringSchema(items))) propType = 'string-array';
      else if (/-microvolt$/.test(name)) propType = 'int32-matrix';
      else if (!name.startsWith('opp') && /-hz$/.test(name)) propType = 'uint32-matrix';
      else propType = null;
    } else if (ref !== undefined && /\.yaml#?$/.test(ref)) {
      propType = 'node';
    }
  }

  const entry: Entry = { type: propType, ids: [id], pattern: isPattern };
  if (!propType) {
    if (list.length === 0) list.push(entry);
    return;
  }
  let dim: Dim | undefined;
  if ((propType === 'phandle-array' || propType.endsWith('-matrix')) && ['items', 'minItems', 'maxItems'].some((k) => k in sub)) {
    const outer = arrayRange(sub);
    const inner: [number, number] = 'items' in sub ? arrayRange(Array.isArray(sub.items) ? sub.items[0] : sub.items) : [0, 0];
    dim = [outer, inner];
    entry.dim = dim;
  }
  let keep: Entry | undefined = entry;
  let untyped: Entry | undefined;
  for (const p of list) {
    if (p.type === null) {
      untyped = p;
      break;
    }
    if (dim && (p.type === 'phandle-array' || p.type.endsWith('-matrix'))) {
      p.dim = p.dim ? mergeDim(p.dim, dim) : dim;
      if (!hasId(p, id)) p.ids.push(id);
      keep = undefined;
      break;
    }
    if (p.type === propType) {
      keep = undefined;
      if (!hasId(p, id)) p.ids.push(id);
      break;
    }
    if (propType.includes('string') && p.type.includes('string')) {
      if (propType === 'string-array') p.type = propType;
      if (!hasId(p, id)) p.ids.push(id);
      keep = undefined;
      break;
    }
  }
  if (untyped) list.splice(list.indexOf(untyped), 1);
  if (keep) list.push(keep);
  if (hasNodeKeys(sub)) extractSubschemaTypes(table, schema, id, sub, depth + 1);
}

function extractSubschemaTypes(table: RawTable, schema: JsonObject, id: string, sub: Json, depth: number): void {
  if (!isObject(sub) || depth > 64) return;
  if ('additionalProperties' in sub) extractSubschemaTypes(table, schema, id, sub.additionalProperties, depth + 1);
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const l = sub[k];
    if (Array.isArray(l)) for (const v of l) extractSubschemaTypes(table, schema, id, v, depth + 1);
  }
  for (const k of ['properties', 'patternProperties']) {
    const v = sub[k];
    if (!isObject(v)) continue;
    for (const [p, ps] of Object.entries(v)) extractPropType(table, schema, id, p, ps, k === 'patternProperties', depth + 1);
  }
}

/** Builds the table from normalised schemas (in load order). */
export function buildPropTypeTable(schemas: Iterable<JsonObject>): PropTypeTable {
  const raw: RawTable = new Map();
  for (const s of schemas) extractSubschemaTypes(raw, s, String(s.$id ?? ''), s, 0);
  // a type named by another property's schema ('/properties/foo') takes that property's type
  for (const list of raw.values()) {
    for (const v of list) {
      if (!v.type || v.type === 'node') continue;
      if (!TYPE_RE.test(v.type)) {
        v.type = raw.get(v.type)?.[0]?.type ?? null;
        break;
      }
    }
  }
  raw.delete('^[a-z][a-z0-9\\-]*$');
  for (const [k, v] of [...raw]) {
    const typed = v.filter((t) => t.type !== 'node');
    if (typed.length === 0) raw.delete(k);
    else raw.set(k, typed);
  }
  const patterns: { pattern: string; types: Entry[] }[] = [];
  for (const [k, v] of [...raw]) {
    if (!v[0].pattern) continue;
    if (v[0].type !== null) patterns.push({ pattern: k, types: v });
    raw.delete(k);
  }
  const compiled = patterns.map((p) => ({ ...p, re: pyRegex(p.pattern) }));
  for (const [k, v] of [...raw]) {
    if (v[0].type !== null) continue;
    if (compiled.some((p) => p.types[0].type && p.re.search(k))) raw.delete(k);
  }
  const strip = (l: Entry[]): PropType[] => l.map((e) => (e.dim ? { type: e.type, dim: e.dim } : { type: e.type }));
  const props = new Map<string, PropType[]>();
  for (const [k, v] of raw) props.set(k, strip(v));
  compiled.sort((a, b) => byCodePoint(a.pattern, b.pattern));
  return { props, patterns: compiled.map((p) => ({ pattern: p.pattern, re: p.re, types: strip(p.types) })) };
}

/** Serialisable form for the disk cache. */
export function tableToJson(t: PropTypeTable): Json {
  const props: JsonObject = {};
  for (const [k, v] of t.props) props[k] = v as unknown as Json;
  return { props, patterns: t.patterns.map((p) => ({ pattern: p.pattern, types: p.types as unknown as Json })) };
}

export function tableFromJson(j: JsonObject): PropTypeTable {
  const props = new Map<string, PropType[]>();
  for (const [k, v] of Object.entries(j.props as JsonObject)) props.set(k, v as unknown as PropType[]);
  const patterns = (j.patterns as JsonObject[]).map((p) => ({
    pattern: String(p.pattern),
    re: pyRegex(String(p.pattern)),
    types: p.types as unknown as PropType[],
  }));
  return { props, patterns };
}

const MEMO_NAMES = 100_000;

function memoOf(t: PropTypeTable): NonNullable<PropTypeTable['memo']> {
  return (t.memo ??= { types: new Map(), dims: new Map() });
}

/** The types a property name can have (dt-schema's property_get_type); do not modify the result. */
export function typesOf(t: PropTypeTable, name: string): Set<string> {
  const memo = memoOf(t);
  const known = memo.types.get(name);
  if (known) return known;
  const out = new Set<string>();
  for (const v of t.props.get(name) ?? []) if (v.type) out.add(v.type);
  if (out.size === 0) {
    for (const p of t.patterns) {
      const ty = p.types[0].type;
      if (ty && !out.has(ty) && p.re.search(name)) out.add(ty);
    }
  }
  if (out.size > 1) out.delete('node');
  if (memo.types.size < MEMO_NAMES) memo.types.set(name, out);
  return out;
}

export function dimOf(t: PropTypeTable, name: string): Dim | undefined {
  const memo = memoOf(t);
  if (memo.dims.has(name)) return memo.dims.get(name);
  let dim: Dim | undefined;
  for (const v of t.props.get(name) ?? []) {
    if (v.dim) {
      dim = v.dim;
      break;
    }
  }
  if (!dim) {
    for (const p of t.patterns) {
      const d = p.types[0].dim;
      if (p.types[0].type && d && p.re.search(name)) {
        dim = d;
        break;
      }
    }
  }
  if (memo.dims.size < MEMO_NAMES) memo.dims.set(name, dim);
  return dim;
}

export function hasFixedDim(t: PropTypeTable, name: string): boolean {
  const d = dimOf(t, name);
  return !!d && ((d[0][0] > 0 && d[0][0] === d[0][1]) || (d[1][0] > 0 && d[1][0] === d[1][1]));
}
