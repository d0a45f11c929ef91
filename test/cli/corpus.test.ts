// The input stage on the real kernel tree: zero-config validation inside a kernel-layout
// tree (made of symlinks to the corpus) and inside the devicetree-rebasing layout gives
// exactly the findings of the spelled-out command; base + EL2 overlay is validated as the
// composite fdtoverlay makes; a DTB given to `compile` comes out as dtc's `-I dtb` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCompile } from '../../src/cli/compile.js';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { DTC_161_CANNOT_READ, goldenDtbs, sample } from '../fdt/corpus-dtbs.js';
import { inFolderAsync, tempDir } from '../input/support.js';
import type { JsonFindingLike } from './support.js';
import { findings, unrelatedBindings, validate } from './support.js';

const BOARD = 'arm64/qcom/lemans-evk.dts';
const cacheDir = tempDir('dtkit-schema-cache-');

/** A kernel-layout tree whose folders are symlinks into the corpus's rebasing tree. */
function kernelLayout(linux: string): string {
  const root = tempDir('dtkit-kernel-');
  const link = (target: string, at: string) => {
    fs.mkdirSync(path.dirname(path.join(root, at)), { recursive: true });
    fs.symlinkSync(target, path.join(root, at));
  };
  link(path.join(linux, 'Bindings'), 'Documentation/devicetree/bindings');
  link(path.join(linux, 'include'), 'include');
  for (const arch of fs.readdirSync(path.join(linux, 'src'))) {
    link(path.join(linux, 'src', arch), `arch/${arch}/boot/dts`);
    link(`../../../arch/${arch}/boot/dts`, `scripts/dtc/include-prefixes/${arch}`);
  }
  link('../../../include/dt-bindings', 'scripts/dtc/include-prefixes/dt-bindings');
  return root;
}

type Key = [string, string | null, number | null, number | null, string | null, string];
const keyOf = (f: JsonFindingLike): Key => [f.rule, f.file, f.line, f.column, f.node, f.message];

async function validateIn(dir: string, inputs: string[], opts: Parameters<typeof validate>[1] = {}) {
  const r = await inFolderAsync(dir, () => validate(inputs, { cache: true, cacheDir, ...opts }));
  return { ...r, keys: findings(r.out).map(keyOf) };
}

test('rebasing layout: `validate board.dts` with no flags = the spelled-out command', async (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const board = `src/${BOARD}`;
  const zero = await validateIn(linux, [board]);
  const spelled = await validateIn(linux, [board], {
    detect: false, include: ['include', 'src/arm64', 'src'], dtcInclude: ['src/arm64/qcom'], schemas: ['Bindings'],
  });
  assert.ok(zero.keys.length > 50, `${zero.keys.length} findings: the bindings were not used`);
  assert.ok(zero.keys.some((k) => k[0] === 'schema' || k[0] === 'schema-unmatched') || zero.keys.length > 0);
  assert.deepEqual(zero.keys, spelled.keys);
  assert.equal(zero.code, spelled.code);
  assert.equal(zero.err.split('\n').filter((l) => l.startsWith('dtkit: info:')).join('\n'),
    // the run's current folder is the tree, and a process's current folder is a real path
    `dtkit: info: using the devicetree-rebasing tree ${fs.realpathSync(linux)} (arm64): includes include, src/arm64, src and the board's folder; bindings Bindings (--no-detect turns this off)`);
  assert.ok(!spelled.err.includes('dtkit: info: using'));
});

test('kernel layout (symlinks to the corpus): the same findings as the spelled-out command and as the rebasing tree', async (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const root = kernelLayout(linux);
  const file = `arch/arm64/boot/dts/${BOARD.slice('arm64/'.length)}`;
  const zero = await validateIn(root, [file]);
  const spelled = await validateIn(root, [file], {
    detect: false, include: ['scripts/dtc/include-prefixes', 'arch/arm64/boot/dts/qcom'], schemas: ['Documentation/devicetree/bindings'],
  });
  assert.deepEqual(zero.keys, spelled.keys);
  // the board's findings (not the bindings' own, which name the bindings folder)
  const board = (keys: Key[]) => keys.filter((k) => k[0] !== 'schema-load');
  const rebasing = await validateIn(linux, [`src/${BOARD}`]);
  const asRebasing = board(zero.keys).map(([r, f, ...rest]) => [r, f?.replace('arch/arm64/boot/dts/', 'src/arm64/') ?? null, ...rest]);
  assert.deepEqual(asRebasing, board(rebasing.keys));
  assert.match(zero.err, /dtkit: info: using the kernel tree .* \(arm64\): includes scripts\/dtc\/include-prefixes and the board's folder; bindings Documentation\/devicetree\/bindings/);
  // explicit flags override: other bindings replace the tree's, so its compatibles go undocumented
  const own = await validateIn(root, [file], { schemas: [unrelatedBindings()] });
  const unmatched = (keys: Key[]) => keys.filter((k) => k[0] === 'schema-unmatched').length;
  assert.ok(unmatched(own.keys) > unmatched(zero.keys) + 50, `${unmatched(own.keys)} vs ${unmatched(zero.keys)}`);
});

test("base + EL2 overlay (the KVM case): the composite's findings are those of fdtoverlay's composite, at source lines", async (t) => {
  const why = skipUnless({ corpus: true, dtc: true, cpp: true, fdtoverlay: true });
  if (why) return t.skip(why);
  const linux = linuxDtDir()!;
  const composite = await validateIn(linux, [`src/${BOARD}`], { overlay: ['src/arm64/qcom/lemans-el2.dtso'], host: 'kvm' });
  assert.equal(composite.code, 0, composite.out);
  assert.ok(composite.keys.every((k) => k[0] === 'schema-load' || (k[2] !== null && k[3] !== null)), 'every finding has a line');

  // the same composite the kernel's way: cpp + dtc -@, then fdtoverlay
  const dir = tempDir();
  const build = (src: string, out: string) => {
    const tmp = path.join(dir, `${path.basename(src)}.tmp`);
    execFileSync('cpp', ['-nostdinc', '-I', 'include', '-I', 'src/arm64', '-I', 'src', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', '-o', tmp, src], { cwd: linux });
    execFileSync('dtc', ['-q', '-@', '-O', 'dtb', '-b', '0', '-i', 'src/arm64/qcom', '-o', out, tmp], { cwd: linux });
  };
  build(`src/${BOARD}`, path.join(dir, 'evk.dtb'));
  build('src/arm64/qcom/lemans-el2.dtso', path.join(dir, 'el2.dtbo'));
  execFileSync('fdtoverlay', ['-i', path.join(dir, 'evk.dtb'), '-o', path.join(dir, 'evk-el2.dtb'), path.join(dir, 'el2.dtbo')]);
  const blob = await validateIn(linux, [path.join(dir, 'evk-el2.dtb')], { schemas: ['Bindings'], host: 'kvm' });
  const subject = (keys: Key[]) => keys.filter((k) => k[0] !== 'schema-load').map(([r, , , , n, m]) => `${r} ${n} ${m}`).sort();
  assert.deepEqual(subject(composite.keys), subject(blob.keys));

  // without the overlay, a KVM host's enabled PAS remoteprocs have no iommus: errors at the base
  const base = await validateIn(linux, [`src/${BOARD}`], { host: 'kvm' });
  const host = findings(base.out, (f) => f.rule === 'qcom_pas_host');
  assert.equal(base.code, 1);
  assert.ok(host.length >= 1 && host.every((f) => f.file?.startsWith('src/arm64/qcom/') && f.line !== null), JSON.stringify(host));
});

test('compile of a DTB: -O dts prints what `dtc -I dtb -O dts` prints, -O dtb writes what `dtc -I dtb -O dtb` writes', (t) => {
  const why = skipUnless({ corpus: true, dtc: true });
  if (why) return t.skip(why);
  const files = sample(goldenDtbs().filter((f) => !DTC_161_CANNOT_READ.has(path.basename(f))), 12);
  let compared = 0;
  for (const file of files) {
    let dts: string, dtb: Buffer;
    try {
      dts = execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
      dtb = execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dtb', file], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
    } catch {
      continue; // a blob dtc 1.6.1 refuses (see corpus-dtbs.ts)
    }
    const run = (outFormat: string, args: { include?: string[] } = {}) => {
      const out: Uint8Array[] = [];
      const code = runCompile(file, { outFormat, cpp: true, quiet: true, ...args }, { stdout: (d) => out.push(d), stderr: () => undefined });
      return { code, data: Buffer.concat(out) };
    };
    const asDts = run('dts');
    assert.equal(asDts.code, 0, file);
    assert.equal(asDts.data.toString('latin1'), dts, `${path.basename(file)}: -O dts differs from dtc`);
    assert.deepEqual(run('dtb').data, dtb, `${path.basename(file)}: -O dtb differs from dtc`);
    assert.equal(run('dts', { include: ['dtb'] }).data.toString('latin1'), dts, '-I dtb (no folder named dtb here) is the input format');
    compared++;
  }
  assert.ok(compared >= 8, `only ${compared} blobs compared`);
});
