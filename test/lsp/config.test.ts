// The language server checks as `dtkit validate` does with the project's settings: the
// board's dtkit.config.yaml (even unsaved, when it is open), suppression comments (an unused
// one reported), a baseline named in the client's settings, and the client's own settings
// over the file as flags over it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspClient, uri } from './client.js';

let dir: string;
let board: string;
let config: string;
let client: LspClient;

const BOARD = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "acme,board";
	model = "acme board";
	a@1 { };
	// dtkit-disable-next-line unit_address_vs_reg
	b@2 { };
	// dtkit-disable-next-line unique_unit_address
	c { };
};
`;

const codes = (file: string) => (client.diagnostics.get(uri(file)) ?? []).map((d) => `${d.range.start.line + 1}:${d.code}`).sort();

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-lsp-config-'));
  board = path.join(dir, 'board.dts');
  config = path.join(dir, 'dtkit.config.yaml');
  fs.writeFileSync(board, BOARD);
  fs.writeFileSync(config, 'rules:\n  schema: off\n  schema-unmatched: off\n');
  fs.writeFileSync(path.join(dir, 'baseline.json'), '{"dtkit-baseline": 1, "inputs": {"board.dts": [{"rule":"unit_address_vs_reg","file":"board.dts","node":"/a@1","property":null,"message":"node has a unit name, but no reg or ranges property"}]}}\n');
  client = await LspClient.start(dir, { debounceMs: 50, detect: false }, { DTKIT_CACHE_DIR: path.join(dir, 'cache') });
  await client.open(board, BOARD);
  await client.checkedAfter(board, 1);
});

after(async () => {
  await client?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the config file\'s rules and the suppression comments apply; an unused comment is reported', () => {
  // a@1 is reported, b@2 silenced by its comment, the comment before c silences nothing
  assert.deepEqual(codes(board), ['10:suppress_unused', '7:unit_address_vs_reg']);
});

test('the config file is read at every check: a saved edit applies at the next one (preset kernel)', async () => {
  fs.writeFileSync(config, 'preset: kernel\nrules:\n  schema: off\n  schema-unmatched: off\n');
  const v = await client.change(board, `${BOARD}\n`);
  await client.checkedAfter(board, v);
  // the kernel's build switches unit_address_vs_reg off: its comment is unused too
  assert.deepEqual(codes(board), ['10:suppress_unused', '8:suppress_unused']);
  // the client's settings are the flags over the file
  await client.configure({ debounceMs: 50, detect: false, preset: 'dtc' });
  const v2 = await client.change(board, BOARD);
  await client.checkedAfter(board, v2);
  assert.deepEqual(codes(board), ['10:suppress_unused', '7:unit_address_vs_reg']);
  fs.writeFileSync(config, 'rules:\n  schema: off\n  schema-unmatched: off\n');
});

test('a baseline in the client settings hides what it records', async () => {
  await client.configure({ debounceMs: 50, detect: false, baseline: 'baseline.json' });
  const v = await client.change(board, `${BOARD}\n\n`);
  await client.checkedAfter(board, v);
  assert.deepEqual(codes(board), ['10:suppress_unused']);
});
