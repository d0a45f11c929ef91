// Real DTBs for round-trip and decompile tests: dtc-tests' golden blobs (no tool needed)
// and kernel boards built with the kernel's own cpp + dtc recipe into a cache folder.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { corpusDir, linuxDtDir } from '../support/corpus.js';

/** Golden DTBs that Debian's dtc 1.6.1 cannot decompile (it crashes or hangs on them). */
export const DTC_161_CANNOT_READ = new Set([
  'bad-graph-reg-cells.dtb', 'bad-graph-root1.dtb', 'bad-graph-root2.dtb', 'bad-graph-root3.dtb',
  'bad-graph-root4.dtb', 'phandle-args-overflow.dtb',
]);

export function goldenDtbs(): string[] {
  const c = corpusDir();
  const d = c && path.join(c, 'dtc-tests', 'golden-dtc-1.8.1');
  if (!d || !fs.existsSync(d)) return [];
  return fs.readdirSync(d).filter((f) => f.endsWith('.dtb')).sort().map((f) => path.join(d, f));
}

/** Kernel board sources (.dts, or .dtso overlays) under src/<arch>/<vendor>, sorted. */
export function kernelSources(opts: { arch?: string; vendor?: string; overlays?: boolean } = {}): string[] {
  const root = linuxDtDir();
  if (!root) return [];
  const arch = opts.arch ?? 'arm64';
  const ext = opts.overlays ? '.dtso' : '.dts';
  const base = path.join(root, 'src', arch);
  const vendors = opts.vendor ? [opts.vendor] : fs.readdirSync(base).filter((v) => fs.statSync(path.join(base, v)).isDirectory());
  const out: string[] = [];
  for (const v of vendors.sort()) {
    const d = path.join(base, v);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith(ext)) out.push(path.join(d, f));
  }
  return out;
}

/** `n` items spread evenly over `xs` (deterministic, first and last included). */
export function sample<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.round((i * (xs.length - 1)) / Math.max(1, n - 1))]);
  return out;
}

export function dtbCacheDir(): string {
  const d = path.join(os.tmpdir(), 'dtkit-test-dtbs');
  fs.mkdirSync(d, { recursive: true });
  return d;
}

interface BuildPlan {
  out: string;
  cwd: string;
  cpp: string[];
  dtc: string[];
  tmp: string;
}

/** The kernel's recipe for one source (always with -@, so `__symbols__` are exercised too). */
function buildPlan(source: string): BuildPlan | undefined {
  const root = linuxDtDir();
  if (!root) return undefined;
  const arch = path.basename(path.dirname(path.dirname(source)));
  const vendor = path.basename(path.dirname(source));
  const isOverlay = source.endsWith('.dtso');
  const out = path.join(dtbCacheDir(), `${arch}-${vendor}-${path.basename(source).replace(/\.dtso?$/, isOverlay ? '.dtbo' : '.dtb')}`);
  const tmp = `${out}.${process.pid}.tmp`;
  return {
    out, cwd: root, tmp,
    cpp: ['-nostdinc', '-I', 'include', '-I', `src/${arch}`, '-I', 'src', '-undef', '-D__DTS__',
      '-x', 'assembler-with-cpp', '-o', `${tmp}.dts`, source],
    dtc: ['-O', 'dtb', '-b', '0', '-i', path.dirname(source), '-i', `src/${arch}`, '-@', '-q', '-o', tmp, `${tmp}.dts`],
  };
}

function cleanUp(plan: BuildPlan): void {
  fs.rmSync(plan.tmp, { force: true });
  fs.rmSync(`${plan.tmp}.dts`, { force: true });
}

/**
 * Builds a kernel source with cpp + dtc. Returns the blob's path, or undefined when the
 * tools reject the source. Cached by name in dtbCacheDir().
 */
export function buildKernelDtb(source: string): string | undefined {
  const plan = buildPlan(source);
  if (!plan) return undefined;
  if (fs.existsSync(plan.out)) return plan.out;
  try {
    execFileSync('cpp', plan.cpp, { cwd: plan.cwd, stdio: 'ignore' });
    execFileSync('dtc', plan.dtc, { cwd: plan.cwd, stdio: 'ignore' });
    fs.renameSync(plan.tmp, plan.out);
    return plan.out;
  } catch {
    return undefined;
  } finally {
    cleanUp(plan);
  }
}

/** buildKernelDtb without blocking, for full-corpus runs that build in parallel. */
export async function buildKernelDtbAsync(source: string): Promise<string | undefined> {
  const plan = buildPlan(source);
  if (!plan) return undefined;
  if (fs.existsSync(plan.out)) return plan.out;
  const run = promisify(execFile);
  try {
    await run('cpp', plan.cpp, { cwd: plan.cwd });
    await run('dtc', plan.dtc, { cwd: plan.cwd });
    fs.renameSync(plan.tmp, plan.out);
    return plan.out;
  } catch {
    return undefined;
  } finally {
    cleanUp(plan);
  }
}

/** Runs `fn` over `items` with at most `jobs` in flight; results in input order. */
export async function mapPool<T, R>(items: T[], jobs: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return out;
}

/** `dtc -I dtb -O dts` text of a blob, or undefined when dtc fails or takes too long. */
export function dtcDecompile(dtb: string): string | undefined {
  try {
    return execFileSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', dtb], {
      encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28, timeout: 20000,
    });
  } catch {
    return undefined;
  }
}
