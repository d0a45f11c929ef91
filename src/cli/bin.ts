// What `dtkit` runs: the command line on this process's arguments and standard streams.
// bin/dtkit runs it from the bundle (dist/dtkit.cjs, see scripts/bundle.mjs); exitCode (not
// exit()) so that piped output is flushed.
import { main } from './main.js';
import { guardStdio } from './stdio.js';

export async function run(argv: string[]): Promise<void> {
  guardStdio();
  process.exitCode = await main(argv);
}
