// Normalisation of binding schemas before validation, with dt-schema's semantics:
// DT property values are always arrays (a string is a one-string list, a cell value a
// one-row matrix), so the shorthand bindings use (`const: foo`, `maxItems: 2`, `items:
// [a, b]`) is rewritten into the array form the instances have. Pure functions: the input
// schema is cloned, never mutated.
import type { Json, JsonObject } from './json.js';
import { deepClone, isObject, isPyInt } from './json.js';

const SCALAR_KEYWORDS = ['const', 'enum', 'pattern', 'minimum', 'maximum', 'multipleOf'];

/** First value of a keyword (first element when it is a list). */
function keywordValue(s: JsonObject, key: string): Json | undefined {
  if (!(key in s)) return undefined;
  const v = s[key];
  return Array.isArray(v) ? v[0] : v;
}

export function isIntSchema(s: Json): boolean {
  if (!isObject(s)) return false;
  return ['const', 'enum', 'minimum', 'maximum'].some((k) => k in s && isPyInt(keywordValue(s, k)));
}

export function isStringSchema(s: Json): boolean {
  if (!isObject(s)) return false;
  return ['const', 'enum', 'pattern'].some((k) => k in s && typeof keywordValue(s, k) === 'string');
}

/** Moves the scalar keywords out of `s` into a new schema. */
function takeScalarKeywords(s: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of SCALAR_KEYWORDS) {
    if (k in s) {
      out[k] = s[k];
      delete s[k];
    }
  }
  return out;
}

/** (min, max) item counts a (fixed-up) array schema allows, as dt-schema reckons them. */
export function arrayRange(s: Json): [number, number] {
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
  return [num(s.minItems, 1), num(s.maxItems, num(s.minItems, 0))];
}

function fixStringToArray(s: JsonObject): void {
  if (isStringSchema(s)) s.items = [takeScalarKeywords(s)];
}

function fixRegSchema(s: JsonObject, path: string[]): void {
  if (!path.includes('reg')) return;
  let item: JsonObject;
  if ('items' in s) {
    const it = s.items;
    const first = Array.isArray(it) ? it[0] : it;
    if (!isObject(first) || !isIntSchema(first)) return;
    item = first;
  } else if (isIntSchema(s)) {
    item = s;
  } else {
    return;
  }
  s.items = [{ items: [takeScalarKeywords(item)] }];
}

function isMatrixSchema(s: JsonObject): boolean {
  const it = s.items;
  if (it === undefined) return false;
  const hasDims = (x: Json): boolean => isObject(x) && ('items' in x || 'maxItems' in x || 'minItems' in x);
  return Array.isArray(it) ? it.some(hasDims) : hasDims(it);
}

/** An `items` list of empty schemas only says how many items: turn it into counts. */
function fixRemoveEmptyItems(s: JsonObject): void {
  const it = s.items;
  if (it === undefined) return;
  if (isObject(it)) {
    fixRemoveEmptyItems(it);
    return;
  }
  if (!Array.isArray(it)) return;
  for (const item of it) {
    if (!isObject(item)) continue;
    delete item.description;
    fixRemoveEmptyItems(item);
    if (Object.keys(item).length !== 0) return;
  }
  if (!('type' in s)) s.type = 'array';
  if (!('maxItems' in s)) s.maxItems = it.length;
  if (!('minItems' in s)) s.minItems = it.length;
  delete s.items;
}

// Kept in step with property-units: suffixes whose values are arrays / matrices.
const UNIT_ARRAY_RE = /-(kBps|bits|percent|bp|mhz|sec|ms|us|ns|ps|mm|nanoamp|(micro-)?ohms|micro(amp|watt)(-hours)?|milliwatt|(femto|pico)farads|(milli)?celsius|kelvin|k?pascal)$/;
const UNIT_MATRIX_RE = /-(hz|microvolt)$/;

function fixUnitSuffixProps(s: JsonObject, path: string[]): void {
  let propName: string | undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i] === 'properties' || path[i] === '$defs') {
      propName = path[i + 1];
      break;
    }
  }
  if (propName === undefined) return;
  if (UNIT_ARRAY_RE.test(propName) && isIntSchema(s)) {
    s.items = [takeScalarKeywords(s)];
  } else if (UNIT_MATRIX_RE.test(propName)) {
    if (isMatrixSchema(s)) return;
    if ('items' in s || 'minItems' in s || 'maxItems' in s) {
      s.items = [deepClone(s)];
      delete s.minItems;
      delete s.maxItems;
    } else if (isIntSchema(s)) {
      s.items = [{ items: [takeScalarKeywords(s)] }];
    }
  }
}

/** `items: [a, b]` fixes the count; a lone min/max bound fixes the other (outside if/then/else). */
function fixItemsSize(s: Json, path: string[]): void {
  if (Array.isArray(s)) {
    for (const x of s) fixItemsSize(x, path);
    return;
  }
  if (!isObject(s)) return;
  delete s.description;
  if ('items' in s) {
    s.type = 'array';
    if (Array.isArray(s.items)) {
      const n = s.items.length;
      if (!('minItems' in s)) s.minItems = n;
      if (!('maxItems' in s)) s.maxItems = n;
    }
    fixItemsSize(s.items, [...path, 'items']);
  } else if (!path.includes('then') && !path.includes('else')) {
    if ('maxItems' in s && !('minItems' in s)) s.minItems = s.maxItems;
    else if ('minItems' in s && !('maxItems' in s)) s.maxItems = s.minItems;
  }
}

/** draft-07 `dependencies` becomes 2019-09's dependentRequired / dependentSchemas. */
export function fixDependencies(s: Json): void {
  if (!isObject(s) || !isObject(s.dependencies)) return;
  const deps = s.dependencies;
  delete s.dependencies;
  for (const [k, v] of Object.entries(deps)) {
    const target = Array.isArray(v) ? 'dependentRequired' : 'dependentSchemas';
    if (!isObject(s[target])) s[target] = {};
    (s[target] as JsonObject)[k] = v;
  }
}

function fixPropertyValues(s: JsonObject, path: string[]): void {
  delete s.description;
  fixRegSchema(s, path);
  fixRemoveEmptyItems(s);
  fixUnitSuffixProps(s, path);
  fixStringToArray(s);
  fixItemsSize(s, path);
  fixDependencies(s);
}

/** oneOf/anyOf lists of bare `const`s (used for per-entry descriptions) become an enum. */
function fixConstListToEnum(s: JsonObject, path: string[]): void {
  let list: Json | undefined;
  if ('anyOf' in s) list = s.anyOf;
  else if ('oneOf' in s) list = s.oneOf;
  else if (isObject(s.items)) {
    fixConstListToEnum(s.items, [...path, 'items']);
    return;
  } else return;
  if (!Array.isArray(list)) return;
  const values: Json[] = [];
  for (const l of list) {
    if (!isObject(l) || !('const' in l)) return;
    if (Object.keys(l).some((k) => k !== 'const' && k !== 'description')) return;
    values.push(l.const);
  }
  delete s.anyOf;
  delete s.oneOf;
  s.enum = values;
}

function fixPropertySchema(s: Json, path: string[]): void {
  if (!isObject(s)) return;
  fixConstListToEnum(s, path);
  for (const cond of ['allOf', 'oneOf', 'anyOf']) {
    const l = s[cond];
    if (Array.isArray(l)) for (const x of l) fixPropertySchema(x, [...path, cond]);
  }
  if ('then' in s) fixPropertySchema(s.then, [...path, 'then']);
  fixPropertyValues(s, path);
}

/** `interrupts` implies `interrupts-extended` (and either one satisfies `required`). */
function fixInterrupts(s: JsonObject, path: string[]): void {
  if (isObject(s.properties)) {
    const props = s.properties;
    if (('interrupts' in props || 'interrupt-controller' in props) && !('interrupt-parent' in props)) {
      props['interrupt-parent'] = true;
    }
    if (!('interrupts' in props) || 'interrupts-extended' in props) return;
    props['interrupts-extended'] = deepClone(props.interrupts);
  }
  const req = s.required;
  if (Array.isArray(req) && req.includes('interrupts') && (path.length === 0 || path[path.length - 1] !== 'oneOf')) {
    const either: Json = [{ required: ['interrupts'] }, { required: ['interrupts-extended'] }];
    if ('oneOf' in s) {
      if (!Array.isArray(s.allOf)) s.allOf = [];
      (s.allOf as Json[]).push({ oneOf: either });
    } else {
      s.oneOf = either;
    }
    s.required = req.filter((r) => r !== 'interrupts');
    if ((s.required as Json[]).length === 0) delete s.required;
  }
}

/** Properties every node may have, added where a schema forbids undeclared ones. */
function addImplicitNodeProperties(s: JsonObject): void {
  const closed = ('unevaluatedProperties' in s && s.unevaluatedProperties !== true) ||
    ('additionalProperties' in s && s.additionalProperties !== true);
  if (!closed) return;
  if (!isObject(s.properties)) s.properties = {};
  const props = s.properties as JsonObject;
  for (const p of ['phandle', 'status', 'secure-status', '$nodename', 'bootph-pre-sram', 'bootph-verify',
    'bootph-pre-ram', 'bootph-some-ram', 'bootph-all']) {
    if (!(p in props)) props[p] = true;
  }
  if ('ranges' in props && !('dma-ranges' in props)) props['dma-ranges'] = true;
  const keys = [...Object.keys(props), ...(isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [])];
  if (!keys.some((k) => /^\^?pinctrl-[0-9]/.test(k))) {
    if (!('pinctrl-names' in props)) props['pinctrl-names'] = true;
    if (!isObject(s.patternProperties)) s.patternProperties = {};
    (s.patternProperties as JsonObject)['^pinctrl-[0-9]+$'] = true;
  }
  if (keys.includes('clocks') && !keys.includes('assigned-clocks')) {
    for (const p of ['assigned-clocks', 'assigned-clock-rates-u64', 'assigned-clock-rates', 'assigned-clock-parents', 'assigned-clock-sscs']) {
      props[p] = true;
    }
  }
}

/** Properties whose rows have no fixed size: only their type is checked. */
const VARIABLE_MATRIX_PROPS = new Set(['fsl,pins', 'qcom,board-id']);

function fixNodeSchema(s: Json, path: string[]): void {
  if (!isObject(s)) return;
  delete s.description;
  fixInterrupts(s, path);
  addImplicitNodeProperties(s);
  // `additionalProperties: true` defeats unevaluatedProperties in 2019-09; it only marks
  // incomplete common schemas, so it goes.
  if (s.additionalProperties === true) delete s.additionalProperties;
  for (const [k, v] of Object.entries(s)) {
    if (['select', 'if', 'then', 'else', 'not', 'additionalProperties'].includes(k)) fixNodeSchema(v, [...path, k]);
    if (['allOf', 'anyOf', 'oneOf'].includes(k) && Array.isArray(v)) for (const x of v) fixNodeSchema(x, [...path, k]);
    if (!['dependentRequired', 'dependentSchemas', 'dependencies', 'properties', 'patternProperties', '$defs'].includes(k)) continue;
    if (!isObject(v)) continue;
    for (const prop of Object.keys(v)) {
      const ps = v[prop];
      if (VARIABLE_MATRIX_PROPS.has(prop) && isObject(ps)) {
        v[prop] = '$ref' in ps ? { $ref: ps.$ref } : {};
        continue;
      }
      fixPropertySchema(ps, [...path, k, prop]);
      fixNodeSchema(ps, [...path, k, prop]);
    }
  }
  fixDependencies(s);
}

/** A `select` for schemas that only name their node ($nodename) and no compatible. */
function addNodenameSelect(s: JsonObject): void {
  if ('select' in s) return;
  if (!isObject(s.properties) || 'compatible' in s.properties) return;
  const nn = s.properties.$nodename;
  if (nn !== undefined && nn !== true) {
    s.select = { required: ['$nodename'], properties: { $nodename: deepClone(nn) } };
  }
}

/** The whole normalisation of one binding, as dt-schema's processed schema holds it.
 *  `inPlace` reuses `raw` (freshly parsed and not needed afterwards) instead of copying it:
 *  the copy of ~5,500 bindings cost ~0.5 s of a cold start. */
export function normaliseSchema(raw: JsonObject, opts: { inPlace?: boolean } = {}): JsonObject {
  const s = opts.inPlace ? raw : deepClone(raw);
  delete s.examples;
  delete s.maintainers;
  delete s.historical;
  addNodenameSelect(s);
  fixNodeSchema(s, []);
  s.type = 'object';
  return s;
}
