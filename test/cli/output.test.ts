// The one atomic-write helper: devices and FIFOs written through, symlinks followed, mode
// and owner kept, temps created exclusively under random names, several outputs all or
// nothing (with rollback), temps gone after a signal, reasons about the user's path.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { writeFileAtomically, writeFilesAtomically, writeOutputs } from '../../src/cli/output.js';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-output-test-'));
}

/** Leftover temporaries or backups of the helper in `dir`. */
function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.(tmp|bak)$/.test(f));
}

const isRoot = process.getuid?.() === 0;

test('a character device is written through and stays a device (-o /dev/null)', { skip: !fs.existsSync('/dev/null') && 'no /dev/null' }, () => {
  assert.ok(fs.statSync('/dev/null').isCharacterDevice());
  assert.equal(writeFileAtomically('/dev/null', new Uint8Array([1, 2, 3])), undefined);
  assert.ok(fs.lstatSync('/dev/null').isCharacterDevice());
});

test('a device that fails the write reports it (/dev/full: no space), nothing else is touched', { skip: !fs.existsSync('/dev/full') && 'no /dev/full' }, () => {
  const dir = tmpdir();
  const a = path.join(dir, 'a.dtb');
  const why = writeFilesAtomically([{ file: a, data: 'A' }, { file: '/dev/full', data: 'x' }]);
  assert.equal(why, "'/dev/full': no space left on the device");
  assert.equal(fs.existsSync(a), false);
  assert.ok(fs.statSync('/dev/full').isCharacterDevice());
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a FIFO is written through to its reader and stays a FIFO', async () => {
  const dir = tmpdir();
  const fifo = path.join(dir, 'pipe');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;
  const reader = spawn('cat', [fifo]);
  const chunks: Buffer[] = [];
  reader.stdout.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => reader.on('close', resolve));
  assert.equal(writeFileAtomically(fifo, 'through the pipe\n'), undefined);
  await done;
  assert.equal(Buffer.concat(chunks).toString(), 'through the pipe\n');
  assert.ok(fs.lstatSync(fifo).isFIFO());
  assert.deepEqual(leftovers(dir), []);
});

test('a symlink is followed: the target is replaced in its folder, the link stays a link', () => {
  const dir = tmpdir();
  const other = tmpdir();
  const real = path.join(other, 'real.dtb');
  fs.writeFileSync(real, 'old');
  const link = path.join(dir, 'out.dtb');
  fs.symlinkSync(real, link);
  assert.equal(writeFileAtomically(link, 'new'), undefined);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readlinkSync(link), real);
  assert.equal(fs.readFileSync(real, 'utf8'), 'new');
  assert.deepEqual(leftovers(dir), []);
  assert.deepEqual(leftovers(other), []);
  // a dangling link: its target is created
  const dangling = path.join(dir, 'dangling.dtb');
  fs.symlinkSync(path.join(other, 'made.dtb'), dangling);
  assert.equal(writeFileAtomically(dangling, 'made'), undefined);
  assert.equal(fs.readFileSync(path.join(other, 'made.dtb'), 'utf8'), 'made');
  assert.ok(fs.lstatSync(dangling).isSymbolicLink());
});

test('a private file keeps its mode 0600 (and its owner)', () => {
  const dir = tmpdir();
  const file = path.join(dir, 'secret.dtb');
  fs.writeFileSync(file, 'old', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  if (isRoot) fs.chownSync(file, 1234, 2345);
  assert.equal(writeFileAtomically(file, 'new'), undefined);
  const st = fs.statSync(file);
  assert.equal(st.mode & 0o7777, 0o600);
  if (isRoot) assert.deepEqual([st.uid, st.gid], [1234, 2345]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
});

test('a symlink planted at the old predictable temp name receives nothing', () => {
  const dir = tmpdir();
  const victim = path.join(dir, 'victim');
  fs.writeFileSync(victim, 'precious');
  const planted = path.join(dir, `.out.dtb.${process.pid}.tmp`);
  fs.symlinkSync(victim, planted);
  assert.equal(writeFileAtomically(path.join(dir, 'out.dtb'), 'output'), undefined);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
  assert.ok(fs.lstatSync(planted).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(dir, 'out.dtb'), 'utf8'), 'output');
});

test('several outputs: one that cannot be staged leaves the others untouched', () => {
  const dir = tmpdir();
  const a = path.join(dir, 'a.dtso');
  fs.writeFileSync(a, 'old A');
  const why = writeFilesAtomically([
    { file: a, data: 'new A' },
    { file: path.join(dir, 'missing', 'b.dtbo'), data: 'B' },
  ]);
  assert.equal(why, `'${path.join(dir, 'missing', 'b.dtbo')}': the folder '${path.join(dir, 'missing')}' does not exist`);
  assert.equal(fs.readFileSync(a, 'utf8'), 'old A');
  assert.deepEqual(fs.readdirSync(dir), ['a.dtso']);
});

test('several outputs: a failed rename puts back the ones already renamed', () => {
  const dir = tmpdir();
  const [a, b, c] = ['a.dtso', 'b.dtbo', 'c.dtb'].map((f) => path.join(dir, f));
  fs.writeFileSync(a, 'old A');
  let renames = 0;
  const failing = {
    renameSync(from: string, to: string): void {
      if (++renames === 3) throw Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
      fs.renameSync(from, to);
    },
  };
  const why = writeOutputs([{ file: a, data: 'new A' }, { file: b, data: 'B' }, { file: c, data: 'C' }], failing);
  assert.equal(why, `'${c}': cannot replace it: no permission to create files in '${dir}'`);
  assert.equal(fs.readFileSync(a, 'utf8'), 'old A');
  assert.deepEqual(fs.readdirSync(dir), ['a.dtso']);
});

test('reasons name the path the user gave, never a temp name or an errno code', () => {
  const dir = tmpdir();
  const cases: Array<[string, string]> = [
    [path.join(dir, 'no', 'x.dtb'), `the folder '${path.join(dir, 'no')}' does not exist`],
    [dir, 'it is a directory'],
    ['', 'the output file name is empty'],
  ];
  for (const [file, expected] of cases) {
    const why = writeFileAtomically(file, 'x');
    assert.equal(why, expected);
    assert.doesNotMatch(why!, /\.tmp|E[A-Z]{3,}/);
  }
  assert.equal(writeFilesAtomically([{ file: path.join(dir, 'a'), data: '1' }, { file: path.join(dir, 'a'), data: '2' }]), `'${path.join(dir, 'a')}' and '${path.join(dir, 'a')}' are the same file`);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a read-only file is not replaced by a user who may not write it', { skip: isRoot && 'root may write any file' }, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'ro.dtb');
  fs.writeFileSync(file, 'old');
  fs.chmodSync(file, 0o444);
  assert.equal(writeFileAtomically(file, 'new'), 'permission denied (the file is read-only)');
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
});

test('SIGTERM during a write: the process ends by the signal and leaves no temp file', async () => {
  const dir = tmpdir();
  const out = path.join(dir, 'big.dtb');
  const helper = fileURLToPath(new URL('../../src/cli/output.js', import.meta.url));
  const script = `
    import { writeFileAtomically } from ${JSON.stringify(helper)};
    import * as fs from 'node:fs';
    const data = new Uint8Array(96 * 1024 * 1024).fill(7);
    fs.writeSync(1, 'writing\\n');
    writeFileAtomically(${JSON.stringify(out)}, data);
    setTimeout(() => {}, 5000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  // the write of 96 MB takes a few hundred ms here: the signal lands in the middle of it
  child.stdout.once('data', () => setTimeout(() => child.kill('SIGTERM'), 50));
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  assert.equal(signal, 'SIGTERM', `exit code ${code}`);
  assert.deepEqual(leftovers(dir), []);
  // the output is whole or absent, never partial
  if (fs.existsSync(out)) assert.equal(fs.statSync(out).size, 96 * 1024 * 1024);
});
