// #address-cells / #size-cells, reg and ranges layout, unit-address form and uniqueness.
import type { Node } from '../../tree/model.js';
import type { CheckFacts } from '../facts.js';
import type { DtcVersion } from '../table.js';
import type { Check, CheckContext } from '../types.js';
import { printfEquals, firstCell, hasAnyChild } from '../values.js';

/** The run's facts (runChecks always provides them). */
export function factsOf(ctx: CheckContext): CheckFacts {
  if (!ctx.facts) throw new Error('check row run outside runChecks: no facts');
  return ctx.facts;
}

export const addrSizeCells: Check = {
  id: 'addr_size_cells',
  level: 'warning',
  requires: ['address_cells_is_cell', 'size_cells_is_cell'],
  description: 'records #address-cells / #size-cells for later rows',
  node(ctx, node) {
    const a = node.getProperty('#address-cells');
    const s = node.getProperty('#size-cells');
    factsOf(ctx).setCells(node, a ? firstCell(a) : -1, s ? firstCell(s) : -1);
  },
};

export const regFormat: Check = {
  id: 'reg_format',
  level: 'warning',
  requires: ['addr_size_cells'],
  description: 'reg is a whole number of (address, size) entries',
  node(ctx, node) {
    const p = node.getProperty('reg');
    if (!p) return;
    if (!node.parent) {
      ctx.report(node, 'Root node has a "reg" property');
      return;
    }
    const len = p.value.bytes.length;
    if (len === 0) ctx.report(node, 'property is empty', { property: p });
    const facts = factsOf(ctx);
    const ac = facts.addrCellsOf(node.parent);
    const sc = facts.sizeCellsOf(node.parent);
    if (!isMultipleOf(len, (ac + sc) * 4)) {
      ctx.report(node, `property has invalid length (${len} bytes) (#address-cells == ${ac}, #size-cells == ${sc})`, { property: p });
    }
  },
};

function isMultipleOf(n: number, d: number): boolean {
  return d === 0 ? n === 0 : n % d === 0;
}

function rangesRow(id: string, propName: string): Check {
  return {
    id,
    level: 'warning',
    requires: ['addr_size_cells'],
    description: `${propName} is empty or a whole number of (child, parent, size) entries`,
    node(ctx, node) {
      const p = node.getProperty(propName);
      if (!p) return;
      if (!node.parent) {
        ctx.report(node, `Root node has a "${propName}" property`, { property: p });
        return;
      }
      const facts = factsOf(ctx);
      const pac = facts.addrCellsOf(node.parent);
      const psc = facts.sizeCellsOf(node.parent);
      const cac = facts.addrCellsOf(node);
      const csc = facts.sizeCellsOf(node);
      const len = p.value.bytes.length;
      const parentPath = node.parent.path;
      if (len === 0) {
        if (pac !== cac) {
          ctx.report(node, `empty "${propName}" property but its #address-cells (${cac}) differs from ${parentPath} (${pac})`, { property: p });
        }
        if (psc !== csc) {
          ctx.report(node, `empty "${propName}" property but its #size-cells (${csc}) differs from ${parentPath} (${psc})`, { property: p });
        }
      } else if (!isMultipleOf(len, (pac + cac + csc) * 4)) {
        ctx.report(
          node,
          `"${propName}" property has invalid length (${len} bytes) (parent #address-cells == ${pac}, child #address-cells == ${cac}, #size-cells == ${csc})`,
          { property: p },
        );
      }
    },
  };
}

export const rangesFormat = rangesRow('ranges_format', 'ranges');
export const dmaRangesFormat = rangesRow('dma_ranges_format', 'dma-ranges');

export const unitAddressFormat: Check = {
  id: 'unit_address_format',
  level: 'warning',
  requires: ['node_name_format', 'pci_bridge', 'simple_bus_bridge'],
  description: 'unit addresses have no leading "0x" or 0s (outside known buses)',
  node(ctx, node) {
    if (factsOf(ctx).bus(node.parent)) return;
    let unit = node.unitAddress;
    if (!unit) return;
    if (unit.startsWith('0x')) {
      ctx.report(node, 'unit name should not have leading "0x"');
      unit = unit.slice(2);
    }
    if (unit[0] === '0' && unit.length > 1 && /[0-9a-fA-F]/.test(unit[1])) ctx.report(node, 'unit name should not have leading 0s');
  },
};

export const avoidDefaultAddrSize: Check = {
  id: 'avoid_default_addr_size',
  level: 'warning',
  requires: ['addr_size_cells'],
  description: 'a parent of reg/ranges sets #address-cells and #size-cells',
  node(ctx, node) {
    if (!node.parent) return;
    if (!node.getProperty('reg') && !node.getProperty('ranges')) return;
    const facts = factsOf(ctx);
    if (facts.addrCellsRaw(node.parent) === -1) ctx.report(node, 'Relying on default #address-cells value');
    if (facts.sizeCellsRaw(node.parent) === -1) ctx.report(node, 'Relying on default #size-cells value');
  },
};

/** dtc 1.8.0 also accepts "dma-ranges" on the node and "ranges" on a child (dtc 1.6.1
 *  only "ranges" and a child's "reg"), and names them in the message. */
function avoidUnnecessaryAddrSizeRow(v: DtcVersion): Check {
  const legacy = v === '1.6.1';
  return {
    id: 'avoid_unnecessary_addr_size',
    level: 'warning',
    requires: ['avoid_default_addr_size'],
    description: '#address-cells/#size-cells only where something uses them',
    node(ctx, node) {
      const facts = factsOf(ctx);
      if (!node.parent || facts.addrCellsRaw(node) < 0 || facts.sizeCellsRaw(node) < 0) return;
      if (node.getProperty('ranges') || (!legacy && node.getProperty('dma-ranges')) || !hasAnyChild(node)) return;
      if (node.nodes.some((c) => c.getProperty('reg') || (!legacy && c.getProperty('ranges')))) return;
      ctx.report(node, legacy
        ? 'unnecessary #address-cells/#size-cells without "ranges" or child "reg" property'
        : 'unnecessary #address-cells/#size-cells without "ranges", "dma-ranges" or child "reg" or "ranges" property');
    },
  };
}

function isDisabled(node: Node): boolean {
  const p = node.getProperty('status');
  return !!p && printfEquals(p.value, 'disabled');
}

function uniqueUnitAddressRow(id: string, level: Check['level'], skipDisabled: boolean): Check {
  return {
    id,
    level,
    requires: ['avoid_default_addr_size'],
    description: skipDisabled ? 'no two enabled children share a unit address' : 'no two children share a unit address',
    node(ctx, node) {
      const facts = factsOf(ctx);
      if (facts.addrCellsRaw(node) < 0 || facts.sizeCellsRaw(node) < 0) return;
      // dtc reports the earlier child once for each later one with the same address
      const earlier = new Map<string, Node[]>();
      for (const child of node.nodes) {
        const addr = child.unitAddress;
        if (!addr || (skipDisabled && isDisabled(child))) continue;
        const before = earlier.get(addr);
        if (before) {
          for (const b of before) ctx.report(b, `duplicate unit-address (also used in node ${child.path})`);
          before.push(child);
        } else earlier.set(addr, [child]);
      }
    },
  };
}

export const uniqueUnitAddress = uniqueUnitAddressRow('unique_unit_address', 'warning', false);
export const uniqueUnitAddressIfEnabled = uniqueUnitAddressRow('unique_unit_address_if_enabled', 'off', true);

export const addressRows: Check[] = [
  addrSizeCells, regFormat, rangesFormat, dmaRangesFormat, unitAddressFormat,
  avoidDefaultAddrSize, avoidUnnecessaryAddrSizeRow('1.8.1'), uniqueUnitAddress, uniqueUnitAddressIfEnabled,
];

/** dtc 1.6.1's forms of the rows above. */
export const addressRows161: Check[] = [avoidUnnecessaryAddrSizeRow('1.6.1')];
