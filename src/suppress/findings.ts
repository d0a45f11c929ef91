// One input's findings as every command reports them (and the language server shows them):
// at the run's rule levels, then without what the sources' suppression comments silence,
// plus those comments' own findings (at the levels too), sorted by position.
import type { Diagnostic } from '../report/diagnostic.js';
import { sortDiagnostics } from '../report/render.js';
import type { CatalogRule } from '../rules/catalog.js';
import type { RuleLevels } from '../rules/levels.js';
import { applyRuleLevels } from '../rules/levels.js';
import { applySuppressions } from './inline.js';

export interface InputFindings {
  diagnostics: Diagnostic[];
  /** an error at the run's levels, before suppression comments: what makes dtc refuse output */
  errors: boolean;
  /** how many findings suppression comments silenced */
  suppressed: number;
}

/** `sources`: file -> text of every file the input read (the input stage's `sources`). */
export function inputFindings(ds: Diagnostic[], sources: Iterable<[string, string]>, levels: RuleLevels, catalog?: readonly CatalogRule[]): InputFindings {
  const leveled = applyRuleLevels(ds, levels);
  const s = applySuppressions(leveled, sources, catalog);
  return {
    diagnostics: sortDiagnostics([...s.kept, ...applyRuleLevels(s.findings, levels)]),
    errors: leveled.some((d) => d.severity === 'error'),
    suppressed: s.suppressed,
  };
}
