// The device-tree tree an input lives in, found by walking up from it, and the include
// folders and bindings the kernel's own build uses for it:
//   kernel (Linux source):   Documentation/devicetree/bindings, include/,
//                            scripts/dtc/include-prefixes, arch/ARCH/boot/dts/
//     cpp -I scripts/dtc/include-prefixes; dtc -i <board folder> -i scripts/dtc/include-prefixes
//   devicetree-rebasing:     Bindings/, include/, src/ARCH/
//     cpp -I include -I src/ARCH -I src; dtc -i <board folder> -i src/ARCH
// dtkit passes one folder list to both its preprocessor and its /include/ lookup, so the
// list is the cpp folders followed by the board folder (the dtc-only `-i`).
import * as fs from 'node:fs';
import * as path from 'node:path';

export type TreeKind = 'kernel' | 'rebasing';

export interface SourceTree {
  kind: TreeKind;
  /** the tree's top folder, written like the input path (relative stays relative) */
  root: string;
  /** ARCH when the input is under arch/ARCH/boot/dts or src/ARCH */
  arch?: string;
  /** include folders in the kernel build's order, without the board folder */
  includeDirs: string[];
  /** the tree's bindings folder */
  bindings: string;
}

/** What detection asks of the file system (tests may pass their own). */
export interface LayoutProbe {
  isDirectory(dir: string): boolean;
}

export const nodeProbe: LayoutProbe = {
  isDirectory(dir) {
    try {
      return fs.statSync(dir).isDirectory();
    } catch {
      return false;
    }
  },
};

const KERNEL_MARKS = ['Documentation/devicetree/bindings', 'include', 'scripts/dtc/include-prefixes', 'arch'];
const REBASING_MARKS = ['Bindings', 'include', 'src'];

/** The folder `dir` written in the style of `like` (absolute, or relative to the cwd). */
function styled(abs: string, absolute: boolean): string {
  if (absolute) return abs;
  const rel = path.relative(process.cwd(), abs);
  return rel === '' ? '.' : rel;
}

/**
 * The tree holding `file` (or, for standard input, the current folder), or undefined
 * outside any. Paths in the answer are absolute when `file` is, else relative to the cwd.
 */
export function findSourceTree(file: string, probe: LayoutProbe = nodeProbe): SourceTree | undefined {
  const absolute = path.isAbsolute(file);
  const start = file === '-' ? process.cwd() : path.dirname(path.resolve(file));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const rel = path.relative(dir, start).split(path.sep).join('/');
    const has = (marks: string[]) => marks.every((m) => probe.isDirectory(path.join(dir, m)));
    if (has(KERNEL_MARKS)) {
      const arch = /^arch\/([^/]+)\/boot\/dts(?:\/|$)/.exec(rel)?.[1];
      return {
        kind: 'kernel', root: styled(dir, absolute), arch,
        includeDirs: [styled(path.join(dir, 'scripts/dtc/include-prefixes'), absolute)],
        bindings: styled(path.join(dir, 'Documentation/devicetree/bindings'), absolute),
      };
    }
    if (has(REBASING_MARKS)) {
      const arch = /^src\/([^/]+)(?:\/|$)/.exec(rel)?.[1];
      const includeDirs = [path.join(dir, 'include'), ...(arch ? [path.join(dir, 'src', arch)] : []), path.join(dir, 'src')];
      return {
        kind: 'rebasing', root: styled(dir, absolute), arch,
        includeDirs: includeDirs.map((d) => styled(d, absolute)),
        bindings: styled(path.join(dir, 'Bindings'), absolute),
      };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** One line saying which tree, include folders and bindings a run uses. */
export function describeSourceTree(t: SourceTree, opts: { bindings: boolean }): string {
  const what = t.kind === 'kernel' ? 'kernel tree' : 'devicetree-rebasing tree';
  const parts = [`includes ${t.includeDirs.join(', ')} and the board's folder`];
  if (opts.bindings) parts.push(`bindings ${t.bindings}`);
  return `${what} ${path.resolve(t.root)}${t.arch ? ` (${t.arch})` : ''}: ${parts.join('; ')} (--no-detect turns this off)`;
}
