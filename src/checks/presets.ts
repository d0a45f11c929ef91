// Named check configurations, as data: which dtc table to run, the -W/-E switches to
// apply first (a config file's rules and the command line's switches come after, so they
// win) and whether dtkit's vendor rows (qcom_*) run. A preset answers "show me what tool X
// shows": `kernel` is what `make dtbs` prints (and, in `dtkit validate`, `make dtbs_check`:
// dtc's warnings and dt-validate's findings, so no vendor rows).
//
//   const preset = findPreset('kernel');            // undefined: unknown name (usage error)
//   const checks = dtcChecks(preset.table);          // the vendor rows (qcom/) are their own table
//   const { levels } = resolveCheckLevels([...preset.switches, ...userSwitches], checks);
import { parseCheckSwitch } from './switches.js';
import type { CheckSwitch } from './switches.js';
import type { DtcVersion } from './table.js';
import { DEFAULT_DTC_VERSION } from './table.js';

export interface CheckPreset {
  readonly name: string;
  readonly description: string;
  /** the dtc table the preset runs */
  readonly table: DtcVersion;
  /** applied in order, before the command line's */
  readonly switches: readonly Readonly<CheckSwitch>[];
  /** dtkit's vendor rows (qcom_*) run: false where the preset is another tool's output */
  readonly vendorRows: boolean;
}

// The switches the kernel build passes to dtc (the kernel's scripts/Makefile.dtbs, not
// the devicetree-rebasing Makefile in the corpus): always -Wno-unique_unit_address, then
// without W=1 the "noisy" rows off, with W=1 unique_unit_address_if_enabled on instead.
const KERNEL_ALWAYS = ['-Wno-unique_unit_address'];
const KERNEL_QUIET = ['-Wno-unit_address_vs_reg', '-Wno-avoid_unnecessary_addr_size', '-Wno-alias_paths', '-Wno-interrupt_map', '-Wno-simple_bus_reg'];
const KERNEL_W1 = ['-Wunique_unit_address_if_enabled'];

const switches = (args: string[]): readonly Readonly<CheckSwitch>[] => Object.freeze(args.map((a) => Object.freeze(parseCheckSwitch(a))));

// frozen: presets are shared data, never edited by a caller
const PRESETS: readonly CheckPreset[] = Object.freeze(([
  {
    name: 'dtc',
    description: "dtc 1.8.1's checks at their default levels (dtkit's default)",
    table: DEFAULT_DTC_VERSION,
    switches: switches([]),
    vendorRows: true,
  },
  {
    name: 'kernel',
    description: `what the kernel's \`make dtbs\` shows: dtc 1.8.1 with ${[...KERNEL_ALWAYS, ...KERNEL_QUIET].join(' ')}`,
    table: '1.8.1',
    switches: switches([...KERNEL_ALWAYS, ...KERNEL_QUIET]),
    vendorRows: false,
  },
  {
    name: 'kernel-w1',
    description: `what \`make W=1 dtbs\` shows: dtc 1.8.1 with ${[...KERNEL_ALWAYS, ...KERNEL_W1].join(' ')}`,
    table: '1.8.1',
    switches: switches([...KERNEL_ALWAYS, ...KERNEL_W1]),
    vendorRows: false,
  },
  {
    name: 'dtc-1.6',
    description: "dtc 1.6.1's checks at their default levels (Debian 12's device-tree-compiler)",
    table: '1.6.1',
    switches: switches([]),
    vendorRows: true,
  },
] satisfies CheckPreset[]).map((p) => Object.freeze(p)));

export function listPresets(): readonly CheckPreset[] {
  return PRESETS;
}

/** The preset a run uses when none is named. */
export const DEFAULT_PRESET = 'dtc';

export function findPreset(name: string): CheckPreset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** The preset's switches (undefined for an unknown name), for resolveCheckLevels. */
export function presetSwitches(name: string): CheckSwitch[] | undefined {
  return findPreset(name)?.switches.map((s) => ({ ...s }));
}
