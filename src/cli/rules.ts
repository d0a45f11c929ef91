// The rule catalog: every rule id dtkit prints, with a one-line description, its default
// level and where it is documented, assembled here from the check tables and the ids the
// stages export. It decides what -W/-E accept and describes the rules of a SARIF report.
//   - dtc's checks keep dtc's -W/-E flag semantics (an error-level check needs -E no-ID);
//   - dtkit's own rows (qcom_*) and findings (schema, schema-unmatched, ...) take
//     -W ID (warning), -E ID (error), -W/-E no-ID (off);
//   - rules whose errors stop an input from loading (syntax, io, ...) cannot be switched.
import type { CheckLevel } from '../checks/types.js';
import { parseCheckSwitch, resolveCheckLevels, unknownCheckMessage } from '../checks/switches.js';
import { dtcChecks } from '../checks/table.js';
import { FDT_RULE } from '../fdt/reader.js';
import { IO_RULE } from '../input/load.js';
import { SWAPPED_RULE } from '../input/kind.js';
import { OVERLAY_RULES } from '../overlay/apply/context.js';
import { FIXUPS_RULE } from '../overlay/emit/fixups.js';
import { SYMBOLS_RULE } from '../overlay/emit/symbols.js';
import { qcomChecks } from '../qcom/checks.js';
import { SHADOWED_HEADER_RULE } from '../input/shipped.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { applyLevels } from '../report/levels.js';
import type { RuleInfo } from '../report/rules.js';
import { dtcCheckHelpUri } from '../report/rules.js';
import { similarNames } from '../report/suggest.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE, SCHEMA_LOAD_RULE, SCHEMA_RULE, UNMATCHED_RULE } from '../schema/rules.js';
import { UsageError } from './options.js';

export type { RuleInfo };

/** How -W/-E reach a rule. */
export type Switching = 'dtc' | 'row' | 'finding' | 'fixed';

export interface CatalogRule extends RuleInfo {
  switching: Switching;
}

const DT_SCHEMA_URI = 'https://github.com/devicetree-org/dt-schema';

function rule(id: string, level: RuleInfo['level'], switching: Switching, description: string, helpUri?: string): CatalogRule {
  return { id, level, switching, description, ...(helpUri ? { helpUri } : {}) };
}

/** Every rule id dtkit prints. */
export function ruleCatalog(): CatalogRule[] {
  const out: CatalogRule[] = [];
  for (const c of dtcChecks()) out.push(rule(c.id, c.level, 'dtc', c.description, dtcCheckHelpUri(c.id)));
  for (const c of qcomChecks()) out.push(rule(c.id, c.level, 'row', c.description));
  out.push(
    rule(SCHEMA_RULE, 'error', 'finding', 'a node or property does not match its binding (dt-schema)', DT_SCHEMA_URI),
    rule(UNMATCHED_RULE, 'warning', 'finding', 'no binding documents a compatible string (dt-validate -m)', DT_SCHEMA_URI),
    rule(SCHEMA_LOAD_RULE, 'warning', 'finding', 'a binding cannot be read, parsed or compiled; the others still apply', DT_SCHEMA_URI),
    rule(NO_BINDINGS_RULE, 'info', 'finding', "no bindings were found: only dtkit's shipped bindings and dtc's checks run"),
    rule(EXTENDED_RULE, 'info', 'finding', "dtkit's shipped binding adds properties to the user's binding of the same $id (qcom,devmem)"),
    rule('cell_overflow', 'warning', 'finding', 'a value does not fit in the cell size it is written in'),
    rule(SYMBOLS_RULE, 'warning', 'finding', 'a label cannot be published in __symbols__ as written'),
    rule(SHADOWED_HEADER_RULE, 'info', 'finding', "a user's header is used instead of the one dtkit ships"),
    rule(SWAPPED_RULE, 'warning', 'finding', 'the base looks like an overlay, or an overlay like a base'),
    rule(IO_RULE, 'error', 'fixed', 'an input cannot be read or an output cannot be written'),
    rule('syntax', 'error', 'fixed', 'DTS source that dtc cannot parse'),
    rule('preprocessor', 'error', 'fixed', '#include, #define or #if problems in the C preprocessor step'),
    rule(FDT_RULE, 'error', 'fixed', 'a DTB/DTBO that is not a well-formed flattened device tree'),
    rule(FIXUPS_RULE, 'error', 'fixed', 'a reference an overlay loader cannot fix up'),
    ...Object.values(OVERLAY_RULES).filter((id) => id !== FDT_RULE && id !== OVERLAY_RULES.phandleConflict)
      .map((id) => rule(id, 'error', 'fixed', overlayDescription(id))),
    // a warning unless --strict: fdtoverlay applies it, leaving the base's references dangling
    rule(OVERLAY_RULES.phandleConflict, 'warning', 'finding', overlayDescription(OVERLAY_RULES.phandleConflict)),
    rule('profile_io', 'error', 'fixed', 'a KVM profile cannot be read'),
    rule('profile_board', 'error', 'fixed', 'the base is not a board the profile is for'),
    rule('profile_symbols', 'error', 'fixed', 'the base has no __symbols__ (compile it with -@)'),
    rule('profile_compatible', 'error', 'fixed', 'a profile remoteproc is not the compatible the profile says'),
    rule('profile_not_pas', 'error', 'fixed', 'a profile remoteproc is not a PAS remote processor'),
    rule('profile_smmu', 'error', 'fixed', "a profile's SMMU is not an IOMMU of the base, or its cells do not fit"),
    rule('profile_ref', 'error', 'fixed', 'a profile edit refers to a label or path the base does not have'),
    rule('profile_duplicate', 'error', 'fixed', 'a profile sets the same thing twice'),
    rule('profile_delete_unsupported', 'error', 'fixed', 'a profile deletes something an overlay cannot delete'),
    rule('profile_yaml', 'error', 'fixed', 'a KVM profile is not valid YAML'),
    rule('profile_schema', 'error', 'fixed', "a KVM profile does not follow the profile format"),
    rule('profile_target', 'error', 'fixed', 'a profile or overlay names a node the base does not have'),
    rule('profile_from', 'error', 'fixed', 'an overlay has something a profile cannot express'),
    rule('profile_base_not_qhee_clean', 'error', 'fixed', 'the base already carries what only the KVM overlay may add'),
    rule('profile_internal', 'error', 'fixed', 'the generated overlay does not compile (a dtkit bug)'),
  );
  return out;
}

function overlayDescription(id: string): string {
  const what: Record<string, string> = {
    overlay_no_symbols: 'the base has no __symbols__ (compile it with -@)',
    overlay_unknown_label: 'an overlay refers to a label the base does not have',
    overlay_bad_symbol: "an overlay's __symbols__ entry is malformed",
    overlay_target_missing: 'a fragment targets a node the base does not have',
    overlay_bad_fragment: 'a fragment has no usable target',
    overlay_bad_fixup: "an overlay's __fixups__ or __local_fixups__ is malformed",
    overlay_bad_phandle: 'an overlay phandle cannot be moved above the base\'s',
    overlay_phandle_conflict: "an overlay changes the phandle of a base node",
  };
  return what[id] ?? 'an overlay cannot be applied';
}

/** Levels the switches set: for the check runner, and for findings after the fact. */
export interface RuleLevels {
  /** check rows (dtc's and dtkit's) whose level the switches changed */
  checks: Map<string, CheckLevel>;
  /** every rule whose level the switches changed (the rows too), for the findings */
  all: Map<string, CheckLevel>;
}

export const NO_SWITCHES: RuleLevels = { checks: new Map(), all: new Map() };

/** -W/-E arguments as levels; an unknown or unswitchable id is a usage error. */
export function resolveRuleSwitches(warnings: string[] = [], errors: string[] = [], catalog: CatalogRule[] = ruleCatalog()): RuleLevels {
  const byId = new Map(catalog.map((r) => [r.id, r]));
  const switches = [...warnings.map((w) => parseCheckSwitch(w, 'W')), ...errors.map((e) => parseCheckSwitch(e, 'E'))];
  const dtc = [];
  const own = new Map<string, CheckLevel>();
  for (const s of switches) {
    const r = byId.get(s.id);
    if (!r) {
      const near = similarNames(byId.keys(), s.id);
      throw new UsageError(`${unknownCheckMessage(s.id)}${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : ''}`);
    }
    if (r.switching === 'fixed') throw new UsageError(`rule '${s.id}' cannot be switched: its errors stop the input from loading`);
    if (r.switching === 'dtc') dtc.push(s);
    else own.set(s.id, s.enable ? (s.kind === 'W' ? 'warning' : 'error') : 'off');
  }
  const checks = resolveCheckLevels(dtc, dtcChecks()).levels;
  for (const [id, level] of own) if (byId.get(id)?.switching === 'row') checks.set(id, level);
  return { checks, all: new Map([...checks, ...own]) };
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
