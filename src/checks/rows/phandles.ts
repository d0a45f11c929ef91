// Properties that hold (phandle, args...) lists: each provider's #*-cells says how many
// argument cells follow its phandle. One table row per property and one per cells name,
// as dtc declares them.
import type { Node, Property } from '../../tree/model.js';
import type { Check, CheckContext } from '../types.js';
import { isValidPhandle } from '../../tree/phandles.js';
import { cellAt, firstCell } from '../values.js';
import { factsOf } from './addresses.js';
import { cellRow } from './kinds.js';

interface Provider {
  cellsName: string;
  /** a provider without the cells property takes 0 argument cells */
  optional?: boolean;
}

/** dtc's check_property_phandle_args. */
export function checkPhandleArgs(ctx: CheckContext, node: Node, prop: Property, provider: Provider): void {
  const len = prop.value.bytes.length;
  if (len % 4 !== 0) {
    ctx.report(node, `property size (${len}) is invalid, expected multiple of 4`, { property: prop });
    return;
  }
  // values from DTS carry markers; then every phandle cell must come from a reference
  const refOffsets = prop.value.markers.length
    ? new Set(prop.value.markers.filter((m) => m.kind === 'phandle-ref').map((m) => m.offset))
    : undefined;
  const facts = factsOf(ctx);
  const cells = len / 4;
  let cellsize = 0;
  for (let cell = 0; cell < cells; cell += cellsize + 1) {
    const phandle = cellAt(prop.value, cell);
    if (!isValidPhandle(phandle)) {
      // 0 / -1 skip optional entries; an overlay's external references are unknowable
      if (ctx.tree.plugin) break;
      cellsize = 0;
      continue;
    }
    if (refOffsets && !refOffsets.has(cell * 4)) {
      ctx.report(node, `cell ${cell} is not a phandle reference`, { property: prop });
    }
    const target = facts.nodeByPhandle(phandle);
    if (!target) {
      ctx.report(node, `Could not get phandle node for (cell ${cell})`, { property: prop });
      break;
    }
    const cellsProp = target.getProperty(provider.cellsName);
    if (cellsProp) cellsize = firstCell(cellsProp);
    else if (provider.optional) cellsize = 0;
    else {
      ctx.report(
        node,
        `Missing property '${provider.cellsName}' in node ${target.path} or bad phandle (referred from ${prop.name}[${cell}])`,
      );
      break;
    }
    if (len < (cell + cellsize + 1) * 4) {
      ctx.report(node, `property size (${len}) too small for cell size ${cellsize}`, { property: prop });
      break;
    }
  }
}

function providerRows(name: string, propName: string, cellsName: string, optional = false): [Check, Check] {
  const isCell = cellRow(`${name}_is_cell`, cellsName);
  const property: Check = {
    id: `${name}_property`,
    level: 'warning',
    requires: [isCell.id, 'phandle_references'],
    property: propName,
    description: `"${propName}" entries match their provider's ${cellsName}`,
    node(ctx, node) {
      const p = node.getProperty(propName);
      if (p) checkPhandleArgs(ctx, node, p, { cellsName, optional });
    },
  };
  return [property, isCell];
}

function isGpioProperty(name: string): boolean {
  if (name.endsWith(',nr-gpios')) return false;
  return name.endsWith('-gpios') || name === 'gpios' || name.endsWith('-gpio') || name === 'gpio';
}

export const gpiosProperty: Check = {
  id: 'gpios_property',
  level: 'warning',
  requires: ['phandle_references'],
  description: '"*-gpios" entries match their controller\'s #gpio-cells',
  node(ctx, node) {
    if (node.getProperty('gpio-hog')) return;
    for (const p of node.properties) {
      if (!p.deleted && isGpioProperty(p.name)) checkPhandleArgs(ctx, node, p, { cellsName: '#gpio-cells' });
    }
  },
};

export const deprecatedGpioProperty: Check = {
  id: 'deprecated_gpio_property',
  level: 'off',
  description: '"[*-]gpio" is the deprecated spelling of "[*-]gpios"',
  node(ctx, node) {
    for (const p of node.properties) {
      if (!p.deleted && isGpioProperty(p.name) && p.name.endsWith('gpio')) {
        ctx.report(node, "'[*-]gpio' is deprecated, use '[*-]gpios' instead", { property: p });
      }
    }
  },
};

export const providerPropertyRows: Check[] = [
  ...providerRows('clocks', 'clocks', '#clock-cells'),
  ...providerRows('cooling_device', 'cooling-device', '#cooling-cells'),
  ...providerRows('dmas', 'dmas', '#dma-cells'),
  ...providerRows('hwlocks', 'hwlocks', '#hwlock-cells'),
  ...providerRows('interrupts_extended', 'interrupts-extended', '#interrupt-cells'),
  ...providerRows('io_channels', 'io-channels', '#io-channel-cells'),
  ...providerRows('iommus', 'iommus', '#iommu-cells'),
  ...providerRows('mboxes', 'mboxes', '#mbox-cells'),
  ...providerRows('msi_parent', 'msi-parent', '#msi-cells', true),
  ...providerRows('mux_controls', 'mux-controls', '#mux-control-cells'),
  ...providerRows('phys', 'phys', '#phy-cells'),
  ...providerRows('power_domains', 'power-domains', '#power-domain-cells'),
  ...providerRows('pwms', 'pwms', '#pwm-cells'),
  ...providerRows('resets', 'resets', '#reset-cells'),
  ...providerRows('sound_dai', 'sound-dai', '#sound-dai-cells'),
  ...providerRows('thermal_sensors', 'thermal-sensors', '#thermal-sensor-cells'),
];

export const phandleRows: Check[] = [...providerPropertyRows, deprecatedGpioProperty, gpiosProperty];
