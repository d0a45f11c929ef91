// dtkit ships dt-bindings headers of its own bindings (schemas/include/, e.g.
// dt-bindings/iommu/qcom,devmem.h) and searches that folder after the user's -I folders,
// so a user's copy of the same header wins; dtkit then says once which copy it used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Host } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';

/** Headers dtkit ships, relative to schemas/include/. */
export const SHIPPED_HEADERS = ['dt-bindings/iommu/qcom,devmem.h'] as const;

export const SHADOWED_HEADER_RULE = 'shipped_header_shadowed';

/**
 * dtkit's schemas/include folder: $DTKIT_SCHEMAS/include when set, else found by walking
 * up from this module to the folder holding package.json and schemas/ (works from src/
 * and from a build output folder inside the project).
 */
export function shippedIncludeDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DTKIT_SCHEMAS) return path.join(env.DTKIT_SCHEMAS, 'include');
  let d = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'schemas', 'include'))) {
      return path.join(d, 'schemas', 'include');
    }
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** The user's folders first, dtkit's shipped headers last. */
export function includeDirsWithShipped(userDirs: readonly string[], shipped = shippedIncludeDir()): string[] {
  return shipped && !userDirs.includes(shipped) ? [...userDirs, shipped] : [...userDirs];
}

export interface ShadowOptions {
  host: Host;
  userDirs: readonly string[];
  /** files actually read; when given, only headers really used are reported */
  dependencies?: Iterable<string>;
}

/** One info diagnostic per shipped header that a user folder overrides. */
export function shadowedHeaderNotes(opts: ShadowOptions): Diagnostic[] {
  const read = opts.dependencies ? new Set([...opts.dependencies].map((f) => path.normalize(f))) : undefined;
  const out: Diagnostic[] = [];
  for (const header of SHIPPED_HEADERS) {
    const user = opts.userDirs.map((d) => path.join(d, header)).find((f) => opts.host.isFile(f));
    if (!user || (read && !read.has(path.normalize(user)))) continue;
    out.push({
      rule: SHADOWED_HEADER_RULE, severity: 'info', file: user,
      message: `using ${user} instead of dtkit's shipped <${header}>`,
    });
  }
  return out;
}
