// The interpreter must answer exactly as ajv (draft 2019-09, strict off) does: every case
// below is run through both and the verdicts compared, so a case that differs fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2019Module from 'ajv/dist/2019.js';
import type { Json, JsonObject } from '../../src/schema/json.js';
import { SchemaInterpreter, Unsupported } from '../../src/schema/interpreter.js';
import { refTarget } from '../../src/schema/process.js';
import { isObject } from '../../src/schema/json.js';

const BASE = 'http://example.org/schemas/t.yaml';
const OTHER = 'http://example.org/schemas/other.yaml';
const other: JsonObject = {
  $id: OTHER,
  definitions: { cell: { type: 'integer', minimum: 0, maximum: 0xff }, list: { type: 'array', items: { $ref: '#/definitions/cell' } } },
};

function interpreter(resources: Record<string, JsonObject>): SchemaInterpreter {
  return new SchemaInterpreter({
    resolve: (base, ref) => {
      const t = refTarget(ref, base);
      if (!t) return undefined;
      let s: Json | undefined = resources[t.id];
      for (const seg of t.fragment.split('/').slice(1)) s = isObject(s) || Array.isArray(s) ? (s as Record<string, Json>)[seg] : undefined;
      return s === undefined ? undefined : { schema: s, base: t.id, pointer: t.fragment };
    },
    regExp: (p) => new RegExp(p),
    typeSize: () => true,
    unevaluated: () => true,
  });
}

const cases: [string, Json, unknown[]][] = [
  ['type names', { type: 'integer' }, [1, 1.5, '1', [1], null, true]],
  ['type list', { type: ['string', 'array'] }, ['a', [], 1, {}]],
  ['number/null/boolean/object', { anyOf: [{ type: 'number' }, { type: 'null' }, { type: 'boolean' }] }, [1.5, null, false, {}, 'x']],
  ['const deep', { const: [[1, 2]] }, [[[1, 2]], [[1, 2, 3]], [1, 2], 'x']],
  ['enum mixed', { enum: ['a', 1, [1, 2], { k: 1 }] }, ['a', 1, '1', [1, 2], [2, 1], { k: 1 }, { k: 2 }]],
  ['bounds', { minimum: 2, maximum: 5, exclusiveMinimum: 2, exclusiveMaximum: 6 }, [1, 2, 3, 5, 6, 'x']],
  ['multipleOf', { multipleOf: 4 }, [0, 4, 6, 1e21, 'x']],
  ['pattern and lengths', { pattern: '^a.c$', minLength: 3, maxLength: 3 }, ['abc', 'abcd', 'xbc', 5]],
  ['array items', { items: { type: 'integer' }, minItems: 1, maxItems: 2 }, [[], [1], [1, 2], [1, 2, 3], [1, 'x'], 'x']],
  ['tuple items', { items: [{ const: 1 }, { const: 2 }], additionalItems: false }, [[1], [1, 2], [1, 2, 3], [2]]],
  ['tuple extra schema', { items: [{ const: 1 }], additionalItems: { type: 'string' } }, [[1, 'a'], [1, 2]]],
  ['additionalItems without tuple', { items: { type: 'integer' }, additionalItems: false }, [[1, 2, 3]]],
  ['uniqueItems', { uniqueItems: true }, [[1, 2], [1, 1], [[1], [1]], []]],
  ['contains', { contains: { const: 3 } }, [[1, 3], [1, 2], [], 'x']],
  ['minContains', { contains: { const: 3 }, minContains: 2, maxContains: 3 }, [[3], [3, 3], [3, 3, 3, 3]]],
  ['required', { required: ['a', 'b'] }, [{ a: 1, b: 2 }, { a: 1 }, [1], 'x']],
  ['properties', { properties: { a: { type: 'string' }, b: false } }, [{ a: 'x' }, { a: 1 }, { b: 1 }, {}]],
  ['patternProperties', { patternProperties: { '^x-': { type: 'integer' }, 'y$': false } }, [{ 'x-1': 1 }, { 'x-1': 'a' }, { ay: 1 }, { z: 1 }]],
  ['additionalProperties false', { properties: { a: true }, patternProperties: { '^p': true }, additionalProperties: false }, [{ a: 1, p1: 2 }, { b: 1 }]],
  ['additionalProperties schema', { properties: { a: true }, additionalProperties: { type: 'integer' } }, [{ a: 'x', b: 1 }, { b: 'x' }]],
  ['dependentRequired', { dependentRequired: { a: ['b'] } }, [{ a: 1 }, { a: 1, b: 1 }, { b: 1 }]],
  ['dependentSchemas', { dependentSchemas: { a: { required: ['c'] } } }, [{ a: 1 }, { a: 1, c: 1 }, {}]],
  ['dependencies', { dependencies: { a: ['b'], c: { required: ['d'] } } }, [{ a: 1 }, { c: 1 }, { c: 1, d: 1 }]],
  ['propertyNames', { propertyNames: { pattern: '^[a-z]+$' } }, [{ ab: 1 }, { A: 1 }]],
  ['min/maxProperties', { minProperties: 1, maxProperties: 2 }, [{}, { a: 1 }, { a: 1, b: 1, c: 1 }]],
  ['allOf/anyOf/oneOf/not', { allOf: [{ type: 'integer' }], oneOf: [{ minimum: 5 }, { maximum: 7 }], not: { const: 9 } }, [1, 6, 8, 9, 'x']],
  ['if/then/else', { if: { minimum: 10 }, then: { multipleOf: 2 }, else: { maximum: 3 } }, [12, 13, 2, 5]],
  ['then without if', { then: false, else: false }, [1]],
  ['boolean schemas', { items: [true, false] }, [[1], [1, 2]]],
  ['local $ref with siblings', { definitions: { pos: { minimum: 0 } }, $ref: '#/definitions/pos', maximum: 3 }, [-1, 2, 4]],
  ['external $ref', { properties: { v: { $ref: 'other.yaml#/definitions/list' } } }, [{ v: [1, 255] }, { v: [256] }, { v: 'x' }]],
  ['recursive $ref', { type: 'object', properties: { child: { $ref: '#' } }, required: ['n'] }, [{ n: 1, child: { n: 2 } }, { n: 1, child: {} }]],
  ['unknown keywords ignored', { description: 'x', foo: 1, select: false, deprecated: true }, [1]],
];

test('the interpreter agrees with ajv on every case', () => {
  for (const [name, schema, data] of cases) {
    const ajv = new Ajv2019Module.default({ strict: false, validateSchema: false, validateFormats: false, unicodeRegExp: false, logger: false, inlineRefs: false });
    ajv.addSchema(other as object, OTHER);
    const root = { $id: BASE, ...(schema as JsonObject) };
    const v = ajv.compile(root as object);
    const interp = interpreter({ [BASE]: root, [OTHER]: other });
    for (const d of data) {
      assert.equal(interp.isValid({ schema: root, base: BASE, pointer: '' }, d), v(d) as boolean, `${name}: ${JSON.stringify(d)}`);
    }
  }
});

test('constructs ajv would treat differently are refused, not guessed', () => {
  const interp = interpreter({});
  const refused: JsonObject[] = [{ unevaluatedItems: false }, { $recursiveRef: '#' }, { $ref: 'missing.yaml' }, { type: 'float' }, { unevaluatedProperties: { type: 'string' } }, { properties: { a: { $id: 'x' } } }];
  for (const s of refused) {
    assert.throws(() => interp.isValid({ schema: { $id: BASE, ...s }, base: BASE, pointer: '' }, { a: 1 }), Unsupported, JSON.stringify(s));
  }
});
