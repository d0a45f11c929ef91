// What an editor asks of the bindings: which file documents a compatible, which properties
// a node's binding allows, and a property's description and type. The processed set (the
// one `dtkit validate` validates with) says which binding applies; descriptions are read
// from the binding's own YAML, since dt-schema's fixups drop them from the processed
// schemas. A binding's properties include those of the schemas it references ($ref,
// allOf), as dt-schema evaluates them.
import * as yaml from 'js-yaml';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import type { ValidateContext } from '../schema/validate.js';

type Yaml = Record<string, unknown>;

export interface PropertyDoc {
  name: string;
  description?: string;
  /** types.yaml definition ('uint32', 'phandle-array', ...) or a short description of the schema */
  type?: string;
  /** the binding file that describes it */
  file: string;
}

const TYPES_REF = /types\.yaml#\/definitions\/([A-Za-z0-9-]+)$/;
const MAX_REF_DEPTH = 12;

function isObject(v: unknown): v is Yaml {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function idKey(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

export class BindingDocs {
  private readonly raw = new Map<string, Yaml | null>();
  private readonly byId = new Map<string, string>();

  constructor(private readonly ctx: ValidateContext, private readonly host: Host) {
    for (const [id, s] of Object.entries(ctx.index.schemas)) this.byId.set(idKey(id), s.file);
  }

  /** The binding file of the first compatible a schema documents. */
  fileOf(compatibles: readonly string[]): string | undefined {
    for (const c of compatibles) {
      const id = this.ctx.index.compatMap[c];
      if (id) return this.ctx.index.schemas[id]?.file;
      for (const a of this.ctx.index.always) {
        const sel = this.ctx.index.schemas[a]?.select;
        if (sel?.kind === 'compatible' && sel.compatibles.includes(c)) return this.ctx.index.schemas[a].file;
      }
    }
    return undefined;
  }

  /** Every compatible string the bindings list (not the patterns). */
  compatibles(): readonly string[] {
    return this.ctx.index.documented.enum;
  }

  private yamlOf(file: string): Yaml | undefined {
    let doc = this.raw.get(file);
    if (doc === undefined) {
      try {
        const text = readText(this.host, file);
        const parsed = text === undefined ? undefined : yaml.load(Buffer.from(text, 'latin1').toString('utf8'));
        doc = isObject(parsed) ? parsed : null;
      } catch {
        doc = null;
      }
      this.raw.set(file, doc);
    }
    return doc ?? undefined;
  }

  /** `properties` entries of a binding and of what it references, the binding's own first. */
  private collect(file: string, out: Map<string, PropertyDoc>): void {
    const seen = new Set<string>();
    const stack: Array<{ file: string; schema: unknown; depth: number }> = [{ file, schema: this.yamlOf(file), depth: 0 }];
    while (stack.length) {
      const { file: f, schema, depth } = stack.shift()!;
      if (!isObject(schema) || depth > MAX_REF_DEPTH) continue;
      const props = schema.properties;
      if (isObject(props)) {
        for (const [name, p] of Object.entries(props)) {
          const doc = describe(name, p, f);
          const known = out.get(name);
          if (!known) out.set(name, doc);
          else {
            known.description ??= doc.description;
            known.type ??= doc.type;
          }
        }
      }
      const refs: unknown[] = [];
      if (typeof schema.$ref === 'string') refs.push(schema.$ref);
      for (const key of ['allOf', 'anyOf', 'oneOf']) {
        const list = schema[key];
        if (Array.isArray(list)) for (const s of list) if (isObject(s)) {
          if (typeof s.$ref === 'string') refs.push(s.$ref);
          else stack.push({ file: f, schema: s, depth: depth + 1 });
        }
      }
      for (const key of ['if', 'then']) if (isObject(schema[key])) stack.push({ file: f, schema: schema[key], depth: depth + 1 });
      const baseId = isObject(this.yamlOf(f)) && typeof this.yamlOf(f)!.$id === 'string' ? (this.yamlOf(f)!.$id as string) : '';
      for (const ref of refs) {
        const target = this.refFile(String(ref), baseId);
        if (!target || seen.has(target)) continue;
        seen.add(target);
        stack.push({ file: target, schema: this.yamlOf(target), depth: depth + 1 });
      }
    }
  }

  private refFile(ref: string, baseId: string): string | undefined {
    try {
      const u = new URL(ref, baseId || 'http://devicetree.org/schemas/');
      u.hash = '';
      return this.byId.get(idKey(u.toString()));
    } catch {
      return undefined;
    }
  }

  /** The properties the binding of `compatibles` describes (by name), or undefined without one. */
  properties(compatibles: readonly string[]): Map<string, PropertyDoc> | undefined {
    const file = this.fileOf(compatibles);
    if (!file) return undefined;
    const out = new Map<string, PropertyDoc>();
    this.collect(file, out);
    return out;
  }

  /** What the bindings say about property `name`: the node's binding, else the type table. */
  property(compatibles: readonly string[], name: string): PropertyDoc | undefined {
    const doc = this.properties(compatibles)?.get(name);
    const types = this.ctx.index.table.props.get(name);
    const tableType = types?.map((t) => t.type).filter((t): t is string => !!t);
    if (doc) {
      if (!doc.type && tableType?.length) doc.type = [...new Set(tableType)].join(' | ');
      return doc;
    }
    if (!tableType?.length) return undefined;
    // the type table merges every binding's definition of the name: no one file says it
    return { name, type: [...new Set(tableType)].join(' | '), file: '' };
  }
}

function describe(name: string, p: unknown, file: string): PropertyDoc {
  const doc: PropertyDoc = { name, file };
  if (!isObject(p)) return doc;
  const texts: string[] = [];
  const visit = (s: unknown, depth: number) => {
    if (!isObject(s) || depth > 3) return;
    if (typeof s.description === 'string') texts.push(s.description.trim());
    if (!doc.type && typeof s.$ref === 'string') doc.type = TYPES_REF.exec(s.$ref)?.[1];
    for (const key of ['allOf', 'oneOf', 'anyOf']) if (Array.isArray(s[key])) for (const x of s[key] as unknown[]) visit(x, depth + 1);
  };
  visit(p, 0);
  if (texts.length) doc.description = texts[0];
  if (!doc.type) {
    if (p.const !== undefined) doc.type = `const ${JSON.stringify(p.const)}`;
    else if (Array.isArray(p.enum)) doc.type = `enum ${p.enum.map((x) => JSON.stringify(x)).join(', ')}`;
    else if (typeof p.type === 'string') doc.type = p.type;
  }
  return doc;
}
