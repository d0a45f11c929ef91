// dtc's -W/-E switches. Each row has two flags (warn, error); -W sets or clears `warn`,
// -E sets or clears `error`. Raising a row also raises its prerequisites; lowering a row
// also lowers every row that needs it. A row with `error` set reports as an error, else
// with `warn` as a warning, else it is off. So `-E no-foo` on a warning row leaves it a
// warning, and on an error row switches it off, exactly as dtc does.
import type { Check, CheckLevel } from './types.js';

export interface CheckSwitch {
  /** 'W' sets the warning flag, 'E' the error flag */
  kind: 'W' | 'E';
  /** check id */
  id: string;
  /** false for `no-foo` / `no_foo` */
  enable: boolean;
}

/**
 * Parses one -W/-E argument: `foo`, `no-foo`, `no_foo`; or the whole switch
 * (`-Wfoo`, `-Eno-foo`), whose letter then wins over `kind`.
 */
export function parseCheckSwitch(arg: string, kind: 'W' | 'E' = 'W'): CheckSwitch {
  let k = kind;
  let rest = arg;
  if (/^-[WE]/.test(rest)) {
    k = rest[1] as 'W' | 'E';
    rest = rest.slice(2);
  }
  const negated = rest.startsWith('no-') || rest.startsWith('no_');
  return { kind: k, id: negated ? rest.slice(3) : rest, enable: !negated };
}

export interface ResolvedLevels {
  /** level of every row whose level the switches changed */
  levels: Map<string, CheckLevel>;
  /** switch ids that name no row (dtc: `Unrecognized check name "foo"`, a usage error) */
  unknown: string[];
}

interface Flags {
  warn: boolean;
  error: boolean;
}

export function resolveCheckLevels(switches: readonly CheckSwitch[], checks: Check[]): ResolvedLevels {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const flags = new Map<string, Flags>(
    checks.map((c) => [c.id, { warn: c.level === 'warning', error: c.level === 'error' }]),
  );
  const dependents = new Map<string, Check[]>();
  for (const c of checks) {
    for (const r of c.requires ?? []) {
      const list = dependents.get(r) ?? [];
      list.push(c);
      dependents.set(r, list);
    }
  }

  const raise = (id: string, warn: boolean, error: boolean): void => {
    const f = flags.get(id);
    if (!f) return;
    if ((warn && !f.warn) || (error && !f.error)) {
      for (const r of byId.get(id)?.requires ?? []) raise(r, warn, error);
    }
    f.warn ||= warn;
    f.error ||= error;
  };
  const lower = (id: string, warn: boolean, error: boolean): void => {
    const f = flags.get(id);
    if (!f) return;
    if ((warn && f.warn) || (error && f.error)) {
      for (const d of dependents.get(id) ?? []) lower(d.id, warn, error);
    }
    f.warn &&= !warn;
    f.error &&= !error;
  };

  const unknown: string[] = [];
  for (const s of switches) {
    if (!byId.has(s.id)) {
      unknown.push(s.id);
      continue;
    }
    const warn = s.kind === 'W';
    if (s.enable) raise(s.id, warn, !warn);
    else lower(s.id, warn, !warn);
  }

  const levels = new Map<string, CheckLevel>();
  for (const c of checks) {
    const f = flags.get(c.id)!;
    const level: CheckLevel = f.error ? 'error' : f.warn ? 'warning' : 'off';
    if (level !== c.level) levels.set(c.id, level);
  }
  return { levels, unknown };
}

/** dtc's message for an unknown switch name. */
export function unknownCheckMessage(id: string): string {
  return `Unrecognized check name "${id}"`;
}
