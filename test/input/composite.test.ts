// Base + overlays through the input stage: the composite keeps source locations from
// every file, and base and overlay given the wrong way round are warned about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { loadComposite } from '../../src/input/composite.js';
import { BASE, OVERLAY } from '../overlay/fixtures.js';
import { compileDts } from '../overlay/support.js';
import { tempDir, writeTree } from './support.js';

function files(): string {
  const dir = tempDir();
  writeTree(dir, {
    'base.dts': BASE, 'ov.dtso': OVERLAY,
    'base.dtb': compileDts(BASE, 'base.dts').bytes, 'ov.dtbo': compileDts(OVERLAY, 'ov.dtso').bytes,
  });
  return dir;
}

const load = (dir: string, base: string, overlays: string[]) =>
  loadComposite(path.join(dir, base), overlays.map((o) => path.join(dir, o)), { host: nodeHost, includeDirs: [] });

test('the composite of sources points into the base and into the overlay', () => {
  const dir = files();
  const c = load(dir, 'base.dts', ['ov.dtso']);
  assert.deepEqual(c.diagnostics, []);
  const uart = c.tree!.findByPath('/soc@0/serial@100')!;
  const at = (p: string) => {
    const s = uart.getProperty(p)?.span;
    return s && [path.basename(s.file), s.line, s.column];
  };
  assert.deepEqual(at('reg'), ['base.dts', 11, 22]);
  assert.deepEqual(at('status'), ['ov.dtso', 4, 2]);
  assert.deepEqual(c.tree!.findByPath('/soc@0/added')?.span && path.basename(c.tree!.findByPath('/soc@0/added')!.span!.file), 'ov.dtso');
  // labels come back from the base and from __symbols__
  assert.deepEqual(uart.labels.map((l) => l.name), ['uart']);
  assert.deepEqual(c.tree!.findByPath('/soc@0/serial@100/sub')?.labels.map((l) => l.name), ['child']);
});

test('a blob base gets its labels back from __symbols__', () => {
  const dir = files();
  const c = load(dir, 'base.dtb', []);
  assert.deepEqual(c.tree!.findByPath('/soc@0/pinctrl@200')?.labels.map((l) => l.name), ['pinctrl']);
});

test('swapped inputs: an overlay as the base, a base as the overlay', () => {
  const dir = files();
  const c = load(dir, 'ov.dtbo', ['base.dtb']);
  assert.deepEqual(c.diagnostics.filter((d) => d.rule === 'input_swapped').map((d) => [d.severity, path.basename(d.file!), d.message]), [
    ['warning', 'ov.dtbo', 'the base looks like an overlay (it has __fixups__): are the base and the overlay swapped?'],
    ['warning', 'base.dtb', 'given as an overlay, but it is a base tree (no /plugin/, no fragments, no fixups): are the base and the overlay swapped?'],
  ]);
  const src = load(dir, 'ov.dtso', ['base.dts']);
  assert.deepEqual(src.diagnostics.filter((d) => d.rule === 'input_swapped').map((d) => d.message.split(':')[0]), [
    'the base looks like an overlay (it is a /plugin/ source)', 'given as an overlay, but it is a base tree (no /plugin/, no fragments, no fixups)',
  ]);
});

test('an overlay without references is still recognised by its fragments', () => {
  const dir = tempDir();
  writeTree(dir, { 'plain.dtbo': compileDts('/dts-v1/;\n/ { fragment@0 { target-path = "/"; __overlay__ { x = <1>; }; }; };\n', 'plain.dts', { symbols: false }).bytes });
  writeTree(dir, { 'base.dtb': compileDts(BASE, 'base.dts').bytes });
  const c = load(dir, 'base.dtb', ['plain.dtbo']);
  assert.deepEqual(c.diagnostics, []);
  assert.equal(c.tree?.root.getU32('x'), 1);
});
