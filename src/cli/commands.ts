// Registry of CLI commands: one line per command module.
import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerCompile } from './compile.js';
import { registerDecompile } from './decompile.js';
import { registerDevmem } from './devmem.js';
import { registerOverlay } from './overlay.js';
import { registerValidate } from './validate.js';

/** Registers a command on the program; `setExit` records the exit code the command chose. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;

export const commands: RegisterCommand[] = [registerCompile, registerApply, registerDecompile, registerDevmem, registerOverlay, registerValidate];
