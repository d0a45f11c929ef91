// The property type table, derived from the (normalised) schemas themselves as dt-schema
// does: every `properties`/`patternProperties` entry that references a types.yaml
// definition names a type; matrices and phandle-arrays also record their dimensions, so
// a DTB's raw cells can be split into rows the way the schemas expect.
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';
import { arrayRange, isStringSchema } from './fixups.js';

/** ((outer min, outer max), (inner min, inner max)) */
export type Dim = [[number, number], [number, number]];

export interface PropType {
  /** a types.yaml definition name ('uint32-matrix', 'phandle-array', 'flag'...), 'node', or null (untyped) */
  type: string | null;
  dim?: Dim;
  ids: string[];
}

export interface PropTypeTable {
  props: Map<string, PropType[]>;
  /** pattern properties with a type, in derivation order */
  patterns: { pattern: string; re: RegExp; types: PropType[] }[];
  /** pattern properties without a type (documented names, values guessed) */
  untypedPatterns: RegExp[];
}

const TYPE_RE = /(address|flag|u?int(8|16|32|64)(-(array|matrix))?|string(-array)?|phandle(-array)?)/;

function mergeDim(a: Dim, b: Dim): Dim {
  const out: [number, number][] = [];
  for (let i = 0; i < 2; i++) {
    let min = Math.min(a[i][0], b[i][0]);
    const max = Math.max(a[i][1], b[i][1]);
    if (max === 1) min = 1;
    out.push([min, max]);
  }
  return out as Dim;
}

interface Entry extends PropType {
  pattern?: string;
}

type RawTable = Map<string, Entry[]>;

/** Whether `id` is among the entry's ids. Schemas are walked one after another and an
 *  entry only ever gains the id of the schema being walked, so it can only be the last:
 *  this keeps the walk linear where `reg` alone gathers thousands of ids. */
function hasId(p: Entry, id: string): boolean {
  return p.ids[p.ids.length - 1] === id;
}

function resolveLocal(schema: JsonObject, ref: string): Json | undefined {
  let cur: Json | undefined = schema;
  for (const part of ref.split('/').slice(1)) {
    if (!isObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, Json>)[part];
  }
  return cur;
}

function safeRegExp(p: string): RegExp | undefined {
  try {
    return new RegExp(p);
  } catch {
    return undefined;
  }
}

function extractPropType(table: RawTable, schema: JsonObject, name: string, sub: Json, isPattern: boolean, depth: number): void {
  if (name.startsWith('$') || depth > 20) return;
  const id = String(schema.$id ?? '');
  if (!isObject(sub)) {
    if (sub === true && !table.has(name)) table.set(name, [{ type: null, ids: [id], pattern: isPattern ? name : undefined }]);
    return;
  }
  let propType: string | null = null;
  const ref = typeof sub.$ref === 'string' ? sub.$ref : undefined;
  if (ref !== undefined) {
    if (ref.startsWith('#/')) {
      const existing = table.get(name);
      if (existing?.some((p) => hasId(p, id))) return;
      const target = resolveLocal(schema, ref);
      if (target !== undefined) extractPropType(table, schema, name, target, isPattern, depth + 1);
    } else if (ref.includes('/properties/')) {
      const refProp = ref.split('/').pop() ?? '';
      const t = table.get(refProp);
      if (t) propType = t[0].type;
    }
  }
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const l = sub[k];
    if (Array.isArray(l)) for (const v of l) extractPropType(table, schema, name, v, isPattern, depth + 1);
  }
  if (!table.has(name)) table.set(name, []);
  const list = table.get(name)!;

  if (sub.type === 'object' || 'properties' in sub || 'patternProperties' in sub || 'additionalProperties' in sub) {
    propType = 'node';
  } else {
    const m = ref !== undefined ? TYPE_RE.exec(ref) : null;
    if (m) propType = m[0];
    else if (sub.type === 'boolean') propType = 'flag';
    else if ('items' in sub) {
      const items = sub.items;
      if ((Array.isArray(items) && isStringSchema(items[0])) || (isObject(items) && isStringSchema(items))) {
        propType = 'string-array';
      } else if (/-microvolt$/.test(name)) {
        propType = 'int32-matrix';
      } else if (/^(?!opp).*-hz$/.test(name)) {
        propType = 'uint32-matrix';
      } else {
        propType = null;
      }
    } else if (ref !== undefined && /\.yaml#?$/.test(ref)) {
      propType = 'node';
    }
  }

  const entry: Entry = { type: propType, ids: [id], pattern: isPattern ? name : undefined };
  if (!propType) {
    if (list.length === 0) list.push(entry);
    return;
  }
  let dim: Dim | undefined;
  if (propType === 'phandle-array' || propType.endsWith('-matrix')) {
    const outer = arrayRange(sub);
    let inner: [number, number] = [0, 0];
    if ('items' in sub) inner = arrayRange(Array.isArray(sub.items) ? sub.items[0] : sub.items);
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
      p.dim = mergeDim(p.dim ?? dim, dim);
      if (!hasId(p, id)) p.ids.push(id);
      keep = undefined;
      break;
    }
    // a phandle and a phandle list of the same name share one entry (the first seen)
    if (p.type === propType || (p.type.startsWith('phandle') && propType.startsWith('phandle'))) {
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
  if ('properties' in sub || 'patternProperties' in sub || 'additionalProperties' in sub) {
    extractNodeTypes(table, schema, sub, depth + 1);
  }
}

function extractNodeTypes(table: RawTable, schema: JsonObject, sub: Json, depth: number): void {
  if (!isObject(sub) || depth > 20) return;
  if ('additionalProperties' in sub) extractNodeTypes(table, schema, sub.additionalProperties, depth + 1);
  for (const k of ['properties', 'patternProperties']) {
    const v = sub[k];
    if (!isObject(v)) continue;
    for (const [p, ps] of Object.entries(v)) extractPropType(table, schema, p, ps, k === 'patternProperties', depth + 1);
  }
}

/** Builds the table from normalised schemas (in load order). */
export function buildPropTypeTable(schemas: Iterable<JsonObject>): PropTypeTable {
  const raw: RawTable = new Map();
  for (const s of schemas) extractNodeTypes(raw, s, s, 0);
  raw.delete('^[a-z][a-z0-9\\-]*$');
  for (const [k, v] of raw) {
    const typed = v.filter((t) => t.type !== 'node');
    if (typed.length === 0) raw.delete(k);
    else raw.set(k, typed);
  }
  const patterns: PropTypeTable['patterns'] = [];
  const untyped: string[] = [];
  for (const [k, v] of [...raw]) {
    if (v[0].pattern === undefined) continue;
    const re = safeRegExp(k);
    if (v[0].type !== null && re) patterns.push({ pattern: k, re, types: v });
    else if (re) untyped.push(k);
    raw.delete(k);
  }
  for (const [k, v] of [...raw]) {
    if (v[0].type !== null) continue;
    if (patterns.some((p) => p.types[0].type && p.re.test(k))) raw.delete(k);
  }
  return { props: raw, patterns, untypedPatterns: untyped.map((p) => safeRegExp(p)!) };
}

/** Serialisable form for the disk cache. */
export function tableToJson(t: PropTypeTable): Json {
  const props: JsonObject = {};
  for (const [k, v] of t.props) props[k] = v as unknown as Json;
  return {
    props,
    patterns: t.patterns.map((p) => ({ pattern: p.pattern, types: p.types as unknown as Json })),
    untypedPatterns: t.untypedPatterns.map((re) => re.source),
  };
}

export function tableFromJson(j: JsonObject): PropTypeTable {
  const props = new Map<string, PropType[]>();
  for (const [k, v] of Object.entries(j.props as JsonObject)) props.set(k, v as unknown as PropType[]);
  const patterns = (j.patterns as JsonObject[]).map((p) => ({
    pattern: String(p.pattern),
    re: safeRegExp(String(p.pattern)) ?? /(?!)/,
    types: p.types as unknown as PropType[],
  }));
  const untypedPatterns = ((j.untypedPatterns ?? []) as string[]).map((p) => safeRegExp(p) ?? /(?!)/);
  return { props, patterns, untypedPatterns };
}

/** The types a property name can have (dt-schema's property_get_type). */
export function typesOf(t: PropTypeTable, name: string): Set<string> {
  const out = new Set<string>();
  for (const v of t.props.get(name) ?? []) if (v.type) out.add(v.type);
  if (out.size === 0) {
    for (const p of t.patterns) {
      const ty = p.types[0].type;
      if (ty && !out.has(ty) && p.re.test(name)) out.add(ty);
    }
  }
  if (out.size > 1) out.delete('node');
  return out;
}

export function dimOf(t: PropTypeTable, name: string): Dim | undefined {
  for (const v of t.props.get(name) ?? []) if (v.dim) return v.dim;
  for (const p of t.patterns) {
    const d = p.types[0].dim;
    if (p.types[0].type && d && p.re.test(name)) return d;
  }
  return undefined;
}

export function hasFixedDim(t: PropTypeTable, name: string): boolean {
  const d = dimOf(t, name);
  return !!d && ((d[0][0] > 0 && d[0][0] === d[0][1]) || (d[1][0] > 0 && d[1][0] === d[1][1]));
}
