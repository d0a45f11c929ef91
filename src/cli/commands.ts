// Registry of CLI commands. Each command module is imported only when it runs (or for
// the full help listing): `dtkit compile` must not pay for loading ajv and the schema
// engine, since a single-board compile is measured against cpp + dtc start-up.
import type { Command } from 'commander';

/** Registers a command on the program; `setExit` records the exit code the command chose. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

export interface CommandEntry {
  name: string;
  load(): Promise<RegisterCommand>;
}

export const commands: CommandEntry[] = [
  { name: 'compile', load: async () => (await import('./compile.js')).registerCompile },
  { name: 'decompile', load: async () => (await import('./decompile.js')).registerDecompile },
  { name: 'apply', load: async () => (await import('./apply.js')).registerApply },
  { name: 'validate', load: async () => (await import('./validate.js')).registerValidate },
  { name: 'devmem', load: async () => (await import('./devmem.js')).registerDevmem },
  { name: 'overlay', load: async () => (await import('./overlay.js')).registerOverlay },
  { name: 'lsp', load: async () => (await import('./lsp.js')).registerLsp },
];

/** The commands to load for `argv`: the one named, or all of them (help, unknown). */
export function commandsFor(argv: string[]): CommandEntry[] {
  const name = argv.find((a) => !a.startsWith('-'));
  const one = commands.find((c) => c.name === name);
  return one ? [one] : commands;
}
