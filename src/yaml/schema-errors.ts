// A YAML document checked against a JSON schema with ajv, each error at the line:col of
// the offending key or value (source.ts gives the spans). `hint` is dtkit's own keyword:
// the message shown instead of ajv's generic one when the value at that place is wrong.
// Used for KVM profiles and dtkit.config.yaml.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../report/diagnostic.js';
import type { YamlSpans } from './source.js';
import { escapePointer } from './source.js';

type Obj = Record<string, unknown>;

/** ajv is loaded by the first schema compiled, not with this module: every command that
 *  reads settings imports it, and loading ajv (~150 files) cost a fresh compile without a
 *  config file ~35 ms CPU, a tenth of the run. */
const requireHere = createRequire(import.meta.url);

/** An ajv validator for a schema that may use `hint`. */
export function compileSchema(schema: object): ValidateFunction {
  const { Ajv } = requireHere('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  ajv.addKeyword({ keyword: 'hint', schemaType: 'string' });
  return ajv.compile(schema);
}

function decodePointer(p: string): string[] {
  return p.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** What the user sees for one ajv error: our hint when the schema has one. `root` names
 *  the document ("profile", "config"). */
function messageOf(e: ErrorObject, root: string): { message: string; atKey: boolean; pointer: string } {
  const hint = (e.parentSchema as { hint?: string } | undefined)?.hint;
  const parts = decodePointer(e.instancePath);
  const field = parts.pop();
  const owner = parts.pop();
  const subject = field === undefined
    ? root
    : /^\d+$/.test(field) ? (owner === undefined ? `item ${field}` : `'${owner}' item ${field}`) : `'${field}'`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: Obj }).properties ?? {});
      return {
        message: `unknown key '${key}'${known.length ? ` (expected one of: ${known.join(', ')})` : ''}`,
        atKey: true,
        pointer: `${e.instancePath}/${escapePointer(key)}`,
      };
    }
    case 'required':
      return {
        message: `${subject} is missing required key '${(e.params as { missingProperty: string }).missingProperty}'`,
        atKey: false,
        pointer: e.instancePath,
      };
    case 'propertyNames':
      return { message: `property name '${(e.params as { propertyName: string }).propertyName}' is not a valid property name`, atKey: true, pointer: e.instancePath };
    default: {
      // a container's hint is about its contents; a wrong container type gets ajv's words
      const containerType = e.keyword === 'type' && (e.params as { type: string }).type.match(/object|array/);
      const text = (!containerType && hint) || e.message || 'is invalid';
      return { message: `${subject} ${text}`, atKey: false, pointer: e.instancePath };
    }
  }
}

/** Drops errors inside an anyOf that is itself reported (its hint says it all). */
function significantErrors(errors: ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const inside = (e: ErrorObject) =>
    anyOfs.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath.startsWith(a.instancePath));
  // ajv reports a bad property name twice (the pattern, then propertyNames): keep the latter
  return errors.filter((e) => !inside(e)).filter((e) => !(e.keyword === 'pattern' && e.propertyName !== undefined));
}

export interface SchemaErrorStyle {
  /** the rule id of the findings */
  rule: string;
  /** what the document is called in a message about the whole of it */
  root: string;
}

/** ajv's errors as located findings, one per place and message. */
export function schemaDiagnostics(errors: ErrorObject[], spans: YamlSpans, style: SchemaErrorStyle): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of significantErrors(errors)) {
    const m = messageOf(e, style.root);
    const span = m.atKey ? spans.key(m.pointer) : spans.value(m.pointer);
    const id = `${span.line}:${span.column}:${m.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ rule: style.rule, severity: 'error', message: m.message, span, file: span.file });
  }
  return out;
}
