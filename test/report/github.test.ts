// `--format github`: one workflow command per finding, escaped the way the Actions runner
// unescapes (actions/toolkit's escapeData/escapeProperty).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { projectRoot } from '../support/corpus.js';

describe('GitHub workflow commands', () => {
  test('real findings: file relative to the checkout, line, columns, rule as title, node in the message', () => {
    const r = compileFile(path.join(projectRoot, 'test', 'report', 'fixtures', 'board.dts'));
    assert.equal(renderGithub(r.diagnostics, { baseDir: projectRoot }),
      '::warning file=test/report/fixtures/soc.dtsi,line=10,col=14,endColumn=18,title=unit_address_vs_reg::/soc/uart: node has a reg or ranges property, but no unit name\n' +
      '::warning file=test/report/fixtures/soc.dtsi,line=11,col=3,endColumn=14,title=unit_address_vs_reg::/soc/serial@2000: node has a unit name, but no reg or ranges property\n');
  });

  test('severities: error, warning, notice; a finding without a span names its file only', () => {
    const ds: Diagnostic[] = [
      { rule: 'syntax', severity: 'error', message: 'e', span: { file: 'a.dts', line: 2, column: 5, length: 0 } },
      { rule: 'unit_address_vs_reg', severity: 'warning', message: 'w', file: 'b.dtb', node: '/x' },
      { rule: 'qcom_devmem_ignored', severity: 'info', message: 'i', file: 'c.dts' },
    ];
    assert.equal(renderGithub(ds),
      '::error file=a.dts,line=2,col=5,endColumn=6,title=syntax::e\n' +
      '::warning file=b.dtb,title=unit_address_vs_reg::/x: w\n' +
      '::notice file=c.dts,title=qcom_devmem_ignored::i\n');
  });

  test('escaping: %, CR, LF everywhere; : and , in properties only; ESC shown as \\x1b; notes on their own lines', () => {
    const d: Diagnostic = {
      rule: 'schema',
      severity: 'error',
      message: "100% of 'a,b': bad\r\nline two ::error::forged \x1b[2J",
      span: { file: 'dir:x/a,b%.dts', line: 3, column: 1, length: 2 },
      notes: [{ message: 'see, here', span: { file: 'dir:x/a,b%.dts', line: 4, column: 2, length: 1 } }, { message: 'did you mean "x"?' }],
    };
    assert.equal(renderGithub([d]),
      '::error file=dir%3Ax/a%2Cb%25.dts,line=3,col=1,endColumn=3,title=schema::' +
      "100%25 of 'a,b': bad%0D%0Aline two ::error::forged \\x1b[2J" +
      '%0Adir:x/a,b%25.dts:4:2: note: see, here' +
      '%0Anote: did you mean "x"?\n');
  });

  test('the escapes themselves', () => {
    assert.equal(escapeData('50% a:b,c\r\n'), '50%25 a:b,c%0D%0A');
    assert.equal(escapeProperty('50% a:b,c\r\n'), '50%25 a%3Ab%2Cc%0D%0A');
  });

  test('a file outside baseDir keeps its name; <stdin> gets no file property', () => {
    const ds: Diagnostic[] = [
      { rule: 'r', severity: 'warning', message: 'm', span: { file: '/usr/include/x.h', line: 1, column: 1, length: 1 } },
      { rule: 'r', severity: 'warning', message: 'm', span: { file: '<stdin>', line: 1, column: 3, length: 4 } },
    ];
    assert.equal(renderGithub(ds, { baseDir: projectRoot }),
      '::warning file=/usr/include/x.h,line=1,col=1,endColumn=2,title=r::m\n' +
      '::warning line=1,col=3,endColumn=7,title=r::m\n');
  });
});
