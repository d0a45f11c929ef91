// The kernel's way of building DTBs/DTBOs (cpp + dtc -@) and fdtoverlay, next to dtkit's
// own compile and apply, for the overlay conformance test and the full-corpus script.
// Oracle outputs are cached in a temp folder: they only depend on the corpus.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { ensureOverlayNodes } from '../../src/overlay/emit/transforms.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import { corpusDir, linuxDtDir } from '../support/corpus.js';

export interface Composite {
  target: string;
  /** base DTB file name, e.g. lemans-evk.dtb */
  base: string;
  /** overlay DTBO file names, in application order */
  overlays: string[];
}

/** The kernel's Qualcomm composites (corpus qcom-composites.txt). */
export function qcomComposites(): Composite[] {
  const c = corpusDir();
  const file = c && path.join(c, 'qcom-composites.txt');
  if (!file || !fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [target, base, ...overlays] = l.trim().split(/\s+/);
      return { target, base, overlays };
    });
}

export const cacheDir = (): string => {
  const d = path.join(os.tmpdir(), `dtkit-overlay-oracle-${process.getuid?.() ?? 0}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
};

/** Source (relative to linux-dt) of a qcom DTB/DTBO name: foo.dtb -> src/arm64/qcom/foo.dts. */
export function qcomSource(blobName: string): string {
  return `src/arm64/qcom/${blobName.replace(/\.dtbo$/, '.dtso').replace(/\.dtb$/, '.dts')}`;
}

function cacheName(src: string, symbols: boolean): string {
  return path.join(cacheDir(), `${src.replace(/[/]/g, '__')}${symbols ? '.sym' : ''}.dtb`);
}

/** cpp + dtc as the kernel runs them; the blob, or undefined when dtc refuses. */
export function dtcBuild(src: string, opts: { symbols: boolean }): Uint8Array | undefined {
  const linux = linuxDtDir()!;
  const out = cacheName(src, opts.symbols);
  if (fs.existsSync(out)) return fs.readFileSync(out);
  const tmp = `${out}.${process.pid}.tmp`;
  const pre = spawnSync('cpp', ['-nostdinc', '-I', 'include', '-I', 'src/arm64', '-I', 'src', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', '-o', `${tmp}.pp`, src], { cwd: linux });
  if (pre.status !== 0) return undefined;
  const dir = path.dirname(src);
  const args = ['-O', 'dtb', '-b', '0', '-i', dir, '-i', 'src/arm64', ...(opts.symbols ? ['-@'] : []), '-o', tmp, `${tmp}.pp`];
  const r = spawnSync('dtc', args, { cwd: linux });
  fs.rmSync(`${tmp}.pp`, { force: true });
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    return undefined;
  }
  fs.renameSync(tmp, out);
  return fs.readFileSync(out);
}

/** dtkit's compile of the same source (with the overlay transforms), or undefined. */
export function dtkitBuild(src: string, opts: { symbols: boolean }): Uint8Array | undefined {
  const linux = linuxDtDir()!;
  const r = compileFile(path.join(linux, src), {
    includeDirs: ['include', 'src/arm64', 'src', path.dirname(src)].map((d) => path.join(linux, d)),
    symbols: opts.symbols,
    bootCpuid: 0, // the kernel passes dtc -b 0
  });
  if (!r.ok || !r.tree) return undefined;
  const diags = new Diagnostics();
  ensureOverlayNodes(r.tree, diags, { symbols: opts.symbols });
  if (diags.hasErrors) return undefined;
  return writeFdt(r.tree);
}

/** fdtoverlay's composite, or undefined when it fails. */
export function fdtoverlayApply(base: Uint8Array, overlays: Uint8Array[]): Uint8Array | undefined {
  const dir = fs.mkdtempSync(path.join(cacheDir(), 'apply-'));
  try {
    fs.writeFileSync(path.join(dir, 'base.dtb'), base);
    const names = overlays.map((o, i) => {
      const f = path.join(dir, `ov${i}.dtbo`);
      fs.writeFileSync(f, o);
      return f;
    });
    const r = spawnSync('fdtoverlay', ['-i', path.join(dir, 'base.dtb'), '-o', path.join(dir, 'out.dtb'), ...names]);
    return r.status === 0 ? fs.readFileSync(path.join(dir, 'out.dtb')) : undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a !== undefined && b !== undefined && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

export interface CompositeOutcome {
  composite: Composite;
  identical: boolean;
  detail: string;
}

/** Builds a composite with the oracle inputs both ways and compares the bytes. */
export function checkComposite(c: Composite): CompositeOutcome {
  const base = dtcBuild(qcomSource(c.base), { symbols: true });
  const overlays = c.overlays.map((o) => dtcBuild(qcomSource(o), { symbols: true }));
  if (!base || overlays.some((o) => !o)) return { composite: c, identical: false, detail: 'dtc could not build an input' };
  const ovs = overlays as Uint8Array[];
  const reference = fdtoverlayApply(base, ovs);
  const mine = applyOverlays(base, ovs.map((bytes, i) => ({ bytes, file: c.overlays[i] })), { baseFile: c.base });
  if (!reference) return { composite: c, identical: !mine.bytes, detail: 'fdtoverlay fails' };
  if (!mine.bytes) return { composite: c, identical: false, detail: mine.diagnostics.map((d) => d.message).join('; ') };
  return { composite: c, identical: sameBytes(reference, mine.bytes), detail: sameBytes(reference, mine.bytes) ? '' : 'bytes differ' };
}
