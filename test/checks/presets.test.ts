// Presets (src/checks/presets.ts): named tables + switches, applied with resolveCheckLevels
// before the command line's own switches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPreset, listPresets, presetSwitches } from '../../src/checks/presets.js';
import { runChecks } from '../../src/checks/run.js';
import { parseCheckSwitch, resolveCheckLevels } from '../../src/checks/switches.js';
import { dtcChecks } from '../../src/checks/table.js';
import { keysOf, parseText } from './support.js';

const KERNEL_OFF = [
  'unique_unit_address', 'unit_address_vs_reg', 'avoid_unnecessary_addr_size', 'alias_paths', 'interrupt_map', 'simple_bus_reg',
];

test('presets are listed with a description and a table', () => {
  assert.deepEqual(listPresets().map((p) => [p.name, p.table]), [
    ['dtc', '1.8.1'], ['kernel', '1.8.1'], ['kernel-w1', '1.8.1'], ['dtc-1.6', '1.6.1'],
  ]);
  for (const p of listPresets()) {
    assert.ok(p.description.length > 10, p.name);
    // every switch names a row of the preset's table
    assert.deepEqual(resolveCheckLevels(p.switches, dtcChecks(p.table)).unknown, [], p.name);
  }
});

test('presetSwitches: the switches, a fresh copy; undefined for an unknown name', () => {
  assert.equal(presetSwitches('nope'), undefined);
  assert.deepEqual(presetSwitches('dtc'), []);
  const kernel = presetSwitches('kernel')!;
  assert.deepEqual(kernel, KERNEL_OFF.map((id) => ({ kind: 'W', id, enable: false })));
  kernel.pop();
  assert.equal(presetSwitches('kernel')!.length, 6);
  assert.equal(findPreset('kernel')!.switches.length, 6);
  assert.throws(() => (findPreset('kernel')!.switches as unknown[]).pop(), TypeError);
});

test('kernel preset: exactly the kernel build\'s six rows off', () => {
  const { levels } = resolveCheckLevels(presetSwitches('kernel')!, dtcChecks());
  assert.deepEqual([...levels].sort(), KERNEL_OFF.map((id) => [id, 'off']).sort());
});

test('kernel-w1 preset: unique_unit_address only among enabled nodes', () => {
  const { levels } = resolveCheckLevels(presetSwitches('kernel-w1')!, dtcChecks());
  assert.deepEqual([...levels].sort(), [['unique_unit_address', 'off'], ['unique_unit_address_if_enabled', 'warning']]);
});

const BOARD = `/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  a@1 { reg = <1 1>; }; b@1 { reg = <1 1>; }; c@1 { reg = <1 1>; status = "disabled"; }; d@2 { };
};
`;

function findings(preset: string, extra: string[] = []): string[] {
  const p = findPreset(preset)!;
  const checks = dtcChecks(p.table);
  const { levels } = resolveCheckLevels([...p.switches, ...extra.map((s) => parseCheckSwitch(s))], checks);
  return keysOf(runChecks(parseText(BOARD), { checks, options: { levels } }));
}

test('presets on a tree, and the command line after them wins', () => {
  assert.deepEqual(findings('dtc'), [
    'warning (unit_address_vs_reg): /d@2: node has a unit name, but no reg or ranges property',
    'warning (unique_unit_address): /a@1: duplicate unit-address (also used in node /b@1)',
    'warning (unique_unit_address): /a@1: duplicate unit-address (also used in node /c@1)',
    'warning (unique_unit_address): /b@1: duplicate unit-address (also used in node /c@1)',
  ]);
  assert.deepEqual(findings('kernel'), []);
  assert.deepEqual(findings('kernel-w1'), [
    'warning (unit_address_vs_reg): /d@2: node has a unit name, but no reg or ranges property',
    'warning (unique_unit_address_if_enabled): /a@1: duplicate unit-address (also used in node /b@1)',
  ]);
  assert.deepEqual(findings('kernel', ['-Wunit_address_vs_reg']), [
    'warning (unit_address_vs_reg): /d@2: node has a unit name, but no reg or ranges property',
  ]);
});
