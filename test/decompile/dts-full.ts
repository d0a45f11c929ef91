// DTS -> DTS: dtkit's compile (markers from the parser) printed with printDts, against
// `dtc -I dts -O dts` on the same input. Exercises the marker-driven printing (labels in
// values, typed runs, references) end to end with the parser.
//   node dist/test/decompile/dts-full.js --run [--vendor qcom] [--limit N]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { printDts } from '../../src/dts/print.js';
import { corpusDir, linuxDtDir } from '../support/corpus.js';
import { kernelSources, sample } from '../fdt/corpus-dtbs.js';

interface Outcome { same: number; compared: number; dtcRefused: number; differ: string[] }

function dtcDts(file: string, cwd: string, dirs: string[]): string | undefined {
  try {
    return execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dts', '-b', '0', ...dirs.flatMap((d) => ['-i', d]), file], {
      cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28, timeout: 20000,
    });
  } catch {
    return undefined;
  }
}

function compare(o: Outcome, name: string, expected: string | undefined, actual: () => string | undefined): void {
  if (expected === undefined) {
    o.dtcRefused++;
    return;
  }
  o.compared++;
  const text = actual();
  if (text === expected) o.same++;
  else o.differ.push(`${name}: ${text === undefined ? 'dtkit rejected it' : 'text differs'}`);
}

function dtcTests(): Outcome {
  const o: Outcome = { same: 0, compared: 0, dtcRefused: 0, differ: [] };
  const c = corpusDir();
  const dir = c && path.join(c, 'dtc-tests');
  if (!dir || !fs.existsSync(dir)) return o;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.dts')).sort()) {
    if (f === 'phandle-args-overflow.dts' || f.startsWith('bad-graph')) continue; // dtc 1.6.1 hangs/crashes
    const file = path.join(dir, f);
    compare(o, f, dtcDts(file, dir, [dir]), () => {
      const r = compileFile(file, { cpp: false, includeDirs: [dir], bootCpuid: 0 });
      return r.ok && r.tree ? printDts(r.tree) : undefined;
    });
  }
  return o;
}

function kernel(vendor: string | undefined, limit: number): Outcome {
  const o: Outcome = { same: 0, compared: 0, dtcRefused: 0, differ: [] };
  const root = linuxDtDir();
  if (!root) return o;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-dts-full-'));
  try {
    for (const src of sample([...kernelSources({ vendor }), ...kernelSources({ vendor, overlays: true })], limit)) {
      const vendorDir = path.dirname(src), arch = path.dirname(vendorDir);
      const pre = path.join(tmp, 'board.dts');
      try {
        execFileSync('cpp', ['-nostdinc', '-I', 'include', '-I', arch, '-I', 'src', '-undef', '-D__DTS__',
          '-x', 'assembler-with-cpp', '-o', pre, src], { cwd: root, stdio: 'ignore' });
      } catch {
        continue;
      }
      compare(o, path.basename(src), dtcDts(pre, root, [vendorDir, arch]), () => {
        const r = compileFile(src, { includeDirs: [path.join(root, 'include'), arch, path.join(root, 'src'), vendorDir], bootCpuid: 0 });
        // (no -@ on either side: dtc -O dts of a plugin still adds __fixups__ and __local_fixups__)
        return r.ok && r.tree ? printDts(r.tree) : undefined;
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return o;
}

function main(): void {
  const argv = process.argv.slice(2);
  if (!argv.includes('--run')) return;
  const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const report = (what: string, o: Outcome) => {
    for (const d of o.differ) console.log(`DIFF ${d}`);
    console.log(`${what}: ${o.same}/${o.compared} identical (${o.dtcRefused} inputs dtc refused)`);
  };
  report('dts->dts dtc-tests', dtcTests());
  report(`dts->dts kernel ${opt('--vendor') ?? 'arm64'}`, kernel(opt('--vendor'), Number(opt('--limit') ?? 1e9)));
}

main();
