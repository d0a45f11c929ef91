// `dtkit lsp --stdio`: the language server (src/lsp) for editors. It speaks only over
// standard input/output; settings come from the client (see README, "Editor").
import type { Command } from 'commander';
import type { RegisterCommand } from './commands.js';
import { tierUpAsUsual } from '../tier-up.js';
import { EXIT, addExample, errorLine } from './options.js';

export const registerLsp: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('lsp')
    .description("language server for editors: validate's findings as you type, go to definition, hover, completion, symbols, references")
    .option('--stdio', 'talk LSP over standard input and output (the only transport)');
  addExample(cmd, 'dtkit lsp --stdio');
  cmd.action(async (opts: { stdio?: boolean }) => {
    if (!opts.stdio) {
      process.stderr.write(errorLine('dtkit lsp needs --stdio (the only transport it speaks)'));
      setExit(EXIT.USAGE);
      return;
    }
    tierUpAsUsual();
    const { runLanguageServer } = await import('../lsp/server.js');
    runLanguageServer();
    // the connection ends the process when the client sends `exit`
    await new Promise<never>(() => {});
  });
};
