// The dtkit command line: each command lives in its own module and registers itself.
// Exit codes: 0 success, 1 input errors (reported as file:line:col), 2 usage errors.
import { Command, CommanderError } from 'commander';
import { commandsFor } from './commands.js';
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('dtkit')
    .description('Device-tree toolkit: compile, decompile, validate, overlay, and Qualcomm PAS/KVM checks')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  try {
    for (const entry of commandsFor(argv)) (await entry.load())(program, (c) => (code = c));
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      return 2;
    }
    // An escaped exception is a dtkit bug, not a user error: say so without a stack trace.
    process.stderr.write(`dtkit: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.DTKIT_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return 70;
  }
  return code;
}
