// `dtkit decompile INPUT.dtb [-o OUT.dts]`: the DTS text `dtc -I dtb -O dts` prints.
// A corrupt blob gives one error naming the byte offset and exit 1; -o is written
// atomically (temp file + rename), so a failed run never leaves a partial file.
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { readFdt } from '../fdt/reader.js';
import { printDts } from '../dts/print.js';
import { renderAllText } from '../report/render.js';
import { writeFileAtomically } from './output.js';
import type { RegisterCommand } from './commands.js';

export interface DecompileIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
  /** writes the file atomically; returns an error message on failure */
  writeFile(file: string, data: string): string | undefined;
}

export interface DecompileOptions {
  output?: string;
}

const EXIT_OK = 0, EXIT_INPUT = 1;

export const processDecompileIo: DecompileIo = {
  host: nodeHost,
  // latin1: a name byte >= 0x80 goes out as that one byte, as dtc writes it
  out: (t) => process.stdout.write(Buffer.from(t, 'latin1')),
  err: (t) => process.stderr.write(t),
  // latin1: the text's bytes as dtc writes them
  writeFile: (file, data) => writeFileAtomically(file, Buffer.from(data, 'latin1')),
};

export function runDecompile(input: string, opts: DecompileOptions, io: DecompileIo): number {
  const bytes = io.host.readFile(input);
  if (!bytes) {
    io.err(`dtkit decompile: error: cannot read '${input}'\n`);
    return EXIT_INPUT;
  }
  const { tree, diagnostics } = readFdt(bytes, input);
  if (diagnostics.length) io.err(`${renderAllText(diagnostics)}\n`);
  if (!tree) return EXIT_INPUT;
  // DTS text is latin1 throughout dtkit: one char per byte of the blob
  const text = printDts(tree);
  if (!opts.output) {
    io.out(text);
    return EXIT_OK;
  }
  const why = io.writeFile(opts.output, text);
  if (why) {
    io.err(`dtkit decompile: error: cannot write '${opts.output}': ${why}\n`);
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

export const registerDecompile: RegisterCommand = (program: Command, setExit) => {
  program
    .command('decompile')
    .description('print a .dtb/.dtbo as DTS source, exactly as `dtc -I dtb -O dts` does')
    .argument('<input>', 'flattened device tree (.dtb or .dtbo)')
    .option('-o, --output <file>', 'write the DTS to this file instead of stdout')
    .action((input: string, opts: DecompileOptions) => {
      setExit(runDecompile(input, opts, processDecompileIo));
    });
};
