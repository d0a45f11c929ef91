// Loads a profile: YAML with spans -> schema check with ajv (errors at the YAML
// line:col of the offending key or value, src/yaml) -> the typed, located Profile.
import * as path from 'node:path';
import type { Host } from '../host.js';
import { readText } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { profileSchema } from './schema.js';
import type {
  Cell, ChildEdit, DevmemRowSpec, Located, NodeEdit, NodeEditBody, Num, Profile, PropSpec, PropValueSpec,
  RemoteprocSpec, TargetRef,
} from './types.js';
import { DEVMEM_FLAGS } from '../qcom/devmem.js';
import { parseSize } from '../qcom/format.js';
import type { YamlSpans } from '../yaml/source.js';
import { escapePointer, loadYaml } from '../yaml/source.js';
import { compileSchema, schemaDiagnostics } from '../yaml/schema-errors.js';

export interface LoadProfileResult {
  profile?: Profile;
  diagnostics: Diagnostic[];
}

type Obj = Record<string, unknown>;

interface Conv {
  spans: YamlSpans;
  diagnostics: Diagnostic[];
}

function located<T>(c: Conv, value: T, pointer: string): Located<T> {
  return { value, span: c.spans.value(pointer) };
}

function num(c: Conv, value: number, pointer: string): Num {
  const raw = c.spans.raw(pointer) ?? String(value);
  const text = /^0[xX][0-9a-fA-F]+$/.test(raw) ? raw.toLowerCase() : /^[0-9]+$/.test(raw) ? raw : `0x${value.toString(16)}`;
  return { value, text, span: c.spans.value(pointer) };
}

function sizeNum(c: Conv, value: unknown, pointer: string): Num {
  if (typeof value === 'number') return num(c, value, pointer);
  const s = String(value);
  const n = parseSize(s) ?? Infinity;
  if (n > 0xffffffff) {
    c.diagnostics.push({ rule: 'profile_schema', severity: 'error', message: `size ${s} does not fit in 32 bits`, span: c.spans.value(pointer) });
  }
  return { value: n, text: `0x${n.toString(16)}`, span: c.spans.value(pointer) };
}

function target(c: Conv, o: Obj, pointer: string): TargetRef {
  if (typeof o.label === 'string') return { kind: 'label', label: o.label, span: c.spans.value(`${pointer}/label`) };
  if (typeof o.path === 'string') return { kind: 'path', path: o.path, span: c.spans.value(`${pointer}/path`) };
  return { kind: 'compatible', compatible: String(o.compatible), span: c.spans.value(`${pointer}/compatible`) };
}

function cellOf(c: Conv, v: unknown, pointer: string): Cell {
  if (typeof v === 'number') return { kind: 'num', num: num(c, v, pointer) };
  return { kind: 'ref', ref: String(v).slice(1), span: c.spans.value(pointer) };
}

function propValue(c: Conv, v: unknown, pointer: string): PropValueSpec {
  if (v === true) return { kind: 'empty' };
  if (typeof v === 'string') return { kind: 'strings', strings: [v] };
  const list = v as unknown[];
  if (list.every((x) => typeof x === 'string' && !x.startsWith('&'))) return { kind: 'strings', strings: list as string[] };
  if (list.every((x) => Array.isArray(x))) {
    return { kind: 'cells', groups: list.map((g, i) => (g as unknown[]).map((x, j) => cellOf(c, x, `${pointer}/${i}/${j}`))) };
  }
  return { kind: 'cells', groups: [list.map((x, j) => cellOf(c, x, `${pointer}/${j}`))] };
}

function editBody(c: Conv, o: Obj, pointer: string): NodeEditBody {
  const set: PropSpec[] = Object.entries((o.set as Obj | undefined) ?? {}).map(([name, v]) => {
    const p = `${pointer}/set/${escapePointer(name)}`;
    return { name, value: propValue(c, v, p), span: c.spans.value(p), keySpan: c.spans.key(p) };
  });
  const children: ChildEdit[] = ((o.children as Obj[] | undefined) ?? []).map((ch, i) => {
    const p = `${pointer}/children/${i}`;
    return { name: located(c, String(ch.name), `${p}/name`), ...editBody(c, ch, p) };
  });
  return {
    comment: o.comment as string | undefined,
    status: typeof o.status === 'string' ? located(c, o.status, `${pointer}/status`) : undefined,
    set,
    delete: ((o.delete as string[] | undefined) ?? []).map((d, i) => located(c, d, `${pointer}/delete/${i}`)),
    children,
    span: c.spans.value(pointer),
  };
}

function devmemRow(c: Conv, o: Obj, pointer: string): DevmemRowSpec {
  const da = num(c, o.da as number, `${pointer}/da`);
  const flags = (o.flags as string[]).map((f, i) => located(c, f, `${pointer}/flags/${i}`));
  return {
    da,
    pa: o.pa === undefined ? da : num(c, o.pa as number, `${pointer}/pa`),
    size: sizeNum(c, o.size, `${pointer}/size`),
    flags,
    flagBits: flags.reduce((bits, f) => bits | (DEVMEM_FLAGS.find((d) => d.name === f.value)?.bit ?? 0), 0),
    span: c.spans.value(pointer),
  };
}

function remoteproc(c: Conv, o: Obj, pointer: string): RemoteprocSpec {
  return {
    target: target(c, o, pointer),
    compatible: typeof o.compatible === 'string' ? located(c, o.compatible, `${pointer}/compatible`) : undefined,
    comment: o.comment as string | undefined,
    smmu: located(c, String(o.smmu), `${pointer}/smmu`),
    sid: num(c, o.sid as number, `${pointer}/sid`),
    mask: o.mask === undefined ? undefined : num(c, o.mask as number, `${pointer}/mask`),
    devmem: ((o.devmem as Obj[] | undefined) ?? []).map((r, i) => devmemRow(c, r, `${pointer}/devmem/${i}`)),
    span: c.spans.value(pointer),
  };
}

/** Parses and validates profile text; `file` names it in diagnostics. */
export function parseProfile(text: string, file: string): LoadProfileResult {
  const y = loadYaml(text, file, 'profile_yaml');
  if (y.data === undefined) {
    if (y.diagnostics.length) return { diagnostics: y.diagnostics };
    return { diagnostics: [{ rule: 'profile_schema', severity: 'error', message: 'profile is empty', span: y.spans.value(''), file }] };
  }
  const validate = compileSchema(profileSchema);
  if (!validate(y.data)) return { diagnostics: schemaDiagnostics(validate.errors ?? [], y.spans, { rule: 'profile_schema', root: 'profile' }) };
  const doc = y.data as unknown as Obj;
  const c: Conv = { spans: y.spans, diagnostics: [] };
  const base = doc.base as { compatible: string[] };
  const profile: Profile = {
    name: (doc.name as string | undefined) ?? path.basename(file).replace(/\.ya?ml$/, ''),
    description: doc.description as string | undefined,
    file,
    baseCompatible: base.compatible.map((s, i) => located(c, s, `/base/compatible/${i}`)),
    baseSpan: y.spans.key('/base'),
    remoteprocs: ((doc.remoteprocs as Obj[] | undefined) ?? []).map((r, i) => remoteproc(c, r, `/remoteprocs/${i}`)),
    edits: ((doc.edits as Obj[] | undefined) ?? []).map((e, i): NodeEdit => ({
      target: target(c, e, `/edits/${i}`),
      ...editBody(c, e, `/edits/${i}`),
    })),
  };
  return c.diagnostics.length ? { diagnostics: c.diagnostics } : { profile, diagnostics: [] };
}

/** Reads a profile file through the host. */
export function loadProfile(host: Host, file: string): LoadProfileResult {
  const text = readText(host, file);
  if (text === undefined) {
    return { diagnostics: [{ rule: 'profile_io', severity: 'error', message: `cannot read profile '${file}'`, file }] };
  }
  return parseProfile(text, file);
}
