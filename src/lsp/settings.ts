// What the language server checks with: the options of `dtkit validate` (include folders,
// bindings, -W/-E, host policy) plus what only an editor needs (the board a .dtsi is
// checked through, the base of an overlay). They come from the client's
// `initializationOptions` / `workspace/didChangeConfiguration` (section "dtkit").
// THE one place where the project's config file, preset, baseline and suppressions plug
// in (`configFor`, `keepFinding`): everything the server reports passes here.
import * as path from 'node:path';
import type { Diagnostic } from '../report/diagnostic.js';
import type { ValidateCliOptions } from '../cli/validate.js';

export interface LspSettings {
  /** `dtkit validate`'s options */
  validate: ValidateCliOptions;
  /** .dtsi (absolute path) -> the board to check it through */
  boards: Map<string, string>;
  /** .dtso (absolute path) -> the base it is applied to */
  bases: Map<string, string>;
  /** wait this long after the last edit before checking again */
  debounceMs: number;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function pathsMap(v: unknown, root: string): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.set(path.resolve(root, k), path.resolve(root, x));
  return out;
}

/**
 * Settings from the client's "dtkit" object, paths relative to the workspace root:
 * `{ include: [DIR], schemas: [DIR], warning: [RULE], error: [RULE], host: "kvm",
 *    boards: { "x.dtsi": "board.dts" }, bases: { "x.dtso": "board.dts" }, debounceMs: 250 }`.
 */
export function settingsFrom(raw: unknown, root: string): LspSettings {
  const o = (typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).dtkit ?? raw : {}) as Record<string, unknown>;
  const abs = (dirs: string[]) => dirs.map((d) => path.resolve(root, d));
  const host = o.host === 'kvm' || o.host === 'qhee' ? o.host : undefined;
  return {
    validate: {
      include: abs(strings(o.include)),
      schemas: strings(o.schemas).length ? abs(strings(o.schemas)) : undefined,
      warning: strings(o.warning),
      error: strings(o.error),
      detect: o.detect !== false,
      host,
      requireDevmem: o.requireDevmem === true,
      iommuPageSize: typeof o.iommuPageSize === 'string' ? o.iommuPageSize : undefined,
      unmatched: o.unmatched !== false,
      cache: true,
    },
    boards: pathsMap(o.boards, root),
    bases: pathsMap(o.bases, root),
    debounceMs: typeof o.debounceMs === 'number' && o.debounceMs >= 0 ? o.debounceMs : 250,
  };
}

/** The settings that apply to `file`. The project's config file (dtkit.config.yaml, its
 *  preset and rule levels) is to be merged in here; without it the client's settings apply. */
export function configFor(settings: LspSettings, _file: string): LspSettings {
  return settings;
}

/** Whether a finding is shown: the place for the config's baseline and for inline
 *  `dtkit-disable-next-line` suppressions. */
export function keepFinding(_settings: LspSettings, _d: Diagnostic, _sourceText: (file: string) => string | undefined): boolean {
  return true;
}
