// Help locations for rules: dtc's checks point at their definition in dtc's checks.c.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dtcChecks } from '../../src/checks/table.js';
import { qcomChecks } from '../../src/qcom/checks.js';
import { dtcCheckHelpUri } from '../../src/report/rules.js';

describe('dtcCheckHelpUri', () => {
  test('every row of both of dtc\'s tables has one, at a tagged release', () => {
    const rows = [...dtcChecks(), ...dtcChecks('1.6.1')];
    const missing = rows.filter((c) => !/^https:\/\/github\.com\/dgibson\/dtc\/blob\/v1\.(6\.1|8\.1)\/checks\.c#L\d+$/.test(dtcCheckHelpUri(c.id) ?? ''));
    assert.deepEqual(missing.map((c) => c.id), []);
  });

  test('the row\'s own line in dtc 1.8.1; both rows a phandle-cells line makes share it; 1.6.1-only rows at 1.6.1', () => {
    assert.equal(dtcCheckHelpUri('unit_address_vs_reg'), 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L390');
    assert.equal(dtcCheckHelpUri('iommus_property'), 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L1504');
    assert.equal(dtcCheckHelpUri('iommus_is_cell'), 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L1504');
    assert.equal(dtcCheckHelpUri('interrupt_map'), 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L1702');
    assert.equal(dtcCheckHelpUri('node_name_not_empty'), 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L349');
    assert.equal(dtcCheckHelpUri('graph_child_address'), 'https://github.com/dgibson/dtc/blob/v1.6.1/checks.c#L1716');
  });

  test('none for dtkit\'s own rules or names that are not checks', () => {
    for (const id of [...qcomChecks().map((c) => c.id), 'schema', 'syntax', 'iommus', 'constructor', 'toString_property']) {
      assert.equal(dtcCheckHelpUri(id), undefined, id);
    }
  });
});
