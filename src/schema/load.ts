// Reading binding YAML files. A file that cannot be read or parsed, or has no `$id`,
// becomes a located diagnostic; the other files load regardless.
//
// Reading is what dt-mk-schema's ruamel.yaml reads, within limits: a flow-sequence entry
// that is a bare `-` (`[a, -]`, which js-yaml rejects and ruamel reads as the string
// "-") is read as that string; a document whose aliases would expand to more than
// MAX_YAML_NODES values (an "alias bomb"), that refers to itself through an alias, or
// that nests deeper than MAX_SCHEMA_DEPTH is refused with a located error before anything
// walks it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import type { Diagnostic } from '../report/diagnostic.js';
import type { JsonObject } from './json.js';
import { isObject } from './json.js';
import { SCHEMA_LOAD_RULE } from './rules.js';

export { SCHEMA_LOAD_RULE };

/** values a document may expand to through its aliases (the largest kernel binding has ~12,000) */
export const MAX_YAML_NODES = 500_000;
/** nesting of mappings and sequences (kernel bindings stay below 30) */
export const MAX_SCHEMA_DEPTH = 200;

export interface SchemaFile {
  /** `$id` without the trailing '#' */
  id: string;
  file: string;
  text: string;
  raw: JsonObject;
  /** `raw` is already normalised (taken from the schema cache) */
  normalised?: boolean;
}

/** Every `*.yaml` below `dir`, sorted so that results are deterministic. */
export function listYamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries.filter((e) => e.endsWith('.yaml')).map((e) => path.join(dir, e)).sort();
}

export function normaliseId(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

export function loadError(file: string, message: string, line = 0, column = 0, length = 0): Diagnostic {
  return {
    rule: SCHEMA_LOAD_RULE,
    severity: 'warning',
    message,
    file,
    span: line > 0 ? { file, line, column, length } : undefined,
  };
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** js-yaml, reading a bare `-` flow entry as ruamel.yaml does (the string "-"). */
function loadYaml(file: string, text: string): unknown {
  let src = text;
  for (let tries = 0; ; tries++) {
    try {
      return yaml.load(src, { filename: file });
    } catch (e) {
      const err = e as { reason?: string; mark?: { position: number } };
      const pos = err.mark?.position ?? -1;
      // js-yaml stops at (or right after) a lone `-` entry: `, -]`, `[-,`
      const at = src[pos] === '-' ? pos : pos - 1;
      if (tries < 100 && err.reason === 'missed comma between flow collection entries' && at > 0 &&
          src[at] === '-' && /[\s,[{]/.test(src[at - 1]) && /[\]},]/.test(src[at + 1] ?? '')) {
        src = `${src.slice(0, at)}"-"${src.slice(at + 1)}`;
        continue;
      }
      throw e;
    }
  }
}

/** Expanded size and depth of a parsed document, each shared (aliased) value measured once. */
function measure(doc: unknown): { nodes: number; depth: number; cycle: boolean } {
  const size = new Map<object, number>();
  const depth = new Map<object, number>();
  const onPath = new Set<object>();
  const stack: { v: object; kids: object[]; i: number }[] = [];
  const kidsOf = (v: object): object[] => {
    const vals = Array.isArray(v) ? v : Object.values(v);
    return vals.filter((x): x is object => typeof x === 'object' && x !== null);
  };
  const leaves = (v: object): number => (Array.isArray(v) ? v : Object.values(v)).filter((x) => typeof x !== 'object' || x === null).length;
  if (typeof doc !== 'object' || doc === null) return { nodes: 1, depth: 0, cycle: false };
  stack.push({ v: doc, kids: kidsOf(doc), i: 0 });
  onPath.add(doc);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i < top.kids.length) {
      const k = top.kids[top.i++];
      if (size.has(k)) continue;
      if (onPath.has(k)) return { nodes: Infinity, depth: Infinity, cycle: true };
      onPath.add(k);
      stack.push({ v: k, kids: kidsOf(k), i: 0 });
      if (stack.length > MAX_SCHEMA_DEPTH + 1) return { nodes: 0, depth: stack.length - 1, cycle: false };
      continue;
    }
    let n = 1 + leaves(top.v), dp = 0;
    for (const k of top.kids) {
      n = Math.min(n + size.get(k)!, Number.MAX_SAFE_INTEGER);
      dp = Math.max(dp, depth.get(k)!);
    }
    size.set(top.v, n);
    depth.set(top.v, dp + 1);
    onPath.delete(top.v);
    stack.pop();
  }
  return { nodes: size.get(doc)!, depth: depth.get(doc)!, cycle: false };
}

/** a YAML anchor (`&name`) where a node may start */
const HAS_ANCHOR = /(^|[\s[{,:-])&[^\s,\]}]/m;

/** Where the first alias (`*name`) of a text is, for locating an alias problem. */
function firstAlias(text: string): { line: number; column: number } {
  const m = /(^|[\s[{,:-])\*[^\s,\]}]+/m.exec(text);
  return m ? lineCol(text, m.index + m[1].length) : { line: 1, column: 1 };
}

/** Parses one schema file's text. */
export function parseSchemaText(file: string, text: string): { schema?: SchemaFile; diagnostic?: Diagnostic } {
  let doc: unknown;
  try {
    doc = loadYaml(file, text);
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line: number; column: number } };
    const m = err.mark;
    const why = err instanceof RangeError ? 'nested too deeply' : err.reason ?? err.message ?? String(e);
    return { diagnostic: loadError(file, `malformed YAML: ${why}`, m ? m.line + 1 : 0, m ? m.column + 1 : 0) };
  }
  // only aliases can make a document larger or deeper than its text (js-yaml itself stops
  // at 100 levels of nesting), and an alias needs an anchor
  const { nodes, depth, cycle } = HAS_ANCHOR.test(text) ? measure(doc) : { nodes: 0, depth: 0, cycle: false };
  if (cycle) {
    const at = firstAlias(text);
    return { diagnostic: loadError(file, 'YAML alias refers to a value that contains it (a recursive structure); the file is ignored', at.line, at.column) };
  }
  if (nodes > MAX_YAML_NODES) {
    const at = firstAlias(text);
    return { diagnostic: loadError(file, `YAML aliases expand to more than ${MAX_YAML_NODES} values (an alias bomb?); the file is ignored`, at.line, at.column) };
  }
  if (depth > MAX_SCHEMA_DEPTH) {
    return { diagnostic: loadError(file, `schema nests more than ${MAX_SCHEMA_DEPTH} levels deep; the file is ignored`, 1, 1) };
  }
  if (!isObject(doc)) return { diagnostic: loadError(file, 'schema is not a YAML mapping', 1, 1) };
  if (typeof doc.$id !== 'string') return { diagnostic: loadError(file, "schema has no '$id'", 1, 1) };
  // aliased values stay shared, as after dt-schema's deepcopy (which keeps shared references)
  return { schema: { id: normaliseId(doc.$id), file, text, raw: doc } };
}

/** Line and column of the first `$ref: <ref>` in a schema's text (for located errors). */
export function locateRef(text: string, ref: string): { line: number; column: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i].indexOf(ref);
    if (col >= 0 && lines[i].includes('$ref')) return { line: i + 1, column: col + 1 };
  }
  return undefined;
}
