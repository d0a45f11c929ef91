// dtkit's check findings against dtc 1.8.1's on every arm64 board (corpus
// golden/dtc-1.8.1-checks/arm64.tsv: every line dtc 1.8.1 printed, default levels). dtkit
// compiles each board itself (its own preprocessor, the kernel's include folders), as
// `dtkit compile` does, so no cpp or dtc is needed. A finding matches when check id,
// severity, node path, property, message and source file:line all agree (dtc counts
// columns with tabs expanded, dtkit in characters, so columns are not compared). Used by
// golden.test.ts (the Qualcomm boards) and as a script for the whole corpus:
//   node dist/test/checks/golden.js [--vendor V] [--filter SUBSTR] [--preset NAME] [--out FILE]
// With --preset, the expected findings are the file's minus the rows the preset switches off.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { findPreset } from '../../src/checks/presets.js';
import { resolveCheckLevels } from '../../src/checks/switches.js';
import { DEFAULT_DTC_VERSION, dtcChecks } from '../../src/checks/table.js';
import type { CheckLevel } from '../../src/checks/types.js';
import { createPreprocessCache } from '../../src/preprocessor/index.js';
import type { PreprocessCache } from '../../src/preprocessor/types.js';
import { listBoards } from '../conformance/kernel.js';
import { corpusDir, linuxDtDir } from '../support/corpus.js';
import type { Finding } from './parity-lib.js';
import { compareKeys, findingKey, findingOf, parseDtcStderr } from './parity-lib.js';

/** Boards the golden file leaves out: they do not build (corpus README). */
const UNBUILDABLE = new Set(['src/arm64/sophgo/sg2000-milkv-duo-module-01-evb.dts']);

export function goldenFile(): string | undefined {
  const c = corpusDir();
  const f = c && path.join(c, 'golden', 'dtc-1.8.1-checks', 'arm64.tsv');
  return f && fs.existsSync(f) ? f : undefined;
}

/** A finding and where dtc says it is (file:line, relative to linux-dt; none for
 *  findings without a node, which dtc places at its output file). */
export interface LocatedFinding extends Finding {
  at?: string;
}

const POSITION = /^(.+?):(\d+)\.\d+(?:-[\d.]+)?: (?:Warning|ERROR) \(/;

/** dtc 1.8.1's findings per board (continuation lines are not findings and are dropped). */
export function readGolden(file: string): Map<string, LocatedFinding[]> {
  const out = new Map<string, LocatedFinding[]>();
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    const board = line.slice(0, tab);
    const text = line.slice(tab + 1);
    const [finding] = parseDtcStderr(text);
    if (!finding) continue;
    const pos = finding.node ? POSITION.exec(text) : null;
    const list = out.get(board) ?? [];
    list.push(pos ? { ...finding, at: `${pos[1]}:${pos[2]}` } : finding);
    out.set(board, list);
  }
  return out;
}

export function locatedKey(f: LocatedFinding): string {
  return f.at ? `${findingKey(f)} @ ${f.at}` : findingKey(f);
}

/** The boards the golden file covers (those with no findings have no row). */
export function goldenBoards(linuxDt: string, vendor?: string): string[] {
  return listBoards(linuxDt, { vendor }).filter((b) => !UNBUILDABLE.has(b));
}

/** Check levels of a preset (undefined: dtkit's default, dtc 1.8.1's). */
export function presetLevels(name?: string): Map<string, CheckLevel> | undefined {
  if (!name) return undefined;
  const preset = findPreset(name);
  if (!preset) throw new Error(`unknown preset ${name}`);
  // compileFile runs the default table; only its levels can change
  if (preset.table !== DEFAULT_DTC_VERSION) throw new Error(`preset ${name} runs another table than dtc ${DEFAULT_DTC_VERSION}'s`);
  return resolveCheckLevels(preset.switches, dtcChecks()).levels;
}

/** dtc's findings minus those of rows the levels switch off. */
export function withoutOff<F extends Finding>(findings: F[], levels?: Map<string, CheckLevel>): F[] {
  return levels ? findings.filter((f) => levels.get(f.rule) !== 'off') : findings;
}

const DTC_IDS = new Set(dtcChecks().map((c) => c.id));

/** dtkit's check findings compiling one board the kernel's way. */
export function dtkitBoardFindings(linuxDt: string, rel: string, levels?: Map<string, CheckLevel>, ppCache?: PreprocessCache): LocatedFinding[] | undefined {
  const arch = path.join(linuxDt, rel.split('/').slice(0, 2).join('/'));
  const r = compileFile(path.join(linuxDt, rel), {
    includeDirs: [path.join(linuxDt, 'include'), arch, path.join(linuxDt, 'src'), path.join(linuxDt, path.dirname(rel))],
    bootCpuid: 0,
    checkLevels: levels,
    ppCache,
  });
  if (!r.parsed) return undefined;
  return r.diagnostics.filter((d) => DTC_IDS.has(d.rule)).map((d) => {
    const f: LocatedFinding = findingOf(d);
    if (d.node && d.span) f.at = `${path.relative(linuxDt, d.span.file)}:${d.span.line}`;
    return f;
  });
}

export interface RuleTally {
  matched: number;
  missing: number;
  extra: number;
}

export interface GoldenComparison {
  boards: number;
  unparsed: string[];
  matched: number;
  total: number;
  extra: number;
  perRule: Map<string, RuleTally>;
  /** `board: MISSING|EXTRA key` lines */
  differences: string[];
}

const ruleOf = (key: string): string => /\(([a-z0-9_]+)\)/.exec(key)?.[1] ?? '?';

export function compareWithGolden(
  linuxDt: string, golden: Map<string, LocatedFinding[]>, boards: string[], preset?: string, ppCache = createPreprocessCache(),
): GoldenComparison {
  const levels = presetLevels(preset);
  const out: GoldenComparison = { boards: boards.length, unparsed: [], matched: 0, total: 0, extra: 0, perRule: new Map(), differences: [] };
  const bump = (rule: string, field: keyof RuleTally): void => {
    const t = out.perRule.get(rule) ?? { matched: 0, missing: 0, extra: 0 };
    t[field]++;
    out.perRule.set(rule, t);
  };
  for (const rel of boards) {
    const want = withoutOff(golden.get(rel) ?? [], levels);
    const got = dtkitBoardFindings(linuxDt, rel, levels, ppCache);
    out.total += want.length;
    if (!got) {
      out.unparsed.push(rel);
      continue;
    }
    const cmp = compareKeys(want.map(locatedKey), got.map(locatedKey));
    out.matched += cmp.matched;
    out.extra += cmp.extra.length;
    const missing = new Map<string, number>();
    for (const k of cmp.missing) {
      missing.set(k, (missing.get(k) ?? 0) + 1);
      bump(ruleOf(k), 'missing');
      out.differences.push(`${rel}: MISSING ${k}`);
    }
    for (const k of cmp.extra) {
      bump(ruleOf(k), 'extra');
      out.differences.push(`${rel}: EXTRA ${k}`);
    }
    for (const f of want) {
      const k = locatedKey(f);
      const n = missing.get(k) ?? 0;
      if (n > 0) missing.set(k, n - 1);
      else bump(f.rule, 'matched');
    }
  }
  return out;
}

function main(argv: string[]): number {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const linuxDt = linuxDtDir();
  const file = goldenFile();
  if (!linuxDt || !file) {
    console.error('corpus or golden/dtc-1.8.1-checks not found (set DTKIT_CORPUS)');
    return 1;
  }
  const filter = arg('--filter');
  const boards = goldenBoards(linuxDt, arg('--vendor')).filter((b) => !filter || b.includes(filter));
  try {
    presetLevels(arg('--preset'));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const t0 = performance.now();
  const r = compareWithGolden(linuxDt, readGolden(file), boards, arg('--preset'));
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  for (const [rule, t] of [...r.perRule].sort()) {
    console.log(`${rule}: matched ${t.matched}, missing ${t.missing}, extra ${t.extra}`);
  }
  for (const b of r.unparsed) console.log(`${b}: dtkit could not parse it`);
  const out = arg('--out');
  if (out) fs.writeFileSync(out, r.differences.join('\n') + '\n');
  else for (const d of r.differences.slice(0, 50)) console.log(d);
  console.log(`boards ${r.boards} (unparsed ${r.unparsed.length})${arg('--preset') ? `, preset ${arg('--preset')}` : ''}: findings matched ${r.matched}/${r.total}, extra ${r.extra} (${seconds} s)`);
  return r.matched === r.total && r.extra === 0 && r.unparsed.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) process.exitCode = main(process.argv.slice(2));
