// bin/dtkit raises V8's tier-up budget so that a one-board run is not spent compiling
// optimised code it ends before using. A long run (a batch over worker threads, which share
// the process's V8 flags; the language server) goes back to V8's own tier-up.
import * as v8 from 'node:v8';

/** V8's default interrupt budget in Node 20 (66 KB of bytecode per tier-up tick). */
export function tierUpAsUsual(): void {
  v8.setFlagsFromString('--interrupt-budget=67584');
}
