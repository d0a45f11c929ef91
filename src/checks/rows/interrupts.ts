// Interrupt providers, interrupt-map and "interrupts" against the parent's #interrupt-cells.
import type { Node } from '../../tree/model.js';
import type { Check } from '../types.js';
import { cellAt, firstCell, phandleIsValid } from '../values.js';
import { factsOf } from './addresses.js';

function isInterruptProvider(node: Node): boolean {
  return !!node.getProperty('interrupt-controller') || !!node.getProperty('interrupt-map');
}

/** dtc 1.6.1's form: a provider needs #interrupt-cells and #address-cells (later dtc
 *  changed this row to "#interrupt-cells without being a provider"). */
export const interruptProvider: Check = {
  id: 'interrupt_provider',
  level: 'warning',
  description: 'interrupt providers have #interrupt-cells and #address-cells',
  node(ctx, node) {
    if (!isInterruptProvider(node)) return;
    if (!node.getProperty('#interrupt-cells')) ctx.report(node, 'Missing #interrupt-cells in interrupt provider');
    if (!node.getProperty('#address-cells')) ctx.report(node, 'Missing #address-cells in interrupt provider');
  },
};

/** From dtc 1.7 (absent from 1.6.1, so off by default here). Its later-dtc prerequisite
 *  interrupt_provider is left out: 1.6.1's interrupt_provider fails on most trees. */
export const interruptMap: Check = {
  id: 'interrupt_map',
  level: 'off',
  requires: ['phandle_references', 'addr_size_cells'],
  description: 'interrupt-map entries match the parents\' #interrupt-cells and #address-cells',
  node(ctx, node) {
    const map = node.getProperty('interrupt-map');
    if (!map) return;
    const facts = factsOf(ctx);
    if (facts.addrCellsRaw(node) < 0) {
      ctx.report(node, "Missing '#address-cells' in interrupt-map provider");
      return;
    }
    const intCells = node.getProperty('#interrupt-cells');
    if (!intCells) return;
    const childCells = facts.addrCellsOf(node) + firstCell(intCells);
    const mask = node.getProperty('interrupt-map-mask');
    if (mask && mask.value.bytes.length !== childCells * 4) {
      ctx.report(node, `property size (${mask.value.bytes.length}) is invalid, expected ${childCells * 4}`, { property: mask });
    }
    const len = map.value.bytes.length;
    if (len % 4 !== 0) {
      ctx.report(node, `property size (${len}) is invalid, expected multiple of 4`, { property: map });
      return;
    }
    const cells = len / 4;
    for (let cell = 0; cell < cells; ) {
      if (cell + childCells >= cells) {
        ctx.report(node, `property size (${len}) too small, expected > ${(cell + childCells) * 4}`, { property: map });
        break;
      }
      cell += childCells;
      const phandle = cellAt(map.value, cell);
      if (!phandleIsValid(phandle)) {
        // printed as a C int, as dtc does
        if (!ctx.tree.plugin) ctx.report(node, `Cell ${cell} is not a phandle(${phandle | 0})`, { property: map });
        break;
      }
      const parent = facts.nodeByPhandle(phandle);
      if (!parent) {
        ctx.report(node, `Could not get phandle(${phandle | 0}) node for (cell ${cell})`, { property: map });
        break;
      }
      const parentIntCells = parent.getProperty('#interrupt-cells');
      if (!parentIntCells) {
        ctx.report(node, `Missing property '#interrupt-cells' in node ${parent.path} or bad phandle (referred from interrupt-map[${cell}])`);
        break;
      }
      let parentCells = firstCell(parentIntCells);
      const parentAddr = parent.getProperty('#address-cells');
      if (parentAddr) parentCells += firstCell(parentAddr);
      cell += 1 + parentCells;
    }
  },
};

/** dtc declares this row with phandle_references in its data slot, not as a prerequisite. */
export const interruptsProperty: Check = {
  id: 'interrupts_property',
  level: 'warning',
  description: '"interrupts" has an interrupt parent and a multiple of its #interrupt-cells',
  node(ctx, node) {
    const irq = node.getProperty('interrupts');
    if (!irq) return;
    const len = irq.value.bytes.length;
    if (len % 4 !== 0) ctx.report(node, `size (${len}) is invalid, expected multiple of 4`, { property: irq });
    let irqNode: Node | undefined;
    for (let parent: Node | null = node; parent; parent = parent.parent) {
      if (parent !== node && isInterruptProvider(parent)) {
        irqNode = parent;
        break;
      }
      const ip = parent.getProperty('interrupt-parent');
      if (!ip) continue;
      const phandle = firstCell(ip);
      if (!phandleIsValid(phandle)) {
        if (ctx.tree.plugin) return;
        ctx.report(parent, 'Invalid phandle', { property: ip });
        break;
      }
      irqNode = factsOf(ctx).nodeByPhandle(phandle);
      if (!irqNode) {
        ctx.report(parent, 'Bad phandle', { property: ip });
        return;
      }
      if (!isInterruptProvider(irqNode)) ctx.report(irqNode, 'Missing interrupt-controller or interrupt-map property');
      break;
    }
    if (!irqNode) {
      ctx.report(node, 'Missing interrupt-parent');
      return;
    }
    const cellsProp = irqNode.getProperty('#interrupt-cells');
    if (!cellsProp) return; // interrupt_provider reports that
    const size = firstCell(cellsProp) * 4;
    if (size === 0 ? len !== 0 : len % size !== 0) {
      // dtc names the provider's #interrupt-cells here, against this node's path
      ctx.report(node, `size is (${len}), expected multiple of ${size}`, { property: cellsProp });
    }
  },
};

export const interruptRows: Check[] = [interruptsProperty, interruptProvider, interruptMap];
