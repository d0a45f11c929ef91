// Interrupt providers, interrupt-map and "interrupts" against the parent's #interrupt-cells.
import type { Node } from '../../tree/model.js';
import type { Check } from '../types.js';
import { isValidPhandle } from '../../tree/phandles.js';
import { cellAt, firstCell } from '../values.js';
import { factsOf } from './addresses.js';

function isInterruptProvider(node: Node): boolean {
  return !!node.getProperty('interrupt-controller') || !!node.getProperty('interrupt-map');
}

/** dtc 1.7+: a provider needs #interrupt-cells, and only providers may have it. */
export const interruptProvider: Check = {
  id: 'interrupt_provider',
  level: 'warning',
  requires: ['interrupts_extended_is_cell'],
  description: 'interrupt providers have #interrupt-cells, other nodes do not',
  node(ctx, node) {
    const provider = isInterruptProvider(node);
    const cells = node.getProperty('#interrupt-cells');
    if (provider && !cells) ctx.report(node, "Missing '#interrupt-cells' in interrupt provider");
    else if (!provider && cells) ctx.report(node, "'#interrupt-cells' found, but node is not an interrupt provider");
  },
};

/** dtc 1.6.1's form: a provider needs #interrupt-cells and #address-cells (the second
 *  test was dropped in dtc 1.7.0). */
const interruptProvider161: Check = {
  id: 'interrupt_provider',
  level: 'warning',
  description: 'interrupt providers have #interrupt-cells and #address-cells',
  node(ctx, node) {
    if (!isInterruptProvider(node)) return;
    if (!node.getProperty('#interrupt-cells')) ctx.report(node, 'Missing #interrupt-cells in interrupt provider');
    if (!node.getProperty('#address-cells')) ctx.report(node, 'Missing #address-cells in interrupt provider');
  },
};

/** dtc 1.7+ (the overall-length and parent #address-cells findings from 1.7.1 and 1.8.0). */
export const interruptMap: Check = {
  id: 'interrupt_map',
  level: 'warning',
  requires: ['phandle_references', 'addr_size_cells', 'interrupt_provider'],
  description: 'interrupt-map entries match the parents\' #interrupt-cells and #address-cells',
  node(ctx, node) {
    const map = node.getProperty('interrupt-map');
    if (!map) return;
    const facts = factsOf(ctx);
    if (facts.addrCellsRaw(node) < 0) {
      ctx.report(node, "Missing '#address-cells' in interrupt-map provider");
      return;
    }
    // interrupt_provider (a prerequisite) has made sure it is there
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
      if (!isValidPhandle(phandle)) {
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
      else ctx.report(node, `Missing property '#address-cells' in node ${parent.path}, using 0 as fallback`, { property: map });
      cell += 1 + parentCells;
      if (cell > cells) ctx.report(node, `property size (${len}) mismatch, expected ${cell * 4}`, { property: map });
    }
  },
};

/** dtc 1.6.1 has no such row: dtkit's 1.6.1 table keeps it, off, and without the
 *  interrupt_provider prerequisite (1.6.1's form of that row fails on most trees). */
const interruptMap161: Check = { ...interruptMap, level: 'off', requires: ['phandle_references', 'addr_size_cells'] };

/** dtc 1.8.0 made phandle_references a prerequisite (1.6.1 put it in the data slot). */
export const interruptsProperty: Check = {
  id: 'interrupts_property',
  level: 'warning',
  requires: ['phandle_references'],
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
      if (!isValidPhandle(phandle)) {
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

/** dtc 1.6.1's forms of the rows above. */
export const interruptRows161: Check[] = [
  { ...interruptsProperty, requires: undefined }, interruptProvider161, interruptMap161,
];
