// Which select-schemas can apply to a node, found by lookup instead of by evaluating ~200
// selects on each of ~10k nodes: by compatible string, by node name, by the properties a
// select-true schema constrains; only the remaining selects are evaluated.
import type { DtNode } from './instance.js';
import type { SchemaIndex } from './process.js';
import type { PyRegex } from './regex.js';

export interface SelectIndex {
  byCompatible: Map<string, number[]>;
  byProperty: Map<string, number[]>;
  byName: Map<string, number[]>;
  namePatterns: { at: number; re: PyRegex }[];
  /** always applied */
  unconditional: number[];
  /** evaluated per node, after the node has every name in `requires` */
  evaluated: { at: number; requires: string[] }[];
  /** node name -> positions whose name pattern matches (names repeat across trees) */
  nameMemo: Map<string, number[]>;
}

function push(m: Map<string, number[]>, k: string, at: number): void {
  const l = m.get(k);
  if (l) {
    if (l[l.length - 1] !== at) l.push(at);
  } else m.set(k, [at]);
}

export function buildSelectIndex(index: SchemaIndex, regex: (p: string) => PyRegex): SelectIndex {
  const out: SelectIndex = { byCompatible: new Map(), byProperty: new Map(), byName: new Map(), namePatterns: [], unconditional: [], evaluated: [], nameMemo: new Map() };
  index.always.forEach((id, at) => {
    const p = index.schemas[id];
    const sel = p.select!;
    switch (sel.kind) {
      case 'always':
        if (p.gateKeys) for (const k of p.gateKeys) push(out.byProperty, k, at);
        else out.unconditional.push(at);
        break;
      case 'compatible':
        for (const c of sel.compatibles) push(out.byCompatible, c, at);
        break;
      case 'nodename':
        if (sel.name !== undefined) push(out.byName, sel.name, at);
        else out.namePatterns.push({ at, re: regex(sel.pattern!) });
        break;
      default:
        out.evaluated.push({ at, requires: sel.requires });
    }
  });
  return out;
}

/** Positions (in `index.always`) of the select-schemas that may apply, ascending. */
export function candidateSelects(si: SelectIndex, nodeName: string, node: DtNode, compatibles: string[] | undefined): { sure: Set<number>; maybe: number[] } {
  const sure = new Set<number>(si.unconditional);
  for (const c of compatibles ?? []) for (const at of si.byCompatible.get(c) ?? []) sure.add(at);
  for (const k of node.keys()) {
    const l = si.byProperty.get(k);
    if (l) for (const at of l) sure.add(at);
  }
  for (const at of si.byName.get(nodeName) ?? []) sure.add(at);
  let byPattern = si.nameMemo.get(nodeName);
  if (!byPattern) {
    byPattern = si.namePatterns.filter(({ re }) => re.search(nodeName)).map(({ at }) => at);
    if (si.nameMemo.size < 100_000) si.nameMemo.set(nodeName, byPattern);
  }
  for (const at of byPattern) sure.add(at);
  const maybe: number[] = [];
  for (const { at, requires } of si.evaluated) if (requires.every((r) => node.has(r))) maybe.push(at);
  return { sure, maybe };
}
