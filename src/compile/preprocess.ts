// Adapter from the preprocessor's output to what the DTS lexer reads.
// TEMPORARY: runs the system cpp until src/preprocessor/index.ts lands (then this calls
// the built-in preprocess()).
import { spawnSync } from 'node:child_process';
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { LexSource } from '../dts/source.js';
import { rawSource } from '../dts/source.js';

export interface PreprocessSourceOptions {
  host: Host;
  includeDirs: string[];
  defines?: string[];
  undefines?: string[];
}

export interface PreprocessedSource {
  source?: LexSource;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export function preprocessSource(file: string, opts: PreprocessSourceOptions): PreprocessedSource {
  const args = ['-nostdinc', ...opts.includeDirs.flatMap((d) => ['-I', d]), '-undef', '-D__DTS__', '-x', 'assembler-with-cpp'];
  for (const d of opts.defines ?? []) args.push(`-D${d}`);
  for (const u of opts.undefines ?? []) args.push(`-U${u}`);
  const r = spawnSync('cpp', [...args, file], { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.status !== 0) return { diagnostics: [{ rule: 'preprocessor', severity: 'error', message: r.stderr.trim(), file }], sources: new Map() };
  const text = r.stdout;
  return { source: rawSource(file, text), diagnostics: [], sources: new Map() };
}
