import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSchema } from '../../src/schema/normalise.js';

test('a string const on a property becomes a one-item list', () => {
  const s = normaliseSchema({ $id: 'x', properties: { compatible: { const: 'acme,a' } } });
  assert.deepEqual((s.properties as any).compatible, { items: [{ const: 'acme,a' }], type: 'array', minItems: 1, maxItems: 1 });
});

test('maxItems alone fixes minItems too, but not inside then/else', () => {
  const s = normaliseSchema({ $id: 'x', properties: { clocks: { maxItems: 2 } }, then: { properties: { clocks: { maxItems: 1 } } } });
  assert.deepEqual((s.properties as any).clocks, { maxItems: 2, minItems: 2 });
  assert.deepEqual((s.then as any).properties.clocks, { maxItems: 1 });
});

test('an items list implies its length as min/max', () => {
  const s = normaliseSchema({ $id: 'x', properties: { 'clock-names': { items: [{ const: 'a' }, { const: 'b' }] } } });
  assert.deepEqual((s.properties as any)['clock-names'], { items: [{ const: 'a' }, { const: 'b' }], type: 'array', minItems: 2, maxItems: 2 });
});

test('interrupts implies interrupts-extended and either satisfies required', () => {
  const s = normaliseSchema({ $id: 'x', properties: { interrupts: { maxItems: 1 } }, required: ['reg', 'interrupts'], additionalProperties: false });
  const props = s.properties as any;
  assert.deepEqual(props['interrupts-extended'], { maxItems: 1, minItems: 1 });
  assert.equal(props['interrupt-parent'], true);
  assert.deepEqual(s.required, ['reg']);
  assert.deepEqual(s.oneOf, [{ required: ['interrupts'] }, { required: ['interrupts-extended'] }]);
});

test('closed node schemas get the implicit properties (status, pinctrl-N, assigned-clocks)', () => {
  const s = normaliseSchema({ $id: 'x', properties: { clocks: true }, unevaluatedProperties: false });
  const props = s.properties as any;
  for (const p of ['status', 'phandle', 'pinctrl-names', 'assigned-clocks', 'assigned-clock-rates']) assert.equal(props[p], true, p);
  assert.deepEqual(s.patternProperties, { '^pinctrl-[0-9]+$': true });
});

test('open schemas lose additionalProperties: true and get only the assigned-clock* companions of clocks', () => {
  // dt-schema adds assigned-clock* wherever a schema says anything about undeclared
  // properties, before it looks at whether it allows them all
  const s = normaliseSchema({ $id: 'x', properties: { clocks: true }, additionalProperties: true });
  assert.equal('additionalProperties' in s, false);
  assert.deepEqual(Object.keys(s.properties as any), ['clocks', 'assigned-clocks', 'assigned-clock-rates-u64', 'assigned-clock-rates', 'assigned-clock-parents', 'assigned-clock-sscs']);
  assert.equal('patternProperties' in s, false);
});

test('a schema saying nothing about undeclared properties gets nothing implicit', () => {
  const s = normaliseSchema({ $id: 'x', properties: { clocks: true } });
  assert.deepEqual(Object.keys(s.properties as any), ['clocks']);
});

test("a pinctrl pattern of the schema's own is replaced by the implicit one (dt-schema only sees 'pinctrl-N' names)", () => {
  const s = normaliseSchema({ $id: 'x', patternProperties: { '^pinctrl-[0-9]+$': { maxItems: 1 } }, additionalProperties: false });
  assert.deepEqual(s.patternProperties, { '^pinctrl-[0-9]+$': true });
  assert.equal((s.properties as any)['pinctrl-names'], true);
});

test('a oneOf of consts with other keys besides const and description still becomes an enum (their keys are dropped)', () => {
  const s = normaliseSchema({ $id: 'x', properties: { mode: { oneOf: [{ const: 'a', deprecated: true }, { const: 'b' }] } } });
  assert.deepEqual((s.properties as any).mode.items, [{ enum: ['a', 'b'] }]);
  const kept = normaliseSchema({ $id: 'x', properties: { mode: { oneOf: [{ const: 'a', description: 'A', deprecated: true }, { const: 'b' }] } } });
  assert.ok('oneOf' in (kept.properties as any).mode);
});

test('unit suffixes: -db values are arrays; a $ref keeps its own type', () => {
  const s = normaliseSchema({ $id: 'x', properties: { 'gain-db': { minimum: 1 }, 'x-db': { $ref: '/schemas/types.yaml#/definitions/uint32', minimum: 1 } } });
  assert.deepEqual((s.properties as any)['gain-db'].items, [{ minimum: 1 }]);
  assert.deepEqual((s.properties as any)['x-db'], { $ref: '/schemas/types.yaml#/definitions/uint32', minimum: 1 });
});

test('dependentRequired on interrupts becomes a either-of dependentSchemas', () => {
  const s = normaliseSchema({ $id: 'x', dependentRequired: { 'interrupt-names': ['interrupts'] } });
  assert.equal('dependentRequired' in s, false);
  assert.deepEqual(s.dependentSchemas, { 'interrupt-names': { oneOf: [{ required: ['interrupts'] }, { required: ['interrupts-extended'] }] } });
});

test('reg constraints become a matrix row', () => {
  const s = normaliseSchema({ $id: 'x', properties: { reg: { items: [{ const: 0x1000 }] } } });
  assert.deepEqual((s.properties as any).reg.items, [{ items: [{ const: 0x1000 }], type: 'array', minItems: 1, maxItems: 1 }]);
});

test('a oneOf of bare consts becomes an enum', () => {
  const s = normaliseSchema({ $id: 'x', properties: { mode: { oneOf: [{ const: 'a', description: 'A' }, { const: 'b' }] } } });
  assert.deepEqual((s.properties as any).mode, { items: [{ enum: ['a', 'b'] }], type: 'array', minItems: 1, maxItems: 1 });
});

test('draft-07 dependencies split into dependentRequired/dependentSchemas', () => {
  const s = normaliseSchema({ $id: 'x', dependencies: { a: ['b'], c: { required: ['d'] } } });
  assert.deepEqual(s.dependentRequired, { a: ['b'] });
  assert.deepEqual(s.dependentSchemas, { c: { required: ['d'] } });
});

test('the input schema is not mutated', () => {
  const raw = { $id: 'x', properties: { compatible: { const: 'acme,a' } } };
  normaliseSchema(raw);
  assert.deepEqual(raw, { $id: 'x', properties: { compatible: { const: 'acme,a' } } });
});
