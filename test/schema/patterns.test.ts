import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node, Property, Tree } from '../../src/tree/model.js';
import { valueFromCells, valueFromStrings } from '../../src/tree/value.js';
import { schemaSetFromTexts, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import { PATTERN_KEYS, mergeTrivialPatterns } from '../../src/schema/patterns.js';

const VENDORS = Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, '0')}`);

test('always-valid pattern lists of 16 or more merge into one alternation, keeping the keys', () => {
  const pats: Record<string, unknown> = Object.fromEntries(VENDORS.map((v) => [`^${v},.*`, {}]));
  pats['^v00,.*'] = true;
  pats['^v01,.*'] = { deprecated: true };
  pats['-keep$'] = { type: 'integer' };
  const out = mergeTrivialPatterns({ patternProperties: pats } as never) as Record<string, Record<string, unknown>>;
  const keys = Object.keys(out.patternProperties);
  assert.equal(keys.length, 2);
  assert.deepEqual(out.patternProperties['-keep$'], { type: 'integer' });
  assert.equal(keys[1], VENDORS.map((v) => `(?:^${v},.*)`).join('|'));
  assert.deepEqual(out[PATTERN_KEYS], Object.keys(pats));
});

test('short lists, constrained entries and group references are left alone', () => {
  const few = { patternProperties: { '^a,.*': {}, '^b,.*': {} } };
  assert.deepEqual(mergeTrivialPatterns(few as never), few);
  const backref = { patternProperties: Object.fromEntries(VENDORS.map((v) => [`^(${v})-\\1$`, {}])) };
  assert.deepEqual(mergeTrivialPatterns(backref as never), backref);
});

const TYPES = `
$id: http://devicetree.org/schemas/types.yaml#
definitions:
  string-array: { type: array, minItems: 1, items: { type: string } }
  uint32: { type: integer, typeSize: 32 }
  uint32-array: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32' } }
  uint32-matrix: { type: array, minItems: 1, items: { $ref: '#/definitions/uint32-array' } }
`;
const WIDGET = `
$id: http://devicetree.org/schemas/acme/widget.yaml#
properties:
  compatible: { const: 'acme,widget' }
patternProperties:
${VENDORS.map((v) => `  '^${v},.*': {}`).join('\n')}
additionalProperties: false
`;

// (the fixups add the implicit pinctrl pattern, as dt-schema does)
test('a merged list validates as before and the message lists the original regexes', () => {
  const set = schemaSetFromTexts([TYPES, WIDGET].map((text, i) => ({ file: `s${i}.yaml`, text })));
  const ctx = validationContext(set, {});
  const tree = new Tree();
  const w = tree.root.addChild(new Node('widget'));
  w.addProperty(new Property('compatible', valueFromStrings(['acme,widget'])));
  w.addProperty(new Property('v07,mode', valueFromCells([1])));
  assert.deepEqual(validateTree(ctx, tree, 'b.dts'), []);
  w.addProperty(new Property('bogus', valueFromCells([1])));
  const ds = validateTree(ctx, tree, 'b.dts');
  assert.deepEqual(ds.map((d) => d.message), [`'bogus' does not match any of the regexes: '^pinctrl-[0-9]+$', ${VENDORS.map((v) => `'^${v},.*'`).join(', ')}`]);
});
