// What is wrong with a path the user typed, said about that path: never a raw ENOENT or
// EISDIR, never the name of a temporary file.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The name standard input goes by on the command line, and in findings. */
export const STDIN_ARG = '-';
export const STDIN_NAME = '<stdin>';

/** How to show a path in a message: as typed, quoted. */
export function quoted(file: string): string {
  return `'${file}'`;
}

/** Why `file` cannot be read as an input ("no such file", "it is a folder", ...). */
export function unreadableReason(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES') return 'permission denied';
    if (code === 'ENOTDIR') return `${quoted(firstNonFolder(file) ?? path.dirname(file))} is not a folder`;
    if (code === 'ELOOP') return 'too many levels of symbolic links';
    const dir = path.dirname(file);
    if (code === 'ENOENT' && dir !== '.' && !fs.existsSync(dir)) return `no such folder ${quoted(dir)}`;
    return 'no such file';
  }
  if (st.isDirectory()) return 'it is a folder, not a file';
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return 'permission denied';
  }
  return 'it cannot be read';
}

/** The first component of `file` that exists and is not a folder. */
function firstNonFolder(file: string): string | undefined {
  const parts = path.normalize(file).split(path.sep);
  for (let i = 1; i < parts.length; i++) {
    const p = parts.slice(0, i).join(path.sep) || path.sep;
    try {
      if (!fs.statSync(p).isDirectory()) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * What makes `file` impossible to write, known before any work is done: an empty name, a
 * folder in its place, a missing or non-folder parent. Undefined when it looks writable
 * (the write itself may still fail; its reason comes from the writer).
 */
export function outputPathProblem(file: string): string | undefined {
  if (file === '') return 'the file name is empty';
  try {
    if (fs.statSync(file).isDirectory()) return `${quoted(file)} is a folder`;
    return undefined;
  } catch {
    // does not exist yet: its folder must
  }
  const dir = path.dirname(file);
  try {
    if (!fs.statSync(dir).isDirectory()) return `${quoted(dir)} is not a folder`;
  } catch {
    return `no such folder ${quoted(dir)}`;
  }
  return undefined;
}

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EBADF: 'it is closed',
  EFBIG: 'the file is too large',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file of that name is in the way',
  ENOTDIR: 'a file is in the way of its folder',
};

/** What went wrong with a write, in words: no errno code, no (temporary) file name. */
export function writeFailure(e: NodeJS.ErrnoException): string {
  return (e.code && WRITE_FAILURES[e.code]) ?? e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '');
}
