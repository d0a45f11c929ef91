// --preset on the command line (§2 of issue 11): `dtkit validate --preset kernel` shows
// what `make dtbs_check` shows, nothing more: dtc 1.8.1's warnings under the kernel build's
// switches (the corpus's recorded dtc 1.8.1 output) and dt-validate's findings (its
// golden JSON), no vendor rows. --list-presets, an unknown preset, and `compile --preset
// dtc-1.6` running dtc 1.6.1's table (a check only that table has).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpusDir, linuxDtDir, skipUnless } from '../support/corpus.js';
import { goldenFile, presetLevels, readGolden, withoutOff } from '../checks/golden.js';
import { findingKey } from '../checks/parity-lib.js';
import type { GoldenFinding } from '../schema/parity.js';
import { compareFindings } from '../schema/parity.js';
import { tempDir, writeTree } from '../input/support.js';
import { dtkit } from './support.js';

test('--list-presets on every command that takes --preset; an unknown one is a usage error with a suggestion', () => {
  for (const cmd of [['validate'], ['compile'], ['apply'], ['overlay'], ['devmem', 'check']]) {
    const r = dtkit([...cmd, '--list-presets']);
    assert.equal(r.status, 0, cmd.join(' '));
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]), ['dtc', 'kernel', 'kernel-w1', 'dtc-1.6'], cmd.join(' '));
  }
  const kernel = dtkit(['compile', '--list-presets']).stdout.split('\n').find((l) => l.startsWith('kernel '))!;
  assert.match(kernel, /-Wno-unique_unit_address -Wno-unit_address_vs_reg -Wno-avoid_unnecessary_addr_size -Wno-alias_paths -Wno-interrupt_map -Wno-simple_bus_reg \(no dtkit vendor rows\)$/);
  const r = dtkit(['compile', '--preset', 'kernal', 'x.dts']);
  assert.deepEqual([r.status, r.stderr], [2, "dtkit: error: unknown preset 'kernal' (did you mean 'kernel'? --list-presets lists them)\n"]);
});

test('compile --preset dtc-1.6 runs dtc 1.6.1\'s table (its graph_child_address), the default dtc 1.8.1\'s', () => {
  const dir = tempDir('dtkit-preset-');
  // a port whose endpoint children need no #address-cells: dtc 1.6.1 warns, 1.8.1 dropped the check
  writeTree(dir, {
    'graph.dts': `/dts-v1/;
/ {
	a {
		port {
			#address-cells = <1>;
			#size-cells = <0>;
			ep: endpoint { remote-endpoint = <&ep2>; };
		};
	};
	b {
		port { ep2: endpoint { remote-endpoint = <&ep>; }; };
	};
};
`,
  });
  const rules = (args: string[]) => [...dtkit(['compile', '--no-config', ...args, 'graph.dts', '-o', 'graph.dtb'], { cwd: dir }).stderr.matchAll(/\[(\w+)\]$/gm)].map((m) => m[1]);
  assert.deepEqual(rules(['--preset', 'dtc-1.6']), ['avoid_unnecessary_addr_size', 'graph_child_address']);
  assert.deepEqual(rules([]), ['avoid_unnecessary_addr_size']);
  // the check exists only in that table: saying it of another is a usage error
  const other = dtkit(['compile', '--no-config', '-W', 'no-graph_child_address', 'graph.dts', '-o', 'graph.dtb'], { cwd: dir });
  assert.deepEqual([other.status, other.stderr], [2, "dtkit: error: check 'graph_child_address' is not in dtc 1.8.1's table (preset 'dtc'); it is in dtc 1.6.1's\n"]);
  assert.deepEqual(rules(['--preset', 'dtc-1.6', '-W', 'no-graph_child_address']), ['avoid_unnecessary_addr_size']);
  // what the installed dtc 1.6.1 prints, message for message
  if (!skipUnless({ dtc: true })) {
    const ours = dtkit(['compile', '--no-config', '--preset', 'dtc-1.6', '--format', 'json', 'graph.dts', '-o', 'graph.dtb'], { cwd: dir });
    const messages = (JSON.parse(ours.stdout) as { diagnostics: JsonFinding[] }).diagnostics.map((f) => `Warning (${f.rule}): ${f.node}: ${f.message}`);
    const theirs = spawnSync('dtc', ['-O', 'dtb', '-o', '/dev/null', 'graph.dts'], { cwd: dir, encoding: 'latin1' }).stderr;
    assert.deepEqual(theirs.split('\n').filter(Boolean).map((l) => l.replace(/^graph\.dts:[\d.-]+: /, '')), messages);
  }
});

interface JsonFinding { rule: string; level: string; file: string; node: string | null; property_path: string[]; schema: string | null; message: string }

test('corpus: compile --preset kernel prints what make dtbs prints (dtc 1.8.1 with the kernel build\'s switches)', (t) => {
  const why = skipUnless({ corpus: true });
  const golden = goldenFile();
  if (why || !golden) return t.skip(why || 'golden dtc 1.8.1 findings not found');
  const linux = linuxDtDir()!;
  // across the 1,525 arm64 boards the kernel's switches leave 3 of dtc 1.8.1's lines, all here
  const board = 'src/arm64/renesas/r8a779g3-sparrow-hawk.dts';
  const want = withoutOff(readGolden(golden).get(board) ?? [], presetLevels('kernel')).map(findingKey).sort();
  assert.equal(want.length, 3);
  const r = dtkit(['compile', '--preset', 'kernel', '--no-config', '--format', 'json', '-o', path.join(tempDir('dtkit-preset-'), 'x.dtb'), board], { cwd: linux });
  const got = (JSON.parse(r.stdout) as { diagnostics: JsonFinding[] }).diagnostics.map((f) => findingKey({
    rule: f.rule, severity: f.level === 'error' ? 'error' : 'warning', node: f.node ?? '', property: f.property_path.join('/'), message: f.message,
  })).sort();
  assert.deepEqual(got, want);
  // without the preset, dtc's default table says much more about the same board
  const all = dtkit(['compile', '--no-config', '--format', 'json', '-o', path.join(tempDir('dtkit-preset-'), 'x.dtb'), board], { cwd: linux });
  assert.ok((JSON.parse(all.stdout) as { diagnostics: unknown[] }).diagnostics.length > want.length);
});

test('corpus: validate --preset kernel shows what make dtbs_check shows, nothing more', (t) => {
  const why = skipUnless({ corpus: true });
  const golden = goldenFile();
  if (why || !golden) return t.skip(why || 'golden dtc 1.8.1 findings not found');
  const linux = linuxDtDir()!;
  const corpus = corpusDir()!;
  const boards = ['msm8996-xiaomi-gemini', 'sa8775p-ride'];
  const cache = tempDir('dtkit-cache-');
  // --host kvm: dtkit's Qualcomm rows have PAS remoteprocs without iommus to report (not dtbs_check's business)
  const run = (preset: string[]) => dtkit(['validate', ...preset, '--host', 'kvm', '--no-config', '--format', 'json', '--cache-dir', cache,
    '--core-schemas', path.join(corpus, 'dt-schema/dtschema/schemas'), ...boards.map((b) => `src/arm64/qcom/${b}.dts`)], { cwd: linux });
  const found = (JSON.parse(run(['--preset', 'kernel']).stdout) as { diagnostics: JsonFinding[] }).diagnostics;
  const schemaRules = new Set(['schema', 'schema-unmatched']);
  // dtc 1.8.1 under the kernel's switches prints nothing for these boards
  const levels = presetLevels('kernel');
  const dtLines = readGolden(golden);
  assert.deepEqual(boards.flatMap((b) => withoutOff(dtLines.get(`src/arm64/qcom/${b}.dts`) ?? [], levels)), []);
  assert.deepEqual(found.filter((f) => !schemaRules.has(f.rule)).map((f) => `${f.rule} ${f.node}: ${f.message}`), []);
  // dt-validate's findings on the boards' DTBs, here at the sources' lines
  const dtValidate = JSON.parse(fs.readFileSync(path.join(corpus, 'golden/dt-validate-qcom.json'), 'utf8')) as GoldenFinding[];
  const want = dtValidate.filter((g) => boards.some((b) => g.file === `${b}.dtb`));
  assert.ok(want.length >= 10);
  const boardOf = (f: JsonFinding) => boards.find((b) => want.some((g) => g.file === `${b}.dtb` && g.node === f.node)) ?? boards[0];
  const ours = found.map((f) => ({ rule: f.rule, severity: 'error' as const, message: f.message, node: f.node ?? undefined, schema: f.schema ?? undefined, file: `${boardOf(f)}.dtb` }));
  const cmp = compareFindings(want, ours);
  assert.deepEqual([cmp.extra.map((e) => `${e.node}: ${e.message}`), cmp.missing.map((m) => `${m.file} ${m.node}: ${m.message}`)], [[], []]);
  assert.equal(cmp.matched, want.length);
  assert.ok(found.every((f) => f.file.startsWith('src/arm64/qcom/')), 'every finding at a source line');
  // without the preset: dtc's default warnings and dtkit's Qualcomm rows as well
  const plain = (JSON.parse(run([]).stdout) as { diagnostics: JsonFinding[] }).diagnostics;
  assert.ok(plain.some((f) => f.rule === 'avoid_unnecessary_addr_size') && plain.some((f) => f.rule === 'qcom_pas_host'), JSON.stringify(plain.map((f) => f.rule)));
});
