// How validate tells which bindings it used: once about the run, never as a finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linuxDtDir, projectRoot, skipUnless } from '../support/corpus.js';
import { findings, validate } from './support.js';

const example = path.join(projectRoot, 'examples/lemans-kvm/board.dts');

test('without bindings: one info line says so, no finding; the bundled example is clean', async () => {
  const r = await validate([example], { detect: false, format: 'json' });
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(findings(r.out).filter((f) => f.level !== 'warning' || f.rule.startsWith('schema')), []);
  const info = r.err.split('\n').filter((l) => l.startsWith('dtkit: info:'));
  assert.deepEqual(info, [
    "dtkit: info: no binding schemas found (no --schemas, and no kernel tree's Documentation/devicetree/bindings): only dtkit's shipped bindings and dtc's checks run; properties no binding describes are not reported, nor undocumented compatibles",
  ]);
  // two inputs, one run: said once
  const twice = await validate([example, example], { detect: false, format: 'text' });
  assert.equal(twice.err.split('\n').filter((l) => l.includes('no binding schemas found')).length, 1);
});

test("with the kernel's bindings: dtkit's qcom,devmem addition is said only with --verbose", async (t) => {
  const why = skipUnless({ corpus: true });
  if (why) return t.skip(why);
  const bindings = path.join(linuxDtDir()!, 'Bindings');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-schema-cache-'));
  const quiet = await validate([example], { detect: false, schemas: [bindings], cache: true, cacheDir });
  assert.equal(quiet.code, 0, quiet.err);
  assert.doesNotMatch(quiet.err, /dtkit: info:/);
  assert.deepEqual(findings(quiet.out).filter((f) => f.rule.startsWith('schema')), []);
  const verbose = await validate([example], { detect: false, schemas: [bindings], cache: true, cacheDir, verbose: true });
  assert.deepEqual(verbose.err.split('\n').filter((l) => l.startsWith('dtkit: info:')), [
    `dtkit: info: ${path.join(bindings, 'remoteproc/qcom,pas-common.yaml')}: extended with dtkit's 'qcom,devmem' (from ${path.join(projectRoot, 'schemas/remoteproc/qcom,pas-common.yaml')}); everything else is the binding's own`,
  ]);
});
