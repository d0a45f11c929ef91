// `unevaluatedProperties: false` with python-jsonschema's semantics, which dt-validate's
// findings follow and which differ from ajv's: a property counts as evaluated when a
// `properties`/`patternProperties` entry names it (whatever its value), through `$ref`
// always, through allOf/oneOf/anyOf branches only when that branch is valid, and through
// if/then/else by the outcome of `if`. (ajv also mis-generates code for if/then here.)
// Schemas are handed to ajv with the keyword renamed to DT_UNEVALUATED, implemented below.
import type { Json, JsonObject } from './json.js';
import { escapePointer, isObject } from './json.js';

export const DT_UNEVALUATED = 'dtUnevaluatedProperties';

/** A subschema and where it lives (base $id + JSON pointer), so refs and validity resolve. */
export interface SchemaAt {
  schema: Json;
  base: string;
  pointer: string;
}

export interface EvaluationHost {
  /** resolves a `$ref` written in the schema whose $id is `base` */
  resolve(base: string, ref: string): SchemaAt | undefined;
  /** whether `data` is valid against the subschema at base#pointer */
  isValid(at: SchemaAt, data: unknown): boolean;
  /** compiled regular expression for a patternProperties key */
  regExp(pattern: string): RegExp;
}

/** Renames `unevaluatedProperties: false` so that ajv leaves it to us (deep, in place on a copy). */
export function renameUnevaluated(s: Json): Json {
  if (Array.isArray(s)) return s.map(renameUnevaluated);
  if (!isObject(s)) return s;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'unevaluatedProperties' && v === false) out[DT_UNEVALUATED] = false;
    else if (k === 'enum' || k === 'const') out[k] = v;
    else out[k] = renameUnevaluated(v);
  }
  return out;
}

function child(at: SchemaAt, ...keys: (string | number)[]): SchemaAt {
  let s: Json = at.schema;
  for (const k of keys) s = isObject(s) || Array.isArray(s) ? (s as Record<string, Json>)[k] : undefined as unknown as Json;
  const ptr = keys.map(escapePointer).join('/');
  return { schema: s, base: at.base, pointer: `${at.pointer}/${ptr}` };
}

/** Property names of `data` that `at` evaluates (python-jsonschema's rules). */
export function evaluatedKeys(host: EvaluationHost, at: SchemaAt, data: Record<string, unknown>, out: Set<string>, depth = 0): void {
  const s = at.schema;
  if (!isObject(s) || depth > 64) return;
  if (typeof s.$ref === 'string') {
    const r = host.resolve(at.base, s.$ref);
    if (r) evaluatedKeys(host, r, data, out, depth + 1);
  }
  for (const kw of ['properties', 'additionalProperties', DT_UNEVALUATED, 'unevaluatedProperties']) {
    if (!(kw in s)) continue;
    const v = s[kw];
    if (v === true) for (const k of Object.keys(data)) out.add(k);
    else if (isObject(v)) for (const k of Object.keys(v)) if (k in data) out.add(k);
  }
  if (isObject(s.patternProperties)) {
    const res = Object.keys(s.patternProperties).map((p) => host.regExp(p));
    for (const k of Object.keys(data)) if (res.some((re) => re.test(k))) out.add(k);
  }
  if (isObject(s.dependentSchemas)) {
    for (const k of Object.keys(s.dependentSchemas)) {
      if (k in data) evaluatedKeys(host, child(at, 'dependentSchemas', k), data, out, depth + 1);
    }
  }
  for (const kw of ['allOf', 'oneOf', 'anyOf']) {
    const l = s[kw];
    if (!Array.isArray(l)) continue;
    for (let i = 0; i < l.length; i++) {
      const sub = child(at, kw, i);
      if (host.isValid(sub, data)) evaluatedKeys(host, sub, data, out, depth + 1);
    }
  }
  if ('if' in s) {
    const cond = child(at, 'if');
    if (host.isValid(cond, data)) {
      evaluatedKeys(host, cond, data, out, depth + 1);
      if ('then' in s) evaluatedKeys(host, child(at, 'then'), data, out, depth + 1);
    } else if ('else' in s) {
      evaluatedKeys(host, child(at, 'else'), data, out, depth + 1);
    }
  }
}
