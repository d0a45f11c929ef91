// A profile's free text cannot become device-tree source: a comment containing `*/` or a
// string containing quotes and newlines ends up inert in the .dtso, so the .dtbo and the
// applied DTB are exactly what they are without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import type { Tree } from '../../src/tree/model.js';
import { exampleBoard, runOverlay, tempDir, variantProfile } from './support.js';

const IRIS_COMMENT = '    comment: "TODO: video-firmware iommus to start the codec from EL2."\n';

function generate(comment: string): { dtso: string; dtbo: Buffer; applied: Buffer } {
  const dir = tempDir();
  const profile = variantProfile(dir, IRIS_COMMENT, comment);
  const out = { output: path.join(dir, 'kvm.dtso'), dtbo: path.join(dir, 'kvm.dtbo'), applied: path.join(dir, 'kvm.dtb') };
  const r = runOverlay([exampleBoard], { profile, ...out });
  assert.equal(r.code, 0, r.err);
  return { dtso: fs.readFileSync(out.output, 'latin1'), dtbo: fs.readFileSync(out.dtbo), applied: fs.readFileSync(out.applied) };
}

function propertyNames(tree: Tree): string[] {
  const names: string[] = [];
  for (const n of tree.walk()) for (const p of n.props) names.push(p.name);
  return names;
}

test('a comment that closes itself with */ does not add device-tree source', () => {
  const benign = generate('    comment: "harmless"\n');
  const attack = generate('    comment: "*/ &gpu_zap_shader { evil = <1>; }; /*"\n');
  assert.match(attack.dtso, /\/\* \* \/ &gpu_zap_shader \{ evil = <1>; \}; \/\* \*\//);
  assert.deepEqual(attack.applied, benign.applied);
  assert.deepEqual(attack.dtbo, benign.dtbo);
  assert.ok(!propertyNames(readFdt(attack.applied, 'kvm.dtb').tree!).includes('evil'));
});

test('a comment over several lines with */ on one of them stays one comment', () => {
  const benign = generate('    comment: "harmless"\n');
  const attack = generate('    comment: "first line\\n*/\\n#include \\"/etc/passwd\\"\\n&iris { evil; };\\n/*"\n');
  assert.deepEqual(attack.applied, benign.applied);
});

test('a string value with a quote and a newline is one escaped DTS string', () => {
  const value = 'a"; evil = <1>; x = "b\n#define QCOM_DEVMEM_READ 0x20\nc\\';
  const yaml = JSON.stringify(value);
  const r = generate(`${IRIS_COMMENT.replace(/comment: .*/, 'comment: ok')}    set: { label: ${yaml} }\n`);
  assert.ok(r.dtso.includes('label = "a\\"; evil = <1>; x = \\"b\\n#define QCOM_DEVMEM_READ 0x20\\nc\\\\";'), r.dtso);
  const applied = readFdt(r.applied, 'kvm.dtb').tree!;
  const iris = applied.findByPath('/soc@0/video-codec@aa00000')!;
  assert.equal(Buffer.from(iris.getProperty('label')!.value.bytes).toString('latin1'), `${value}\0`);
  assert.ok(!propertyNames(applied).includes('evil'));
});
