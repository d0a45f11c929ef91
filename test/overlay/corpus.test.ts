// Sampled conformance on the kernel corpus (the full counts: full-corpus.ts):
// dtkit apply vs fdtoverlay on composites built the kernel's way, and dtkit's -@ compile
// of overlays and bases vs dtc -@.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../support/corpus.js';
import { checkComposite, dtcBuild, dtkitBuild, qcomComposites, sameBytes } from './oracle.js';

const ORACLE = { corpus: true, dtc: true, cpp: true, fdtoverlay: true };

/** lemans-evk-el2 first, then every sixth composite (a spread over SoCs and overlay kinds). */
function sample() {
  const all = qcomComposites();
  const picked = all.filter((c, i) => c.target === 'lemans-evk-el2' || i % 6 === 0);
  return picked;
}

test('sampled qcom composites: dtkit apply is byte-identical to fdtoverlay', (t) => {
  const skip = skipUnless(ORACLE);
  if (skip) return t.skip(skip);
  const composites = sample();
  assert.ok(composites.length >= 10, `only ${composites.length} composites found`);
  const differing = composites.map(checkComposite).filter((o) => !o.identical).map((o) => `${o.composite.target}: ${o.detail}`);
  assert.deepEqual(differing, []);
});

test('sampled -@ compiles: overlays and bases byte-identical to dtc -@', (t) => {
  const skip = skipUnless(ORACLE);
  if (skip) return t.skip(skip);
  const sources = ['src/arm64/qcom/lemans-el2.dtso', 'src/arm64/qcom/lemans-evk.dts', 'src/arm64/qcom/x1-el2.dtso', 'src/arm64/qcom/sm8550-hdk-display-card.dtso', 'src/arm64/qcom/qcs6490-rb3gen2-industrial-mezzanine.dtso'];
  const differing = sources.filter((s) => !sameBytes(dtcBuild(s, { symbols: true }), dtkitBuild(s, { symbols: true })));
  assert.deepEqual(differing, []);
});
