// Every rule dtkit prints can be switched with -W/-E on every command that runs it (dtc's
// checks with dtc's semantics), one catalog knows them all, and an unknown or
// unswitchable id is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../src/cli/options.js';
import { applyRuleLevels, resolveRuleSwitches, ruleCatalog } from '../../src/cli/rules.js';
import { devmemCheck } from '../../src/cli/devmem.js';
import { runApply, applyProcessIo } from '../../src/cli/apply.js';
import { runCompile } from '../../src/cli/compile.js';
import { nodeHost } from '../../src/host.js';
import { dtcChecks } from '../../src/checks/table.js';
import { projectRoot } from '../support/corpus.js';
import { BASE, OVERLAY } from '../overlay/fixtures.js';
import { compileDts } from '../overlay/support.js';
import { exampleBoard, exampleProfile, runOverlay, tempDir, variantProfile } from '../profile/support.js';
import { fixturesDir, writeVariant } from '../qcom/support.js';
import { findings, unrelatedBindings, validate } from './support.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('every rule id the sources emit is in the catalog, each once', () => {
  const ids = ruleCatalog().map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const emitted = new Set<string>();
  const patterns = [
    /\brule: ?'([a-z][\w-]*)'/g, /_RULE = '([a-z][\w-]*)'/g, /\b(?:error|warning)\((?:ctx, )?'([a-z][\w-]*)'/g,
    /\bfail\(diags, '([a-z][\w-]*)'/g, /: '((?:overlay|profile|qcom)_[a-z_]+)'/g,
  ];
  for (const f of sourceFiles(path.join(projectRoot, 'src'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) emitted.add(m[1]);
  }
  for (const c of dtcChecks()) emitted.add(c.id);
  assert.ok(emitted.size > 100, `only ${emitted.size} ids found: the scan is broken`);
  assert.deepEqual([...emitted].filter((id) => !ids.includes(id)).sort(), []);
});

test("dtc's checks keep dtc's flag semantics; dtkit's rules take -W, -E and no-", () => {
  const levels = (w: string[], e: string[] = []) => Object.fromEntries(resolveRuleSwitches(w, e).all);
  // unit_address_vs_reg is a warning row, duplicate_node_names an error row (dtc: -W no- leaves it)
  assert.deepEqual(levels(['no-unit_address_vs_reg', 'no-duplicate_node_names']), { unit_address_vs_reg: 'off' });
  assert.deepEqual(levels([], ['no-duplicate_node_names']).duplicate_node_names, 'off');
  assert.deepEqual(levels(['no-qcom_devmem_alignment', 'schema', 'no-schema-unmatched'], ['input_swapped']), {
    qcom_devmem_alignment: 'off', schema: 'warning', 'schema-unmatched': 'off', input_swapped: 'error',
  });
  const r = resolveRuleSwitches(['no-qcom_devmem_alignment', 'schema']);
  assert.deepEqual([...r.checks], [['qcom_devmem_alignment', 'off']], 'only check rows go to the check runner');
  const d = (rule: string) => ({ rule, severity: 'error' as const, message: rule });
  assert.deepEqual(applyRuleLevels([d('schema'), d('qcom_devmem_alignment'), d('syntax')], r).map((x) => [x.rule, x.severity]), [
    ['schema', 'warning'], ['syntax', 'error'],
  ]);
});

test("an unknown id is dtc's usage error, with the names it is close to; a loading rule cannot be switched", () => {
  assert.throws(() => resolveRuleSwitches(['no-qcom_devmem_alignmen']), new UsageError(`Unrecognized check name "qcom_devmem_alignmen" (did you mean 'qcom_devmem_alignment' or 'qcom_devmem_ignored'?)`));
  assert.throws(() => resolveRuleSwitches([], ['nonsense_rule_name']), new UsageError('Unrecognized check name "nonsense_rule_name"'));
  assert.throws(() => resolveRuleSwitches(['no-syntax']), new UsageError("rule 'syntax' cannot be switched: its errors stop the input from loading"));
  let err = '';
  assert.equal(runCompile('x.dts', { outFormat: 'dtb', cpp: true, warning: ['no-bogus'] }, { stdout: () => undefined, stderr: (t) => (err += t) }), 2);
  assert.equal(err, 'dtkit: error: Unrecognized check name "bogus"\n');
});

/** A lemans-like board whose ADSP row is misaligned, and whose CDSP0 is enabled without iommus. */
function misaligned(): string {
  return writeVariant(tempDir(), 'mis', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x00110100 0x00110000 0x4000 1>;\n\tstatus = "okay";\n};').file;
}

test('validate: -W no-qcom_devmem_alignment switches the row off, -W qcom_devmem_alignment makes it a warning', async () => {
  const file = misaligned();
  const qcom = async (o: { warning?: string[] } = {}) => {
    const r = await validate([file], { include: [fixturesDir], ...o });
    return { code: r.code, found: findings(r.out, (f) => f.rule.startsWith('qcom_')).map((f) => [f.rule, f.level, f.line, f.column]) };
  };
  assert.deepEqual((await qcom()).found, [['qcom_devmem_alignment', 'error', 7, 17]]);
  assert.deepEqual((await qcom({ warning: ['no-qcom_devmem_alignment'] })).found, []);
  assert.deepEqual((await qcom({ warning: ['qcom_devmem_alignment'] })).found, [['qcom_devmem_alignment', 'warning', 7, 17]]);
});

test('validate: schema findings switch as one id, unmatched compatibles as another', async () => {
  const file = misaligned();
  const schemas = [unrelatedBindings()];
  const rules = async (o: { warning?: string[]; error?: string[] }) => {
    const r = await validate([file], { include: [fixturesDir], schemas, ...o });
    const fs = findings(r.out, (f) => f.rule.startsWith('schema'));
    return [...new Set(fs.map((f) => `${f.rule}:${f.level}`))].sort();
  };
  assert.deepEqual(await rules({}), ['schema-unmatched:warning', 'schema:error']);
  assert.deepEqual(await rules({ warning: ['no-schema'] }), ['schema-unmatched:warning']);
  assert.deepEqual(await rules({ warning: ['schema'], error: ['schema-unmatched'] }), ['schema-unmatched:error', 'schema:warning']);
});

test('devmem check takes -W/-E', () => {
  const file = misaligned();
  let out = '';
  const io = { host: nodeHost, out: (t: string) => void (out += t), err: () => undefined, readStdin: () => undefined, writeFile: () => undefined };
  const base = { format: 'json' as const, pageSize: '4K', include: [fixturesDir] };
  assert.equal(devmemCheck(file, base, io), 1);
  assert.deepEqual(findings(out).map((f) => f.rule), ['qcom_devmem_alignment']);
  out = '';
  assert.equal(devmemCheck(file, { ...base, warning: ['no-qcom_devmem_alignment'] }, io), 0);
  assert.deepEqual(findings(out), []);
});

test('compile accepts every catalog id (a Makefile can share its -W flags), and runs dtc\'s table only', () => {
  const file = misaligned();
  let err = '';
  const out: Uint8Array[] = [];
  const code = runCompile(file, { outFormat: 'dtb', cpp: true, include: [fixturesDir], warning: ['no-qcom_devmem_alignment', 'no-schema'], quiet: true },
    { stdout: (d) => out.push(d), stderr: (t) => (err += t) });
  assert.equal(code, 0, err);
  assert.equal(Buffer.concat(out).readUInt32BE(0), 0xd00dfeed);
});

test('apply: -E input_swapped refuses a swapped pair and writes nothing', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'base.dtb'), compileDts(BASE, 'base.dts').bytes);
  fs.writeFileSync(path.join(dir, 'ov.dtbo'), compileDts(OVERLAY, 'ov.dtso').bytes);
  let err = '';
  const io = { ...applyProcessIo, err: (t: string) => void (err += t) };
  const output = path.join(dir, 'out.dtb');
  const code = await runApply(path.join(dir, 'ov.dtbo'), [path.join(dir, 'base.dtb')], { output, error: ['input_swapped'] }, io);
  assert.equal(code, 1);
  assert.equal(fs.existsSync(output), false);
  assert.match(err, /ov\.dtbo: error: the base looks like an overlay \(it has __fixups__\): are the base and the overlay swapped\? \[input_swapped\]/);
});

test('overlay: -W qcom_devmem_alignment lets a profile row through as a warning; by default it is refused', () => {
  const dir = tempDir();
  const profile = variantProfile(dir, '{ da: 0x12e000, size: 4K,', '{ da: 0x12e000, size: 2K,');
  const out = path.join(dir, 'kvm.dtso');
  const refused = runOverlay([exampleBoard], { profile, output: out });
  assert.equal(refused.code, 1);
  const warned = runOverlay([exampleBoard], { profile, output: out, warning: ['qcom_devmem_alignment'] });
  assert.equal(warned.code, 0, warned.err);
  assert.match(warned.err, /profile\.yaml:25:31: warning: &remoteproc_adsp \(\/soc@0\/remoteproc@30000000\): devmem row 5: size 0x800 is not a multiple of the 4 KiB IOMMU page \(off by 0x800\) \[qcom_devmem_alignment\]/);
  assert.ok(fs.existsSync(out));
  assert.ok(exampleProfile);
});
