// Built-in profiles: the YAML files in the package's profiles/ folder, named by file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (works from src and from dist): the folder holding package.json. */
export function packageRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

export function builtinProfilesDir(): string {
  return path.join(packageRoot(), 'profiles');
}

export function listBuiltinProfiles(): string[] {
  try {
    return fs.readdirSync(builtinProfilesDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** A profile argument is a file when it looks like one, else a built-in name. */
export function profilePath(arg: string): string | undefined {
  if (/\.ya?ml$/.test(arg) || arg.includes('/')) return arg;
  return listBuiltinProfiles().includes(arg) ? path.join(builtinProfilesDir(), `${arg}.yaml`) : undefined;
}
