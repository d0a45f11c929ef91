// Validating a tree as dt-validate does (dtschema/dtb_validate.py): every node, in document
// order, gets the schema of its first compatible some schema documents, then every schema
// whose `select` matches it (in sorted `$id` order); each schema's errors are reported as
// python-jsonschema yields them. Findings carry the node path, the schema $id and, for DTS
// input, the source span of the property (or node) involved; an anyOf/oneOf finding
// carries its sub-errors as notes, the way dt-validate's text output lists them.
import type { Diagnostic, DiagnosticNote } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Node, Tree } from '../tree/model.js';
import type { SchemaEngine, SchemaFinding } from './engine.js';
import type { DecodeOptions, DtNode, DtValue } from './instance.js';
import { buildInstanceTree, isNode } from './instance.js';
import type { SchemaIndex } from './process.js';
import type { PyRegex } from './regex.js';
import { pyRepr } from './repr.js';
import { SCHEMA_RULE, UNMATCHED_RULE } from './rules.js';
import type { SelectIndex } from './select-index.js';
import { candidateSelects } from './select-index.js';
import type { SchemaError } from './validator.js';
import { SchemaRecursion, bestMatch, byPath } from './validator.js';

export { SCHEMA_RULE, UNMATCHED_RULE };

/**
 * What is forgiven on disabled nodes (status = "disabled", or inherited from a disabled
 * parent): boards fill in supplies, GPIOs and the like only where they enable a node, so
 * dt-validate drops findings whose schema path (or, for oneOf/anyOf, a branch's path)
 * involves these keywords. THE one place this policy lives; override per run with
 * `ValidateOptions.disabledNodeIgnores`.
 */
export const DEFAULT_DISABLED_NODE_IGNORES: readonly string[] = ['required', 'unevaluatedProperties'];

export interface ValidateOptions {
  /** report compatibles no schema documents (dt-validate -m) */
  unmatched?: boolean;
  disabledNodeIgnores?: readonly string[];
}

export interface ValidateContext {
  index: SchemaIndex;
  engine: SchemaEngine;
  options: ValidateOptions;
  selectIndex: SelectIndex;
  /** how DTB values are decoded (guessing untyped ones when no bindings are loaded) */
  decode?: DecodeOptions;
  /** documented compatibles, built on first use */
  documented?: { enum: Set<string>; patterns: PyRegex[] };
}

function isDisabledStatus(v: DtValue | undefined): boolean {
  return Array.isArray(v) && v.includes('disabled');
}

function compatibleList(inst: DtNode): string[] | undefined {
  const c = inst.get('compatible');
  return Array.isArray(c) && c.every((x) => typeof x === 'string') ? (c as string[]) : undefined;
}

/** The source span of what a finding is about: the property, else the node. */
function locate(node: Node, path: (string | number)[]): { span?: SourceSpan; property?: string } {
  let cur = node;
  for (const seg of path) {
    if (typeof seg !== 'string') break;
    const child = cur.getChild(seg);
    if (child && !child.deleted) {
      cur = child;
      continue;
    }
    const prop = cur.getProperty(seg);
    if (prop) return { span: prop.span ?? cur.span };
    break;
  }
  return { span: cur.span };
}

function forgiven(f: SchemaFinding, ignores: readonly string[]): boolean {
  const hit = (p: (string | number)[]): boolean => p.some((x) => typeof x === 'string' && ignores.includes(x));
  if (hit(f.schemaPath)) return true;
  // a context error's own (relative) schema path, as dt-validate tests it
  return f.context.some((e) => hit(e.schemaPath.slice(f.schemaPath.length)));
}

/** dt-validate's text for an anyOf/oneOf: the best match of a single sub-error, or each of them. */
function contextNotes(context: SchemaError[], indent = ''): DiagnosticNote[] {
  if (context.length === 0) return [];
  if (context.length === 1) return [{ message: `${indent}${bestMatch(context)!.message}` }];
  const notes: DiagnosticNote[] = [];
  const seen = new Set<string>();
  for (const e of byPath(context)) {
    if (e.context.length) {
      notes.push({ message: `${indent}${e.message}` }, ...contextNotes(e.context, `${indent}  `));
    } else if (!seen.has(e.message)) {
      seen.add(e.message);
      notes.push({ message: `${indent}${e.message}` });
    }
  }
  return notes;
}

interface WalkState {
  file: string;
  diagnostics: Diagnostic[];
  documented: NonNullable<ValidateContext['documented']>;
  nodeOf: Map<DtNode, Node>;
}

function isDocumented(st: WalkState, c: string): boolean {
  return st.documented.enum.has(c) || st.documented.patterns.some((re) => re.search(c));
}

function report(ctx: ValidateContext, st: WalkState, inst: DtNode, node: Node, disabled: boolean, id: string, f: SchemaFinding, compats: string[] | undefined): void {
  const ignores = ctx.options.disabledNodeIgnores ?? DEFAULT_DISABLED_NODE_IGNORES;
  const at = f.instance;
  const targetDisabled = isNode(at) && isDisabledStatus(at.get('status'));
  if ((disabled || targetDisabled) && forgiven(f, ignores)) return;
  const where = f.where.length ? f.where.map(String).join('/') : undefined;
  const notes: DiagnosticNote[] = contextNotes(f.context);
  if (compats) notes.push({ message: `compatible: ${compats[0]}` });
  st.diagnostics.push({
    rule: SCHEMA_RULE,
    severity: 'error',
    message: f.message,
    span: locate(node, f.where).span,
    file: st.file,
    node: node.path,
    property: where,
    ...(f.extras ? { properties: f.extras } : {}),
    schema: id,
    schemaPath: f.schemaPath.map(String).join('/'),
    notes: notes.length ? notes : undefined,
  });
}

function checkNode(ctx: ValidateContext, st: WalkState, inst: DtNode, node: Node, name: string, disabled: boolean): void {
  // dt-validate skips the nodes of binding examples
  if (inst.has('example-0') || name.includes('example-')) return;
  // dt-validate names a node ($nodename) when it visits it, after its parent was checked
  inst.set('$nodename', [name]);
  const compats = compatibleList(inst);
  const runs: { id: string; prefix: string[] }[] = [];
  const compatible = inst.get('compatible');
  if (Array.isArray(compatible)) {
    for (const c of compatible) {
      if (typeof c === 'string' && Object.prototype.hasOwnProperty.call(ctx.index.compatMap, c)) {
        runs.push({ id: ctx.index.compatMap[c], prefix: [] });
        break;
      }
    }
  }
  const { sure, maybe } = candidateSelects(ctx.selectIndex, name, inst, compats);
  for (const at of maybe) if (ctx.engine.selects(ctx.index.always[at], inst)) sure.add(at);
  for (const at of [...sure].sort((x, y) => x - y)) runs.push({ id: ctx.index.always[at], prefix: ['then'] });
  for (const run of runs) {
    let findings: SchemaFinding[];
    try {
      findings = ctx.engine.findings(run.id, inst, run.prefix);
    } catch (e) {
      if (!(e instanceof SchemaRecursion)) throw e;
      st.diagnostics.push({
        rule: SCHEMA_RULE, severity: 'error', file: st.file, node: node.path, span: node.span, schema: run.id,
        message: 'schema evaluation nested too deeply below this node (a tree nested this deep, or a recursive schema); the schema is not applied here',
      });
      continue;
    }
    for (const f of findings) report(ctx, st, inst, node, disabled, run.id, f, compats);
  }
  if (ctx.options.unmatched && compats) {
    for (const c of compats) {
      if (isDocumented(st, c)) continue;
      st.diagnostics.push({
        rule: UNMATCHED_RULE,
        severity: 'warning',
        message: `failed to match any schema with compatible: ${pyRepr(compats)}`,
        span: node.getProperty('compatible')?.span ?? node.span,
        file: st.file,
        node: node.path,
        property: 'compatible',
      });
    }
  }
}

/** Validates a whole tree; `file` names the input for findings without a source span. */
export function validateTree(ctx: ValidateContext, tree: Tree, file: string): Diagnostic[] {
  const { root, nodeOf } = buildInstanceTree(tree, ctx.index.table, ctx.decode);
  ctx.documented ??= {
    enum: new Set(ctx.index.documented.enum),
    patterns: ctx.index.documented.patterns.map((p) => ctx.engine.regex(p)),
  };
  const st: WalkState = { file, diagnostics: [], documented: ctx.documented, nodeOf };
  // document order, iteratively: a node, then its children (dt-validate's check_subtree)
  const stack: [DtNode, string, boolean][] = [[root, '/', false]];
  while (stack.length) {
    const [inst, name, disabledIn] = stack.pop()!;
    if (name.startsWith('__')) continue;
    const node = nodeOf.get(inst);
    if (!node) continue;
    const status = inst.get('status');
    const disabled = Array.isArray(status) ? status.includes('disabled') : disabledIn;
    checkNode(ctx, st, inst, node, name, disabled);
    const kids: [DtNode, string, boolean][] = [];
    for (const [k, v] of inst) if (k !== '$nodename' && isNode(v)) kids.push([v, k, disabled]);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return st.diagnostics;
}
