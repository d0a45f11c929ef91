// `dtkit lsp --stdio` driven by a real LSP client (vscode-jsonrpc over the server's stdio)
// on a small PAS board (the qcom fixtures, copied to a temporary folder): diagnostics of
// unsaved buffers at the line of the bad devmem row and gone when it is fixed, a .dtsi
// checked through its board, definition, hover, completion, symbols and references.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CompletionItem, DocumentSymbol, Hover, Location } from 'vscode-languageserver-protocol';
import { projectRoot } from '../support/corpus.js';
import { LspClient, positionOf, uri } from './client.js';

const fixtures = path.join(projectRoot, 'test', 'qcom', 'fixtures');
let dir: string;
let board: string, dtsi: string;
let boardText: string, dtsiText: string;
let client: LspClient;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-lsp-'));
  board = path.join(dir, 'adsp-devmem-18.dts');
  dtsi = path.join(dir, 'lemans-pas.dtsi');
  fs.copyFileSync(path.join(fixtures, 'adsp-devmem-18.dts'), board);
  fs.copyFileSync(path.join(fixtures, 'lemans-pas.dtsi'), dtsi);
  boardText = fs.readFileSync(board, 'utf8');
  dtsiText = fs.readFileSync(dtsi, 'utf8');
  client = await LspClient.start(dir, { debounceMs: 50 }, { DTKIT_CACHE_DIR: path.join(dir, 'cache') });
  await client.open(board, boardText);
  await client.checkedAfter(board, 1);
});

after(async () => {
  await client?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const BAD_ROW = '<0x00110000 0x00110000 0x4000 QCOM_DEVMEM_READ>';

test('a bad devmem row in the unsaved buffer is reported at its line; fixing it clears it', async () => {
  assert.deepEqual((client.diagnostics.get(uri(board)) ?? []).filter((d) => String(d.code).startsWith('qcom_devmem')), []);
  const bad = boardText.replace(BAD_ROW, '<0x00110000 0x00110800 0x4000 QCOM_DEVMEM_READ>');
  const v = await client.change(board, bad);
  await client.checkedAfter(board, v);
  const found = (client.diagnostics.get(uri(board)) ?? []).filter((d) => d.code === 'qcom_devmem_alignment');
  const at = positionOf(bad, '0x00110800');
  assert.equal(found.length, 1, JSON.stringify(client.diagnostics.get(uri(board))));
  assert.deepEqual(found[0].range, { start: at, end: { line: at.line, character: at.character + 10 } });
  assert.equal(found[0].severity, 1);
  assert.match(String(found[0].message), /row 0: physical address 0x110800 is not a multiple of the 4 KiB IOMMU page/);
  // nothing on disk changed: the buffer is what was checked
  assert.equal(fs.readFileSync(board, 'utf8'), boardText);

  const v2 = await client.change(board, boardText);
  await client.checkedAfter(board, v2);
  assert.deepEqual((client.diagnostics.get(uri(board)) ?? []).filter((d) => d.code === 'qcom_devmem_alignment'), []);
});

test('a finding in a .dtsi opened alone is reported through the board that includes it', async () => {
  const bad = dtsiText.replace('memory-region = <&pil_cdsp1_mem>;', 'memory-region = <&pil_cdsp1_mem>;\n\t\t\tqcom,devmem = <0x1000 0x1000 0x1000 0x40>;');
  await client.open(dtsi, dtsiText);
  await client.checkedAfter(dtsi, 1);
  const v = await client.change(dtsi, bad);
  const checked = await client.checkedAfter(dtsi, v);
  assert.equal(checked.board, board);
  const flags = (client.diagnostics.get(uri(dtsi)) ?? []).filter((d) => d.code === 'qcom_devmem_flags');
  const at = positionOf(bad, '0x40>');
  assert.equal(flags.length, 1, JSON.stringify(client.diagnostics.get(uri(dtsi))));
  assert.deepEqual(flags[0].range.start, at);
  // the include chain is related information: the board's #include line
  assert.deepEqual(flags[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
    [[uri(board), positionOf(boardText, '#include "lemans-pas.dtsi"').line, 'included from here']]);
  // hover on the row shows the finding
  const h = await client.request<Hover>('textDocument/hover', dtsi, at.line, at.character);
  assert.match((h.contents as { value: string }).value, /- error: row 0: flags 0x40 set bits outside READ\|WRITE\|CACHE\|NOEXEC\|MMIO \(0x1f\): 0x40 \[qcom_devmem_flags\]/);
  const v2 = await client.change(dtsi, dtsiText);
  await client.checkedAfter(dtsi, v2);
  assert.deepEqual((client.diagnostics.get(uri(dtsi)) ?? []).filter((d) => d.code === 'qcom_devmem_flags'), []);
});

test('go to definition: &label, #include, a macro, a compatible string', async () => {
  const at = positionOf(boardText, '&remoteproc_adsp', 2);
  const [node] = await client.request<Location[]>('textDocument/definition', board, at.line, at.character);
  assert.equal(node.uri, uri(dtsi));
  assert.equal(node.range.start.line, positionOf(dtsiText, 'remoteproc@30000000').line);

  const inc = positionOf(boardText, '#include "lemans-pas.dtsi"', 12);
  const [file] = await client.request<Location[]>('textDocument/definition', board, inc.line, inc.character);
  assert.equal(file.uri, uri(dtsi));

  const m = positionOf(boardText, 'QCOM_DEVMEM_READ', 3);
  const [def] = await client.request<Location[]>('textDocument/definition', board, m.line, m.character);
  assert.match(def.uri, /dt-bindings\/iommu\/qcom,devmem\.h$/);
  const header = fs.readFileSync(new URL(def.uri), 'utf8').split('\n')[def.range.start.line];
  assert.match(header, /#define\s+QCOM_DEVMEM_READ\b/);

  await client.open(dtsi, dtsiText);
  const c = positionOf(dtsiText, '"qcom,sa8775p-adsp-pas"', 5);
  const [binding] = await client.request<Location[]>('textDocument/definition', dtsi, c.line, c.character);
  assert.match(binding.uri, /schemas\/remoteproc\/qcom,sa8775p-pas\.yaml$/);
});

test('hover: a devmem row decoded, a property from its binding, a phandle reference, a macro', async () => {
  const row = positionOf(boardText, '0x00123000 0x00123000', 2);
  const h = await client.request<Hover>('textDocument/hover', board, row.line, row.character);
  const text = (h.contents as { value: string }).value;
  assert.match(text, /qcom,devmem\*\* row 1 of \/soc@0\/remoteproc@30000000/);
  assert.match(text, /- da \(device address\): `0x123000`\n- pa \(physical address\): `0x123000`\n- size: `0x1000` \(4 KiB\)\n- flags: `0x3` READ\|WRITE$/);

  const prop = positionOf(boardText, 'iommus', 2);
  const p = await client.request<Hover>('textDocument/hover', board, prop.line, prop.character);
  assert.match((p.contents as { value: string }).value, /\*\*iommus\*\*/);

  const ref = positionOf(boardText, '&apps_smmu', 3);
  const r = await client.request<Hover>('textDocument/hover', board, ref.line, ref.character);
  assert.match((r.contents as { value: string }).value, /`\/soc@0\/iommu@15000000`/);

  const macro = positionOf(boardText, 'QCOM_DEVMEM_WRITE', 4);
  const m = await client.request<Hover>('textDocument/hover', board, macro.line, macro.character);
  assert.match((m.contents as { value: string }).value, /#define QCOM_DEVMEM_WRITE/);
});

test('completion: labels after &, properties the binding allows inside &label { }, compatible values', async () => {
  const labelsText = boardText.replace('status = "okay";', 'status = "okay";\n\tmemory-region = <&pil_>;');
  await client.change(board, labelsText);
  const at = positionOf(labelsText, '&pil_', 5);
  const labels = await client.request<CompletionItem[]>('textDocument/completion', board, at.line, at.character);
  assert.ok(labels.some((c) => c.label === 'pil_adsp_mem' && c.detail === '/reserved-memory/pil-adsp@95900000'), JSON.stringify(labels.slice(0, 5)));

  const propsText = boardText.replace('status = "okay";', 'status = "okay";\n\tfirm');
  await client.change(board, propsText);
  const pp = positionOf(propsText, '\tfirm', 5);
  const props = await client.request<CompletionItem[]>('textDocument/completion', board, pp.line, pp.character);
  const names = props.map((c) => c.label);
  assert.ok(names.includes('firmware-name'), names.join(' '));
  assert.ok(!names.includes('iommus'), 'a property already set is not offered again');

  const compatText = boardText.replace('status = "okay";', 'status = "okay";\n\tcompatible = "qcom,sa8775p-');
  await client.change(board, compatText);
  const cc = positionOf(compatText, '"qcom,sa8775p-', 14);
  const compats = await client.request<CompletionItem[]>('textDocument/completion', board, cc.line, cc.character);
  assert.ok(compats.some((c) => c.label === 'qcom,sa8775p-adsp-pas'));
  const v = await client.change(board, boardText);
  await client.checkedAfter(board, v);
});

test('document symbols: the node tree as the file writes it', async () => {
  const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(dtsi) } });
  const root = symbols.find((s) => s.name === '/');
  assert.ok(root, JSON.stringify(symbols.map((s) => s.name)));
  const soc = root.children!.find((s) => s.name === 'soc@0')!;
  const adsp = soc.children!.find((s) => s.name === 'remoteproc@30000000')!;
  assert.match(adsp.detail!, /remoteproc_adsp: \/soc@0\/remoteproc@30000000/);
  assert.ok(adsp.children!.some((c) => c.name === 'compatible'));
  assert.equal(adsp.selectionRange.start.line, positionOf(dtsiText, 'remoteproc@30000000').line);
});

test('references of a label: every &label in the board and its includes, with the definition', async () => {
  const at = positionOf(dtsiText, 'apps_smmu:', 2);
  const refs = await client.request<Location[]>('textDocument/references', dtsi, at.line, at.character, { context: { includeDeclaration: true } });
  const where = refs.map((r) => `${path.basename(new URL(r.uri).pathname)}:${r.range.start.line}`).sort();
  const lines = (text: string, needle: string) => text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i] : []));
  const expected = [
    ...lines(dtsiText, 'apps_smmu:').map((l) => `lemans-pas.dtsi:${l}`),
    ...lines(dtsiText, '&apps_smmu').map((l) => `lemans-pas.dtsi:${l}`),
    ...lines(boardText, '&apps_smmu').map((l) => `adsp-devmem-18.dts:${l}`),
  ].sort();
  assert.deepEqual(where, expected);
});
