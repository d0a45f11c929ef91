// dtkit's shipped remoteproc bindings: every example compiles when wrapped the way
// dt-schema's example extractor wraps it, passes the qcom rows, and validates; a broken
// copy of the example is caught by the qcom,devmem schema at the right line.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { nodeHost } from '../../src/host.js';
import { compileFile } from '../../src/compile/compile.js';
import { runChecks } from '../../src/checks/run.js';
import { qcomChecks } from '../../src/qcom/checks.js';
import { shippedIncludeDir } from '../../src/input/shipped.js';
import { listYamlFiles } from '../../src/schema/load.js';
import { openSchemaSet, validationContext } from '../../src/schema/schema-set.js';
import { validateTree } from '../../src/schema/validate.js';
import { corpusDir, projectRoot } from '../support/corpus.js';
import { scratchDir } from './support.js';

const schemasDir = path.join(projectRoot, 'schemas');
const bindingsDir = path.join(schemasDir, 'remoteproc');

/** The example as dt-schema's dt-extract-example writes it: a /plugin/ root, one node per example. */
function wrapExamples(examples: string[]): string {
  let out = '\n/dts-v1/;\n/plugin/; // silence any missing phandle references\n';
  examples.forEach((ex, i) => {
    const body = ex.split(/(?<=\n)/).join('        ');
    out += '\n/{\n    compatible = "foo";\n    model = "foo";\n    #address-cells = <1>;\n    #size-cells = <1>;\n\n';
    out += `\n    example-${i} {\n        #address-cells = <1>;\n        #size-cells = <1>;\n\n        \n\n        ${body}\n    };\n};\n`;
  });
  return out;
}

function examplesOf(file: string): string[] {
  const doc = yaml.load(fs.readFileSync(file, 'utf8')) as { examples?: string[] };
  return doc.examples ?? [];
}

/** dt-schema's core schemas: dtkit's copy when it has one, else the corpus's. */
function coreSchemasDir(): string | undefined {
  const own = path.join(schemasDir, 'core');
  if (listYamlFiles(own).length) return own;
  const c = corpusDir();
  const d = c && path.join(c, 'dt-schema', 'dtschema', 'schemas');
  return d && fs.existsSync(d) ? d : undefined;
}

describe('shipped remoteproc bindings', () => {
  const dir = scratchDir('bindings');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const include = shippedIncludeDir();
  const files = listYamlFiles(bindingsDir);

  test('both bindings are shipped and the header is found by default', () => {
    assert.deepEqual(files.map((f) => path.basename(f)).sort(), ['qcom,pas-common.yaml', 'qcom,sa8775p-pas.yaml']);
    assert.ok(include && fs.existsSync(path.join(include, 'dt-bindings', 'iommu', 'qcom,devmem.h')));
  });

  const compileExamples = (name: string, examples: string[]) => {
    const file = path.join(dir, `${name}.example.dts`);
    fs.writeFileSync(file, wrapExamples(examples));
    return { file, result: compileFile(file, { includeDirs: [include!] }) };
  };

  for (const file of files) {
    const examples = examplesOf(file);
    if (examples.length === 0) continue;
    test(`${path.basename(file)}: examples compile and pass the qcom rows`, () => {
      const { result } = compileExamples(path.basename(file, '.yaml'), examples);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.ok(result.ok && result.tree);
      const node = result.tree.findByPath('/example-0/remoteproc@30000000');
      assert.ok(node?.getProperty('iommus') && node.getProperty('qcom,devmem'), 'the example uses both properties');
      assert.deepEqual(runChecks(result.tree, { checks: qcomChecks() }).diagnostics, []);
    });
  }

  test('examples validate against the bindings; a broken qcom,devmem is caught at its line', (t) => {
    const core = coreSchemasDir();
    if (!core) return t.skip('no dt-schema core schemas (schemas/core or the corpus)');
    const set = openSchemaSet({ host: nodeHost, schemaDirs: [], dtkitSchemasDir: schemasDir, coreDir: core, cacheDir: null });
    assert.deepEqual(set.diagnostics.filter((d) => d.severity === 'error'), []);
    const ctx = validationContext(set);
    const good = examplesOf(path.join(bindingsDir, 'qcom,sa8775p-pas.yaml'));
    const ok = compileExamples('good', good);
    const devmemFindings = (ds: ReturnType<typeof validateTree>) =>
      ds.filter((d) => ['qcom,devmem', 'iommus'].includes((d.property ?? '').split('/')[0]))
        .map((d) => ({ property: d.property, line: d.span?.line, message: d.message }));
    assert.deepEqual(devmemFindings(validateTree(ctx, ok.result.tree!, ok.file)), []);

    // flags 0x20 (IOMMU_PRIV) and a 3-cell row
    const broken = good[0]
      .replace('0x4000 QCOM_DEVMEM_READ>,', '0x4000 0x20>,')
      .replace('<0x00123000 0x00123000 0x1000 (', '<0x00123000 0x1000 (');
    assert.notEqual(broken, good[0]);
    const bad = compileExamples('bad', [broken]);
    const devmemLine = bad.result.sources.get(bad.file)?.split('\n').findIndex((l) => l.includes('qcom,devmem =')) ??
      fs.readFileSync(bad.file, 'latin1').split('\n').findIndex((l) => l.includes('qcom,devmem ='));
    const got = devmemFindings(validateTree(ctx, bad.result.tree!, bad.file)).sort((a, b) => String(a.property).localeCompare(String(b.property)));
    assert.deepEqual(got, [
      { property: 'qcom,devmem/0/3', line: devmemLine + 1, message: '32 is greater than the maximum of 31' },
      { property: 'qcom,devmem/1', line: devmemLine + 1, message: '[1191936, 4096, 3] is too short' },
    ]);
  });
});
