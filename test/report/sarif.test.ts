// SARIF output: real findings (a compile with an include chain and a macro expansion, the
// same tree read back from a DTB) rendered as SARIF 2.1.0, checked field by field and by
// Microsoft's validator.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFile } from '../../src/compile/compile.js';
import { dtcChecks } from '../../src/checks/table.js';
import { qcomChecks } from '../../src/qcom/checks.js';

/** dtc's rows and the vendor rows: what `dtkit validate` runs. */
const allChecks = () => [...dtcChecks(), ...qcomChecks()];
import { runChecks } from '../../src/checks/run.js';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { dtcCheckHelpUri, type RuleInfo } from '../../src/report/rules.js';
import { renderSarif, SARIF_SCHEMA } from '../../src/report/sarif.js';
import { projectRoot } from '../support/corpus.js';
import { runQcom, writeVariant } from '../qcom/support.js';
import { KVM_SHARED_STREAM } from '../../src/qcom/checks.js';
import { sarifValidator } from './sarif-validator.js';

const fixtures = path.join(projectRoot, 'test', 'report', 'fixtures');
const board = path.join(fixtures, 'board.dts');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-report-sarif-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The catalog as the CLI builds it from the check table. */
const catalog: RuleInfo[] = allChecks().map((c) => ({ id: c.id, description: c.description, level: c.level, helpUri: dtcCheckHelpUri(c.id) }));

function compiled(): Diagnostic[] {
  const r = compileFile(board);
  assert.ok(r.tree && r.ok, 'the fixture compiles');
  return r.diagnostics;
}

/** The fixture's tree written as a DTB and checked from the blob: findings without spans. */
function fromDtb(): { file: string; diagnostics: Diagnostic[] } {
  const file = path.join(scratch, 'board.dtb');
  fs.writeFileSync(file, writeFdt(compileFile(board).tree!));
  const { tree } = readFdt(fs.readFileSync(file), file);
  return { file, diagnostics: runChecks(tree!, { checks: allChecks(), file }).diagnostics };
}

/** A KVM overlay's line giving the ADSP its fastrpc context bank's stream: a finding with a
 *  located note and a note without a place. */
function sidConflict(): Diagnostic[] {
  const { file } = writeVariant(scratch, 'pas-vs-cb', '&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3003 0x0>;\n\tstatus = "okay";\n};');
  const { findings } = runQcom(file, { policy: 'kvm' });
  assert.deepEqual(findings.map((d) => [d.rule, d.severity, d.notes?.map((n) => n.message)]), [
    ['qcom_sid_conflict', 'error', ['the other device\'s iommus (/soc@0/remoteproc@30000000/glink-edge/fastrpc/compute-cb@3)', KVM_SHARED_STREAM]],
  ]);
  return findings;
}

type Log = { $schema: string; version: string; runs: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `baseDir` null: none given. */
function render(ds: Diagnostic[], baseDir: string | null = projectRoot): Log {
  return JSON.parse(renderSarif(ds, { rules: catalog, toolVersion: '9.8.7', baseDir: baseDir ?? undefined }));
}

const FIXTURES_URI = 'test/report/fixtures';

describe('SARIF', () => {
  test('a finding from a macro in an included file: its span, then the expansion site and the include site once each', () => {
    const log = render(compiled());
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(projectRoot).href}/` } });
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const uart = run.results.find((r: { message: { text: string } }) => r.message.text.startsWith('/soc/uart:'));
    assert.deepEqual(uart, {
      ruleId: 'unit_address_vs_reg',
      ruleIndex: run.tool.driver.rules.findIndex((x: { id: string }) => x.id === 'unit_address_vs_reg'),
      level: 'warning',
      message: { text: '/soc/uart: node has a reg or ranges property, but no unit name' },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: `${FIXTURES_URI}/soc.dtsi`, uriBaseId: '%SRCROOT%' },
          region: { startLine: 10, startColumn: 14, endLine: 10, endColumn: 18 },
        },
        logicalLocations: [{ name: 'uart', fullyQualifiedName: '/soc/uart', kind: 'object' }],
      }],
      relatedLocations: [
        {
          id: 1,
          physicalLocation: {
            artifactLocation: { uri: `${FIXTURES_URI}/soc.dtsi`, uriBaseId: '%SRCROOT%' },
            region: { startLine: 10, startColumn: 3, endLine: 10, endColumn: 19 },
          },
          message: { text: 'expanded from macro invocation here' },
        },
        {
          id: 2,
          physicalLocation: {
            artifactLocation: { uri: `${FIXTURES_URI}/board.dts`, uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 },
          },
          message: { text: 'included from here' },
        },
      ],
    });
  });

  test('tool.driver: name, version and one descriptor per rule that fired, sorted, with dtc\'s definition as help', () => {
    const run = render(compiled()).runs[0];
    assert.equal(run.tool.driver.name, 'dtkit');
    assert.equal(run.tool.driver.version, '9.8.7');
    assert.equal(run.tool.driver.informationUri, undefined);
    assert.deepEqual(run.tool.driver.rules, [{
      id: 'unit_address_vs_reg',
      shortDescription: { text: catalog.find((r) => r.id === 'unit_address_vs_reg')!.description },
      fullDescription: { text: catalog.find((r) => r.id === 'unit_address_vs_reg')!.description },
      defaultConfiguration: { level: 'warning' },
      help: { text: catalog.find((r) => r.id === 'unit_address_vs_reg')!.description },
      helpUri: 'https://github.com/dgibson/dtc/blob/v1.8.1/checks.c#L390',
    }]);
    assert.deepEqual(run.results.map((r: { ruleIndex: number }) => r.ruleIndex), [0, 0]);
  });

  test('a DTB finding has the artifact and the node, and no region', () => {
    const { file, diagnostics } = fromDtb();
    const log = render(diagnostics, scratch);
    const uart = log.runs[0].results.find((r: { message: { text: string } }) => r.message.text.startsWith('/soc/uart:'));
    assert.deepEqual(uart.locations, [{
      physicalLocation: { artifactLocation: { uri: path.basename(file), uriBaseId: '%SRCROOT%' } },
      logicalLocations: [{ name: 'uart', fullyQualifiedName: '/soc/uart', kind: 'object' }],
    }]);
    assert.equal(uart.relatedLocations, undefined);
  });

  test('levels: error, warning, note; a rule off by default is described as not enabled', () => {
    const ds: Diagnostic[] = [
      { rule: 'syntax', severity: 'error', message: 'e', file: 'a.dts' },
      { rule: 'unique_unit_address_if_enabled', severity: 'warning', message: 'w', file: 'a.dts' },
      { rule: 'qcom_devmem_overlap', severity: 'info', message: 'i', file: 'a.dts' },
    ];
    const run = render(ds, null).runs[0];
    assert.deepEqual(run.results.map((r: { level: string }) => r.level), ['note', 'error', 'warning']);
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string; defaultConfiguration?: unknown }) => [r.id, r.defaultConfiguration]), [
      ['qcom_devmem_overlap', { level: 'error' }],
      ['syntax', undefined],
      ['unique_unit_address_if_enabled', { enabled: false }],
    ]);
    assert.deepEqual(run.tool.driver.rules[1], { id: 'syntax' });
  });

  test('URIs: relative to baseDir with %SRCROOT%, absolute file: URIs outside it, percent-encoded; <stdin> is described', () => {
    const ds: Diagnostic[] = [
      { rule: 'r', severity: 'warning', message: 'inside', span: { file: path.join(scratch, 'dir a', 'x,y@1:2.dts'), line: 1, column: 1, length: 0 } },
      { rule: 'r', severity: 'warning', message: 'outside', span: { file: '/usr/include/dt 100%.h', line: 2, column: 3, length: 4 } },
      { rule: 'r', severity: 'warning', message: 'piped', span: { file: '<stdin>', line: 1, column: 5, length: 2 } },
    ];
    const locs = (log: Log) => log.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }) => r.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(locs(render(ds, scratch)), [
      { uri: 'dir%20a/x,y@1%3A2.dts', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///usr/include/dt%20100%25.h' },
      { description: { text: '<stdin>' } },
    ]);
    const relative: Diagnostic[] = [{ rule: 'r', severity: 'warning', message: 'm', span: { file: 'sub dir/b.dts', line: 1, column: 1, length: 1 } }];
    assert.deepEqual(locs(render(relative, null)), [{ uri: 'sub%20dir/b.dts' }]);
    assert.equal(render(relative, null).runs[0].originalUriBaseIds, undefined);
  });

  test('notes are related locations, with or without a span; schema ids are result properties', () => {
    const d: Diagnostic = {
      rule: 'schema', severity: 'error', message: "'x' is not one of ['a']", node: '/soc/dev@1', property: 'mode',
      schema: 'http://devicetree.org/schemas/x.yaml#', schemaPath: 'properties/mode/enum',
      span: { file: 'b.dts', line: 4, column: 3, length: 4 },
      notes: [{ message: 'compatible: vendor,x' }, { message: 'row 1 is here', span: { file: 'b.dts', line: 5, column: 2, length: 3 } }],
    };
    const r = render([d], null).runs[0].results[0];
    assert.deepEqual(r.relatedLocations, [
      { id: 1, message: { text: 'compatible: vendor,x' } },
      { id: 2, physicalLocation: { artifactLocation: { uri: 'b.dts' }, region: { startLine: 5, startColumn: 2, endLine: 5, endColumn: 5 } }, message: { text: 'row 1 is here' } },
    ]);
    assert.deepEqual(r.locations[0].logicalLocations, [{ name: 'mode', fullyQualifiedName: '/soc/dev@1:mode', kind: 'property' }]);
    assert.deepEqual(r.properties, { schema: 'http://devicetree.org/schemas/x.yaml#', schemaPath: 'properties/mode/enum' });
  });

  test('a stream conflict on a KVM host: an error at the PAS node\'s iommus, its notes as related locations', () => {
    const run = render(sidConflict()).runs[0];
    const r = run.results[0];
    const fixture = path.relative(projectRoot, path.join(scratch, 'pas-vs-cb.dts'));
    assert.equal(r.level, 'error');
    assert.equal(r.ruleId, 'qcom_sid_conflict');
    assert.deepEqual(r.locations[0].logicalLocations, [{ name: 'iommus', fullyQualifiedName: '/soc@0/remoteproc@30000000:iommus', kind: 'property' }]);
    assert.deepEqual(r.locations[0].physicalLocation.artifactLocation, fixture.startsWith('..')
      ? { uri: pathToFileURL(path.join(scratch, 'pas-vs-cb.dts')).href }
      : { uri: fixture, uriBaseId: '%SRCROOT%' });
    assert.deepEqual(r.locations[0].physicalLocation.region, { startLine: 6, startColumn: 2, endLine: 6, endColumn: 8 });
    assert.deepEqual(r.relatedLocations.map((x: { message: { text: string }; physicalLocation?: { region: unknown } }) => [x.message.text, x.physicalLocation?.region]), [
      ['the other device\'s iommus (/soc@0/remoteproc@30000000/glink-edge/fastrpc/compute-cb@3)', { startLine: 110, startColumn: 15, endLine: 110, endColumn: 21 }],
      [KVM_SHARED_STREAM, undefined],
    ]);
    assert.deepEqual(run.tool.driver.rules[0].defaultConfiguration, { level: 'warning' });
  });

  test('deterministic: the same bytes whatever order the findings come in', () => {
    const ds = [...compiled(), ...fromDtb().diagnostics];
    const a = renderSarif(ds, { rules: catalog, toolVersion: '1', baseDir: projectRoot });
    const b = renderSarif([...ds].reverse(), { rules: [...catalog].reverse(), toolVersion: '1', baseDir: projectRoot });
    assert.equal(a, b);
    assert.ok(a.endsWith('}\n'));
  });
});

describe('SARIF checked by Microsoft\'s validator (sarif-multitool)', () => {
  const validator = sarifValidator();
  const skip = typeof validator === 'string' ? validator : false;

  test('real findings (include chain, macro expansion, a DTB, notes) validate with no error', { skip }, () => {
    if (typeof validator === 'string') return;
    const dtb = fromDtb();
    const ds = [...compiled(), ...dtb.diagnostics, ...sidConflict()];
    const file = path.join(scratch, 'findings.sarif');
    const text = renderSarif(ds, { rules: catalog, toolVersion: '0.1.0', baseDir: projectRoot });
    fs.writeFileSync(file, text);
    const findings = validator.validate(file);
    assert.deepEqual(findings.filter((f) => f.level === 'error'), []);
    // advice that does not apply: dtkit has no web page (SARIF2005), and a DTB finding has no
    // line to point at (SARIF2017 asks for a region)
    const results = JSON.parse(text).runs[0].results as Array<{ locations: Array<{ physicalLocation?: { region?: unknown } }> }>;
    const regionless = results.flatMap((r, i) => (r.locations[0]?.physicalLocation && !r.locations[0].physicalLocation.region ? [i] : []));
    assert.ok(regionless.length > 0, 'the DTB findings are in the log');
    const advice = findings.filter((f) => f.level !== 'error').map((f) => f.rule === 'SARIF2017' ? `SARIF2017 ${f.what.match(/results\[(\d+)\]/)?.[1]}` : f.rule);
    assert.deepEqual(advice.sort(), ['SARIF2005', ...regionless.map((i) => `SARIF2017 ${i}`)].sort());
  });

  test('the validator is live: a log with a line 0 region is rejected', { skip }, () => {
    if (typeof validator === 'string') return;
    const log = JSON.parse(renderSarif(compiled(), { rules: catalog, toolVersion: '0.1.0', baseDir: projectRoot }));
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    const file = path.join(scratch, 'broken.sarif');
    fs.writeFileSync(file, JSON.stringify(log));
    const errors = validator.validate(file).filter((f) => f.level === 'error');
    // the schema's minimum, and the region that no longer says where it starts
    assert.deepEqual(errors.map((f) => f.rule).sort(), ['JSON1008', 'SARIF1007']);
  });
});
