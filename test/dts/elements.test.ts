// Every cell, string, reference and byte of a parsed value knows where it was written
// (ValueElements), also after path references are filled in, through macros, and in a
// composite carried over from the overlay source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFile } from '../../src/compile/compile.js';
import { memoryHost } from '../../src/host.js';
import type { Property } from '../../src/tree/model.js';
import { elementSpan } from '../../src/tree/value.js';
import { compileDts } from './support.js';

/** `line:column+length` of each element of `node:prop`, with its byte offset. */
function elements(prop: Property | undefined): string[] {
  const e = prop?.value.elements;
  assert.ok(e, 'value has element records');
  const out: string[] = [];
  for (let i = 0; i < e.count; i++) {
    const s = e.span(i);
    out.push(`${e.byteOffset(i)}@${s ? `${s.line}:${s.column}+${s.length}` : '?'}`);
  }
  return out;
}

test('cells, expressions, references, strings and bytes each have their span and byte offset', () => {
  const dts = '/dts-v1/;\n/ {\n\tx;\n\ta = <1 (2 + 3) &n>, "str", [0a 0b];\n\tb = /bits/ 8 <1 2>;\n\tn: node { };\n};\n';
  const r = compileDts(dts);
  assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('\n'));
  const root = r.tree!.root;
  // line 4: `\ta = <1 (2 + 3) &n>, "str", [0a 0b];`
  assert.deepEqual(elements(root.getProperty('a')), ['0@4:7+1', '4@4:9+7', '8@4:17+2', '12@4:22+5', '16@4:30+2', '17@4:33+2']);
  assert.deepEqual(elements(root.getProperty('b')), ['0@5:16+1', '1@5:18+1']);
});

test('path references: elements after a filled-in path move with it', () => {
  const dts = '/dts-v1/;\n/ {\n\tp = &n, "x", &{/node@1}, "y";\n\tn: node@1 { };\n};\n';
  const r = compileDts(dts);
  assert.ok(r.ok);
  const p = r.tree!.root.getProperty('p')!;
  // "/node@1\0" is 8 bytes: the ref at 0, "x" at 8, the second ref at 10, "y" at 18
  assert.deepEqual(elements(p), ['0@3:6+2', '8@3:10+3', '10@3:15+10', '18@3:27+3']);
  assert.equal(elementSpan(p.value, 11)?.column, 15);
});

test('a cell written as a macro points at the macro body, expanded from the invocation', () => {
  const host = memoryHost({
    '/t/main.dts': '/dts-v1/;\n#include "h.h"\n/ {\n\ta = <0x10 FLAGS>;\n};\n',
    '/t/h.h': '#define FLAGS (1 | 2)\n',
  });
  const r = compileFile('/t/main.dts', { host, includeDirs: [] });
  assert.ok(r.ok, r.diagnostics.map((d) => d.message).join('\n'));
  const span = elementSpan(r.tree!.root.getProperty('a')!.value, 4)!;
  assert.equal(span.file, '/t/h.h');
  assert.equal(span.line, 1);
  assert.deepEqual([span.expandedFrom?.file, span.expandedFrom?.line, span.expandedFrom?.column], ['/t/main.dts', 4, 12]);
});

test('values a blob holds have no element records', () => {
  const r = compileDts('/dts-v1/;\n/ { a; };\n');
  assert.equal(r.tree!.root.getProperty('a')!.value.elements, undefined);
});
