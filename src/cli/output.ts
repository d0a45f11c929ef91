// Output files are written whole or not at all: every file goes to a temporary name
// beside its target first and is renamed only when all of them were written.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OutputFile {
  file: string;
  data: Uint8Array | string;
}

/** Writes every file atomically; returns why it could not (nothing is left behind). */
export function writeFilesAtomically(files: OutputFile[]): string | undefined {
  const temps: Array<{ tmp: string; file: string }> = [];
  try {
    for (const { file, data } of files) {
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
      temps.push({ tmp, file });
      fs.writeFileSync(tmp, data);
    }
    for (const { tmp, file } of temps) fs.renameSync(tmp, file);
    return undefined;
  } catch (e) {
    for (const { tmp } of temps) fs.rmSync(tmp, { force: true });
    return (e as Error).message;
  }
}

export function writeFileAtomically(file: string, data: Uint8Array | string): string | undefined {
  return writeFilesAtomically([{ file, data }]);
}
