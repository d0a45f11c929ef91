// The schema validator: python-jsonschema's Draft 2019-09 validator as dt-validate extends
// it (the `typeSize` keyword), one path that decides validity and builds the error tree.
//
// Each schema object is compiled once into a closure `(instance, cursor, out) => valid`.
// With `out === null` it answers validity and stops at the first failure; with an array
// it appends the errors python-jsonschema's `iter_errors` yields, in the same order
// (keywords in sorted order, as dt-validate reads the processed schema written with
// sorted keys), with the same messages, instance paths, schema paths (no `$ref`/`if`
// segments; a `false` subschema's error does not get the segment of the keyword that
// reached it), and `context` for anyOf/oneOf. Validity is by definition "no errors", so
// both answers come from the same code.
//
// Instances are decoded device trees (instance.ts): nodes are Maps (DtNode), undecodable
// values Uint8Array (Python bytes, which match no JSON type). `$ref`s resolve lazily
// through the host, so compiling never follows a chain of references; evaluation depth
// is bounded (MAX_DEPTH) and a deeper evaluation throws SchemaRecursion, which the caller
// turns into a located finding (a `$ref` cycle, or a tree nested deeper than the limit).
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';
import { DtNode } from './instance.js';
import type { PyRegex } from './regex.js';
import { literalPrefix } from './regex.js';
import { byCodePoint, extrasMsg, pyRepr } from './repr.js';

/** One error as python-jsonschema's ValidationError carries it. */
export interface SchemaError {
  message: string;
  /** the failing keyword (`validator`); null for a `false` schema */
  keyword: string | null;
  /** instance path from the validated node (`absolute_path`) */
  path: (string | number)[];
  /** schema path from the validated schema (`absolute_schema_path`) */
  schemaPath: (string | number)[];
  /** where the finding is in the instance for locating it: `path`, plus the segment a
   *  `false` subschema's error leaves out */
  where: (string | number)[];
  instance: unknown;
  /** the schema object holding the keyword (for best_match's type test) */
  schema: Json;
  context: SchemaError[];
  /** the properties an additional/unevaluated-properties error names (its subject) */
  extras?: string[];
}

export interface Resolved {
  schema: Json;
  /** the resource the resolved schema lives in (its refs resolve against it) */
  base: string;
}

export interface ValidatorHost {
  /** resolves a `$ref` written in resource `base`; undefined when it does not resolve */
  resolve(base: string, ref: string): Resolved | undefined;
  /** Python `re.search` for a pattern */
  regex(pattern: string): PyRegex;
  /** a schema problem found while compiling (reported once by the host) */
  problem(base: string, message: string): void;
}

/** Evaluation went deeper than MAX_DEPTH schema applications. */
export class SchemaRecursion extends Error {
  /** the $refs being followed when the limit was hit, as "base#ref@instance level" */
  readonly refs: string[];
  constructor(chain: (string | number)[]) {
    super('schema evaluation too deep');
    this.refs = [];
    for (let i = 0; i + 1 < chain.length; i += 2) this.refs.push(`${chain[i]}@${chain[i + 1]}`);
  }
}

/** Nested schema applications before SchemaRecursion (a $ref cycle or a very deep tree). */
export const MAX_DEPTH = 400;

interface Cursor {
  ipath: (string | number)[];
  spath: (string | number)[];
  /** the node and property the current value belongs to (typeSize) */
  owner: DtNode | undefined;
  prop: string | undefined;
  depth: number;
  /** instance levels below the validated value (a $ref met twice at one level is a cycle) */
  idepth: number;
  /** the $refs being followed: "base#ref", instance level, ... (to name a cycle) */
  refs: (string | number)[];
  /** validity of subschemas on nodes, for unevaluatedProperties (per run) */
  memo: Map<Check, WeakMap<object, boolean>> | undefined;
}

type Out = SchemaError[] | null;
type Check = (d: unknown, cx: Cursor, out: Out) => boolean;
type Keyword = { kw: string; run: Check; path: boolean };

const TRUE: Check = () => true;

const WEAK = new Set(['anyOf', 'oneOf']);

// ---------------------------------------------------------------- Python semantics
export function isType(d: unknown, t: string): boolean {
  switch (t) {
    case 'array': return Array.isArray(d);
    case 'boolean': return typeof d === 'boolean';
    case 'integer': return (typeof d === 'number' && Number.isInteger(d)) || typeof d === 'bigint';
    case 'null': return d === null;
    case 'number': return typeof d === 'number' || typeof d === 'bigint';
    case 'object': return d instanceof Map;
    case 'string': return typeof d === 'string';
    default: return false;
  }
}

const isSeq = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || v instanceof Uint8Array;

function mapEntries(v: unknown): Map<string, unknown> | undefined {
  if (v instanceof Map) return v as Map<string, unknown>;
  if (isObject(v)) return new Map(Object.entries(v));
  return undefined;
}

/** python-jsonschema's `equal` (bool is not 1, sequences and mappings by content). */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (isSeq(a) && isSeq(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEqual(a[i], b[i])) return false;
    return true;
  }
  const ma = mapEntries(a), mb = mapEntries(b);
  if (ma && mb) {
    if (ma.size !== mb.size) return false;
    for (const [k, v] of ma) if (!mb.has(k) || !pyEqual(v, mb.get(k))) return false;
    return true;
  }
  const num = (x: unknown): boolean => typeof x === 'number' || typeof x === 'bigint';
  // eslint-disable-next-line eqeqeq
  return num(a) && num(b) && (a as number) == (b as number);
}

function primitiveKey(v: unknown): string | undefined {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number' || typeof v === 'bigint') return `n${String(v)}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const k = primitiveKey(x);
      if (k === undefined) return undefined;
      parts.push(JSON.stringify(k));
    }
    return `a[${parts.join(',')}]`;
  }
  return undefined;
}

/** python-jsonschema's `uniq`: no two elements equal (linear for primitive values and lists of them). */
function unique(d: unknown[]): boolean {
  const seen = new Set<string>();
  const others: unknown[] = [];
  for (const x of d) {
    const k = primitiveKey(x);
    if (k === undefined) {
      for (const o of others) if (pyEqual(o, x)) return false;
      others.push(x);
    } else if (seen.has(k)) return false;
    else seen.add(k);
  }
  return true;
}

function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** What Python iterates for a keyword value that should be a list. */
function asList(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isObject(v)) return Object.keys(v);
  return [];
}

const sortedKeys = (o: JsonObject): string[] => Object.keys(o).sort(byCodePoint);

// ---------------------------------------------------------------- relevance / best_match
type RelKey = [number, (string | number)[], boolean, boolean, boolean];

function matchesType(e: SchemaError): boolean {
  if (!isObject(e.schema) || !('type' in e.schema)) return false;
  const t = e.schema.type;
  if (typeof t === 'string') return isType(e.instance, t);
  return Array.isArray(t) && t.some((x) => typeof x === 'string' && isType(e.instance, x));
}

/** python-jsonschema's `relevance` key. */
function relevance(e: SchemaError): RelKey {
  return [-e.path.length, e.path, !WEAK.has(e.keyword ?? ''), false, !matchesType(e)];
}

function cmpScalar(a: unknown, b: unknown): number {
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return byCodePoint(a, b);
  // Python would raise comparing a str with an int; order ints first
  return typeof a === 'number' ? -1 : 1;
}

function cmpKey(a: RelKey, b: RelKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.min(x.length, y.length);
      for (let j = 0; j < n; j++) {
        const c = cmpScalar(x[j], y[j]);
        if (c) return c;
      }
      if (x.length !== y.length) return x.length - y.length;
    } else {
      const c = cmpScalar(x, y);
      if (c) return c;
    }
  }
  return 0;
}

/** python-jsonschema's `best_match`. */
export function bestMatch(errors: SchemaError[]): SchemaError | undefined {
  let best: SchemaError | undefined;
  for (const e of errors) if (!best || cmpKey(relevance(e), relevance(best)) > 0) best = e;
  while (best && best.context.length) {
    const sorted = [...best.context].sort((a, b) => cmpKey(relevance(a), relevance(b)));
    if (sorted.length >= 2 && cmpKey(relevance(sorted[0]), relevance(sorted[1])) === 0) return best;
    best = sorted[0];
  }
  return best;
}

/** Sorts errors by instance path, as dt-validate sorts a context (stable). */
export function byPath(errors: SchemaError[]): SchemaError[] {
  return [...errors].sort((a, b) => {
    const n = Math.min(a.path.length, b.path.length);
    for (let j = 0; j < n; j++) {
      const c = cmpScalar(a.path[j], b.path[j]);
      if (c) return c;
    }
    return a.path.length - b.path.length;
  });
}

// ---------------------------------------------------------------- the validator
export class SchemaValidator {
  private checks = new WeakMap<object, Check>();
  private falseCheck: Check;
  private evalKeyFns = new WeakMap<object, (d: DtNode, cx: Cursor, out: Set<string>) => void>();

  constructor(private host: ValidatorHost) {
    this.falseCheck = (d, cx, out) => {
      if (out) out.push(this.error(cx, null, `False schema does not allow ${pyRepr(d)}`, d, false));
      return false;
    };
  }

  private error(cx: Cursor, keyword: string | null, message: string, instance: unknown, schema: Json, context: SchemaError[] = [], where?: (string | number)[]): SchemaError {
    return { message, keyword, path: cx.ipath.slice(), schemaPath: cx.spath.slice(), where: where ?? cx.ipath.slice(), instance, schema, context };
  }

  private cursor(): Cursor {
    return { ipath: [], spath: [], owner: undefined, prop: undefined, depth: 0, idepth: 0, refs: [], memo: undefined };
  }

  /** the cursor of validity checks, reused (they never nest) */
  private readonly validityCursor = this.cursor();

  /** Whether `instance` is valid against schema `s` of resource `base`. */
  isValid(s: Json, base: string, instance: unknown): boolean {
    const cx = this.validityCursor;
    cx.depth = 0;
    cx.idepth = 0;
    cx.refs.length = 0;
    cx.memo = undefined;
    cx.owner = undefined;
    cx.prop = undefined;
    return this.compile(s, base)(instance, cx, null);
  }

  /** python-jsonschema's iter_errors: the top-level errors (with their context), in order. */
  errors(s: Json, base: string, instance: unknown, schemaPathPrefix: (string | number)[] = []): SchemaError[] {
    const out: SchemaError[] = [];
    const cx = this.cursor();
    cx.spath.push(...schemaPathPrefix);
    this.compile(s, base)(instance, cx, out);
    return out;
  }

  /** The compiled check of schema `s` (from resource `base`), built once. */
  compile(s: Json, base: string): Check {
    if (s === true) return TRUE;
    if (s === false) return this.falseCheck;
    if (!isObject(s)) {
      this.host.problem(base, `a schema is neither a mapping nor a boolean: ${pyRepr(s)}`);
      return TRUE;
    }
    const known = this.checks.get(s);
    if (known) return known;
    if (typeof s.$id === 'string' && s.$id !== base && !s.$id.startsWith('#')) {
      try {
        base = new URL(s.$id, base).toString().replace(/#$/, '');
      } catch {
        // keep the enclosing base
      }
    }
    // a cell first, so that a schema reaching itself (through local refs) finds it
    let kws: Keyword[] = [];
    const run: Check = (d, cx, out) => {
      if (++cx.depth > MAX_DEPTH) throw new SchemaRecursion(cx.refs.slice());
      let ok = true;
      if (out) {
        const before = out.length;
        for (const k of kws) {
          if (k.path) cx.spath.push(k.kw);
          k.run(d, cx, out);
          if (k.path) cx.spath.pop();
        }
        ok = out.length === before;
      } else {
        for (const k of kws) {
          if (!k.run(d, cx, null)) {
            ok = false;
            break;
          }
        }
      }
      cx.depth--;
      return ok;
    };
    this.checks.set(s, run);
    kws = this.build(s, base);
    if (kws.length === 0) {
      // nothing to check (annotations only): the same as `true`, so callers can skip it
      this.checks.set(s, TRUE);
      return TRUE;
    }
    return run;
  }

  /** Runs `c` on a value one step deeper (`seg`), from a node when `from` is one. */
  private descend(c: Check, v: unknown, cx: Cursor, out: Out, iseg: string | number | undefined, sseg: string | number | undefined, from?: unknown): boolean {
    if (c === TRUE) return true;
    const owner = cx.owner, prop = cx.prop;
    if (from instanceof DtNode && typeof iseg === 'string') {
      cx.owner = from;
      cx.prop = iseg;
    }
    let ok: boolean;
    if (iseg !== undefined) cx.idepth++;
    if (!out) ok = c(v, cx, null);
    else if (c === this.falseCheck) {
      // python-jsonschema's descend returns a false schema's error before adding the segments
      out.push(this.error(cx, null, `False schema does not allow ${pyRepr(v)}`, v, false, [], iseg === undefined ? undefined : [...cx.ipath, iseg]));
      ok = false;
    } else {
      if (iseg !== undefined) cx.ipath.push(iseg);
      if (sseg !== undefined) cx.spath.push(sseg);
      ok = c(v, cx, out);
      if (sseg !== undefined) cx.spath.pop();
      if (iseg !== undefined) cx.ipath.pop();
    }
    if (iseg !== undefined) cx.idepth--;
    cx.owner = owner;
    cx.prop = prop;
    return ok;
  }

  private build(s: JsonObject, base: string): Keyword[] {
    const kws: Keyword[] = [];
    const add = (kw: string, run: Check | undefined): void => {
      if (run && run !== TRUE) kws.push({ kw, run, path: kw !== '$ref' && kw !== 'if' });
    };
    for (const kw of sortedKeys(s)) {
      const v = s[kw];
      switch (kw) {
        case '$ref': add(kw, this.ref(v, base)); break;
        case '$recursiveRef': add(kw, this.ref('#', base)); break;
        case 'type': add(kw, this.type(s, v)); break;
        case 'enum': add(kw, this.enumCheck(s, v)); break;
        case 'const': add(kw, (d, cx, out) => {
          if (pyEqual(d, v)) return true;
          if (out) out.push(this.error(cx, kw, `${pyRepr(v)} was expected`, d, s));
          return false;
        }); break;
        case 'allOf': add(kw, this.allOf(v, base)); break;
        case 'anyOf': add(kw, this.anyOf(s, v, base)); break;
        case 'oneOf': add(kw, this.oneOf(s, v, base)); break;
        case 'not': add(kw, this.not(s, v, base)); break;
        case 'if': add(kw, this.ifThenElse(s, base)); break;
        case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': add(kw, this.bound(s, kw, v)); break;
        case 'multipleOf': add(kw, this.multipleOf(s, v)); break;
        case 'pattern': add(kw, this.pattern(s, v)); break;
        case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties':
          add(kw, this.sizeBound(s, kw, v));
          break;
        case 'items': add(kw, this.items(v, base)); break;
        case 'additionalItems': add(kw, this.additionalItems(s, v, base)); break;
        case 'uniqueItems': if (v) add(kw, (d, cx, out) => {
          if (!Array.isArray(d) || unique(d)) return true;
          if (out) out.push(this.error(cx, kw, `${pyRepr(d)} has non-unique elements`, d, s));
          return false;
        }); break;
        case 'contains': add(kw, this.contains(s, v, base)); break;
        case 'required': add(kw, this.required(s, v)); break;
        case 'properties': add(kw, this.properties(v, base)); break;
        case 'patternProperties': add(kw, this.patternProperties(v, base)); break;
        case 'additionalProperties': add(kw, this.additionalProperties(s, v, base)); break;
        case 'unevaluatedProperties': add(kw, this.unevaluatedProperties(s, v, base)); break;
        case 'unevaluatedItems': add(kw, this.unevaluatedItems(s, base)); break;
        case 'dependentRequired': add(kw, this.dependentRequired(s, v)); break;
        case 'dependentSchemas': add(kw, this.dependentSchemas(v, base)); break;
        case 'propertyNames': add(kw, this.propertyNames(v, base)); break;
        case 'typeSize': add(kw, this.typeSize(s, v)); break;
        default: break; // annotations and keywords Draft 2019-09 does not validate
      }
    }
    return kws;
  }

  // ---------------------------------------------------------------- applicators
  private ref(v: Json, base: string): Check | undefined {
    if (typeof v !== 'string') return undefined;
    let target: Check | undefined;
    const label = `${base}#${v}`;
    return (d, cx, out) => {
      if (!target) {
        const r = this.host.resolve(base, v);
        if (!r) {
          this.host.problem(base, `$ref '${v}' does not resolve; it is ignored`);
          target = TRUE;
        } else target = this.compile(r.schema, r.base);
      }
      cx.refs.push(label, cx.idepth);
      const ok = target(d, cx, out);
      cx.refs.length -= 2;
      return ok;
    };
  }

  private type(s: JsonObject, v: Json): Check | undefined {
    const types = (typeof v === 'string' ? [v] : Array.isArray(v) ? v : []).filter((t): t is string => typeof t === 'string');
    if (types.length === 0 && !Array.isArray(v)) return undefined;
    return (d, cx, out) => {
      for (const t of types) if (isType(d, t)) return true;
      if (out) out.push(this.error(cx, 'type', `${pyRepr(d)} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`, d, s));
      return false;
    };
  }

  private enumCheck(s: JsonObject, v: Json): Check {
    const values = asList(v);
    const prims = new Set<unknown>();
    const others: Json[] = [];
    for (const x of values) {
      if (typeof x === 'string' || (typeof x === 'number' && !Number.isNaN(x))) prims.add(typeof x === 'number' ? `n${x}` : `s${x}`);
      else others.push(x);
    }
    return (d, cx, out) => {
      if (typeof d === 'string' && prims.has(`s${d}`)) return true;
      if (typeof d === 'number' && prims.has(`n${d}`)) return true;
      for (const x of others) if (pyEqual(d, x)) return true;
      if (out) out.push(this.error(cx, 'enum', `${pyRepr(d)} is not one of ${pyRepr(v)}`, d, s));
      return false;
    };
  }

  private allOf(v: Json, base: string): Check | undefined {
    if (!Array.isArray(v)) return undefined;
    const cs = v.map((x) => this.compile(x, base));
    return (d, cx, out) => {
      let ok = true;
      for (let i = 0; i < cs.length; i++) {
        if (!this.descend(cs[i], d, cx, out, undefined, i)) {
          ok = false;
          if (!out) return false;
        }
      }
      return ok;
    };
  }

  private anyOf(s: JsonObject, v: Json, base: string): Check | undefined {
    if (!Array.isArray(v)) return undefined;
    const cs = v.map((x) => this.compile(x, base));
    return (d, cx, out) => {
      if (!out) {
        for (const c of cs) if (c(d, cx, null)) return true;
        return false;
      }
      const all: SchemaError[] = [];
      for (let i = 0; i < cs.length; i++) {
        const errs: SchemaError[] = [];
        if (this.descend(cs[i], d, cx, errs, undefined, i)) return true;
        all.push(...errs);
      }
      out.push(this.error(cx, 'anyOf', `${pyRepr(d)} is not valid under any of the given schemas`, d, s, all));
      return false;
    };
  }

  private oneOf(s: JsonObject, v: Json, base: string): Check | undefined {
    if (!Array.isArray(v)) return undefined;
    const cs = v.map((x) => this.compile(x, base));
    return (d, cx, out) => {
      let first = -1;
      const all: SchemaError[] = [];
      for (let i = 0; i < cs.length; i++) {
        if (out) {
          const errs: SchemaError[] = [];
          if (this.descend(cs[i], d, cx, errs, undefined, i)) {
            first = i;
            break;
          }
          all.push(...errs);
        } else if (cs[i](d, cx, null)) {
          first = i;
          break;
        }
      }
      if (first < 0) {
        if (out) out.push(this.error(cx, 'oneOf', `${pyRepr(d)} is not valid under any of the given schemas`, d, s, all));
        return false;
      }
      const more: number[] = [];
      for (let i = first + 1; i < cs.length; i++) {
        if (cs[i](d, cx, null)) {
          if (!out) return false;
          more.push(i);
        }
      }
      if (more.length === 0) return true;
      more.push(first);
      out!.push(this.error(cx, 'oneOf', `${pyRepr(d)} is valid under each of ${more.map((i) => pyRepr(v[i])).join(', ')}`, d, s));
      return false;
    };
  }

  private not(s: JsonObject, v: Json, base: string): Check {
    const c = this.compile(v, base);
    return (d, cx, out) => {
      if (!c(d, cx, null)) return true;
      if (out) out.push(this.error(cx, 'not', `${pyRepr(d)} should not be valid under ${pyRepr(v)}`, d, s));
      return false;
    };
  }

  private ifThenElse(s: JsonObject, base: string): Check | undefined {
    const cond = this.compile(s.if, base);
    const then = 'then' in s ? this.compile(s.then, base) : undefined;
    const otherwise = 'else' in s ? this.compile(s.else, base) : undefined;
    if (!then && !otherwise) return undefined;
    return (d, cx, out) => {
      if (cond(d, cx, null)) return then ? this.descend(then, d, cx, out, undefined, 'then') : true;
      return otherwise ? this.descend(otherwise, d, cx, out, undefined, 'else') : true;
    };
  }

  // ---------------------------------------------------------------- numbers and strings
  private bound(s: JsonObject, kw: string, m: Json): Check | undefined {
    if (typeof m !== 'number') return undefined;
    const [fails, text] = {
      minimum: [(d: number) => d < m, 'is less than the minimum of'],
      maximum: [(d: number) => d > m, 'is greater than the maximum of'],
      exclusiveMinimum: [(d: number) => d <= m, 'is less than or equal to the minimum of'],
      exclusiveMaximum: [(d: number) => d >= m, 'is greater than or equal to the maximum of'],
    }[kw as 'minimum'] as [(d: number) => boolean, string];
    return (d, cx, out) => {
      if (!isType(d, 'number') || !fails(d as number)) return true;
      if (out) out.push(this.error(cx, kw, `${pyRepr(d)} ${text} ${pyRepr(m)}`, d, s));
      return false;
    };
  }

  private multipleOf(s: JsonObject, m: Json): Check | undefined {
    if (typeof m !== 'number') return undefined;
    return (d, cx, out) => {
      if (!isType(d, 'number')) return true;
      const x = Number(d);
      const failed = Number.isInteger(m) ? x % m !== 0 : Math.trunc(x / m) !== x / m;
      if (!failed) return true;
      if (out) out.push(this.error(cx, 'multipleOf', `${pyRepr(d)} is not a multiple of ${pyRepr(m)}`, d, s));
      return false;
    };
  }

  private pattern(s: JsonObject, p: Json): Check | undefined {
    if (typeof p !== 'string') return undefined;
    const re = this.host.regex(p);
    return (d, cx, out) => {
      if (typeof d !== 'string' || re.search(d)) return true;
      if (out) out.push(this.error(cx, 'pattern', `${pyRepr(d)} does not match ${pyRepr(p)}`, d, s));
      return false;
    };
  }

  // ---------------------------------------------------------------- arrays
  private items(v: Json, base: string): Check {
    if (Array.isArray(v)) {
      const cs = v.map((x) => this.compile(x, base));
      return (d, cx, out) => {
        if (!Array.isArray(d)) return true;
        let ok = true;
        const n = Math.min(d.length, cs.length);
        for (let i = 0; i < n; i++) {
          if (!this.descend(cs[i], d[i], cx, out, i, i)) {
            ok = false;
            if (!out) return false;
          }
        }
        return ok;
      };
    }
    const c = this.compile(v, base);
    return (d, cx, out) => {
      if (!Array.isArray(d)) return true;
      let ok = true;
      for (let i = 0; i < d.length; i++) {
        if (!this.descend(c, d[i], cx, out, i, undefined)) {
          ok = false;
          if (!out) return false;
        }
      }
      return ok;
    };
  }

  private additionalItems(s: JsonObject, v: Json, base: string): Check | undefined {
    if (!Array.isArray(s.items)) return undefined;
    const n = s.items.length;
    if (isObject(v)) {
      const c = this.compile(v, base);
      return (d, cx, out) => {
        if (!Array.isArray(d)) return true;
        let ok = true;
        for (let i = n; i < d.length; i++) {
          if (!this.descend(c, d[i], cx, out, i, undefined)) {
            ok = false;
            if (!out) return false;
          }
        }
        return ok;
      };
    }
    if (v !== false) return undefined;
    return (d, cx, out) => {
      if (!Array.isArray(d) || d.length <= n) return true;
      if (out) out.push(this.error(cx, 'additionalItems', `Additional items are not allowed (${extrasMsg(d.slice(n))} unexpected)`, d, s));
      return false;
    };
  }

  private contains(s: JsonObject, v: Json, base: string): Check {
    const c = this.compile(v, base);
    const minC = typeof s.minContains === 'number' ? s.minContains : 1;
    return (d, cx, out) => {
      if (!Array.isArray(d)) return true;
      const maxC = typeof s.maxContains === 'number' ? s.maxContains : d.length;
      let matches = 0;
      for (let i = 0; i < d.length; i++) {
        if (!this.descend(c, d[i], cx, null, i, undefined)) continue;
        if (++matches > maxC) {
          if (out) out.push(this.error(cx, 'maxContains', `Too many items match the given schema (expected at most ${maxC})`, d, s));
          return false;
        }
      }
      if (matches >= minC) return true;
      if (out) {
        out.push(matches === 0
          ? this.error(cx, 'contains', `${pyRepr(d)} does not contain items matching the given schema`, d, s)
          : this.error(cx, 'minContains', `Too few items match the given schema (expected at least ${minC} but only ${matches} matched)`, d, s));
      }
      return false;
    };
  }

  // ---------------------------------------------------------------- objects
  private required(s: JsonObject, v: Json): Check {
    const names = asList(v).map(String);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      let ok = true;
      for (const n of names) {
        if (d.has(n)) continue;
        ok = false;
        if (!out) return false;
        out.push(this.error(cx, 'required', `${pyRepr(n)} is a required property`, d, s));
      }
      return ok;
    };
  }

  private properties(v: Json, base: string): Check | undefined {
    if (!isObject(v)) return undefined;
    const entries = sortedKeys(v).map((k) => [k, this.compile(v[k], base)] as const).filter(([, c]) => c !== TRUE);
    if (entries.length === 0) return undefined;
    const byName = new Map(entries);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      if (!out && d.size < entries.length) {
        // validity only: walk the smaller side
        for (const [k, x] of d) {
          const c = byName.get(k);
          if (c && !this.descend(c, x, cx, null, k, k, d)) return false;
        }
        return true;
      }
      let ok = true;
      for (const [k, c] of entries) {
        if (!d.has(k)) continue;
        if (!this.descend(c, d.get(k), cx, out, k, k, d)) {
          ok = false;
          if (!out) return false;
        }
      }
      return ok;
    };
  }

  /** Which of `res` match a name, remembered per name (names repeat across nodes and trees). */
  private nameMatcher(res: PyRegex[]): (k: string) => readonly number[] {
    const memo = new Map<string, readonly number[]>();
    const none: readonly number[] = [];
    return (k) => {
      let hit = memo.get(k);
      if (hit === undefined) {
        const l: number[] = [];
        for (let i = 0; i < res.length; i++) if (res[i].search(k)) l.push(i);
        hit = l.length ? l : none;
        if (memo.size < 50_000) memo.set(k, hit);
      }
      return hit;
    };
  }

  private patternProperties(v: Json, base: string): Check | undefined {
    if (!isObject(v)) return undefined;
    const live = sortedKeys(v).map((key) => ({ key, re: this.host.regex(key), c: this.compile(v[key], base) })).filter(({ c }) => c !== TRUE);
    if (live.length === 0) return undefined;
    const match = this.nameMatcher(live.map((l) => l.re));
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      if (!out) {
        for (const [k, x] of d) {
          for (const i of match(k)) if (!this.descend(live[i].c, x, cx, null, k, live[i].key, d)) return false;
        }
        return true;
      }
      // python-jsonschema's order: each pattern, then each property it matches
      let ok = true;
      for (let i = 0; i < live.length; i++) {
        for (const [k, x] of d) {
          if (!match(k).includes(i)) continue;
          if (!this.descend(live[i].c, x, cx, out, k, live[i].key, d)) ok = false;
        }
      }
      return ok;
    };
  }

  /** A matcher for "is this name one of `properties` or matched by `patternProperties`".
   *  Patterns that only require a literal start are looked up by prefix. */
  private declaredMatcher(s: JsonObject): (k: string) => boolean {
    const named = new Set(isObject(s.properties) ? Object.keys(s.properties) : []);
    const patterns = isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [];
    if (patterns.length === 0) return (k) => named.has(k);
    const prefixes = new Map<number, Set<string>>();
    const pats: PyRegex[] = [];
    for (const p of patterns) {
      const lit = literalPrefix(p);
      if (lit === undefined) pats.push(this.host.regex(p));
      else if (prefixes.has(lit.length)) prefixes.get(lit.length)!.add(lit);
      else prefixes.set(lit.length, new Set([lit]));
    }
    const memo = new Map<string, boolean>();
    return (k) => {
      if (named.has(k)) return true;
      let hit = memo.get(k);
      if (hit === undefined) {
        hit = false;
        for (const [n, set] of prefixes) if (k.length >= n && set.has(k.slice(0, n))) hit = true;
        hit ||= pats.some((re) => re.search(k));
        if (memo.size < 50_000) memo.set(k, hit);
      }
      return hit;
    };
  }

  private additionalProperties(s: JsonObject, v: Json, base: string): Check | undefined {
    const declared = this.declaredMatcher(s);
    if (isObject(v)) {
      const c = this.compile(v, base);
      if (c === TRUE) return undefined;
      return (d, cx, out) => {
        if (!(d instanceof Map)) return true;
        let ok = true;
        for (const [k, x] of d) {
          if (declared(k)) continue;
          if (!this.descend(c, x, cx, out, k, undefined, d)) {
            ok = false;
            if (!out) return false;
          }
        }
        return ok;
      };
    }
    if (v !== false) return undefined;
    const patterns = isObject(s.patternProperties) ? sortedKeys(s.patternProperties) : undefined;
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      const extras: string[] = [];
      for (const k of d.keys()) {
        if (declared(k)) continue;
        if (!out) return false;
        extras.push(k);
      }
      if (extras.length === 0) return true;
      extras.sort(byCodePoint);
      const message = patterns
        ? `${extras.map((e) => pyRepr(e)).join(', ')} ${extras.length === 1 ? 'does' : 'do'} not match any of the regexes: ${patterns.map((p) => pyRepr(p)).join(', ')}`
        : `Additional properties are not allowed (${extrasMsg(extras)} unexpected)`;
      out!.push({ ...this.error(cx, 'additionalProperties', message, d, s), extras });
      return false;
    };
  }

  private dependentRequired(s: JsonObject, v: Json): Check | undefined {
    if (!isObject(v)) return undefined;
    const deps = sortedKeys(v).map((k) => [k, asList(v[k]).map(String)] as const);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      let ok = true;
      for (const [k, l] of deps) {
        if (!d.has(k)) continue;
        for (const n of l) {
          if (d.has(n)) continue;
          ok = false;
          if (!out) return false;
          out.push(this.error(cx, 'dependentRequired', `${pyRepr(n)} is a dependency of ${pyRepr(k)}`, d, s));
        }
      }
      return ok;
    };
  }

  private dependentSchemas(v: Json, base: string): Check | undefined {
    if (!isObject(v)) return undefined;
    const deps = sortedKeys(v).map((k) => [k, this.compile(v[k], base)] as const);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      let ok = true;
      for (const [k, c] of deps) {
        if (!d.has(k)) continue;
        if (!this.descend(c, d, cx, out, undefined, k)) {
          ok = false;
          if (!out) return false;
        }
      }
      return ok;
    };
  }

  private propertyNames(v: Json, base: string): Check {
    const c = this.compile(v, base);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      let ok = true;
      for (const k of d.keys()) {
        if (!this.descend(c, k, cx, out, undefined, undefined)) {
          ok = false;
          if (!out) return false;
        }
      }
      return ok;
    };
  }

  /** min/maxItems, min/maxLength, min/maxProperties: one shape, python-jsonschema's words for each. */
  private sizeBound(s: JsonObject, kw: string, m: Json): Check | undefined {
    if (typeof m !== 'number') return undefined;
    const min = kw.startsWith('min');
    const what = kw.slice(3);
    const sizeOf: (d: unknown) => number | undefined =
      what === 'Items' ? (d) => (Array.isArray(d) ? d.length : undefined)
        : what === 'Length' ? (d) => (typeof d === 'string' ? pyLen(d) : undefined)
          : (d) => (d instanceof Map ? d.size : undefined);
    const [short, long] = what === 'Properties' ? ['does not have enough properties', 'has too many properties'] : ['is too short', 'is too long'];
    const msg = min ? (m === 1 ? 'should be non-empty' : short) : m === 0 ? 'is expected to be empty' : long;
    return (d, cx, out) => {
      const n = sizeOf(d);
      if (n === undefined || (min ? n >= m : n <= m)) return true;
      if (out) out.push(this.error(cx, kw, `${pyRepr(d)} ${msg}`, d, s));
      return false;
    };
  }

  private typeSize(s: JsonObject, v: Json): Check {
    return (d, cx, out) => {
      const size = typeof d === 'number' && cx.owner && cx.prop !== undefined ? cx.owner.bits?.get(cx.prop) ?? 32 : 32;
      if (size === v) return true;
      if (out) out.push(this.error(cx, 'typeSize', `size is ${size}, expected ${pyRepr(v)}`, d, s));
      return false;
    };
  }

  // ---------------------------------------------------------------- unevaluated*
  /** Validity of `c` on node `d`, remembered for the run (unevaluated* re-ask it often). */
  private validOn(c: Check, d: DtNode, cx: Cursor): boolean {
    cx.memo ??= new Map();
    let m = cx.memo.get(c);
    if (!m) cx.memo.set(c, (m = new WeakMap()));
    let r = m.get(d);
    if (r === undefined) {
      r = c(d, cx, null);
      m.set(d, r);
    }
    return r;
  }

  /** python-jsonschema's find_evaluated_property_keys_by_schema (its Draft 2019-09 form). */
  private evaluatedKeys(s: Json, base: string): (d: DtNode, cx: Cursor, out: Set<string>) => void {
    if (!isObject(s)) return () => undefined;
    const known = this.evalKeyFns.get(s);
    if (known) return known;
    const steps: ((d: DtNode, cx: Cursor, out: Set<string>) => void)[] = [];
    const fn = (d: DtNode, cx: Cursor, out: Set<string>): void => {
      if (++cx.depth > MAX_DEPTH) throw new SchemaRecursion(cx.refs.slice());
      for (const st of steps) st(d, cx, out);
      cx.depth--;
    };
    this.evalKeyFns.set(s, fn);
    if (typeof s.$ref === 'string' || '$recursiveRef' in s) {
      const ref = typeof s.$ref === 'string' ? s.$ref : '#';
      let target: ((d: DtNode, cx: Cursor, out: Set<string>) => void) | undefined;
      steps.push((d, cx, out) => {
        if (!target) {
          const r = this.host.resolve(base, ref);
          target = r ? this.evaluatedKeys(r.schema, r.base) : () => undefined;
        }
        target(d, cx, out);
      });
    }
    for (const kw of ['properties', 'additionalProperties', 'unevaluatedProperties']) {
      if (!(kw in s)) continue;
      const v = s[kw];
      if (v === true) steps.push((d, _cx, out) => { for (const k of d.keys()) out.add(k); });
      // (a schema value contributes its own keys that the instance has, as python-jsonschema does)
      else if (isObject(v)) {
        const names = Object.keys(v);
        steps.push((d, _cx, out) => { for (const k of names) if (d.has(k)) out.add(k); });
      }
    }
    if (isObject(s.patternProperties)) {
      const match = this.nameMatcher(Object.keys(s.patternProperties).map((p) => this.host.regex(p)));
      steps.push((d, _cx, out) => { for (const k of d.keys()) if (match(k).length) out.add(k); });
    }
    if (isObject(s.dependentSchemas)) {
      const deps = s.dependentSchemas;
      for (const k of Object.keys(deps)) {
        const sub = this.evaluatedKeys(deps[k], base);
        steps.push((d, cx, out) => { if (d.has(k)) sub(d, cx, out); });
      }
    }
    for (const kw of ['allOf', 'oneOf', 'anyOf']) {
      const l = s[kw];
      if (!Array.isArray(l)) continue;
      for (const x of l) {
        const c = this.compile(x, base);
        const sub = this.evaluatedKeys(x, base);
        steps.push((d, cx, out) => { if (this.validOn(c, d, cx)) sub(d, cx, out); });
      }
    }
    if ('if' in s) {
      const cond = this.compile(s.if, base);
      const ifKeys = this.evaluatedKeys(s.if, base);
      const thenKeys = 'then' in s ? this.evaluatedKeys(s.then, base) : undefined;
      const elseKeys = 'else' in s ? this.evaluatedKeys(s.else, base) : undefined;
      steps.push((d, cx, out) => {
        if (this.validOn(cond, d, cx)) {
          ifKeys(d, cx, out);
          thenKeys?.(d, cx, out);
        } else elseKeys?.(d, cx, out);
      });
    }
    return fn;
  }

  private unevaluatedProperties(s: JsonObject, v: Json, base: string): Check | undefined {
    if (v === true) return undefined;
    const c = this.compile(v, base);
    const evaluated = this.evaluatedKeys(s, base);
    return (d, cx, out) => {
      if (!(d instanceof Map)) return true;
      const seen = new Set<string>();
      evaluated(d as DtNode, cx, seen);
      const extras: string[] = [];
      for (const [k, x] of d) {
        if (seen.has(k)) continue;
        if (!out) {
          if (!this.descend(c, x, cx, null, k, undefined, d)) return false;
          continue;
        }
        // each error of the property's evaluation names it once (python-jsonschema's count)
        let n = 1;
        if (v !== false) {
          const errs: SchemaError[] = [];
          this.descend(c, x, cx, errs, k, k, d);
          n = errs.length;
        }
        for (let i = 0; i < n; i++) extras.push(k);
      }
      if (extras.length === 0) return true;
      const message = v === false
        ? `Unevaluated properties are not allowed (${extrasMsg([...extras].sort(byCodePoint))} unexpected)`
        : `Unevaluated properties are not valid under the given schema (${extrasMsg(extras)} unevaluated and invalid)`;
      out!.push({ ...this.error(cx, 'unevaluatedProperties', message, d, s), extras: [...new Set(extras)].sort(byCodePoint) });
      return false;
    };
  }

  /** python-jsonschema's find_evaluated_item_indexes_by_schema (its Draft 2019-09 form). */
  private evaluatedIndexes(s: Json, base: string, d: unknown[], cx: Cursor, out: Set<number>): void {
    if (!isObject(s)) return;
    if (++cx.depth > MAX_DEPTH) throw new SchemaRecursion(cx.refs.slice());
    const all = (): void => d.forEach((_, i) => out.add(i));
    if (typeof s.$ref === 'string' || '$recursiveRef' in s) {
      const r = this.host.resolve(base, typeof s.$ref === 'string' ? s.$ref : '#');
      if (r) this.evaluatedIndexes(r.schema, r.base, d, cx, out);
    }
    if ('items' in s) {
      if ('additionalItems' in s || !Array.isArray(s.items)) {
        all();
        cx.depth--;
        return;
      }
      for (let i = 0; i < s.items.length; i++) out.add(i);
    }
    if ('if' in s) {
      if (this.compile(s.if, base)(d, cx, null)) {
        this.evaluatedIndexes(s.if, base, d, cx, out);
        if ('then' in s) this.evaluatedIndexes(s.then, base, d, cx, out);
      } else if ('else' in s) this.evaluatedIndexes(s.else, base, d, cx, out);
    }
    for (const kw of ['contains', 'unevaluatedItems']) {
      if (!(kw in s)) continue;
      const c = this.compile(s[kw], base);
      d.forEach((x, i) => { if (this.descend(c, x, cx, null, i, undefined)) out.add(i); });
    }
    for (const kw of ['allOf', 'oneOf', 'anyOf']) {
      const l = s[kw];
      if (!Array.isArray(l)) continue;
      for (const x of l) if (this.compile(x, base)(d, cx, null)) this.evaluatedIndexes(x, base, d, cx, out);
    }
    cx.depth--;
  }

  private unevaluatedItems(s: JsonObject, base: string): Check {
    return (d, cx, out) => {
      if (!Array.isArray(d)) return true;
      const seen = new Set<number>();
      this.evaluatedIndexes(s, base, d, cx, seen);
      const extras = d.filter((_, i) => !seen.has(i));
      if (extras.length === 0) return true;
      if (out) out.push(this.error(cx, 'unevaluatedItems', `Unevaluated items are not allowed (${extrasMsg(extras)} unexpected)`, d, s));
      return false;
    };
  }
}
