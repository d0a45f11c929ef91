// `dtkit decompile`: output to stdout or atomically to -o; one offset-naming error and
// exit 1 for each kind of corrupt blob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DecompileIo } from '../../src/cli/decompile.js';
import { processDecompileIo, runDecompile } from '../../src/cli/decompile.js';
import { memoryHost } from '../../src/host.js';
import { handmade, minimalStruct, MINIMAL_STRINGS, T } from '../fdt/handmade.js';

const good = () => handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS });

const GOOD_DTS = [
  '/dts-v1/;', '', '/ {', '\tcompatible = "a";', '', '\tn@1 {', '\t\treg = <0x01>;', '\t};', '};', '',
].join('\n');

function run(bytes: Uint8Array, output?: string, writeFile?: DecompileIo['writeFile']) {
  let out = '', err = '';
  const written: Record<string, string> = {};
  const io: DecompileIo = {
    host: memoryHost({ 'in.dtb': bytes }),
    out: (t) => (out += t),
    err: (t) => (err += t),
    writeFile: writeFile ?? ((f, d) => { written[f] = d; return undefined; }),
  };
  const code = runDecompile('in.dtb', { output }, io);
  return { code, out, err, written };
}

test('prints the DTS on stdout', () => {
  assert.deepEqual(run(good()), { code: 0, out: GOOD_DTS, err: '', written: {} });
});

test('writes the DTS to -o', () => {
  assert.deepEqual(run(good(), 'out.dts'), { code: 0, out: '', err: '', written: { 'out.dts': GOOD_DTS } });
});

test('truncated file: one error, exit 1, nothing written', () => {
  const r = run(good().subarray(0, 100), 'out.dts');
  assert.deepEqual(r, {
    code: 1, out: '', written: {},
    err: 'in.dtb: error: truncated file: header totalsize is 131 bytes, the file has only 100 [fdt]\n',
  });
});

test('bad magic', () => {
  const b = good();
  b.set([0x12, 0x34, 0x56, 0x78], 0);
  assert.deepEqual(run(b), {
    code: 1, out: '', written: {},
    err: 'in.dtb: error: bad magic 0x12345678 at offset 0x0 (a DTB starts with 0xd00dfeed) [fdt]\n',
  });
});

test('property name offset out of range', () => {
  const b = handmade({ struct: [T.BEGIN, '', T.PROP, 4, 0x40, new Uint8Array(4), T.END_NODE, T.END], strings: 'reg\0' });
  assert.equal(run(b).err,
    'in.dtb: error: property name offset 0x40 of FDT_PROP at offset 0x40 is outside the strings block (size 4) [fdt]\n');
  assert.equal(run(b).code, 1);
});

test('truncated structure block', () => {
  const b = handmade({ struct: minimalStruct(), strings: MINIMAL_STRINGS, patch: { 36: 0x28 } });
  assert.deepEqual(run(b), {
    code: 1, out: '', written: {},
    err: 'in.dtb: error: truncated structure block: FDT_PROP at offset 0x58 needs 12 bytes, only 8 remain [fdt]\n',
  });
});

test('unreadable input and unwritable output', () => {
  let err = '';
  const io: DecompileIo = { ...processDecompileIo, host: memoryHost({}), out: () => undefined, err: (t) => (err += t) };
  assert.equal(runDecompile('missing.dtb', {}, io), 1);
  assert.equal(err, "dtkit decompile: error: cannot read 'missing.dtb'\n");
  const r = run(good(), '/no/such/dir/out.dts', processDecompileIo.writeFile);
  assert.equal(r.code, 1);
  assert.equal(r.err, "dtkit decompile: error: cannot write '/no/such/dir/out.dts': the folder '/no/such/dir' does not exist\n");
});

test('-o replaces the file atomically and leaves no temporary file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-decompile-'));
  try {
    const out = path.join(dir, 'out.dts');
    fs.writeFileSync(out, 'old');
    assert.equal(processDecompileIo.writeFile(out, GOOD_DTS), undefined);
    assert.equal(fs.readFileSync(out, 'latin1'), GOOD_DTS);
    assert.deepEqual(fs.readdirSync(dir), ['out.dts']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('command line: exit codes 0, 1 (corrupt input, old output kept) and 2 (usage)', () => {
  const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-decompile-'));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--input-type=module', '-e',
    `import { main } from ${JSON.stringify(main)}; main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`,
    ...args], { encoding: 'latin1' });
  try {
    const dtb = path.join(dir, 'x.dtb'), bad = path.join(dir, 'bad.dtb'), out = path.join(dir, 'out.dts');
    fs.writeFileSync(dtb, good());
    fs.writeFileSync(bad, good().subarray(0, 60));
    const ok = cli('decompile', dtb);
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout, GOOD_DTS);
    fs.writeFileSync(out, 'old');
    const fail = cli('decompile', bad, '-o', out);
    assert.equal(fail.status, 1);
    assert.equal(fail.stderr, `${bad}: error: truncated file: header totalsize is 131 bytes, the file has only 60 [fdt]\n`);
    assert.equal(fs.readFileSync(out, 'latin1'), 'old');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['bad.dtb', 'out.dts', 'x.dtb']);
    assert.equal(cli('decompile').status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
