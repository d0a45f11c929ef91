// The engine of one validation context: the validator (validator.ts) over the processed
// schemas of a set, with `$ref` resolution against the set, Python regular expressions
// (compiled once each) and the diagnostics about the schemas themselves that only show
// when they are used (a `$ref` that does not resolve, a `$ref` cycle).
import type { Diagnostic } from '../report/diagnostic.js';
import type { Json } from './json.js';
import { isObject } from './json.js';
import { SCHEMA_LOAD_RULE, locateRef } from './load.js';
import type { SchemaIndex } from './process.js';
import { refTarget } from './process.js';
import type { PyRegex } from './regex.js';
import { pyRegex } from './regex.js';
import type { Resolved, SchemaError } from './validator.js';
import { SchemaRecursion, SchemaValidator } from './validator.js';

/** A finding of one schema on one node: python-jsonschema's error as dt-validate reports it. */
export type SchemaFinding = SchemaError;

/** Python's urllib.parse.unquote: %XX sequences as UTF-8, anything else left as written. */
export function pyUnquote(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.match(/%[0-9a-fA-F]{2}/g)!.map((x) => parseInt(x.slice(1), 16)));
    return new TextDecoder('utf-8').decode(bytes);
  });
}

function own(o: Json | undefined, k: string): Json | undefined {
  if (isObject(o)) return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
  if (Array.isArray(o) && /^(0|[1-9]\d*)$/.test(k)) return o[Number(k)];
  return undefined;
}

export class SchemaEngine {
  readonly diagnostics: Diagnostic[] = [];
  private readonly validator: SchemaValidator;
  private readonly regexes = new Map<string, PyRegex>();
  private readonly reported = new Set<string>();
  /** schemas found to recurse without end: reported once, then not applied */
  private readonly cyclic = new Set<string>();

  constructor(private readonly index: SchemaIndex, private readonly readText?: (file: string) => string | undefined) {
    this.validator = new SchemaValidator({
      resolve: (base, ref) => this.resolve(base, ref),
      regex: (p) => this.regex(p),
      problem: (base, message) => this.problem(base, message),
    });
  }

  regex(p: string): PyRegex {
    let re = this.regexes.get(p);
    if (!re) {
      re = pyRegex(p);
      this.regexes.set(p, re);
    }
    return re;
  }

  /** A `$ref` written in resource `base`, resolved against the set (JSON pointer fragments). */
  resolve(base: string, ref: string): Resolved | undefined {
    const t = refTarget(ref, base);
    if (!t) return undefined;
    const p = this.index.schemas[t.id];
    if (!p) return undefined;
    let s: Json | undefined = p.schema;
    const fragment = pyUnquote(t.fragment);
    if (fragment !== '') {
      if (!fragment.startsWith('/')) return undefined; // $anchor: not used by bindings
      for (const seg of fragment.split('/').slice(1)) {
        s = own(s, seg.replace(/~1/g, '/').replace(/~0/g, '~'));
        if (s === undefined) return undefined;
      }
    }
    return { schema: s, base: t.id };
  }

  private problem(base: string, message: string): void {
    const key = `${base}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const file = this.index.schemas[base]?.file ?? base;
    this.diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', file, message });
  }

  /** schemas by id, parsed from the cache once (the index's own lookup is a lazy getter) */
  private readonly roots = new Map<string, Json | undefined>();

  private schemaOf(id: string): Json | undefined {
    let s = this.roots.get(id);
    if (s === undefined && !this.roots.has(id)) {
      s = Object.prototype.hasOwnProperty.call(this.index.schemas, id) ? this.index.schemas[id].schema : undefined;
      this.roots.set(id, s);
    }
    return s;
  }

  /** Reports a $ref cycle once, at the $ref that closes it; false when the recursion is the
   *  tree's depth (no $ref met twice at one instance level). */
  private recursion(id: string, e: SchemaRecursion): boolean {
    const refs = e.refs;
    const first = new Map<string, number>();
    let start = -1, end = -1;
    for (let i = 0; i < refs.length && start < 0; i++) {
      const j = first.get(refs[i]);
      if (j === undefined) first.set(refs[i], i);
      else [start, end] = [j, i];
    }
    if (start < 0) return false;
    this.cyclic.add(id);
    const parse = (label: string): { base: string; ref: string } => {
      const hash = label.indexOf('#');
      return { base: label.slice(0, hash), ref: label.slice(hash + 1, label.lastIndexOf('@')) };
    };
    const { base, ref } = parse(refs[end]);
    const key = `cycle\0${base}#${ref}`;
    if (this.reported.has(key)) return true;
    this.reported.add(key);
    const chain = refs.slice(start, end + 1).map((r) => `'${parse(r).ref}'`).join(' -> ');
    const file = this.index.schemas[base]?.file ?? base;
    const text = this.readText?.(file);
    const at = text ? locateRef(text, ref) : undefined;
    this.diagnostics.push({
      rule: SCHEMA_LOAD_RULE, severity: 'error', file,
      message: `$ref cycle: ${chain} refers back to itself without reaching a value; ${id} is not applied`,
      span: at ? { file, line: at.line, column: at.column, length: ref.length } : undefined,
    });
    return true;
  }

  /** dt-validate's errors of schema `id` on a node (empty when valid); prefix: ['then'] for select-applied schemas.
   *  A schema that recurses without end throws SchemaRecursion after reporting (or not, for depth). */
  findings(id: string, instance: unknown, prefix: (string | number)[] = []): SchemaFinding[] {
    if (this.cyclic.has(id)) return [];
    const s = this.schemaOf(id);
    if (s === undefined) return [];
    try {
      if (this.validator.isValid(s, id, instance)) return [];
      return this.validator.errors(s, id, instance, prefix);
    } catch (e) {
      if (e instanceof SchemaRecursion && this.recursion(id, e)) return [];
      throw e;
    }
  }

  /** answers of selects that look at `compatible` alone, by schema and compatible list */
  private readonly selectMemo = new Map<string, Map<string, boolean>>();

  /** Whether the `select` of schema `id` accepts the node. */
  selects(id: string, instance: unknown): boolean {
    if (this.cyclic.has(id)) return false;
    const s = this.schemaOf(id);
    if (!isObject(s) || !('select' in s)) return false;
    const sel = this.index.schemas[id].select;
    let memo: Map<string, boolean> | undefined, key: string | undefined;
    if (sel?.kind === 'schema' && sel.compatibleOnly && instance instanceof Map) {
      const c: unknown = instance.get('compatible');
      if (Array.isArray(c) && c.every((x) => typeof x === 'string')) {
        key = c.join('\0');
        memo = this.selectMemo.get(id);
        if (!memo) this.selectMemo.set(id, (memo = new Map()));
        const known = memo.get(key);
        if (known !== undefined) return known;
      }
    }
    try {
      const ok = this.validator.isValid(s.select, id, instance);
      if (memo && key !== undefined && memo.size < 10_000) memo.set(key, ok);
      return ok;
    } catch (e) {
      if (e instanceof SchemaRecursion && this.recursion(id, e)) return false;
      throw e;
    }
  }
}
