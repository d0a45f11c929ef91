// Full-corpus check of the built-in preprocessor against GCC's cpp: every board .dts under
// linux-dt/src/arm64 (run: node <outDir>/test/preprocessor/corpus-compare.js [--overlays] [filter];
// --overlays adds the .dtso files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPreprocessCache } from '../../src/preprocessor/index.js';
import { linuxDtDir } from '../support/corpus.js';
import { compareWords, runGcc, runOurs } from './gcc-compare.js';

/** Every .dts (and with `overlays`, .dtso) under root, as src/arm64/... paths. */
export function boardFiles(root: string, overlays = false): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.dts') || (overlays && e.name.endsWith('.dtso'))) out.push(`src/arm64/${rel}`);
    }
  };
  walk('');
  return out.sort();
}

function main(): void {
  const root = linuxDtDir();
  if (!root) {
    console.log('corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT)');
    return;
  }
  const args = process.argv.slice(2);
  const overlays = args.includes('--overlays');
  const filter = args.find((a) => !a.startsWith('--'));
  const files = boardFiles(path.join(root, 'src/arm64'), overlays).filter((f) => !filter || f.includes(filter));
  const cache = createPreprocessCache();
  let identical = 0;
  let oursMs = 0;
  let gccMs = 0;
  const failures: string[] = [];
  for (const f of files) {
    let t = performance.now();
    const gcc = runGcc(f, root);
    gccMs += performance.now() - t;
    t = performance.now();
    const ours = runOurs(f, root, cache);
    oursMs += performance.now() - t;
    let detail: string | undefined;
    if (!gcc.ok !== ours.errors.length > 0) detail = gcc.ok ? `we reported: ${ours.errors.slice(0, 2).join('; ')}` : `gcc failed: ${gcc.stderr.slice(0, 200)}`;
    else detail = compareWords(gcc.text, ours.text).detail;
    if (detail === undefined) identical++;
    else failures.push(`${f}: ${detail}`);
  }
  for (const l of failures.slice(0, 50)) console.log(l);
  console.log(`${identical}/${files.length} identical`);
  console.log(`time: ours ${(oursMs / 1000).toFixed(1)} s, cpp ${(gccMs / 1000).toFixed(1)} s`);
  process.exitCode = identical === files.length ? 0 : 1;
}

// Run only as a script: `node --test` also loads every .js under test/ (NODE_TEST_CONTEXT set).
if (process.argv[1]?.endsWith('corpus-compare.js') && !process.env.NODE_TEST_CONTEXT) main();
