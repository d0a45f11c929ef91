// How profile entries name base nodes: label, path, compatible; and how the overlay then
// refers to them (`&label`, or `&{/path}` for a node without one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { generateOverlay } from '../../src/profile/generate.js';
import { readFdt } from '../../src/fdt/reader.js';
import { stringsOf } from '../../src/tree/value.js';
import { exampleBoard, tempDir } from './support.js';

function generate(profileText: string) {
  const dir = tempDir();
  const profileFile = path.join(dir, 'p.yaml');
  fs.writeFileSync(profileFile, profileText);
  return { profileFile, r: generateOverlay({ host: nodeHost, profileFile, baseFile: exampleBoard, dtsoName: path.join(dir, 'x.dtso') }) };
}

const HEAD = 'base:\n  compatible:\n    - "qcom,sa8775p"\n';

test('a remoteproc found by compatible is written as &label', () => {
  const { r } = generate(`${HEAD}remoteprocs:\n  - compatible: qcom,sa8775p-cdsp1-pas\n    smmu: apps_smmu\n    sid: 0x29c0\n    mask: 0x400\n`);
  assert.equal(r.ok, true, r.diagnostics.map((d) => d.message).join('\n'));
  assert.ok(r.dtso!.includes('\n&remoteproc_cdsp1 {\n\tiommus = <&apps_smmu 0x29c0 0x400>;\n};\n'), r.dtso);
});

test('a node without a label is written as &{/path} and applies', () => {
  const { r } = generate(`${HEAD}edits:\n  - path: /soc@0/remoteproc@30000000/glink-edge\n    set:\n      label: "lpass-kvm"\n`);
  assert.equal(r.ok, true, r.diagnostics.map((d) => d.message).join('\n'));
  assert.ok(r.dtso!.includes('\n&{/soc@0/remoteproc@30000000/glink-edge} {\n\tlabel = "lpass-kvm";\n};\n'), r.dtso);
  const applied = readFdt(r.applied!, 'x.dtb').tree!;
  assert.deepEqual(stringsOf(applied.findByPath('/soc@0/remoteproc@30000000/glink-edge')!.getProperty('label')!.value), ['lpass-kvm']);
});

test('an added child node with its own iommus, and a remoteproc edited twice merges into one block', () => {
  const { r } = generate(`${HEAD}remoteprocs:
  - label: remoteproc_gpdsp0
    smmu: apps_smmu
    sid: 0x38a0
edits:
  - label: remoteproc_gpdsp0
    set:
      qcom,example: [1, 2]
  - label: iris
    children:
      - name: video-firmware
        set:
          iommus: ["&apps_smmu", 0x0882, 0x0]
`);
  assert.equal(r.ok, true, r.diagnostics.map((d) => d.message).join('\n'));
  assert.ok(r.dtso!.includes('\n&iris {\n\tvideo-firmware {\n\t\tiommus = <&apps_smmu 0x0882 0x0>;\n\t};\n};\n'), r.dtso);
  assert.ok(r.dtso!.includes('\n&remoteproc_gpdsp0 {\n\tiommus = <&apps_smmu 0x38a0 0x0>;\n\tqcom,example = <1 2>;\n};\n'), r.dtso);
  assert.ok(r.checked.includes('&iris (/soc@0/video-codec@aa00000)/video-firmware: new child node'), r.checked.join('\n'));
});

test('an ambiguous compatible is refused with the candidates', () => {
  const { profileFile, r } = generate(`${HEAD}edits:\n  - compatible: qcom,fastrpc-compute-cb\n    status: disabled\n`);
  assert.equal(r.ok, false);
  const d = r.diagnostics[0];
  assert.deepEqual([d.rule, d.span?.file, d.span?.line, d.span?.column], ['profile_target', profileFile, 5, 17]);
  assert.equal(d.message, 'compatible "qcom,fastrpc-compute-cb" matches 10 nodes in the base; name the node by label or path');
  assert.equal(d.notes?.[0].message, 'candidate: /soc@0/remoteproc@20c00000/glink-edge/fastrpc/compute-cb@1');
});

test('the same property set twice on one node is refused at the second', () => {
  const { r } = generate(`${HEAD}edits:\n  - label: iris\n    status: disabled\n  - label: iris\n    status: okay\n`);
  assert.equal(r.ok, false);
  const d = r.diagnostics[0];
  assert.deepEqual([d.rule, d.message, d.span?.line, d.notes?.[0].span?.line], ['profile_duplicate', "&iris (/soc@0/video-codec@aa00000) sets 'status' twice", 8, 6]);
});

test('a mask for a one-cell SMMU is refused', () => {
  // the example's SMMUs have two cells; a one-cell one comes from a small board variant
  const dir = tempDir();
  const board = path.join(path.dirname(exampleBoard), `.test-${process.pid}-onecell.dts`);
  fs.writeFileSync(board, '#include "board.dts"\n\n&apps_smmu {\n\t#iommu-cells = <1>;\n};\n');
  try {
    const profileFile = path.join(dir, 'p.yaml');
    fs.writeFileSync(profileFile, `${HEAD}remoteprocs:\n  - label: remoteproc_gpdsp0\n    smmu: apps_smmu\n    sid: 0x38a0\n    mask: 0x0\n`);
    const r = generateOverlay({ host: nodeHost, profileFile, baseFile: board, dtsoName: path.join(dir, 'x.dtso') });
    assert.equal(r.ok, false);
    const d = r.diagnostics.find((x) => x.rule === 'profile_smmu');
    assert.equal(d?.message, '&apps_smmu has #iommu-cells = <1>: its specifier is the stream ID alone, so \'mask\' cannot be given');
    assert.deepEqual([d?.span?.line, d?.span?.column], [8, 11]);
  } finally {
    fs.rmSync(board, { force: true });
  }
});
