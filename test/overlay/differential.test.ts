// Seeded random overlays against fdtoverlay: values that grow, shrink and keep their
// padded size (the stale-padding cases), new properties and nodes, loose name matches
// (`child` vs `child@N`). Every case must give fdtoverlay's bytes, or fail when it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { skipUnless } from '../support/corpus.js';
import { fdtoverlayApply, sameBytes } from './oracle.js';

/** A small linear congruential generator: the same cases on every run. */
function generator(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s >>> 16) % n; // the high bits: an LCG's low bits repeat quickly
  };
}

/** `count` distinct names, starting at a random one. */
function someNames(rnd: (n: number) => number, count: number): string[] {
  const start = rnd(NAMES.length);
  return Array.from({ length: Math.min(count, NAMES.length) }, (_, i) => NAMES[(start + i) % NAMES.length]);
}

const NAMES = ['a', 'bb', 'status', 'compatible', 'reg', 'p-q', 'zz9', 'name-x'];
const NODES = ['n0', 'n1@1', 'n2', 'sub', 'm@2'];

function randomCase(rnd: (n: number) => number): { base: string; overlay: string } {
  const value = (): string => {
    switch (rnd(4)) {
      case 0: return ` = "${'x'.repeat(rnd(13))}"`;
      case 1: return ` = <${Array.from({ length: rnd(4) }, () => rnd(100)).join(' ')}>`;
      case 2: return ` = [${Array.from({ length: rnd(7) }, () => rnd(256).toString(16).padStart(2, '0')).join(' ')}]`;
      default: return '';
    }
  };
  const prop = (name: string): string => `${name}${value()};`;
  const label = (n: string): string => `l_${n.replace('@', '_')}`;
  let base = '/dts-v1/;\n/ {\n';
  for (const n of NODES) {
    base += `\t${label(n)}: ${n} {\n`;
    for (const name of someNames(rnd, rnd(4))) base += `\t\t${prop(name)}\n`;
    base += `\t\tchild@${rnd(3)} { ${prop('c')} };\n\t};\n`;
  }
  base += '};\n';
  let overlay = '/dts-v1/;\n/plugin/;\n';
  for (let f = 1 + rnd(4); f > 0; f--) {
    overlay += `&${label(NODES[rnd(NODES.length)])} {\n`;
    for (const name of someNames(rnd, rnd(5))) overlay += `\t${prop(name)}\n`;
    if (rnd(2)) overlay += `\tnew${rnd(3)}: added${rnd(3)} { ${prop('x')} r = <&l_n0>; };\n`;
    if (rnd(2)) overlay += `\tchild { ${prop('c')} };\n`;
    overlay += '};\n';
  }
  return { base, overlay };
}

function dtc(dir: string, name: string, text: string): Uint8Array | undefined {
  const src = path.join(dir, name);
  fs.writeFileSync(src, text);
  const r = spawnSync('dtc', ['-q', '-@', '-O', 'dtb', '-o', `${src}.dtb`, src]);
  return r.status === 0 ? fs.readFileSync(`${src}.dtb`) : undefined;
}

test('seeded random overlays: byte-identical to fdtoverlay (or failing where it fails)', (t) => {
  const skip = skipUnless({ dtc: true, fdtoverlay: true });
  if (skip) return t.skip(skip);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-overlay-diff-'));
  const rnd = generator(20260101);
  const disagreements: string[] = [];
  let compared = 0;
  try {
    for (let i = 0; i < 25; i++) {
      const c = randomCase(rnd);
      const base = dtc(dir, 'base.dts', c.base);
      const overlay = dtc(dir, 'ov.dts', c.overlay);
      if (!base || !overlay) continue;
      compared++;
      const reference = fdtoverlayApply(base, [overlay]);
      const mine = applyOverlays(base, [{ bytes: overlay, file: 'ov.dtbo' }]).bytes;
      const agree = reference ? sameBytes(mine, reference) : mine === undefined;
      if (!agree) disagreements.push(`case ${i}:\n${c.base}\n${c.overlay}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(compared >= 20, `only ${compared} cases compiled`);
  assert.deepEqual(disagreements, []);
});
