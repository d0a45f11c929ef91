// Findings on .dts input point at the source line of the property (or node), through
// #include, with the include chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryHost, nodeHost } from '../../src/host.js';
import { compileFile } from '../../src/compile/compile.js';
import { schemaSetFromTexts, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import { parseSchemaText } from '../../src/schema/load.js';

const TYPES = `
$id: http://devicetree.org/schemas/types.yaml#
definitions:
  string: { type: array, minItems: 1, maxItems: 1, items: { type: string } }
  uint32: { type: integer, minimum: 0, maximum: 4294967295 }
`;
const WIDGET = `
$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
  reg: { maxItems: 1 }
  acme,mode: { $ref: /schemas/types.yaml#/definitions/string, enum: [fast, slow] }
required: [compatible, reg, 'acme,level']
`;

const host = memoryHost({
  '/b/board.dts': '/dts-v1/;\n#include "widget.dtsi"\n\n&w {\n\tacme,mode = "medium";\n};\n',
  '/b/widget.dtsi': '/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tw: widget@1000 {\n\t\tcompatible = "acme,widget";\n\t\treg = <0x1000 0x10>;\n\t};\n};\n',
});

function findings() {
  const r = compileFile('/b/board.dts', { host, includeDirs: ['/b'] });
  assert.ok(r.tree, JSON.stringify(r.diagnostics));
  const ctx = validationContext(schemaSetFromTexts([TYPES, WIDGET].map((text, i) => ({ file: `s${i}.yaml`, text }))), {});
  return validateTree(ctx, r.tree, '/b/board.dts');
}

test('a bad property value points at the property where the board sets it', () => {
  const d = findings().find((x) => x.message.includes('is not one of'));
  assert.ok(d);
  assert.equal(d.message, "'medium' is not one of ['fast', 'slow']");
  assert.deepEqual([d.span?.file, d.span?.line, d.span?.column], ['/b/board.dts', 5, 2]);
});

test('a missing property points at the node in the included file, with the include chain', () => {
  const d = findings().find((x) => x.message.includes('required'));
  assert.ok(d);
  assert.equal(d.message, "'acme,level' is a required property");
  assert.equal(d.node, '/widget@1000');
  assert.deepEqual([d.span?.file, d.span?.line, d.span?.column], ['/b/widget.dtsi', 4, 5]);
  assert.deepEqual(d.span?.includedFrom?.map((p) => [p.file, p.line]), [['/b/board.dts', 2]]);
});

test('malformed schema YAML is a located diagnostic, not an exception', () => {
  const { schema, diagnostic } = parseSchemaText('bad.yaml', '$id: x\nproperties:\n  a: [1, 2\n');
  assert.equal(schema, undefined);
  assert.equal(diagnostic?.rule, 'schema-load');
  assert.match(diagnostic?.message ?? '', /^malformed YAML: /);
  assert.deepEqual([diagnostic?.span?.line, diagnostic?.span?.column], [4, 1]);
});

test('a $ref to an unknown $id is reported at its line and the rest still validates', () => {
  const set = schemaSetFromTexts([
    { file: 'types.yaml', text: TYPES },
    { file: 'w.yaml', text: `$id: http://devicetree.org/schemas/acme/w.yaml#\nproperties:\n  compatible: { const: 'acme,w' }\n  foo:\n    $ref: /schemas/nowhere.yaml#\n` },
  ]);
  assert.equal(set.diagnostics.length, 1);
  const d = set.diagnostics[0];
  assert.equal(d.file, 'w.yaml');
  assert.match(d.message, /unknown schema '\/schemas\/nowhere.yaml#'/);
  assert.deepEqual([d.span?.line, d.span?.column], [5, 11]);
});

test('validate stops at a syntax error: one located error, no findings about the cut-off tree', async () => {
  const { runValidate } = await import('../../src/cli/validate.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-broken-'));
  try {
    const file = path.join(dir, 'broken.dts');
    fs.writeFileSync(file, '/dts-v1/;\n/ {\n\tcompatible = "acme,board";\n\tnode {\n\t\tx = <1>\n\t};\n};\n');
    const out: string[] = [];
    const code = await runValidate([file], { format: 'json', unmatched: true, cache: false },
      { host: nodeHost, out: (t) => out.push(t), err: () => undefined });
    assert.equal(code, 1);
    const records = (JSON.parse(out.join('')) as { diagnostics: { line?: number; level: string; message: string }[] }).diagnostics;
    assert.deepEqual(records.map((r) => [r.level, r.line]), [['error', 6]], JSON.stringify(records));
    assert.match(records[0].message, /syntax error/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
