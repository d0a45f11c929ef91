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

/** dtc documents its checks only in `checks.c`; dtkit follows dtc 1.6.1, so a dtc check's help
 *  is its definition there (a tagged, immutable file on dtc's GitHub mirror): the line of its
 *  `WARNING(...)`/`ERROR(...)`/`CHECK(...)` row. */
const DTC_161_LINES: Record<string, number> = {
  always_fail: 204, duplicate_node_names: 287, duplicate_property_names: 303,
  node_name_chars: 321, node_name_chars_strict: 332, node_name_format: 340,
  node_name_vs_property_name: 353, unit_address_vs_reg: 381, property_name_chars: 396,
  property_name_chars_strict: 428, duplicate_label: 483, explicit_phandles: 566,
  name_is_string: 595, name_properties: 596, phandle_references: 634, path_references: 666,
  omit_unused_nodes: 676, address_cells_is_cell: 681, size_cells_is_cell: 682,
  device_type_is_string: 684, model_is_string: 685, status_is_string: 686, label_is_string: 687,
  compatible_is_string_list: 689, names_is_string_list: 704, alias_paths: 729,
  addr_size_cells: 747, reg_format: 782, ranges_format: 825, dma_ranges_format: 826,
  pci_bridge: 870, pci_device_bus_num: 901, pci_device_reg: 944, simple_bus_bridge: 972,
  simple_bus_reg: 1012, i2c_bus_bridge: 1042, i2c_bus_reg: 1089, spi_bus_bridge: 1134,
  spi_bus_reg: 1165, unit_address_format: 1186, avoid_default_addr_size: 1212,
  avoid_unnecessary_addr_size: 1237, unique_unit_address: 1295,
  unique_unit_address_if_enabled: 1302, obsolete_chosen_interrupt_controller: 1326,
  chosen_node_is_root: 1338, chosen_node_bootargs: 1355, chosen_node_stdout_path: 1376,
  gpios_property: 1534, deprecated_gpio_property: 1554,
  interrupt_provider: 1590, interrupts_property: 1660, graph_nodes: 1691,
  graph_child_address: 1716, graph_port: 1760, graph_endpoint: 1806,
};

/** `WARNING_PROPERTY_PHANDLE_CELLS(X, ...)`: one line makes `X_property` and `X_is_cell`. */
const DTC_161_PHANDLE_CELLS: Record<string, number> = {
  clocks: 1479, cooling_device: 1480, dmas: 1481, hwlocks: 1482, interrupts_extended: 1483,
  io_channels: 1484, iommus: 1485, mboxes: 1486, msi_parent: 1487, mux_controls: 1488,
  phys: 1489, power_domains: 1490, pwms: 1491, resets: 1492, sound_dai: 1493,
  thermal_sensors: 1494,
};

/** Rows dtkit takes from a later dtc (off by default here): their definition in that release. */
const DTC_LATER: Record<string, { tag: string; line: number }> = {
  interrupt_map: { tag: 'v1.7.0', line: 1678 },
};

const DTC_CHECKS = 'https://github.com/dgibson/dtc/blob';

/** Where a dtc check is defined, or undefined for an id that is not one of dtc's checks. */
export function dtcCheckHelpUri(id: string): string | undefined {
  const later = Object.hasOwn(DTC_LATER, id) ? DTC_LATER[id] : undefined;
  if (later) return `${DTC_CHECKS}/${later.tag}/checks.c#L${later.line}`;
  const pair = id.match(/^(\w+)_(?:property|is_cell)$/)?.[1];
  const line = Object.hasOwn(DTC_161_LINES, id) ? DTC_161_LINES[id]
    : pair !== undefined && Object.hasOwn(DTC_161_PHANDLE_CELLS, pair) ? DTC_161_PHANDLE_CELLS[pair] : undefined;
  return line === undefined ? undefined : `${DTC_CHECKS}/v1.6.1/checks.c#L${line}`;
}
