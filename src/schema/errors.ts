// ajv's errors reshaped into the findings dt-validate (python-jsonschema) reports: one
// finding per failing keyword at the top of the error tree. A failing oneOf/anyOf is ONE
// finding (its branches become its context), if/then reports only what `then` found,
// additional/unevaluated properties are one finding listing all of them, and messages
// use jsonschema's wording with Python's repr of values, which is what users grep for.
import type { ErrorObject } from 'ajv';
import { BYTES_TAG } from './instance.js';
import { isObject } from './json.js';
import type { JsonObject } from './json.js';
import { PATTERN_KEYS } from './patterns.js';

export interface SchemaFinding {
  message: string;
  keyword: string;
  /** instance path below the validated node, e.g. ['clocks'] or ['pinctrl-0'] */
  propertyPath: (string | number)[];
  /** schema path within the selected schema (jsonschema style, without $ref hops) */
  schemaPath: (string | number)[];
  /** schema paths of the branch errors of a oneOf/anyOf */
  context: (string | number)[][];
  /** the properties an additional/unevaluated-properties finding lists */
  extras?: string[];
}

function pyString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

function pyBytes(s: string): string {
  let out = "b'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out + "'";
}

/** Python's repr() of a decoded DT value or schema fragment. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  if (typeof v === 'string') return v.startsWith(BYTES_TAG) ? pyBytes(v.slice(BYTES_TAG.length)) : pyString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

function decodePointer(p: string): (string | number)[] {
  if (p === '') return [];
  return p.slice(1).split('/').map((s) => {
    const t = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(t) ? Number(t) : t;
  });
}

function schemaPathOf(sp: string): (string | number)[] {
  const hash = sp.indexOf('#');
  const frag = hash >= 0 ? sp.slice(hash + 1) : sp;
  return decodePointer(frag).filter((x) => x !== '$ref').map((x) => (x === 'dtUnevaluatedProperties' ? 'unevaluatedProperties' : typeof x === 'string' ? decodeURIComponent(x) : x));
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

function isRefPath(sp: string): boolean {
  return !sp.startsWith('#/') || sp.startsWith('#/$defs/') || sp.startsWith('#/definitions/');
}

function extrasMsg(extras: string[]): string {
  return `${extras.map(pyRepr).join(', ')} ${extras.length === 1 ? 'was' : 'were'}`;
}

function sortPy(xs: string[]): string[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function messageOf(e: ErrorObject): string {
  const d = e.data;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `${pyRepr(p.missingProperty)} is a required property`;
    case 'minItems': return `${pyRepr(d)} is too short`;
    case 'maxItems': return `${pyRepr(d)} is too long`;
    case 'const': return `${pyRepr(e.schema)} was expected`;
    case 'enum': return `${pyRepr(d)} is not one of ${pyRepr(e.schema)}`;
    case 'type': {
      const t = Array.isArray(e.schema) ? e.schema : [e.schema];
      return `${pyRepr(d)} is not of type ${t.map(pyRepr).join(', ')}`;
    }
    case 'minimum': return `${pyRepr(d)} is less than the minimum of ${pyRepr(e.schema)}`;
    case 'maximum': return `${pyRepr(d)} is greater than the maximum of ${pyRepr(e.schema)}`;
    case 'exclusiveMinimum': return `${pyRepr(d)} is less than or equal to the minimum of ${pyRepr(e.schema)}`;
    case 'exclusiveMaximum': return `${pyRepr(d)} is greater than or equal to the maximum of ${pyRepr(e.schema)}`;
    case 'multipleOf': return `${pyRepr(d)} is not a multiple of ${pyRepr(e.schema)}`;
    case 'pattern': return `${pyRepr(d)} does not match ${pyRepr(e.schema)}`;
    case 'uniqueItems': return `${pyRepr(d)} has non-unique elements`;
    case 'dependentRequired':
    case 'dependencies': return `${pyRepr(p.missingProperty)} is a dependency of ${pyRepr(p.property)}`;
    case 'contains': return `${pyRepr(d)} does not contain items matching the given schema`;
    case 'not': return `${pyRepr(d)} should not be valid under ${pyRepr(e.schema)}`;
    case 'false schema': return `False schema does not allow ${pyRepr(d)}`;
    case 'minProperties': return `${pyRepr(d)} does not have enough properties`;
    case 'maxProperties': return `${pyRepr(d)} has too many properties`;
    case 'oneOf':
      if (Array.isArray(p.passingSchemas)) return `${pyRepr(d)} is valid under each of ${(p.passingSchemas as number[]).map(String).join(', ')}`;
      return `${pyRepr(d)} is not valid under any of the given schemas`;
    case 'anyOf': return `${pyRepr(d)} is not valid under any of the given schemas`;
    default: return e.message ?? e.keyword;
  }
}

interface Pending {
  err: ErrorObject;
  context: (string | number)[][];
  group?: string[];
  /** how many of ajv's errors this entry stands for */
  raw: number;
}

/** Reshapes ajv's (allErrors, verbose) error list into dt-validate's findings. */
export function shapeErrors(errors: ErrorObject[], pathPrefix: (string | number)[], branchErrors?: (e: ErrorObject) => number | undefined): SchemaFinding[] {
  const kept: Pending[] = [];
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      // its branch errors sit right before it: fold them into its context
      const context: (string | number)[][] = [];
      let count = branchErrors?.(e);
      let raw = 1;
      while (kept.length) {
        const last = kept[kept.length - 1];
        if (count !== undefined) {
          if (count <= 0) break;
          count -= last.raw;
        } else {
          if (!under(last.err.instancePath, e.instancePath)) break;
          if (!under(last.err.schemaPath, e.schemaPath) && !isRefPath(last.err.schemaPath)) break;
        }
        context.unshift(schemaPathOf(last.err.schemaPath), ...last.context);
        raw += last.raw;
        kept.pop();
      }
      kept.push({ err: e, context, raw });
      continue;
    }
    if (e.keyword === 'if') {
      kept.push({ err: e, context: [], raw: 1, group: undefined });
      continue;
    }
    if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const prop = String((e.params as Record<string, unknown>)[e.keyword === 'additionalProperties' ? 'additionalProperty' : 'unevaluatedProperty']);
      const prev = kept.find((k) => k.group && k.err.keyword === e.keyword && k.err.instancePath === e.instancePath && k.err.schemaPath === e.schemaPath);
      if (prev) {
        prev.group!.push(prop);
        prev.raw++;
      } else kept.push({ err: e, context: [], group: [prop], raw: 1 });
      continue;
    }
    kept.push({ err: e, context: [], raw: 1 });
  }
  return kept.filter((k) => k.err.keyword !== 'if').map(({ err, context, group }) => {
    let message: string;
    if (group) {
      const extras = sortPy(group);
      const pats = isObject(err.parentSchema) ? err.parentSchema.patternProperties : undefined;
      if (err.keyword === 'additionalProperties' && isObject(pats)) {
        // the schema's own pattern list, also where the engine merged it (patterns.ts)
        const listed = (err.parentSchema as JsonObject)[PATTERN_KEYS];
        const keys = Array.isArray(listed) ? (listed as string[]) : Object.keys(pats);
        message = `${extras.map(pyRepr).join(', ')} ${extras.length === 1 ? 'does' : 'do'} not match any of the regexes: ${sortPy(keys).map(pyRepr).join(', ')}`;
      } else if (err.keyword === 'additionalProperties') {
        message = `Additional properties are not allowed (${extrasMsg(extras)} unexpected)`;
      } else {
        message = `Unevaluated properties are not allowed (${extrasMsg(extras)} unexpected)`;
      }
    } else {
      message = messageOf(err);
    }
    return {
      message,
      keyword: err.keyword,
      propertyPath: decodePointer(err.instancePath),
      schemaPath: [...pathPrefix, ...schemaPathOf(err.schemaPath)],
      context,
      ...(group ? { extras: sortPy(group) } : {}),
    };
  });
}
