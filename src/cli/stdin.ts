// Standard input's bytes, for the `-` input every command accepts.
import * as fs from 'node:fs';

export function readStdin(): Uint8Array | undefined {
  try {
    return fs.readFileSync(0);
  } catch {
    return undefined;
  }
}
