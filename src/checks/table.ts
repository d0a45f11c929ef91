// The check table: dtc's rows in dtc's order (which is also the run order, after
// prerequisites), with dtc's default levels. dtkit's default is dtc 1.8.1's table, what
// the kernel's bundled dtc runs; Debian's dtc 1.6.1 (the installed oracle in tests) is kept
// as a second table, so the live-dtc parity tests still compare like with like. dtkit's
// vendor rows are added in all.ts, so `dtkit compile` runs (and loads) exactly dtc's table
// and gives dtc's verdicts. The ids are dtc's check names, so `-W/-E` habits and greps
// carry over.
import type { Check } from './types.js';
import { addressRows, addressRows161 } from './rows/addresses.js';
import { busRows, busRows161 } from './rows/buses.js';
import { chosenRows, chosenRows161 } from './rows/chosen.js';
import { referenceRows } from './rows/references.js';
import { graphRows, graphRows161 } from './rows/graph.js';
import { interruptRows, interruptRows161 } from './rows/interrupts.js';
import { phandleRows } from './rows/phandles.js';
import { structureRows } from './rows/structure.js';
import { typeRows } from './rows/types.js';

/** dtc releases whose check tables dtkit carries. */
export type DtcVersion = '1.8.1' | '1.6.1';

export const DEFAULT_DTC_VERSION: DtcVersion = '1.8.1';

/** dtc 1.8.1's check_table order. */
const DTC_1_8_1_ORDER = [
  'duplicate_node_names', 'duplicate_property_names',
  'node_name_chars', 'node_name_format', 'node_name_not_empty', 'property_name_chars',
  'name_is_string', 'name_properties', 'node_name_vs_property_name',
  'duplicate_label',
  'explicit_phandles', 'phandle_references', 'path_references', 'omit_unused_nodes',
  'address_cells_is_cell', 'size_cells_is_cell',
  'device_type_is_string', 'model_is_string', 'status_is_string', 'label_is_string',
  'compatible_is_string_list', 'names_is_string_list',
  'property_name_chars_strict', 'node_name_chars_strict',
  'addr_size_cells', 'reg_format', 'ranges_format', 'dma_ranges_format',
  'unit_address_vs_reg', 'unit_address_format',
  'pci_bridge', 'pci_device_reg', 'pci_device_bus_num',
  'simple_bus_bridge', 'simple_bus_reg',
  'i2c_bus_bridge', 'i2c_bus_reg',
  'spi_bus_bridge', 'spi_bus_reg',
  'avoid_default_addr_size', 'avoid_unnecessary_addr_size',
  'unique_unit_address', 'unique_unit_address_if_enabled',
  'obsolete_chosen_interrupt_controller',
  'chosen_node_is_root', 'chosen_node_bootargs', 'chosen_node_stdout_path',
  'clocks_property', 'clocks_is_cell',
  'cooling_device_property', 'cooling_device_is_cell',
  'dmas_property', 'dmas_is_cell',
  'hwlocks_property', 'hwlocks_is_cell',
  'interrupts_extended_property', 'interrupts_extended_is_cell',
  'io_channels_property', 'io_channels_is_cell',
  'iommus_property', 'iommus_is_cell',
  'mboxes_property', 'mboxes_is_cell',
  'msi_parent_property', 'msi_parent_is_cell',
  'mux_controls_property', 'mux_controls_is_cell',
  'phys_property', 'phys_is_cell',
  'power_domains_property', 'power_domains_is_cell',
  'pwms_property', 'pwms_is_cell',
  'resets_property', 'resets_is_cell',
  'sound_dai_property', 'sound_dai_is_cell',
  'thermal_sensors_property', 'thermal_sensors_is_cell',
  'deprecated_gpio_property', 'gpios_property',
  'interrupts_property', 'interrupt_provider', 'interrupt_map',
  'alias_paths',
  'graph_nodes', 'graph_port', 'graph_endpoint',
  'always_fail',
];

/** dtc 1.6.1's order: no node_name_not_empty (dtc 1.8.0), graph_child_address (removed
 *  in 1.8.0) after graph_nodes; interrupt_map (dtc 1.7.0) is kept here, off by default,
 *  so `-Winterrupt_map` works with either table. */
const DTC_1_6_1_ORDER = DTC_1_8_1_ORDER.filter((id) => id !== 'node_name_not_empty')
  .flatMap((id) => (id === 'graph_nodes' ? [id, 'graph_child_address'] : [id]));

const ROWS_1_8_1: Check[] = [
  ...structureRows, ...referenceRows, ...typeRows, ...addressRows, ...busRows,
  ...chosenRows, ...phandleRows, ...interruptRows, ...graphRows,
];

/** Rows whose dtc 1.6.1 form differs from 1.8.1's (same ids), and 1.6.1's own rows. */
const ROWS_1_6_1_FORMS: Check[] = [...addressRows161, ...busRows161, ...chosenRows161, ...interruptRows161, ...graphRows161];

function table(order: string[], rows: Check[]): Check[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return order.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`check table: no row for ${id}`);
    return row;
  });
}

const TABLES: Record<DtcVersion, Check[]> = {
  '1.8.1': table(DTC_1_8_1_ORDER, ROWS_1_8_1),
  '1.6.1': table(DTC_1_6_1_ORDER, [...ROWS_1_8_1, ...ROWS_1_6_1_FORMS]),
};

/** dtc's structural checks, in dtc's table order (default: dtc 1.8.1's table). */
export function dtcChecks(version: DtcVersion = DEFAULT_DTC_VERSION): Check[] {
  return [...TABLES[version]];
}
