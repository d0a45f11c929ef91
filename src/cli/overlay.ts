// `dtkit overlay`: a KVM (EL2) overlay from a short YAML profile, checked against the
// base before anything is written.
//   dtkit overlay --profile P.yaml|NAME BASE [-I DIR]... -o OUT.dtso [--dtbo F] [--applied F]
//   dtkit overlay --list-profiles
//   dtkit overlay --from EXISTING.dtso|.dtbo [BASE]      prints the reproducing profile
// The base's dtkit.config.yaml (src/config) gives the preset, include folders and rule levels.
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost, readText } from '../host.js';
import { swappedInputWarnings } from '../input/composite.js';
import type { InputOptions } from '../input/load.js';
import { loadInput } from '../input/load.js';
import { describeSourceTree } from '../input/layout.js';
import { sourceTreeOf } from '../input/load.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { sourceLines } from '../report/render.js';
import { indexBase } from '../profile/base.js';
import { listBuiltinProfiles, profilePath } from '../profile/builtin.js';
import type { SchemaValidation } from '../profile/composite.js';
import { profileFromOverlay } from '../profile/from-overlay.js';
import { generateOverlay } from '../profile/generate.js';
import { loadProfile } from '../profile/load.js';
import { openSchemaSet, validationContext } from '../schema/schema-set.js';
import type { RegisterCommand } from './commands.js';
import type { Settings } from '../config/settings.js';
import type { ConfigFlags, InputFlags, ReportFormat } from './options.js';
import {
  EXIT, inputHelp, UsageError, addConfigOptions, addExample, addInputOptions, addReportOptions, addRuleOptions, collect, configHelp, errorLine,
  inputSettings, withUsage,
} from './options.js';
import { writeFilesAtomically } from './output.js';
import type { OutputFile } from './output.js';
import { Reporter } from './report.js';
import type { ReportStreams } from './report.js';
import { readStdin } from './stdin.js';
import { baseInputSettings, settingFlags } from './tree.js';
import { outputPathError, writeOutputs } from './write.js';

export interface OverlayIo extends ReportStreams {
  host: Host;
  /** writes every file or none (temp files first, then renames); returns why not */
  writeAll(files: OutputFile[]): string | undefined;
  readStdin?: () => Uint8Array | undefined;
}

export interface OverlayOptions extends InputFlags, ConfigFlags {
  profile?: string;
  output?: string;
  dtbo?: string;
  applied?: string;
  schemas?: string[];
  listProfiles?: boolean;
  from?: string;
  name?: string;
  format?: ReportFormat;
  color?: boolean;
  warning?: string[];
  error?: string[];
  preset?: string;
}

export const processOverlayIo: OverlayIo = {
  host: nodeHost,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  writeAll: writeFilesAtomically,
  readStdin,
  outIsTTY: process.stdout.isTTY,
  errIsTTY: process.stderr.isTTY,
};

function listProfiles(io: OverlayIo): number {
  const names = listBuiltinProfiles();
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const name of names) {
    const p = loadProfile(io.host, profilePath(name)!).profile;
    const boards = p ? p.baseCompatible.map((c) => c.value).join(', ') : '(does not load)';
    const what = p ? `${p.remoteprocs.length} remoteproc${p.remoteprocs.length === 1 ? '' : 's'}, ${p.edits.length} edit${p.edits.length === 1 ? '' : 's'}` : '';
    io.out(`${name.padEnd(width)}  ${boards}${what ? `  (${what})` : ''}\n`);
  }
  return EXIT.OK;
}

function reporterFor(opts: OverlayOptions, io: OverlayIo, s: Settings): Reporter {
  return new Reporter({
    command: 'overlay', format: opts.format ?? 'text', color: opts.color,
    levels: s.levels, textTo: 'err',
  }, io);
}

function inputOptions(opts: OverlayOptions, io: OverlayIo, settings: Settings): InputOptions {
  const s = inputSettings(opts);
  return { host: io.host, includeDirs: settings.includeDirs, detect: s.detect, format: s.format, readStdin: io.readStdin, compile: { symbols: true } };
}

function lines(sourceText: (f: string) => string | undefined) {
  return { lineText: sourceLines(new Map(), sourceText) };
}

function fromOverlay(file: string, baseFile: string | undefined, opts: OverlayOptions, io: OverlayIo, s: Settings): number {
  const reporter = reporterFor(opts, io, s);
  const input = inputOptions(opts, io, s);
  const done = (code: number, data?: Record<string, unknown>) => {
    reporter.finish(data);
    return code;
  };
  const ov = loadInput(file, input);
  const b = baseFile === undefined ? undefined : loadInput(baseFile, input);
  const read = (f: string) => ov.sources.get(f) ?? b?.sources.get(f) ?? readText(io.host, f);
  const loadErrors = [ov, ...(b ? [b] : [])].flatMap((i) => i.diagnostics.filter((d) => d.severity === 'error'));
  const swapped = swappedInputWarnings(b, [ov]);
  if (!ov.ok || !ov.tree || (b && (!b.ok || !b.tree))) {
    reporter.add([...loadErrors, ...swapped], lines(read));
    return done(EXIT.INPUT);
  }
  const base = b?.tree ? indexBase(b.tree, b.file) : undefined;
  const name = opts.name ?? path.basename(ov.file).replace(/\.dtbo?$|\.dtso$/, '').replace(/-el2$/, '');
  const r = profileFromOverlay({ overlay: ov.tree, overlayFile: ov.file, base, name });
  reporter.add([...swapped, ...r.diagnostics], lines(read));
  if (!r.yaml || reporter.hasErrors) return done(EXIT.INPUT);
  if (opts.output === undefined || opts.output === '-') {
    if ((opts.format ?? 'text') === 'text') io.out(r.yaml);
    return done(EXIT.OK, { profile: r.yaml });
  }
  if (!writeOutputs([{ file: opts.output, data: r.yaml }], io.err, io.writeAll)) return done(EXIT.INPUT);
  if ((opts.format ?? 'text') === 'text') io.out(`wrote profile ${opts.output}\n`);
  return done(EXIT.OK, { outputs: [opts.output] });
}

function schemaValidation(opts: OverlayOptions, io: OverlayIo): { schemas?: SchemaValidation; diagnostics: Diagnostic[] } {
  const dirs = opts.schemas ?? [];
  if (!dirs.length) return { diagnostics: [] };
  const set = openSchemaSet({ host: io.host, schemaDirs: dirs });
  const errors = set.diagnostics.filter((d) => d.severity === 'error');
  return { schemas: { context: validationContext(set), description: `the bindings in ${dirs.join(', ')}` }, diagnostics: errors };
}

export function overlayCommand(args: string[], opts: OverlayOptions, io: OverlayIo): number {
  return withUsage(io.err, () => overlay(args, opts, io));
}

function overlay(args: string[], opts: OverlayOptions, io: OverlayIo): number {
  if (opts.listProfiles) return listProfiles(io);
  if (opts.from) {
    if (args.length > 1) throw new UsageError('--from takes at most one base board');
    if (opts.dtbo !== undefined || opts.applied !== undefined) throw new UsageError('--dtbo and --applied go with --profile, not --from');
    // the config of the base (else of the overlay)
    const s = baseInputSettings(args[0] ?? opts.from, settingFlags(opts), io.host, io.err);
    if (!s) return EXIT.USAGE;
    const pathError = outputPathError([opts.output]);
    if (pathError) {
      io.err(pathError);
      return EXIT.INPUT;
    }
    return fromOverlay(opts.from, args[0], opts, io, s);
  }
  if (!opts.profile) throw new UsageError(`missing --profile (a profile file or one of: ${listBuiltinProfiles().join(', ')})`);
  if (args.length !== 1) throw new UsageError('expected exactly one base board (DTS source or DTB)');
  if (opts.output === undefined) throw new UsageError('missing -o OUT.dtso');
  if (opts.output === '-') throw new UsageError('the overlay is written to a file: give -o a file name');
  const profileFile = profilePath(opts.profile);
  if (!profileFile) throw new UsageError(`no built-in profile '${opts.profile}' (built-in: ${listBuiltinProfiles().join(', ')})`);
  const outputs = [opts.output, opts.dtbo, opts.applied].filter((f): f is string => f !== undefined);
  if (new Set(outputs.map((f) => path.resolve(f))).size !== outputs.length) throw new UsageError('the output files must differ');
  // the base's dtkit.config.yaml: preset, include, rules (flags override it)
  const s = baseInputSettings(args[0], settingFlags(opts), io.host, io.err);
  if (!s) return EXIT.USAGE;
  const pathError = outputPathError(outputs);
  if (pathError) {
    io.err(pathError);
    return EXIT.INPUT;
  }
  const reporter = reporterFor(opts, io, s);
  const input = inputOptions(opts, io, s);
  const layout = sourceTreeOf(args[0], input);
  if (layout) reporter.info(`using the ${describeSourceTree(layout, { bindings: false })}`);

  const sv = schemaValidation(opts, io);
  if (sv.diagnostics.length) {
    reporter.add(sv.diagnostics);
    reporter.finish();
    return EXIT.INPUT;
  }
  const builtin = profileFile !== opts.profile;
  const r = generateOverlay({
    host: io.host, profileFile, profileDisplay: builtin ? `built-in profile ${opts.profile}` : opts.profile,
    baseFile: args[0], includeDirs: input.includeDirs, detect: input.detect, readStdin: io.readStdin,
    dtsoName: opts.output, schemas: sv.schemas, checkLevels: s.levels.checks,
  });
  reporter.add(r.diagnostics, lines((f) => r.sources.get(f) ?? readText(io.host, f)));
  if (!r.ok || !r.dtso || reporter.hasErrors) {
    reporter.finish({ outputs: [] });
    if ((opts.format ?? 'text') === 'text') {
      const n = r.diagnostics.filter((d) => d.severity === 'error').length || 1;
      io.err(errorLine(`refused: ${n} error${n === 1 ? '' : 's'}; nothing written`));
    }
    return EXIT.INPUT;
  }
  const files: OutputFile[] = [{ file: opts.output, data: r.dtso }];
  if (opts.dtbo && r.dtbo) files.push({ file: opts.dtbo, data: r.dtbo });
  if (opts.applied && r.applied) files.push({ file: opts.applied, data: r.applied });
  if (!writeOutputs(files, io.err, io.writeAll)) {
    reporter.finish({ outputs: [] });
    return EXIT.INPUT;
  }
  const plan = r.plan!;
  if ((opts.format ?? 'text') === 'text') {
    const rps = plan.profile.remoteprocs.length, edits = plan.profile.edits.length;
    io.out(`generated ${files.map((f) => f.file).join(', ')} from profile '${plan.profile.name}' for ${args[0]}\n`);
    io.out(`  ${plan.blocks.length} override block${plan.blocks.length === 1 ? '' : 's'}: ${plan.blocks.map((b) => `&${b.ref}`).join(' ')}\n`);
    io.out(`  from ${rps} remoteproc${rps === 1 ? '' : 's'} and ${edits} edit${edits === 1 ? '' : 's'}${plan.usesDevmem ? ' (qcom,devmem flags as QCOM_DEVMEM_* macros)' : ''}\n`);
    io.out('checked:\n');
    for (const c of r.checked) io.out(`  ok  ${c}\n`);
  }
  reporter.finish({ outputs: files.map((f) => f.file), profile: plan.profile.name, checked: r.checked });
  return EXIT.OK;
}

export const registerOverlay: RegisterCommand = (program: Command, setExit) => {
  const cmd = program
    .command('overlay')
    .description('generate a KVM (EL2) overlay from a profile, checked against the base board')
    .argument('[base]', 'the one base board (DTS source, or a DTB compiled with -@; - for standard input); optional with --from')
    .option('-p, --profile <profile>', '(required unless --from/--list-profiles) profile YAML file, or a built-in profile name (see --list-profiles)')
    .option('-o, --output <file>', '(required with --profile) the .dtso to write; with --from: the profile to write (default: standard output)');
  addInputOptions(cmd)
    .option('--dtbo <file>', 'also write the compiled overlay (.dtbo, with symbols and fixups)')
    .option('--applied <file>', 'also write the base with the overlay applied (.dtb)')
    .option('--schemas <dir>', 'validate the composite against these bindings too (repeatable)', collect)
    .option('--list-profiles', 'list the built-in profiles')
    .option('--from <overlay>', 'print the profile that reproduces an existing overlay (.dtso or .dtbo)')
    .option('--name <name>', 'with --from: the profile name to write');
  addRuleOptions(cmd);
  addConfigOptions(cmd);
  addReportOptions(cmd);
  cmd.addHelpText('after', `\n${inputHelp({ bindings: false })}\n${configHelp('the base (with --from and no base: the overlay)', 'preset, include, rules')}`);
  addExample(cmd, 'dtkit overlay --profile examples/lemans-kvm/profile.yaml examples/lemans-kvm/board.dts -o /tmp/lemans-kvm.dtso');
  cmd.allowExcessArguments(false);
  cmd.action((base: string | undefined, opts: OverlayOptions) => {
    setExit(overlayCommand(base === undefined ? [] : [base], opts, processOverlayIo));
  });
};
