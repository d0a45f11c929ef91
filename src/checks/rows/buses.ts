// Bus bridges (PCI, simple-bus, I2C, SPI) and the unit-address form of their children.
// The *_bridge rows tag nodes with their bus kind; the *_reg rows read the tag.
import type { Node } from '../../tree/model.js';
import type { DtcVersion } from '../table.js';
import type { Check } from '../types.js';
import { baseNameIs, printfEquals, cellAt, hasAnyChild, hexDigits, isCompatible } from '../values.js';
import { factsOf } from './addresses.js';

export const pciBridge: Check = {
  id: 'pci_bridge',
  level: 'warning',
  requires: ['device_type_is_string', 'addr_size_cells'],
  description: 'device_type = "pci" nodes are well-formed PCI bridges',
  node(ctx, node) {
    const dt = node.getProperty('device_type');
    if (!dt || !printfEquals(dt.value, 'pci')) return;
    const facts = factsOf(ctx);
    facts.setBus(node, 'pci');
    if (!baseNameIs(node, 'pci') && !baseNameIs(node, 'pcie')) ctx.report(node, 'node name is not "pci" or "pcie"');
    if (!node.getProperty('ranges')) ctx.report(node, 'missing ranges for PCI bridge (or not a bridge)');
    if (facts.addrCellsOf(node) !== 3) ctx.report(node, 'incorrect #address-cells for PCI bridge');
    if (facts.sizeCellsOf(node) !== 2) ctx.report(node, 'incorrect #size-cells for PCI bridge');
    const br = node.getProperty('bus-range');
    if (!br) return;
    if (br.value.bytes.length !== 8) {
      ctx.report(node, 'value must be 2 cells', { property: br });
      return;
    }
    const [min, max] = [cellAt(br.value, 0), cellAt(br.value, 1)];
    if (min > max) ctx.report(node, '1st cell must be less than or equal to 2nd cell', { property: br });
    if (max > 0xff) ctx.report(node, 'maximum bus number must be less than 256', { property: br });
  },
};

/** dtc 1.6.1 takes the bus-range maximum from its first cell too (fixed in dtc 1.7.0). */
function pciDeviceBusNumRow(v: DtcVersion): Check {
  return {
    id: 'pci_device_bus_num',
    level: 'warning',
    requires: ['reg_format', 'pci_bridge'],
    description: "a PCI device's bus number is within its bridge's bus-range",
    node(ctx, node) {
      if (!node.parent || factsOf(ctx).bus(node.parent) !== 'pci') return;
      const reg = node.getProperty('reg');
      if (!reg) return;
      const bus = (cellAt(reg.value, 0) & 0x00ff0000) >>> 16;
      const range = node.parent.getProperty('bus-range');
      const min = range ? cellAt(range.value, 0) : 0;
      const max = range ? cellAt(range.value, v === '1.6.1' ? 0 : 1) : 0;
      if (bus < min || bus > max) {
        // dtc names the bridge's bus-range property here (none when the bridge has none)
        ctx.report(node, `PCI bus number ${bus} out of range, expected (${min} - ${max})`, range ? { property: range } : {});
      }
    },
  };
}

export const pciDeviceReg: Check = {
  id: 'pci_device_reg',
  level: 'warning',
  requires: ['reg_format', 'pci_bridge'],
  description: 'PCI device reg is config space and matches the unit address',
  node(ctx, node) {
    if (!node.parent || factsOf(ctx).bus(node.parent) !== 'pci') return;
    const reg = node.getProperty('reg');
    if (!reg) return;
    if (cellAt(reg.value, 1) || cellAt(reg.value, 2)) {
      ctx.report(node, 'PCI reg config space address cells 2 and 3 must be 0', { property: reg });
    }
    const r = cellAt(reg.value, 0);
    const dev = (r & 0xf800) >>> 11;
    const func = (r & 0x700) >>> 8;
    if (r & 0xff000000) ctx.report(node, 'PCI reg address is not configuration space', { property: reg });
    if (r & 0xff) ctx.report(node, 'PCI reg config space address register number must be 0', { property: reg });
    const unit = node.unitAddress;
    if (func === 0 && unit === hexDigits(dev)) return;
    const expected = `${hexDigits(dev)},${hexDigits(func)}`;
    if (unit === expected) return;
    ctx.report(node, `PCI unit address format error, expected "${expected}"`);
  },
};

export const simpleBusBridge: Check = {
  id: 'simple_bus_bridge',
  level: 'warning',
  requires: ['addr_size_cells', 'compatible_is_string_list'],
  description: 'tags simple-bus nodes',
  node(ctx, node) {
    if (isCompatible(node, 'simple-bus')) factsOf(ctx).setBus(node, 'simple-bus');
  },
};

/** The first `n` cells from cell `from` as one address in hex (the low 64 bits, as dtc's uint64). */
function addressHex(cells: Node['properties'][number]['value'], from: number, n: number): string {
  let v = 0n;
  for (let i = 0; i < n; i++) v = ((v << 32n) | BigInt(cellAt(cells, from + i))) & 0xffffffffffffffffn;
  return v.toString(16);
}

export const simpleBusReg: Check = {
  id: 'simple_bus_reg',
  level: 'warning',
  requires: ['reg_format', 'simple_bus_bridge'],
  description: "simple-bus children's unit address matches reg (or ranges)",
  node(ctx, node) {
    const facts = factsOf(ctx);
    if (!node.parent || facts.bus(node.parent) !== 'simple-bus') return;
    let value: Node['properties'][number]['value'] | undefined;
    let from = 0;
    const reg = node.getProperty('reg');
    if (reg) value = reg.value;
    else {
      const ranges = node.getProperty('ranges');
      if (ranges && ranges.value.bytes.length) {
        value = ranges.value;
        from = facts.addrCellsOf(node); // skip the child address
      }
    }
    if (!value) {
      if (node.parent.parent && facts.bus(node) !== 'simple-bus') ctx.report(node, 'missing or empty reg/ranges property');
      return;
    }
    const expected = addressHex(value, from, facts.addrCellsOf(node.parent));
    if (node.unitAddress !== expected) ctx.report(node, `simple-bus unit address format error, expected "${expected}"`);
  },
};

/** An "i2c" node with an "i2c-bus" child is not itself the bus (dtc 1.8.0; dtc 1.6.1's
 *  test compares the child's name with the parent's base-name length, so never matches). */
function i2cBusBridgeRow(v: DtcVersion): Check {
  return {
    id: 'i2c_bus_bridge',
    level: 'warning',
    requires: ['addr_size_cells'],
    description: 'I2C bus nodes have #address-cells = 1, #size-cells = 0',
    node(ctx, node) {
      if (!baseNameIs(node, 'i2c-bus') && !baseNameIs(node, 'i2c-arb')) {
        if (!baseNameIs(node, 'i2c')) return;
        if (v !== '1.6.1' && node.nodes.some((c) => baseNameIs(c, 'i2c-bus'))) return;
      }
      const facts = factsOf(ctx);
      facts.setBus(node, 'i2c');
      if (!hasAnyChild(node)) return;
      if (facts.addrCellsOf(node) !== 1) ctx.report(node, 'incorrect #address-cells for I2C bus');
      if (facts.sizeCellsOf(node) !== 0) ctx.report(node, 'incorrect #size-cells for I2C bus');
    },
  };
}

const I2C_OWN_SLAVE_ADDRESS = 1 << 30;
const I2C_TEN_BIT_ADDRESS = 0x80000000;

/** dtc 1.6.1 also holds a 10-bit address within range to the 7-bit limit (fixed in 1.7.1). */
function i2cBusRegRow(v: DtcVersion): Check {
  return {
    id: 'i2c_bus_reg',
    level: 'warning',
    requires: ['reg_format', 'i2c_bus_bridge'],
    description: "I2C children's reg is a 7- or 10-bit address matching the unit address",
    node(ctx, node) {
      if (!node.parent || factsOf(ctx).bus(node.parent) !== 'i2c') return;
      const reg = node.getProperty('reg');
      if (!reg) {
        ctx.report(node, 'missing or empty reg property');
        return;
      }
      const first = (cellAt(reg.value, 0) & ~I2C_OWN_SLAVE_ADDRESS) >>> 0;
      const expected = hexDigits(first);
      if (node.unitAddress !== expected) ctx.report(node, `I2C bus unit address format error, expected "${expected}"`);
      const n = Math.ceil(reg.value.bytes.length / 4);
      for (let i = 0; i < n; i++) {
        const r = (cellAt(reg.value, i) & ~I2C_OWN_SLAVE_ADDRESS) >>> 0;
        const tenBit = (r & I2C_TEN_BIT_ADDRESS) !== 0;
        if (tenBit && (r & ~I2C_TEN_BIT_ADDRESS) >>> 0 > 0x3ff) {
          ctx.report(node, `I2C address must be less than 10-bits, got "0x${hexDigits(r)}"`, { property: reg });
        } else if ((!tenBit || v === '1.6.1') && r > 0x7f) {
          ctx.report(
            node,
            `I2C address must be less than 7-bits, got "0x${hexDigits(r)}". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property`,
            { property: reg },
          );
        }
      }
    },
  };
}

export const spiBusBridge: Check = {
  id: 'spi_bus_bridge',
  level: 'warning',
  requires: ['addr_size_cells'],
  description: 'SPI bus nodes are named "spi" and have #address-cells = 1, #size-cells = 0',
  node(ctx, node) {
    const facts = factsOf(ctx);
    let isSpi = baseNameIs(node, 'spi');
    if (!isSpi) {
      // a bus not named spi is recognised by a child with "spi-*" properties
      if (facts.addrCellsOf(node) !== 1 || facts.sizeCellsOf(node) !== 0) return;
      isSpi = node.nodes.some((c) => c.props.some((p) => p.name.startsWith('spi-')));
      if (isSpi && node.getProperty('reg')) ctx.report(node, "node name for SPI buses should be 'spi'");
    }
    if (!isSpi) return;
    facts.setBus(node, 'spi');
    if (!hasAnyChild(node)) return;
    const addrCells = node.getProperty('spi-slave') ? 0 : 1;
    if (facts.addrCellsOf(node) !== addrCells) ctx.report(node, 'incorrect #address-cells for SPI bus');
    if (facts.sizeCellsOf(node) !== 0) ctx.report(node, 'incorrect #size-cells for SPI bus');
  },
};

export const spiBusReg: Check = {
  id: 'spi_bus_reg',
  level: 'warning',
  requires: ['reg_format', 'spi_bus_bridge'],
  description: "SPI children's unit address matches reg",
  node(ctx, node) {
    if (!node.parent || factsOf(ctx).bus(node.parent) !== 'spi') return;
    if (node.parent.getProperty('spi-slave')) return;
    const reg = node.getProperty('reg');
    if (!reg) {
      ctx.report(node, 'missing or empty reg property');
      return;
    }
    const expected = hexDigits(cellAt(reg.value, 0));
    if (node.unitAddress !== expected) ctx.report(node, `SPI bus unit address format error, expected "${expected}"`);
  },
};

export const busRows: Check[] = [
  pciBridge, pciDeviceReg, pciDeviceBusNumRow('1.8.1'), simpleBusBridge, simpleBusReg,
  i2cBusBridgeRow('1.8.1'), i2cBusRegRow('1.8.1'), spiBusBridge, spiBusReg,
];

/** dtc 1.6.1's forms of the rows above. */
export const busRows161: Check[] = [pciDeviceBusNumRow('1.6.1'), i2cBusBridgeRow('1.6.1'), i2cBusRegRow('1.6.1')];

