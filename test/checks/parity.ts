// Full corpus parity of the dtc 1.6.1 check table against the installed dtc 1.6.1 (a
// script, not part of `npm test`; dtkit's default table, dtc 1.8.1's, is compared with
// dtc 1.8.1's recorded findings by golden.ts):
//   node dist/test/checks/parity.js [--input dtb|dts] [--oracle dts|dtb] [--overlays] [--sample N] [--cache DIR] [--out FILE] [--filter SUBSTR]
// (--overlays: the .dtso files instead, compiled with -@ as the kernel does)
//   node dist/test/checks/parity.js --dtc-tests
// (dtc's own test inputs that dtc 1.6.1 accepts: dtkit-parsed source against dtc 1.6.1)
// For every board .dts under linux-dt/src/arm64 it builds the DTB the kernel's way
// (cpp + dtc, cached), reads it with dtkit's FDT reader (--input dtb, the default) or
// parses the cpp output with dtkit's DTS parser (--input dts), runs dtc's rows, and compares
// the findings (check id, severity, node path, property, message) with dtc's stderr:
//   --oracle dts: what dtc said compiling the source (labels and markers exist there)
//   --oracle dtb: what dtc says checking the DTB itself (`dtc -I dtb`), like for like
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDts } from '../../src/dts/parser.js';
import { rawSource } from '../../src/dts/source.js';
import { readFdt } from '../../src/fdt/reader.js';
import { nodeHost } from '../../src/host.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import { runChecks } from '../../src/checks/run.js';
import { dtcChecks } from '../../src/checks/table.js';
import { linuxDtDir } from '../support/corpus.js';
import type { Finding } from './parity-lib.js';
import { compareFindings, findingOf, parseDtcStderr } from './parity-lib.js';

/** The table the installed dtc (Debian's 1.6.1) runs. */
const LIVE_DTC_TABLE = '1.6.1';

export interface BoardBuild {
  dtb?: Uint8Array;
  /** dtc's stderr compiling the source */
  stderr: string;
}

/** cpp + dtc as the kernel runs them (corpus README), cached under `cacheDir`. */
export function buildBoard(linuxDt: string, rel: string, cacheDir: string): BoardBuild {
  const base = path.join(cacheDir, rel);
  const dtbFile = `${base}.dtb`;
  const errFile = `${base}.err`;
  if (!fs.existsSync(errFile)) {
    fs.mkdirSync(path.dirname(base), { recursive: true });
    const tmp = `${base}.tmp`;
    spawnSync('cpp', ['-nostdinc', '-I', 'include', '-I', 'src/arm64', '-I', 'src', '-undef', '-D__DTS__',
      '-x', 'assembler-with-cpp', '-o', tmp, rel], { cwd: linuxDt });
    const symbols = rel.endsWith('.dtso') ? ['-@'] : [];
    const r = spawnSync('dtc', ['-O', 'dtb', '-b', '0', ...symbols, '-i', path.dirname(rel), '-i', 'src/arm64', '-o', dtbFile, tmp],
      { cwd: linuxDt, encoding: 'latin1' });
    fs.writeFileSync(errFile, r.stderr ?? '', 'latin1');
  }
  return {
    dtb: fs.existsSync(dtbFile) ? new Uint8Array(fs.readFileSync(dtbFile)) : undefined,
    stderr: fs.readFileSync(errFile, 'latin1'),
  };
}

/** dtc's findings checking a DTB (`dtc -I dtb -O dtb`), cached beside it. */
export function dtbOracle(dtbFile: string): string {
  const errFile = `${dtbFile}.dtb-err`;
  if (!fs.existsSync(errFile)) {
    const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dtb', '-o', '/dev/null', dtbFile], { encoding: 'latin1' });
    fs.writeFileSync(errFile, r.stderr ?? '', 'latin1');
  }
  return fs.readFileSync(errFile, 'latin1');
}

/** dtkit's findings on the cpp output (the same text dtc read), parsed by dtkit. */
export function dtkitFindingsFromSource(linuxDt: string, rel: string, cacheDir: string): Finding[] | undefined {
  const tmp = path.join(cacheDir, `${rel}.tmp`);
  if (!fs.existsSync(tmp)) return undefined;
  const diagnostics = new Diagnostics();
  const includeDirs = [path.join(linuxDt, path.dirname(rel)), path.join(linuxDt, 'src/arm64')];
  const { tree, ok } = parseDts(rawSource(tmp, fs.readFileSync(tmp, 'latin1')), { host: nodeHost, includeDirs, diagnostics });
  if (!ok) return undefined;
  const options = { symbols: rel.endsWith('.dtso') };
  return runChecks(tree, { checks: dtcChecks(LIVE_DTC_TABLE), options, file: tmp }).diagnostics.map(findingOf);
}

/** dtkit's findings on a DTB. */
export function dtkitFindings(dtb: Uint8Array, file: string): Finding[] {
  const read = readFdt(dtb, file);
  if (!read.tree) return [];
  return runChecks(read.tree, { checks: dtcChecks(LIVE_DTC_TABLE), file }).diagnostics.map(findingOf);
}

export function boards(linuxDt: string, ext = '.dts'): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(linuxDt, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(ext)) out.push(rel);
    }
  };
  walk('src/arm64');
  return out;
}

/** dtc-tests inputs dtc 1.6.1 cannot run (hangs or crashes; corpus README). */
const DTC_1_6_1_BROKEN = /^(phandle-args-overflow|bad-graph-root\d|bad-graph-reg-cells)\.dts$/;

function dtcTestsParity(dir: string): number {
  let matched = 0, total = 0, extra = 0, files = 0;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.dts') && !DTC_1_6_1_BROKEN.test(x)).sort()) {
    const file = path.join(dir, f);
    const r = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', '/dev/null', '-i', dir, file], { encoding: 'latin1', timeout: 10000 });
    if (/syntax error|FATAL|Unable to parse/.test(r.stderr ?? '')) continue; // not a checks input
    const diagnostics = new Diagnostics();
    const { tree, ok } = parseDts(rawSource(file, fs.readFileSync(file, 'latin1')), { host: nodeHost, includeDirs: [dir], diagnostics });
    if (!ok) {
      console.log(`${f}: dtkit could not parse it`);
      continue;
    }
    files++;
    const want = parseDtcStderr(r.stderr ?? '');
    const cmp = compareFindings(want, runChecks(tree, { checks: dtcChecks(LIVE_DTC_TABLE) }).diagnostics.map(findingOf));
    matched += cmp.matched;
    total += want.length;
    extra += cmp.extra.length;
    for (const k of cmp.missing) console.log(`${f}: MISSING ${k}`);
    for (const k of cmp.extra) console.log(`${f}: EXTRA ${k}`);
  }
  console.log(`dtc-tests inputs ${files}: findings matched ${matched}/${total}, extra ${extra}`);
  return 0;
}

function main(argv: string[]): number {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const linuxDt = linuxDtDir();
  if (!linuxDt) {
    console.error('corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT)');
    return 1;
  }
  try {
    execFileSync('dtc', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('dtc not installed');
    return 1;
  }
  if (argv.includes('--dtc-tests')) return dtcTestsParity(path.join(path.dirname(linuxDt), 'dtc-tests'));
  const oracle = arg('--oracle') ?? 'dts';
  const input = arg('--input') ?? 'dtb';
  const cacheDir = arg('--cache') ?? '/tmp/dtkit-parity-cache';
  const filter = arg('--filter');
  let list = boards(linuxDt, argv.includes('--overlays') ? '.dtso' : '.dts').filter((b) => !filter || b.includes(filter));
  const sample = Number(arg('--sample') ?? 0);
  if (sample > 0) list = list.filter((_, i) => i % Math.ceil(list.length / sample) === 0);

  let matched = 0, total = 0, extra = 0, noDtb = 0, unparsed = 0;
  const perRule = new Map<string, { matched: number; missing: number; extra: number }>();
  const lines: string[] = [];
  const bump = (key: string, field: 'matched' | 'missing' | 'extra'): void => {
    const rule = /\(([a-z0-9_]+)\)/.exec(key)?.[1] ?? '?';
    const r = perRule.get(rule) ?? { matched: 0, missing: 0, extra: 0 };
    r[field]++;
    perRule.set(rule, r);
  };
  for (const rel of list) {
    const build = buildBoard(linuxDt, rel, cacheDir);
    if (!build.dtb) {
      noDtb++;
      continue;
    }
    const want = parseDtcStderr(oracle === 'dtb' ? dtbOracle(path.join(cacheDir, `${rel}.dtb`)) : build.stderr);
    const got = input === 'dts' ? dtkitFindingsFromSource(linuxDt, rel, cacheDir) : dtkitFindings(build.dtb, `${rel}.dtb`);
    if (!got) {
      unparsed++;
      lines.push(`${rel}: dtkit could not parse the cpp output`);
      continue;
    }
    const cmp = compareFindings(want, got);
    matched += cmp.matched;
    total += want.length;
    extra += cmp.extra.length;
    for (const k of cmp.missing) {
      bump(k, 'missing');
      lines.push(`${rel}: MISSING ${k}`);
    }
    for (const k of cmp.extra) {
      bump(k, 'extra');
      lines.push(`${rel}: EXTRA ${k}`);
    }
    const missingSet = new Map<string, number>();
    for (const k of cmp.missing) missingSet.set(k, (missingSet.get(k) ?? 0) + 1);
    for (const f of want) {
      const k = `${f.severity} (${f.rule}): ${f.node}${f.property ? ':' + f.property : ''}: ${f.message}`;
      const n = missingSet.get(k) ?? 0;
      if (n > 0) missingSet.set(k, n - 1);
      else bump(k, 'matched');
    }
  }
  const out = arg('--out') ?? path.join(cacheDir, `parity-${input}-vs-${oracle}.txt`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join('\n') + '\n');
  for (const [rule, r] of [...perRule].sort()) {
    if (r.missing || r.extra) console.log(`${rule}: matched ${r.matched}, missing ${r.missing}, extra ${r.extra}`);
  }
  console.log(`boards ${list.length} (no dtb: ${noDtb}, unparsed: ${unparsed}), input ${input}, oracle ${oracle}: findings matched ${matched}/${total}, extra ${extra} (details: ${out})`);
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) process.exitCode = main(process.argv.slice(2));
