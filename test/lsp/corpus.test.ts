// The language server on the kernel's lemans-evk.dts (the corpus's devicetree-rebasing
// tree, its bindings found by the server as `dtkit validate` finds them): a bad devmem row
// typed into the unsaved buffer appears at its line and goes when fixed, and the re-check
// latency of a warm server is measured and reported (not asserted tightly: the machine is
// shared). Definition, hover and completion answer from lemans.dtsi and the bindings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CompletionItem, Hover, Location } from 'vscode-languageserver-protocol';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { LspClient, positionOf, uri } from './client.js';

const skip = skipUnless({ corpus: true });

test('lemans-evk.dts: a devmem row typed and fixed, re-check latency, definition, hover, completion', { skip }, async (t) => {
  const qcom = path.join(linuxDtDir()!, 'src', 'arm64', 'qcom');
  const board = path.join(qcom, 'lemans-evk.dts');
  const dtsi = path.join(qcom, 'lemans.dtsi');
  const text = fs.readFileSync(board, 'utf8');
  // the default debounce (250 ms): the latency measured is what a user waits
  const client = await LspClient.start(qcom);
  try {
    const t0 = performance.now();
    await client.open(board, text);
    const first = await client.checkedAfter(board, 1, 120_000);
    t.diagnostic(`first check (schema set opened, cold preprocessor): ${first.elapsedMs} ms in the server, ${Math.round(performance.now() - t0)} ms to the client`);

    const row = '\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x00110000 0x00110000 0x4000 QCOM_DEVMEM_READ>,\n\t\t      <0x00123000 0x00123001 0x1000 QCOM_DEVMEM_READ>;\n';
    const include = '#include <dt-bindings/iommu/qcom,devmem.h>\n';
    const bad = text.replace('#include "lemans.dtsi"\n', `${include}#include "lemans.dtsi"\n`).replace('\tfirmware-name = "qcom/sa8775p/adsp.mbn";\n', `\tfirmware-name = "qcom/sa8775p/adsp.mbn";\n${row}`);
    const latencies: number[] = [];
    const checks: number[] = [];
    const edit = async (next: string, ready: () => boolean): Promise<void> => {
      const sent = performance.now();
      const v = await client.change(board, next);
      const checked = await client.checkedAfter(board, v, 120_000);
      await client.until(() => ready(), 30_000, 'the diagnostics of the edit');
      latencies.push(Math.round(performance.now() - sent));
      checks.push(checked.elapsedMs);
    };
    const alignment = () => (client.diagnostics.get(uri(board)) ?? []).filter((d) => d.code === 'qcom_devmem_alignment');
    for (let i = 0; i < 3; i++) {
      await edit(bad, () => alignment().length === 1);
      const at = positionOf(bad, '0x00123001');
      assert.deepEqual(alignment()[0].range.start, at);
      assert.match(String(alignment()[0].message), /row 1: physical address 0x123001 is not a multiple of the 4 KiB IOMMU page/);
      await edit(text, () => alignment().length === 0);
    }
    t.diagnostic(`re-check after an edit (warm): edit to diagnostics ${latencies.join(', ')} ms (debounce 250 ms included); check alone ${checks.join(', ')} ms`);
    const report = path.join(os.tmpdir(), 'dtkit-lsp-latency.json');
    fs.writeFileSync(report, JSON.stringify({ board, latenciesMs: latencies, checkMs: checks, firstCheckMs: first.elapsedMs }, null, 2));
    t.diagnostic(`latency recorded in ${report}`);
    assert.equal(latencies.length, 6);
    // generous: a guard against a server that re-reads the bindings on every edit, not a benchmark
    assert.ok(Math.min(...latencies) < 10_000, `re-check latency ${latencies.join(', ')} ms`);

    const ref = positionOf(text, '&remoteproc_adsp {', 3);
    const [def] = await client.request<Location[]>('textDocument/definition', board, ref.line, ref.character);
    assert.equal(def.uri, uri(dtsi));
    assert.equal(def.range.start.line, positionOf(fs.readFileSync(dtsi, 'utf8'), 'remoteproc_adsp: remoteproc@30000000', 17).line);

    const fw = positionOf(text, 'firmware-name = "qcom/sa8775p/adsp.mbn"', 3);
    const h = await client.request<Hover>('textDocument/hover', board, fw.line, fw.character);
    assert.match((h.contents as { value: string }).value, /\*\*firmware-name\*\*/);

    const typed = text.replace('\tfirmware-name = "qcom/sa8775p/adsp.mbn";\n', '\tfirmware-name = "qcom/sa8775p/adsp.mbn";\n\tmemory-\n');
    await client.change(board, typed);
    const at = positionOf(typed, '\tmemory-\n', 8);
    const items = await client.request<CompletionItem[]>('textDocument/completion', board, at.line, at.character);
    const names = items.map((c) => c.label);
    assert.ok(names.includes('iommus') && names.includes('glink-edge'), names.join(' '));
    assert.ok(!names.includes('firmware-name'));
  } finally {
    await client.stop();
  }
});
