// dtc's own test inputs (corpus/dtc-tests): must-compile inputs must give the golden
// dtc 1.8.1 DTB byte for byte; must-fail inputs must be rejected with a located error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import { writeFdt } from '../../src/fdt/writer.js';
import { renderText } from '../../src/report/render.js';

export interface DtcTestOutcome {
  file: string;
  category: string;
  verdict: 'identical' | 'differs' | 'rejected' | 'accepted' | 'rejected-located' | 'rejected-unlocated' | 'compiled-no-golden';
  detail?: string;
}

export interface DtcTestEntry {
  file: string;
  category: string;
  /** dtc 1.8.1's exit code with default flags */
  rc: string;
}

export function readExpectations(dir: string): DtcTestEntry[] {
  const lines = fs.readFileSync(path.join(dir, 'expectations.tsv'), 'utf8').split('\n').slice(1);
  return lines.filter((l) => l.trim()).map((l) => {
    const [file, category, , , rc] = l.split('\t');
    return { file, category, rc };
  });
}

export function runDtcTest(dir: string, e: DtcTestEntry): DtcTestOutcome {
  const r = compileFile(path.join(dir, e.file), { cpp: false, includeDirs: [] });
  const dtb = r.ok && r.tree ? writeFdt(r.tree) : undefined;
  const firstError = r.diagnostics.find((d) => d.severity === 'error');
  const golden = path.join(dir, 'golden-dtc-1.8.1', e.file.replace(/\.dts$/, '.dtb'));
  if (e.category === 'must-fail' || (!fs.existsSync(golden) && e.rc !== '0')) {
    if (dtb) return { file: e.file, category: e.category, verdict: 'accepted' };
    return {
      file: e.file,
      category: e.category,
      verdict: firstError?.span ? 'rejected-located' : 'rejected-unlocated',
      detail: firstError ? renderText(firstError).split('\n')[0] : undefined,
    };
  }
  if (!dtb) return { file: e.file, category: e.category, verdict: 'rejected', detail: firstError ? renderText(firstError).split('\n')[0] : undefined };
  if (!fs.existsSync(golden)) return { file: e.file, category: e.category, verdict: 'compiled-no-golden' };
  const want = fs.readFileSync(golden);
  const same = want.length === dtb.length && want.every((b, i) => b === dtb[i]);
  return same
    ? { file: e.file, category: e.category, verdict: 'identical' }
    : { file: e.file, category: e.category, verdict: 'differs', detail: `sizes ${dtb.length} vs golden ${want.length}` };
}
