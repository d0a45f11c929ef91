// Reads one dtkit.config.yaml: YAML with spans -> the JSON schema (ajv, errors at the
// line:col of the key or value at fault) -> a Config whose paths are resolved against the
// file's folder (in the style the file was named in: relative stays relative). A wrong key
// or value is an error, never ignored; an empty file is an empty config.
import * as path from 'node:path';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import { parseSize } from '../qcom/format.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import { CONFIG_RULE } from '../rules/catalog.js';
import type { RuleSetting } from '../rules/levels.js';
import type { CheckLevel } from '../checks/types.js';
import { compileSchema, schemaDiagnostics } from '../yaml/schema-errors.js';
import { escapePointer, loadYaml } from '../yaml/source.js';
import { configSchema } from './schema.js';

export const CONFIG_FILE_NAME = 'dtkit.config.yaml';

export interface Config {
  /** the file, as found or named */
  file: string;
  preset?: { name: string; span: SourceSpan };
  /** folders and files, resolved against the config file's folder */
  include?: string[];
  schemas?: string[];
  overlays?: string[];
  host?: 'qhee' | 'kvm';
  /** `rules:` in file order, each with the span of its key */
  rules: RuleSetting[];
  iommuPageSize?: number;
  requireDevmem?: boolean;
}

export interface LoadedConfig {
  config?: Config;
  diagnostics: Diagnostic[];
}

type Obj = Record<string, unknown>;

function configError(message: string, span: SourceSpan | undefined, file: string): Diagnostic {
  return { rule: CONFIG_RULE, severity: 'error', message, span, file };
}

/** Parses and checks config text; `file` names it in findings and anchors its paths. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const y = loadYaml(text, file, CONFIG_RULE);
  if (y.diagnostics.length) return { diagnostics: y.diagnostics };
  const data = y.data ?? {};
  const validate = compileSchema(configSchema());
  if (!validate(data)) return { diagnostics: schemaDiagnostics(validate.errors ?? [], y.spans, { rule: CONFIG_RULE, root: 'config' }) };
  const doc = data as Obj;
  const dir = path.dirname(file);
  const paths = (key: string): string[] | undefined =>
    (doc[key] as string[] | undefined)?.map((p) => (path.isAbsolute(p) ? p : path.join(dir, p)));
  const diagnostics: Diagnostic[] = [];
  let iommuPageSize: number | undefined;
  if (doc['iommu-page-size'] !== undefined) {
    const raw = doc['iommu-page-size'];
    const size = typeof raw === 'number' ? raw : parseSize(String(raw));
    if (size === undefined || size <= 0 || (size & (size - 1)) !== 0 || size > 2 ** 30) {
      diagnostics.push(configError(`'iommu-page-size' must be a power of two such as 4K, not ${JSON.stringify(raw)}`, y.spans.value('/iommu-page-size'), file));
    }
    iommuPageSize = size;
  }
  if (diagnostics.length) return { diagnostics };
  const rules = Object.entries((doc.rules as Record<string, CheckLevel> | undefined) ?? {})
    .map(([id, level]): RuleSetting => ({ id, level, span: y.spans.key(`/rules/${escapePointer(id)}`) }));
  const config: Config = {
    file,
    preset: typeof doc.preset === 'string' ? { name: doc.preset, span: y.spans.value('/preset') } : undefined,
    include: paths('include'),
    schemas: paths('schemas'),
    overlays: paths('overlays'),
    host: doc.host as Config['host'],
    rules,
    iommuPageSize,
    requireDevmem: doc['require-devmem'] as boolean | undefined,
  };
  return { config, diagnostics: [] };
}

/** Reads a config file through the host. */
export function loadConfig(host: Host, file: string): LoadedConfig {
  const text = readText(host, file);
  if (text === undefined) return { diagnostics: [configError(`cannot read the config file '${file}'`, undefined, file)] };
  return parseConfig(text, file);
}
