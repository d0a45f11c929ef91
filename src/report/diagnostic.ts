// A diagnostic is a record collected first and rendered last (see render.ts), so that
// every stage reports the same way and output order is deterministic.
import type { SourceSpan } from './source.js';

export type Severity = 'error' | 'warning' | 'info';

export interface DiagnosticNote {
  message: string;
  span?: SourceSpan;
}

/**
 * What a finding is about, as data: tools (an editor's hover, a profile mapping findings
 * back to its own lines) read these fields, never the message text. Renderers show
 * `node` and `property` as dtc does (`/path:prop: message`).
 */
export interface DiagnosticSubject {
  /** device-tree node path, e.g. `/soc@0/remoteproc@30000000` */
  node?: string;
  /** the property of `node`; for schema findings the instance path below the node
   *  (`clocks`, `reg/0`), as dt-validate's property_path */
  property?: string;
  /** which element of the property's value: the index of the 32-bit cell in a cell
   *  array (a qcom,devmem row r, cell c is element r*4+c), of the string in a string list */
  element?: number;
  /** properties a finding is about together, when it names several (schema's
   *  "'a', 'b' were unexpected"); `property` is then unset */
  properties?: string[];
}

export interface Diagnostic extends DiagnosticSubject {
  /** stable rule id: a dtc check name (`unit_address_vs_reg`), a dtkit rule
   *  (`qcom_devmem_alignment`), `syntax`, `preprocessor`, `schema`, ... */
  rule: string;
  severity: Severity;
  message: string;
  span?: SourceSpan;
  /** schema `$id` and JSON pointer within it, for schema findings */
  schema?: string;
  schemaPath?: string;
  notes?: DiagnosticNote[];
  /** file the finding belongs to when there is no span (e.g. a DTB input) */
  file?: string;
}

/** Collects diagnostics; stages never throw on bad user input, they report here. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  error(rule: string, message: string, span?: SourceSpan, extra: Partial<Diagnostic> = {}): void {
    this.items.push({ rule, severity: 'error', message, span, ...extra });
  }

  warning(rule: string, message: string, span?: SourceSpan, extra: Partial<Diagnostic> = {}): void {
    this.items.push({ rule, severity: 'warning', message, span, ...extra });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }

  merge(other: Diagnostics | Diagnostic[]): void {
    for (const d of Array.isArray(other) ? other : other.items) this.items.push(d);
  }
}
