// Where the real-world corpus and the oracle tools are. Corpus tests call these and skip,
// saying why, when either is absent, so `npm test` passes on a fresh clone elsewhere.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (works from src and from dist). */
export const projectRoot = (() => {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let d = start; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return process.cwd();
  }
})();

/** The corpus folder: $DTKIT_CORPUS, else ../shared/corpus beside the project. */
export function corpusDir(): string | undefined {
  const d = process.env.DTKIT_CORPUS ?? path.resolve(projectRoot, '..', 'shared', 'corpus');
  return fs.existsSync(d) ? d : undefined;
}

/** The kernel device-tree tree ($DTKIT_LINUX_DT, else <corpus>/linux-dt). */
export function linuxDtDir(): string | undefined {
  const env = process.env.DTKIT_LINUX_DT;
  if (env) return fs.existsSync(env) ? env : undefined;
  const c = corpusDir();
  const d = c && path.join(c, 'linux-dt');
  return d && fs.existsSync(d) ? d : undefined;
}

function hasTool(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const hasDtc = (): boolean => hasTool('dtc', ['--version']);
export const hasFdtoverlay = (): boolean => hasTool('fdtoverlay', ['--help']) || hasTool('which', ['fdtoverlay']);
export const hasCpp = (): boolean => hasTool('cpp', ['--version']);

/** Reason to skip a corpus/oracle test, or false when everything is there. */
export function skipUnless(opts: { corpus?: boolean; dtc?: boolean; cpp?: boolean; fdtoverlay?: boolean }): string | false {
  if (opts.corpus && !linuxDtDir()) return 'corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT)';
  if (opts.dtc && !hasDtc()) return 'dtc not installed (apt-get install device-tree-compiler)';
  if (opts.fdtoverlay && !hasFdtoverlay()) return 'fdtoverlay not installed (apt-get install device-tree-compiler)';
  if (opts.cpp && !hasCpp()) return 'cpp not installed';
  return false;
}
