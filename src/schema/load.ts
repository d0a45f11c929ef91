// Reading binding YAML files. A file that cannot be read or parsed, or has no `$id`,
// becomes a located diagnostic; the other files load regardless.
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Host } from '../host.js';
import type { JsonObject } from './json.js';
import { isObject } from './json.js';

export const SCHEMA_RULE = 'schema';
export const SCHEMA_LOAD_RULE = 'schema-load';

export interface SchemaFile {
  /** `$id` without the trailing '#' */
  id: string;
  file: string;
  text: string;
  raw: JsonObject;
}

/** Every `*.yaml` below `dir`, sorted so that results are deterministic. */
export function listYamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries.filter((e) => e.endsWith('.yaml')).map((e) => path.join(dir, e)).sort();
}

export function normaliseId(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

function loadError(file: string, message: string, line = 0, column = 0): Diagnostic {
  return {
    rule: SCHEMA_LOAD_RULE,
    severity: 'warning',
    message,
    file,
    span: line > 0 ? { file, line, column, length: 0 } : undefined,
  };
}

/** Parses one schema file's text. */
export function parseSchemaText(file: string, text: string): { schema?: SchemaFile; diagnostic?: Diagnostic } {
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file });
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line: number; column: number } };
    const m = err.mark;
    return { diagnostic: loadError(file, `malformed YAML: ${err.reason ?? err.message ?? String(e)}`, m ? m.line + 1 : 0, m ? m.column + 1 : 0) };
  }
  if (!isObject(doc)) return { diagnostic: loadError(file, 'schema is not a YAML mapping', 1, 1) };
  if (typeof doc.$id !== 'string') return { diagnostic: loadError(file, "schema has no '$id'", 1, 1) };
  return { schema: { id: normaliseId(doc.$id), file, text, raw: doc } };
}

export interface LoadedFiles {
  files: SchemaFile[];
  diagnostics: Diagnostic[];
}

/** Loads the schema files from `dirs` in order; the first file with a given `$id` wins. */
export function loadSchemaDirs(dirs: string[], host: Host): LoadedFiles {
  const out: SchemaFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const files = listYamlFiles(dir);
    if (files.length === 0) diagnostics.push({ rule: SCHEMA_LOAD_RULE, severity: 'warning', message: `no schema found in path: ${dir}`, file: dir });
    for (const file of files) {
      const bytes = host.readFile(file);
      if (!bytes) {
        diagnostics.push(loadError(file, 'cannot read schema file'));
        continue;
      }
      const { schema, diagnostic } = parseSchemaText(file, Buffer.from(bytes).toString('utf8'));
      if (diagnostic) diagnostics.push(diagnostic);
      if (!schema) continue;
      const prev = seen.get(schema.id);
      if (prev) {
        diagnostics.push({ ...loadError(file, `ignoring duplicate '$id' value '${schema.raw.$id}' (first in ${prev})`, 1, 1), severity: 'warning' });
        continue;
      }
      seen.set(schema.id, file);
      out.push(schema);
    }
  }
  return { files: out, diagnostics };
}

/** Line and column of the first `$ref: <ref>` in a schema's text (for located errors). */
export function locateRef(text: string, ref: string): { line: number; column: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i].indexOf(ref);
    if (col >= 0 && lines[i].includes('$ref')) return { line: i + 1, column: col + 1 };
  }
  return undefined;
}
