// What a report says about a rule (SARIF's `tool.driver.rules`, a help line): the catalog
// itself is assembled where the check tables are known (the CLI); this file only defines its
// shape and the one help location that exists for a family of rules.

export interface RuleInfo {
  id: string;
  /** one line, e.g. the check row's description */
  description: string;
  /** default level; 'off' rules run only when switched on with -W/-E */
  level: 'error' | 'warning' | 'info' | 'off';
  helpUri?: string;
}

/** dtc documents its checks only in `checks.c`; dtkit's default table is dtc 1.8.1's, so a dtc
 *  check's help is its definition there (a tagged, immutable file on dtc's GitHub mirror): the
 *  line of its `WARNING(...)`/`ERROR(...)`/`CHECK(...)` row. */
const DTC_181_LINES: Record<string, number> = {
  always_fail: 205, duplicate_node_names: 288, duplicate_property_names: 304,
  node_name_chars: 322, node_name_chars_strict: 333, node_name_format: 341,
  node_name_not_empty: 349, node_name_vs_property_name: 362, unit_address_vs_reg: 390,
  property_name_chars: 405, property_name_chars_strict: 437, duplicate_label: 492,
  explicit_phandles: 575, name_is_string: 604, name_properties: 605, phandle_references: 643,
  path_references: 675, omit_unused_nodes: 685, address_cells_is_cell: 690,
  size_cells_is_cell: 691, device_type_is_string: 693, model_is_string: 694,
  status_is_string: 695, label_is_string: 696, compatible_is_string_list: 698,
  names_is_string_list: 713, alias_paths: 741, addr_size_cells: 759, reg_format: 794,
  ranges_format: 837, dma_ranges_format: 838, pci_bridge: 882, pci_device_bus_num: 913,
  pci_device_reg: 956, simple_bus_bridge: 984, simple_bus_reg: 1024, i2c_bus_bridge: 1054,
  i2c_bus_reg: 1102, spi_bus_bridge: 1147, spi_bus_reg: 1178, unit_address_format: 1199,
  avoid_default_addr_size: 1225, avoid_unnecessary_addr_size: 1253, unique_unit_address: 1311,
  unique_unit_address_if_enabled: 1318, obsolete_chosen_interrupt_controller: 1342,
  chosen_node_is_root: 1354, chosen_node_bootargs: 1371, chosen_node_stdout_path: 1392,
  gpios_property: 1553, deprecated_gpio_property: 1573, interrupt_provider: 1610,
  interrupt_map: 1702, interrupts_property: 1772, graph_nodes: 1808, graph_port: 1856,
  graph_endpoint: 1906,
};

/** `WARNING_PROPERTY_PHANDLE_CELLS(X, ...)`: one line makes `X_property` and `X_is_cell`. */
const DTC_181_PHANDLE_CELLS: Record<string, number> = {
  clocks: 1498, cooling_device: 1499, dmas: 1500, hwlocks: 1501, interrupts_extended: 1502,
  io_channels: 1503, iommus: 1504, mboxes: 1505, msi_parent: 1506, mux_controls: 1507,
  phys: 1508, power_domains: 1509, pwms: 1510, resets: 1511, sound_dai: 1512,
  thermal_sensors: 1513,
};

/** Rows only the dtc 1.6.1 table (the `dtc-1.6` preset) has: their definition in that release. */
const DTC_EARLIER: Record<string, { tag: string; line: number }> = {
  graph_child_address: { tag: 'v1.6.1', line: 1716 },
};

const DTC_CHECKS = 'https://github.com/dgibson/dtc/blob';

/** Where a dtc check is defined, or undefined for an id that is not one of dtc's checks. */
export function dtcCheckHelpUri(id: string): string | undefined {
  const earlier = Object.hasOwn(DTC_EARLIER, id) ? DTC_EARLIER[id] : undefined;
  if (earlier) return `${DTC_CHECKS}/${earlier.tag}/checks.c#L${earlier.line}`;
  const pair = id.match(/^(\w+)_(?:property|is_cell)$/)?.[1];
  const line = Object.hasOwn(DTC_181_LINES, id) ? DTC_181_LINES[id]
    : pair !== undefined && Object.hasOwn(DTC_181_PHANDLE_CELLS, pair) ? DTC_181_PHANDLE_CELLS[pair] : undefined;
  return line === undefined ? undefined : `${DTC_CHECKS}/v1.8.1/checks.c#L${line}`;
}
