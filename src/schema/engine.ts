// The JSON-Schema engine: one ajv (draft 2019-09, for unevaluatedProperties) per
// validation context. Schemas are added and compiled lazily, only those a tree selects
// and what they reference, and each is compiled once.
import Ajv2019Module from 'ajv/dist/2019.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../report/diagnostic.js';
import type { JsonObject } from './json.js';
import { SCHEMA_LOAD_RULE } from './load.js';
import type { SchemaIndex } from './process.js';
import { refTarget } from './process.js';
import type { SchemaAt } from './unevaluated.js';
import { DT_UNEVALUATED, evaluatedKeys, renameUnevaluated } from './unevaluated.js';
import type { Json } from './json.js';
import type { SchemaFinding } from './errors.js';
import { shapeErrors } from './errors.js';
import { mergeTrivialPatterns } from './patterns.js';
import { escapePointer, isObject } from './json.js';
import { SchemaInterpreter, Unsupported } from './interpreter.js';

type AjvInstance = InstanceType<typeof Ajv2019Module.default>;

/** Python regular expressions as the bindings write them, made JS-compatible where they differ. */
function pyRegExp(pattern: string, flags: string): RegExp {
  // `.*X` searched for is `X` searched for (names have no newlines), without the
  // quadratic backtracking over every start position
  if (pattern.startsWith('.*') && !pattern.startsWith('.*?')) pattern = pattern.slice(2);
  try {
    return new RegExp(pattern, flags);
  } catch {
    try {
      // possessive/atomic constructs and inline flags are the usual culprits
      return new RegExp(pattern.replace(/^\(\?i\)/, ''), flags + (pattern.startsWith('(?i)') ? 'i' : ''));
    } catch {
      return /(?!)/;
    }
  }
}
pyRegExp.code = 'new RegExp';

/** Works around an ajv code-generation bug: with unevaluatedProperties, an evaluated-props
 *  object first created inside an if/then branch is later written outside it, crashing
 *  when the branch was not taken. Each write now creates the object when still missing. */
function guardEvaluatedProps(code: string): string {
  if (!code.includes('props0')) return code;
  return code
    .replace(/\b(props\d+)\[([^\]\n]+?)\] = true/g, '($1 = $1 || {})[$2] = true')
    .replace(/\b(props\d+)\.([A-Za-z_$][\w$]*) = true/g, '($1 = $1 || {}).$2 = true');
}

export class SchemaEngine {
  /** validity of most checks: answers without compiling anything */
  private interpreter: SchemaInterpreter;
  /** checks the interpreter cannot answer exactly (see Unsupported), by cache key */
  private ajvOnly = new Set<string>();
  /** validity only (first error stops), for what the interpreter leaves to ajv */
  private fast: AjvInstance;
  /** all errors with their data, compiled only for schemas a node fails */
  private detailed: AjvInstance;
  private added = new Set<string>();
  private compiled = new Map<string, ValidateFunction | null>();
  private compiledDetailed = new Map<string, ValidateFunction | null>();
  private selects = new Map<string, ValidateFunction | null>();
  /** schemas as handed to ajv (unevaluatedProperties renamed), by id */
  private prepared = new Map<string, Json>();
  /** where each object carrying oneOf/anyOf sits (to count its branch errors) */
  private combinerAt = new WeakMap<object, SchemaAt>();
  /** where each object carrying DT_UNEVALUATED sits */
  private unevalAt = new WeakMap<object, SchemaAt>();
  private subValidators = new Map<string, ValidateFunction | null>();
  private regexps = new Map<string, RegExp>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private index: SchemaIndex) {
    this.fast = this.makeAjv(false);
    this.detailed = this.makeAjv(true);
    this.interpreter = new SchemaInterpreter({
      resolve: (base, ref) => this.evalHost.resolve(base, ref),
      regExp: (p) => this.evalHost.regExp(p),
      typeSize: (expected, root, instancePath) => this.intBitsAt(root, instancePath) === expected,
      unevaluated: (parentSchema, data) => this.unevaluatedKeys(parentSchema, data).length === 0,
    });
  }

  /** Validity by the interpreter, or by ajv (`compiled`, null = valid-as-uncompilable `dflt`) where it cannot answer. */
  private isValidAt(at: SchemaAt, data: unknown, key: string, compiled: () => ValidateFunction | null, dflt: boolean): boolean {
    if (!this.ajvOnly.has(key)) {
      try {
        return this.interpreter.isValid(at, data);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        this.ajvOnly.add(key);
      }
    }
    const v = compiled();
    return v ? (v(data) as boolean) : dflt;
  }

  /** Keys of `data` that the schema carrying DT_UNEVALUATED (`parentSchema`) leaves unevaluated. */
  private unevaluatedKeys(parentSchema: object, data: unknown): string[] {
    const at = this.unevalAt.get(parentSchema);
    if (!at || !isObject(data)) return [];
    const seen = new Set<string>();
    evaluatedKeys(this.evalHost, at, data, seen);
    return Object.keys(data).filter((k) => !seen.has(k));
  }

  private makeAjv(detailed: boolean): AjvInstance {
    const ajv = new Ajv2019Module.default({
      strict: false,
      allErrors: detailed,
      verbose: detailed,
      validateSchema: false,
      validateFormats: false,
      unicodeRegExp: false,
      logger: false,
      inlineRefs: false,
      code: { regExp: pyRegExp as never, process: guardEvaluatedProps, optimize: false },
    });
    const typeSize = (expected: number, _data: unknown, _ps: unknown, cxt?: { instancePath: string; rootData: unknown }): boolean => {
      const bits = cxt ? this.intBitsAt(cxt.rootData, cxt.instancePath) : 32;
      if (bits === expected) return true;
      (typeSize as unknown as { errors: unknown[] }).errors = [{ keyword: 'typeSize', message: `size is ${bits}, expected ${expected}`, params: { bits, expected } }];
      return false;
    };
    ajv.addKeyword({ keyword: 'typeSize', schemaType: 'number', validate: typeSize as never, errors: true });
    ajv.addKeyword({
      keyword: DT_UNEVALUATED,
      schemaType: 'boolean',
      errors: true,
      compile: (_sch: unknown, parentSchema: object) => {
        const check = (data: unknown): boolean => {
          const extras = this.unevaluatedKeys(parentSchema, data);
          if (extras.length === 0) return true;
          (check as unknown as { errors: unknown[] }).errors = extras.map((p) => ({
            keyword: 'unevaluatedProperties', params: { unevaluatedProperty: p }, message: 'must NOT have unevaluated properties',
          }));
          return false;
        };
        return check as never;
      },
    });
    return ajv;
  }

  /** integer widths of the tree being validated (see InstanceTree.intBits) */
  intBits: WeakMap<object, Map<string, number>> = new WeakMap();

  /** Width of the integers at `path` below `root`: the owning property's width, default 32. */
  private intBitsAt(root: unknown, path: string): number {
    // common case: a property of the validated node itself
    const slash = path.indexOf('/', 1);
    const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
    const direct = (root as Record<string, unknown>)[first];
    if (direct === null || typeof direct !== 'object' || Array.isArray(direct)) {
      return this.intBits.get(root as object)?.get(first) ?? 32;
    }
    let cur = root as Record<string, unknown>;
    for (const seg of path.split('/').slice(1)) {
      const next = cur[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) return this.intBits.get(cur)?.get(seg) ?? 32;
      cur = next as Record<string, unknown>;
    }
    return 32;
  }

  /** The schema as the engine evaluates it (unevaluatedProperties renamed, trivial
   *  patterns merged), prepared once; undefined for an unknown id. */
  private prepare(id: string): Json | undefined {
    let prepared = this.prepared.get(id);
    if (prepared !== undefined) return prepared;
    const p = this.index.schemas[id];
    if (!p) return undefined;
    prepared = mergeTrivialPatterns(renameUnevaluated(p.schema));
    this.prepared.set(id, prepared);
    this.registerUnevaluated(prepared, id, '');
    return prepared;
  }

  /** Adds a schema to ajv and, transitively, the schemas it references; only what ajv
   *  must compile (failures, for their errors) gets here. */
  private ensureAdded(id: string): void {
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop()!;
      if (this.added.has(cur)) continue;
      const p = this.index.schemas[cur];
      if (!p) continue;
      this.added.add(cur);
      try {
        const prepared = this.prepare(cur);
        this.fast.addSchema(prepared as object, cur);
        this.detailed.addSchema(prepared as object, cur);
      } catch (e) {
        this.diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: p.file, message: `schema cannot be added: ${(e as Error).message}` });
      }
      stack.push(...p.refs);
    }
  }

  private registerUnevaluated(s: Json, base: string, pointer: string): void {
    if (Array.isArray(s)) {
      s.forEach((x, i) => this.registerUnevaluated(x, base, `${pointer}/${i}`));
      return;
    }
    if (!isObject(s)) return;
    if (DT_UNEVALUATED in s) this.unevalAt.set(s, { schema: s, base, pointer });
    if ('oneOf' in s || 'anyOf' in s) this.combinerAt.set(s, { schema: s, base, pointer });
    for (const [k, v] of Object.entries(s)) {
      if (k === 'enum' || k === 'const') continue;
      this.registerUnevaluated(v, base, `${pointer}/${escapePointer(k)}`);
    }
  }

  private readonly evalHost = {
    resolve: (base: string, ref: string): SchemaAt | undefined => {
      const t = refTarget(ref, base);
      if (!t) return undefined;
      let s = this.prepare(t.id);
      for (const seg of t.fragment.split('/').slice(1)) {
        const k = decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~');
        s = isObject(s) || Array.isArray(s) ? (s as Record<string, Json>)[k] : undefined;
      }
      return s === undefined ? undefined : { schema: s, base: t.id, pointer: t.fragment };
    },
    isValid: (at: SchemaAt, data: unknown): boolean => {
      if (at.schema === true) return true;
      if (at.schema === false) return false;
      return this.isValidAt(at, data, `${at.base}#${at.pointer}`, () => this.refValidator(at.base, at.pointer, false), true);
    },
    regExp: (p: string): RegExp => {
      let re = this.regexps.get(p);
      if (!re) {
        re = pyRegExp(p, '');
        this.regexps.set(p, re);
      }
      return re;
    },
  };

  /** ajv's validator of the subschema at base#pointer (compiled once; null if it cannot be). */
  private refValidator(base: string, pointer: string, detailed: boolean): ValidateFunction | null {
    const frag = pointer.split('/').map((x) => encodeURIComponent(x)).join('/');
    const key = `${detailed ? 'detailed ' : ''}${base}#${frag}`;
    let v = this.subValidators.get(key);
    if (v === undefined) {
      this.ensureAdded(base);
      try {
        v = (detailed ? this.detailed : this.fast).compile({ $ref: `${base}#${frag}` });
      } catch {
        v = null;
      }
      this.subValidators.set(key, v);
    }
    return v;
  }

  /**
   * How many (detailed) errors the failing branches of a oneOf/anyOf produce on `data`:
   * ajv lists them right before the combinator's own error, and dt-validate reports the
   * combinator alone. Undefined when the schema cannot be located.
   */
  branchErrorCount(parentSchema: unknown, keyword: 'oneOf' | 'anyOf', data: unknown): number | undefined {
    if (!isObject(parentSchema)) return undefined;
    const at = this.combinerAt.get(parentSchema);
    const branches = parentSchema[keyword];
    if (!at || !Array.isArray(branches)) return undefined;
    let n = 0;
    for (let i = 0; i < branches.length; i++) {
      const v = this.refValidator(at.base, `${at.pointer}/${keyword}/${i}`, true);
      if (!v) return undefined;
      if (!v(data)) n += v.errors?.length ?? 0;
    }
    return n;
  }

  validator(id: string, detailed = false): ValidateFunction | null {
    const cache = detailed ? this.compiledDetailed : this.compiled;
    let v = cache.get(id);
    if (v !== undefined) return v;
    this.ensureAdded(id);
    try {
      v = (detailed ? this.detailed : this.fast).getSchema(id) ?? null;
    } catch (e) {
      const p = this.index.schemas[id];
      this.diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: p?.file ?? id, message: `schema cannot be compiled: ${(e as Error).message}` });
      v = null;
    }
    cache.set(id, v);
    return v;
  }

  selectValidator(id: string): ValidateFunction | null {
    let v = this.selects.get(id);
    if (v !== undefined) return v;
    const p = this.index.schemas[id];
    try {
      this.ensureAdded(id);
      const sel = renameUnevaluated(p.schema.select as JsonObject) as JsonObject;
      v = this.fast.compile({ $id: `${id}?select`, ...sel } as object);
    } catch (e) {
      this.diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file: p?.file ?? id, message: `select cannot be compiled: ${(e as Error).message}` });
      v = null;
    }
    this.selects.set(id, v);
    return v;
  }

  /** Errors of validating `instance` against schema `id` (empty when valid). */
  validate(id: string, instance: unknown): ErrorObject[] {
    const schema = this.prepare(id);
    if (schema === undefined || this.isValidAt({ schema, base: id, pointer: '' }, instance, id, () => this.validator(id), true)) return [];
    const d = this.validator(id, true);
    if (!d || d(instance)) return [];
    return [...(d.errors ?? [])];
  }

  /** Validity and the errors as dt-validate reports them (see errors.ts). */
  findings(id: string, instance: unknown, prefix: (string | number)[]): SchemaFinding[] {
    const errors = this.validate(id, instance);
    if (errors.length === 0) return [];
    return shapeErrors(errors, prefix, (e) => this.branchErrorCount(e.parentSchema, e.keyword as 'oneOf' | 'anyOf', e.data));
  }

  selects_(id: string, instance: unknown): boolean {
    const sel = (this.prepare(id) as JsonObject | undefined)?.select;
    if (sel === undefined) return this.selectValidator(id)?.(instance) === true;
    return this.isValidAt({ schema: sel, base: id, pointer: '/select' }, instance, `${id}?select`, () => this.selectValidator(id), false);
  }
}
