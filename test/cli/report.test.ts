// The report stage as every command uses it: one JSON shape (dt-validate's field names, a
// summary, the command's own data beside), one message style for errors about paths, a
// closed pipe or a full disk handled like a command-line tool, colour only when asked,
// and output files written whole or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE, OVERLAY } from '../overlay/fixtures.js';
import { compileDts } from '../overlay/support.js';
import { exampleBoard, exampleProfile } from '../profile/support.js';
import { example18File, fixturesDir, writeVariant } from '../qcom/support.js';
import { tempDir } from '../input/support.js';
import { dtkit, shell } from './support.js';

const FINDING_KEYS = [
  'type', 'level', 'file', 'line', 'column', 'node', 'nodename', 'compatible', 'property_path', 'schema_path', 'schema',
  'message', 'rule', 'include_chain', 'expanded_from', 'notes',
];

interface Report {
  tool: string;
  version: string;
  command: string;
  diagnostics: Array<Record<string, unknown>>;
  summary: { inputs: number; errors: number; warnings: number; infos: number };
  [k: string]: unknown;
}

function shape(json: string, command: string, data: string[]): Report {
  const r = JSON.parse(json) as Report;
  assert.deepEqual(Object.keys(r), ['tool', 'version', 'command', ...data, 'diagnostics', 'summary'], command);
  assert.deepEqual([r.tool, r.command], ['dtkit', command]);
  for (const f of r.diagnostics) {
    assert.deepEqual(Object.keys(f), FINDING_KEYS);
    assert.ok(Array.isArray(f.property_path) && Array.isArray(f.schema_path));
  }
  const count = (l: string) => r.diagnostics.filter((f) => f.level === l).length;
  assert.deepEqual(r.summary, { inputs: r.summary.inputs, errors: count('error'), warnings: count('warning'), infos: count('info') });
  return r;
}

/** One dtc warning (unit_address_vs_reg at 7:2), nothing else. */
const WARN = '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tcompatible = "acme,board";\n\tmodel = "acme";\n\tnode@100 { x = <1>; };\n};\n';

function workdir(): string {
  const dir = tempDir('dtkit-report-');
  fs.writeFileSync(path.join(dir, 'base.dts'), BASE);
  fs.writeFileSync(path.join(dir, 'ov.dtso'), OVERLAY);
  fs.writeFileSync(path.join(dir, 'base.dtb'), compileDts(BASE, 'base.dts').bytes);
  fs.writeFileSync(path.join(dir, 'ov.dtbo'), compileDts(OVERLAY, 'ov.dtso').bytes);
  fs.writeFileSync(path.join(dir, 'warn.dts'), WARN);
  return dir;
}

test('one JSON shape: validate, compile, apply, overlay, devmem check and map', () => {
  const dir = workdir();
  const v = dtkit(['validate', '--no-cache', '--format', 'json', 'warn.dts'], { cwd: dir });
  const vr = shape(v.stdout, 'validate', []);
  assert.equal(vr.summary.inputs, 1);
  const unit = vr.diagnostics.find((f) => f.rule === 'unit_address_vs_reg')!;
  assert.deepEqual([unit.type, unit.level, unit.file, unit.line, unit.column, unit.node, unit.nodename, unit.property_path, unit.compatible],
    ['unit_address_vs_reg', 'warning', 'warn.dts', 7, 2, '/node@100', 'node@100', [], null]);

  // compile: with -o the report is on stdout; without, stdout is the tree and the report on stderr
  const c = dtkit(['compile', '--format', 'json', '-o', 'w.dtb', 'warn.dts'], { cwd: dir });
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(shape(c.stdout, 'compile', []).diagnostics.map((f) => f.rule), ['unit_address_vs_reg']);
  const c2 = dtkit(['compile', '--format', 'json', 'warn.dts'], { cwd: dir });
  assert.equal(Buffer.from(c2.stdout, 'latin1').readUInt32BE(0), 0xd00dfeed);
  assert.deepEqual(shape(c2.stderr, 'compile', []).summary, { inputs: 1, errors: 0, warnings: 1, infos: 0 });

  const a = dtkit(['apply', '--format', 'json', 'base.dtb', 'ov.dtbo', '-o', 'out.dtb'], { cwd: dir });
  assert.equal(shape(a.stdout, 'apply', ['output']).output, 'out.dtb');

  const o = dtkit(['overlay', '--format', 'json', '--profile', exampleProfile, exampleBoard, '-o', path.join(dir, 'kvm.dtso')]);
  assert.equal(o.status, 0, o.stderr);
  const or = shape(o.stdout, 'overlay', ['outputs', 'profile', 'checked']);
  assert.deepEqual(or.outputs, [path.join(dir, 'kvm.dtso')]);

  const d = dtkit(['devmem', 'check', '--format', 'json', '-I', fixturesDir, example18File]);
  const dr = shape(d.stdout, 'devmem check', ['file', 'remoteprocs']);
  assert.equal((dr.remoteprocs as unknown[]).length, 5);

  const m = dtkit(['devmem', 'map', '--format', 'json', '-I', fixturesDir, example18File, '-o', path.join(dir, 'map.svg')]);
  assert.equal(shape(m.stdout, 'devmem map', ['file', 'output', 'remoteprocs']).output, path.join(dir, 'map.svg'));
  assert.ok(fs.readFileSync(path.join(dir, 'map.svg'), 'utf8').includes('<svg '));
});

test('one message style for a path that cannot be read or written, on every command', () => {
  const dir = workdir();
  const missing = "dtkit: error: cannot read 'nope.dts': no such file [io]\n";
  for (const args of [['compile', 'nope.dts'], ['apply', 'nope.dts', 'ov.dtbo', '-o', 'x.dtb'], ['devmem', 'map', 'nope.dts']]) {
    const r = dtkit(args, { cwd: dir });
    assert.deepEqual([r.status, r.stderr], [1, missing], args.join(' '));
  }
  // validate and devmem check report on standard output: their findings are what they print
  const v = dtkit(['validate', '--no-cache', 'nope.dts'], { cwd: dir });
  assert.deepEqual([v.status, v.stdout], [1, missing]);
  const c = dtkit(['devmem', 'check', 'nope.dts'], { cwd: dir });
  assert.deepEqual([c.status, c.stdout], [1, missing]);
  const folder = dtkit(['decompile', '.'], { cwd: dir });
  assert.deepEqual([folder.status, folder.stderr], [1, "dtkit: error: cannot read '.': it is a folder, not a file [io]\n"]);
  for (const args of [['compile', 'base.dts', '-o', 'no/x.dtb'], ['decompile', 'base.dtb', '-o', 'no/x.dts'], ['apply', 'base.dtb', 'ov.dtbo', '-o', 'no/x.dtb']]) {
    const r = dtkit(args, { cwd: dir });
    assert.deepEqual([r.status, r.stderr], [1, "dtkit: error: cannot write 'no/x" + (args[0] === 'decompile' ? '.dts' : '.dtb') + "': no such folder 'no'\n"], args.join(' '));
  }
  const isDir = dtkit(['compile', 'base.dts', '-o', '.'], { cwd: dir });
  assert.deepEqual([isDir.status, isDir.stderr], [1, "dtkit: error: cannot write '.': '.' is a folder\n"]);
  const unknown = dtkit(['validate', '--bogus', 'x.dts'], { cwd: dir });
  assert.deepEqual([unknown.status, unknown.stderr], [2, "dtkit: error: unknown option '--bogus'\n"]);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['base.dtb', 'base.dts', 'ov.dtbo', 'ov.dtso', 'warn.dts']);
});

test('-o "" is a usage error on every command with -o', () => {
  const dir = workdir();
  for (const args of [['compile', 'base.dts'], ['decompile', 'base.dtb'], ['apply', 'base.dtb', 'ov.dtbo'], ['devmem', 'map', 'base.dts'],
    ['overlay', '--profile', exampleProfile, exampleBoard]]) {
    const r = dtkit([...args, '-o', ''], { cwd: dir });
    assert.deepEqual([r.status, r.stderr], [2, 'dtkit: error: the output file name is empty (use -o - for standard output)\n'], args.join(' '));
  }
});

/** A blob whose DTS is far larger than a pipe's buffer. */
function bigBlob(dir: string): string {
  const nodes = Array.from({ length: 4000 }, (_, i) => `\tnode${i} { value = <${i} ${i} ${i} ${i}>; name-of-it = "n${i}"; };`).join('\n');
  const file = path.join(dir, 'big.dtb');
  fs.writeFileSync(file, compileDts(`/dts-v1/;\n/ {\n${nodes}\n};\n`, 'big.dts', { symbols: false }).bytes);
  return file;
}

test('a reader closing the pipe ends dtkit quietly; a full disk is one error and exit 1', () => {
  const dir = workdir();
  const big = bigBlob(dir);
  const pipe = shell(`$DTKIT decompile ${big} | head -1; echo "status=\${PIPESTATUS[0]}"`);
  assert.equal(pipe.stdout, '/dts-v1/;\nstatus=0\n');
  assert.equal(pipe.stderr, '');
  if (fs.existsSync('/dev/full')) {
    const full = shell(`$DTKIT decompile ${big} > /dev/full`);
    assert.deepEqual([full.status, full.stderr], [1, 'dtkit: error: cannot write to standard output: no space left on device\n']);
  }
});

test('devmem map: a board with errors leaves no SVG behind; -o - still draws it', () => {
  const dir = workdir();
  const { file } = writeVariant(dir, 'overlap', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x4000 0x1>,\n\t\t<0x112000 0x200000 0x1000 0x3>;\n};');
  const svg = path.join(dir, 'map.svg');
  const r = dtkit(['devmem', 'map', '-I', fixturesDir, file, '-o', svg]);
  assert.equal(r.status, 1);
  assert.equal(fs.existsSync(svg), false);
  assert.match(r.stderr, /\[qcom_devmem_overlap\]\n/);
  assert.ok(r.stderr.endsWith(`dtkit: error: '${svg}' not written: the board has errors (draw it anyway with -o -)\n`), r.stderr);
  const j = dtkit(['devmem', 'map', '--format', 'json', '-I', fixturesDir, file, '-o', svg]);
  const report = JSON.parse(j.stdout) as Report;
  assert.deepEqual([j.status, report.output, report.diagnostics.map((f) => f.rule)], [1, null, ['qcom_devmem_overlap']]);
  const drawn = dtkit(['devmem', 'map', '-I', fixturesDir, file, '-o', '-']);
  assert.equal(drawn.status, 1);
  assert.ok(drawn.stdout.includes('<svg '));
});

test('colour: --color forces it, --no-color and a pipe go without', () => {
  const dir = workdir();
  const plain = dtkit(['compile', '-o', 'w.dtb', 'warn.dts'], { cwd: dir });
  assert.ok(plain.stderr.startsWith('warn.dts:7:2: warning: '), plain.stderr);
  const forced = dtkit(['compile', '--color', '-o', 'w.dtb', 'warn.dts'], { cwd: dir });
  assert.ok(forced.stderr.includes('\x1b['), forced.stderr);
  const off = dtkit(['compile', '--no-color', '-o', 'w.dtb', 'warn.dts'], { cwd: dir, env: { FORCE_COLOR: '1' } });
  assert.equal(off.stderr, plain.stderr);
  const env = dtkit(['compile', '-o', 'w.dtb', 'warn.dts'], { cwd: dir, env: { FORCE_COLOR: '1' } });
  assert.ok(env.stderr.includes('\x1b['));
});

test("SARIF from the command line: valid for Microsoft's validator, the catalog's rules described", async (t) => {
  const { sarifValidator } = await import('../report/sarif-validator.js');
  const validator = sarifValidator();
  if (typeof validator === 'string') return t.skip(validator);
  const dir = workdir();
  const { file } = writeVariant(dir, 'mis', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x00110100 0x00110000 0x4000 1>;\n\tstatus = "okay";\n};');
  const r = dtkit(['validate', '--no-cache', '--format', 'sarif', '-I', fixturesDir, file, 'warn.dts', 'ov.dtbo', '--overlay', 'base.dtb'], { cwd: dir });
  assert.equal(r.status, 1);
  const out = path.join(dir, 'dtkit.sarif');
  fs.writeFileSync(out, r.stdout);
  const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; shortDescription?: { text: string }; helpUri?: string }> } }; results: Array<{ ruleId: string }> }> };
  const rules = log.runs[0].tool.driver.rules;
  const fired = [...new Set(log.runs[0].results.map((x) => x.ruleId))].sort();
  assert.deepEqual(rules.map((x) => x.id).sort(), fired);
  for (const id of ['qcom_devmem_alignment', 'unit_address_vs_reg', 'input_swapped', 'schema']) {
    const rule = rules.find((x) => x.id === id);
    assert.ok(rule?.shortDescription?.text, `${id} is described`);
  }
  assert.match(rules.find((x) => x.id === 'unit_address_vs_reg')?.helpUri ?? '', /^https:\/\/github\.com\/dgibson\/dtc\/blob\/v1\.8\.1\/checks\.c#L\d+$/);
  const problems = validator.validate(out).filter((f) => f.level === 'error');
  assert.deepEqual(problems, []);
});
