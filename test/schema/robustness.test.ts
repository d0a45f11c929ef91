// Hostile schemas and trees (issue 12 §5, §16): $ref cycles, malformed %-escapes, YAML
// alias bombs and recursive aliases, deep nesting, catastrophic patterns, names that are
// Object.prototype members, and a 10,000-deep DTB. Each ends in a located diagnostic or a
// normal result: never a stack overflow, a hang or an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { valueFromCells, valueFromStrings } from '../../src/tree/value.js';
import { readFdt } from '../../src/fdt/reader.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { MAX_SCHEMA_DEPTH, MAX_YAML_NODES, parseSchemaText } from '../../src/schema/load.js';
import { isRiskyPattern, pyRegex } from '../../src/schema/regex.js';
import { schemaSetFromTexts, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import { cells, fdtBytes, strings } from './fdt-bytes.js';
import type { RawNode } from './fdt-bytes.js';

const TYPES = `$id: http://devicetree.org/schemas/types.yaml#
definitions:
  string-array: { type: array, minItems: 1, items: { type: string } }
  uint32: { type: integer, typeSize: 32 }
  uint32-array: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32' } }
  uint32-matrix: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32-array' } }
`;
/** types the tests' properties decode with (a DTB carries none) */
const CORE = `$id: http://devicetree.org/schemas/core.yaml#
select: false
properties:
  compatible: { $ref: types.yaml#/definitions/string-array }
  label: { $ref: types.yaml#/definitions/string-array }
`;

function widgetTree(props: [string, ReturnType<typeof valueFromCells>][] = []): Tree {
  const tree = new Tree();
  const w = new Node('widget@0');
  tree.root.addChild(w);
  w.addProperty(new Property('compatible', valueFromStrings(['acme,widget'])));
  for (const [n, v] of props) w.addProperty(new Property(n, v));
  return tree;
}

function run(texts: string[], tree: Tree): { set: Diagnostic[]; engine: Diagnostic[]; found: Diagnostic[] } {
  const set = schemaSetFromTexts([...texts, CORE].map((text, i) => ({ file: `s${i}.yaml`, text })));
  const ctx = validationContext(set, { unmatched: false });
  const found = validateTree(ctx, tree, 'board.dtb');
  return { set: set.diagnostics, engine: ctx.engine.diagnostics, found };
}

const where = (d: Diagnostic): string => `${d.file}:${d.span?.line}:${d.span?.column}: ${d.severity}: ${d.message}`;

test('$ref cycle between two definitions: one error located at the $ref that closes it, the schema is not applied', () => {
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
$defs:
  a:
    $ref: '#/$defs/b'
  b:
    $ref: '#/$defs/a'
properties:
  compatible: { const: 'acme,widget' }
  acme,x:
    $ref: '#/$defs/a'
`;
  const r = run([TYPES, schema], widgetTree([['acme,x', valueFromCells([1])]]));
  assert.deepEqual(r.engine.map(where), [
    "s1.yaml:6:12: error: $ref cycle: '#/$defs/a' -> '#/$defs/b' -> '#/$defs/a' refers back to itself without reaching a value; http://devicetree.org/schemas/acme/widget.yaml is not applied",
  ]);
  assert.deepEqual(r.found, []);
});

test("$ref: '#' at a schema's root: located at the $ref", () => {
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
$ref: '#'
`;
  const r = run([TYPES, schema], widgetTree());
  assert.deepEqual(r.engine.map(where), [
    "s1.yaml:4:8: error: $ref cycle: '#' -> '#' refers back to itself without reaching a value; http://devicetree.org/schemas/acme/widget.yaml is not applied",
  ]);
});

test('two files referring to each other: located in the file that closes the cycle', () => {
  const a = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
allOf:
  - $ref: other.yaml#
`;
  const b = `$id: http://devicetree.org/schemas/acme/other.yaml#
allOf:
  - $ref: widget.yaml#
`;
  const r = run([TYPES, a, b], widgetTree());
  assert.deepEqual(r.engine.map(where), [
    "s1.yaml:5:11: error: $ref cycle: 'other.yaml#' -> 'widget.yaml#' -> 'other.yaml#' refers back to itself without reaching a value; http://devicetree.org/schemas/acme/widget.yaml is not applied",
  ]);
});

test('a recursive schema over a tree is fine: the recursion consumes the tree', () => {
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
additionalProperties:
  $ref: '#/$defs/child'
$defs:
  child:
    type: object
    additionalProperties:
      $ref: '#/$defs/child'
`;
  const tree = widgetTree();
  tree.root.getChild('widget@0')!.addChild(new Node('a')).addChild(new Node('b'));
  const r = run([TYPES, schema], tree);
  assert.deepEqual([...r.engine, ...r.found].map(where), []);
});

test('a $ref with a malformed %-escape: located warning, the reference is ignored', () => {
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
  acme,x:
    $ref: /schemas/types.yaml#/definitions/uint32%zz
`;
  const r = run([TYPES, schema], widgetTree([['acme,x', valueFromCells([1])]]));
  assert.deepEqual(r.set.map(where), [
    "s1.yaml:5:11: warning: $ref '/schemas/types.yaml#/definitions/uint32%zz' has a malformed %-escape at character 40; the reference is ignored",
  ]);
  assert.deepEqual(r.found, []);
});

test('a YAML alias bomb in an unused key is refused at its first alias, fast', () => {
  let text = '$id: http://devicetree.org/schemas/acme/bomb.yaml#\nunused:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) text += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
  const t0 = performance.now();
  const { schema, diagnostic } = parseSchemaText('bomb.yaml', text);
  assert.ok(performance.now() - t0 < 5000, 'no expansion');
  assert.equal(schema, undefined);
  assert.deepEqual(diagnostic && where(diagnostic), `bomb.yaml:4:12: warning: YAML aliases expand to more than ${MAX_YAML_NODES} values (an alias bomb?); the file is ignored`);
});

test('a YAML alias that refers to its own value is refused', () => {
  const { schema, diagnostic } = parseSchemaText('rec.yaml', '$id: x\na: &a [1, *a]\n');
  assert.equal(schema, undefined);
  assert.deepEqual(diagnostic && where(diagnostic), 'rec.yaml:2:11: warning: YAML alias refers to a value that contains it (a recursive structure); the file is ignored');
});

test('deep nesting is refused with a clear error, never a parser stack overflow', () => {
  // js-yaml stops at 100 levels of flow nesting itself; deeper block nesting meets dtkit's own limit
  const flow = parseSchemaText('flow.yaml', `$id: x\na: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  assert.deepEqual([flow.schema, flow.diagnostic?.message], [undefined, 'malformed YAML: nesting exceeded maxDepth (100)']);
  const block = ['$id: x', ...Array.from({ length: MAX_SCHEMA_DEPTH + 5 }, (_, i) => `${' '.repeat(i)}k${i}:`), `${' '.repeat(MAX_SCHEMA_DEPTH + 5)}1`].join('\n');
  const r = parseSchemaText('block.yaml', block);
  assert.equal(r.schema, undefined);
  assert.ok([`schema nests more than ${MAX_SCHEMA_DEPTH} levels deep; the file is ignored`, 'malformed YAML: nesting exceeded maxDepth (100)'].includes(r.diagnostic?.message ?? ''), r.diagnostic?.message);
});

test('a catastrophic pattern on a 45-character value answers at once (linear-time engine)', { timeout: 20_000 }, () => {
  assert.equal(isRiskyPattern('^(a+)+$'), true);
  assert.equal(isRiskyPattern('^[a-z][a-z0-9,-]*$'), false);
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
  label:
    pattern: '^(a+)+$'
`;
  const r = run([TYPES, schema], widgetTree([['label', valueFromStrings([`${'a'.repeat(45)}b`])]]));
  assert.deepEqual(r.found.map((d) => d.message), [`'${'a'.repeat(45)}b' does not match '^(a+)+$'`]);
  assert.equal(pyRegex('^(a+)+$').search('a'.repeat(100_000)), true);
});

test('properties and nodes named like Object.prototype members are validated exactly', () => {
  const schema = `$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
  __proto__: { type: array }
  constructor: { type: object, required: [reg] }
required: [valueOf]
additionalProperties: false
`;
  const tree = widgetTree([['__proto__', valueFromCells([1, 2])], ['toString', valueFromCells([1])]]);
  const w = tree.root.getChild('widget@0')!;
  w.addChild(new Node('constructor'));
  // like dt-schema, nodes named __* (__symbols__, __fixups__, ... and __proto__) are not part of the instance
  w.addChild(new Node('__proto__'));
  const r = run([TYPES, schema], tree);
  assert.deepEqual(r.found.map((d) => `${d.node} ${d.property ?? ''}: ${d.message}`), [
    // keywords in sorted order, as dt-validate evaluates the processed schema
    "/widget@0 : 'toString' does not match any of the regexes: '^pinctrl-[0-9]+$'",
    "/widget@0 __proto__: b'\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x02' is not of type 'array'",
    "/widget@0 constructor: 'reg' is a required property",
    "/widget@0 : 'valueOf' is a required property",
  ]);
});

test('a DTB nested 10,000 deep validates without exhausting the stack', () => {
  let leaf: RawNode = ['n9999', [['acme,v', cells(9999)]], []];
  for (let i = 9998; i >= 0; i--) leaf = [`n${i}`, [['acme,v', cells(i)]], [leaf]];
  const bytes = fdtBytes(['', [['compatible', strings('acme,board')]], [leaf]]);
  const { tree } = readFdt(bytes, 'deep.dtb');
  assert.ok(tree);
  const schema = `$id: http://devicetree.org/schemas/acme/any.yaml#
select: true
properties:
  acme,v: { $ref: /schemas/types.yaml#/definitions/uint32-array }
patternProperties:
  '^n[0-9]+$': { type: object }
`;
  const r = run([TYPES, schema], tree);
  assert.deepEqual([...r.engine, ...r.found].map(where), []);
});
