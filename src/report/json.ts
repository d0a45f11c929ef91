// The one JSON shape every command reports in:
//   { tool, version, command, diagnostics: [finding...], summary: {...}, ...command data }
// A finding uses dt-validate's field names (type, level, file, line, column, node,
// nodename, compatible, property_path, schema_path, schema, message), with
// `property_path` and `schema_path` always lists, plus dtkit's own (rule, the include
// chain, the macro expansion, notes). Schema findings are typed as dt-validate types
// them ('validation', 'unmatched'); every other finding's type is its rule id.
import type { Diagnostic, Severity } from './diagnostic.js';
import type { SourcePos } from './source.js';
import { formatPos } from './source.js';

export interface JsonNote {
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

export interface JsonFinding {
  type: string;
  level: Severity;
  file: string | null;
  line: number | null;
  column: number | null;
  node: string | null;
  nodename: string | null;
  /** dt-validate: the node's first compatible, or (for 'unmatched') all of them */
  compatible: string | string[] | null;
  property_path: Array<string | number>;
  schema_path: Array<string | number>;
  schema: string | null;
  message: string;
  rule: string;
  include_chain: string[];
  expanded_from: string | null;
  notes: JsonNote[];
}

export interface JsonSummary {
  inputs: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface JsonReport {
  tool: 'dtkit';
  version: string;
  command: string;
  diagnostics: JsonFinding[];
  summary: JsonSummary;
  [data: string]: unknown;
}

/** dt-validate's finding types for the schema rules. */
const SCHEMA_TYPES: Record<string, string> = { schema: 'validation', 'schema-unmatched': 'unmatched' };

/** `reg/0` -> ['reg', 0]: a JSON pointer-ish path as dt-validate lists it. */
function pathList(p: string | undefined): Array<string | number> {
  return p ? p.split('/').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [];
}

function note(message: string, at: SourcePos | undefined): JsonNote {
  return { message, file: at?.file ?? null, line: at?.line ?? null, column: at?.column ?? null };
}

export interface FindingContext {
  /** the `compatible` strings of a node of the input's tree */
  compatibleOf?: (node: string) => string[] | undefined;
}

export function jsonFinding(d: Diagnostic, ctx: FindingContext = {}): JsonFinding {
  const type = SCHEMA_TYPES[d.rule] ?? d.rule;
  const compat = d.node ? ctx.compatibleOf?.(d.node) : undefined;
  return {
    type,
    level: d.severity,
    file: d.span?.file ?? d.file ?? null,
    line: d.span?.line ?? null,
    column: d.span?.column ?? null,
    node: d.node ?? null,
    nodename: d.node ? (d.node === '/' ? '/' : d.node.slice(d.node.lastIndexOf('/') + 1)) : null,
    compatible: type === 'unmatched' ? compat ?? null : compat?.[0] ?? null,
    property_path: pathList(d.property),
    schema_path: pathList(d.schemaPath),
    schema: d.schema ?? null,
    message: d.message,
    rule: d.rule,
    include_chain: d.span?.includedFrom?.map(formatPos) ?? [],
    expanded_from: d.span?.expandedFrom ? formatPos(d.span.expandedFrom) : null,
    notes: (d.notes ?? []).map((n) => note(n.message, n.span)),
  };
}

export function summarise(findings: Array<{ level: Severity }>, inputs: number): JsonSummary {
  const count = (l: Severity) => findings.filter((f) => f.level === l).length;
  return { inputs, errors: count('error'), warnings: count('warning'), infos: count('info') };
}

export interface JsonReportInput {
  command: string;
  version: string;
  inputs: number;
  diagnostics: JsonFinding[];
  /** command-specific data, beside the findings (e.g. devmem's remoteprocs) */
  data?: Record<string, unknown>;
}

export function jsonReport(r: JsonReportInput): string {
  const report: JsonReport = {
    tool: 'dtkit', version: r.version, command: r.command,
    ...r.data,
    diagnostics: r.diagnostics,
    summary: summarise(r.diagnostics, r.inputs),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
