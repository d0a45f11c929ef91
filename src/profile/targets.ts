// Finds the base node a profile entry names (label, path or compatible) and says how
// the overlay refers to it: by a label when the node has one, else `&{/path}`.
import type { Diagnostic } from '../report/diagnostic.js';
import type { Node } from '../tree/model.js';
import type { BaseIndex } from './base.js';
import { labelsOf } from './base.js';
import { compatiblesOf } from '../qcom/pas.js';
import type { TargetRef } from './types.js';

export interface ResolvedTarget {
  node: Node;
  /** what follows `&` in the overlay: `label` or `{/path}` */
  ref: string;
  /** how the profile named it, for messages */
  display: string;
}

export function displayTarget(t: TargetRef): string {
  return t.kind === 'label' ? `&${t.label}` : t.kind === 'path' ? t.path : `compatible "${t.compatible}"`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** Up to three labels close to `label` (typos), best first. */
export function similarLabels(base: BaseIndex, label: string): string[] {
  const scored: [number, string][] = [];
  for (const l of base.labels.keys()) {
    const d = editDistance(l, label);
    if (d <= Math.max(2, Math.floor(label.length / 4))) scored.push([d, l]);
  }
  return scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).slice(0, 3).map((s) => s[1]);
}

/** The overlay reference for a node: its first `__symbols__` label, else its path. */
export function refFor(base: BaseIndex, node: Node): string {
  const labels = labelsOf(base, node);
  return labels.length ? labels.sort()[0] : `{${node.path}}`;
}

export function resolveTarget(base: BaseIndex, t: TargetRef, out: Diagnostic[]): ResolvedTarget | undefined {
  const display = displayTarget(t);
  const fail = (message: string, notes: string[] = []): undefined => {
    out.push({
      rule: 'profile_target', severity: 'error', message, span: t.span,
      notes: notes.map((m) => ({ message: m })),
    });
    return undefined;
  };
  if (t.kind === 'label') {
    const node = base.labels.get(t.label);
    if (!node) {
      const near = similarLabels(base, t.label);
      return fail(`no node labelled '${t.label}' in the base ${base.file}`, near.length ? [`did you mean ${near.map((l) => `'${l}'`).join(', ')}?`] : []);
    }
    return { node, ref: t.label, display };
  }
  if (t.kind === 'path') {
    const node = base.tree.findByPath(t.path);
    if (!node || t.path === '/') return fail(`no node at path ${t.path} in the base ${base.file}`);
    return { node, ref: refFor(base, node), display };
  }
  const matches: Node[] = [];
  for (const n of base.tree.walk()) if (compatiblesOf(n).includes(t.compatible)) matches.push(n);
  if (matches.length === 0) return fail(`no node with compatible "${t.compatible}" in the base ${base.file}`);
  if (matches.length > 1) {
    return fail(`compatible "${t.compatible}" matches ${matches.length} nodes in the base; name the node by label or path`,
      matches.slice(0, 5).map((n) => `candidate: ${n.path}`));
  }
  return { node: matches[0], ref: refFor(base, matches[0]), display };
}
