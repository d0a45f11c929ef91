// Sampled corpus conformance: the built-in preprocessor against GCC's cpp on ~40 real
// kernel boards (the full run is corpus-compare.ts). Skips without the corpus or cpp.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createPreprocessCache } from '../../src/preprocessor/index.js';
import { linuxDtDir, skipUnless } from '../support/corpus.js';
import { compareFile } from './gcc-compare.js';

const SAMPLE = [
  'qcom/lemans-evk.dts',
  'qcom/x1e80100-crd.dts',
  'qcom/sm8550-qrd.dts',
  'qcom/sc7180-trogdor-coachz-r3.dts',
  'qcom/msm8916-longcheer-l8150.dts',
  'qcom/qcs6490-rb3gen2.dts',
  'qcom/sdm845-db845c.dts',
  'qcom/sa8295p-adp.dts',
  'qcom/qrb5165-rb5.dts',
  'qcom/ipq9574-rdp433.dts',
  'qcom/apq8096-db820c.dts',
  'qcom/sm8650-hdk.dts',
  'rockchip/rk3588-rock-5b.dts',
  'rockchip/rk3399-gru-kevin.dts',
  'rockchip/rk3568-evb1-v10.dts',
  'freescale/imx8mp-evk.dts',
  'freescale/imx8mm-venice-gw7901.dts',
  'freescale/fsl-ls1028a-rdb.dts',
  'freescale/imx93-11x11-evk.dts',
  'mediatek/mt8183-kukui-jacuzzi-juniper-sku16.dts',
  'mediatek/mt8195-cherry-tomato-r2.dts',
  'nvidia/tegra194-p2972-0000.dts',
  'nvidia/tegra234-p3737-0000+p3701-0000.dts',
  'ti/k3-am625-sk.dts',
  'ti/k3-j721e-common-proc-board.dts',
  'renesas/r8a779f0-spider.dts',
  'renesas/r9a07g044l2-smarc.dts',
  'amlogic/meson-g12b-odroid-n2.dts',
  'amlogic/meson-sm1-odroid-c4.dts',
  'allwinner/sun50i-h6-pine-h64.dts',
  'allwinner/sun50i-a64-pinebook.dts',
  'broadcom/bcm2711-rpi-4-b.dts',
  'exynos/exynos850-e850-96.dts',
  'hisilicon/hi3660-hikey960.dts',
  'marvell/armada-8040-mcbin.dts',
  'xilinx/zynqmp-zcu102-rev1.0.dts',
  'arm/juno-r2.dts',
  'apple/t8103-j274.dts',
  'microchip/sparx5_pcb134.dts',
  'sprd/ums512-1h10.dts',
];

test('built-in preprocessor matches cpp on sampled kernel boards', (t) => {
  const skip = skipUnless({ corpus: true, cpp: true });
  if (skip) return t.skip(skip);
  const root = linuxDtDir()!;
  const files = SAMPLE.map((f) => `src/arm64/${f}`).filter((f) => fs.existsSync(path.join(root, f)));
  assert.ok(files.length >= 30, `expected most sample boards to exist, found ${files.length}`);
  const cache = createPreprocessCache();
  const failures: string[] = [];
  for (const f of files) {
    const r = compareFile(f, root, cache);
    if (!r.identical) failures.push(`${f}: ${r.detail}`);
  }
  assert.deepEqual(failures, []);
});
