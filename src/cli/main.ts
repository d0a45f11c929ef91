// The dtkit command line: each command lives in its own module and registers itself.
// Exit codes (options.ts): 0 success, 1 input errors (reported as file:line:col), 2 usage
// errors. Every error that is not about a place in a file reads `dtkit: error: ...`.
import { Command, CommanderError } from 'commander';
import { commandsFor } from './commands.js';
import { EXIT, UsageError, errorLine } from './options.js';
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('dtkit')
    .description('Device-tree toolkit: compile, decompile, validate, overlay, and Qualcomm PAS/KVM checks')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // commander's own messages ("error: unknown option ...") in dtkit's one style
      outputError: (s, write) => write(`dtkit: ${s}`),
    });
  let code: number = EXIT.OK;
  try {
    for (const entry of commandsFor(argv)) (await entry.load())(program, (c) => (code = c));
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT.OK;
      return EXIT.USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(errorLine(e.message));
      return EXIT.USAGE;
    }
    // An escaped exception is a dtkit bug, not a user error: say so without a stack trace.
    process.stderr.write(`dtkit: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.DTKIT_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return EXIT.INTERNAL;
  }
  return code;
}
