// Parity with dt-validate's golden findings, message text exact, on a subset of each
// golden set: the lemans/sa8775p boards of the Qualcomm set and boards of other vendors
// chosen for what they exercise (anyOf/oneOf context, the type table's oneOf branches,
// sound cards' assigned-clocks, raw bytes, duplicate unmatched compatibles). Built here
// the kernel's way: cpp + dtc, composites with fdtoverlay. The full sets (391 + 197 DTBs)
// are the script test/schema/parity.ts (see docs/schema-parity.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDir, skipUnless } from '../support/corpus.js';
import { runParity } from './parity.js';

const BOARDS = ['lemans', 'sa8775p'];
const OTHER_VENDORS = [
  'mt8192-asurada-spherion-r0', 'rk3368-lba3368', 'bcm2837-rpi-zero-2-w', 'imx8mm-evk', 'r9a09g057h48-kakip',
  'tegra186-p2771-0000', 'armada-8040-mcbin', 'mt7622-bananapi-bpi-r64', 'rk3399-gru-scarlet-dumo',
];

function buildDtbs(corpus: string, out: string, names: string[]): void {
  const src = path.join(corpus, 'linux-dt');
  const composites = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.join(corpus, 'qcom-composites.txt'), 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length >= 3 && !line.startsWith('#')) composites.set(`${parts[0]}.dtb`, parts.slice(1));
  }
  const build = (base: string, ext: string, outName: string): void => {
    const target = path.join(out, outName);
    if (fs.existsSync(target)) return;
    const tmp = `${target}.tmp`;
    execFileSync('cpp', ['-nostdinc', '-I', path.join(src, 'include'), '-I', path.join(src, 'src/arm64'), '-I', path.join(src, 'src'),
      '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', '-o', tmp, path.join(src, 'src/arm64/qcom', `${base}.${ext}`)], { stdio: 'ignore' });
    execFileSync('dtc', ['-q', '-@', '-O', 'dtb', '-b', '0', '-i', path.join(src, 'src/arm64/qcom'), '-i', path.join(src, 'src/arm64'), '-o', target, tmp], { stdio: 'ignore' });
    fs.rmSync(tmp);
  };
  for (const name of names) {
    const comp = composites.get(name);
    if (!comp) {
      build(name.replace(/\.dtb$/, ''), 'dts', name);
      continue;
    }
    const [base, ...overlays] = comp;
    build(base.replace(/\.dtb$/, ''), 'dts', base);
    for (const o of overlays) build(o.replace(/\.dtbo$/, ''), 'dtso', o);
    execFileSync('fdtoverlay', ['-i', path.join(out, base), '-o', path.join(out, name), ...overlays.map((o) => path.join(out, o))], { stdio: 'ignore' });
  }
}

test('Qualcomm lemans/sa8775p: every dt-validate finding word for word, nothing extra (dt-schema core schemas)', (t) => {
  const why = skipUnless({ corpus: true, dtc: true, cpp: true, fdtoverlay: true });
  if (why) return t.skip(why);
  const corpus = corpusDir()!;
  const names = fs.readFileSync(path.join(corpus, 'golden', 'qcom-dtbs.txt'), 'utf8').split('\n').filter((n) => BOARDS.some((b) => n.startsWith(b)));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-parity-'));
  try {
    buildDtbs(corpus, out, names);
    const r = runParity({ set: 'qcom', dtbDir: out, core: 'dtschema', only: BOARDS });
    assert.notEqual(typeof r, 'string', String(r));
    if (typeof r === 'string') return;
    assert.deepEqual(r.missing.map((m) => `${m.file} ${m.node} ${m.message}`), []);
    assert.deepEqual(r.extra.map((e) => `${e.file} ${e.node} ${e.message}`), []);
    assert.ok(r.total >= 1, 'the golden set has findings on these boards');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

/** Builds golden/non-qcom boards as its README says (cpp, then dtc with -i <the source's folder>). */
function buildOtherVendors(corpus: string, out: string, stems: string[]): string[] {
  const src = path.join(corpus, 'linux-dt');
  const rows = fs.readFileSync(path.join(corpus, 'golden', 'non-qcom', 'boards.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const built: string[] = [];
  for (const row of rows) {
    const rel = row.split('\t')[2];
    const stem = path.basename(rel, '.dts');
    if (!stems.includes(stem)) continue;
    const pp = path.join(out, `${stem}.pp`);
    execFileSync('cpp', ['-nostdinc', '-I', path.join(src, 'include'), '-I', path.join(src, 'src/arm64'), '-I', path.join(src, 'src'),
      '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', '-o', pp, path.join(src, rel)], { stdio: 'ignore' });
    execFileSync('dtc', ['-q', '-O', 'dtb', '-b', '0', '-i', path.dirname(path.join(src, rel)), '-i', path.join(src, 'src/arm64'), '-o', path.join(out, `${stem}.dtb`), pp], { stdio: 'ignore' });
    fs.rmSync(pp);
    built.push(stem);
  }
  return built;
}

test('other vendors (golden/non-qcom subset): every dt-validate finding word for word, nothing extra', (t) => {
  const why = skipUnless({ corpus: true, dtc: true, cpp: true });
  if (why) return t.skip(why);
  const corpus = corpusDir()!;
  if (!fs.existsSync(path.join(corpus, 'golden', 'non-qcom', 'dt-validate.json'))) return t.skip('golden/non-qcom not in the corpus');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-parity-'));
  try {
    assert.deepEqual(buildOtherVendors(corpus, out, OTHER_VENDORS).sort(), [...OTHER_VENDORS].sort());
    const r = runParity({ set: 'non-qcom', dtbDir: out, core: 'dtschema', only: OTHER_VENDORS.map((b) => `${b}.dtb`) });
    assert.notEqual(typeof r, 'string', String(r));
    if (typeof r === 'string') return;
    assert.deepEqual(r.missing.map((m) => `${m.file} ${m.node} ${m.message}`), []);
    assert.deepEqual(r.extra.map((e) => `${e.file} ${e.node} ${e.message}`), []);
    assert.ok(r.total >= 30, `the golden set has findings on these boards (${r.total})`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
