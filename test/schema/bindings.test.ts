// Which bindings a run uses (issue 10 §2, §3; issue 14's load count):
// - the kernel's binding wins its $id over dtkit's shipped copy, which only adds what the
//   kernel's lacks (qcom,pas-common's qcom,devmem): rows of four cells validate, a 3-cell row
//   stays an error, and the only note is one info diagnostic;
// - without any bindings, one info diagnostic says so, untyped properties are not type
//   errors, compatibles are not "unmatched", and the bundled example validates clean;
// - every binding of the kernel's folder that dt-mk-schema accepts is loaded.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { compileFile } from '../../src/compile/compile.js';
import { shippedIncludeDir } from '../../src/input/shipped.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { listYamlFiles } from '../../src/schema/load.js';
import type { SchemaSet } from '../../src/schema/schema-set.js';
import { EXTENDED_RULE, NO_BINDINGS_RULE, openSchemaSet, validationContext } from '../../src/schema/schema-set.js';
import { SCHEMA_RULE, UNMATCHED_RULE, validateTree } from '../../src/schema/validate.js';
import { corpusDir, projectRoot } from '../support/corpus.js';

const example = path.join(projectRoot, 'examples', 'lemans-kvm', 'board.dts');

/** The example board with the ADSP given a stream and these qcom,devmem rows (a KVM host tree). */
function kvmBoard(rows: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-bindings-'));
  const file = path.join(dir, 'kvm.dts');
  fs.writeFileSync(file, `#include "${example}"\n#include <dt-bindings/iommu/qcom,devmem.h>\n\n&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = ${rows};\n};\n`);
  return file;
}

function schemaFindings(set: SchemaSet, file: string): Diagnostic[] {
  const r = compileFile(file, { includeDirs: [shippedIncludeDir()!] });
  assert.ok(r.tree, r.diagnostics.map((d) => d.message).join('\n'));
  return validateTree(validationContext(set, { unmatched: true }), r.tree, file);
}

const GOOD = '<0x00110000 0x00110000 0x4000 QCOM_DEVMEM_READ>, <0x00123000 0x00123000 0x1000 (QCOM_DEVMEM_READ | QCOM_DEVMEM_WRITE)>';
const THREE_CELLS = '<0x00110000 0x00110000 0x4000 QCOM_DEVMEM_READ>, <0x00123000 0x1000 (QCOM_DEVMEM_READ | QCOM_DEVMEM_WRITE)>';
const brief = (ds: Diagnostic[]): string[] => ds.filter((d) => d.rule === SCHEMA_RULE).map((d) => `${d.node} ${d.property ?? ''}: ${d.message}`);

describe("dtkit's shipped bindings only (no --schemas)", () => {
  const set = openSchemaSet({ host: nodeHost, schemaDirs: [], cacheDir: null });

  test('one info diagnostic says no bindings were found; nothing else', () => {
    assert.deepEqual(set.diagnostics.map((d) => [d.rule, d.severity, d.message]), [[NO_BINDINGS_RULE, 'info',
      "no binding schemas found (no --schemas, and no kernel tree's Documentation/devicetree/bindings): only dtkit's shipped bindings and dtc's checks run; properties no binding describes are not reported, nor undocumented compatibles"]]);
    assert.equal(set.bindings, false);
  });

  test('the bundled example validates clean: no type errors for undocumented properties, no unmatched compatibles', () => {
    const r = compileFile(example, { includeDirs: [shippedIncludeDir()!] });
    assert.ok(r.tree);
    const found = validateTree(validationContext(set, { unmatched: true }), r.tree, example);
    assert.deepEqual(found.map((d) => `${d.rule} ${d.node}: ${d.message}`), []);
  });

  test('devmem rows: four cells validate, a 3-cell row is an error', () => {
    assert.deepEqual(brief(schemaFindings(set, kvmBoard(GOOD))), []);
    const bad = brief(schemaFindings(set, kvmBoard(THREE_CELLS)));
    assert.ok(bad.includes('/soc@0/remoteproc@30000000 qcom,devmem/1: [1191936, 4096, 3] is too short'), bad.join('\n'));
  });
});

describe("the kernel's bindings (--schemas linux-dt/Bindings) beside dtkit's", () => {
  const corpus = corpusDir();
  const bindings = corpus && path.join(corpus, 'linux-dt', 'Bindings');
  const core = corpus && path.join(corpus, 'dt-schema', 'dtschema', 'schemas');
  const present = !!bindings && fs.existsSync(bindings) && !!core && fs.existsSync(core);
  let set: SchemaSet;
  before(() => {
    if (present) set = openSchemaSet({ host: nodeHost, schemaDirs: [bindings!], coreDir: core, cacheDir: null });
  });

  test('every binding dt-mk-schema accepts is loaded (5,504 kernel bindings + 66 core schemas = 5,570)', (t) => {
    if (!present) return t.skip('corpus not found (set DTKIT_CORPUS)');
    const files = listYamlFiles(bindings!).length + listYamlFiles(core!).length;
    // dt-mk-schema's processed schema held 5,573 schemas: these 5,570 and its 3 generated ones
    assert.equal(files, 5570);
    assert.equal(Object.keys(set.index.schemas).length, files);
    // exceptions would be listed here, each with its reason; there are none
    assert.deepEqual(set.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.file}: ${d.message}`), []);
  });

  test("the kernel's qcom,pas-common wins and is extended with dtkit's qcom,devmem: one info note, no warning", (t) => {
    if (!present) return t.skip('corpus not found (set DTKIT_CORPUS)');
    assert.deepEqual(set.diagnostics.map((d) => [d.rule, d.severity, d.file, d.message]), [[EXTENDED_RULE, 'info',
      path.join(bindings!, 'remoteproc', 'qcom,pas-common.yaml'),
      `extended with dtkit's 'qcom,devmem' (from ${path.join(projectRoot, 'schemas', 'remoteproc', 'qcom,pas-common.yaml')}); everything else is the binding's own`]]);
    const common = set.index.schemas['http://devicetree.org/schemas/remoteproc/qcom,pas-common.yaml'];
    assert.equal(common.file, path.join(bindings!, 'remoteproc', 'qcom,pas-common.yaml'));
  });

  test('devmem rows validate against the kernel binding; a 3-cell row is an error; the example is clean', (t) => {
    if (!present) return t.skip('corpus not found (set DTKIT_CORPUS)');
    assert.deepEqual(brief(schemaFindings(set, kvmBoard(GOOD))), []);
    const bad = brief(schemaFindings(set, kvmBoard(THREE_CELLS)));
    assert.ok(bad.includes('/soc@0/remoteproc@30000000 qcom,devmem/1: [1191936, 4096, 3] is too short'), bad.join('\n'));
    assert.ok(!bad.some((m) => m.includes("'qcom,devmem' was unexpected") && !m.includes("'iommus'")), bad.join('\n'));
    const r = compileFile(example, { includeDirs: [shippedIncludeDir()!] });
    const found = validateTree(validationContext(set, { unmatched: true }), r.tree!, example);
    assert.deepEqual(found.filter((d) => d.rule === SCHEMA_RULE || d.rule === UNMATCHED_RULE).map((d) => `${d.node}: ${d.message}`), []);
  });
});
