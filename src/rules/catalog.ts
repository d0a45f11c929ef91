// The rule catalog: every rule id dtkit prints, with a one-line description, its default
// level and where it is documented, assembled here from the check tables and the ids the
// stages export. It decides what -W/-E, a config file's `rules:` and a suppression comment
// accept (levels.ts), and describes the rules of a SARIF report.
//   - dtc's checks keep dtc's -W/-E flag semantics (an error-level check needs -E no-ID);
//   - dtkit's own rows (qcom_*) and findings (schema, schema-unmatched, ...) take
//     -W ID (warning), -E ID (error), -W/-E no-ID (off);
//   - rules whose errors stop an input from loading (syntax, io, ...) cannot be switched.
// It sits above the stages and below the commands (the CLI, the language server).
import { dtcChecks } from '../checks/table.js';
import { FDT_RULE } from '../fdt/reader.js';
import { IO_RULE } from '../input/load.js';
import { SWAPPED_RULE } from '../input/kind.js';
import { OVERLAY_RULES } from '../overlay/apply/context.js';
import { FIXUPS_RULE } from '../overlay/emit/fixups.js';
import { SYMBOLS_RULE } from '../overlay/emit/symbols.js';
import { qcomChecks } from '../qcom/checks.js';
import { SHADOWED_HEADER_RULE } from '../input/shipped.js';
import type { RuleInfo } from '../report/rules.js';
import { dtcCheckHelpUri } from '../report/rules.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE, SCHEMA_LOAD_RULE, SCHEMA_RULE, UNMATCHED_RULE } from '../schema/rules.js';

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

// The rules about a run's own settings and filters (a config file, suppression comments, a
// baseline): defined here, where the catalog is, since their modules read the catalog.
/** dtkit failed on an input: a bug, said as such */
export const INTERNAL_RULE = 'internal';
/** a config file that cannot be read, is not YAML, or breaks the config schema */
export const CONFIG_RULE = 'config';
/** a suppression comment that silenced nothing */
export const SUPPRESS_UNUSED_RULE = 'suppress_unused';
/** a suppression comment naming no rule, or one dtkit does not have */
export const SUPPRESS_INVALID_RULE = 'suppress_invalid';
/** a baseline entry no finding matches any more */
export const BASELINE_FIXED_RULE = 'baseline_fixed';
/** a baseline file that cannot be read or is not a baseline */
export const BASELINE_RULE = 'baseline';

/** Every rule id dtkit prints (dtc's checks of every table a preset can run). */
export function ruleCatalog(): CatalogRule[] {
  const out: CatalogRule[] = [];
  const seen = new Set<string>();
  for (const c of [...dtcChecks(), ...dtcChecks('1.6.1')]) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(rule(c.id, c.level, 'dtc', c.description, dtcCheckHelpUri(c.id)));
  }
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
    rule(INTERNAL_RULE, 'error', 'fixed', 'dtkit itself failed on an input (a dtkit bug: please report it)'),
    rule(CONFIG_RULE, 'error', 'fixed', 'a dtkit.config.yaml cannot be read, is not YAML, or has a wrong key or value'),
    rule(SUPPRESS_UNUSED_RULE, 'warning', 'finding', 'a dtkit-disable comment silenced nothing (as eslint --report-unused-disable-directives)'),
    rule(SUPPRESS_INVALID_RULE, 'error', 'finding', 'a dtkit-disable comment names no rule, or a rule dtkit does not have'),
    rule(BASELINE_FIXED_RULE, 'info', 'finding', 'a baseline entry matches no finding any more (--prune removes it)'),
    rule(BASELINE_RULE, 'error', 'fixed', 'a baseline file cannot be read or written, or is not a dtkit baseline'),
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
