// What the language server checks with: the options of `dtkit validate` (include folders,
// bindings, -W/-E, host policy) plus what only an editor needs (the board a .dtsi is
// checked through, the base of an overlay). They come from the client's
// `initializationOptions` / `workspace/didChangeConfiguration` (section "dtkit").
// They are to the project's dtkit.config.yaml what `dtkit validate`'s flags are: each one
// given overrides the file's key (`settingFlagsOf`, for src/config's `settingsFor`); a
// `baseline` hides the findings it records, as `--baseline` does.
import * as path from 'node:path';
import type { SettingFlags } from '../config/settings.js';
import type { PasPolicy } from '../qcom/checks.js';

/** `dtkit validate`'s options an editor can set (the command line's names). */
export interface LspValidateOptions {
  include?: string[];
  schemas?: string[];
  coreSchemas?: string;
  warning?: string[];
  error?: string[];
  preset?: string;
  /** a config file; false: none */
  config?: string | false;
  detect?: boolean;
  host?: PasPolicy;
  requireDevmem?: boolean;
  iommuPageSize?: string;
  unmatched: boolean;
  cache: boolean;
  cacheDir?: string;
}

export interface LspSettings {
  /** `dtkit validate`'s options */
  validate: LspValidateOptions;
  /** .dtsi (absolute path) -> the board to check it through */
  boards: Map<string, string>;
  /** .dtso (absolute path) -> the base it is applied to */
  bases: Map<string, string>;
  /** wait this long after the last edit before checking again */
  debounceMs: number;
  /** a baseline (absolute path): its findings are not shown */
  baseline?: string;
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
 *    preset: "kernel", config: "ci/dtkit.config.yaml" (false: none), baseline: "FILE",
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
      requireDevmem: typeof o.requireDevmem === 'boolean' ? o.requireDevmem : undefined,
      iommuPageSize: typeof o.iommuPageSize === 'string' ? o.iommuPageSize : undefined,
      unmatched: o.unmatched !== false,
      cache: true,
      preset: typeof o.preset === 'string' ? o.preset : undefined,
      config: o.config === false ? false : typeof o.config === 'string' ? path.resolve(root, o.config) : undefined,
    },
    boards: pathsMap(o.boards, root),
    bases: pathsMap(o.bases, root),
    debounceMs: typeof o.debounceMs === 'number' && o.debounceMs >= 0 ? o.debounceMs : 250,
    ...(typeof o.baseline === 'string' ? { baseline: path.resolve(root, o.baseline) } : {}),
  };
}

/** The client's settings as the flags over the project's dtkit.config.yaml (src/config): only
 *  what the client set overrides the file, as on dtkit validate's command line. */
export function settingFlagsOf(settings: LspSettings): SettingFlags {
  const v = settings.validate;
  return {
    config: v.config,
    preset: v.preset,
    include: v.include?.length ? v.include : undefined,
    schemas: v.schemas,
    host: v.host,
    warnings: v.warning,
    errors: v.error,
    iommuPageSize: v.iommuPageSize,
    requireDevmem: v.requireDevmem,
  };
}
