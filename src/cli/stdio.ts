// Standard output as a command-line tool treats it: a reader that closes the pipe early
// (`dtkit decompile x.dtb | head -1`) ends dtkit quietly; any other failure to write
// (a full disk) is one clear error and exit 1, never a Node stack trace.
import { writeFailure } from '../input/paths.js';

export interface StdioProcess {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  exit(code: number): void;
}

export function guardStdio(proc: StdioProcess = process): void {
  proc.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return proc.exit(0);
    try {
      proc.stderr.write(`dtkit: error: cannot write to standard output: ${writeFailure(e)}\n`);
    } finally {
      proc.exit(1);
    }
  });
  // nothing sensible is left to say when stderr itself fails
  proc.stderr.on('error', () => proc.exit(1));
}
