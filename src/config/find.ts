// Where an input's dtkit.config.yaml is, as eslint and prettier find theirs: the nearest one
// walking up from the input's folder, else the nearest walking up from the current folder.
// The answer is written like the input (absolute, or relative to the current folder), so
// paths resolved against it read as the user's own.
import * as path from 'node:path';
import { STDIN_ARG } from '../input/paths.js';
import { CONFIG_FILE_NAME } from './load.js';

export interface ConfigProbe {
  isFile(file: string): boolean;
}

/** The config file for `input` (as typed: absolute, or relative to the current folder; '-'
 *  is standard input), or undefined. `cwd` is where to look when no folder above the input
 *  has one (the current folder by default). `seen` caches the answer per folder (absolute). */
export function findConfigFile(input: string, probe: ConfigProbe, cwd: string = process.cwd(), seen?: Map<string, string | undefined>): string | undefined {
  const absolute = input !== STDIN_ARG && path.isAbsolute(input);
  const styled = (abs: string) => (absolute ? abs : path.relative(process.cwd(), abs) || '.');
  const walk = (start: string): string | undefined => {
    const visited: string[] = [];
    let found: string | undefined;
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (seen?.has(dir)) {
        found = seen.get(dir);
        break;
      }
      visited.push(dir);
      const candidate = path.join(dir, CONFIG_FILE_NAME);
      if (probe.isFile(candidate)) {
        found = candidate;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    for (const d of visited) seen?.set(d, found);
    return found;
  };
  const fromInput = input === STDIN_ARG ? undefined : walk(path.dirname(path.resolve(input)));
  const found = fromInput ?? walk(path.resolve(cwd));
  return found === undefined ? undefined : styled(found);
}
