// Profile loading: YAML spans, schema errors at the offending key or value, and the typed
// profile (numbers keep the text they were written as, sizes and flags are decoded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile } from '../../src/profile/load.js';
import { loadYaml } from '../../src/yaml/source.js';

const GOOD = `name: lemans
base:
  compatible:
    - qcom,sa8775p
remoteprocs:
  - label: remoteproc_adsp
    smmu: apps_smmu
    sid: 0x3000
    mask: 0x0400
    devmem:
      - { da: 0x110000, size: 16K, flags: [read, write] }
      - { da: 0x120000, pa: 0x920000, size: 0x1000, flags: [read] }
edits:
  - label: pcie3
    set:
      iommu-map: [0, "&pcie_smmu", 0x30000, 0x10000]
      compatible: ["a,b", "c,d"]
      dma-coherent: true
  - path: /soc@0/venus@aa00000
    children:
      - name: video-firmware
        set:
          iommus: ["&apps_smmu", 0x0c42, 0x0]
`;

function errors(text: string): string[] {
  const r = parseProfile(text, 'p.yaml');
  assert.equal(r.profile, undefined, 'expected the profile to be refused');
  return r.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.rule}: ${d.message}`);
}

test('yaml spans: values, keys and flow mappings inside block sequences', () => {
  const y = loadYaml(GOOD, 'p.yaml', 'profile_yaml');
  const at = (p: string) => { const s = y.spans.value(p); return `${s.line}:${s.column}`; };
  assert.equal(at('/remoteprocs/0/sid'), '8:10');
  assert.equal(y.spans.raw('/remoteprocs/0/mask'), '0x0400');
  assert.equal(at('/remoteprocs/0/devmem/1/pa'), '12:29');
  assert.equal(at('/edits/0/set/iommu-map/1'), '16:22');
  const key = y.spans.key('/remoteprocs/0/mask');
  assert.deepEqual([key.line, key.column, key.length], [9, 5, 4]);
});

test('a good profile loads with hex text kept, sizes and flags decoded', () => {
  const r = parseProfile(GOOD, 'p.yaml');
  assert.deepEqual(r.diagnostics, []);
  const p = r.profile!;
  assert.equal(p.name, 'lemans');
  assert.deepEqual(p.baseCompatible.map((c) => c.value), ['qcom,sa8775p']);
  const rp = p.remoteprocs[0];
  assert.deepEqual(rp.target, { kind: 'label', label: 'remoteproc_adsp', span: rp.target.span });
  assert.equal(rp.mask?.text, '0x0400');
  assert.equal(rp.devmem[0].size.value, 0x4000);
  assert.equal(rp.devmem[0].pa.value, 0x110000, 'pa defaults to da');
  assert.equal(rp.devmem[0].flagBits, 0x3);
  assert.equal(rp.devmem[1].pa.value, 0x920000);
  const set = p.edits[0].set;
  assert.deepEqual(set.map((s) => s.value.kind), ['cells', 'strings', 'empty']);
  const cells = set[0].value.kind === 'cells' ? set[0].value.groups[0] : [];
  assert.deepEqual(cells.map((c) => (c.kind === 'ref' ? `&${c.ref}` : c.num.text)), ['0', '&pcie_smmu', '0x30000', '0x10000']);
  assert.equal(p.edits[1].target.kind, 'path');
  assert.equal(p.edits[1].children[0].name.value, 'video-firmware');
});

test('unknown key: reported at the key, with the keys that are allowed', () => {
  assert.deepEqual(errors(GOOD.replace('    mask: 0x0400\n', '    mask: 0x0400\n    sidd: 3\n')), [
    "10:5 profile_schema: unknown key 'sidd' (expected one of: label, path, compatible, comment, smmu, sid, mask, devmem)",
  ]);
});

test('missing key: reported at the entry', () => {
  assert.deepEqual(errors(GOOD.replace('    smmu: apps_smmu\n', '')), [
    "6:5 profile_schema: 'remoteprocs' item 0 is missing required key 'smmu'",
  ]);
});

test('bad size and unknown flag: reported at the value', () => {
  assert.deepEqual(errors(GOOD.replace('size: 16K', 'size: 16Q').replace('[read, write]', '[read, wrte]')), [
    "11:31 profile_schema: 'size' must be a size: a number, or a number with K, M or G (4K, 0x10K, 2M)",
    "11:50 profile_schema: 'flags' item 1 must be one of read, write, cache, noexec, mmio",
  ]);
});

test('stream ID past 16 bits', () => {
  assert.deepEqual(errors(GOOD.replace('sid: 0x3000', 'sid: 0x13000')), [
    "8:10 profile_schema: 'sid' must be a 16-bit stream ID (0 .. 0xffff)",
  ]);
});

test('a bare comma in a flow list splits a compatible: the hint says so', () => {
  const text = GOOD.replace('  compatible:\n    - qcom,sa8775p\n', '  compatible: [qcom,sa8775p]\n');
  assert.deepEqual(errors(text), [
    '3:16 profile_schema: \'compatible\' item 0 must be a compatible string "vendor,device" (quote it inside [ ... ]: a bare comma splits flow lists)',
    '3:21 profile_schema: \'compatible\' item 1 must be a compatible string "vendor,device" (quote it inside [ ... ]: a bare comma splits flow lists)',
  ]);
});

test('a property value of the wrong shape: one message, not one per anyOf branch', () => {
  assert.deepEqual(errors(GOOD.replace('dma-coherent: true', 'dma-coherent: [1, "x"]')), [
    '18:21 profile_schema: \'dma-coherent\' must be a string, a list of strings, true (an empty property), a list of cells (numbers and "&label"s) or a list of such lists',
  ]);
});

test('an entry that names no node', () => {
  assert.deepEqual(errors(GOOD.replace('  - label: pcie3\n', '  - comment: x\n')), [
    "14:5 profile_schema: 'edits' item 0 needs label, path or compatible to say which node it edits",
  ]);
});

test('YAML syntax error: at the line and column js-yaml stops', () => {
  assert.deepEqual(errors('base:\n  compatible:\n  - "qcom,x"\n    name: y\n'), [
    '4:5 profile_yaml: bad indentation of a sequence entry',
  ]);
});

test('empty profile', () => {
  assert.deepEqual(errors(''), ['1:1 profile_schema: profile is empty']);
});
