// A baseline: the findings a team has accepted, so CI fails only on new ones. An entry is
// matched by rule, file (relative to the baseline file), node path, property and message,
// never by line, so edits elsewhere in a file keep it matching. Entries are kept per input
// (the board a finding was reported for): a finding in a shared .dtsi is one entry per board
// that shows it, as each board's run shows it; a run (or a CI shard) of some inputs only
// judges those inputs' entries, so the others are neither matched nor "fixed".
//
// The file is JSON, one entry per line, sorted, so that it diffs well:
//   { "dtkit-baseline": 1, "inputs": { "boards/a.dts": [ {"rule": ..., "file": ...}, ... ] } }
// The run's own findings (about the bindings) are kept under the input "".
import * as path from 'node:path';
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { isPseudoFile } from '../report/source.js';
import { BASELINE_FIXED_RULE, BASELINE_RULE } from '../rules/catalog.js';

export const BASELINE_FORMAT = 1;
const FORMAT_KEY = 'dtkit-baseline';
/** the input key of the run's own findings */
export const RUN_INPUT = '';

export interface BaselineEntry {
  rule: string;
  file: string | null;
  node: string | null;
  property: string | null;
  message: string;
}

export interface Baseline {
  /** the baseline file; paths in it are relative to its folder */
  file: string;
  /** input key -> entries */
  inputs: Map<string, BaselineEntry[]>;
}

/** A path as a baseline writes it: relative to the baseline's folder, with `/`. */
export function baselinePath(file: string, baselineFile: string): string {
  if (file === RUN_INPUT || isPseudoFile(file)) return file;
  return path.relative(path.resolve(path.dirname(baselineFile)), path.resolve(file)).split(path.sep).join('/');
}

export function baselineEntry(d: Diagnostic, baselineFile: string): BaselineEntry {
  const file = d.span?.file ?? d.file;
  return {
    rule: d.rule,
    file: file === undefined ? null : baselinePath(file, baselineFile),
    node: d.node ?? null,
    property: d.property ?? null,
    message: d.message,
  };
}

const entryKey = (e: BaselineEntry) => JSON.stringify([e.rule, e.file, e.node, e.property, e.message]);

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = [a.file ?? '', a.node ?? '', a.property ?? '', a.rule, a.message];
  const kb = [b.file ?? '', b.node ?? '', b.property ?? '', b.rule, b.message];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/** The baseline's text: inputs and entries sorted, one entry per line. */
export function renderBaseline(inputs: Map<string, BaselineEntry[]>): string {
  const keys = [...inputs.keys()].filter((k) => inputs.get(k)!.length).sort();
  const groups = keys.map((k) => {
    const lines = [...inputs.get(k)!].sort(compareEntries).map((e) => `      ${JSON.stringify(e)}`);
    return `    ${JSON.stringify(k)}: [\n${lines.join(',\n')}\n    ]`;
  });
  return `{\n  "${FORMAT_KEY}": ${BASELINE_FORMAT},\n  "inputs": {${groups.length ? `\n${groups.join(',\n')}\n  ` : ''}}\n}\n`;
}

function problem(file: string, message: string): Diagnostic {
  return { rule: BASELINE_RULE, severity: 'error', file, message };
}

const isEntry = (e: unknown): e is BaselineEntry => {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
  const o = e as Record<string, unknown>;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  return typeof o.rule === 'string' && typeof o.message === 'string' && nullableString(o.file) && nullableString(o.node) && nullableString(o.property)
    && Object.keys(o).every((k) => ['rule', 'file', 'node', 'property', 'message'].includes(k));
};

export function parseBaseline(text: string, file: string): { baseline?: Baseline; diagnostics: Diagnostic[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { diagnostics: [problem(file, `not a dtkit baseline: ${(e as Error).message}`)] };
  }
  const doc = data as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || doc[FORMAT_KEY] !== BASELINE_FORMAT || typeof doc.inputs !== 'object' || doc.inputs === null || Array.isArray(doc.inputs)) {
    return { diagnostics: [problem(file, `not a dtkit baseline (expected {"${FORMAT_KEY}": ${BASELINE_FORMAT}, "inputs": {...}}; write one with --write-baseline)`)] };
  }
  const inputs = new Map<string, BaselineEntry[]>();
  for (const [input, entries] of Object.entries(doc.inputs as Record<string, unknown>)) {
    if (!Array.isArray(entries) || !entries.every(isEntry)) {
      return { diagnostics: [problem(file, `the entries of input ${JSON.stringify(input)} are not a list of {rule, file, node, property, message}`)] };
    }
    inputs.set(input, entries);
  }
  return { baseline: { file, inputs }, diagnostics: [] };
}

export function readBaseline(host: Host, file: string): { baseline?: Baseline; diagnostics: Diagnostic[] } {
  const bytes = host.readFile(file);
  if (bytes === undefined) return { diagnostics: [problem(file, `cannot read the baseline '${file}'`)] };
  return parseBaseline(Buffer.from(bytes).toString('utf8'), file);
}

export interface BaselineMatch {
  /** the input as the baseline names it */
  key: string;
  /** the findings the baseline does not have: what the run reports */
  kept: Diagnostic[];
  /** how many findings the baseline had */
  matched: number;
  /** this input's entries no finding matched */
  fixed: BaselineEntry[];
}

/** Matches one input's findings (`input` as typed; RUN_INPUT for the run's own) against the
 *  baseline: each entry matches at most one finding. */
export function matchBaseline(input: string, ds: Diagnostic[], baseline: Baseline): BaselineMatch {
  const key = baselinePath(input, baseline.file);
  const entries = baseline.inputs.get(key) ?? [];
  if (entries.length === 0) return { key, kept: ds, matched: 0, fixed: [] };
  const left = new Map<string, BaselineEntry[]>();
  for (const e of entries) {
    const k = entryKey(e);
    const list = left.get(k);
    if (list) list.push(e);
    else left.set(k, [e]);
  }
  const kept: Diagnostic[] = [];
  for (const d of ds) {
    const list = left.get(entryKey(baselineEntry(d, baseline.file)));
    if (list?.length) list.pop();
    else kept.push(d);
  }
  const fixed = [...left.values()].flat().sort(compareEntries);
  return { key, kept, matched: ds.length - kept.length, fixed };
}

/** A note for each entry that matched nothing: fixed, or changed (--prune removes them). */
export function fixedNotes(m: BaselineMatch, baseline: Baseline): Diagnostic[] {
  const { key, fixed } = m;
  return fixed.map((e) => ({
    rule: BASELINE_FIXED_RULE,
    severity: 'info' as const,
    file: baseline.file,
    message: `baseline entry of ${key === RUN_INPUT ? 'the run' : `'${key}'`} matches no finding (fixed? --prune removes it): ` +
      `[${e.rule}] ${e.file ?? ''}${e.node ? ` ${e.node}${e.property ? `:${e.property}` : ''}` : ''}: ${e.message}`,
  }));
}

/** The baseline without the entries the matches found fixed (--prune); other inputs' kept. */
export function prunedBaseline(baseline: Baseline, matches: Iterable<BaselineMatch>): Map<string, BaselineEntry[]> {
  const gone = new Set<BaselineEntry>();
  for (const m of matches) for (const e of m.fixed) gone.add(e);
  const out = new Map<string, BaselineEntry[]>();
  for (const [input, entries] of baseline.inputs) out.set(input, entries.filter((e) => !gone.has(e)));
  return out;
}
