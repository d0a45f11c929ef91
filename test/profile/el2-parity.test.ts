// A sample of el2-parity.ts (one board per built-in profile) for the default test run,
// and the original proposal's 18 devmem rows on the real lemans-evk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinProfilesDir } from '../../src/profile/builtin.js';
import { cellsOf } from '../../src/tree/value.js';
import { readFdt } from '../../src/fdt/reader.js';
import { skipUnless } from '../support/corpus.js';
import { exampleProfile } from './support.js';
import { checkCase, dtkitComposite, el2Cases } from './el2-parity.js';

const skip = skipUnless({ corpus: true, dtc: true, cpp: true, fdtoverlay: true });

test('built-in profiles reproduce upstream -el2 composites byte for byte (one board per profile)', (t) => {
  if (skip) return t.skip(skip);
  const cases = el2Cases();
  assert.equal(cases.length, 38, 'qcom-composites.txt lists 38 -el2 composites');
  const sample = [...new Map(cases.map((c) => [c.profile, c])).values()];
  assert.deepEqual(sample.map((c) => c.profile).sort(), ['lemans', 'monaco', 'sc7180', 'sc8280xp', 'talos', 'x1']);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-el2-'));
  try {
    for (const c of sample) {
      const o = checkCase(c, tmp);
      assert.deepEqual([o.target, o.builtin, o.viaFdtoverlay, o.recovered, o.detail], [c.target, true, true, true, '']);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("the proposal's 18 devmem rows on remoteproc_adsp of the real lemans-evk validate", (t) => {
  if (skip) return t.skip(skip);
  const lemans = fs.readFileSync(path.join(builtinProfilesDir(), 'lemans.yaml'), 'latin1');
  const example = fs.readFileSync(exampleProfile, 'latin1');
  const rows = example.slice(example.indexOf('    devmem:\n'), example.indexOf('  - label: remoteproc_cdsp0\n'));
  assert.equal(rows.split('\n').filter((l) => l.includes('{ da:')).length, 18);
  const anchor = '    sid: 0x3000\n    mask: 0x0\n';
  assert.ok(lemans.includes(anchor));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-devmem-'));
  const profile = path.join(dir, 'lemans-devmem.yaml');
  fs.writeFileSync(profile, lemans.replace(anchor, anchor + rows));
  try {
    const c = el2Cases().find((x) => x.target === 'lemans-evk-el2')!;
    const r = dtkitComposite(c, profile);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(r.ok, true);
    assert.ok(r.checked.includes('&remoteproc_adsp (/soc@0/remoteproc@30000000): 18 qcom,devmem rows pass qcom_devmem_flags, qcom_devmem_alignment, qcom_devmem_overlap (carveout memory-region[0] (/reserved-memory/pil-adsp@95900000))'), r.checked.join('\n'));
    assert.ok(r.checked.some((l) => l.startsWith('composite passes ')), r.checked.join('\n'));
    const adsp = readFdt(r.applied!, 'composite').tree!.findByPath('/soc@0/remoteproc@30000000')!;
    assert.equal(cellsOf(adsp.getProperty('qcom,devmem')!.value)!.length, 72);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
