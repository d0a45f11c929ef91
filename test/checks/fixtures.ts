// One fixture per check behaviour: DTS text, switches, and the exact findings (as dtc
// prints them, minus the source position), in dtc's order: `expect` for dtkit's default
// table (dtc 1.8.1's), `expect161` for the dtc 1.6.1 table where that one differs. The
// 1.6.1 findings are also asked of the installed dtc 1.6.1, which keeps them honest;
// `dtc: false` marks fixtures that dtc 1.6.1 cannot answer (it crashes, or does not know
// a switch the 1.6.1 table accepts).
export interface CheckFixture {
  name: string;
  dts: string;
  switches?: string[];
  /** dtc 1.8.1 */
  expect: string[];
  /** dtc 1.6.1, when different */
  expect161?: string[];
  dtc?: false;
}

const H = '/dts-v1/;\n';
/** "Failed prerequisite" lines, as [row, prerequisite] pairs */
const failedPrerequisites = (pairs: [string, string][]): string[] =>
  pairs.map(([row, pre]) => `warning (${row}): : Failed prerequisite '${pre}'`);
/** a root with 1/1 cells around `body` */
const root = (body: string): string => `${H}/ { #address-cells = <1>; #size-cells = <1>;\n${body}\n};\n`;

/** dtc 1.6.1's findings on the 'string and cell types' fixture (dtc 1.8.1 adds one). */
const BAD_TYPES_1_6_1 = [
  'warning (address_cells_is_cell): /n:#address-cells: property is not a single cell',
  'warning (size_cells_is_cell): /n:#size-cells: property is not a single cell',
  'warning (device_type_is_string): /n:device_type: property is not a string',
  'warning (model_is_string): /n:model: property is not a string',
  'warning (status_is_string): /n:status: property is not a string',
  'warning (label_is_string): /n:label: property is not a string',
  'warning (compatible_is_string_list): /n:compatible: property is not a string list',
  'warning (names_is_string_list): /n:clock-names: property is not a string list',
  // every row that needs #address-cells is skipped, each saying why
  ...failedPrerequisites([
    ['addr_size_cells', 'address_cells_is_cell'], ['addr_size_cells', 'size_cells_is_cell'],
    ['reg_format', 'addr_size_cells'], ['ranges_format', 'addr_size_cells'], ['dma_ranges_format', 'addr_size_cells'],
    ['pci_bridge', 'device_type_is_string'], ['pci_bridge', 'addr_size_cells'], ['unit_address_format', 'pci_bridge'],
    ['simple_bus_bridge', 'addr_size_cells'], ['simple_bus_bridge', 'compatible_is_string_list'],
    ['unit_address_format', 'simple_bus_bridge'],
    ['pci_device_reg', 'reg_format'], ['pci_device_reg', 'pci_bridge'],
    ['pci_device_bus_num', 'reg_format'], ['pci_device_bus_num', 'pci_bridge'],
    ['simple_bus_reg', 'reg_format'], ['simple_bus_reg', 'simple_bus_bridge'],
    ['i2c_bus_bridge', 'addr_size_cells'], ['i2c_bus_reg', 'reg_format'], ['i2c_bus_reg', 'i2c_bus_bridge'],
    ['spi_bus_bridge', 'addr_size_cells'], ['spi_bus_reg', 'reg_format'], ['spi_bus_reg', 'spi_bus_bridge'],
    ['avoid_default_addr_size', 'addr_size_cells'], ['avoid_unnecessary_addr_size', 'avoid_default_addr_size'],
    ['unique_unit_address', 'avoid_default_addr_size'],
  ]),
];

export const fixtures: CheckFixture[] = [
  // --- names ---
  { name: 'duplicate_node_names: pass', dts: root('a { }; b { };'), expect: [] },
  {
    name: 'duplicate_node_names: fail',
    dts: root('a { }; a { };'),
    expect: ['error (duplicate_node_names): /a: Duplicate node name'],
  },
  {
    name: 'duplicate_property_names: fail',
    dts: root('n { p = <1>; p = <2>; };'),
    expect: ['error (duplicate_property_names): /n:p: Duplicate property name'],
  },
  {
    name: 'node_name_format: fail',
    dts: root('n@1@2 { reg = <1 1>; };'),
    expect: ["error (node_name_format): /n@1@2: multiple '@' characters in node name"],
  },
  {
    name: 'node_name_vs_property_name: fail',
    dts: root('x = <1>; x { };'),
    expect: ['warning (node_name_vs_property_name): /x: node name and property name conflict'],
  },
  {
    name: 'node_name_chars_strict: off by default',
    dts: root('my_node { };'),
    expect: [],
  },
  {
    name: 'node_name_chars_strict: -W',
    dts: root('my_node { };'),
    switches: ['-Wnode_name_chars_strict'],
    expect: ["warning (node_name_chars_strict): /my_node: Character '_' not recommended in node name"],
  },
  {
    name: 'property_name_chars_strict: -W, # after vendor prefix allowed',
    dts: root('n { vendor,#foo-cells = <1>; bad_name = <1>; #ok = <1>; device_type = "x"; a#b = <1>; };'),
    switches: ['-Wproperty_name_chars_strict'],
    expect: [
      "warning (property_name_chars_strict): /n:bad_name: Character '_' not recommended in property name",
      "warning (property_name_chars_strict): /n:a#b: Character '#' not recommended in property name",
    ],
  },
  {
    name: 'property_name_chars: pass on odd but allowed characters',
    dts: root('n { a,b.c_d+e*f#g?h-i = <1>; };'),
    expect: [],
  },
  {
    name: 'node_name_not_empty: a node named "@1" (dtc 1.8.0+, an error)',
    dts: root('@1 { reg = <1 1>; };'),
    expect: ['error (node_name_not_empty): /@1: Empty node name'],
    expect161: [],
  },
  // --- labels ---
  {
    name: 'duplicate_label: node and property',
    dts: root('l1: a { }; b { l1: p = <1>; };'),
    expect: ["error (duplicate_label): /b: Duplicate label 'l1' on 'p' in /b and /a"],
  },
  {
    name: 'duplicate_label: value label',
    dts: root('a { p = <1 l2: 2>; }; l2: b { };'),
    expect: ["error (duplicate_label): /a: Duplicate label 'l2' on value of 'p' in /a and /b"],
  },
  // --- phandles (reference rows, checks/rows/references.ts over tree/refs.ts) ---
  {
    name: 'phandle_references: missing label',
    dts: root('a { p = <&nope>; };'),
    expect: ['error (phandle_references): /a: Reference to non-existent node or label "nope"'],
  },
  {
    name: 'explicit_phandles: duplicate',
    dts: root('a { phandle = <1>; }; b { phandle = <1>; };'),
    expect: ['error (explicit_phandles): /b: duplicated phandle 0x1 (seen before at /a)'],
  },
  // --- property types ---
  {
    name: 'string and cell types: fail',
    dts: root(
      'n { #address-cells = <1 2>; #size-cells = "x"; device_type = <1>; model = "a", "b"; status = <0>; label = [00 01]; compatible = [61]; clock-names = [62]; };',
    ),
    expect: [
      ...BAD_TYPES_1_6_1,
      // dtc 1.7+: interrupt_map needs #address-cells too
      ...failedPrerequisites([['interrupt_map', 'addr_size_cells']]),
    ],
    expect161: BAD_TYPES_1_6_1,
  },
  {
    name: 'name_properties: wrong name',
    dts: root('n { name = "m"; };'),
    expect: ['error (name_properties): /n: "name" property is incorrect ("m" instead of base node name)'],
  },
  // --- addresses ---
  {
    name: 'reg_format: bad length, empty, and reg on the root',
    dts: `${H}/ { reg = <1>; #address-cells = <1>; #size-cells = <1>; a@1 { reg = <1>; }; b@2 { reg = []; }; };`,
    expect: [
      'warning (reg_format): /: Root node has a "reg" property',
      'warning (reg_format): /a@1:reg: property has invalid length (4 bytes) (#address-cells == 1, #size-cells == 1)',
      'warning (reg_format): /b@2:reg: property is empty',
      'warning (unit_address_vs_reg): /: node has a reg or ranges property, but no unit name',
      ...failedPrerequisites([
        ['pci_device_reg', 'reg_format'], ['pci_device_bus_num', 'reg_format'], ['simple_bus_reg', 'reg_format'],
        ['i2c_bus_reg', 'reg_format'], ['spi_bus_reg', 'reg_format'],
      ]),
    ],
  },
  {
    name: 'ranges_format: empty ranges with differing cells, and bad length',
    dts: root('a@1 { #address-cells = <2>; #size-cells = <2>; ranges; }; b@2 { #address-cells = <1>; #size-cells = <1>; ranges = <2 2 2 2>; }; c@3 { #address-cells = <1>; #size-cells = <1>; dma-ranges = <1>; reg = <3 1>; };'),
    expect: [
      'warning (ranges_format): /a@1:ranges: empty "ranges" property but its #address-cells (2) differs from / (1)',
      'warning (ranges_format): /a@1:ranges: empty "ranges" property but its #size-cells (2) differs from / (1)',
      'warning (ranges_format): /b@2:ranges: "ranges" property has invalid length (16 bytes) (parent #address-cells == 1, child #address-cells == 1, #size-cells == 1)',
      'warning (dma_ranges_format): /c@3:dma-ranges: "dma-ranges" property has invalid length (4 bytes) (parent #address-cells == 1, child #address-cells == 1, #size-cells == 1)',
      'warning (unit_address_vs_reg): /a@1: node has a unit name, but no reg or ranges property',
    ],
  },
  {
    name: 'unit_address_vs_reg: both directions; empty ranges is no ranges',
    dts: root('a@1 { }; b { reg = <1 1>; }; c@2 { #address-cells = <1>; #size-cells = <1>; ranges = <0 2 1>; }; d@3 { #address-cells = <1>; #size-cells = <1>; ranges; };'),
    expect: [
      'warning (unit_address_vs_reg): /a@1: node has a unit name, but no reg or ranges property',
      'warning (unit_address_vs_reg): /b: node has a reg or ranges property, but no unit name',
      'warning (unit_address_vs_reg): /d@3: node has a unit name, but no reg or ranges property',
    ],
  },
  {
    name: 'unit_address_format: leading 0x and 0s',
    dts: root('a@0x10 { reg = <0x10 1>; }; b@010 { reg = <0x10 1>; }; c@0 { reg = <0 1>; };'),
    expect: [
      'warning (unit_address_format): /a@0x10: unit name should not have leading "0x"',
      'warning (unit_address_format): /b@010: unit name should not have leading 0s',
    ],
  },
  {
    name: 'avoid_default_addr_size: fail',
    dts: `${H}/ { a@1 { reg = <0 1 1>; }; };`,
    expect: [
      'warning (avoid_default_addr_size): /a@1: Relying on default #address-cells value',
      'warning (avoid_default_addr_size): /a@1: Relying on default #size-cells value',
      ...failedPrerequisites([
        ['avoid_unnecessary_addr_size', 'avoid_default_addr_size'], ['unique_unit_address', 'avoid_default_addr_size'],
      ]),
    ],
  },
  {
    name: 'avoid_unnecessary_addr_size: fail and pass',
    dts: root('a { #address-cells = <1>; #size-cells = <0>; x { }; }; b { #address-cells = <1>; #size-cells = <0>; y@1 { reg = <1>; }; };'),
    expect: ['warning (avoid_unnecessary_addr_size): /a: unnecessary #address-cells/#size-cells without "ranges", "dma-ranges" or child "reg" or "ranges" property'],
    expect161: ['warning (avoid_unnecessary_addr_size): /a: unnecessary #address-cells/#size-cells without "ranges" or child "reg" property'],
  },
  {
    name: 'avoid_unnecessary_addr_size: dma-ranges, or a child with ranges, use the cells (dtc 1.8.0+)',
    dts: root('a { #address-cells = <1>; #size-cells = <1>; dma-ranges; x { }; }; b { #address-cells = <1>; #size-cells = <1>; y { #address-cells = <1>; #size-cells = <1>; ranges; }; };'),
    expect: [],
    expect161: [
      'warning (avoid_unnecessary_addr_size): /a: unnecessary #address-cells/#size-cells without "ranges" or child "reg" property',
      'warning (avoid_unnecessary_addr_size): /b: unnecessary #address-cells/#size-cells without "ranges" or child "reg" property',
    ],
  },
  {
    name: 'unique_unit_address: reported on the earlier node',
    dts: root('a@1 { reg = <1 1>; }; b@1 { reg = <1 1>; status = "disabled"; };'),
    expect: ['warning (unique_unit_address): /a@1: duplicate unit-address (also used in node /b@1)'],
  },
  {
    name: 'unique_unit_address_if_enabled: disabled nodes do not count',
    dts: root('a@1 { reg = <1 1>; }; b@1 { reg = <1 1>; status = "disabled"; };'),
    switches: ['-Wno-unique_unit_address', '-Wunique_unit_address_if_enabled'],
    expect: [],
  },
  // --- buses ---
  {
    name: 'pci_bridge: name, ranges, cells, bus-range',
    dts: root('bridge@0 { device_type = "pci"; reg = <0 1>; #address-cells = <2>; #size-cells = <1>; bus-range = <2 1>; };'),
    expect: [
      'warning (pci_bridge): /bridge@0: node name is not "pci" or "pcie"',
      'warning (pci_bridge): /bridge@0: missing ranges for PCI bridge (or not a bridge)',
      'warning (pci_bridge): /bridge@0: incorrect #address-cells for PCI bridge',
      'warning (pci_bridge): /bridge@0: incorrect #size-cells for PCI bridge',
      'warning (pci_bridge): /bridge@0:bus-range: 1st cell must be less than or equal to 2nd cell',
      ...failedPrerequisites([
        ['unit_address_format', 'pci_bridge'], ['pci_device_reg', 'pci_bridge'], ['pci_device_bus_num', 'pci_bridge'],
      ]),
    ],
  },
  {
    name: 'pci_bridge: bus-range length and maximum',
    dts: root('pci@0 { device_type = "pci"; reg = <0 1>; #address-cells = <3>; #size-cells = <2>; ranges = <0x02000000 0 0 0 0 1>; bus-range = <0 0x100>; }; pcie@1 { device_type = "pci"; reg = <1 1>; #address-cells = <3>; #size-cells = <2>; ranges = <0x02000000 0 0 0 0 1>; bus-range = <0>; };'),
    expect: [
      'warning (pci_bridge): /pci@0:bus-range: maximum bus number must be less than 256',
      'warning (pci_bridge): /pcie@1:bus-range: value must be 2 cells',
      ...failedPrerequisites([
        ['unit_address_format', 'pci_bridge'], ['pci_device_reg', 'pci_bridge'], ['pci_device_bus_num', 'pci_bridge'],
      ]),
    ],
  },
  {
    name: 'pci_device_reg and pci_device_bus_num (1.6.1 reads the bus-range maximum from its first cell)',
    dts: root(
      'pci@0 { device_type = "pci"; reg = <0 1>; #address-cells = <3>; #size-cells = <2>; ranges = <0x02000000 0 0 0 0 1>; bus-range = <0 1>; dev@2 { reg = <0x010800 0 0 0 0>; }; ok@1,2 { reg = <0x0a00 0 0 0 0>; }; cfg@0 { reg = <0x01000004 0 1 0 0>; }; };',
    ),
    expect: [
      'warning (pci_device_reg): /pci@0/dev@2: PCI unit address format error, expected "1,0"',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg config space address cells 2 and 3 must be 0',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg address is not configuration space',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg config space address register number must be 0',
    ],
    expect161: [
      'warning (pci_device_reg): /pci@0/dev@2: PCI unit address format error, expected "1,0"',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg config space address cells 2 and 3 must be 0',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg address is not configuration space',
      'warning (pci_device_reg): /pci@0/cfg@0:reg: PCI reg config space address register number must be 0',
      'warning (pci_device_bus_num): /pci@0/dev@2:bus-range: PCI bus number 1 out of range, expected (0 - 0)',
    ],
  },
  {
    name: 'simple_bus_reg: mismatch and missing reg',
    dts: root('bus@0 { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges; a@10 { reg = <0x20 1>; }; b { }; c@30 { #address-cells = <1>; #size-cells = <1>; ranges = <0 0x30 4>; }; };'),
    expect: [
      'warning (unit_address_vs_reg): /bus@0: node has a unit name, but no reg or ranges property',
      'warning (simple_bus_reg): /bus@0/a@10: simple-bus unit address format error, expected "20"',
      'warning (simple_bus_reg): /bus@0/b: missing or empty reg/ranges property',
    ],
  },
  {
    name: 'i2c_bus_bridge: cells',
    dts: root('i2c@1 { reg = <1 1>; #address-cells = <2>; #size-cells = <1>; a@50 { reg = <0 0x50 0>; }; }; i2c-bus { }; '),
    expect: [
      'warning (i2c_bus_bridge): /i2c@1: incorrect #address-cells for I2C bus',
      'warning (i2c_bus_bridge): /i2c@1: incorrect #size-cells for I2C bus',
      "warning (i2c_bus_reg): : Failed prerequisite 'i2c_bus_bridge'",
    ],
  },
  {
    name: 'i2c_bus_reg: unit address, 7- and 10-bit addresses (1.6.1: even valid 10-bit ones fail the 7-bit test)',
    dts: root('i2c@2 { reg = <2 1>; #address-cells = <1>; #size-cells = <0>; b@80 { reg = <0x80>; }; c@800003ff { reg = <0x800003ff>; }; t@80000400 { reg = <0x80000400>; }; s@10 { reg = <0x40000010>; }; x@11 { reg = <0x12>; }; d { }; };'),
    expect: [
      'warning (i2c_bus_reg): /i2c@2/b@80:reg: I2C address must be less than 7-bits, got "0x80". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property',
      'warning (i2c_bus_reg): /i2c@2/t@80000400:reg: I2C address must be less than 10-bits, got "0x80000400"',
      'warning (i2c_bus_reg): /i2c@2/x@11: I2C bus unit address format error, expected "12"',
      'warning (i2c_bus_reg): /i2c@2/d: missing or empty reg property',
    ],
    expect161: [
      'warning (i2c_bus_reg): /i2c@2/b@80:reg: I2C address must be less than 7-bits, got "0x80". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property',
      'warning (i2c_bus_reg): /i2c@2/c@800003ff:reg: I2C address must be less than 7-bits, got "0x800003ff". Set I2C_TEN_BIT_ADDRESS for 10 bit addresses or fix the property',
      'warning (i2c_bus_reg): /i2c@2/t@80000400:reg: I2C address must be less than 10-bits, got "0x80000400"',
      'warning (i2c_bus_reg): /i2c@2/x@11: I2C bus unit address format error, expected "12"',
      'warning (i2c_bus_reg): /i2c@2/d: missing or empty reg property',
    ],
  },
  {
    name: 'i2c_bus_bridge: an "i2c" node with an "i2c-bus" child is not the bus (dtc 1.8.0+)',
    dts: root('i2c@1 { reg = <1 1>; #address-cells = <1>; #size-cells = <1>; i2c-bus { #address-cells = <1>; #size-cells = <0>; a@50 { reg = <0x50>; }; }; };'),
    expect: [
      'warning (avoid_unnecessary_addr_size): /i2c@1: unnecessary #address-cells/#size-cells without "ranges", "dma-ranges" or child "reg" or "ranges" property',
    ],
    expect161: [
      'warning (i2c_bus_bridge): /i2c@1: incorrect #size-cells for I2C bus',
      "warning (i2c_bus_reg): : Failed prerequisite 'i2c_bus_bridge'",
      'warning (avoid_unnecessary_addr_size): /i2c@1: unnecessary #address-cells/#size-cells without "ranges" or child "reg" property',
    ],
  },
  {
    name: 'spi_bus_bridge: cells, and a bus found by its children not named spi',
    dts: root('spi@1 { reg = <1 1>; #address-cells = <1>; #size-cells = <1>; a@2 { reg = <3 0>; }; }; bus@2 { reg = <2 1>; #address-cells = <1>; #size-cells = <0>; b@0 { reg = <0>; spi-max-frequency = <1>; }; };'),
    expect: [
      'warning (spi_bus_bridge): /spi@1: incorrect #size-cells for SPI bus',
      "warning (spi_bus_bridge): /bus@2: node name for SPI buses should be 'spi'",
      "warning (spi_bus_reg): : Failed prerequisite 'spi_bus_bridge'",
    ],
  },
  {
    name: 'spi_bus_reg: unit address and missing reg; spi-slave buses exempt',
    dts: root('spi@1 { reg = <1 1>; #address-cells = <1>; #size-cells = <0>; a@2 { reg = <3>; }; b { }; }; spi@2 { reg = <2 1>; spi-slave; #address-cells = <0>; #size-cells = <0>; s { }; };'),
    expect: [
      'warning (spi_bus_reg): /spi@1/a@2: SPI bus unit address format error, expected "3"',
      'warning (spi_bus_reg): /spi@1/b: missing or empty reg property',
      'warning (avoid_unnecessary_addr_size): /spi@2: unnecessary #address-cells/#size-cells without "ranges", "dma-ranges" or child "reg" or "ranges" property',
    ],
    expect161: [
      'warning (spi_bus_reg): /spi@1/a@2: SPI bus unit address format error, expected "3"',
      'warning (spi_bus_reg): /spi@1/b: missing or empty reg property',
      'warning (avoid_unnecessary_addr_size): /spi@2: unnecessary #address-cells/#size-cells without "ranges" or child "reg" property',
    ],
  },
  // --- chosen, aliases ---
  {
    name: 'chosen checks',
    dts: root('chosen { interrupt-controller; bootargs = <1>; linux,stdout-path = "/x"; }; n { chosen { }; };'),
    expect: [
      'warning (obsolete_chosen_interrupt_controller): /:interrupt-controller: /chosen has obsolete "interrupt-controller" property',
      'warning (chosen_node_is_root): /n/chosen: chosen node must be at root node',
      'warning (chosen_node_bootargs): /chosen:bootargs: property is not a string',
      "warning (chosen_node_stdout_path): /chosen:linux,stdout-path: Use 'stdout-path' instead",
      "warning (interrupt_provider): /chosen: Missing '#interrupt-cells' in interrupt provider",
      ...failedPrerequisites([['interrupt_map', 'interrupt_provider']]),
    ],
    expect161: [
      'warning (obsolete_chosen_interrupt_controller): /:interrupt-controller: /chosen has obsolete "interrupt-controller" property',
      'warning (chosen_node_is_root): /n/chosen: chosen node must be at root node',
      'warning (chosen_node_bootargs): /chosen:bootargs: property is not a string',
      "warning (chosen_node_stdout_path): /chosen:linux,stdout-path: Use 'stdout-path' instead",
      'warning (interrupt_provider): /chosen: Missing #interrupt-cells in interrupt provider',
      'warning (interrupt_provider): /chosen: Missing #address-cells in interrupt provider',
    ],
  },
  {
    name: 'alias_paths',
    dts: root('aliases { ok = "/n"; rel = "n"; bad = "/nope"; Upper = "/n"; }; n { };'),
    expect: [
      'warning (alias_paths): /aliases:bad: aliases property is not a valid node (/nope)',
      "warning (alias_paths): /aliases: aliases property name must include only lowercase and '-'",
    ],
  },
  // --- phandle + args ---
  {
    name: 'clocks_property: missing #clock-cells, short, raw phandle',
    dts: root('c1: clk { #clock-cells = <1>; }; c2: clk2 { }; a { clocks = <&c1>; }; b { clocks = <&c2>; }; c { clocks = <&c1 0>, <1 0>; };'),
    expect: [
      'warning (clocks_property): /a:clocks: property size (4) too small for cell size 1',
      "warning (clocks_property): /b: Missing property '#clock-cells' in node /clk2 or bad phandle (referred from clocks[0])",
      'warning (clocks_property): /c:clocks: cell 2 is not a phandle reference',
    ],
  },
  {
    name: 'msi_parent_property: #msi-cells is optional',
    dts: root('m: msi { }; a { msi-parent = <&m>; };'),
    expect: [],
  },
  {
    name: 'gpios_property and deprecated_gpio_property',
    dts: root('g: gpio { #gpio-cells = <2>; gpio-controller; }; a { enable-gpio = <&g 1>; reset-gpios = <&g 1 0>; foo,nr-gpios = <3>; }; hog { gpio-hog; gpios = <1>; };'),
    switches: ['-Wdeprecated_gpio_property'],
    expect: [
      "warning (deprecated_gpio_property): /a:enable-gpio: '[*-]gpio' is deprecated, use '[*-]gpios' instead",
      'warning (gpios_property): /a:enable-gpio: property size (8) too small for cell size 2',
    ],
  },
  // --- interrupts ---
  {
    name: 'interrupts_property: missing parent, bad size, not a provider',
    dts: root('ic: ic { interrupt-controller; #interrupt-cells = <2>; #address-cells = <0>; }; x: x { }; a { interrupt-parent = <&ic>; interrupts = <1 2 3>; }; b { interrupts = <1>; }; c { interrupt-parent = <&x>; interrupts = <1>; };'),
    expect: [
      'warning (interrupts_property): /a:#interrupt-cells: size is (12), expected multiple of 8',
      'warning (interrupts_property): /b: Missing interrupt-parent',
      'warning (interrupts_property): /x: Missing interrupt-controller or interrupt-map property',
    ],
  },
  {
    name: 'interrupts_extended_property',
    dts: root('ic: ic { interrupt-controller; #interrupt-cells = <2>; #address-cells = <0>; }; a { interrupts-extended = <&ic 1>; };'),
    expect: ['warning (interrupts_extended_property): /a:interrupts-extended: property size (8) too small for cell size 2'],
  },
  {
    name: 'interrupt_map: mask and map length (dtc 1.7+; off in the 1.6.1 table, so -W)',
    dts: root('ic: ic { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; }; m { #interrupt-cells = <1>; #address-cells = <0>; interrupt-map-mask = <1 2>; interrupt-map = <1 &ic 2>, <2>; };'),
    switches: ['-Winterrupt_map'],
    expect: [
      'warning (interrupt_map): /m:interrupt-map-mask: property size (8) is invalid, expected 4',
      'warning (interrupt_map): /m:interrupt-map: property size (16) too small, expected > 16',
    ],
    dtc: false,
  },
  {
    name: "interrupt_provider: #interrupt-cells outside a provider (dtc 1.7+)",
    dts: root('n { #interrupt-cells = <1>; };'),
    expect: [
      "warning (interrupt_provider): /n: '#interrupt-cells' found, but node is not an interrupt provider",
      ...failedPrerequisites([['interrupt_map', 'interrupt_provider']]),
    ],
    expect161: [],
  },
  {
    name: 'interrupt_map: parent without #address-cells, entry past the end, map without #address-cells (dtc 1.7+)',
    dts: root('ic: ic { interrupt-controller; #interrupt-cells = <2>; }; m { #interrupt-cells = <1>; #address-cells = <0>; interrupt-map = <1 &ic 2>; }; m2 { #interrupt-cells = <1>; interrupt-map = <1 &ic 2 3>; };'),
    expect: [
      "warning (interrupt_map): /m:interrupt-map: Missing property '#address-cells' in node /ic, using 0 as fallback",
      'warning (interrupt_map): /m:interrupt-map: property size (12) mismatch, expected 16',
      "warning (interrupt_map): /m2: Missing '#address-cells' in interrupt-map provider",
    ],
    // dtc 1.6.1 wants #address-cells on every provider instead
    expect161: [
      'warning (interrupt_provider): /ic: Missing #address-cells in interrupt provider',
      'warning (interrupt_provider): /m2: Missing #address-cells in interrupt provider',
    ],
  },
  {
    name: 'interrupts_property needs phandle_references (dtc 1.8.0+; 1.6.1 runs it anyway)',
    dts: root('a { interrupt-parent = <&nope>; interrupts = <1>; };'),
    switches: ['-Eno-phandle_references'],
    expect: failedPrerequisites([
      'clocks_property', 'cooling_device_property', 'dmas_property', 'hwlocks_property', 'interrupts_extended_property',
      'io_channels_property', 'iommus_property', 'mboxes_property', 'msi_parent_property', 'mux_controls_property',
      'phys_property', 'power_domains_property', 'pwms_property', 'resets_property', 'sound_dai_property',
      'thermal_sensors_property', 'gpios_property', 'interrupts_property', 'interrupt_map',
    ].map((row) => [row, 'phandle_references'])),
    expect161: [
      ...failedPrerequisites([
        'clocks_property', 'cooling_device_property', 'dmas_property', 'hwlocks_property', 'interrupts_extended_property',
        'io_channels_property', 'iommus_property', 'mboxes_property', 'msi_parent_property', 'mux_controls_property',
        'phys_property', 'power_domains_property', 'pwms_property', 'resets_property', 'sound_dai_property',
        'thermal_sensors_property', 'gpios_property',
      ].map((row) => [row, 'phandle_references'])),
      'warning (interrupts_property): /a:interrupt-parent: Invalid phandle',
      'warning (interrupts_property): /a: Missing interrupt-parent',
    ],
  },
  // --- graph ---
  {
    name: 'graph checks',
    dts: root(
      'a { ports { #address-cells = <1>; #size-cells = <0>; port@0 { reg = <0>; e0: endpoint { remote-endpoint = <&e1>; }; }; }; }; b { p { #address-cells = <1>; #size-cells = <0>; e1: ep@1 { reg = <2>; remote-endpoint = <&e0>; }; e2: endpoint@2 { reg = <2>; remote-endpoint = <&e0>; }; }; };',
    ),
    // dtc 1.7.1+ checks reg before the name; 1.8.0 dropped graph_child_address
    expect: [
      "warning (graph_port): /b/p: graph port node name should be 'port'",
      'warning (graph_endpoint): /b/p/ep@1: graph node unit address error, expected "2"',
      "warning (graph_endpoint): /b/p/ep@1: graph endpoint node name should be 'endpoint'",
      "warning (graph_endpoint): /b/p/endpoint@2: graph connection to node '/a/ports/port@0/endpoint' is not bidirectional",
    ],
    expect161: [
      'warning (graph_child_address): /a/ports: graph node has single child node \'port@0\', #address-cells/#size-cells are not necessary',
      "warning (graph_port): /b/p: graph port node name should be 'port'",
      "warning (graph_endpoint): /b/p/ep@1: graph endpoint node name should be 'endpoint'",
      'warning (graph_endpoint): /b/p/ep@1: graph node unit address error, expected "2"',
      "warning (graph_endpoint): /b/p/endpoint@2: graph connection to node '/a/ports/port@0/endpoint' is not bidirectional",
    ],
  },
  {
    name: 'graph_nodes: endpoint under the root (dtc 1.7+)',
    dts: root('endpoint { };'),
    expect: [
      "warning (graph_nodes): /: root node contains endpoint node 'endpoint', potentially misplaced remote-endpoint property",
      ...failedPrerequisites([['graph_port', 'graph_nodes'], ['graph_endpoint', 'graph_nodes']]),
    ],
    // dtc 1.6.1 crashes here; dtkit's 1.6.1 table reports it as later dtc does
    expect161: [
      "warning (graph_nodes): /: root node contains endpoint node 'endpoint', potentially misplaced remote-endpoint property",
      ...failedPrerequisites([['graph_child_address', 'graph_nodes'], ['graph_port', 'graph_nodes'], ['graph_endpoint', 'graph_nodes']]),
    ],
    dtc: false,
  },
  {
    name: 'overlays: alias paths and graph names are the base\'s business (dtc 1.7.1+/1.8.0+)',
    dts: `${H}/plugin/;\n/ { aliases { ext = "/nope"; Bad = "/x"; }; p { #address-cells = <1>; #size-cells = <0>; endpoint@1 { reg = <2>; }; }; };\n`,
    expect: [
      "warning (alias_paths): /aliases: aliases property name must include only lowercase and '-'",
      'warning (graph_endpoint): /p/endpoint@1: graph node unit address error, expected "2"',
    ],
    expect161: [
      'warning (alias_paths): /aliases:ext: aliases property is not a valid node (/nope)',
      'warning (alias_paths): /aliases:Bad: aliases property is not a valid node (/x)',
      "warning (graph_port): /p: graph port node name should be 'port'",
      'warning (graph_endpoint): /p/endpoint@1: graph node unit address error, expected "2"',
    ],
  },
  // --- runner ---
  {
    name: 'always_fail: -E makes it an error on every node',
    dts: root('a { };'),
    switches: ['-Ealways_fail'],
    expect: ['error (always_fail): /: always_fail check', 'error (always_fail): /a: always_fail check'],
  },
  {
    name: 'switches: -Wno-x turns a warning off',
    dts: root('a@1 { };'),
    switches: ['-Wno-unit_address_vs_reg'],
    expect: [],
  },
  {
    name: 'switches: -E raises a warning to an error',
    dts: root('a@1 { };'),
    switches: ['-Eunit_address_vs_reg'],
    expect: ['error (unit_address_vs_reg): /a@1: node has a unit name, but no reg or ranges property'],
  },
  {
    name: 'switches: -E x then -E no-x is a warning again',
    dts: root('a@1 { };'),
    switches: ['-Eunit_address_vs_reg', '-Eno-unit_address_vs_reg'],
    expect: ['warning (unit_address_vs_reg): /a@1: node has a unit name, but no reg or ranges property'],
  },
  {
    name: 'switches: lowering a prerequisite lowers its dependents',
    dts: root('a@1 { reg = <1>; }; s@2 { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; reg = <2 1>; b@3 { reg = <4 1>; }; };'),
    switches: ['-Wno-reg_format'],
    expect: [],
  },
];
