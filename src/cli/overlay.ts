// `dtkit overlay`: a KVM (EL2) overlay from a short YAML profile, checked against the
// base before anything is written.
//   dtkit overlay --profile P.yaml|NAME BASE.dts|.dtb [-I DIR]... -o OUT.dtso [--dtbo F] [--applied F]
//   dtkit overlay --list-profiles
//   dtkit overlay --from EXISTING.dtso|.dtbo [BASE]      prints the reproducing profile
import { writeFilesAtomically } from './output.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { Diagnostics } from '../report/diagnostic.js';
import { ensureOverlayNodes } from '../overlay/transforms.js';
import { renderAllText, sourceLines } from '../report/render.js';
import { compileFile } from '../compile/compile.js';
import { readFdt } from '../fdt/reader.js';
import type { Tree } from '../tree/model.js';
import { indexBase } from '../profile/base.js';
import { listBuiltinProfiles, profilePath, shippedIncludeDir } from '../profile/builtin.js';
import type { SchemaValidation } from '../profile/composite.js';
import { profileFromOverlay } from '../profile/from-overlay.js';
import { generateOverlay } from '../profile/generate.js';
import { loadProfile } from '../profile/load.js';
import { openSchemaSet, validationContext } from '../schema/schema-set.js';
import type { RegisterCommand } from './commands.js';

export interface OverlayIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
  /** writes every file or none (temp files first, then renames); returns why not */
  writeAll(files: Array<{ file: string; data: string | Uint8Array }>): string | undefined;
}

export interface OverlayOptions {
  profile?: string;
  include: string[];
  output?: string;
  dtbo?: string;
  applied?: string;
  schemas: string[];
  listProfiles?: boolean;
  from?: string;
  name?: string;
}

const EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2;

export const processOverlayIo: OverlayIo = {
  host: nodeHost,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  writeAll: writeFilesAtomically,
};

function render(ds: Diagnostic[], io: OverlayIo, sources: Map<string, string>): string {
  return renderAllText(ds, { lineText: sourceLines(sources, (f) => readText(io.host, f)) });
}

function usage(io: OverlayIo, message: string): number {
  io.err(`dtkit overlay: error: ${message}\n`);
  return EXIT_USAGE;
}

function listProfiles(io: OverlayIo): number {
  const names = listBuiltinProfiles();
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const name of names) {
    const p = loadProfile(io.host, profilePath(name)!).profile;
    const boards = p ? p.baseCompatible.map((c) => c.value).join(', ') : '(does not load)';
    const what = p ? `${p.remoteprocs.length} remoteproc${p.remoteprocs.length === 1 ? '' : 's'}, ${p.edits.length} edit${p.edits.length === 1 ? '' : 's'}` : '';
    io.out(`${name.padEnd(width)}  ${boards}${what ? `  (${what})` : ''}\n`);
  }
  return EXIT_OK;
}

function readTree(file: string, io: OverlayIo, include: string[], symbols: boolean): { tree?: Tree; diagnostics: Diagnostic[] } {
  if (/\.dtbo?$/.test(file)) {
    const bytes = io.host.readFile(file);
    if (!bytes) return { diagnostics: [{ rule: 'io', severity: 'error', message: `cannot read '${file}'`, file }] };
    return readFdt(bytes, file);
  }
  const r = compileFile(file, { host: io.host, includeDirs: [shippedIncludeDir(), ...include], symbols });
  const diags = new Diagnostics();
  diags.merge(r.diagnostics.filter((d) => d.severity === 'error'));
  if (r.ok && r.tree) ensureOverlayNodes(r.tree, diags, { symbols });
  return { tree: r.ok && !diags.hasErrors ? r.tree : undefined, diagnostics: diags.items };
}

function fromOverlay(file: string, baseFile: string | undefined, opts: OverlayOptions, io: OverlayIo): number {
  const ov = readTree(file, io, opts.include, true);
  if (!ov.tree) {
    io.err(`${render(ov.diagnostics, io, new Map())}\n`);
    return EXIT_INPUT;
  }
  let base;
  if (baseFile) {
    const b = readTree(baseFile, io, opts.include, true);
    if (!b.tree) {
      io.err(`${render(b.diagnostics, io, new Map())}\n`);
      return EXIT_INPUT;
    }
    base = indexBase(b.tree, baseFile);
  }
  const name = opts.name ?? path.basename(file).replace(/\.dtbo?$|\.dtso$/, '').replace(/-el2$/, '');
  const r = profileFromOverlay({ overlay: ov.tree, overlayFile: file, base, name });
  if (r.diagnostics.length) io.err(`${render(r.diagnostics, io, new Map())}\n`);
  if (!r.yaml) return EXIT_INPUT;
  if (opts.output) {
    const why = io.writeAll([{ file: opts.output, data: r.yaml }]);
    if (why) {
      io.err(`dtkit overlay: error: cannot write ${opts.output}: ${why}\n`);
      return EXIT_INPUT;
    }
    io.out(`wrote profile ${opts.output}\n`);
  } else {
    io.out(r.yaml);
  }
  return EXIT_OK;
}

function schemaValidation(opts: OverlayOptions, io: OverlayIo): { schemas?: SchemaValidation; diagnostics: Diagnostic[] } {
  if (!opts.schemas.length) return { diagnostics: [] };
  const set = openSchemaSet({ host: io.host, schemaDirs: opts.schemas });
  const errors = set.diagnostics.filter((d) => d.severity === 'error');
  return { schemas: { context: validationContext(set), description: `the bindings in ${opts.schemas.join(', ')}` }, diagnostics: errors };
}

export function overlayCommand(args: string[], opts: OverlayOptions, io: OverlayIo): number {
  if (opts.listProfiles) return listProfiles(io);
  if (opts.from) {
    if (args.length > 1) return usage(io, '--from takes at most one base board');
    return fromOverlay(opts.from, args[0], opts, io);
  }
  if (!opts.profile) return usage(io, 'missing --profile (a profile file or one of: ' + listBuiltinProfiles().join(', ') + ')');
  if (args.length !== 1) return usage(io, 'expected exactly one base board (.dts or .dtb)');
  if (!opts.output) return usage(io, 'missing -o OUT.dtso');
  const profileFile = profilePath(opts.profile);
  if (!profileFile) return usage(io, `no built-in profile '${opts.profile}' (built-in: ${listBuiltinProfiles().join(', ')})`);
  const outputs = [opts.output, opts.dtbo, opts.applied].filter((f): f is string => !!f);
  if (new Set(outputs.map((f) => path.resolve(f))).size !== outputs.length) return usage(io, 'the output files must differ');

  const sv = schemaValidation(opts, io);
  if (sv.diagnostics.length) {
    io.err(`${render(sv.diagnostics, io, new Map())}\n`);
    return EXIT_INPUT;
  }
  const builtin = profileFile !== opts.profile;
  const r = generateOverlay({
    host: io.host, profileFile, profileDisplay: builtin ? `built-in profile ${opts.profile}` : opts.profile,
    baseFile: args[0], includeDirs: opts.include, dtsoName: opts.output, schemas: sv.schemas,
  });
  if (r.diagnostics.length) io.err(`${render(r.diagnostics, io, r.sources)}\n`);
  if (!r.ok || !r.dtso) {
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`dtkit overlay: refused: ${n} error${n === 1 ? '' : 's'}; nothing written\n`);
    return EXIT_INPUT;
  }
  const files: Array<{ file: string; data: string | Uint8Array }> = [{ file: opts.output, data: r.dtso }];
  if (opts.dtbo && r.dtbo) files.push({ file: opts.dtbo, data: r.dtbo });
  if (opts.applied && r.applied) files.push({ file: opts.applied, data: r.applied });
  const why = io.writeAll(files);
  if (why) {
    io.err(`dtkit overlay: error: cannot write the outputs: ${why}; nothing written\n`);
    return EXIT_INPUT;
  }
  const plan = r.plan!;
  const rps = plan.profile.remoteprocs.length, edits = plan.profile.edits.length;
  io.out(`generated ${files.map((f) => f.file).join(', ')} from profile '${plan.profile.name}' for ${args[0]}\n`);
  io.out(`  ${plan.blocks.length} override block${plan.blocks.length === 1 ? '' : 's'}: ${plan.blocks.map((b) => `&${b.ref}`).join(' ')}\n`);
  io.out(`  from ${rps} remoteproc${rps === 1 ? '' : 's'} and ${edits} edit${edits === 1 ? '' : 's'}${plan.usesDevmem ? ' (qcom,devmem flags as QCOM_DEVMEM_* macros)' : ''}\n`);
  io.out('checked:\n');
  for (const c of r.checked) io.out(`  ok  ${c}\n`);
  return EXIT_OK;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const registerOverlay: RegisterCommand = (program: Command, setExit) => {
  program
    .command('overlay')
    .description('generate a KVM (EL2) overlay from a profile, checked against the base board')
    .argument('[base...]', 'base board (.dts or .dtb compiled with -@); with --from, optional')
    .option('-p, --profile <profile>', 'profile YAML file, or a built-in profile name (see --list-profiles)')
    .option('-I, --include <dir>', 'include folder for the base (repeatable)', collect, [])
    .option('-o, --output <file>', 'the .dtso to write (with --from: the profile to write)')
    .option('--dtbo <file>', 'also write the compiled overlay (.dtbo, with symbols and fixups)')
    .option('--applied <file>', 'also write the base with the overlay applied (.dtb)')
    .option('--schemas <dir>', 'validate the composite against these bindings too (repeatable)', collect, [])
    .option('--list-profiles', 'list the built-in profiles')
    .option('--from <overlay>', 'print the profile that reproduces an existing overlay (.dtso or .dtbo)')
    .option('--name <name>', 'with --from: the profile name to write')
    .action((base: string[], opts: OverlayOptions) => {
      setExit(overlayCommand(base, opts, processOverlayIo));
    });
};
