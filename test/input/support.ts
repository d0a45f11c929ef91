// Helpers of the input-stage tests: folder trees laid out like the kernel's, written into
// fresh temporary folders, and runs of a function with another current folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix = 'dtkit-input-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Writes `files` (path -> text or bytes) under `root`, creating folders; '' makes a folder. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    if (content === '' && rel.endsWith('/')) {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** The marks of a devicetree-rebasing tree, plus `files`. */
export function rebasingTree(root: string, files: Record<string, string | Uint8Array> = {}): void {
  writeTree(root, { 'Bindings/': '', 'include/': '', 'src/': '', ...files });
}

/** The marks of a kernel tree, plus `files`. */
export function kernelTree(root: string, files: Record<string, string | Uint8Array> = {}): void {
  writeTree(root, { 'Documentation/devicetree/bindings/': '', 'include/': '', 'scripts/dtc/include-prefixes/': '', 'arch/': '', ...files });
}

/** `run` (asynchronous) with `dir` as the current folder until it settles. */
export async function inFolderAsync<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(before);
  }
}

export function inFolder<T>(dir: string, run: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return run();
  } finally {
    process.chdir(before);
  }
}
