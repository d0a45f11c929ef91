// Phandle allocation as dtc does it for nodes that need one (get_node_phandle): the
// lowest value not yet carried by a live node, with `phandle` (and/or `linux,phandle`)
// appended to the node's properties. dtc keeps a running counter that starts at 1 and
// only moves past used values, so "lowest unused" gives the same numbers.
import type { Node, Tree } from './model.js';
import { Property } from './model.js';
import { valueFromCells } from './value.js';

/** dtc -H: which phandle properties a newly allocated phandle is written as. */
export type PhandleFormat = 'epapr' | 'legacy' | 'both';

export class PhandleAllocator {
  private readonly used = new Set<number>();
  private next = 1;

  constructor(
    tree: Tree,
    private readonly format: PhandleFormat = 'epapr',
  ) {
    for (const n of tree.walk()) if (isValidPhandle(n.phandle)) this.used.add(n.phandle);
  }

  /** The node's phandle, allocating one (and adding its property) when it has none. */
  phandleOf(node: Node): number {
    if (isValidPhandle(node.phandle)) return node.phandle;
    while (this.used.has(this.next)) this.next++;
    const ph = this.next;
    this.used.add(ph);
    node.phandle = ph;
    if (this.format !== 'epapr' && !node.getProperty('linux,phandle')) {
      node.addProperty(new Property('linux,phandle', valueFromCells([ph])));
    }
    if (this.format !== 'legacy' && !node.getProperty('phandle')) {
      node.addProperty(new Property('phandle', valueFromCells([ph])));
    }
    return ph;
  }
}

export function isValidPhandle(ph: number): boolean {
  return ph !== 0 && ph !== 0xffffffff;
}
