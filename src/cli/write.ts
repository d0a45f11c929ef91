// Output files as every command writes them: their paths checked before any work (so a
// typo in -o costs nothing), then written whole or not at all by output.ts, with one
// message style for whatever went wrong, about the path the user typed.
import { outputPathProblem, quoted } from '../input/paths.js';
import { writeFilesAtomically } from './output.js';
import type { OutputFile } from './output.js';
import { UsageError, errorLine } from './options.js';

/** The first problem of the output paths, as an error line; undefined when they look writable. */
export function outputPathError(files: Array<string | undefined>): string | undefined {
  for (const f of files) {
    if (f === undefined || f === '-') continue;
    if (f === '') throw new UsageError('the output file name is empty (use -o - for standard output)');
    const why = outputPathProblem(f);
    if (why) return errorLine(`cannot write ${quoted(f)}: ${why}`);
  }
  return undefined;
}

/** Writes every file or none; says why not on `err`. */
export function writeOutputs(files: OutputFile[], err: (text: string) => void, write = writeFilesAtomically): boolean {
  const why = write(files);
  if (why === undefined) return true;
  const what = files.length === 1 ? quoted(files[0].file) : `the outputs (${files.map((f) => quoted(f.file)).join(', ')})`;
  err(errorLine(`cannot write ${what}: ${why}${files.length > 1 ? '; nothing written' : ''}`));
  return false;
}
