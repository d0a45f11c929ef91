// The base tree as the overlay generator sees it: labels come from `__symbols__` (the
// only labels an overlay can use once the base is a DTB), phandles are indexed once.
import type { Node, Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';
import type { PhandleLookup } from '../tree/refs.js';
import { phandleLookup } from '../tree/refs.js';

export interface BaseIndex {
  tree: Tree;
  /** the base file, for messages */
  file: string;
  /** label -> node, from `__symbols__` */
  labels: Map<string, Node>;
  /** label -> path as `__symbols__` records it */
  symbolPaths: Map<string, string>;
  phandles: PhandleLookup;
  hasSymbols: boolean;
}

export function indexBase(tree: Tree, file: string): BaseIndex {
  const labels = new Map<string, Node>();
  const symbolPaths = new Map<string, string>();
  const symbols = tree.root.getChild('__symbols__');
  for (const p of symbols?.props ?? []) {
    const s = stringsOf(p.value);
    if (!s || s.length !== 1) continue;
    symbolPaths.set(p.name, s[0]);
    const n = tree.findByPath(s[0]);
    if (n) labels.set(p.name, n);
  }
  return { tree, file, labels, symbolPaths, phandles: phandleLookup(tree), hasSymbols: symbols !== undefined };
}

/** Labels of a node as `__symbols__` names them. */
export function labelsOf(base: BaseIndex, node: Node): string[] {
  const out: string[] = [];
  for (const [l, n] of base.labels) if (n === node) out.push(l);
  return out;
}

/** `*` and `?` glob match, as profiles write board compatible patterns. */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(text);
}
