// What earlier check rows learn and later rows read, as dtc keeps it on its nodes:
// #address-cells/#size-cells (set by addr_size_cells), the bus a bridge node was found to
// be (pci_bridge, simple_bus_bridge, ...), a phandle index, and which nodes have which
// properties. One instance per run.
import type { Node, Tree } from '../tree/model.js';
import type { PhandleLookup } from '../tree/refs.js';
import { phandleLookup } from '../tree/refs.js';

export type BusKind = 'pci' | 'simple-bus' | 'i2c' | 'spi' | 'graph-port' | 'graph-ports';

/** dtc's defaults when a node has no #address-cells / #size-cells */
export const DEFAULT_ADDR_CELLS = 2;
export const DEFAULT_SIZE_CELLS = 1;

export class CheckFacts {
  /** -1 when the property is absent (dtc's convention) */
  private readonly addrCells = new Map<Node, number>();
  private readonly sizeCells = new Map<Node, number>();
  private readonly buses = new Map<Node, BusKind>();
  private phandles: PhandleLookup | undefined;
  private live: Node[] | undefined;
  private withProperty: Map<string, Node[]> | undefined;

  constructor(private readonly tree: Tree) {}

  setCells(node: Node, addr: number, size: number): void {
    this.addrCells.set(node, addr);
    this.sizeCells.set(node, size);
  }

  /** raw #address-cells: -1 when absent */
  addrCellsRaw(node: Node): number {
    return this.addrCells.get(node) ?? -1;
  }

  /** raw #size-cells: -1 when absent */
  sizeCellsRaw(node: Node): number {
    return this.sizeCells.get(node) ?? -1;
  }

  /** #address-cells in force for children of `node` (default 2) */
  addrCellsOf(node: Node): number {
    const v = this.addrCellsRaw(node);
    return v === -1 ? DEFAULT_ADDR_CELLS : v;
  }

  /** #size-cells in force for children of `node` (default 1) */
  sizeCellsOf(node: Node): number {
    const v = this.sizeCellsRaw(node);
    return v === -1 ? DEFAULT_SIZE_CELLS : v;
  }

  bus(node: Node | null): BusKind | undefined {
    return node ? this.buses.get(node) : undefined;
  }

  setBus(node: Node, bus: BusKind): void {
    this.buses.set(node, bus);
  }

  /** Live nodes in dtc's walk order (parents before children), computed once per tree state. */
  nodes(): Node[] {
    return (this.live ??= this.tree.walk());
  }

  /** Live nodes that have a live property `name`, in walk order (one pass over the tree's
   *  properties serves every row about one property: Check.property). */
  nodesWith(name: string): Node[] {
    let m = this.withProperty;
    if (!m) {
      m = this.withProperty = new Map();
      for (const node of this.nodes()) {
        for (const p of node.properties) {
          if (p.deleted) continue;
          const list = m.get(p.name);
          if (!list) m.set(p.name, [node]);
          else if (list[list.length - 1] !== node) list.push(node);
        }
      }
    }
    return m.get(name) ?? [];
  }

  /** dtc's get_node_by_phandle: the first live node in walk order with that phandle */
  nodeByPhandle(phandle: number): Node | undefined {
    return (this.phandles ??= phandleLookup(this.tree, this.nodes()))(phandle);
  }

  /** Drops lookups derived from the tree (after a row that edits it). */
  invalidate(): void {
    this.phandles = undefined;
    this.live = undefined;
    this.withProperty = undefined;
  }
}
