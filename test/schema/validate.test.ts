import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { valueFromCells, valueFromStrings } from '../../src/tree/value.js';
import { schemaSetFromTexts, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import type { ValidateOptions } from '../../src/schema/validate.js';

const TYPES = `
$id: http://devicetree.org/schemas/types.yaml#
definitions:
  string-array: { type: array, minItems: 1, items: { type: string } }
  string: { allOf: [ { $ref: '#/definitions/string-array' }, { maxItems: 1 } ] }
  uint32: { type: integer, typeSize: 32, minimum: 0, maximum: 4294967295 }
  uint32-array: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32' } }
  uint32-matrix: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32-array' } }
  address: { $ref: '#/definitions/uint32-matrix' }
  flag: { oneOf: [ { type: boolean, const: true }, { type: 'null' } ] }
`;
const CORE = `
$id: http://devicetree.org/schemas/core.yaml#
select: true
properties:
  compatible: { $ref: types.yaml#/definitions/string-array }
  status: { $ref: types.yaml#/definitions/string }
  reg: { $ref: types.yaml#/definitions/address }
  '#address-cells': { $ref: types.yaml#/definitions/uint32 }
  '#size-cells': { $ref: types.yaml#/definitions/uint32 }
`;
const WIDGET = `
$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
  reg: { maxItems: 1 }
  acme,mode:
    $ref: /schemas/types.yaml#/definitions/string
    enum: [fast, slow]
required: [compatible, reg]
additionalProperties: false
`;

function ctxFor(extra: string[] = [], options: ValidateOptions = { unmatched: true }) {
  const set = schemaSetFromTexts([TYPES, CORE, WIDGET, ...extra].map((text, i) => ({ file: `s${i}.yaml`, text })));
  assert.deepEqual(set.diagnostics, []);
  return validationContext(set, options);
}

function board(widgetProps: [string, ReturnType<typeof valueFromCells>][]): Tree {
  const tree = new Tree();
  tree.root.addProperty(new Property('#address-cells', valueFromCells([1])));
  tree.root.addProperty(new Property('#size-cells', valueFromCells([1])));
  const w = tree.root.addChild(new Node('widget@1000', { file: 'board.dts', line: 7, column: 2, length: 6 }));
  for (const [name, value] of widgetProps) {
    w.addProperty(new Property(name, value, { file: 'board.dts', line: 8 + w.properties.length, column: 3, length: name.length }));
  }
  return tree;
}

test('a valid node gives no findings', () => {
  const tree = board([['compatible', valueFromStrings(['acme,widget'])], ['reg', valueFromCells([0x1000, 0x100])]]);
  assert.deepEqual(validateTree(ctxFor(), tree, 'board.dts'), []);
});

test('a missing required property is reported at the node, with the schema id', () => {
  const tree = board([['compatible', valueFromStrings(['acme,widget'])]]);
  const ds = validateTree(ctxFor(), tree, 'board.dts');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].message, "'reg' is a required property");
  assert.equal(ds[0].node, '/widget@1000');
  assert.equal(ds[0].schema, 'http://devicetree.org/schemas/acme/widget.yaml');
  assert.deepEqual([ds[0].span?.line, ds[0].span?.column], [7, 2]);
});

test('a bad enum value is reported at the property with python-style wording', () => {
  const tree = board([['compatible', valueFromStrings(['acme,widget'])], ['reg', valueFromCells([0x1000, 0x100])], ['acme,mode', valueFromStrings(['medium'])]]);
  const ds = validateTree(ctxFor(), tree, 'board.dts');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].message, "'medium' is not one of ['fast', 'slow']");
  assert.equal(ds[0].property, 'acme,mode/0');
  assert.deepEqual([ds[0].span?.line, ds[0].span?.column], [10, 3]);
});

test('undeclared properties are one finding listing them', () => {
  const tree = board([['compatible', valueFromStrings(['acme,widget'])], ['reg', valueFromCells([1, 2])], ['zeta', valueFromCells([1])], ['alpha', valueFromCells([1])]]);
  const ds = validateTree(ctxFor(), tree, 'board.dts');
  assert.deepEqual(ds.map((d) => d.message), ["'alpha', 'zeta' do not match any of the regexes: '^pinctrl-[0-9]+$'"]);
});

test('disabled nodes are forgiven missing required properties (configurable)', () => {
  const tree = board([['compatible', valueFromStrings(['acme,widget'])], ['status', valueFromStrings(['disabled'])]]);
  assert.deepEqual(validateTree(ctxFor(), tree, 'board.dts'), []);
  const strict = validateTree(ctxFor([], { disabledNodeIgnores: [] }), tree, 'board.dts');
  assert.deepEqual(strict.map((d) => d.message), ["'reg' is a required property"]);
});

test('an undocumented compatible is reported as unmatched', () => {
  const tree = board([['compatible', valueFromStrings(['acme,gadget'])]]);
  const ds = validateTree(ctxFor(), tree, 'board.dts');
  assert.deepEqual(ds.map((d) => [d.rule, d.severity, d.message]), [['schema-unmatched', 'warning', "failed to match any schema with compatible: ['acme,gadget']"]]);
});

test('unevaluatedProperties follows python-jsonschema: a failing allOf branch evaluates nothing', () => {
  const base = `
$id: http://devicetree.org/schemas/acme/base.yaml#
properties:
  acme,speed: { $ref: /schemas/types.yaml#/definitions/uint32, maximum: 10 }
`;
  const gizmo = `
$id: http://devicetree.org/schemas/acme/gizmo.yaml#
allOf:
  - $ref: base.yaml#
properties:
  compatible: { const: 'acme,gizmo' }
  reg: true
if: { properties: { compatible: { contains: { const: nothing } } } }
then: { required: [never] }
unevaluatedProperties: false
`;
  const ok = board([['compatible', valueFromStrings(['acme,gizmo'])], ['reg', valueFromCells([1, 2])], ['acme,speed', valueFromCells([5])]]);
  assert.deepEqual(validateTree(ctxFor([base, gizmo]), ok, 'b.dts'), []);
  const bad = board([['compatible', valueFromStrings(['acme,gizmo'])], ['reg', valueFromCells([1, 2])], ['acme,speed', valueFromCells([50])]]);
  const ds = validateTree(ctxFor([base, gizmo]), bad, 'b.dts').map((d) => d.message).sort();
  assert.deepEqual(ds, ["50 is greater than the maximum of 10", "Unevaluated properties are not allowed ('acme,speed' was unexpected)"]);
});
