// The runner (prerequisites, first error ends the run, levels) and the -W/-E switches,
// on small rows built here, so each rule of dtc's run_check is pinned down alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FINDINGS_PER_CHECK, runChecks } from '../../src/checks/run.js';
import { parseCheckSwitch, resolveCheckLevels } from '../../src/checks/switches.js';
import { dtcCheckText } from '../../src/checks/dtc-text.js';
import { dtcChecks } from '../../src/checks/table.js';
import type { Check, CheckLevel } from '../../src/checks/types.js';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { valueFromCells } from '../../src/tree/value.js';
import { checkText } from './support.js';

function tree(): Tree {
  const t = new Tree();
  const a = t.root.addChild(new Node('a@1', { file: 't.dts', line: 3, column: 2, length: 0 }));
  a.addProperty(new Property('reg', valueFromCells([1]), { file: 't.dts', line: 4, column: 3, length: 0 }));
  a.addChild(new Node('b'));
  return t;
}

const row = (id: string, level: CheckLevel, fail: boolean, requires?: string[]): Check => ({
  id, level, description: id, ...(requires ? { requires } : {}),
  node(ctx, node) {
    if (fail && node.name === 'a@1') ctx.report(node, `${id} failed`);
  },
});

const summary = (checks: Check[], levels?: Map<string, CheckLevel>): string[] =>
  runChecks(tree(), { checks, options: { levels } }).diagnostics.map((d) => `${d.severity} ${d.rule} ${d.node ?? '-'}: ${d.message}`);

test('rows run parents before children, once per live node', () => {
  const seen: string[] = [];
  const t = tree();
  t.root.addChild(new Node('gone')).deleted = true;
  runChecks(t, { checks: [{ id: 'walk', level: 'warning', description: '', node: (_c, n) => void seen.push(n.path) }] });
  assert.deepEqual(seen, ['/', '/a@1', '/a@1/b']);
});

test('a failed prerequisite skips the row and says so', () => {
  assert.deepEqual(summary([row('pre', 'warning', true), row('dep', 'warning', true, ['pre'])]), [
    'warning pre /a@1: pre failed',
    "warning dep -: Failed prerequisite 'pre'",
  ]);
});

test('a prerequisite that is off still runs and still gates', () => {
  assert.deepEqual(summary([row('pre', 'off', true), row('dep', 'warning', true, ['pre'])]), [
    "warning dep -: Failed prerequisite 'pre'",
  ]);
});

test('prerequisites run first even when listed later', () => {
  assert.deepEqual(summary([row('dep', 'warning', true, ['pre']), row('pre', 'warning', false)]), [
    'warning dep /a@1: dep failed',
  ]);
});

test('the first error ends the run: later rows do not run at all', () => {
  const result = runChecks(tree(), { checks: [row('e', 'error', true), row('later', 'warning', true)] });
  assert.deepEqual(result.diagnostics.map((d) => d.rule), ['e']);
  assert.deepEqual([...result.failed], ['e']);
});

test('findings carry the property span, else the node span', () => {
  const checks: Check[] = [{
    id: 'spans', level: 'warning', description: '',
    node(ctx, node) {
      if (node.name === 'a@1') {
        ctx.report(node, 'on the node');
        ctx.report(node, 'on reg', { property: node.getProperty('reg') });
      }
    },
  }];
  const d = runChecks(tree(), { checks, file: 't.dtb' }).diagnostics;
  assert.deepEqual(d.map((x) => [x.message, x.node, x.property, x.span?.line, x.span?.column]), [
    ['on the node', '/a@1', undefined, 3, 2],
    ['on reg', '/a@1', 'reg', 4, 3],
  ]);
});

test('a finding without a span names the input file', () => {
  const t = new Tree();
  const d = runChecks(t, { checks: [row('x', 'warning', false), { ...row('y', 'warning', false), tree: (ctx) => ctx.report(t.root, 'm') }], file: 'b.dtb' });
  assert.equal(d.diagnostics[0].file, 'b.dtb');
});

test('levels override the row level', () => {
  assert.deepEqual(summary([row('w', 'warning', true)], new Map([['w', 'error']])), ['error w /a@1: w failed']);
  assert.deepEqual(summary([row('w', 'warning', true)], new Map([['w', 'off']])), []);
});

test('parseCheckSwitch reads dtc spellings', () => {
  assert.deepEqual(parseCheckSwitch('no-foo'), { kind: 'W', id: 'foo', enable: false });
  assert.deepEqual(parseCheckSwitch('no_foo', 'E'), { kind: 'E', id: 'foo', enable: false });
  assert.deepEqual(parseCheckSwitch('-Ebar'), { kind: 'E', id: 'bar', enable: true });
  assert.deepEqual(parseCheckSwitch('-Wno-bar', 'E'), { kind: 'W', id: 'bar', enable: false });
});

test('switches follow dtc: raising raises prerequisites, lowering lowers dependents', () => {
  const checks = dtcChecks();
  const lv = (...s: string[]) => resolveCheckLevels(s.map((x) => parseCheckSwitch(x)), checks);
  assert.equal(lv('-Esimple_bus_reg').levels.get('reg_format'), 'error');
  assert.equal(lv('-Esimple_bus_reg').levels.get('addr_size_cells'), 'error');
  assert.equal(lv('-Wno-reg_format').levels.get('simple_bus_reg'), 'off');
  assert.equal(lv('-Wno-reg_format').levels.get('unit_address_vs_reg'), undefined);
  // -E no-x on an error row switches it off; on a warning row leaves the warning
  assert.equal(lv('-Eno-duplicate_node_names').levels.get('duplicate_node_names'), 'off');
  assert.equal(lv('-Eunit_address_vs_reg', '-Eno-unit_address_vs_reg').levels.get('unit_address_vs_reg'), undefined);
  assert.deepEqual(lv('-Wno-such_check').unknown, ['such_check']);
});

test('the default table is dtc 1.8.1\'s: every check, in dtc order, with dtc levels', () => {
  const checks = dtcChecks();
  const ids = checks.map((c) => c.id);
  assert.equal(ids.length, 89); // dtc 1.6.1's 88, minus graph_child_address, plus node_name_not_empty and interrupt_map
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids.slice(0, 6), ['duplicate_node_names', 'duplicate_property_names', 'node_name_chars', 'node_name_format', 'node_name_not_empty', 'property_name_chars']);
  assert.deepEqual(ids.slice(-8), [
    'interrupts_property', 'interrupt_provider', 'interrupt_map', 'alias_paths', 'graph_nodes', 'graph_port', 'graph_endpoint', 'always_fail',
  ]);
  assert.deepEqual(checks.filter((c) => c.level === 'off').map((c) => c.id), [
    'property_name_chars_strict', 'node_name_chars_strict', 'unique_unit_address_if_enabled', 'deprecated_gpio_property', 'always_fail',
  ]);
  assert.deepEqual(checks.filter((c) => c.level === 'error').map((c) => c.id), [
    'duplicate_node_names', 'duplicate_property_names', 'node_name_chars', 'node_name_format', 'node_name_not_empty',
    'property_name_chars', 'name_is_string', 'name_properties', 'duplicate_label',
    'explicit_phandles', 'phandle_references', 'path_references', 'omit_unused_nodes',
  ]);
  const row = (id: string): Check => checks.find((c) => c.id === id)!;
  assert.deepEqual(row('interrupt_map').requires, ['phandle_references', 'addr_size_cells', 'interrupt_provider']);
  assert.deepEqual(row('interrupt_provider').requires, ['interrupts_extended_is_cell']);
  assert.deepEqual(row('interrupts_property').requires, ['phandle_references']);
  for (const c of checks) for (const r of c.requires ?? []) assert.ok(ids.includes(r), `${c.id} requires ${r}`);
});

test('the dtc 1.6.1 table: 1.6.1\'s 88 checks and interrupt_map (off)', () => {
  const checks = dtcChecks('1.6.1');
  const ids = checks.map((c) => c.id);
  assert.equal(ids.length, 89);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(!ids.includes('node_name_not_empty'));
  assert.deepEqual(ids.slice(-5), ['graph_nodes', 'graph_child_address', 'graph_port', 'graph_endpoint', 'always_fail']);
  assert.deepEqual(checks.filter((c) => c.level === 'off').map((c) => c.id), [
    'property_name_chars_strict', 'node_name_chars_strict', 'unique_unit_address_if_enabled',
    'deprecated_gpio_property', 'interrupt_map', 'always_fail',
  ]);
  const row = (id: string): Check => checks.find((c) => c.id === id)!;
  assert.equal(row('interrupt_provider').requires, undefined);
  assert.equal(row('interrupts_property').requires, undefined);
  // the rows both tables share are the same objects
  assert.equal(row('unique_unit_address'), dtcChecks().find((c) => c.id === 'unique_unit_address'));
  for (const c of checks) for (const r of c.requires ?? []) assert.ok(ids.includes(r), `${c.id} requires ${r}`);
});

test('dtcCheckText words a finding as dtc does', () => {
  const result = runChecks(tree(), { checks: dtcChecks().filter((c) => c.id === 'unit_address_vs_reg' || c.id === 'reg_format' || c.id === 'addr_size_cells' || c.id.endsWith('cells_is_cell')) });
  assert.deepEqual(result.diagnostics.map(dtcCheckText), [
    'Warning (reg_format): /a@1:reg: property has invalid length (4 bytes) (#address-cells == 2, #size-cells == 1)',
  ]);
  assert.equal(
    dtcCheckText({ rule: 'phandle_references', severity: 'error', node: '/a', message: 'Reference to non-existent node or label "x"\n' }),
    'ERROR (phandle_references): /a: Reference to non-existent node or label "x"',
  );
  assert.equal(dtcCheckText({ rule: 'simple_bus_reg', severity: 'warning', message: "Failed prerequisite 'reg_format'" }),
    "Warning (simple_bus_reg): Failed prerequisite 'reg_format'");
});

test('DTS findings point at the property, the node, or the reference', () => {
  const text = '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\ta@1 {\n\t\treg = <1>;\n\t};\n\tb@2 { };\n};\n';
  const at = (src: string) => checkText(src).diagnostics.filter((d) => d.node).map((d) => [d.rule, d.node, d.span?.line, d.span?.column]);
  assert.deepEqual(at(text), [
    ['reg_format', '/a@1', 6, 3],
    ['unit_address_vs_reg', '/b@2', 8, 2],
  ]);
  // the fixup rows keep the reference's own position (dtc names only the node)
  assert.deepEqual(at(text.replace('b@2 { };', 'c { p = <&nope>; };')), [['phandle_references', '/c', 8, 11]]);
});

test('a row lists at most MAX_FINDINGS_PER_CHECK findings, then counts the rest in one', () => {
  const t = new Tree();
  const n = t.root.addChild(new Node('dup'));
  // 200 copies of one property: dtc reports each earlier copy once per later one
  for (let i = 0; i < 200; i++) n.addProperty(new Property('p', valueFromCells([i])));
  const dup = dtcChecks().filter((c) => c.id === 'duplicate_property_names');
  const r = runChecks(t, { checks: dup, file: 'dup.dts' });
  assert.equal(r.diagnostics.length, MAX_FINDINGS_PER_CHECK + 1);
  assert.deepEqual(r.diagnostics.at(-1), {
    rule: 'duplicate_property_names', severity: 'error', file: 'dup.dts',
    message: `and ${(200 * 199) / 2 - MAX_FINDINGS_PER_CHECK} more duplicate_property_names findings, not listed (${MAX_FINDINGS_PER_CHECK} are)`,
  });
  assert.ok(r.failed.has('duplicate_property_names'));
});
