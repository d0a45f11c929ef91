// The file system as the stages see it: passed in a context, never imported globally,
// so tests can use an in-memory host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { latin1String } from './tree/value.js';

export interface Host {
  /** Bytes of a file, or undefined when it cannot be read. */
  readFile(file: string): Uint8Array | undefined;
  isFile(file: string): boolean;
}

export const nodeHost: Host = {
  readFile(file) {
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
  isFile(file) {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/** In-memory host for tests: paths are normalised with path.posix. */
export function memoryHost(files: Record<string, string | Uint8Array>): Host {
  const m = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(files)) {
    m.set(path.posix.normalize(k), typeof v === 'string' ? new TextEncoder().encode(v) : v);
  }
  return {
    readFile: (f) => m.get(path.posix.normalize(f)),
    isFile: (f) => m.has(path.posix.normalize(f)),
  };
}

export function readText(host: Host, file: string): string | undefined {
  const b = host.readFile(file);
  return b === undefined ? undefined : latin1String(b);
}
