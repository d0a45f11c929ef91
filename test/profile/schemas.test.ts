// --schemas: the composite is validated against bindings; findings about what the
// overlay sets refuse it (at the profile line), the base's own failings do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleBoard, exampleProfile, filesIn, runOverlay, tempDir } from './support.js';

const NO_DEVMEM = `# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
%YAML 1.2
---
$id: http://devicetree.org/schemas/test/dtkit-no-devmem.yaml#
$schema: http://devicetree.org/meta-schemas/core.yaml#

title: A board policy that forbids qcom,devmem on the ADSP

maintainers:
  - dtkit <dtkit@example.org>

select:
  properties:
    compatible:
      contains:
        const: qcom,sa8775p-adsp-pas
  required:
    - compatible

properties:
  qcom,devmem: false

additionalProperties: true
`;

test('a binding that forbids what the profile sets: refused at the devmem row, nothing written', () => {
  process.env.DTKIT_CACHE_DIR = tempDir();
  const schemas = tempDir();
  fs.writeFileSync(path.join(schemas, 'no-devmem.yaml'), NO_DEVMEM);
  const out = tempDir();
  const r = runOverlay([exampleBoard], { profile: exampleProfile, output: path.join(out, 'x.dtso'), schemas: [schemas] });
  assert.equal(r.code, 1, r.out);
  assert.deepEqual(filesIn(out), []);
  const line = r.err.split('\n').find((l) => l.includes('False schema'));
  assert.ok(line?.startsWith(`${exampleProfile}:20:9: error: /soc@0/remoteproc@30000000:qcom,devmem: False schema does not allow [[1114112, 1114112, 16384, 1], `), r.err);
  assert.ok(line?.endsWith(' [schema: http://devicetree.org/schemas/test/dtkit-no-devmem.yaml]'), line);
  // the example's PAS nodes are complete (as lemans.dtsi), so nothing else is reported
  assert.equal(r.err.split('\n').filter((l) => / (error|warning): /.test(l) && !l.startsWith('dtkit')).length, 1, r.err);
  assert.ok(r.err.endsWith('dtkit: error: refused: 1 error; nothing written\n'), r.err);
});
