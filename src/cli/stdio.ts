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
  onFirstUse(proc, 'stdout', (out) => out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return proc.exit(0);
    try {
      proc.stderr.write(`dtkit: error: cannot write to standard output: ${writeFailure(e)}\n`);
    } finally {
      proc.exit(1);
    }
  }));
  // nothing sensible is left to say when stderr itself fails
  onFirstUse(proc, 'stderr', (err) => err.on('error', () => proc.exit(1)));
}

/**
 * Runs `guard` on proc[key] when it is first taken. Node makes process.stdout and stderr on
 * first use, and making one loads node:stream (~10% of an `apply` that prints nothing), so
 * the guard waits in a getter that puts Node's own back; a plain value is guarded at once.
 */
function onFirstUse(proc: StdioProcess, key: 'stdout' | 'stderr', guard: (s: NodeJS.WritableStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(proc, key);
  if (!own?.get || !own.configurable) {
    guard(proc[key]);
    return;
  }
  Object.defineProperty(proc, key, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      Object.defineProperty(proc, key, own);
      const stream = proc[key];
      guard(stream);
      return stream;
    },
  });
}
