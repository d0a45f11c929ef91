// Full overlay conformance counts (slow; not part of `npm test`):
//   node dist/test/overlay/full-corpus.js [composites] [dtso] [bases] [boards] [dtc-tests]
// composites: every kernel Qualcomm composite, dtkit apply vs fdtoverlay on dtc -@ inputs
// dtso:       every .dtso under src/arm64, dtkit compile vs dtc -@
// bases:      every composite base, dtkit compile -@ vs dtc -@
// boards:     every .dts board under src/arm64, dtkit compile -@ vs dtc -@
// dtc-tests:  dtc's own overlay inputs, every base x overlay pair, dtkit apply vs fdtoverlay
// dtc-tests-compile: the same inputs, dtkit compile -@ vs dtc -@ (fixup-ref-to-path differs
//             by design: dtc 1.6.1 writes an unusable fixup, dtkit refuses like dtc 1.8.1)
// Prints "N/M identical" per mode and the first differences; exit 1 on any difference.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyOverlays } from '../../src/overlay/apply/apply.js';
import { corpusDir, linuxDtDir, skipUnless } from '../support/corpus.js';
import { checkComposite, dtcBuild, dtkitBuild, fdtoverlayApply, qcomComposites, qcomSource, sameBytes } from './oracle.js';
import { compileFile } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { dtcTestsBlob, DTC_TEST_BASES, dtcTestsDir, dtcTestsOverlays } from './dtc-tests.js';

interface Tally {
  name: string;
  same: number;
  total: number;
  differences: string[];
}

function tally(name: string, items: string[], check: (item: string) => string | undefined): Tally {
  const t: Tally = { name, same: 0, total: 0, differences: [] };
  for (const item of items) {
    t.total++;
    const why = check(item);
    if (why === undefined) t.same++;
    else t.differences.push(`${item}: ${why}`);
    if (t.total % 100 === 0) process.stderr.write(`${name}: ${t.total}/${items.length}\n`);
  }
  return t;
}

function compileCheck(src: string): string | undefined {
  const ref = dtcBuild(src, { symbols: true });
  const mine = dtkitBuild(src, { symbols: true });
  if (!ref) return mine ? 'dtc refuses, dtkit compiles' : undefined;
  if (!mine) return 'dtkit refuses';
  return sameBytes(ref, mine) ? undefined : 'bytes differ';
}

function sourcesUnder(dir: string, ext: string): string[] {
  const linux = linuxDtDir()!;
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(linux, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith(ext)) out.push(r);
    }
  };
  walk(dir);
  return out.sort();
}

const MODES: Record<string, () => Tally> = {
  composites: () => {
    const byTarget = new Map(qcomComposites().map((c) => [c.target, c]));
    return tally('composites (dtkit apply vs fdtoverlay)', [...byTarget.keys()], (t) => {
      const o = checkComposite(byTarget.get(t)!);
      return o.identical ? undefined : o.detail;
    });
  },
  dtso: () => tally('.dtso (dtkit compile vs dtc -@)', sourcesUnder('src/arm64', '.dtso'), compileCheck),
  bases: () => tally('composite bases (dtkit compile -@ vs dtc -@)', [...new Set(qcomComposites().map((c) => qcomSource(c.base)))], compileCheck),
  boards: () => tally('boards (dtkit compile -@ vs dtc -@)', sourcesUnder('src/arm64', '.dts'), compileCheck),
  'dtc-tests': () => {
    const pairs = DTC_TEST_BASES.flatMap((b) => dtcTestsOverlays().map((o) => `${b}+${o}`));
    return tally('dtc-tests pairs (dtkit apply vs fdtoverlay, failures must agree)', pairs, (pair) => {
      const [b, o] = pair.split('+');
      const base = dtcTestsBlob(b), ov = dtcTestsBlob(o);
      if (!base || !ov) return 'dtc could not build an input';
      const ref = fdtoverlayApply(base, [ov]);
      const mine = applyOverlays(base, [{ bytes: ov, file: `${o}.dtbo` }]);
      if (!ref) return mine.bytes ? 'fdtoverlay fails, dtkit applies' : undefined;
      if (!mine.bytes) return `dtkit fails: ${mine.diagnostics.map((d) => d.message).join('; ')}`;
      return sameBytes(ref, mine.bytes) ? undefined : 'bytes differ';
    });
  },
};

function dtcTestsCompile(): Tally {
  const dir = dtcTestsDir()!;
  return tally('dtc-tests overlay inputs (dtkit compile -@ vs dtc -@)', [...DTC_TEST_BASES, ...dtcTestsOverlays()], (name) => {
    const ref = dtcTestsBlob(name);
    const r = compileFile(path.join(dir, `${name}.dts`), { cpp: false, symbols: true, includeDirs: [dir] });
    const mine = r.ok && r.tree ? writeFdt(r.tree) : undefined;
    if (!ref) return mine ? 'dtc refuses, dtkit compiles' : undefined;
    if (!mine) return `dtkit refuses: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`;
    return sameBytes(ref, mine) ? undefined : 'bytes differ';
  });
}

MODES['dtc-tests-compile'] = dtcTestsCompile;

function main(): number {
  const skip = skipUnless({ corpus: true, dtc: true, cpp: true, fdtoverlay: true }) || (corpusDir() ? false : 'corpus not found');
  if (skip) {
    process.stderr.write(`full-corpus: skipped: ${skip}\n`);
    return 0;
  }
  const wanted = process.argv.slice(2);
  const modes = wanted.length ? wanted : ['composites', 'dtc-tests', 'dtso', 'bases'];
  let failed = false;
  for (const m of modes) {
    const run = MODES[m];
    if (!run) {
      process.stderr.write(`full-corpus: unknown mode ${m} (${Object.keys(MODES).join(', ')})\n`);
      return 2;
    }
    const t0 = Date.now();
    const t = run();
    failed ||= t.same !== t.total;
    process.stdout.write(`${t.name}: ${t.same}/${t.total} identical (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    for (const d of t.differences.slice(0, 50)) process.stdout.write(`  ${d}\n`);
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
