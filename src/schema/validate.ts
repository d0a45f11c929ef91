// Validating a tree: every node gets the schema of its first compatible (if some schema
// documents it) plus every schema whose `select` matches it, as dt-validate does.
// Findings carry the node path, the schema $id and, for DTS input, the source span of the
// property (or node) involved.
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Node, Tree } from '../tree/model.js';
import type { SchemaEngine } from './engine.js';
import type { SchemaFinding } from './errors.js';
import { pyRepr } from './errors.js';
import type { InstanceValue, NodeInstance } from './instance.js';
import { buildInstanceTree, isChild } from './instance.js';
import type { SchemaIndex } from './process.js';
import type { SelectIndex } from './select-index.js';
import { candidateSelects } from './select-index.js';

export const SCHEMA_RULE = 'schema';
export const UNMATCHED_RULE = 'schema-unmatched';

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
  /** documented compatibles, built on first use */
  documented?: { enum: Set<string>; patterns: RegExp[] };
}

function isDisabledStatus(v: InstanceValue | undefined): boolean {
  return Array.isArray(v) && v.includes('disabled');
}

function compatibleList(inst: NodeInstance): string[] | undefined {
  const c = inst.compatible;
  return Array.isArray(c) && c.every((x) => typeof x === 'string') ? (c as string[]) : undefined;
}

function documented(st: WalkState, c: string): boolean {
  return st.documented.has(c) || st.patterns.some((re) => re.test(c));
}

/** The source span of what a finding is about: the property, else the node. */
function locate(node: Node, path: (string | number)[]): { node: Node; span?: SourceSpan; property?: string } {
  let cur = node;
  for (const seg of path) {
    if (typeof seg !== 'string') break;
    const child = cur.getChild(seg);
    if (child) {
      cur = child;
      continue;
    }
    const prop = cur.getProperty(seg);
    if (prop) return { node: cur, span: prop.span ?? cur.span, property: seg };
    break;
  }
  return { node: cur, span: cur.span };
}

function instanceAt(inst: NodeInstance, path: (string | number)[]): InstanceValue | undefined {
  let cur: InstanceValue | undefined = inst;
  for (const seg of path) {
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, InstanceValue>)[seg as string];
  }
  return cur;
}

function forgiven(f: SchemaFinding, ignores: readonly string[]): boolean {
  const hit = (p: (string | number)[]): boolean => p.some((x) => typeof x === 'string' && ignores.includes(x));
  return hit(f.schemaPath) || f.context.some(hit);
}

interface WalkState {
  file: string;
  diagnostics: Diagnostic[];
  patterns: RegExp[];
  documented: Set<string>;
  nodeOf: Map<NodeInstance, Node>;
}

function checkNode(ctx: ValidateContext, st: WalkState, inst: NodeInstance, node: Node, disabled: boolean): void {
  const compats = compatibleList(inst);
  const runs: { id: string; prefix: string[] }[] = [];
  // the schema of the first compatible some schema documents
  const first = compats?.find((c) => Object.prototype.hasOwnProperty.call(ctx.index.compatMap, c));
  if (first !== undefined) runs.push({ id: ctx.index.compatMap[first], prefix: [] });
  const nodeName = (inst.$nodename as string[])[0];
  const { sure, maybe } = candidateSelects(ctx.selectIndex, nodeName, inst, compats);
  for (const at of maybe) if (ctx.engine.selects_(ctx.index.always[at], inst)) sure.add(at);
  for (const at of [...sure].sort((x, y) => x - y)) runs.push({ id: ctx.index.always[at], prefix: ['then'] });
  const ignores = ctx.options.disabledNodeIgnores ?? DEFAULT_DISABLED_NODE_IGNORES;
  const nodePath = node.path;
  for (const run of runs) {
    for (const f of ctx.engine.findings(run.id, inst, run.prefix)) {
      const target = instanceAt(inst, f.propertyPath);
      const targetDisabled = (target !== undefined && isChild(target) && isDisabledStatus(target.status)) || isDisabledStatus(inst.status);
      if ((disabled || targetDisabled) && forgiven(f, ignores)) continue;
      const where = locate(node, f.propertyPath);
      st.diagnostics.push({
        rule: SCHEMA_RULE,
        severity: 'error',
        message: f.message,
        span: where.span,
        file: st.file,
        node: nodePath,
        property: f.propertyPath.length ? f.propertyPath.map(String).join('/') : undefined,
        ...(f.extras ? { properties: f.extras } : {}),
        schema: run.id,
        schemaPath: f.schemaPath.map(String).join('/'),
        notes: compats ? [{ message: `compatible: ${compats[0]}` }] : undefined,
      });
    }
  }
  if (ctx.options.unmatched && compats) {
    for (const c of compats) {
      if (documented(st, c)) continue;
      const p = node.getProperty('compatible');
      st.diagnostics.push({
        rule: UNMATCHED_RULE,
        severity: 'warning',
        message: `failed to match any schema with compatible: ${pyRepr(compats)}`,
        span: p?.span ?? node.span,
        file: st.file,
        node: nodePath,
        property: 'compatible',
      });
    }
  }
}

function walk(ctx: ValidateContext, st: WalkState, inst: NodeInstance, name: string, disabledIn: boolean): void {
  if (name.startsWith('__')) return;
  const node = st.nodeOf.get(inst);
  if (!node) return;
  const disabled = 'status' in inst ? isDisabledStatus(inst.status) : disabledIn;
  // dt-validate names a node ($nodename) when it visits it, after its parent was checked
  inst.$nodename = [name];
  checkNode(ctx, st, inst, node, disabled);
  for (const [k, v] of Object.entries(inst)) if (k !== '$nodename' && isChild(v)) walk(ctx, st, v, k, disabled);
}

/** Validates a whole tree; `file` names the input for findings without a source span. */
export function validateTree(ctx: ValidateContext, tree: Tree, file: string): Diagnostic[] {
  const { root, nodeOf, intBits } = buildInstanceTree(tree, ctx.index.table);
  ctx.engine.intBits = intBits;
  ctx.documented ??= {
    enum: new Set(ctx.index.documented.enum),
    patterns: ctx.index.documented.patterns.map((p) => {
      try {
        return new RegExp(p);
      } catch {
        return /(?!)/;
      }
    }),
  };
  const st: WalkState = { file, diagnostics: [], patterns: ctx.documented.patterns, documented: ctx.documented.enum, nodeOf };
  walk(ctx, st, root, '/', false);
  return st.diagnostics;
}
