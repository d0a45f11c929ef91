// Compare the built-in preprocessor with GCC's cpp on one file, strictly enough for dtc:
// the sequences of whitespace-separated runs must be equal (same tokens, and whitespace
// between two characters in one output exactly where the other has it).
import { spawnSync } from 'node:child_process';
import { nodeHost } from '../../src/host.js';
import { preprocess } from '../../src/preprocessor/index.js';
import type { PreprocessCache } from '../../src/preprocessor/types.js';

/** The kernel's flags (run from the linux-dt folder). */
export const KERNEL_INCLUDE_DIRS = ['include', 'src/arm64', 'src'];

export function runGcc(file: string, cwd: string): { text: string; ok: boolean; stderr: string } {
  const args = ['-nostdinc', ...KERNEL_INCLUDE_DIRS.flatMap((d) => ['-I', d]), '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', file];
  const r = spawnSync('cpp', args, { cwd, encoding: 'latin1', maxBuffer: 1 << 30 });
  return { text: stripLineMarkers(r.stdout ?? ''), ok: r.status === 0, stderr: r.stderr ?? '' };
}

/** Drop GCC's `# N "file" flags` lines. */
export function stripLineMarkers(text: string): string {
  return text.replace(/^# \d+ "(?:[^"\\]|\\.)*"(?: \d)*$/gm, '');
}

/** Whitespace-separated runs; a `#` at column 0 is marked, since dtc reads `# N "file"`
 *  line markers only there. */
export function words(text: string): string[] {
  return text.replace(/^#/gm, '^#').match(/\S+/g) ?? [];
}

export interface Comparison {
  identical: boolean;
  /** human-readable first difference */
  detail?: string;
}

export function compareWords(gcc: string, ours: string): Comparison {
  const a = words(gcc);
  const b = words(ours);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return { identical: false, detail: `word ${i}: gcc ${JSON.stringify(a.slice(Math.max(0, i - 3), i + 4).join(' '))} vs ours ${JSON.stringify(b.slice(Math.max(0, i - 3), i + 4).join(' '))}` };
    }
  }
  if (a.length !== b.length) return { identical: false, detail: `gcc has ${a.length} words, ours ${b.length}; next: gcc ${JSON.stringify(a.slice(n, n + 5).join(' '))} ours ${JSON.stringify(b.slice(n, n + 5).join(' '))}` };
  return { identical: true };
}

function withCwd<T>(cwd: string, fn: () => T): T {
  const old = process.cwd();
  process.chdir(cwd);
  try {
    return fn();
  } finally {
    process.chdir(old);
  }
}

export function runOurs(file: string, cwd: string, cache?: PreprocessCache): { text: string; errors: string[] } {
  return withCwd(cwd, () => {
    const r = preprocess(file, { host: nodeHost, includeDirs: KERNEL_INCLUDE_DIRS, cache });
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column}: ${d.message}`);
    return { text: r.text, errors };
  });
}

export function compareFile(file: string, cwd: string, cache?: PreprocessCache): Comparison & { errors: string[] } {
  const gcc = runGcc(file, cwd);
  const ours = runOurs(file, cwd, cache);
  if (!gcc.ok && ours.errors.length === 0) return { identical: false, detail: `gcc failed, we did not: ${gcc.stderr.slice(0, 300)}`, errors: [] };
  if (gcc.ok && ours.errors.length) return { identical: false, detail: `we reported errors, gcc did not: ${ours.errors.slice(0, 3).join('; ')}`, errors: ours.errors };
  return { ...compareWords(gcc.text, ours.text), errors: ours.errors };
}
