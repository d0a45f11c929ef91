// SARIF 2.1.0 (OASIS) for code-scanning uploads and editors: one run of the `dtkit` driver,
// the descriptors of the rules that fired, one result per finding at its source span with
// the #include chain, the macro-expansion site and the notes as related locations, and the
// node path/property as a logical location. Output depends only on the findings and options
// (sorted, no times, no absolute paths but baseDir's own).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from './diagnostic.js';
import { sortDiagnostics, subjectOf } from './render.js';
import type { RuleInfo } from './rules.js';
import { clipText } from './safe-text.js';
import { formatPos, isPseudoFile, pathUnder, spanChain, type SourcePos, type SourceSpan } from './source.js';

export interface SarifOptions {
  /** descriptors for rule ids (dtc checks, qcom_*, schema, ...); unknown ids get a bare one */
  rules: RuleInfo[];
  toolVersion: string;
  /** files under this folder get URIs relative to it (base id `%SRCROOT%`, the convention
   *  GitHub code scanning resolves against the repository root); others absolute `file:` URIs */
  baseDir?: string;
}

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Json = Record<string, unknown>;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function descriptor(id: string, info: RuleInfo | undefined): Json {
  if (!info) return { id };
  const d: Json = {
    id,
    shortDescription: { text: info.description },
    fullDescription: { text: info.description },
    defaultConfiguration: info.level === 'off' ? { enabled: false } : { level: info.level === 'info' ? 'note' : info.level },
    help: { text: info.description },
  };
  if (info.helpUri) d.helpUri = info.helpUri;
  return d;
}

/** A relative path as a URI reference: segments percent-encoded (RFC 3986 pchar, except ':'
 *  which would read as a scheme in a first segment). */
function relativeUri(rel: string): string {
  return rel.split(path.sep === '\\' ? /[\\/]/ : '/').map((seg) => encodeURIComponent(seg)
    .replace(/%(24|26|2B|2C|3B|3D|40)/g, (m) => decodeURIComponent(m))).join('/');
}

class Artifacts {
  private readonly base?: string;

  constructor(baseDir: string | undefined) {
    this.base = baseDir === undefined ? undefined : path.resolve(baseDir);
  }

  get baseIds(): Json | undefined {
    if (this.base === undefined) return undefined;
    const uri = pathToFileURL(this.base).href;
    return { [SRCROOT]: { uri: uri.endsWith('/') ? uri : `${uri}/` } };
  }

  location(file: string): Json {
    // a pseudo file (`<stdin>`) has no URI: it is described instead
    if (isPseudoFile(file)) return { description: { text: file } };
    if (this.base === undefined) return path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: relativeUri(file) };
    const rel = pathUnder(this.base, file);
    return rel !== undefined ? { uri: relativeUri(rel), uriBaseId: SRCROOT } : { uri: pathToFileURL(path.resolve(file)).href };
  }
}

/** Line/column region; a span of unknown length marks one character, as the text caret does. */
function region(at: SourcePos, length = 0): Json {
  const startColumn = Math.max(1, at.column);
  return { startLine: at.line, startColumn, endLine: at.line, endColumn: startColumn + Math.max(1, length) };
}

function physical(artifacts: Artifacts, at: SourcePos | SourceSpan): Json {
  const length = 'length' in at ? at.length : 0;
  return { artifactLocation: artifacts.location(at.file), region: region(at, length) };
}

function logical(d: Diagnostic): Json[] | undefined {
  if (!d.node) return undefined;
  if (d.property) return [{ name: d.property, fullyQualifiedName: `${d.node}:${d.property}`, kind: 'property' }];
  const name = d.node === '/' ? '/' : d.node.slice(d.node.lastIndexOf('/') + 1);
  return [{ name, fullyQualifiedName: d.node, kind: 'object' }];
}

function result(d: Diagnostic, ruleIndex: number, artifacts: Artifacts): Json {
  const location: Json = {};
  const file = d.span?.file ?? d.file;
  if (d.span) location.physicalLocation = physical(artifacts, d.span);
  else if (file) location.physicalLocation = { artifactLocation: artifacts.location(file) };
  const logicalLocations = logical(d);
  if (logicalLocations) location.logicalLocations = logicalLocations;
  const related: Json[] = [];
  // an expansion inside an included file repeats the include sites: list each site once
  const seen = new Set<string>();
  for (const link of d.span ? spanChain(d.span) : []) {
    const key = `${link.what}\0${formatPos(link.at)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    related.push({ id: related.length + 1, physicalLocation: physical(artifacts, link.at), message: { text: link.what } });
  }
  for (const n of d.notes ?? []) {
    const rel: Json = { id: related.length + 1 };
    if (n.span) rel.physicalLocation = physical(artifacts, n.span);
    rel.message = { text: clipText(n.message) };
    related.push(rel);
  }
  const r: Json = {
    ruleId: d.rule,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: clipText(subjectOf(d) + d.message) },
    locations: Object.keys(location).length ? [location] : [],
  };
  if (related.length) r.relatedLocations = related;
  if (d.schema || d.schemaPath) r.properties = { ...(d.schema ? { schema: d.schema } : {}), ...(d.schemaPath ? { schemaPath: d.schemaPath } : {}) };
  return r;
}

/** The findings as a SARIF 2.1.0 log (pretty-printed JSON, newline-terminated). */
export function renderSarif(ds: Diagnostic[], opts: SarifOptions): string {
  const sorted = sortDiagnostics(ds);
  const infos = new Map(opts.rules.map((r) => [r.id, r]));
  const fired = [...new Set(sorted.map((d) => d.rule))].sort();
  const index = new Map(fired.map((id, i) => [id, i]));
  const artifacts = new Artifacts(opts.baseDir);
  const run: Json = {
    tool: { driver: { name: 'dtkit', version: opts.toolVersion, rules: fired.map((id) => descriptor(id, infos.get(id))) } },
  };
  const baseIds = artifacts.baseIds;
  if (baseIds) run.originalUriBaseIds = baseIds;
  run.columnKind = 'utf16CodeUnits';
  run.results = sorted.map((d) => result(d, index.get(d.rule)!, artifacts));
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
