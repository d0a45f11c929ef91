// `dtkit compile` behaviour at the edges: exit codes, located errors, no output on error,
// and the -D / -I / -@ wiring into the pipeline.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CompileCliOptions } from '../../src/cli/compile.js';
import { runCompile } from '../../src/cli/compile.js';
import { compileText } from '../../src/compile/compile.js';
import { memoryHost } from '../../src/host.js';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-compile-test-'));
}

function options(extra: Partial<CompileCliOptions> = {}): CompileCliOptions {
  return { include: [], define: [], undefine: [], outFormat: 'dtb', cpp: true, warning: [], error: [], ...extra };
}

function run(input: string, opts: CompileCliOptions): { code: number; out: Buffer; err: string } {
  const out: Uint8Array[] = [];
  let err = '';
  const code = runCompile(input, opts, { stdout: (d) => out.push(d), stderr: (t) => (err += t) });
  return { code, out: Buffer.concat(out), err };
}

test('a bad input exits 1 with a located error and writes no output file', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'bad.dts'), '/dts-v1/;\n/ {\n\tx = <FOO>;\n};\n');
  const out = path.join(dir, 'bad.dtb');
  const r = run(path.join(dir, 'bad.dts'), options({ output: out }));
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.dts:3:7: error: unexpected identifier 'FOO' \(an undefined macro\?\) \[syntax\]/);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(dir), ['bad.dts']);
});

test('an unknown output format is a usage error (exit 2)', () => {
  assert.equal(run('x.dts', options({ outFormat: 'yaml' })).code, 2);
});

test('a missing input exits 1', () => {
  assert.equal(run('/nonexistent/x.dts', options()).code, 1);
});

test('-D, -I and -@ reach the pipeline; the DTB goes to -o', () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'inc'));
  fs.writeFileSync(path.join(dir, 'inc', 'vals.h'), '#define VAL 7\n');
  fs.writeFileSync(path.join(dir, 'b.dts'), '/dts-v1/;\n#include "vals.h"\n/ {\n\tl: n { x = <VAL WIDTH>; };\n};\n');
  const out = path.join(dir, 'b.dtb');
  const r = run(path.join(dir, 'b.dts'), options({ include: [path.join(dir, 'inc')], define: ['WIDTH=3'], symbols: true, output: out }));
  assert.equal(r.code, 0, r.err);
  const dtb = fs.readFileSync(out);
  assert.equal(dtb.readUInt32BE(0), 0xd00dfeed);
  assert.ok(dtb.includes(Buffer.from([0, 0, 0, 7, 0, 0, 0, 3])));
  assert.ok(dtb.includes(Buffer.from('__symbols__')));
});

test('compileText compiles in-memory text with includes beside it', () => {
  const host = memoryHost({ '/m/inc.dtsi': '/ { a = <1>; };' });
  const r = compileText('/dts-v1/;\n#include "inc.dtsi"\n/ { b; };\n', '/m/main.dts', { host });
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.equal(r.tree?.root.getU32('a'), 1);
});

test('-b sets the boot cpu', () => {
  const host = memoryHost({});
  const r = compileText('/dts-v1/;\n/ { cpus { cpu@1 { reg = <1>; }; }; };\n', '/m/main.dts', { host, bootCpuid: 5 });
  assert.equal(r.tree?.bootCpuid, 5);
  const g = compileText('/dts-v1/;\n/ { cpus { cpu@1 { reg = <1>; }; }; };\n', '/m/main.dts', { host });
  assert.equal(g.tree?.bootCpuid, 1);
});
