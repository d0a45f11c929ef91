// `--from`: the profile recovered from an overlay regenerates the same overlay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { generateOverlay } from '../../src/profile/generate.js';
import { exampleBoard, exampleProfile, runOverlay, tempDir } from './support.js';

function generate(profileFile: string, dir: string) {
  return generateOverlay({ host: nodeHost, profileFile, baseFile: exampleBoard, dtsoName: path.join(dir, 'kvm.dtso') });
}

test('the example overlay -> --from -> the same overlay bytes', () => {
  const dir = tempDir();
  const first = generate(exampleProfile, dir);
  assert.equal(first.ok, true, first.diagnostics.map((d) => d.message).join('\n'));
  const dtbo = path.join(dir, 'kvm.dtbo');
  fs.writeFileSync(dtbo, first.dtbo!);

  const r = runOverlay([exampleBoard], { from: dtbo, name: 'again' });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(1, 11), [
    'name: again',
    'base:',
    '  compatible:',
    '    - qcom,sa8775p',
    'remoteprocs:',
    '  - label: remoteproc_adsp',
    '    compatible: qcom,sa8775p-adsp-pas',
    '    smmu: apps_smmu',
    '    sid: 0x3000',
    '    mask: 0x0',
  ]);
  assert.ok(lines.includes('      - { da: 0x123000, size: 0x1000, flags: [read, write] }'), r.out);
  assert.ok(lines.includes('  - label: iris') && lines.includes('    status: disabled'), r.out);

  const recovered = path.join(dir, 'again.yaml');
  fs.writeFileSync(recovered, r.out);
  const second = generate(recovered, dir);
  assert.equal(second.ok, true, second.diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(Buffer.from(second.dtbo!), Buffer.from(first.dtbo!));
  assert.deepEqual(Buffer.from(second.applied!), Buffer.from(first.applied!));
});

test('--from without a base: a placeholder board compatible, said out loud', () => {
  const dir = tempDir();
  const first = generate(exampleProfile, dir);
  const dtbo = path.join(dir, 'kvm.dtbo');
  fs.writeFileSync(dtbo, first.dtbo!);
  const r = runOverlay([], { from: dtbo });
  assert.equal(r.code, 0);
  assert.ok(r.out.includes('    - "FIXME,soc"  # no base board given'), r.out);
  assert.ok(r.out.includes('  - label: remoteproc_adsp\n    smmu: apps_smmu\n    sid: 0x3000\n'), r.out);
  assert.equal(r.err, `${dtbo}: warning: no base board given: base.compatible is a placeholder and remoteprocs are guessed from their labels; pass the base to fill both in [profile_from]\n`);
});
