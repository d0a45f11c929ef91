// What a command's input arguments stand for: a file is itself (whatever its name: the
// content decides what it is), a folder is every input file under it (recursively, sorted,
// hidden folders skipped, symbolic links to folders not followed, as find does), a glob (`*`, `?`, `[...]`, `{a,b}`, `**`) is what it matches,
// expanded here so that a quoted pattern works the same in every shell and in CI files.
// Each input once, in the order the arguments give them. `--shard I/N` then takes every
// N-th of them, so N shards together are exactly the whole run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STDIN_ARG, quoted } from './paths.js';

export interface ExpandedInput {
  input: string;
  /** the folder (or a glob's fixed part) it was found under: outputs mirror the path below it */
  base?: string;
}

export interface ExpandOptions {
  /** the file names a folder or glob yields (e.g. /\.dts$/) */
  accept: RegExp;
  /** what the accepted files are, for messages ("`.dts` or `.dtb`") */
  what: string;
}

export interface ExpandResult {
  inputs: ExpandedInput[];
  /** arguments that yield nothing (a usage error) */
  problems: string[];
}

const GLOB_CHARS = /[*?[{]/;

export function isGlob(arg: string): boolean {
  return GLOB_CHARS.test(arg);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every accepted file under `dir`, sorted by path (folders through symbolic links are not
 *  entered: a tree of links would be walked twice, or forever). */
function walk(dir: string, accept: RegExp): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, accept));
    else if (accept.test(e.name) && !(e.isSymbolicLink() && isDir(p))) out.push(p);
  }
  return out;
}

/** One glob segment as a regular expression (no `/` inside a segment). */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = seg.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${seg.slice(i + 1, close).split(',').map((alt) => segmentRegex(alt).source.slice(1, -1)).join('|')})`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The files and folders a glob matches, sorted; a leading `.` must be matched explicitly. */
function globMatches(pattern: string): { matches: string[]; base: string } {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift()!);
  const base = fixed.length ? (fixed.join('/') || '/') : '.';
  const out: string[] = [];
  const visit = (dir: string, rest: string[]): void => {
    if (rest.length === 0) {
      out.push(dir);
      return;
    }
    const [seg, ...more] = rest;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir === '' ? '.' : dir, { withFileTypes: true });
    } catch {
      return;
    }
    const join = (name: string) => (dir === '' ? name : path.join(dir, name));
    if (seg === '**') {
      visit(dir, more);
      for (const e of entries) if (!e.name.startsWith('.') && e.isDirectory()) visit(join(e.name), rest);
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      if (more.length && !(e.isDirectory() || (e.isSymbolicLink() && isDir(join(e.name))))) continue;
      visit(join(e.name), more);
    }
  };
  visit(fixed.length ? base : '', parts);
  return { matches: [...new Set(out)].sort(), base };
}

/**
 * The inputs the arguments stand for. An argument that names nothing and is no glob is kept
 * as it is (the input stage says what is wrong with that path); a folder or glob that yields
 * no input file is a problem.
 */
export function expandInputs(args: readonly string[], opts: ExpandOptions): ExpandResult {
  const inputs: ExpandedInput[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (input: string, base?: string) => {
    const key = input === STDIN_ARG ? input : path.resolve(input);
    if (seen.has(key)) return;
    seen.add(key);
    inputs.push(base === undefined ? { input } : { input, base });
  };
  for (const arg of args) {
    if (arg === STDIN_ARG || arg === '') {
      add(arg);
    } else if (isDir(arg)) {
      const files = walk(arg, opts.accept);
      if (files.length === 0) problems.push(`no ${opts.what} files in the folder ${quoted(arg)}`);
      for (const f of files) add(f, arg);
    } else if (!fs.existsSync(arg) && isGlob(arg)) {
      const { matches, base } = globMatches(arg);
      const files = matches.flatMap((m) => (isDir(m) ? walk(m, opts.accept) : [m]));
      if (files.length === 0) problems.push(`no input matches ${quoted(arg)}`);
      for (const f of files) add(f, base);
    } else {
      add(arg);
    }
  }
  return { inputs, problems };
}

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

/** `I/N` with 1 <= I <= N, or undefined when the text is not that. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]), count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** The inputs of one shard: every count-th, starting at the index-th. */
export function shardOf<T>(inputs: readonly T[], shard: Shard | undefined): T[] {
  return shard ? inputs.filter((_, i) => i % shard.count === shard.index - 1) : [...inputs];
}
