// The level of every rule in a run, decided in one place from, in order (later wins):
//   1. the preset: its dtc table, its -W/-E switches, its vendor rows on or off;
//   2. a config file's `rules:` (`ID: off|warning|error`);
//   3. the command line's -W/-E.
// dtc's checks keep dtc's flag semantics throughout (raising a row raises what it needs,
// lowering it lowers what needs it); a config level is spelled as the switches that give it.
// What is wrong (an unknown id, a rule that cannot be switched, a check of another table)
// comes back as problems, located when they come from a file: the caller decides whether
// that is a usage error (the CLI) or a diagnostic in the config file (the language server).
import type { CheckPreset } from '../checks/presets.js';
import { DEFAULT_PRESET, findPreset, listPresets } from '../checks/presets.js';
import type { CheckSwitch } from '../checks/switches.js';
import { parseCheckSwitch, resolveCheckLevels, unknownCheckMessage } from '../checks/switches.js';
import type { DtcVersion } from '../checks/table.js';
import { dtcChecks } from '../checks/table.js';
import type { CheckLevel } from '../checks/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { applyLevels } from '../report/levels.js';
import type { RuleInfo } from '../report/rules.js';
import type { SourceSpan } from '../report/source.js';
import { similarNames } from '../report/suggest.js';
import type { CatalogRule } from './catalog.js';
import { ruleCatalog } from './catalog.js';

/** Levels the preset and switches set: for the check runner, and for findings after the fact. */
export interface RuleLevels {
  /** check rows (dtc's and dtkit's) whose level the switches changed */
  checks: Map<string, CheckLevel>;
  /** every rule whose level the switches changed (the rows too), for the findings */
  all: Map<string, CheckLevel>;
}

export const NO_SWITCHES: RuleLevels = { checks: new Map(), all: new Map() };

/** One `ID: level` of a config file's `rules:`. */
export interface RuleSetting {
  id: string;
  level: CheckLevel;
  /** where it is written (the config file), for problems */
  span?: SourceSpan;
}

export interface RuleRequest {
  /** the preset (default: dtc, dtkit's default) */
  preset?: CheckPreset;
  /** a config file's `rules:`, in file order */
  rules?: readonly RuleSetting[];
  /** -W / -E arguments (`ID`, `no-ID`) */
  warnings?: readonly string[];
  errors?: readonly string[];
}

export interface RuleProblem {
  message: string;
  /** the config entry at fault; none for a command-line switch */
  span?: SourceSpan;
}

export interface ResolvedRules {
  preset: CheckPreset;
  /** the dtc table the checks follow (the preset's) */
  table: DtcVersion;
  levels: RuleLevels;
  problems: RuleProblem[];
}

/** The switches that give a dtc check `level` whatever its default (dtc's two flags). */
function dtcSwitchesFor(id: string, level: CheckLevel): CheckSwitch[] {
  if (level === 'off') return [{ kind: 'W', id, enable: false }, { kind: 'E', id, enable: false }];
  if (level === 'warning') return [{ kind: 'E', id, enable: false }, { kind: 'W', id, enable: true }];
  return [{ kind: 'E', id, enable: true }];
}

export function resolveRules(req: RuleRequest, catalog: CatalogRule[] = ruleCatalog()): ResolvedRules {
  const preset = req.preset ?? findPreset(DEFAULT_PRESET)!;
  const table = dtcChecks(preset.table);
  const inTable = new Set(table.map((c) => c.id));
  const byId = new Map(catalog.map((r) => [r.id, r]));
  const problems: RuleProblem[] = [];
  const dtc: CheckSwitch[] = [...preset.switches];
  const own = new Map<string, CheckLevel>();
  if (!preset.vendorRows) for (const r of catalog) if (r.switching === 'row') own.set(r.id, 'off');

  /** Whether `id` can be set here; says why not otherwise. */
  const usable = (id: string, span?: SourceSpan): CatalogRule | undefined => {
    const r = byId.get(id);
    if (!r) {
      const near = similarNames(byId.keys(), id);
      problems.push({ message: `${unknownCheckMessage(id)}${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : ''}`, span });
      return undefined;
    }
    if (r.switching === 'fixed') {
      problems.push({ message: `rule '${id}' cannot be switched: its errors stop the input from loading`, span });
      return undefined;
    }
    if (r.switching === 'dtc' && !inTable.has(id)) {
      problems.push({ message: `check '${id}' is not in dtc ${preset.table}'s table (preset '${preset.name}'); it is in dtc ${otherTableOf(id)}'s`, span });
      return undefined;
    }
    return r;
  };

  for (const s of req.rules ?? []) {
    const r = usable(s.id, s.span);
    if (r?.switching === 'dtc') dtc.push(...dtcSwitchesFor(s.id, s.level));
    else if (r) own.set(s.id, s.level);
  }
  const cli = [...(req.warnings ?? []).map((w) => parseCheckSwitch(w, 'W')), ...(req.errors ?? []).map((e) => parseCheckSwitch(e, 'E'))];
  for (const s of cli) {
    const r = usable(s.id);
    if (r?.switching === 'dtc') dtc.push(s);
    else if (r) own.set(s.id, s.enable ? (s.kind === 'W' ? 'warning' : 'error') : 'off');
  }

  const checks = resolveCheckLevels(dtc, table).levels;
  for (const [id, level] of own) if (byId.get(id)?.switching === 'row') checks.set(id, level);
  return { preset, table: preset.table, levels: { checks, all: new Map([...checks, ...own]) }, problems };
}

/** What to say about a preset name that is not one. */
export function unknownPresetMessage(name: string): string {
  const near = similarNames(listPresets().map((x) => x.name), name);
  return `unknown preset '${name}' (${near.length ? `did you mean ${near.map((n) => `'${n}'`).join(' or ')}? ` : ''}--list-presets lists them)`;
}

function otherTableOf(id: string): string {
  return dtcChecks('1.6.1').some((c) => c.id === id) ? '1.6.1' : '1.8.1';
}

/** Findings at the levels the switches set: switched-off rules dropped. */
export function applyRuleLevels(ds: Diagnostic[], levels: RuleLevels): Diagnostic[] {
  return applyLevels(ds, levels.all);
}

/** The catalog entries of the rules that fired (SARIF's tool.driver.rules). */
export function rulesOf(ds: Diagnostic[], catalog: CatalogRule[] = ruleCatalog()): RuleInfo[] {
  const fired = new Set(ds.map((d) => d.rule));
  return catalog.filter((r) => fired.has(r.id)).map(({ switching: _s, ...info }) => info);
}
