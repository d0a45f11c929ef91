// The validator against python-jsonschema's behaviour, keyword by keyword: messages word
// for word (Python repr included), instance and schema paths, anyOf/oneOf context,
// best_match, unevaluatedProperties' rules, typeSize on sized integers, and names that
// are Object.prototype members. The expectations are what jsonschema 4.26 yields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../src/schema/json.js';
import { DtNode } from '../../src/schema/instance.js';
import { pyRegex } from '../../src/schema/regex.js';
import { pyRepr } from '../../src/schema/repr.js';
import type { SchemaError } from '../../src/schema/validator.js';
import { SchemaRecursion, SchemaValidator, bestMatch } from '../../src/schema/validator.js';

const BASE = 'http://example.org/s.yaml';

function validator(resources: Record<string, Json> = {}): SchemaValidator {
  return new SchemaValidator({
    resolve: (base, ref) => {
      const [id, frag = ''] = ref.startsWith('#') ? [base, ref.slice(1)] : [new URL(ref, base).toString().replace(/#.*$/, ''), ref.split('#')[1] ?? ''];
      let s: Json | undefined = resources[id];
      for (const seg of frag.split('/').slice(1)) s = s && typeof s === 'object' ? (s as Record<string, Json>)[seg] : undefined;
      return s === undefined ? undefined : { schema: s, base: id };
    },
    regex: (p) => pyRegex(p),
    problem: () => undefined,
  });
}

function node(entries: [string, unknown][], bits?: [string, number][]): DtNode {
  const n = new DtNode(entries as [string, never][]);
  if (bits) n.bits = new Map(bits);
  return n;
}

/** [message, path, schemaPath] of each top-level error */
function errs(schema: Json, instance: unknown, resources: Record<string, Json> = {}): [string, (string | number)[], (string | number)[]][] {
  const v = validator({ [BASE]: schema, ...resources });
  const out = v.errors(schema, BASE, instance);
  assert.equal(v.isValid(schema, BASE, instance), out.length === 0, 'validity and errors agree');
  return out.map((e) => [e.message, e.path, e.schemaPath]);
}

test('repr: bytes and strings pick their quotes as Python does', () => {
  assert.equal(pyRepr(new Uint8Array([0x69, 0x74, 0x27, 0x73, 0])), `b"it's\\x00"`);
  assert.equal(pyRepr(new Uint8Array([0x27, 0x22])), `b'\\'"'`);
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr('a"b\'c'), `'a"b\\'c'`);
  assert.equal(pyRepr(['x', 1, true, new DtNode([['k', [[1, 2]]]])]), `['x', 1, True, {'k': [[1, 2]]}]`);
  assert.equal(pyRepr({ b: 1, a: [null] }), `{'a': [None], 'b': 1}`);
  assert.equal(pyRepr('tab\tnl\ncr\rbs\\ \x7f\u00e9'), `'tab\\tnl\\ncr\\rbs\\\\ \\x7f\u00e9'`);
});

test('type: bytes are no JSON type; the message lists every type', () => {
  assert.deepEqual(errs({ type: ['object', 'integer', 'array', 'boolean', 'null'] }, new Uint8Array([0, 0, 0, 0x1e])), [
    ["b'\\x00\\x00\\x00\\x1e' is not of type 'object', 'integer', 'array', 'boolean', 'null'", [], ['type']],
  ]);
  assert.deepEqual(errs({ type: 'integer' }, true), [["True is not of type 'integer'", [], ['type']]]);
});

test('array counts: minItems 1 and maxItems 0 have their own words', () => {
  assert.deepEqual(errs({ minItems: 1 }, []), [['[] should be non-empty', [], ['minItems']]]);
  assert.deepEqual(errs({ minItems: 2 }, [1]), [['[1] is too short', [], ['minItems']]]);
  assert.deepEqual(errs({ maxItems: 0 }, [1]), [['[1] is expected to be empty', [], ['maxItems']]]);
  assert.deepEqual(errs({ maxItems: 1 }, [140, 141]), [['[140, 141] is too long', [], ['maxItems']]]);
});

test('keywords run in sorted order, properties too, each error at its paths', () => {
  const schema = { required: ['z'], properties: { reg: { items: [{ maximum: 3 }] }, compatible: { items: [{ const: 'a,b' }] } } };
  const inst = node([['reg', [5]], ['compatible', ['x,y']]]);
  assert.deepEqual(errs(schema, inst), [
    ["'a,b' was expected", ['compatible', 0], ['properties', 'compatible', 'items', 0, 'const']],
    ['5 is greater than the maximum of 3', ['reg', 0], ['properties', 'reg', 'items', 0, 'maximum']],
    ["'z' is a required property", [], ['required']],
  ]);
});

test('a false subschema: no property segment in the paths (python-jsonschema returns before adding them)', () => {
  const v = validator();
  const schema = { properties: { 'qcom,devmem': false } };
  const [e] = v.errors(schema, BASE, node([['qcom,devmem', [[1, 2, 3, 4]]]]));
  assert.deepEqual([e.message, e.keyword, e.path, e.schemaPath, e.where], ['False schema does not allow [[1, 2, 3, 4]]', null, [], ['properties'], ['qcom,devmem']]);
});

test('additionalProperties: one finding listing the names, sorted; the pattern form names the regexes', () => {
  assert.deepEqual(errs({ properties: { a: true }, additionalProperties: false }, node([['z', 1], ['b', 2], ['a', 3]])), [
    ["Additional properties are not allowed ('b', 'z' were unexpected)", [], ['additionalProperties']],
  ]);
  assert.deepEqual(errs({ patternProperties: { '^x-': true, '^a': true }, additionalProperties: false }, node([['q', 1]])), [
    ["'q' does not match any of the regexes: '^a', '^x-'", [], ['additionalProperties']],
  ]);
});

test('anyOf/oneOf: one finding with the branch errors as context; best_match descends into it', () => {
  const schema = { oneOf: [{ required: ['interrupts'] }, { required: ['interrupts-extended'] }] };
  const v = validator();
  const [e] = v.errors(schema, BASE, node([['reg', [[1]]]]));
  assert.equal(e.message, "{'reg': [[1]]} is not valid under any of the given schemas");
  assert.deepEqual(e.context.map((c) => [c.message, c.schemaPath]), [
    ["'interrupts' is a required property", ['oneOf', 0, 'required']],
    ["'interrupts-extended' is a required property", ['oneOf', 1, 'required']],
  ]);
  // equally relevant sub-errors: best_match keeps the oneOf itself
  assert.equal(bestMatch([e]), e);
  const deeper = v.errors({ anyOf: [{ items: [{ const: 1 }] }, { minItems: 3 }] }, BASE, [2]);
  assert.equal(bestMatch(deeper)!.message, '1 was expected');
});

test('oneOf valid under several: the message shows the schemas (keys sorted), the first valid last', () => {
  assert.deepEqual(errs({ oneOf: [{ minimum: 1 }, { type: 'integer', maximum: 9 }, { const: 5 }] }, 5), [
    ["5 is valid under each of {'maximum': 9, 'type': 'integer'}, {'const': 5}, {'minimum': 1}", [], ['oneOf']],
  ]);
});

test('enum and const compare as Python: True is not 1, lists by content', () => {
  assert.deepEqual(errs({ enum: [1, [2, 3]] }, true), [["True is not one of [1, [2, 3]]", [], ['enum']]]);
  assert.deepEqual(errs({ enum: [1, [2, 3]] }, [2, 3]), []);
  assert.deepEqual(errs({ const: ['a'] }, ['a']), []);
});

test('if/then/else, not, contains, dependentRequired, uniqueItems, pattern, additionalItems', () => {
  assert.deepEqual(errs({ if: { required: ['a'] }, then: { required: ['b'] }, else: { required: ['c'] } }, node([['a', true]])), [
    ["'b' is a required property", [], ['then', 'required']],
  ]);
  assert.deepEqual(errs({ not: { required: ['a'] } }, node([['a', true]])), [
    ["{'a': True} should not be valid under {'required': ['a']}", [], ['not']],
  ]);
  assert.deepEqual(errs({ contains: { const: 'x' } }, ['a']), [["['a'] does not contain items matching the given schema", [], ['contains']]]);
  assert.deepEqual(errs({ dependentRequired: { 'interrupt-controller': ['interrupts'] } }, node([['interrupt-controller', true]])), [
    ["'interrupts' is a dependency of 'interrupt-controller'", [], ['dependentRequired']],
  ]);
  assert.deepEqual(errs({ uniqueItems: true }, ['a', 'b', 'a']), [["['a', 'b', 'a'] has non-unique elements", [], ['uniqueItems']]]);
  assert.deepEqual(errs({ pattern: '^[a-z]+$' }, 'ab1'), [["'ab1' does not match '^[a-z]+$'", [], ['pattern']]]);
  assert.deepEqual(errs({ items: [true], additionalItems: false }, [1, 2, 3]), [
    ['Additional items are not allowed (2, 3 were unexpected)', [], ['additionalItems']],
  ]);
});

test('unevaluatedProperties: $ref always evaluates, allOf branches only when valid, if/then by the condition', () => {
  const common = { properties: { clocks: true, 'clock-names': true }, required: ['clocks'] };
  const schema: Json = {
    allOf: [{ $ref: 'common.yaml' }, { properties: { iommus: true }, required: ['never'] }],
    if: { required: ['a'] }, then: { properties: { b: true } },
    properties: { a: true },
    unevaluatedProperties: false,
  };
  const resources = { 'http://example.org/common.yaml': common };
  assert.deepEqual(errs(schema, node([['a', true], ['b', true], ['clocks', [[1]]], ['iommus', [[1]]]]), resources), [
    ["'never' is a required property", [], ['allOf', 1, 'required']],
    ["Unevaluated properties are not allowed ('iommus' was unexpected)", [], ['unevaluatedProperties']],
  ]);
  // the referenced schema's properties count even though the reference fails
  assert.deepEqual(errs({ $ref: 'common.yaml', unevaluatedProperties: false }, node([['clock-names', ['xo']]]), resources), [
    ["'clocks' is a required property", [], ['required']],
  ]);
});

test('typeSize reads the width the instance records for the property (32 when none)', () => {
  const u8 = { items: { type: 'integer', typeSize: 8 } };
  assert.deepEqual(errs({ properties: { p: u8 } }, node([['p', [1, 2]]], [['p', 8]])), []);
  assert.deepEqual(errs({ properties: { p: u8 } }, node([['p', [1, 2]]])), [
    ['size is 32, expected 8', ['p', 0], ['properties', 'p', 'items', 'typeSize']],
    ['size is 32, expected 8', ['p', 1], ['properties', 'p', 'items', 'typeSize']],
  ]);
});

test('names that are Object.prototype members are ordinary names', () => {
  const schema = { required: ['valueOf', 'toString'], properties: { hasOwnProperty: { maxItems: 1 }, __proto__: { const: ['x'] } } };
  const inst = node([['hasOwnProperty', [1, 2]], ['__proto__', ['y']], ['constructor', true], ['toString', true]]);
  assert.deepEqual(errs(JSON.parse(JSON.stringify(schema).replace('"__proto__"', '"__proto__"')) as Json, inst), [
    ['[1, 2] is too long', ['hasOwnProperty'], ['properties', 'hasOwnProperty', 'maxItems']],
    ["'valueOf' is a required property", [], ['required']],
  ]);
  const withProto = JSON.parse('{"properties": {"__proto__": {"const": ["x"]}}}') as Json;
  assert.deepEqual(errs(withProto, inst), [["['x'] was expected", ['__proto__'], ['properties', '__proto__', 'const']]]);
});

test('a $ref cycle that never reaches a value throws SchemaRecursion naming the $refs', () => {
  const schema = { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, properties: { x: { $ref: '#/$defs/a' } } };
  const v = validator({ [BASE]: schema });
  assert.throws(() => v.isValid(schema, BASE, node([['x', 1]])), (e: unknown) => e instanceof SchemaRecursion && e.refs.includes(`${BASE}##/$defs/a@1`));
});

test('context errors carry absolute schema paths; their instance is the branch value', () => {
  const v = validator();
  const [e] = v.errors({ properties: { compatible: { oneOf: [{ items: [{ const: 'a' }] }, { maxItems: 1 }] } } }, BASE, node([['compatible', ['b', 'c']]]));
  assert.deepEqual(e.context.map((c: SchemaError) => [c.message, c.path, c.schemaPath]), [
    ["'a' was expected", ['compatible', 0], ['properties', 'compatible', 'oneOf', 0, 'items', 0, 'const']],
    ["['b', 'c'] is too long", ['compatible'], ['properties', 'compatible', 'oneOf', 1, 'maxItems']],
  ]);
});
