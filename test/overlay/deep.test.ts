// Deep and wide overlays: the transforms (__symbols__, __fixups__, __local_fixups__) and
// the apply steps (local fixups, merge) walk with explicit stacks and name indexes, and
// give fdtoverlay's bytes where it can run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { readFdt } from '../../src/fdt/reader.js';
import { fdtoverlayApply } from './oracle.js';
import { compileDts } from './support.js';

const DEPTH = 3000;

function deepOverlay(depth: number): string {
  return `/dts-v1/;\n/plugin/;\n&{/} {\n${'n {\n'.repeat(depth)}l: x { r = <&l &base>; };\n${'};\n'.repeat(depth)}};\n`;
}

test(`an overlay ${DEPTH} levels deep compiles with its local fixups and applies`, () => {
  const base = compileDts('/dts-v1/;\n/ {\n\tbase: b { };\n};\n', 'base.dts');
  const ov = compileDts(deepOverlay(DEPTH), 'deep.dtso');
  let mirror = ov.tree.root.getChild('__local_fixups__')!;
  for (let i = 0; i < DEPTH + 3; i++) mirror = mirror.nodes[0];
  assert.deepEqual(mirror.props.map((p) => p.name), ['r']);
  const r = applyOverlays(base.bytes, [{ bytes: ov.bytes, file: 'deep.dtbo' }]);
  assert.deepEqual(r.diagnostics, []);
  const out = readFdt(r.bytes!, 'out.dtb').tree!;
  let x = out.root;
  for (let i = 0; i < DEPTH; i++) x = x.getChild('n')!;
  assert.ok(x.getChild('x')!.getProperty('r'));
  const ref = fdtoverlayApply(base.bytes, [ov.bytes]);
  if (ref) assert.ok(Buffer.from(r.bytes!).equals(Buffer.from(ref)), "fdtoverlay gives other bytes");
});

test('an overlay with 20,000 unresolved labels and 20,000 local references stays linear', () => {
  const n = 20_000;
  let text = '/dts-v1/;\n/plugin/;\n&{/} {\n';
  for (let i = 0; i < n; i++) text += `\tl${i}: n${i} { a = <&ext${i}>; b = <&l${i}>; };\n`;
  const t0 = performance.now();
  const ov = compileDts(`${text}};\n`, 'wide.dtso');
  assert.ok(performance.now() - t0 < 20_000);
  assert.equal(ov.tree.root.getChild('__fixups__')!.props.length, n);
  assert.equal(ov.tree.root.getChild('__symbols__')!.props.length, n);
});
