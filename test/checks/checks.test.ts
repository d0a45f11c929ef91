// Every check behaviour as a fixture (fixtures.ts): dtkit must report exactly the listed
// findings, in order, with its default table (dtc 1.8.1's) and with the dtc 1.6.1 table;
// and, where dtc 1.6.1 is installed, dtc must report the 1.6.1 findings (which keeps those
// expectations honest).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasDtc } from '../support/corpus.js';
import { fixtures } from './fixtures.js';
import { checkText, dtcKeys, keysOf } from './support.js';

for (const f of fixtures) {
  test(`${f.name}`, () => {
    assert.deepEqual(keysOf(checkText(f.dts, f.switches)), f.expect);
  });
  test(`${f.name} (dtc 1.6.1 table)`, () => {
    assert.deepEqual(keysOf(checkText(f.dts, f.switches, '1.6.1')), f.expect161 ?? f.expect);
  });
  test(`${f.name} (dtc 1.6.1 agrees)`, (t) => {
    if (f.dtc === false) return t.skip('dtc 1.6.1 cannot answer this one');
    if (!hasDtc()) return t.skip('dtc not installed');
    assert.deepEqual(dtcKeys(f.dts, f.switches), f.expect161 ?? f.expect);
  });
}
