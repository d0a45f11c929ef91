// YAML loading that remembers where every value came from (KVM profiles, dtkit.config.yaml).
// js-yaml builds plain data and has no AST, but its parse listener reports the start and
// end of every node it composes, nested; replaying those events beside the data gives each
// JSON pointer (ajv's instancePath form) a span, and each mapping entry the span of its key.
import yaml from 'js-yaml';
import type { Diagnostic } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import { lineStarts, spanOfOffsets } from '../report/source.js';

export interface YamlSpans {
  /** span of the value at a JSON pointer ('' is the document), or of the nearest ancestor */
  value(pointer: string): SourceSpan;
  /** span of the key of the mapping entry at `pointer`, else of its value */
  key(pointer: string): SourceSpan;
  /** the scalar's text as written (`0x0400`, `16K`), when the pointer names a scalar */
  raw(pointer: string): string | undefined;
}

export interface LoadedYaml {
  /** undefined when the text is not well-formed YAML (a diagnostic says where) */
  data?: unknown;
  spans: YamlSpans;
  diagnostics: Diagnostic[];
}

interface Frame {
  open: number;
  close: number;
  kind: string | null;
  children: Frame[];
}

interface Located {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
}

/** js-yaml opens a node before skipping the blanks and comments in front of it. */
function skipBlanks(text: string, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < end && text[i] !== '\n') i++;
    else break;
  }
  return i;
}

/** Trailing blanks and comments are part of a node's close position; drop them. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  for (;;) {
    while (e > start && /\s/.test(text[e - 1])) e--;
    // a trailing comment on the last line: cut at an unquoted ' #'
    const lineStart = text.lastIndexOf('\n', e - 1) + 1;
    const hash = text.slice(Math.max(lineStart, start), e).search(/(^|\s)#/);
    if (hash < 0) return e;
    e = Math.max(lineStart, start) + hash;
  }
}

/** A key as one JSON-pointer segment ('~' and '/' escaped). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function indexFrames(text: string, root: Frame, data: unknown): Map<string, Located> {
  const out = new Map<string, Located>();
  const place = (f: Frame): Located => {
    const start = skipBlanks(text, f.open, f.close);
    return { start, end: trimEnd(text, start, f.close) };
  };
  const visit = (outer: Frame, value: unknown, pointer: string): void => {
    if (!out.has(pointer)) out.set(pointer, place(outer));
    // a flow collection tried as a block mapping's key comes wrapped in one more frame
    let f = outer;
    const want = Array.isArray(value) ? value.length : value !== null && typeof value === 'object' ? Object.keys(value).length * 2 : 0;
    while (f.children.length === 1 && f.kind !== 'scalar' && f.children[0].kind === f.kind && f.children[0].close === f.close) {
      f = f.children[0];
    }
    if (Array.isArray(value)) {
      if (f.children.length !== want) return;
      value.forEach((v, i) => visit(f.children[i], v, `${pointer}/${i}`));
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (f.children.length !== want) return;
      keys.forEach((k, i) => {
        const child = `${pointer}/${escapePointer(k)}`;
        const key = place(f.children[2 * i]);
        visit(f.children[2 * i + 1], (value as Record<string, unknown>)[k], child);
        const loc = out.get(child)!;
        loc.keyStart = key.start;
        loc.keyEnd = key.end;
      });
    }
  };
  visit(root, data, '');
  return out;
}

/** Limits on the data once aliases are expanded: js-yaml shares an aliased value, but
 *  everything after loading (the schema check, the conversion) walks the tree, where ten
 *  levels of ten aliases are 10^10 values. A real profile has a few hundred. */
export const YAML_LIMITS = { maxValues: 100_000, maxDepth: 100 } as const;

/** Where the expanded data first exceeds YAML_LIMITS, and how; undefined within them. */
function aliasBlowUp(data: unknown): { pointer: string; message: string } | undefined {
  let values = 0;
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value: data, pointer: '', depth: 0 }];
  while (stack.length) {
    const { value, pointer, depth } = stack.pop()!;
    if (++values > YAML_LIMITS.maxValues) {
      return { pointer, message: `more than ${YAML_LIMITS.maxValues} values once YAML aliases are expanded` };
    }
    if (depth > YAML_LIMITS.maxDepth) {
      return { pointer, message: `nested more than ${YAML_LIMITS.maxDepth} levels deep through YAML aliases` };
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], pointer: `${pointer}/${i}`, depth: depth + 1 });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (value as Record<string, unknown>)[keys[i]], pointer: `${pointer}/${escapePointer(keys[i])}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function parentPointer(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '' : p.slice(0, i);
}

/** `rule`: the rule id of a file that is not well-formed YAML (the caller's: profile_yaml, config). */
export function loadYaml(text: string, file: string, rule: string): LoadedYaml {
  const starts = lineStarts(text);
  const top: Frame = { open: 0, close: text.length, kind: null, children: [] };
  const stack: Frame[] = [top];
  const diagnostics: Diagnostic[] = [];
  let data: unknown;
  try {
    data = yaml.load(text, {
      filename: file,
      schema: yaml.CORE_SCHEMA,
      listener(type, state) {
        if (type === 'open') {
          stack.push({ open: state.position, close: state.position, kind: null, children: [] });
        } else {
          const f = stack.pop()!;
          f.close = state.position;
          f.kind = state.kind;
          stack[stack.length - 1].children.push(f);
        }
      },
    });
  } catch (e) {
    const err = e as yaml.YAMLException;
    const mark = err.mark;
    const at = mark ? Math.min(mark.position, text.length) : 0;
    diagnostics.push({
      rule,
      severity: 'error',
      message: err.reason ?? String(err.message),
      span: spanOfOffsets(file, starts, at, at),
    });
    data = undefined;
  }
  const blowUp = data === undefined ? undefined : aliasBlowUp(data);
  const docFrame = top.children[0] ?? top;
  const located = data === undefined ? new Map<string, Located>() : indexFrames(text, docFrame, data);
  const find = (pointer: string): Located => {
    let p = pointer;
    for (;;) {
      const l = located.get(p);
      if (l) return l;
      if (p === '') return { start: 0, end: 0 };
      p = parentPointer(p);
    }
  };
  const spans: YamlSpans = {
    value: (p) => {
      const l = find(p);
      return spanOfOffsets(file, starts, l.start, l.end);
    },
    key: (p) => {
      const l = find(p);
      return l.keyStart !== undefined && located.has(p)
        ? spanOfOffsets(file, starts, l.keyStart, l.keyEnd ?? l.keyStart)
        : spanOfOffsets(file, starts, l.start, l.end);
    },
    raw: (p) => {
      const l = located.get(p);
      return l ? text.slice(l.start, l.end) : undefined;
    },
  };
  if (blowUp) {
    diagnostics.push({ rule, severity: 'error', message: `the document is ${blowUp.message}`, span: spans.value(blowUp.pointer) });
    return { data: undefined, spans, diagnostics };
  }
  return { data, spans, diagnostics };
}
