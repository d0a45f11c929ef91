// The real lemans boards: clean for a QHEE host as they are, clean for a KVM host with the
// upstream lemans-el2 overlay, and a KVM-host failure, at the right remote processor and
// source line, once one iommus line is taken out of that overlay.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { buildBoard, qcomFindings, runQcom, scratchDir } from './support.js';

const BOARDS = ['lemans-evk', 'qcs9100-ride', 'sa8775p-ride'];

/** The kernel's include path for arm64 Qualcomm boards (its Makefile's -I and -i). */
function kernelIncludes(linux: string): string[] {
  return [path.join(linux, 'include'), path.join(linux, 'src', 'arm64'), path.join(linux, 'src'), path.join(linux, 'src', 'arm64', 'qcom')];
}

/** 1-based line of the first line containing `needle` at or after line `from`. */
function lineOf(file: string, needle: string, from = 1): number {
  const lines = fs.readFileSync(file, 'latin1').split('\n');
  const i = lines.findIndex((l, n) => n >= from - 1 && l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + 1;
}

describe('real lemans boards', () => {
  const skip = skipUnless({ corpus: true });
  const linux = linuxDtDir();
  const qcom = linux && path.join(linux, 'src', 'arm64', 'qcom');
  const el2 = qcom && path.join(qcom, 'lemans-el2.dtso');
  const dir = scratchDir('lemans');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const board of BOARDS) {
    test(`${board}: no qcom finding for a QHEE host, nor for KVM with lemans-el2`, (t) => {
      if (skip) return t.skip(skip);
      const file = path.join(qcom!, `${board}.dts`);
      const base = buildBoard(file, [], kernelIncludes(linux!));
      assert.deepEqual(qcomFindings(base, { policy: 'qhee' }), []);
      const kvm = runQcom(file, { policy: 'kvm' }, [el2!], kernelIncludes(linux!));
      assert.deepEqual(kvm.findings, []);
      const adsp = kvm.board.tree!.labelIndex().get('remoteproc_adsp');
      assert.equal(adsp?.getProperty('iommus')?.value.bytes.length, 12, 'the overlay reached the composite');
      // without the overlay, a KVM host has five remote processors nobody maps
      assert.deepEqual(qcomFindings(base, { policy: 'kvm' }).map((d) => [d.rule, d.node]), [
        '20c00000', '21c00000', '26300000', '2a300000', '30000000',
      ].map((a) => ['qcom_pas_host', `/soc@0/remoteproc@${a}`]));
    });
  }

  test('lemans-evk + lemans-el2 without the cdsp1 iommus line fails on a KVM host at cdsp1', (t) => {
    if (skip) return t.skip(skip);
    const text = fs.readFileSync(el2!, 'latin1');
    const line = '\tiommus = <&apps_smmu 0x29c0 0x0400>;\n';
    assert.ok(text.includes(line));
    const edited = path.join(dir, 'lemans-el2-no-cdsp1.dtso');
    fs.writeFileSync(edited, text.replace(line, ''));
    const board = path.join(qcom!, 'lemans-evk.dts');
    const { findings } = runQcom(board, { policy: 'kvm' }, [edited], kernelIncludes(linux!));
    const soc = path.join(qcom!, 'lemans.dtsi');
    const enabledAt = lineOf(board, 'status = "okay"', lineOf(board, '&remoteproc_cdsp1 {'));
    assert.deepEqual(findings.map((d) => ({
      rule: d.rule, severity: d.severity, node: d.node, file: d.span?.file, line: d.span?.line,
      note: d.notes?.map((n) => [n.message, n.span?.file, n.span?.line]),
    })), [{
      rule: 'qcom_pas_host', severity: 'error', node: '/soc@0/remoteproc@2a300000',
      file: soc, line: lineOf(soc, 'remoteproc_cdsp1: remoteproc@2a300000'),
      note: [['enabled here', board, enabledAt]],
    }]);
  });
});
