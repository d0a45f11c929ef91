// Every check behaviour as a fixture (fixtures.ts): dtkit must report exactly the listed
// findings, in order; and, where dtc 1.6.1 is installed, so must dtc (which keeps the
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
  test(`${f.name} (dtc agrees)`, (t) => {
    if (f.dtc === false) return t.skip('behaviour of dtc after 1.6.1');
    if (!hasDtc()) return t.skip('dtc not installed');
    assert.deepEqual(dtcKeys(f.dts, f.switches), f.expect);
  });
}
