// Parity of `dtkit validate` with dt-validate's golden findings, message text exact.
// Usage: node dist/test/schema/parity.js [--set qcom|non-qcom] [--dtbs DIR] [--core dtschema|own]
//        [--only NAME,..] [--cache DIR] [--verbose]
// DIR holds the DTBs (test/schema/build-qcom-dtbs.sh or build-non-qcom-dtbs.sh builds them).
// Prints "matched X/N golden, Y/M ours" where a finding matches on file, node, schema $id
// and the exact message (unmatched-compatible warnings: file, node and message).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { readFdt } from '../../src/fdt/reader.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { openSchemaSet, validationContext } from '../../src/schema/schema-set.js';
import { UNMATCHED_RULE, validateTree } from '../../src/schema/validate.js';
import { corpusDir } from '../support/corpus.js';

export interface GoldenFinding {
  type: string;
  file: string;
  node: string;
  schema?: string;
  message: string;
}

export type ParitySet = 'qcom' | 'non-qcom';

export function findingKey(f: { file: string; node: string; schema?: string; message: string }): string {
  return [path.basename(f.file), f.node, (f.schema ?? '').replace(/#$/, ''), f.message].join('\u0000');
}

function ourKey(d: Diagnostic): string {
  return findingKey({ file: d.file ?? '', node: d.node ?? '', schema: d.rule === UNMATCHED_RULE ? undefined : d.schema, message: d.message });
}

export interface Comparison {
  /** golden findings dtkit reports too (multiset) */
  matched: number;
  /** dtkit's findings dt-validate reports too (equal to matched: both are the multiset intersection) */
  extra: Diagnostic[];
  missing: GoldenFinding[];
}

/** Multiset comparison: each golden finding matches at most one of ours and vice versa. */
export function compareFindings(golden: GoldenFinding[], ours: Diagnostic[]): Comparison {
  const pool = new Map<string, number>();
  for (const g of golden) pool.set(findingKey(g), (pool.get(findingKey(g)) ?? 0) + 1);
  const extra: Diagnostic[] = [];
  let matched = 0;
  for (const d of ours) {
    const k = ourKey(d);
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      pool.set(k, n - 1);
      matched++;
    } else {
      extra.push(d);
    }
  }
  const missing: GoldenFinding[] = [];
  for (const g of golden) {
    const k = findingKey(g);
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      missing.push(g);
      pool.set(k, n - 1);
    }
  }
  return { matched, extra, missing };
}

export interface ParityResult extends Comparison {
  /** golden findings on the DTBs run */
  total: number;
  /** dtkit's schema findings (validation + unmatched) */
  ours: number;
  dtbs: number;
  seconds: number;
  loadSeconds: number;
  cpuSeconds: number;
}

export interface ParityOptions {
  set?: ParitySet;
  dtbDir: string;
  core: 'dtschema' | 'own';
  only?: string[];
  cacheDir?: string | null;
}

/** The golden findings and DTB names of a set. */
export function goldenSet(corpus: string, set: ParitySet): { golden: GoldenFinding[]; names: string[] } {
  if (set === 'qcom') {
    const golden = JSON.parse(fs.readFileSync(path.join(corpus, 'golden', 'dt-validate-qcom.json'), 'utf8')) as GoldenFinding[];
    const names = fs.readFileSync(path.join(corpus, 'golden', 'qcom-dtbs.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    return { golden, names };
  }
  const dir = path.join(corpus, 'golden', 'non-qcom');
  const golden = JSON.parse(fs.readFileSync(path.join(dir, 'dt-validate.json'), 'utf8')) as GoldenFinding[];
  const names = fs.readFileSync(path.join(dir, 'boards.tsv'), 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => `${path.basename(l.split('\t')[2], '.dts')}.dtb`);
  return { golden, names };
}

export function runParity(opts: ParityOptions): ParityResult | string {
  const corpus = corpusDir();
  if (!corpus) return 'corpus not found';
  const { golden, names: all } = goldenSet(corpus, opts.set ?? 'qcom');
  const names = opts.only ? all.filter((n) => opts.only!.some((o) => n.startsWith(o))) : all;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const set = openSchemaSet({
    host: nodeHost,
    schemaDirs: [path.join(corpus, 'linux-dt', 'Bindings')],
    coreDir: opts.core === 'dtschema' ? path.join(corpus, 'dt-schema', 'dtschema', 'schemas') : undefined,
    cacheDir: opts.cacheDir,
  });
  const loadSeconds = (performance.now() - t0) / 1000;
  const ctx = validationContext(set, { unmatched: true });
  const ours: Diagnostic[] = [];
  for (const name of names) {
    const file = path.join(opts.dtbDir, name);
    const bytes = nodeHost.readFile(file);
    if (!bytes) return `missing DTB ${file} (build with test/schema/build-${opts.set === 'non-qcom' ? 'non-qcom' : 'qcom'}-dtbs.sh)`;
    const { tree } = readFdt(bytes, name);
    if (tree) ours.push(...validateTree(ctx, tree, name));
  }
  const seconds = (performance.now() - t0) / 1000;
  const wanted = new Set(names);
  const goldenHere = golden.filter((g) => wanted.has(g.file));
  const cmp = compareFindings(goldenHere, ours);
  const cpu = process.cpuUsage(cpu0);
  return { ...cmp, total: goldenHere.length, ours: ours.length, dtbs: names.length, seconds, loadSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const core = (arg('--core') ?? 'dtschema') as 'dtschema' | 'own';
  const set = (arg('--set') ?? 'qcom') as ParitySet;
  const dtbDir = arg('--dtbs') ?? (set === 'qcom' ? '/tmp/dtkit-qcom-dtbs' : '/tmp/dtkit-non-qcom-dtbs');
  const r = runParity({ set, dtbDir, core, only: arg('--only')?.split(','), cacheDir: arg('--cache') });
  if (typeof r === 'string') {
    console.log(`parity: skipped: ${r}`);
    return;
  }
  if (argv.includes('--verbose')) {
    for (const m of r.missing) console.log(`MISSING ${m.file} ${m.node} [${m.schema ?? m.type}] ${m.message.slice(0, 400)}`);
    for (const e of r.extra) console.log(`EXTRA ${e.file} ${e.node} [${e.schema ?? e.rule}] ${e.message.slice(0, 400)} (${e.schemaPath ?? ''})`);
  }
  const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(2) : '100.00');
  console.log(`set=${set} core=${core} dtbs=${r.dtbs}: golden matched ${r.matched}/${r.total} (${pct(r.matched, r.total)}%), ` +
    `ours found in golden ${r.matched}/${r.ours} (${pct(r.matched, r.ours)}%), ` +
    `${r.seconds.toFixed(1)} s wall (schema load ${r.loadSeconds.toFixed(1)} s), ${r.cpuSeconds.toFixed(1)} s cpu, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main(process.argv.slice(2));
