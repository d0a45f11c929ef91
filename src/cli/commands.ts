// Registry of CLI commands: one line per command module.
import type { Command } from 'commander';
import { registerDevmem } from './devmem.js';
import { registerOverlay } from './overlay.js';

/** Registers a command on the program; `setExit` records the exit code the command chose. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

export const commands: RegisterCommand[] = [registerDevmem, registerOverlay];
