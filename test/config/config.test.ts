// dtkit.config.yaml (src/config): found like eslint's and prettier's, checked by its JSON
// schema with every wrong key or value an error at its line:col, paths relative to the file,
// and the command line's flags over the file's keys; on the corpus, a config file gives the
// same findings as the flags it stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConfigFile } from '../../src/config/find.js';
import { parseConfig } from '../../src/config/load.js';
import { createConfigContext, settingsFor } from '../../src/config/settings.js';
import { nodeHost } from '../../src/host.js';
import { linuxDtDir, corpusDir, skipUnless } from '../support/corpus.js';
import { dtkit } from '../cli/support.js';
import { inFolder, tempDir, writeTree } from '../input/support.js';

const errorsOf = (text: string) => parseConfig(text, 'cfg/dtkit.config.yaml').diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.rule}: ${d.message}`);

test('a full config: every key, paths resolved against the file', () => {
  const r = parseConfig(`preset: kernel
include: [include, ../shared/headers, /abs/inc]
schemas:
  - bindings
host: kvm
overlays: [el2.dtso]
rules:
  unit_address_vs_reg: warning
  qcom_pas_host: off
iommu-page-size: 64K
require-devmem: true
`, 'cfg/dtkit.config.yaml');
  assert.deepEqual(r.diagnostics, []);
  const c = r.config!;
  assert.equal(c.preset?.name, 'kernel');
  assert.deepEqual([c.preset?.span.line, c.preset?.span.column], [1, 9]);
  assert.deepEqual(c.include, ['cfg/include', 'shared/headers', '/abs/inc']);
  assert.deepEqual(c.schemas, ['cfg/bindings']);
  assert.deepEqual(c.overlays, ['cfg/el2.dtso']);
  assert.equal(c.host, 'kvm');
  assert.deepEqual(c.rules.map((s) => [s.id, s.level, s.span?.line, s.span?.column]), [['unit_address_vs_reg', 'warning', 8, 3], ['qcom_pas_host', 'off', 9, 3]]);
  assert.equal(c.iommuPageSize, 65536);
  assert.equal(c.requireDevmem, true);
  // an empty file is an empty config
  assert.deepEqual(parseConfig('# nothing yet\n', 'dtkit.config.yaml'), { config: { file: 'dtkit.config.yaml', preset: undefined, include: undefined, schemas: undefined, overlays: undefined, host: undefined, rules: [], iommuPageSize: undefined, requireDevmem: undefined }, diagnostics: [] });
});

test('a wrong key or value is an error at its line:col, never ignored', () => {
  assert.deepEqual(errorsOf('preset: kernel\npresets: dtc\n'), [
    "2:1 config: unknown key 'presets' (expected one of: preset, include, schemas, host, overlays, rules, iommu-page-size, require-devmem)",
  ]);
  assert.deepEqual(errorsOf('host: xen\n'), ["1:7 config: 'host' must be qhee or kvm"]);
  assert.deepEqual(errorsOf('preset: kernal\n'), ["1:9 config: 'preset' must be one of dtc, kernel, kernel-w1, dtc-1.6"]);
  assert.deepEqual(errorsOf('rules:\n  schema: loud\n'), ["2:11 config: 'schema' must be off, warning or error"]);
  assert.deepEqual(errorsOf('include: headers\n'), ["1:10 config: 'include' must be array"]);
  assert.deepEqual(errorsOf('include: ["", inc]\n'), ["1:11 config: 'include' item 0 must be a folder path (relative to the config file)"]);
  assert.deepEqual(errorsOf('require-devmem: yes\n'), ["1:17 config: 'require-devmem' must be true or false"]);
  assert.deepEqual(errorsOf('iommu-page-size: 3K\n'), ["1:18 config: 'iommu-page-size' must be a power of two such as 4K, not \"3K\""]);
  assert.deepEqual(errorsOf('- preset\n'), ['1:1 config: config must be object']);
  assert.deepEqual(errorsOf('preset: [dtc\n'), ['2:1 config: unexpected end of the stream within a flow collection']);
});

test('found by walking up from the input, then from the current folder; named as the input is', () => {
  const root = tempDir('dtkit-config-');
  writeTree(root, { 'dtkit.config.yaml': '', 'a/b/board.dts': '', 'a/dtkit.config.yaml': '', 'c/board.dts': '', 'cwd/x/': '' });
  const probe = nodeHost;
  assert.equal(findConfigFile(path.join(root, 'a/b/board.dts'), probe, root), path.join(root, 'a/dtkit.config.yaml'));
  inFolder(root, () => {
    assert.equal(findConfigFile('a/b/board.dts', probe), 'a/dtkit.config.yaml');
    assert.equal(findConfigFile('c/board.dts', probe), 'dtkit.config.yaml');
  });
  // an input outside any config's folders: the current folder's (walking up from it)
  const outside = tempDir('dtkit-noconfig-');
  fs.writeFileSync(path.join(outside, 'lone.dts'), '');
  assert.equal(findConfigFile(path.join(outside, 'lone.dts'), probe, path.join(root, 'a/b')), path.join(root, 'a/dtkit.config.yaml'));
  inFolder(path.join(root, 'cwd/x'), () => assert.equal(findConfigFile('-', probe), '../../dtkit.config.yaml'));
  assert.equal(findConfigFile(path.join(outside, 'lone.dts'), probe, outside), undefined);
});

test('the flags override the file key by key; rules come before -W/-E; located rule problems', () => {
  const root = tempDir('dtkit-config-');
  inFolder(root, () => flagsOverFile(root));
});

function flagsOverFile(root: string): void {
  writeTree(root, {
    'dtkit.config.yaml': 'preset: kernel\ninclude: [inc]\nhost: kvm\nrules:\n  unit_address_vs_reg: error\n  qcom_sid_conflict: warning\n',
    'bad/dtkit.config.yaml': 'rules:\n  graph_child_address: off\n  nonsense: warning\n  syntax: off\n',
    'board.dts': '', 'bad/board.dts': '',
  });
  const ctx = createConfigContext(nodeHost, root);
  const file = settingsFor('board.dts', {}, ctx);
  assert.equal(file.configFile, 'dtkit.config.yaml');
  assert.equal(file.preset.name, 'kernel');
  assert.deepEqual(file.includeDirs, ['inc']);
  assert.equal(file.host, 'kvm');
  assert.equal(file.levels.all.get('unit_address_vs_reg'), 'error');
  assert.equal(file.levels.all.get('unique_unit_address'), 'off');
  // the kernel preset runs no vendor rows; the config switched one back on
  assert.equal(file.levels.checks.get('qcom_pas_host'), 'off');
  assert.equal(file.levels.checks.get('qcom_sid_conflict'), 'warning');

  const flags = settingsFor('board.dts', { preset: 'dtc', include: ['mine'], host: 'qhee', warnings: ['no-unit_address_vs_reg'] }, createConfigContext(nodeHost, root));
  assert.deepEqual([flags.preset.name, flags.includeDirs, flags.host], ['dtc', ['mine'], 'qhee']);
  assert.equal(flags.levels.all.get('unit_address_vs_reg'), 'error', '-W no- lowers the warning flag; the config raised the error flag, which stays (dtc semantics)');
  assert.equal(settingsFor('board.dts', { errors: ['no-unit_address_vs_reg'], warnings: ['no-unit_address_vs_reg'] }, createConfigContext(nodeHost, root)).levels.all.get('unit_address_vs_reg'), 'off');

  const none = settingsFor('board.dts', { config: false }, createConfigContext(nodeHost, root));
  assert.deepEqual([none.configFile, none.preset.name, none.includeDirs, none.levels.all.size], [undefined, 'dtc', [], 0]);
  const named = settingsFor('board.dts', { config: 'bad/dtkit.config.yaml' }, createConfigContext(nodeHost, root));
  assert.equal(named.configFile, 'bad/dtkit.config.yaml');

  const bad = settingsFor('bad/board.dts', {}, createConfigContext(nodeHost, root));
  assert.deepEqual(bad.diagnostics.map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column}: ${d.message}`), [
    "bad/dtkit.config.yaml:2:3: rules: check 'graph_child_address' is not in dtc 1.8.1's table (preset 'dtc'); it is in dtc 1.6.1's",
    'bad/dtkit.config.yaml:3:3: rules: Unrecognized check name "nonsense"',
    "bad/dtkit.config.yaml:4:3: rules: rule 'syntax' cannot be switched: its errors stop the input from loading",
  ]);
  // the same id is fine with the preset whose table has it
  assert.deepEqual(settingsFor('bad/board.dts', { preset: 'dtc-1.6' }, createConfigContext(nodeHost, root)).diagnostics.length, 2);
  assert.deepEqual(settingsFor('board.dts', { preset: 'kernal', iommuPageSize: '5K' }, createConfigContext(nodeHost, root)).problems, [
    "unknown preset 'kernal' (did you mean 'kernel'? --list-presets lists them)",
    "--iommu-page-size must be a power of two such as 4K, not '5K'",
  ]);
}

test('CLI: a config error is printed at file:line:col and stops the run (exit 2); --no-config ignores the file', () => {
  const root = tempDir('dtkit-config-');
  writeTree(root, { 'dtkit.config.yaml': 'preset: kernel\nhosts: kvm\n', 'board.dts': '/dts-v1/;\n/ { node@1 { }; };\n' });
  const r = dtkit(['compile', 'board.dts', '-o', 'board.dtb'], { cwd: root });
  assert.deepEqual([r.status, r.stderr], [2, "dtkit.config.yaml:2:1: error: unknown key 'hosts' (expected one of: preset, include, schemas, host, overlays, rules, iommu-page-size, require-devmem) [config]\n  hosts: kvm\n  ^~~~~\n"]);
  assert.ok(!fs.existsSync(path.join(root, 'board.dtb')));
  const v = dtkit(['validate', '--no-cache', 'board.dts'], { cwd: root });
  assert.equal(v.status, 2);
  assert.equal(v.stdout, '');
  const ignored = dtkit(['compile', '--no-config', 'board.dts', '-o', 'board.dtb'], { cwd: root });
  assert.deepEqual([ignored.status, ignored.stderr], [0, 'board.dts:2:5: warning: /node@1: node has a unit name, but no reg or ranges property [unit_address_vs_reg]\n  / { node@1 { }; };\n      ^~~~~~\n']);
  const missing = dtkit(['compile', '--config', 'nope.yaml', 'board.dts', '-o', 'board.dtb'], { cwd: root });
  assert.deepEqual([missing.status, missing.stderr], [2, "nope.yaml: error: cannot read the config file 'nope.yaml' [config]\n"]);
  // a good config: its preset is the flag's (the kernel's build switches unit_address_vs_reg off)
  fs.writeFileSync(path.join(root, 'dtkit.config.yaml'), 'preset: kernel\n');
  const kernel = dtkit(['compile', 'board.dts', '-o', 'board.dtb'], { cwd: root });
  assert.deepEqual([kernel.status, kernel.stderr], [0, '']);
  const flagWins = dtkit(['compile', '--preset', 'dtc', 'board.dts', '-o', 'board.dtb'], { cwd: root });
  assert.match(flagWins.stderr, /\[unit_address_vs_reg\]/);
});

test('corpus: a config file above a board gives the findings of the flags it stands for', (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const root = tempDir('dtkit-config-corpus-');
  fs.symlinkSync(path.join(linux, 'src/arm64/qcom'), path.join(root, 'qcom'));
  const core = path.join(corpusDir()!, 'dt-schema/dtschema/schemas');
  const cache = tempDir('dtkit-cache-');
  fs.writeFileSync(path.join(root, 'dtkit.config.yaml'), `# the kernel build's settings for these boards
preset: kernel
include: [${['include', 'src/arm64', 'src', 'src/arm64/qcom'].map((d) => path.join(linux, d)).join(', ')}]
schemas: [${path.join(linux, 'Bindings')}]
rules:
  schema-unmatched: error
`);
  const boards = ['qcom/msm8996-xiaomi-gemini.dts', 'qcom/sm6125-sony-xperia-seine-pdx201.dts'];
  const common = ['validate', '--format', 'json', '--cache-dir', cache, '--core-schemas', core, '-j', '1'];
  const withConfig = dtkit([...common, ...boards], { cwd: root });
  const spelled = dtkit([...common, '--no-config', '--preset', 'kernel', '-E', 'schema-unmatched',
    ...['include', 'src/arm64', 'src', 'src/arm64/qcom'].flatMap((d) => ['-I', path.join(linux, d)]), '--schemas', path.join(linux, 'Bindings'), ...boards], { cwd: root });
  const keys = (out: string) => (JSON.parse(out) as { diagnostics: Array<Record<string, unknown>> }).diagnostics.map((d) => JSON.stringify([d.rule, d.level, d.file, d.line, d.node, d.message]));
  assert.ok(keys(withConfig.stdout).length > 3, withConfig.stderr);
  assert.deepEqual(keys(withConfig.stdout), keys(spelled.stdout));
  assert.equal(withConfig.status, spelled.status);
  // nothing the kernel build switches off, no vendor rows
  assert.ok(!keys(withConfig.stdout).some((k) => /unique_unit_address"|unit_address_vs_reg"|avoid_unnecessary_addr_size"|qcom_/.test(k)));
});
