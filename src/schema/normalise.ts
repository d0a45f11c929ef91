// Normalisation of binding schemas before validation, with dt-schema's semantics
// (dtschema/fixups.py, run by dt-mk-schema): DT property values are always arrays (a
// string is a one-string list, a cell value a one-row matrix), so the shorthand bindings
// use (`const: foo`, `maxItems: 2`, `items: [a, b]`) is rewritten into the array form the
// instances have, draft-07 `dependencies` becomes 2019-09's keywords, `interrupts` implies
// `interrupts-extended`, and closed node schemas accept the properties every node may have.
import type { Json, JsonObject } from './json.js';
import { deepClone, isObject, isPyInt } from './json.js';

const SCALAR_KEYWORDS = ['const', 'enum', 'pattern', 'minimum', 'maximum', 'multipleOf'];

/** First value of a keyword (first element when it is a list). */
function keywordValue(s: JsonObject, key: string): Json | undefined {
  if (!(key in s)) return undefined;
  const v = s[key];
  return Array.isArray(v) ? v[0] : v;
}

export function isIntSchema(s: Json | undefined): boolean {
  if (!isObject(s)) return false;
  return ['const', 'enum', 'minimum', 'maximum'].some((k) => k in s && isPyInt(keywordValue(s, k)));
}

export function isStringSchema(s: Json | undefined): boolean {
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
  // iterative over nested `items` objects (each level is a schema the file wrote)
  let cur: JsonObject = s;
  while (isObject(cur.items)) cur = cur.items;
  const it = cur.items;
  if (!Array.isArray(it)) return;
  for (const item of it) {
    if (!isObject(item)) continue;
    delete item.description;
    fixRemoveEmptyItems(item);
    if (Object.keys(item).length !== 0) return;
  }
  if (!('type' in cur)) cur.type = 'array';
  if (!('maxItems' in cur)) cur.maxItems = it.length;
  if (!('minItems' in cur)) cur.minItems = it.length;
  delete cur.items;
}

// Kept in step with property-units: suffixes whose values are arrays / matrices.
const UNIT_ARRAY_RE = /-(kBps|bits|percent|bp|db|mhz|sec|ms|us|ns|ps|mm|nanoamp|(micro-)?ohms|micro(amp|watt)(-hours)?|milliwatt|(femto|pico)farads|(milli)?celsius|kelvin|k?pascal)$/;
const UNIT_MATRIX_RE = /-(hz|microvolt)$/;

function fixUnitSuffixProps(s: JsonObject, path: string[]): void {
  // the property is named after the innermost properties/$defs/definitions in the path
  let at = path.length - 1;
  while (at >= 0 && path[at] !== 'properties' && path[at] !== '$defs' && path[at] !== 'definitions') at--;
  if (at < 0) return;
  // the name after it (dt-schema's reversed-list lookup wraps to the first element at the end)
  const propName = at === path.length - 1 ? path[0] : path[at + 1];
  if ('$ref' in s) return;
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
  const inCond = path.includes('then') || path.includes('else');
  const stack: Json[] = [s];
  while (stack.length) {
    const cur = stack.pop()!;
    if (Array.isArray(cur)) {
      for (const x of cur) stack.push(x);
      continue;
    }
    if (!isObject(cur)) continue;
    delete cur.description;
    if ('items' in cur) {
      cur.type = 'array';
      if (Array.isArray(cur.items)) {
        const n = cur.items.length;
        if (!('minItems' in cur)) cur.minItems = n;
        if (!('maxItems' in cur)) cur.maxItems = n;
      }
      stack.push(cur.items);
    } else if (!inCond) {
      if ('maxItems' in cur && !('minItems' in cur)) cur.minItems = cur.maxItems;
      else if ('minItems' in cur && !('maxItems' in cur)) cur.maxItems = cur.minItems;
    }
  }
}

/** draft-07 `dependencies` becomes 2019-09's dependentRequired / dependentSchemas. */
export function fixDependencies(s: Json): void {
  if (!isObject(s) || !('dependencies' in s)) return;
  const deps = s.dependencies;
  delete s.dependencies;
  if (!isObject(deps)) return;
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
function fixConstListToEnum(s: JsonObject): void {
  let cur = s;
  let list: Json | undefined;
  for (;;) {
    if ('anyOf' in cur) list = cur.anyOf;
    else if ('oneOf' in cur) list = cur.oneOf;
    else if (isObject(cur.items)) {
      cur = cur.items;
      continue;
    } else return;
    break;
  }
  if (!Array.isArray(list)) return;
  const values: Json[] = [];
  for (const l of list) {
    if (!isObject(l) || !('const' in l)) return;
    // dt-schema stops only at a strict superset of {const, description}: other extra keys are dropped
    if ('description' in l && Object.keys(l).length > 2) return;
    values.push(l.const);
  }
  delete cur.anyOf;
  delete cur.oneOf;
  cur.enum = values;
}

/** dt-schema's walk_properties: conditionals first, then the property value rules. */
function walkProperties(s: Json, path: string[]): void {
  if (!isObject(s)) return;
  fixConstListToEnum(s);
  for (const cond of ['allOf', 'oneOf', 'anyOf']) {
    const l = s[cond];
    if (Array.isArray(l)) for (const x of l) walkProperties(x, [...path, cond]);
  }
  if ('then' in s) walkProperties(s.then, [...path, 'then']);
  fixPropertyValues(s, path);
}

/** `interrupts` implies `interrupts-extended` (and either one satisfies `required`). */
function fixInterrupts(s: JsonObject, path: string[]): void {
  const either = (): Json => ({ oneOf: [{ required: ['interrupts'] }, { required: ['interrupts-extended'] }] });
  if (isObject(s.properties)) {
    const props = s.properties;
    if (('interrupts' in props || 'interrupt-controller' in props) && !('interrupt-parent' in props)) {
      props['interrupt-parent'] = true;
    }
    if ('interrupts' in props && !('interrupts-extended' in props)) props['interrupts-extended'] = deepClone(props.interrupts);
  }
  const req = s.required;
  if (Array.isArray(req) && req.includes('interrupts') && (path.length === 0 || path[path.length - 1] !== 'oneOf')) {
    const reqlist = (either() as JsonObject).oneOf;
    if ('oneOf' in s) {
      if (!Array.isArray(s.allOf)) s.allOf = [];
      (s.allOf as Json[]).push({ oneOf: reqlist });
    } else {
      s.oneOf = reqlist;
    }
    req.splice(req.indexOf('interrupts'), 1);
    if (req.length === 0) delete s.required;
  }
  if (isObject(s.dependentRequired)) {
    const depReq = s.dependentRequired;
    if ('interrupts' in depReq && !('interrupts-extended' in depReq)) depReq['interrupts-extended'] = depReq.interrupts;
    for (const [prop, val] of Object.entries(depReq)) {
      if (!Array.isArray(val) || !val.includes('interrupts')) continue;
      s.dependentSchemas = { [prop]: either() };
      val.splice(val.indexOf('interrupts'), 1);
      if (val.length === 0) {
        delete depReq[prop];
        break;
      }
    }
    if (Object.keys(depReq).length === 0) delete s.dependentRequired;
  }
  if (isObject(s.dependentSchemas) && 'interrupts' in s.dependentSchemas && !('interrupts-extended' in s.dependentSchemas)) {
    s.dependentSchemas['interrupts-extended'] = s.dependentSchemas.interrupts;
  }
}

/** Properties every node may have, added where a schema says anything about undeclared ones. */
function fixNodeProps(s: JsonObject): void {
  if (!('unevaluatedProperties' in s) && !('additionalProperties' in s)) return;
  const keys = [...(isObject(s.properties) ? Object.keys(s.properties) : []), ...(isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [])];
  const props = (): JsonObject => {
    if (!isObject(s.properties)) s.properties = {};
    return s.properties as JsonObject;
  };
  if (keys.includes('clocks') && !keys.includes('assigned-clocks')) {
    for (const p of ['assigned-clocks', 'assigned-clock-rates-u64', 'assigned-clock-rates', 'assigned-clock-parents', 'assigned-clock-sscs']) {
      props()[p] = true;
    }
  }
  if (keys.includes('ranges') && !('dma-ranges' in props())) props()['dma-ranges'] = true;
  if (s.additionalProperties === true || s.unevaluatedProperties === true) return;
  const p = props();
  for (const name of ['phandle', 'status', 'secure-status', '$nodename', 'bootph-pre-sram', 'bootph-verify',
    'bootph-pre-ram', 'bootph-some-ram', 'bootph-all']) {
    if (!(name in p)) p[name] = true;
  }
  // (a `^pinctrl-[0-9]+$` pattern key does not count: it starts with '^')
  if (!keys.some((k) => /^pinctrl-[0-9]/.test(k))) {
    if (!('pinctrl-names' in p)) p['pinctrl-names'] = true;
    if (!isObject(s.patternProperties)) s.patternProperties = {};
    (s.patternProperties as JsonObject)['^pinctrl-[0-9]+$'] = true;
  }
}

/** Properties whose rows have no fixed size: only their type is checked. */
const VARIABLE_MATRIX_PROPS = new Set(['fsl,pins', 'qcom,board-id']);
const PROPERTY_CONTAINERS = new Set(['dependentRequired', 'dependentSchemas', 'dependencies', 'properties', 'patternProperties', '$defs', 'definitions']);
const SUBSCHEMA_KEYS = new Set(['select', 'if', 'then', 'else', 'not', 'additionalProperties']);

/** dt-schema's fixup_sub_schema, over a node schema and every node schema inside it. */
function fixSubSchema(s: Json, path: string[]): void {
  if (!isObject(s)) return;
  delete s.description;
  fixDependencies(s);
  fixInterrupts(s, path);
  fixNodeProps(s);
  // `additionalProperties: true` defeats unevaluatedProperties in 2019-09; it only marks
  // incomplete common schemas, so it goes.
  if (s.additionalProperties === true) delete s.additionalProperties;
  for (const [k, v] of Object.entries(s)) {
    if (SUBSCHEMA_KEYS.has(k)) fixSubSchema(v, [...path, k]);
    if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) for (const x of v) fixSubSchema(x, [...path, k]);
    if (!PROPERTY_CONTAINERS.has(k) || !isObject(v)) continue;
    for (const prop of Object.keys(v)) {
      const ps = v[prop];
      if (VARIABLE_MATRIX_PROPS.has(prop) && isObject(ps)) {
        v[prop] = ps.$ref ? { $ref: ps.$ref } : {};
        continue;
      }
      walkProperties(ps, [...path, k, prop]);
      fixSubSchema(ps, [...path, k, prop]);
    }
  }
}

/** A `select` for schemas that only name their node ($nodename) and no compatible. */
function addNodenameSelect(s: JsonObject): void {
  if ('select' in s) return;
  if (!isObject(s.properties) || 'compatible' in s.properties) return;
  const nn = s.properties.$nodename;
  if ('$nodename' in s.properties && nn !== true) {
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
  fixSubSchema(s, []);
  s.type = 'object';
  return s;
}
