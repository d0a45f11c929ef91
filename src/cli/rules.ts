// The command line's side of the rule levels (src/rules): --preset NAME and -W/-E, with
// what is wrong with them as a usage error. The catalog and the resolution live in
// src/rules, where the config stage and the language server reach them too.
import type { CheckPreset } from '../checks/presets.js';
import { findPreset } from '../checks/presets.js';
import type { ResolvedRules, RuleLevels, RuleRequest } from '../rules/levels.js';
import { resolveRules, unknownPresetMessage } from '../rules/levels.js';
import { UsageError } from './options.js';

export type { CatalogRule, RuleInfo, Switching } from '../rules/catalog.js';
export { ruleCatalog } from '../rules/catalog.js';
export type { RuleLevels } from '../rules/levels.js';
export { NO_SWITCHES, applyRuleLevels, rulesOf } from '../rules/levels.js';

/** The preset named on the command line (or in a config file); unknown is a usage error. */
export function presetNamed(name: string | undefined): CheckPreset | undefined {
  if (name === undefined) return undefined;
  const p = findPreset(name);
  if (p) return p;
  throw new UsageError(unknownPresetMessage(name));
}

/** Levels from a preset and switches; the first problem is a usage error. */
export function resolveRuleRequest(req: RuleRequest): ResolvedRules {
  const r = resolveRules(req);
  if (r.problems.length) throw new UsageError(r.problems[0].message);
  return r;
}

/** -W/-E arguments (after a preset, default dtc) as levels; an unknown or unswitchable id is a usage error. */
export function resolveRuleSwitches(warnings: string[] = [], errors: string[] = [], preset?: string): RuleLevels {
  return resolveRuleRequest({ preset: presetNamed(preset), warnings, errors }).levels;
}
