// A sample of kernel boards chosen for the variety of dtc findings they produce: the
// findings of dtkit's dtc 1.6.1 table (on the same cpp output, parsed by dtkit, and on the
// DTB dtc wrote) must equal the installed dtc 1.6.1's, one for one. The full corpus run
// is `node dist/test/checks/parity.js`; dtkit's default table (dtc 1.8.1's) is held to
// dtc 1.8.1's recorded findings in golden.test.ts.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { compareFindings, parseDtcStderr } from './parity-lib.js';
import { buildBoard, dtkitFindings, dtkitFindingsFromSource } from './parity.js';

const SAMPLE = [
  'src/arm64/exynos/google/gs101-oriole.dts', // interrupt_provider, unique_unit_address
  'src/arm64/qcom/lemans-evk.dts', // + avoid_unnecessary_addr_size
  'src/arm64/qcom/hamoa-lenovo-ideacentre-mini-01q8x10.dts', // graph_child_address names a deleted child
  'src/arm64/qcom/sc7180-trogdor-lazor-r10-kb.dts', // avoid_unnecessary_addr_size on a node whose children were deleted
  'src/arm64/qcom/monaco-arduino-monza.dts', // pci_device_bus_num (1.6.1's bus-range quirk)
  'src/arm64/renesas/r8a779g3-sparrow-hawk.dts', // spi_bus_bridge, spi_bus_reg
  'src/arm64/nuvoton/nuvoton-npcm845-evb.dts', // simple_bus_reg, unit_address_vs_reg
  'src/arm64/arm/vexpress-v2f-1xv7-ca53x2.dts', // graph_child_address, simple_bus_reg
  // overlays, compiled with -@ (plugin trees: unresolved references, fragments)
  'src/arm64/freescale/imx8mm-kontron-dl.dtso', // graph_endpoint, graph_port
  'src/arm64/renesas/rzv2-evk-cn15-emmc.dtso', // alias_paths
  'src/arm64/freescale/imx8mp-evk-lvds0-imx-lvds-hdmi.dtso', // unit_address_vs_reg
];

const cacheDir = path.join(os.tmpdir(), 'dtkit-checks-corpus-cache');

for (const rel of SAMPLE) {
  test(`dtc findings on ${path.basename(rel)}`, (t) => {
    const skip = skipUnless({ corpus: true, dtc: true, cpp: true });
    if (skip) return t.skip(skip);
    const linuxDt = linuxDtDir()!;
    const build = buildBoard(linuxDt, rel, cacheDir);
    const want = parseDtcStderr(build.stderr);
    assert.ok(want.length > 0, 'dtc reports something on this board');

    const fromSource = dtkitFindingsFromSource(linuxDt, rel, cacheDir);
    assert.ok(fromSource, 'dtkit parses the cpp output');
    const cmp = compareFindings(want, fromSource);
    assert.deepEqual({ missing: cmp.missing, extra: cmp.extra }, { missing: [], extra: [] });
    assert.equal(cmp.matched, want.length);

    // from the DTB only what the DTB cannot say may differ (deleted nodes are gone); a
    // .dtbo read back is no longer a plugin, and dtc itself then reports other things
    if (rel.endsWith('.dtso')) return;
    const fromDtb = compareFindings(want, dtkitFindings(build.dtb!, `${rel}.dtb`));
    assert.deepEqual(fromDtb.extra.filter((k) => !k.includes('(graph_child_address)')), []);
  });
}
