// Output files are written whole or not at all, and writing one never harms what the
// name points at:
//  - a character or block device or a FIFO is written through, as dtc does (`-o /dev/null`
//    stays a device); these go first, since no write to them can be taken back;
//  - a symlink is followed and its target replaced atomically in the target's own folder
//    (the link stays a link);
//  - a file that exists keeps its mode and owner;
//  - each regular output is staged in a temp file created with O_EXCL under a random name
//    beside its target (a symlink planted at a guessable name receives nothing), and only
//    when every one is staged are they renamed over their targets; if a rename fails, the
//    ones already renamed are put back from hard-link backups;
//  - SIGINT/SIGTERM/SIGHUP during the write is held until the temps are renamed or removed,
//    then the process ends by that signal as it would have.
// A failure comes back as a sentence about the path the user gave, never a temp name or
// an errno code.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OutputFile {
  file: string;
  data: Uint8Array | string;
}

/** Writes every file atomically; returns why it could not (nothing is left behind). */
export function writeFilesAtomically(files: OutputFile[]): string | undefined {
  return writeOutputs(files);
}

export function writeFileAtomically(file: string, data: Uint8Array | string): string | undefined {
  return writeFilesAtomically([{ file, data }]);
}

/** The file-system calls the commit step makes (tests replace them to make one fail). */
export interface CommitFs {
  renameSync(from: string, to: string): void;
}

interface Output {
  /** as the user gave it */
  file: string;
  data: Uint8Array | string;
  /** `file` with symlinks followed */
  target: string;
  /** written through (device, FIFO) rather than replaced */
  through: boolean;
  /** the existing regular file being replaced */
  old?: fs.Stats;
  tmp?: string;
  backup?: string;
  renamed?: boolean;
}

const MAX_SYMLINKS = 40;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** What went wrong, said about the path the user gave (`file`, named when there are several). */
class OutputError extends Error {
  constructor(readonly file: string | undefined, message: string) {
    super(message);
  }
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? '';
}

/** The OS's description of an error without its code or the path it names. */
function osText(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  return m.replace(/^[A-Z][A-Z0-9_]*: /, '').replace(/, [a-z_]+(?: '.*')?$/, '');
}

/** A reason for an error met while writing `file` (`dir`: the folder the file is made in). */
function reason(e: unknown, dir: string, doing: 'create' | 'write' | 'replace'): string {
  switch (errno(e)) {
    case 'ENOENT':
      return `the folder '${dir}' does not exist`;
    case 'ENOTDIR':
      return `a part of the path is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return doing === 'write' ? 'permission denied' : `no permission to create files in '${dir}'`;
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'EPIPE':
      return 'the reader closed it';
    case 'EXDEV':
      return 'it is on another file system than its temporary file';
    default:
      return osText(e);
  }
}

/** `file` with symlinks followed to the name that is (or will be) the real file. */
function followLinks(file: string): { target: string; stat?: fs.Stats } {
  let target = file;
  for (let hops = 0; ; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(target);
    } catch (e) {
      if (errno(e) === 'ENOENT') return { target };
      throw new OutputError(file, reason(e, path.dirname(target), 'create'));
    }
    if (!st.isSymbolicLink()) return { target, stat: st };
    if (hops >= MAX_SYMLINKS) throw new OutputError(file, 'too many levels of symbolic links');
    target = path.resolve(path.dirname(target), fs.readlinkSync(target));
  }
}

/** A file that exists may be replaced only by someone who may write it (as dtc's fopen). */
function writable(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function plan(files: OutputFile[]): Output[] {
  const outs: Output[] = [];
  const seen = new Map<string, string>();
  for (const { file, data } of files) {
    if (file === '') throw new OutputError(undefined, 'the output file name is empty');
    const { target, stat } = followLinks(file);
    if (stat?.isDirectory()) throw new OutputError(file, 'it is a directory');
    if (stat?.isSocket()) throw new OutputError(file, 'it is a socket');
    const through = !!stat && !stat.isFile();
    if (stat && !through && !writable(target)) throw new OutputError(file, 'permission denied (the file is read-only)');
    const key = path.resolve(target);
    const other = seen.get(key);
    if (other !== undefined) throw new OutputError(undefined, `'${other}' and '${file}' are the same file`);
    seen.set(key, file);
    outs.push({ file, data, target, through, old: stat && !through ? stat : undefined });
  }
  return outs;
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data) : data;
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
}

/** A device or FIFO: opened for writing (no create, no truncate) and written through. */
function writeThrough(o: Output): void {
  let fd: number;
  try {
    fd = fs.openSync(o.target, fs.constants.O_WRONLY);
  } catch (e) {
    throw new OutputError(o.file, reason(e, path.dirname(o.target), 'write'));
  }
  try {
    writeAll(fd, bytesOf(o.data));
  } catch (e) {
    throw new OutputError(o.file, reason(e, path.dirname(o.target), 'write'));
  } finally {
    fs.closeSync(fd);
  }
}

/** 48 random bits as 12 hex digits. Math.random, not crypto: the name only has to be
 *  unlikely to be taken (O_EXCL makes the create safe whatever the name, and a taken name
 *  is retried), and loading node:crypto cost a one-file `apply` ~3% of its run. */
function randomHex(): string {
  const part = () => Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0');
  return part() + part();
}

function randomName(target: string, ext: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomHex()}.${ext}`);
}

/** Creates a file that did not exist (O_EXCL: never through a planted symlink). */
function createExclusive(target: string, ext: string, mode: number): { name: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const name = randomName(target, ext);
    try {
      const fd = fs.openSync(name, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
      return { name, fd };
    } catch (e) {
      if (errno(e) !== 'EEXIST' || attempt >= 8) throw e;
    }
  }
}

/** Writes the temp file for a regular output, with the old file's mode and owner. */
function stage(o: Output): void {
  const mode = o.old ? o.old.mode & 0o7777 : 0o666;
  let created: { name: string; fd: number };
  try {
    created = createExclusive(o.target, 'tmp', mode & 0o777);
  } catch (e) {
    const why = reason(e, path.dirname(o.target), 'create');
    throw new OutputError(o.file, o.target === o.file ? why : `it links to '${o.target}': ${why}`);
  }
  o.tmp = created.name;
  const fd = created.fd;
  try {
    writeAll(fd, bytesOf(o.data));
    if (o.old) {
      let keep = mode;
      if (o.old.uid !== process.getuid?.() || o.old.gid !== process.getgid?.()) {
        try {
          fs.fchownSync(fd, o.old.uid, o.old.gid);
        } catch {
          // not ours to give away: keep the mode, minus set-id bits on a file we now own
          keep &= ~0o6000;
        }
      }
      fs.fchmodSync(fd, keep);
    }
  } catch (e) {
    throw new OutputError(o.file, reason(e, path.dirname(o.target), 'write'));
  } finally {
    fs.closeSync(fd);
  }
}

/** A hard link to the file being replaced (cheap, same folder), to put it back if needed. */
function backUp(o: Output): void {
  if (!o.old) return;
  const name = randomName(o.target, 'bak');
  try {
    fs.linkSync(o.target, name);
    o.backup = name;
  } catch {
    try {
      fs.copyFileSync(o.target, name, fs.constants.COPYFILE_EXCL);
      o.backup = name;
    } catch {
      // no backup possible: this output cannot be rolled back, but is still atomic
    }
  }
}

function quietly(f: () => void): void {
  try {
    f();
  } catch {
    // cleanup of our own temporaries: nothing to report
  }
}

/** Removes temps and backups, and (rollback) puts renamed outputs back. */
function cleanUp(outs: Output[], rollback: boolean): void {
  for (let i = outs.length - 1; i >= 0; i--) {
    const o = outs[i];
    if (rollback && o.renamed) {
      if (o.backup) quietly(() => fs.renameSync(o.backup!, o.target));
      else if (!o.old) quietly(() => fs.unlinkSync(o.target));
      o.backup = undefined;
    }
    if (o.tmp && !o.renamed) quietly(() => fs.unlinkSync(o.tmp!));
    if (o.backup) quietly(() => fs.unlinkSync(o.backup!));
    o.tmp = undefined;
    o.backup = undefined;
  }
}

/** Holds SIGINT/SIGTERM/SIGHUP until the write is over (temps renamed or removed), then
 *  ends the process by that signal, as it would have ended without the hold. */
function holdSignals(outs: Output[]): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    // temps and backups only: what was renamed is a finished output, whole
    cleanUp(outs, false);
    for (const s of SIGNALS) process.removeListener(s, handler);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
  // a signal that came in during the (synchronous) write is delivered when the event loop
  // next polls; the write may itself have run in a poll callback, whose check phase comes
  // first, so keep the handler through the check phase of the following turn
  return () => setImmediate(() => setImmediate(() => {
    for (const s of SIGNALS) process.removeListener(s, handler);
  }));
}

/** The whole write; `commitFs` is for tests that make a rename fail. */
export function writeOutputs(files: OutputFile[], commitFs: CommitFs = fs): string | undefined {
  const say = (e: OutputError): string => (e.file !== undefined && files.length > 1 ? `'${e.file}': ${e.message}` : e.message);
  let outs: Output[];
  try {
    outs = plan(files);
    // devices and FIFOs first: nothing written to them can be taken back, so a failure
    // there leaves every regular output untouched
    for (const o of outs) if (o.through) writeThrough(o);
  } catch (e) {
    if (e instanceof OutputError) return say(e);
    throw e;
  }
  const regular = outs.filter((o) => !o.through);
  if (regular.length === 0) return undefined;
  const release = holdSignals(regular);
  try {
    for (const o of regular) stage(o);
    for (const o of regular) backUp(o);
    for (const o of regular) {
      try {
        commitFs.renameSync(o.tmp!, o.target);
      } catch (e) {
        throw new OutputError(o.file, `cannot replace it: ${reason(e, path.dirname(o.target), 'replace')}`);
      }
      o.renamed = true;
    }
    cleanUp(regular, false);
    return undefined;
  } catch (e) {
    cleanUp(regular, true);
    if (e instanceof OutputError) return say(e);
    return osText(e);
  } finally {
    release();
  }
}
