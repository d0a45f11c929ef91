// Shared by the dtc parity script and its sampled test: dtc's check findings as parsed
// from its stderr, dtkit's as keys in the same shape, and a multiset comparison.
import type { Diagnostic } from '../../src/report/diagnostic.js';

export interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  /** '' for findings without a node (Failed prerequisite) */
  node: string;
  property: string;
  message: string;
}

const LINE = /^(?:.*?): (Warning|ERROR) \(([a-z0-9_]+)\): (.*)$/;

/** Findings from dtc's stderr (`pos: Warning (id): /path[:prop]: message`). */
export function parseDtcStderr(text: string): Finding[] {
  const out: Finding[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const severity = m[1] === 'ERROR' ? 'error' : 'warning';
    const rest = m[3];
    if (!rest.startsWith('/')) {
      out.push({ rule: m[2], severity, node: '', property: '', message: rest });
      continue;
    }
    // node and property names cannot hold ':' or ' ', so the first ': ' ends the location
    const sep = rest.indexOf(': ');
    const where = sep < 0 ? rest : rest.slice(0, sep);
    const message = sep < 0 ? '' : rest.slice(sep + 2);
    const colon = where.indexOf(':');
    out.push({
      rule: m[2],
      severity,
      node: colon < 0 ? where : where.slice(0, colon),
      property: colon < 0 ? '' : where.slice(colon + 1),
      message,
    });
  }
  return out;
}

export function findingOf(d: Diagnostic): Finding {
  return {
    rule: d.rule,
    severity: d.severity === 'error' ? 'error' : 'warning',
    node: d.node ?? '',
    property: d.property ?? '',
    // dtc ends a few messages with "\n" (a blank line follows on stderr)
    message: d.message.replace(/\n+$/, ''),
  };
}

export function findingKey(f: Finding): string {
  return `${f.severity} (${f.rule}): ${f.node}${f.property ? ':' + f.property : ''}: ${f.message}`;
}

export interface Comparison {
  matched: number;
  /** dtc reported, dtkit did not */
  missing: string[];
  /** dtkit reported, dtc did not */
  extra: string[];
}

export function compareFindings(dtc: Finding[], dtkit: Finding[]): Comparison {
  return compareKeys(dtc.map(findingKey), dtkit.map(findingKey));
}

/** Multiset comparison of finding keys (dtc's first). */
export function compareKeys(dtc: string[], dtkit: string[]): Comparison {
  const want = new Map<string, number>();
  for (const k of dtc) want.set(k, (want.get(k) ?? 0) + 1);
  let matched = 0;
  const extra: string[] = [];
  for (const k of dtkit) {
    const n = want.get(k) ?? 0;
    if (n > 0) {
      matched++;
      want.set(k, n - 1);
    } else extra.push(k);
  }
  const missing: string[] = [];
  for (const [k, n] of want) for (let i = 0; i < n; i++) missing.push(k);
  return { matched, missing, extra };
}
