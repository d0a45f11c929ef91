// `dtkit decompile INPUT [-o OUT.dts]`: the DTS text `dtc -I dtb -O dts` prints. The input
// must be a blob (by content, whatever its name; `-` reads standard input). A corrupt blob
// gives one error naming the byte offset and exit 1; -o is written atomically, so a
// failed run never leaves a partial file.
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { loadInput } from '../input/load.js';
import { printDts } from '../dts/print.js';
import { latin1Bytes } from '../tree/value.js';
import type { RegisterCommand } from './commands.js';
import { EXIT, addExample, withUsage } from './options.js';
import { writeFilesAtomically } from './output.js';
import { Reporter } from './report.js';
import { readStdin } from './stdin.js';
import { outputPathError, writeOutputs } from './write.js';

export interface DecompileIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
  /** writes the file atomically; returns why it could not */
  writeFile(file: string, data: string): string | undefined;
  readStdin?: () => Uint8Array | undefined;
  errIsTTY?: boolean;
}

export interface DecompileOptions {
  output?: string;
  color?: boolean;
}

export const processDecompileIo: DecompileIo = {
  host: nodeHost,
  // latin1: a name byte >= 0x80 goes out as that one byte, as dtc writes it
  out: (t) => process.stdout.write(Buffer.from(t, 'latin1')),
  err: (t) => process.stderr.write(t),
  writeFile: (file, data) => writeFilesAtomically([{ file, data: latin1Bytes(data) }]),
  readStdin,
  errIsTTY: process.stderr.isTTY,
};

export function runDecompile(input: string, opts: DecompileOptions, io: DecompileIo): number {
  return withUsage(io.err, () => {
    const pathError = outputPathError([opts.output]);
    if (pathError) {
      io.err(pathError);
      return EXIT.INPUT;
    }
    const loaded = loadInput(input, { host: io.host, includeDirs: [], format: 'dtb', readStdin: io.readStdin });
    const reporter = new Reporter({ command: 'decompile', format: 'text', color: opts.color, textTo: 'err' }, { out: io.out, err: io.err, errIsTTY: io.errIsTTY });
    reporter.add(loaded.diagnostics);
    reporter.finish();
    if (!loaded.ok || !loaded.tree) return EXIT.INPUT;
    // DTS text is latin1 throughout dtkit: one char per byte of the blob
    const text = printDts(loaded.tree);
    if (opts.output === undefined || opts.output === '-') {
      io.out(text);
      return EXIT.OK;
    }
    return writeOutputs([{ file: opts.output, data: text }], io.err, ([f]) => io.writeFile(f.file, f.data as string)) ? EXIT.OK : EXIT.INPUT;
  });
}

export const registerDecompile: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('decompile')
    .description('print a .dtb/.dtbo as DTS source, exactly as `dtc -I dtb -O dts` does')
    .argument('<input>', 'flattened device tree (DTB or DTBO, by content), - for standard input')
    .option('-o, --output <file>', 'write the DTS to this file instead of standard output')
    .option('--color', 'colour the error report even when not on a terminal')
    .option('--no-color', 'never colour the error report');
  addExample(cmd, 'dtkit decompile board.dtb -o board.dts');
  cmd.action((input: string, opts: DecompileOptions) => {
    setExit(runDecompile(input, opts, processDecompileIo));
  });
};
