// Full round trip: every corpus blob through readFdt + writeFdt, compared byte for byte.
//   node dist/test/fdt/roundtrip-full.js --run [--vendor qcom] [--arch arm64] [--jobs N] [--verbose]
import * as fs from 'node:fs';
import { readFdt } from '../../src/fdt/reader.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { allCorpusBlobs, parseFullRunArgs, shortName } from './full-run.js';

async function main(): Promise<void> {
  const args = parseFullRunArgs(process.argv.slice(2));
  if (!args.run) return;
  const { blobs, unbuildable } = await allCorpusBlobs(args);
  let same = 0, readMs = 0, writeMs = 0;
  const differ: string[] = [];
  for (const f of blobs) {
    const bytes = new Uint8Array(fs.readFileSync(f));
    let t = performance.now();
    const r = readFdt(bytes, f);
    readMs += performance.now() - t;
    if (!r.tree) {
      differ.push(`${shortName(f)}: ${r.diagnostics[0]?.message}`);
      continue;
    }
    t = performance.now();
    const again = writeFdt(r.tree);
    writeMs += performance.now() - t;
    if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) === 0) same++;
    else differ.push(`${shortName(f)}: rewritten blob differs`);
  }
  for (const d of differ) console.log(`DIFF ${d}`);
  if (args.verbose) for (const u of unbuildable) console.log(`UNBUILDABLE ${u}`);
  console.log(`round trip: ${same}/${blobs.length} identical (${unbuildable.length} sources dtc/cpp rejected); ` +
    `read ${(readMs / Math.max(1, blobs.length)).toFixed(2)} ms, write ${(writeMs / Math.max(1, blobs.length)).toFixed(2)} ms per blob`);
  process.exitCode = differ.length ? 1 : 0;
}

void main();
