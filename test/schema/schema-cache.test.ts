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

/** The stamp distrusts file times of the last two seconds (a change within the same
 *  timestamp granule looks the same); the tests' clock runs a minute ahead instead of waiting. */
const later = (): number => Date.now() + 60_000;

/** A host that counts schema reads: a warm open must read (and list) no schema file. */
function countingHost(): { host: typeof nodeHost; reads: () => number } {
  let n = 0;
  return { host: { ...nodeHost, readFile: (f) => (n++, nodeHost.readFile(f)) }, reads: () => n };
}

test('a warm open whose stamp holds reads no schema file', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir, now: later }).cacheWritten;
    const counting = countingHost();
    const warm = openSchemaSet({ host: counting.host, schemaDirs: [dir], cacheDir });
    assert.equal(warm.fromCache, true);
    assert.equal(counting.reads(), 0);
    assert.equal(warm.index.compatMap['acme,widget2'], 'http://devicetree.org/schemas/acme/widget.yaml');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('the stamp notices an edit in place, a new binding in a new folder and a removed one, however old their folders look', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  const widget = path.join(dir, 'acme', 'widget.yaml');
  const open = () => openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir, now: later });
  /** until the stamp holds again (then a warm open reads nothing) */
  const settle = async (): Promise<void> => {
    await open().cacheWritten;
    const counting = countingHost();
    assert.equal(openSchemaSet({ host: counting.host, schemaDirs: [dir], cacheDir, now: later }).fromCache, true);
    assert.equal(counting.reads(), 0);
  };
  try {
    await settle();
    // in place: same size, the folder's mtime put back as it was
    const folderTime = fs.statSync(path.join(dir, 'acme')).mtime;
    fs.writeFileSync(widget, fs.readFileSync(widget, 'utf8').replace("'acme,widget2'", "'acme,widget9'"));
    fs.utimesSync(path.join(dir, 'acme'), folderTime, folderTime);
    assert.equal(open().index.compatMap['acme,widget9'], 'http://devicetree.org/schemas/acme/widget.yaml');
    await settle();
    // a new binding in a new sub-folder
    fs.mkdirSync(path.join(dir, 'acme', 'bus'));
    fs.writeFileSync(path.join(dir, 'acme', 'bus', 'gadget.yaml'), fs.readFileSync(widget, 'utf8').replace('acme/widget.yaml', 'acme/bus/gadget.yaml').replace("'acme,widget'", "'acme,gadget'"));
    assert.equal(open().index.compatMap['acme,gadget'], 'http://devicetree.org/schemas/acme/bus/gadget.yaml');
    await settle();
    // removed again
    fs.rmSync(path.join(dir, 'acme', 'bus'), { recursive: true });
    assert.equal(open().index.compatMap['acme,gadget'], undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('after an edit only the edited binding is parsed and normalised again, with the same set as a cold open', async () => {
  const dir = bindingsDir();
  fs.writeFileSync(path.join(dir, 'acme', 'gizmo.yaml'), fs.readFileSync(path.join(dir, 'acme', 'widget.yaml'), 'utf8')
    .replace('acme/widget.yaml', 'acme/gizmo.yaml').replace("'acme,widget', 'acme,widget2'", "'acme,gizmo'"));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  try {
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir, now: later }).cacheWritten;
    const widget = path.join(dir, 'acme', 'widget.yaml');
    fs.writeFileSync(widget, fs.readFileSync(widget, 'utf8').replace("'acme,widget2'", "'acme,widget3'"));
    const edited = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir });
    assert.equal(edited.fromCache, false);
    const cold = openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir: fresh });
    assert.deepEqual(edited.diagnostics, cold.diagnostics);
    assert.deepEqual(edited.index.compatMap, cold.index.compatMap);
    for (const [id, p] of Object.entries(cold.index.schemas)) assert.deepEqual(edited.index.schemas[id].schema, p.schema, id);
    await edited.cacheWritten;
    const kept = fs.readdirSync(cacheDir).find((f) => f.endsWith('.normalised'))!;
    const lines = fs.readFileSync(path.join(cacheDir, kept), 'utf8').split('\n').map((l) => JSON.parse(l) as [string, string, string, { properties: unknown }]);
    const line = lines.find((l) => l[0] === widget)!;
    assert.match(JSON.stringify(line[3].properties), /acme,widget3/, 'the kept copy is the edited binding');
    // a third open after one more edit reuses the gizmo's line as written
    const gizmoLine = fs.readFileSync(path.join(cacheDir, kept), 'utf8').split('\n').find((l) => l.includes('gizmo.yaml'))!;
    fs.writeFileSync(widget, fs.readFileSync(widget, 'utf8').replace("'acme,widget3'", "'acme,widget4'"));
    await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir, now: later }).cacheWritten;
    assert.ok(fs.readFileSync(path.join(cacheDir, kept), 'utf8').split('\n').includes(gizmoLine));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(fresh, { recursive: true, force: true });
  }
});

test('a cache folder keeps the newest three sets, not one per edit', async () => {
  const dir = bindingsDir();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-cache-'));
  const widget = path.join(dir, 'acme', 'widget.yaml');
  try {
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(widget, `${fs.readFileSync(widget, 'utf8')}# edit ${i}\n`);
      await openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).cacheWritten;
    }
    const sets = fs.readdirSync(cacheDir).filter((f) => f.startsWith('schemas-'));
    assert.equal(sets.filter((f) => f.endsWith('.json')).length, 3);
    assert.equal(sets.filter((f) => f.endsWith('.bodies')).length, 3);
    assert.equal(openSchemaSet({ host: nodeHost, schemaDirs: [dir], cacheDir }).fromCache, true, 'the newest is one of them');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
