// Findings at the levels the user asked for (-W/-E): a rule switched off is dropped, one
// raised or lowered changes severity. The levels themselves are decided by the CLI's rule
// catalog; this only applies them, wherever findings are rendered (a batch worker too).
import type { Diagnostic, Severity } from './diagnostic.js';

export type RuleLevel = Severity | 'off';

export function applyLevels(ds: Diagnostic[], levels: ReadonlyMap<string, RuleLevel>): Diagnostic[] {
  if (levels.size === 0) return ds;
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const level = levels.get(d.rule);
    if (level === undefined) out.push(d);
    else if (level !== 'off') out.push(level === d.severity ? d : { ...d, severity: level });
  }
  return out;
}
