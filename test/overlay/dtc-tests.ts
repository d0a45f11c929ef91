// dtc's own overlay test inputs (corpus dtc-tests/): the bases and /plugin/ overlays its
// suite feeds to fdtoverlay and the libfdt overlay test, built with dtc -@ as it does.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from '../support/corpus.js';
import { cacheDir } from './oracle.js';

export const DTC_TEST_BASES = ['overlay_base', 'overlay_base_manual_symbols', 'overlay_base_phandle', 'stacked_overlay_base', 'stacked_overlay_base_nolabel'];

export function dtcTestsDir(): string | undefined {
  const c = corpusDir();
  const d = c && path.join(c, 'dtc-tests');
  return d && fs.existsSync(d) ? d : undefined;
}

/** Names (without .dts) of the /plugin/ sources. */
export function dtcTestsOverlays(): string[] {
  const dir = dtcTestsDir();
  if (!dir) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.dts') && fs.readFileSync(path.join(dir, f), 'latin1').includes('/plugin/'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** dtc -@ -I dts -O dtb of dtc-tests/<name>.dts (cached), or undefined when dtc refuses. */
export function dtcTestsBlob(name: string): Uint8Array | undefined {
  const dir = dtcTestsDir();
  if (!dir) return undefined;
  const out = path.join(cacheDir(), `dtc-tests__${name}.sym.dtb`);
  if (fs.existsSync(out)) return fs.readFileSync(out);
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync('dtc', ['-@', '-I', 'dts', '-O', 'dtb', '-o', tmp, `${name}.dts`], { cwd: dir });
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    return undefined;
  }
  fs.renameSync(tmp, out);
  return fs.readFileSync(out);
}
