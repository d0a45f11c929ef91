// Validity of an instance against a schema, by walking the schema instead of generating
// code. ajv compiles every schema it meets to JavaScript, which costs more than the whole
// validation of one board (~180 schemas and ~400 branch checks on lemans-evk), so the
// engine asks this interpreter first and compiles with ajv only what fails, for its errors.
// The answers must be ajv's (draft 2019-09, strict off, the engine's options): each
// keyword below follows ajv's generated code; a keyword this file does not know the exact
// meaning of throws Unsupported and the engine takes ajv's answer instead.
import type { Json, JsonObject } from './json.js';
import { escapePointer, isObject, jsonEqual } from './json.js';
import { DT_UNEVALUATED } from './unevaluated.js';
import type { SchemaAt } from './unevaluated.js';

/** A schema construct whose exact ajv behaviour is not reproduced here. */
export class Unsupported extends Error {}

export interface InterpreterHost {
  /** resolves a `$ref` written in the schema resource `base` (adding it if needed) */
  resolve(base: string, ref: string): SchemaAt | undefined;
  /** the regular expression ajv would build for `pattern` (pyRegExp, no flags) */
  regExp(pattern: string): RegExp;
  /** the `typeSize` keyword: whether the integers at `instancePath` are `expected` bits wide */
  typeSize(expected: number, root: unknown, instancePath: string): boolean;
  /** the DT_UNEVALUATED keyword of `parentSchema`: whether `data` has no unevaluated key */
  unevaluated(parentSchema: JsonObject, data: unknown): boolean;
}

/** Where in the instance the evaluation is: root (for typeSize) and the path to here. */
interface Cursor {
  root: unknown;
  path: (string | number)[];
}

type Check = (data: unknown, at: Cursor) => boolean;

const TRUE: Check = () => true;
const FALSE: Check = () => false;

/** Keywords that carry no assertion (annotations, containers reached only through $ref). */
const IGNORED = new Set([
  '$id', '$schema', '$comment', '$defs', 'definitions', 'title', 'description', 'default', 'examples',
  'deprecated', 'readOnly', 'writeOnly', 'format', 'select', 'then', 'else', 'additionalItems',
  'contentMediaType', 'contentEncoding', 'contentSchema', 'minContains', 'maxContains', 'dtPatternKeys',
]);

/** String length in code points, as ajv's ucs2length. */
function ucs2length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

function typeMatches(t: string, d: unknown): boolean {
  switch (t) {
    case 'object': return isObject(d);
    case 'array': return Array.isArray(d);
    case 'string': return typeof d === 'string';
    case 'boolean': return typeof d === 'boolean';
    case 'null': return d === null;
    case 'number': return typeof d === 'number' && Number.isFinite(d);
    case 'integer': return typeof d === 'number' && !(d % 1) && !Number.isNaN(d) && Number.isFinite(d);
    default: throw new Unsupported(`type '${t}'`);
  }
}

function num(v: Json, kw: string): number {
  if (typeof v !== 'number') throw new Unsupported(`${kw} is not a number`);
  return v;
}

function all(checks: Check[]): Check {
  if (checks.length === 0) return TRUE;
  if (checks.length === 1) return checks[0];
  return (d, at) => {
    for (const c of checks) if (!c(d, at)) return false;
    return true;
  };
}

/** Runs `c` on `d` one step deeper in the instance. */
function below(c: Check, d: unknown, at: Cursor, seg: string | number): boolean {
  at.path.push(seg);
  try {
    return c(d, at);
  } finally {
    at.path.pop();
  }
}

export class SchemaInterpreter {
  /** compiled checks by schema object (each object lives in one resource) */
  private checks = new WeakMap<object, Check>();

  constructor(private host: InterpreterHost) {}

  /** Whether `data` is valid against the schema at `at` (`data` is the root for typeSize). */
  isValid(at: SchemaAt, data: unknown): boolean {
    return this.compile(at.schema, at.base, at.pointer === '')(data, { root: data, path: [] });
  }

  /** Compiles (once) the check of schema `s` from resource `base`; throws Unsupported. */
  compile(s: Json, base: string, isRoot = false): Check {
    if (s === true) return TRUE;
    if (s === false) return FALSE;
    if (!isObject(s)) throw new Unsupported('schema is neither an object nor a boolean');
    const known = this.checks.get(s);
    if (known) return known;
    // a cell first, so that recursive references reach the finished check
    let done: Check | undefined;
    const cell: Check = (d, at) => done!(d, at);
    this.checks.set(s, cell);
    try {
      done = this.build(s, base, isRoot);
    } catch (e) {
      this.checks.delete(s);
      throw e;
    }
    this.checks.set(s, done);
    return done;
  }

  private build(s: JsonObject, base: string, isRoot: boolean): Check {
    const checks: Check[] = [];
    for (const [kw, v] of Object.entries(s)) {
      if (IGNORED.has(kw)) {
        if (kw === '$id' && !isRoot) throw new Unsupported('$id below a resource root');
        continue;
      }
      switch (kw) {
        case '$ref': checks.push(this.ref(v, base)); break;
        case 'type': checks.push(this.type(v)); break;
        case 'enum': checks.push(this.enumCheck(v)); break;
        case 'const': checks.push((d) => jsonEqual(d, v)); break;
        case 'allOf': case 'anyOf': case 'oneOf': checks.push(this.combinator(kw, v, base)); break;
        case 'not': {
          const c = this.compile(v, base);
          checks.push((d, at) => !c(d, at));
          break;
        }
        case 'if': checks.push(this.ifThenElse(s, base)); break;
        // numbers
        case 'minimum': { const m = num(v, kw); checks.push((d) => typeof d !== 'number' || !(d < m || Number.isNaN(d))); break; }
        case 'maximum': { const m = num(v, kw); checks.push((d) => typeof d !== 'number' || !(d > m || Number.isNaN(d))); break; }
        case 'exclusiveMinimum': { const m = num(v, kw); checks.push((d) => typeof d !== 'number' || !(d <= m || Number.isNaN(d))); break; }
        case 'exclusiveMaximum': { const m = num(v, kw); checks.push((d) => typeof d !== 'number' || !(d >= m || Number.isNaN(d))); break; }
        case 'multipleOf': {
          const m = num(v, kw);
          checks.push((d) => {
            if (typeof d !== 'number') return true;
            if (m === 0) return false;
            const r = d / m;
            return r === parseInt(String(r), 10);
          });
          break;
        }
        // strings
        case 'pattern': {
          if (typeof v !== 'string') throw new Unsupported('pattern is not a string');
          const re = this.host.regExp(v);
          checks.push((d) => typeof d !== 'string' || re.test(d));
          break;
        }
        case 'minLength': { const m = num(v, kw); checks.push((d) => typeof d !== 'string' || ucs2length(d) >= m); break; }
        case 'maxLength': { const m = num(v, kw); checks.push((d) => typeof d !== 'string' || ucs2length(d) <= m); break; }
        // arrays
        case 'items': checks.push(this.items(v, s.additionalItems, base)); break;
        case 'minItems': { const m = num(v, kw); checks.push((d) => !Array.isArray(d) || d.length >= m); break; }
        case 'maxItems': { const m = num(v, kw); checks.push((d) => !Array.isArray(d) || d.length <= m); break; }
        case 'uniqueItems': if (v === true) checks.push((d) => !Array.isArray(d) || unique(d)); break;
        case 'contains': checks.push(this.contains(v, s.minContains, s.maxContains, base)); break;
        // objects
        case 'required': {
          if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Unsupported('required is not a list of names');
          const names = v as string[];
          checks.push((d) => !isObject(d) || names.every((n) => d[n] !== undefined));
          break;
        }
        case 'properties': checks.push(this.properties(v, base)); break;
        case 'patternProperties': checks.push(this.patternProperties(v, base)); break;
        case 'additionalProperties': checks.push(this.additionalProperties(s, v, base)); break;
        case 'dependentRequired': checks.push(this.dependentRequired(v)); break;
        case 'dependentSchemas': checks.push(this.dependentSchemas(v, base)); break;
        case 'dependencies': checks.push(this.dependencies(v, base)); break;
        case 'propertyNames': {
          const c = this.compile(v, base);
          checks.push((d, at) => !isObject(d) || Object.keys(d).every((k) => c(k, at)));
          break;
        }
        case 'minProperties': { const m = num(v, kw); checks.push((d) => !isObject(d) || Object.keys(d).length >= m); break; }
        case 'maxProperties': { const m = num(v, kw); checks.push((d) => !isObject(d) || Object.keys(d).length <= m); break; }
        case 'unevaluatedProperties':
          // `false` is renamed to DT_UNEVALUATED before schemas reach the engine
          if (v !== true) throw new Unsupported('unevaluatedProperties with a schema');
          break;
        case DT_UNEVALUATED: checks.push((d) => this.host.unevaluated(s, d)); break;
        case 'typeSize': {
          const bits = num(v, kw);
          checks.push((_d, at) => this.host.typeSize(bits, at.root, at.path.map((p) => `/${escapePointer(p)}`).join('')));
          break;
        }
        default:
          // keywords of ajv's 2019-09 vocabularies that are not reproduced here
          if (kw.startsWith('$') || kw === 'unevaluatedItems' || kw === 'discriminator' || kw === 'nullable') throw new Unsupported(`keyword ${kw}`);
          // anything else is an unknown keyword, which ajv (strict off) ignores
      }
    }
    return all(checks);
  }

  private ref(v: Json, base: string): Check {
    if (typeof v !== 'string') throw new Unsupported('$ref is not a string');
    const target = this.host.resolve(base, v);
    if (!target || target.schema === undefined) throw new Unsupported(`unresolvable $ref ${v}`);
    return this.compile(target.schema, target.base, target.pointer === '');
  }

  private type(v: Json): Check {
    if (typeof v === 'string') {
      typeMatches(v, null);
      return (d) => typeMatches(v, d);
    }
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) {
      const ts = v as string[];
      for (const t of ts) typeMatches(t, null);
      return (d) => ts.some((t) => typeMatches(t, d));
    }
    throw new Unsupported('type is neither a name nor a list of names');
  }

  private enumCheck(v: Json): Check {
    if (!Array.isArray(v)) throw new Unsupported('enum is not a list');
    const prims = new Set<unknown>();
    const objects: Json[] = [];
    for (const x of v) {
      if (x !== null && typeof x === 'object') objects.push(x);
      else prims.add(x);
    }
    return (d) => (d !== null && typeof d === 'object' ? objects.some((o) => jsonEqual(d, o)) : prims.has(d));
  }

  private combinator(kw: 'allOf' | 'anyOf' | 'oneOf', v: Json, base: string): Check {
    if (!Array.isArray(v)) throw new Unsupported(`${kw} is not a list`);
    const cs = v.map((x) => this.compile(x, base));
    if (kw === 'allOf') return all(cs);
    if (kw === 'anyOf') return (d, at) => cs.some((c) => c(d, at));
    return (d, at) => {
      let n = 0;
      for (const c of cs) if (c(d, at) && ++n > 1) return false;
      return n === 1;
    };
  }

  private ifThenElse(s: JsonObject, base: string): Check {
    const cond = this.compile(s.if, base);
    const then = 'then' in s ? this.compile(s.then, base) : undefined;
    const otherwise = 'else' in s ? this.compile(s.else, base) : undefined;
    if (!then && !otherwise) return TRUE;
    return (d, at) => (cond(d, at) ? (then ? then(d, at) : true) : (otherwise ? otherwise(d, at) : true));
  }

  private items(v: Json, additional: Json | undefined, base: string): Check {
    if (Array.isArray(v)) {
      const cs = v.map((x) => this.compile(x, base));
      const extra = additional === undefined ? undefined : this.compile(additional, base);
      return (d, at) => {
        if (!Array.isArray(d)) return true;
        const n = Math.min(d.length, cs.length);
        for (let i = 0; i < n; i++) if (!below(cs[i], d[i], at, i)) return false;
        if (extra && extra !== TRUE) for (let i = cs.length; i < d.length; i++) if (!below(extra, d[i], at, i)) return false;
        return true;
      };
    }
    const c = this.compile(v, base);
    if (c === TRUE) return TRUE;
    return (d, at) => {
      if (!Array.isArray(d)) return true;
      for (let i = 0; i < d.length; i++) if (!below(c, d[i], at, i)) return false;
      return true;
    };
  }

  private contains(v: Json, min: Json | undefined, max: Json | undefined, base: string): Check {
    const c = this.compile(v, base);
    const lo = min === undefined ? 1 : num(min, 'minContains');
    const hi = max === undefined ? Infinity : num(max, 'maxContains');
    return (d, at) => {
      if (!Array.isArray(d)) return true;
      let n = 0;
      for (let i = 0; i < d.length; i++) if (below(c, d[i], at, i)) n++;
      return n >= lo && n <= hi;
    };
  }

  private properties(v: Json, base: string): Check {
    if (!isObject(v)) throw new Unsupported('properties is not a mapping');
    const entries = Object.entries(v).map(([k, x]) => [k, this.compile(x, base)] as const).filter(([, c]) => c !== TRUE);
    if (entries.length === 0) return TRUE;
    return (d, at) => {
      if (!isObject(d)) return true;
      for (const [k, c] of entries) {
        const x = d[k];
        if (x !== undefined && !below(c, x, at, k)) return false;
      }
      return true;
    };
  }

  private patternList(v: Json): RegExp[] {
    if (!isObject(v)) throw new Unsupported('patternProperties is not a mapping');
    return Object.keys(v).map((p) => this.host.regExp(p));
  }

  private patternProperties(v: Json, base: string): Check {
    const res = this.patternList(v);
    const cs = Object.values(v as JsonObject).map((x) => this.compile(x, base));
    const live = res.map((re, i) => ({ re, c: cs[i] })).filter(({ c }) => c !== TRUE);
    if (live.length === 0) return TRUE;
    return (d, at) => {
      if (!isObject(d)) return true;
      for (const k of Object.keys(d)) {
        for (const { re, c } of live) if (re.test(k) && !below(c, d[k], at, k)) return false;
      }
      return true;
    };
  }

  private additionalProperties(s: JsonObject, v: Json, base: string): Check {
    const c = this.compile(v, base);
    if (c === TRUE) return TRUE;
    const named = new Set(isObject(s.properties) ? Object.keys(s.properties) : []);
    const res = s.patternProperties === undefined ? [] : this.patternList(s.patternProperties);
    return (d, at) => {
      if (!isObject(d)) return true;
      for (const k in d) {
        if (named.has(k) || res.some((re) => re.test(k))) continue;
        if (c === FALSE || !below(c, d[k], at, k)) return false;
      }
      return true;
    };
  }

  private dependentRequired(v: Json): Check {
    if (!isObject(v)) throw new Unsupported('dependentRequired is not a mapping');
    const deps = Object.entries(v).map(([k, l]) => {
      if (!Array.isArray(l)) throw new Unsupported('dependentRequired entry is not a list');
      return [k, l.map(String)] as const;
    });
    return (d) => !isObject(d) || deps.every(([k, l]) => d[k] === undefined || l.every((n) => d[n] !== undefined));
  }

  private dependentSchemas(v: Json, base: string): Check {
    if (!isObject(v)) throw new Unsupported('dependentSchemas is not a mapping');
    const deps = Object.entries(v).map(([k, x]) => [k, this.compile(x, base)] as const);
    return (d, at) => !isObject(d) || deps.every(([k, c]) => d[k] === undefined || c(d, at));
  }

  private dependencies(v: Json, base: string): Check {
    if (!isObject(v)) throw new Unsupported('dependencies is not a mapping');
    const req: JsonObject = {};
    const sch: JsonObject = {};
    for (const [k, x] of Object.entries(v)) (Array.isArray(x) ? req : sch)[k] = x;
    return all([this.dependentRequired(req), this.dependentSchemas(sch, base)]);
  }
}

function unique(d: unknown[]): boolean {
  for (let i = 1; i < d.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(d[i], d[j])) return false;
  return true;
}
