// The on-disk cache of a processed schema set: a second open reads it instead of the
// YAML, gives the same set, and parses a schema's body only when it is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { openSchemaSet } from '../../src/schema/schema-set.js';

function bindingsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-bindings-'));
  fs.mkdirSync(path.join(dir, 'acme'));
  fs.writeFileSync(path.join(dir, 'acme', 'widget.yaml'), `
$id: http://devicetree.org/schemas/acme/widget.yaml#
$schema: http://devicetree.org/meta-schemas/core.yaml#
title: Widget ünïcode
properties:
  compatible: { enum: ['acme,widget', 'acme,widget2'] }
  reg: { maxItems: 1 }
  acme,mode: { $ref: /schemas/types.yaml#/definitions/string, enum: [fast, slow] }
  acme,gone: { $ref: /schemas/nowhere.yaml# }
required: [compatible, reg]
additionalProperties: false
`);
  return dir;
}

test('a warm open reads the cache and gives the same set as the cold one', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    const cold = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(cold.fromCache, false);
    await cold.cacheWritten;
    const warm = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(warm.fromCache, true);
    assert.deepEqual(warm.diagnostics, cold.diagnostics);
    assert.ok(cold.diagnostics.some((d) => /nowhere\.yaml/.test(d.message)), 'the unknown $ref is reported, also from the cache');
    const id = 'http://devicetree.org/schemas/acme/widget.yaml';
    assert.equal(warm.index.compatMap['acme,widget2'], id);
    assert.deepEqual(warm.index.compatMap, cold.index.compatMap);
    assert.deepEqual(warm.index.always, cold.index.always);
    assert.deepEqual(warm.index.documented, cold.index.documented);
    assert.deepEqual([...warm.index.table.props.keys()], [...cold.index.table.props.keys()]);
    // every body, non-ASCII text included, decodes to the schema the cold open built
    for (const [sid, p] of Object.entries(cold.index.schemas)) assert.deepEqual(warm.index.schemas[sid].schema, p.schema, sid);
    assert.equal((warm.index.schemas[id].schema.title as string), 'Widget ünïcode');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a changed binding is not answered from the old cache', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).cacheWritten;
    const file = path.join(dir, 'acme', 'widget.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("'acme,widget2'", "'acme,widget3'"));
    const again = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(again.fromCache, false);
    assert.equal(again.index.compatMap['acme,widget3'], 'http://devicetree.org/schemas/acme/widget.yaml');
    assert.equal(again.index.compatMap['acme,widget2'], undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a bodies file that does not fit its index is not used', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).cacheWritten;
    const bodies = fs.readdirSync(cacheDir).find((f) => f.endsWith('.bodies'))!;
    fs.truncateSync(path.join(cacheDir, bodies), 100);
    const again = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(again.fromCache, false);
    assert.equal(again.index.compatMap['acme,widget'], 'http://devicetree.org/schemas/acme/widget.yaml');
    await again.cacheWritten;
    assert.equal(openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).fromCache, true, 'the rewritten cache is used');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a binding touched but not changed is answered from the cache by its content', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).cacheWritten;
    const file = path.join(dir, 'acme', 'widget.yaml');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    const again = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(again.fromCache, true);
    assert.equal(again.index.compatMap['acme,widget2'], 'http://devicetree.org/schemas/acme/widget.yaml');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
