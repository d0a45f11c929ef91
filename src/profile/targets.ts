// Finds the base node a profile entry names (label, path or compatible) and says how
// the overlay refers to it: by a label when the node has one, else `&{/path}`.
import { similarNames } from '../report/suggest.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Node } from '../tree/model.js';
import type { BaseIndex } from './base.js';
import { labelsOf } from './base.js';
import { compatiblesOf } from '../qcom/pas.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import { isDtsLabel, isDtsPath } from './emit.js';
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

/** Up to three labels close to `label` (typos), best first. */
export function similarLabels(base: BaseIndex, label: string): string[] {
  return similarNames(base.labels.keys(), label);
}

/** The overlay reference for a node: its first `__symbols__` label, else its path. */
export function refFor(base: BaseIndex, node: Node): string {
  // only labels DTS can spell (a DTB's __symbols__ may name anything)
  const labels = labelsOf(base, node).filter(isDtsLabel);
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
  const spellable = (node: Node): ResolvedTarget | undefined => {
    const ref = refFor(base, node);
    if (ref.startsWith('{') && !isDtsPath(node.path)) {
      return fail(`${clipText(node.path, MAX_QUOTED)} has no label and its path cannot be written in DTS (characters outside [A-Za-z0-9,._+*#?@/-])`);
    }
    return { node, ref, display };
  };
  if (t.kind === 'path') {
    const node = base.tree.findByPath(t.path);
    if (!node || t.path === '/') return fail(`no node at path ${clipText(t.path, MAX_QUOTED)} in the base ${base.file}`);
    return spellable(node);
  }
  const matches: Node[] = [];
  for (const n of base.tree.walk()) if (compatiblesOf(n).includes(t.compatible)) matches.push(n);
  if (matches.length === 0) return fail(`no node with compatible "${t.compatible}" in the base ${base.file}`);
  if (matches.length > 1) {
    return fail(`compatible "${t.compatible}" matches ${matches.length} nodes in the base; name the node by label or path`,
      matches.slice(0, 5).map((n) => `candidate: ${n.path}`));
  }
  return spellable(matches[0]);
}
