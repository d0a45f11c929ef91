// Parity of `dtkit validate` with dt-validate's golden findings on the Qualcomm DTBs.
// Usage: node dist/test/schema/parity.js [--dtbs DIR] [--core dtschema|own] [--only NAME,..]
//        [--verbose] [--json OUT]
// DIR holds the DTBs (build them with test/schema/build-qcom-dtbs.sh). Prints
// "matched X/N, extra Y" where a finding matches on file, node, schema and message kind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { readFdt } from '../../src/fdt/reader.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { openSchemaSet, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import { corpusDir } from '../support/corpus.js';

export interface GoldenFinding {
  type: string;
  file: string;
  node: string;
  schema?: string;
  message: string;
}

/** A coarse class of a jsonschema message, so wording differences in values don't count. */
export function messageKind(message: string): string {
  const kinds: [RegExp, string][] = [
    [/^failed to match any schema/, 'unmatched'],
    [/is a required property$/, 'required'],
    [/is too short$/, 'too-short'],
    [/is too long$/, 'too-long'],
    [/does not match any of the regexes/, 'additional'],
    [/do not match any of the regexes/, 'additional'],
    [/^Additional properties are not allowed/, 'additional'],
    [/^Unevaluated properties are not allowed/, 'unevaluated'],
    [/was expected$/, 'const'],
    [/is not one of /, 'enum'],
    [/is not valid under any of the given schemas$/, 'one-of'],
    [/is valid under each of/, 'one-of-many'],
    [/is not of type/, 'type'],
    [/is a dependency of/, 'dependency'],
    [/is less than the minimum/, 'minimum'],
    [/is greater than the maximum/, 'maximum'],
    [/does not match '/, 'pattern'],
    [/should not be valid under/, 'not'],
    [/non-unique elements/, 'unique'],
    [/does not contain items/, 'contains'],
  ];
  for (const [re, k] of kinds) if (re.test(message)) return k;
  return message;
}

/** Property a message is about, when it names one (required / unexpected). */
function subjectOf(message: string): string {
  const m = /^'([^']+)' is a required property$/.exec(message) ?? /^'([^']+)' does not match any of the regexes/.exec(message);
  return m ? m[1] : '';
}

export function findingKey(f: { file: string; node: string; schema?: string; message: string }): string {
  return [path.basename(f.file), f.node, (f.schema ?? '').replace(/#$/, ''), messageKind(f.message), subjectOf(f.message)].join('|');
}

export interface ParityResult {
  matched: number;
  total: number;
  extra: Diagnostic[];
  missing: GoldenFinding[];
  seconds: number;
  loadSeconds: number;
  cpuSeconds: number;
}

export function compareFindings(golden: GoldenFinding[], ours: Diagnostic[]): { matched: number; extra: Diagnostic[]; missing: GoldenFinding[] } {
  const pool = new Map<string, number>();
  for (const g of golden) pool.set(findingKey(g), (pool.get(findingKey(g)) ?? 0) + 1);
  const extra: Diagnostic[] = [];
  let matched = 0;
  for (const d of ours) {
    const k = findingKey({ file: d.file ?? '', node: d.node ?? '', schema: d.rule === 'schema-unmatched' ? undefined : d.schema, message: d.message });
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

export interface ParityOptions {
  dtbDir: string;
  core: 'dtschema' | 'own';
  only?: string[];
  cacheDir?: string | null;
}

export function runParity(opts: ParityOptions): ParityResult | string {
  const corpus = corpusDir();
  if (!corpus) return 'corpus not found';
  const golden = JSON.parse(fs.readFileSync(path.join(corpus, 'golden', 'dt-validate-qcom.json'), 'utf8')) as GoldenFinding[];
  let names = fs.readFileSync(path.join(corpus, 'golden', 'qcom-dtbs.txt'), 'utf8').split('\n').filter(Boolean);
  if (opts.only) names = names.filter((n) => opts.only!.some((o) => n.startsWith(o)));
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
    if (!bytes) return `missing DTB ${file} (build with test/schema/build-qcom-dtbs.sh)`;
    const { tree } = readFdt(bytes, name);
    if (tree) ours.push(...validateTree(ctx, tree, name));
  }
  const seconds = (performance.now() - t0) / 1000;
  const goldenHere = golden.filter((g) => names.includes(g.file));
  const { matched, extra, missing } = compareFindings(goldenHere, ours);
  const cpu = process.cpuUsage();
  return { matched, total: goldenHere.length, extra, missing, seconds, loadSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const core = (arg('--core') ?? 'dtschema') as 'dtschema' | 'own';
  const r = runParity({ dtbDir: arg('--dtbs') ?? '/tmp/dtkit-qcom-dtbs', core, only: arg('--only')?.split(','), cacheDir: arg('--cache') });
  if (typeof r === 'string') {
    console.log(`parity: skipped: ${r}`);
    return;
  }
  if (argv.includes('--verbose')) {
    for (const m of r.missing) console.log(`MISSING ${m.file} ${m.node} [${m.schema ?? m.type}] ${m.message.slice(0, 160)}`);
    for (const e of r.extra) console.log(`EXTRA ${e.file} ${e.node} [${e.schema ?? e.rule}] ${e.message.slice(0, 160)} (${e.schemaPath ?? ''})`);
  }
  console.log(`core=${core}: matched ${r.matched}/${r.total}, extra ${r.extra.length}, ${r.seconds.toFixed(1)} s wall (schema load ${r.loadSeconds.toFixed(1)} s), ${r.cpuSeconds.toFixed(1)} s cpu, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main(process.argv.slice(2));
