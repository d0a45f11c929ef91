// One fixture per bad input: exactly one error, with its message, line and column; and,
// where dtc is installed, dtc must refuse the input too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasDtc } from '../support/corpus.js';
import { compileDts, dtcDtb } from './support.js';

interface ErrorFixture {
  name: string;
  dts: string;
  rule: string;
  message: string;
  line: number;
  column: number;
}

const H = '/dts-v1/;\n';

const fixtures: ErrorFixture[] = [
  { name: 'missing /dts-v1/', dts: '/ { };', rule: 'syntax', message: "syntax error: unexpected '/', expected '/dts-v1/;'", line: 1, column: 1 },
  { name: 'missing semicolon after a node', dts: `${H}/ {\n\ta { }\n};`, rule: 'syntax', message: "syntax error: unexpected '}', expected ';'", line: 4, column: 1 },
  { name: 'undefined macro in cells', dts: `${H}/ {\n\tinterrupts = <GIC_SPI 5>;\n};`, rule: 'syntax', message: "unexpected identifier 'GIC_SPI' (an undefined macro?)", line: 3, column: 16 },
  { name: 'unterminated string', dts: `${H}/ {\n\ts = "abc;\n};`, rule: 'syntax', message: 'unterminated string', line: 3, column: 6 },
  { name: 'unterminated comment', dts: `${H}/ { }; /* never closed`, rule: 'syntax', message: 'unterminated comment', line: 2, column: 8 },
  { name: 'label not found for &label { }', dts: `${H}/ { };\n&nope { };`, rule: 'syntax', message: 'Label or path nope not found', line: 3, column: 1 },
  { name: 'path not found for /delete-node/', dts: `${H}/ { };\n/delete-node/ &{/a/b};`, rule: 'syntax', message: 'Label or path /a/b not found', line: 3, column: 15 },
  { name: 'reference to a missing label in cells', dts: `${H}/ {\n\tp = <&nope>;\n};`, rule: 'phandle_references', message: 'Reference to non-existent node or label "nope"', line: 3, column: 7 },
  { name: 'reference to a missing label as a path', dts: `${H}/ {\n\tp = &nope;\n};`, rule: 'path_references', message: 'Reference to non-existent node or label "nope"', line: 3, column: 6 },
  { name: 'division by zero', dts: `${H}/ {\n\tp = <(1 / 0)>;\n};`, rule: 'syntax', message: 'Division by zero', line: 3, column: 10 },
  { name: 'modulo by zero', dts: `${H}/ {\n\tp = <(1 % 0)>;\n};`, rule: 'syntax', message: 'Division by zero', line: 3, column: 10 },
  { name: 'bad /bits/ size', dts: `${H}/ {\n\tp = /bits/ 7 <1>;\n};`, rule: 'syntax', message: 'Array elements must be 8, 16, 32 or 64-bits', line: 3, column: 13 },
  { name: 'reference in a 16-bit array', dts: `${H}/ {\n\tp = /bits/ 16 <&a>;\n\ta: a { };\n};`, rule: 'syntax', message: 'References are only allowed in arrays with 32-bit elements.', line: 3, column: 17 },
  { name: 'bad octal literal', dts: `${H}/ {\n\tp = <08>;\n};`, rule: 'syntax', message: "Bad integer literal '08'", line: 3, column: 7 },
  { name: 'integer literal out of range', dts: `${H}/ {\n\tp = /bits/ 64 <0x10000000000000000>;\n};`, rule: 'syntax', message: "Integer literal '0x10000000000000000' out of range", line: 3, column: 17 },
  { name: 'property after a subnode', dts: `${H}/ {\n\ta { };\n\tp;\n};`, rule: 'syntax', message: 'Properties must precede subnodes', line: 4, column: 2 },
  { name: 'header flags differ', dts: `${H}/plugin/;\n/dts-v1/;\n/ { };`, rule: 'syntax', message: "Header flags don't match earlier ones", line: 3, column: 1 },
  { name: '&ref { } before the root outside a plugin', dts: `${H}&a { };`, rule: 'syntax', message: 'Label or path a not found', line: 2, column: 1 },
  { name: 'empty character literal', dts: `${H}/ {\n\tp = <''>;\n};`, rule: 'syntax', message: 'Empty character literal', line: 3, column: 7 },
  { name: 'duplicate explicit phandle', dts: `${H}/ {\n\ta { phandle = <1>; };\n\tb { phandle = <1>; };\n};`, rule: 'explicit_phandles', message: 'duplicated phandle 0x1 (seen before at /a)', line: 4, column: 2 },
  { name: '/include/ of a missing file', dts: `${H}/include/ "nope.dtsi"\n/ { };`, rule: 'syntax', message: 'Couldn\'t open "nope.dtsi": No such file or directory', line: 2, column: 1 },
  { name: 'unexpected end of file', dts: `${H}/ {\n\ta = <1>;`, rule: 'syntax', message: "syntax error: unexpected end of file", line: 3, column: 10 },
];

for (const f of fixtures) {
  test(f.name, () => {
    const r = compileDts(f.dts);
    assert.equal(r.ok, false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors.map((e) => e.message)));
    const [e] = errors;
    assert.deepEqual(
      { rule: e.rule, message: e.message, line: e.span?.line, column: e.span?.column },
      { rule: f.rule, message: f.message, line: f.line, column: f.column },
    );
  });
  test(`${f.name} (dtc refuses it too)`, (t) => {
    if (!hasDtc()) return t.skip('dtc not installed');
    assert.equal(dtcDtb(f.dts), undefined);
  });
}

test('an /include/ cycle is an error, not a hang', () => {
  const r = compileDts(`${H}/include/ "a.dtsi"\n/ { };`, { 'a.dtsi': '/include/ "b.dtsi"\n', 'b.dtsi': '/include/ "a.dtsi"\n' } as never);
  assert.equal(r.ok, false);
  assert.match(r.diagnostics[0].message, /recursive \/include\/ of "a.dtsi"/);
});
