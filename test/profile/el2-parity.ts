// The built-in profiles against the kernel's own -el2 overlays: for every -el2 composite
// of qcom-composites.txt, dtkit's whole path (compile the board, generate the overlay
// from the built-in profile, compile it, apply it) must give the bytes fdtoverlay gives
// for upstream's .dtbo on the cpp + dtc -@ board; and so must the profile that
// `--from` recovers from upstream's .dtso. Full run:
//   node dist/test/profile/el2-parity.js --run
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { indexBase } from '../../src/profile/base.js';
import { profilePath } from '../../src/profile/builtin.js';
import { profileFromOverlay } from '../../src/profile/from-overlay.js';
import type { GenerateResult } from '../../src/profile/generate.js';
import { generateOverlay } from '../../src/profile/generate.js';
import { readFdt } from '../../src/fdt/reader.js';
import { linuxDtDir } from '../support/corpus.js';
import type { Composite } from '../overlay/oracle.js';
import { dtcBuild, fdtoverlayApply, qcomComposites, qcomSource, sameBytes } from '../overlay/oracle.js';

export interface El2Case extends Composite {
  /** built-in profile name: lemans-el2.dtbo -> lemans */
  profile: string;
}

export function el2Cases(): El2Case[] {
  return qcomComposites()
    .filter((c) => c.target.endsWith('-el2') && c.overlays.length === 1)
    .map((c) => ({ ...c, profile: c.overlays[0].replace(/-el2\.dtbo$/, '') }));
}

export function kernelIncludeDirs(src: string): string[] {
  const linux = linuxDtDir()!;
  return ['include', 'src/arm64', 'src', path.dirname(src)].map((d) => path.join(linux, d));
}

/** fdtoverlay applying upstream's .dtbo to the cpp + dtc -@ board. */
export function upstreamComposite(c: El2Case): Uint8Array | undefined {
  const base = dtcBuild(qcomSource(c.base), { symbols: true });
  const overlay = dtcBuild(qcomSource(c.overlays[0]), { symbols: true });
  return base && overlay ? fdtoverlayApply(base, [overlay]) : undefined;
}

export function dtkitComposite(c: El2Case, profileFile: string): GenerateResult {
  const src = qcomSource(c.base);
  return generateOverlay({
    host: nodeHost, profileFile, baseFile: path.join(linuxDtDir()!, src),
    includeDirs: kernelIncludeDirs(src), dtsoName: path.join(os.tmpdir(), `${c.target}.dtso`),
  });
}

/** The profile `--from` recovers from upstream's .dtso (with the base), written to a temp file. */
export function recoveredProfile(c: El2Case, dir: string): string | undefined {
  const linux = linuxDtDir()!;
  const overlay = dtcBuild(qcomSource(c.overlays[0]), { symbols: true });
  const base = dtcBuild(qcomSource(c.base), { symbols: true });
  const ov = overlay && readFdt(overlay, c.overlays[0]).tree;
  const bt = base && readFdt(base, c.base).tree;
  if (!ov || !bt) return undefined;
  const r = profileFromOverlay({ overlay: ov, overlayFile: path.join(linux, qcomSource(c.overlays[0])), base: indexBase(bt, c.base), name: c.profile });
  if (!r.yaml) return undefined;
  const file = path.join(dir, `${c.profile}-from-${c.target}.yaml`);
  fs.writeFileSync(file, r.yaml);
  return file;
}

export interface ParityOutcome {
  target: string;
  builtin: boolean;
  /** fdtoverlay applying dtkit's .dtbo to the cpp + dtc -@ board */
  viaFdtoverlay: boolean;
  recovered: boolean;
  detail: string;
}

export function checkCase(c: El2Case, tmp: string): ParityOutcome {
  const reference = upstreamComposite(c);
  if (!reference) return { target: c.target, builtin: false, viaFdtoverlay: false, recovered: false, detail: 'the oracle could not build the composite' };
  const details: string[] = [];
  const mine = dtkitComposite(c, profilePath(c.profile)!);
  const builtin = sameBytes(reference, mine.applied);
  if (!builtin) details.push(`built-in: ${mine.applied ? 'bytes differ' : mine.diagnostics.map((d) => d.message).join('; ')}`);
  const base = dtcBuild(qcomSource(c.base), { symbols: true })!;
  const viaFdtoverlay = sameBytes(reference, mine.dtbo && fdtoverlayApply(base, [mine.dtbo]));
  if (!viaFdtoverlay) details.push('fdtoverlay with dtkit\'s .dtbo: bytes differ');
  const recoveredFile = recoveredProfile(c, tmp);
  const again = recoveredFile ? dtkitComposite(c, recoveredFile) : undefined;
  const recovered = sameBytes(reference, again?.applied);
  if (!recovered) details.push(`--from: ${again?.applied ? 'bytes differ' : again?.diagnostics.map((d) => d.message).join('; ') ?? 'no profile'}`);
  return { target: c.target, builtin, viaFdtoverlay, recovered, detail: details.join(' | ') };
}

function main(): void {
  if (!linuxDtDir()) {
    process.stderr.write('corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT)\n');
    process.exitCode = 1;
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-el2-'));
  const cases = el2Cases();
  let builtin = 0, viaFdtoverlay = 0, recovered = 0;
  const t0 = Date.now();
  for (const c of cases) {
    const o = checkCase(c, tmp);
    if (o.builtin) builtin++;
    if (o.viaFdtoverlay) viaFdtoverlay++;
    if (o.recovered) recovered++;
    if (o.detail) process.stdout.write(`${c.target}: ${o.detail}\n`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`built-in profiles: ${builtin}/${cases.length} identical to fdtoverlay + upstream -el2.dtbo\n`);
  process.stdout.write(`fdtoverlay applying dtkit's .dtbo: ${viaFdtoverlay}/${cases.length} identical\n`);
  process.stdout.write(`--from round trip: ${recovered}/${cases.length} identical\n`);
  process.stdout.write(`(${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  if (builtin !== cases.length || viaFdtoverlay !== cases.length || recovered !== cases.length) process.exitCode = 1;
}

if (process.argv.includes('--run')) main();
