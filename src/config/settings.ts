// The settings one input is checked with: its dtkit.config.yaml (found by walking up, or
// named, or none) under the command line's flags, which override the file key by key
// (a list given on the command line replaces the file's; -W/-E come after the file's
// `rules:`). This is the config stage's entry point: `dtkit validate`, `dtkit compile` and
// the language server call it for each input, so each sees the same settings.
//
//   const ctx = createConfigContext(nodeHost);
//   const s = settingsFor('arch/arm64/boot/dts/qcom/board.dts', { preset: 'kernel' }, ctx);
//   s.diagnostics   // wrong keys or values in the config file, at file:line:col
//   s.problems      // what is wrong with the flags themselves (a usage error)
import type { CheckPreset } from '../checks/presets.js';
import { DEFAULT_PRESET, findPreset } from '../checks/presets.js';
import type { DtcVersion } from '../checks/table.js';
import type { Host } from '../host.js';
import { parseSize } from '../qcom/format.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { CONFIG_RULE } from '../rules/catalog.js';
import type { RuleLevels } from '../rules/levels.js';
import { resolveRules, unknownPresetMessage } from '../rules/levels.js';
import { findConfigFile } from './find.js';
import type { Config, LoadedConfig } from './load.js';
import { loadConfig } from './load.js';

/** What the command line said; undefined: not given (the config file's value, else the default). */
export interface SettingFlags {
  /** --config FILE; false: --no-config */
  config?: string | false;
  preset?: string;
  /** include folders (-I/-i) */
  include?: string[];
  schemas?: string[];
  overlays?: string[];
  host?: 'qhee' | 'kvm';
  warnings?: string[];
  errors?: string[];
  iommuPageSize?: string;
  requireDevmem?: boolean;
}

export interface Settings {
  /** the config file used, if any */
  configFile?: string;
  preset: CheckPreset;
  /** the dtc table the checks follow (the preset's) */
  table: DtcVersion;
  levels: RuleLevels;
  includeDirs: string[];
  /** binding folders; undefined: the detected tree's */
  schemas?: string[];
  overlays: string[];
  host?: 'qhee' | 'kvm';
  iommuPageSize: number;
  requireDevmem: boolean;
  /** what is wrong in the config file, located (rule `config`) */
  diagnostics: Diagnostic[];
  /** what is wrong with the flags (the CLI's usage errors) */
  problems: string[];
}

/** Caches for one run (or one language-server session): configs by file, lookups by folder. */
export interface ConfigContext {
  host: Host;
  /** where to look for a config when no folder above an input has one */
  cwd: string;
  configs: Map<string, LoadedConfig>;
  folders: Map<string, string | undefined>;
  settings: Map<string, Settings>;
}

export function createConfigContext(host: Host, cwd: string = process.cwd()): ConfigContext {
  return { host, cwd, configs: new Map(), folders: new Map(), settings: new Map() };
}

/** The config file `input` uses under `flags` (undefined: none). */
export function configFileFor(input: string, flags: Pick<SettingFlags, 'config'>, ctx: ConfigContext): string | undefined {
  if (flags.config === false) return undefined;
  if (typeof flags.config === 'string') return flags.config;
  return findConfigFile(input, ctx.host, ctx.cwd, ctx.folders);
}

function loaded(file: string, ctx: ConfigContext): LoadedConfig {
  let c = ctx.configs.get(file);
  if (!c) {
    c = loadConfig(ctx.host, file);
    ctx.configs.set(file, c);
  }
  return c;
}

const DEFAULT_PAGE_SIZE = 4096;

function pageSize(text: string, problems: string[]): number {
  const size = parseSize(text);
  if (size === undefined || size <= 0 || (size & (size - 1)) !== 0) {
    problems.push(`--iommu-page-size must be a power of two such as 4K, not '${text}'`);
    return DEFAULT_PAGE_SIZE;
  }
  return size;
}

function presetOf(flags: SettingFlags, config: Config | undefined, problems: string[]): CheckPreset {
  if (flags.preset !== undefined) {
    const p = findPreset(flags.preset);
    if (p) return p;
    problems.push(unknownPresetMessage(flags.preset));
  }
  // the config's name was checked by its schema
  return findPreset(config?.preset?.name ?? DEFAULT_PRESET)!;
}

/** The settings for `input`: its config file under the flags. Cached per config file. */
export function settingsFor(input: string, flags: SettingFlags, ctx: ConfigContext): Settings {
  const file = configFileFor(input, flags, ctx);
  const key = file ?? '';
  const cached = ctx.settings.get(key);
  if (cached) return cached;
  const l = file === undefined ? undefined : loaded(file, ctx);
  const config = l?.config;
  const diagnostics: Diagnostic[] = [...(l?.diagnostics ?? [])];
  const problems: string[] = [];
  const preset = presetOf(flags, config, problems);
  const rules = resolveRules({ preset, rules: config?.rules, warnings: flags.warnings, errors: flags.errors });
  for (const p of rules.problems) {
    if (p.span) diagnostics.push({ rule: CONFIG_RULE, severity: 'error', message: `rules: ${p.message}`, span: p.span, file: p.span.file });
    else problems.push(p.message);
  }
  const settings: Settings = {
    configFile: file,
    preset,
    table: rules.table,
    levels: rules.levels,
    includeDirs: flags.include ?? config?.include ?? [],
    schemas: flags.schemas ?? config?.schemas,
    overlays: flags.overlays ?? config?.overlays ?? [],
    host: flags.host ?? config?.host,
    iommuPageSize: flags.iommuPageSize !== undefined ? pageSize(flags.iommuPageSize, problems) : config?.iommuPageSize ?? DEFAULT_PAGE_SIZE,
    requireDevmem: flags.requireDevmem ?? config?.requireDevmem ?? false,
    diagnostics,
    problems,
  };
  ctx.settings.set(key, settings);
  return settings;
}
