// `dtkit overlay` end to end on the bundled example: what it writes when the profile is
// right, and, for each way a profile can be wrong, the message, where it points, and
// that nothing at all is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { compileFile } from '../../src/compile/compile.js';
import { cellsOf, stringsOf } from '../../src/tree/value.js';
import { projectRoot } from '../support/corpus.js';
import { exampleBoard, exampleProfile, filesIn, runOverlay, tempDir, variantProfile } from './support.js';

function outputs(dir: string) {
  return { output: path.join(dir, 'kvm.dtso'), dtbo: path.join(dir, 'kvm.dtbo'), applied: path.join(dir, 'kvm.dtb') };
}

test('the README command: the example profile on the example board', () => {
  const out = tempDir();
  const r = runOverlay([exampleBoard], { profile: exampleProfile, ...outputs(out) });
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.deepEqual(filesIn(out), ['kvm.dtb', 'kvm.dtbo', 'kvm.dtso']);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^generated .*kvm\.dtso, .*kvm\.dtbo, .*kvm\.dtb from profile 'lemans-kvm-example' for .*board\.dts$/);
  assert.equal(lines[1], '  7 override blocks: &gpu_zap_shader &iris &remoteproc_adsp &remoteproc_cdsp0 &remoteproc_cdsp1 &remoteproc_gpdsp0 &remoteproc_gpdsp1');
  for (const wanted of [
    '  ok  board: root compatible "qcom,lemans-evk", "qcom,qcs9100", "qcom,sa8775p" matches qcom,sa8775p',
    '  ok  base is QHEE-clean: no PAS remoteproc carries iommus or qcom,devmem',
    '  ok  &remoteproc_adsp (/soc@0/remoteproc@30000000): PAS remoteproc "qcom,sa8775p-adsp-pas", stream 0x3000/0x0 on &apps_smmu',
    '  ok  &remoteproc_adsp (/soc@0/remoteproc@30000000): 18 qcom,devmem rows pass qcom_devmem_flags, qcom_devmem_alignment, qcom_devmem_overlap (carveout memory-region[0] (/reserved-memory/pil-adsp@95900000))',
    '  ok  &iris (/soc@0/video-codec@aa00000): status "okay" -> "disabled"',
    '  ok  stream IDs: no collision with other users of the same SMMUs',
  ]) assert.ok(lines.includes(wanted), `missing line: ${wanted}\n${r.out}`);
  assert.ok(lines.some((l) => l.startsWith('  ok  composite passes qcom_devmem_format')), r.out);

  const dtso = fs.readFileSync(path.join(out, 'kvm.dtso'), 'latin1');
  // the whole text, kernel style: checked in as a reviewed golden file
  const golden = fs.readFileSync(path.join(projectRoot, 'test', 'profile', 'fixtures', 'lemans-kvm-example.dtso'), 'latin1');
  assert.equal(dtso, golden.replace('(PROFILE)', `(${exampleProfile})`));
  assert.ok(dtso.includes('/dts-v1/;\n/plugin/;\n\n#include <dt-bindings/iommu/qcom,devmem.h>\n'), dtso);
  assert.ok(dtso.includes(`&remoteproc_adsp {
	iommus = <&apps_smmu 0x3000 0x0>;
	qcom,devmem = <0x110000 0x110000 0x4000 QCOM_DEVMEM_READ>,
		      <0x123000 0x123000 0x1000 (QCOM_DEVMEM_READ | QCOM_DEVMEM_WRITE)>,
`), dtso);
  assert.ok(dtso.includes('\n&remoteproc_gpdsp1 {\n\tiommus = <&apps_smmu 0x38c0 0x0>;\n};\n'), dtso);

  const applied = readFdt(fs.readFileSync(path.join(out, 'kvm.dtb')), 'kvm.dtb').tree!;
  const adsp = applied.findByPath('/soc@0/remoteproc@30000000')!;
  assert.equal(cellsOf(adsp.getProperty('qcom,devmem')!.value)!.length, 18 * 4);
  assert.deepEqual(cellsOf(adsp.getProperty('iommus')!.value)!.slice(1), [0x3000, 0]);
  assert.deepEqual(stringsOf(applied.findByPath('/soc@0/video-codec@aa00000')!.getProperty('status')!.value), ['disabled']);

  const dtbo = readFdt(fs.readFileSync(path.join(out, 'kvm.dtbo')), 'kvm.dtbo').tree!;
  assert.ok(dtbo.root.getChild('__fixups__')?.getProperty('apps_smmu'), 'the .dtbo carries fixups');
});

test('without --dtbo/--applied only the .dtso is written', () => {
  const out = tempDir();
  const r = runOverlay([exampleBoard], { profile: exampleProfile, output: path.join(out, 'x.dtso') });
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(filesIn(out), ['x.dtso']);
});

interface Refusal {
  name: string;
  /** edit of the example profile: [from, to] */
  edit?: [string, string];
  /** a base board other than the example (text of a .dts beside the example's files) */
  board?: string;
  rule: string;
  /** the rendered first line after `file:line:col: error: ` */
  message: string;
  /** `line:col` in the profile, or `board:line:col` for findings in the base */
  at: string;
}

const REFUSALS: Refusal[] = [
  {
    name: 'unknown label', edit: ['  - label: remoteproc_adsp\n', '  - label: remoteproc_adspp\n'],
    rule: 'profile_target', at: '14:12', message: "no node labelled 'remoteproc_adspp' in the base BOARD",
  },
  {
    name: 'wrong compatible', edit: ['    compatible: qcom,sa8775p-adsp-pas\n', '    compatible: qcom,sa8775p-cdsp0-pas\n'],
    rule: 'profile_compatible', at: '15:17', message: '&remoteproc_adsp (/soc@0/remoteproc@30000000) is "qcom,sa8775p-adsp-pas", not "qcom,sa8775p-cdsp0-pas"',
  },
  {
    name: 'not a PAS remoteproc', edit: ['  - label: remoteproc_gpdsp1\n    compatible: qcom,sa8775p-gpdsp1-pas\n', '  - label: iris\n'],
    rule: 'profile_not_pas', at: '52:12', message: '&iris (/soc@0/video-codec@aa00000) is not a PAS remoteproc (compatible "qcom,sa8775p-iris", "qcom,sm8550-iris"); iommus and qcom,devmem belong on qcom,*-pas nodes',
  },
  {
    name: 'unknown SMMU', edit: ['    compatible: qcom,sa8775p-gpdsp1-pas\n    smmu: apps_smmu\n', '    compatible: qcom,sa8775p-gpdsp1-pas\n    smmu: apps_smmmu\n'],
    rule: 'profile_smmu', at: '54:11', message: "no node labelled 'apps_smmmu' in the base BOARD",
  },
  {
    name: 'SID collision', edit: ['    sid: 0x3000\n', '    sid: 0x3003\n'],
    rule: 'qcom_sid_conflict', at: '17:10',
    message: '/soc@0/remoteproc@30000000:iommus: stream 0x3003/0x0 collides with /soc@0/remoteproc@30000000/glink-edge/fastrpc/compute-cb@3 (0x3003/0x0) on /soc@0/iommu@15000000 (&apps_smmu): a PAS remote processor needs a stream of its own',
  },
  {
    name: 'misaligned devmem size', edit: ['{ da: 0x12e000, size: 4K,', '{ da: 0x12e000, size: 2K,'],
    rule: 'qcom_devmem_alignment', at: '25:31', message: '&remoteproc_adsp (/soc@0/remoteproc@30000000): devmem row 5: size 0x800 is not a multiple of the 4 KiB IOMMU page (off by 0x800)',
  },
  {
    name: 'overlapping devmem rows', edit: ['{ da: 0x127000, size: 8K,', '{ da: 0x127000, size: 16K,'],
    rule: 'qcom_devmem_overlap', at: '24:15', message: '&remoteproc_adsp (/soc@0/remoteproc@30000000): devmem row 4: device addresses 0x12a000-0x12cfff overlap row 3 (0x127000-0x12afff)',
  },
  {
    name: 'devmem row over the firmware carveout', edit: ['{ da: 0x184000, size: 4K, flags: [read] }', '{ da: 0x95900000, size: 4K, flags: [read] }'],
    rule: 'qcom_devmem_overlap', at: '37:15', message: '&remoteproc_adsp (/soc@0/remoteproc@30000000): devmem row 17: device addresses 0x95900000-0x95900fff overlap the carveout memory-region[0] (/reserved-memory/pil-adsp@95900000), mapped at IOVA 0x95900000-0x976fffff',
  },
  {
    name: 'wrong board', edit: ['    - qcom,sa8775p\n', '    - qcom,sm8550\n'],
    rule: 'profile_board', at: '12:7', message: 'profile \'lemans-kvm-example\' is for boards compatible with "qcom,sm8550"; the base BOARD is "qcom,lemans-evk", "qcom,qcs9100", "qcom,sa8775p"',
  },
  {
    name: 'schema error', edit: ['    sid: 0x38c0\n', '    sid: 0x138c0\n'],
    rule: 'profile_schema', at: '55:10', message: "'sid' must be a 16-bit stream ID (0 .. 0xffff)",
  },
  {
    name: 'YAML syntax error', edit: ['  - label: iris\n', '  - label: iris\n   oops\n'],
    rule: 'profile_yaml', at: '61:4', message: 'bad indentation of a sequence entry',
  },
  {
    name: 'deleting a property', edit: ['    comment: "TODO: video-firmware iommus to start the codec from EL2."\n', '    delete: [iommus]\n'],
    rule: 'profile_delete_unsupported', at: '61:14', message: "&iris (/soc@0/video-codec@aa00000): cannot delete 'iommus' with an overlay: fdtoverlay only adds and replaces properties (dtc drops /delete-property/ from plugins)",
  },
  {
    name: 'reference to a label the base lacks', edit: ['    comment: "TODO: video-firmware iommus to start the codec from EL2."\n', '    set:\n      iommus: ["&apps_smu", 0x880, 0x400]\n'],
    rule: 'profile_ref', at: '62:16', message: '&iris (/soc@0/video-codec@aa00000): &apps_smu is not a label of the base BOARD',
  },
  {
    name: 'base not QHEE-clean',
    board: '#include "board.dts"\n\n&remoteproc_cdsp1 {\n\tiommus = <&apps_smmu 0x29c0 0x400>;\n};\n',
    rule: 'profile_base_not_qhee_clean', at: 'board:4:2',
    message: '/soc@0/remoteproc@2a300000:iommus: base is not QHEE-clean: iommus on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add iommus only in the KVM (EL2) overlay',
  },
];

for (const c of REFUSALS) {
  test(`refused, nothing written: ${c.name}`, () => {
    const fixtures = tempDir();
    const out = tempDir();
    const profile = c.edit ? variantProfile(fixtures, c.edit[0], c.edit[1]) : exampleProfile;
    let board = exampleBoard;
    if (c.board) {
      // beside the example's files, so its #include resolves
      board = path.join(path.dirname(exampleBoard), `.test-${process.pid}-board.dts`);
      fs.writeFileSync(board, c.board);
    }
    try {
      const r = runOverlay([board], { profile, ...outputs(out) });
      assert.equal(r.code, 1, r.out);
      assert.deepEqual(filesIn(out), [], 'nothing may be written');
      const where = c.at.startsWith('board:') ? `${board}:${c.at.slice(6)}` : `${profile}:${c.at}`;
      const first = `${where}: error: ${c.message.replace(/BOARD/g, board)} [${c.rule}]`;
      assert.ok(r.err.split('\n').includes(first), `expected line:\n${first}\ngot:\n${r.err}`);
      assert.match(r.err, /dtkit: error: refused: \d+ errors?; nothing written\n$/);
    } finally {
      if (c.board) fs.rmSync(board, { force: true });
    }
  });
}

test('refused, nothing written: a base DTB without __symbols__', () => {
  const dir = tempDir();
  const out = tempDir();
  const compiled = compileFile(exampleBoard, { symbols: false });
  assert.ok(compiled.tree, 'the example board compiles');
  const dtb = path.join(dir, 'board.dtb');
  fs.writeFileSync(dtb, writeFdt(compiled.tree));
  const r = runOverlay([dtb], { profile: exampleProfile, ...outputs(out) });
  assert.equal(r.code, 1);
  assert.deepEqual(filesIn(out), []);
  assert.ok(r.err.startsWith(`${dtb}: error: the base ${dtb} has no __symbols__ node: compile it with symbols (dtc -@) so the overlay's labels resolve [profile_symbols]`), r.err);
});

test('usage errors exit 2', () => {
  assert.equal(runOverlay([exampleBoard], { output: '/tmp/x.dtso' }).code, 2);
  assert.equal(runOverlay([], { profile: exampleProfile, output: '/tmp/x.dtso' }).code, 2);
  assert.equal(runOverlay([exampleBoard], { profile: exampleProfile }).code, 2);
  const r = runOverlay([exampleBoard], { profile: 'nosuch', output: '/tmp/x.dtso' });
  assert.equal(r.code, 2);
  assert.equal(r.err, "dtkit: error: no built-in profile 'nosuch' (built-in: lemans, monaco, sc7180, sc8280xp, talos, x1)\n");
});

test('--list-profiles names every built-in with its boards', () => {
  const r = runOverlay([], { listProfiles: true });
  assert.equal(r.code, 0);
  assert.equal(r.out, [
    'lemans    qcom,sa8775p  (5 remoteprocs, 2 edits)',
    'monaco    qcom,qcs8300  (3 remoteprocs, 2 edits)',
    'sc7180    qcom,sc7180  (0 remoteprocs, 2 edits)',
    'sc8280xp  qcom,sc8280xp  (0 remoteprocs, 7 edits)',
    'talos     qcom,qcs615  (2 remoteprocs, 2 edits)',
    'x1        qcom,x1e80100, qcom,x1p42100  (2 remoteprocs, 9 edits)',
    '',
  ].join('\n'));
});
