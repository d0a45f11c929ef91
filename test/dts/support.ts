// Helpers for DTS language tests: compile in-memory sources with dtkit (no cpp), and the
// same sources with the installed dtc, for byte comparison.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompileResult } from '../../src/compile/compile.js';
import { compileFile } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { memoryHost } from '../../src/host.js';

export const MAIN = '/t/main.dts';

export function compileDts(dts: string, files: Record<string, string | Uint8Array> = {}, opts: { symbols?: boolean } = {}): CompileResult {
  const host = memoryHost({ [MAIN]: dts, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [path.posix.join('/t', k), v])) });
  return compileFile(MAIN, { host, cpp: false, includeDirs: [], symbols: opts.symbols });
}

export function dtkitDtb(dts: string, files: Record<string, string | Uint8Array> = {}, opts: { symbols?: boolean } = {}): Uint8Array | undefined {
  const r = compileDts(dts, files, opts);
  return r.ok && r.tree ? writeFdt(r.tree) : undefined;
}

/** dtc's DTB for the same sources, or undefined when dtc rejects them. */
export function dtcDtb(dts: string, files: Record<string, string | Uint8Array> = {}, opts: { symbols?: boolean } = {}): Uint8Array | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-dts-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.dts'), dts, 'latin1');
    for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, k), typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
    execFileSync('dtc', ['-q', '-O', 'dtb', ...(opts.symbols ? ['-@'] : []), '-o', path.join(dir, 'out.dtb'), path.join(dir, 'main.dts')], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    return fs.readFileSync(path.join(dir, 'out.dtb'));
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
