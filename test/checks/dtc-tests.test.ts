// dtc's own test inputs (corpus dtc-tests/expectations.tsv, `must-report-checks` rows):
// the checks dtc 1.8.1's suite expects to fire (dtc-checkfails.sh A B -n C -- switches
// file) must fire in dtkit's default table (dtc 1.8.1's) with the same switches, and the
// `-n` ones must not.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../../src/checks/run.js';
import { parseCheckSwitch, resolveCheckLevels } from '../../src/checks/switches.js';
import { dtcChecks } from '../../src/checks/table.js';
import { parseDts } from '../../src/dts/parser.js';
import { rawSource } from '../../src/dts/source.js';
import { nodeHost } from '../../src/host.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import { corpusDir } from '../support/corpus.js';

export interface CheckfailsCase {
  file: string;
  switches: string[];
  fire: string[];
  silent: string[];
}

/** The dtc-checkfails.sh invocations of one expectations.tsv row. */
export function checkfailsCases(file: string, invocations: string): CheckfailsCase[] {
  const out: CheckfailsCase[] = [];
  for (const inv of invocations.split(' | ')) {
    const words = inv.trim().split(/\s+/);
    if (words[0] !== './dtc-checkfails.sh') continue;
    const sep = words.indexOf('--');
    const fire: string[] = [];
    const silent: string[] = [];
    for (let i = 1; i < sep; i++) {
      if (words[i] === '-n') silent.push(words[++i]);
      else fire.push(words[i]);
    }
    const switches = words.slice(sep + 1).filter((w) => /^-[WE]/.test(w));
    out.push({ file, switches, fire, silent });
  }
  return out;
}

const dir = corpusDir() && path.join(corpusDir()!, 'dtc-tests');
const rows = dir && fs.existsSync(path.join(dir, 'expectations.tsv'))
  ? fs.readFileSync(path.join(dir, 'expectations.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t'))
    .filter((r) => r[1] === 'must-report-checks')
  : [];
const seen = new Set<string>();

test('dtc-tests corpus present', (t) => {
  if (!dir) t.skip('corpus not found (set DTKIT_CORPUS)');
});

for (const r of rows) {
  if (seen.has(r[0])) continue;
  seen.add(r[0]);
  for (const c of checkfailsCases(r[0], r[5])) {
    test(`${c.file} ${c.switches.join(' ')}: ${c.fire.join(' ')}${c.silent.length ? ' -n ' + c.silent.join(' ') : ''}`, (t) => {
      const diagnostics = new Diagnostics();
      const text = fs.readFileSync(path.join(dir!, c.file), 'latin1');
      const { tree, ok } = parseDts(rawSource(path.join(dir!, c.file), text), { host: nodeHost, includeDirs: [dir!], diagnostics });
      if (!ok) return t.skip(`dtkit does not parse it: ${diagnostics.items[0]?.message}`);
      const checks = dtcChecks();
      const { levels } = resolveCheckLevels(c.switches.map((s) => parseCheckSwitch(s)), checks);
      const fired = new Set(runChecks(tree, { checks, options: { levels } }).diagnostics.map((d) => d.rule));
      for (const id of c.fire) assert.equal(fired.has(id), true, `${id} must fire`);
      for (const id of c.silent) assert.equal(fired.has(id), false, `${id} must not fire`);
    });
  }
}
