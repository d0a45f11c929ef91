// Full decompile comparison: dtkit's printDts(readFdt(x)) against `dtc -I dtb -O dts x`
// for every corpus blob dtc 1.6.1 can decompile.
//   node dist/test/decompile/decompile-full.js --run [--vendor qcom] [--arch arm64] [--jobs N] [--verbose]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFdt } from '../../src/fdt/reader.js';
import { printDts } from '../../src/dts/print.js';
import { DTC_161_CANNOT_READ, dtcDecompile } from '../fdt/corpus-dtbs.js';
import { allCorpusBlobs, parseFullRunArgs, shortName } from '../fdt/full-run.js';

async function main(): Promise<void> {
  const args = parseFullRunArgs(process.argv.slice(2));
  if (!args.run) return;
  const { blobs: all } = await allCorpusBlobs(args);
  const blobs = all.filter((f) => !DTC_161_CANNOT_READ.has(path.basename(f)));
  let same = 0, dtcFailed = 0, printMs = 0;
  const differ: string[] = [];
  for (const f of blobs) {
    const expected = dtcDecompile(f);
    if (expected === undefined) {
      dtcFailed++;
      continue;
    }
    const r = readFdt(new Uint8Array(fs.readFileSync(f)), f);
    if (!r.tree) {
      differ.push(`${shortName(f)}: ${r.diagnostics[0]?.message}`);
      continue;
    }
    const t = performance.now();
    const text = printDts(r.tree);
    printMs += performance.now() - t;
    if (text === expected) same++;
    else differ.push(`${shortName(f)}: text differs`);
  }
  for (const d of differ) console.log(`DIFF ${d}`);
  const compared = blobs.length - dtcFailed;
  console.log(`decompile: ${same}/${compared} identical (${all.length - blobs.length} blobs dtc 1.6.1 crashes on, ` +
    `${dtcFailed} it refused); print ${(printMs / Math.max(1, compared)).toFixed(2)} ms per blob`);
  process.exitCode = differ.length ? 1 : 0;
}

void main();
