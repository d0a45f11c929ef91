// dtkit.config.yaml for the commands with one base input: `apply`, `overlay` and `devmem
// check` read the base's config as validate and compile do (settingsFor), only the keys they
// have flags for; --no-config ignores it, a flag overrides it, a wrong key or value is an
// error at its file:line:col (exit 2) and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dtkit } from '../cli/support.js';
import { tempDir, writeTree } from '../input/support.js';
import { projectRoot } from '../support/corpus.js';
import { exampleDir, exampleProfile } from '../profile/support.js';
import { fixturesDir } from '../qcom/support.js';

/** A JSON report's findings as [rule, level, line, column]. */
const findings = (stdout: string) =>
  (JSON.parse(stdout) as { diagnostics: Array<Record<string, unknown>> }).diagnostics.map((d) => [d.rule, d.level, d.line, d.column]);

const NOT_FOUND = (header: string, line: number, caret: string) =>
  `board.dts:${line}:10: error: '${header}' file not found [preprocessor]\n  #include "${header}"\n           ${caret}\n`;

// ---- apply ------------------------------------------------------------------------------

/** A base that needs inc/val.h and has a dtc-only warning (node@1 without reg), an overlay, a config. */
function applyFixture(config = 'include: [inc]\npreset: kernel\n'): { root: string; apply: (...args: string[]) => ReturnType<typeof dtkit> } {
  const root = tempDir('dtkit-config-apply-');
  writeTree(root, {
    'dtkit.config.yaml': config,
    'inc/val.h': '#define VAL 7\n',
    'board.dts': '/dts-v1/;\n#include "val.h"\n/ {\n\ta: node@1 { val = <VAL>; };\n};\n',
    'el2.dtso': '/dts-v1/;\n/plugin/;\n&a { extra = <1>; };\n',
  });
  return { root, apply: (...args) => dtkit(['apply', '--compile-warnings', ...args, 'board.dts', 'el2.dtso', '-o', 'out.dtb'], { cwd: root }) };
}

test('apply: the config\'s include finds the header and its preset kernel silences unit_address_vs_reg', () => {
  const { root, apply } = applyFixture();
  assert.deepEqual(Object.values(apply()), [0, '', '']);
  assert.ok(fs.existsSync(path.join(root, 'out.dtb')));
});

test('apply: --no-config ignores the file (the header is not found, nothing written)', () => {
  const { root, apply } = applyFixture();
  assert.deepEqual(Object.values(apply('--no-config')), [1, '', NOT_FOUND('val.h', 2, '^~~~~~~')]);
  assert.ok(!fs.existsSync(path.join(root, 'out.dtb')));
});

test('apply: --preset dtc overrides the config\'s preset kernel', () => {
  const { apply } = applyFixture();
  assert.deepEqual(Object.values(apply('--preset', 'dtc')), [0, '',
    'board.dts:4:5: warning: /node@1: node has a unit name, but no reg or ranges property [unit_address_vs_reg]\n  \ta: node@1 { val = <VAL>; };\n  \t   ^~~~~~\n']);
});

test('apply: --config FILE names the config', () => {
  const { root, apply } = applyFixture('include: [nowhere]\n');
  fs.writeFileSync(path.join(root, 'good.yaml'), 'include: [inc]\npreset: kernel\n');
  assert.deepEqual(Object.values(apply('--config', 'good.yaml')), [0, '', '']);
});

test('apply: a wrong rule level in the config is an error at file:line:col, exit 2, nothing written', () => {
  const { root, apply } = applyFixture('include: [inc]\nrules:\n  unit_address_vs_reg: eror\n');
  assert.deepEqual(Object.values(apply()), [2, '',
    "dtkit.config.yaml:3:24: error: 'unit_address_vs_reg' must be off, warning or error [config]\n    unit_address_vs_reg: eror\n                         ^~~~\n"]);
  assert.ok(!fs.existsSync(path.join(root, 'out.dtb')));
});

// ---- overlay ----------------------------------------------------------------------------

/** The example board copied away from its lemans-mini.dtsi, with a config that includes the example's folder. */
function overlayFixture(config = `include: [${exampleDir}]\n`): { root: string; overlay: (...args: string[]) => ReturnType<typeof dtkit> } {
  const root = tempDir('dtkit-config-overlay-');
  writeTree(root, { 'dtkit.config.yaml': config, 'board.dts': fs.readFileSync(path.join(exampleDir, 'board.dts'), 'latin1') });
  return { root, overlay: (...args) => dtkit(['overlay', '--profile', exampleProfile, ...args, 'board.dts', '-o', 'out.dtso'], { cwd: root }) };
}

const REFUSED = NOT_FOUND('lemans-mini.dtsi', 10, '^~~~~~~~~~~~~~~~~~') + 'dtkit: error: refused: 1 error; nothing written\n';

test('overlay: the config\'s include finds the base\'s header', () => {
  const { root, overlay } = overlayFixture();
  const r = overlay();
  assert.deepEqual([r.status, r.stderr], [0, '']);
  assert.match(r.stdout, /^generated out\.dtso from profile 'lemans-kvm-example' for board\.dts\n/);
  assert.ok(fs.existsSync(path.join(root, 'out.dtso')));
});

test('overlay: --no-config ignores the file', () => {
  const { overlay } = overlayFixture();
  assert.deepEqual(Object.values(overlay('--no-config')), [1, '', REFUSED]);
});

test('overlay: -I on the command line replaces the config\'s include list', () => {
  const { overlay } = overlayFixture();
  assert.deepEqual(Object.values(overlay('-I', 'elsewhere')), [1, '', REFUSED]);
});

test('overlay --from: the base\'s config is read too', () => {
  const { root } = overlayFixture();
  const from = (...args: string[]) => dtkit(['overlay', '--from', path.join(projectRoot, 'test/profile/fixtures/lemans-kvm-example.dtso'), ...args, 'board.dts'], { cwd: root });
  const r = from();
  assert.deepEqual([r.status, r.stderr], [0, '']);
  assert.match(r.stdout, /^name: lemans-kvm-example$/m);
  const none = from('--no-config');
  assert.deepEqual([none.status, none.stderr], [1, NOT_FOUND('lemans-mini.dtsi', 10, '^~~~~~~~~~~~~~~~~~')]);
});

test('overlay: a wrong preset in the config is an error at file:line:col, exit 2, nothing written', () => {
  const { root, overlay } = overlayFixture(`include: [${exampleDir}]\npreset: kernal\n`);
  assert.deepEqual(Object.values(overlay()), [2, '',
    "dtkit.config.yaml:2:9: error: 'preset' must be one of dtc, kernel, kernel-w1, dtc-1.6 [config]\n  preset: kernal\n          ^~~~~~\n"]);
  assert.ok(!fs.existsSync(path.join(root, 'out.dtso')));
});

// ---- devmem check -----------------------------------------------------------------------

/** Boards on the qcom fixtures' lemans-pas.dtsi: 4K-aligned rows, iommus without rows, neither; the config includes the fixtures. */
function devmemFixture(config: string): (board: string, ...args: string[]) => [number | null, string, unknown[]] {
  const root = tempDir('dtkit-config-devmem-');
  const pas = '/dts-v1/;\n#include "lemans-pas.dtsi"\n\n&remoteproc_adsp {\n';
  writeTree(root, {
    'dtkit.config.yaml': `include: [${fixturesDir}]\n${config}`,
    'board.dts': `${pas}\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x4000 QCOM_DEVMEM_READ>,\n\t\t      <0x123000 0x123000 0x1000 QCOM_DEVMEM_READ>;\n\tstatus = "okay";\n};\n`,
    'plain.dts': `${pas}\tiommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};\n`,
    'bare.dts': `${pas}\tstatus = "okay";\n};\n`,
  });
  return (board, ...args) => {
    const r = dtkit(['devmem', 'check', '--format', 'json', ...args, board], { cwd: root });
    return [r.status, r.stderr, r.status === 2 ? [] : findings(r.stdout)];
  };
}

const ALIGN = ['qcom_devmem_alignment', 'error'];

test('devmem check: the config\'s iommu-page-size 64K makes 4K-aligned rows misaligned', () => {
  const check = devmemFixture('iommu-page-size: 64K\n');
  assert.deepEqual(check('board.dts'), [1, '', [[...ALIGN, 6, 35], [...ALIGN, 7, 10], [...ALIGN, 7, 19], [...ALIGN, 7, 28]]]);
});

test('devmem check: --page-size 4K overrides the config\'s iommu-page-size', () => {
  const check = devmemFixture('iommu-page-size: 64K\n');
  assert.deepEqual(check('board.dts', '--page-size', '4K'), [0, '', []]);
});

test('devmem check: --no-config ignores the file (no include folder: the header is not found)', () => {
  const check = devmemFixture('iommu-page-size: 64K\n');
  assert.deepEqual(check('board.dts', '--no-config'), [1, '', [['preprocessor', 'error', 2, 10]]]);
});

test('devmem check: the config\'s rules switch qcom_devmem_alignment off', () => {
  const check = devmemFixture('iommu-page-size: 64K\nrules:\n  qcom_devmem_alignment: off\n');
  assert.deepEqual(check('board.dts'), [0, '', []]);
});

test('devmem check: the config\'s require-devmem: true; --no-require-devmem overrides it', () => {
  const check = devmemFixture('require-devmem: true\n');
  assert.deepEqual(check('plain.dts'), [1, '', [['qcom_pas_iommus', 'error', 5, 2]]]);
  assert.deepEqual(check('plain.dts', '--no-require-devmem'), [0, '', []]);
});

test('devmem check: the config\'s host: kvm; --host qhee overrides it', () => {
  const check = devmemFixture('host: kvm\n');
  assert.deepEqual(check('bare.dts'), [1, '', [['qcom_pas_host', 'error', 91, 12]]]);
  assert.deepEqual(check('bare.dts', '--host', 'qhee'), [0, '', []]);
});

test('devmem check: a wrong iommu-page-size in the config is an error at file:line:col, exit 2', () => {
  const check = devmemFixture('iommu-page-size: 3K\n');
  assert.deepEqual(check('board.dts'), [2,
    'dtkit.config.yaml:2:18: error: \'iommu-page-size\' must be a power of two such as 4K, not "3K" [config]\n  iommu-page-size: 3K\n                   ^~\n', []]);
});
