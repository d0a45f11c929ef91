// One kernel board compiled both ways: the oracle as the kernel runs it (cpp, then dtc
// with -b 0 and the vendor/arch search folders) and dtkit with the same folders. Used by
// the conformance script (run.ts, in worker threads) and by the qcom subset test.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { renderText } from '../../src/report/render.js';

export interface BoardCase {
  linuxDt: string;
  /** path relative to linuxDt, e.g. src/arm64/qcom/lemans-evk.dts */
  file: string;
  /** folder for cached oracle outputs (undefined: no cache) */
  cacheDir?: string;
}

export interface BoardOutcome {
  file: string;
  verdict: 'identical' | 'both-rejected' | 'differs' | 'dtkit-rejected' | 'dtkit-accepted-bad' | 'oracle-error'
    /** dtc 1.6.1 failed on syntax newer dtc accepts (`&{label/path}`, dtc >= 1.7), dtkit accepted */
    | 'newer-dtc-syntax';
  detail?: string;
  dtkitMs: number;
}

interface OracleResult {
  ok: boolean;
  dtb?: Uint8Array;
  stderr?: string;
}

function oracleArgs(c: BoardCase): { cpp: string[]; dtc: string[] } {
  const vendorDir = path.dirname(c.file);
  const arch = vendorDir.split('/').slice(0, 2).join('/');
  const plugin = c.file.endsWith('.dtso');
  return {
    cpp: ['-nostdinc', '-I', 'include', '-I', arch, '-I', 'src', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp'],
    dtc: ['-O', 'dtb', '-b', '0', '-i', vendorDir, '-i', arch, ...(plugin ? ['-@'] : [])],
  };
}

/** Runs cpp + dtc (cached by file name: the corpus does not change). */
export function runOracle(c: BoardCase): OracleResult {
  const key = c.file.replace(/[/]/g, '__');
  const cached = c.cacheDir && path.join(c.cacheDir, key);
  if (cached && fs.existsSync(cached + '.dtb')) return { ok: true, dtb: fs.readFileSync(cached + '.dtb') };
  if (cached && fs.existsSync(cached + '.err')) return { ok: false, stderr: fs.readFileSync(cached + '.err', 'utf8') };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-oracle-'));
  const args = oracleArgs(c);
  let result: OracleResult;
  try {
    execFileSync('cpp', [...args.cpp, '-o', path.join(tmp, 'in.tmp'), c.file], { cwd: c.linuxDt, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('dtc', [...args.dtc, '-o', path.join(tmp, 'out.dtb'), path.join(tmp, 'in.tmp')], {
      cwd: c.linuxDt,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
    result = { ok: true, dtb: fs.readFileSync(path.join(tmp, 'out.dtb')) };
  } catch (e) {
    result = { ok: false, stderr: String((e as { stderr?: Buffer }).stderr ?? e) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (cached) {
    fs.mkdirSync(c.cacheDir!, { recursive: true });
    if (result.ok) fs.writeFileSync(cached + '.dtb', result.dtb!);
    else fs.writeFileSync(cached + '.err', result.stderr ?? '');
  }
  return result;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

export function runBoard(c: BoardCase): BoardOutcome {
  const oracle = runOracle(c);
  const vendorDir = path.join(c.linuxDt, path.dirname(c.file));
  const arch = path.join(c.linuxDt, c.file.split('/').slice(0, 2).join('/'));
  const t0 = performance.now();
  const r = compileFile(path.join(c.linuxDt, c.file), {
    includeDirs: [path.join(c.linuxDt, 'include'), arch, path.join(c.linuxDt, 'src'), vendorDir],
    bootCpuid: 0,
    symbols: c.file.endsWith('.dtso'),
  });
  const dtb = r.ok && r.tree ? writeFdt(r.tree) : undefined;
  const dtkitMs = performance.now() - t0;
  const firstError = r.diagnostics.find((d) => d.severity === 'error');
  const why = firstError ? renderText(firstError).split('\n')[0] : 'no error reported';
  if (!oracle.ok) {
    if (!dtb) return { file: c.file, verdict: 'both-rejected', dtkitMs };
    const site = newerSyntaxSite(c.linuxDt, oracle.stderr ?? '');
    if (site) return { file: c.file, verdict: 'newer-dtc-syntax', detail: site, dtkitMs };
    return { file: c.file, verdict: 'dtkit-accepted-bad', detail: `dtc: ${oracle.stderr?.trim().split('\n').pop()}`, dtkitMs };
  }
  if (!dtb) return { file: c.file, verdict: 'dtkit-rejected', detail: why, dtkitMs };
  const same = dtb.length === oracle.dtb!.length && firstDifference(dtb, oracle.dtb!) === dtb.length;
  if (same) return { file: c.file, verdict: 'identical', dtkitMs };
  return {
    file: c.file,
    verdict: 'differs',
    detail: `sizes ${dtb.length} vs dtc ${oracle.dtb!.length}, first difference at byte ${firstDifference(dtb, oracle.dtb!)}`,
    dtkitMs,
  };
}

/** When dtc's syntax error sits on a label-relative path reference (`&{label/path}`, which
 *  dtc 1.6.1 predates), the source line as `file:line: text`; else undefined. */
function newerSyntaxSite(linuxDt: string, stderr: string): string | undefined {
  const m = /Error: (\S+):(\d+)\.\d+(?:-[\d.]+)? syntax error/.exec(stderr);
  if (!m) return undefined;
  let text: string | undefined;
  try {
    text = fs.readFileSync(path.join(linuxDt, m[1]), 'latin1').split('\n')[Number(m[2]) - 1];
  } catch {
    return undefined;
  }
  return text && /&\{[A-Za-z_][A-Za-z0-9_]*\//.test(text) ? `${m[1]}:${m[2]}: ${text.trim()}` : undefined;
}

/** Every board (.dts) under src/<arch>/ (vendor folders and their subfolders), optionally
 *  of one vendor, plus overlays (.dtso) when asked. */
export function listBoards(linuxDt: string, opts: { arch?: string; vendor?: string; overlays?: boolean } = {}): string[] {
  const arch = `src/${opts.arch ?? 'arm64'}`;
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(linuxDt, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.dts') || (opts.overlays && entry.name.endsWith('.dtso'))) out.push(child);
    }
  };
  for (const vendor of fs.readdirSync(path.join(linuxDt, arch)).sort()) {
    if (opts.vendor && vendor !== opts.vendor) continue;
    if (fs.statSync(path.join(linuxDt, arch, vendor)).isDirectory()) visit(`${arch}/${vendor}`);
  }
  return out;
}
