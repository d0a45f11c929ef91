// What `validate` and `compile` share when they run over a whole tree: the inputs the
// arguments stand for (files, folders, globs; one shard of them), each input's settings
// (its dtkit.config.yaml under the command line's flags), the baseline and exit-policy
// options for the Reporter, and the progress line.
import type { Host } from '../host.js';
import { readText } from '../host.js';
import type { ConfigContext, SettingFlags, Settings } from '../config/settings.js';
import { createConfigContext, settingsFor } from '../config/settings.js';
import type { ExpandedInput } from '../input/expand.js';
import { expandInputs, parseShard, shardOf } from '../input/expand.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { renderText, sourceLines } from '../report/render.js';
import { readBaseline } from '../suppress/baseline.js';
import type { ConfigFlags, InputFlags, RuleFlags, TreeFlags } from './options.js';
import { UsageError, countOption, inputSettings } from './options.js';
import { Progress } from './progress.js';
import type { ReportOptions, ReportStreams } from './report.js';

/** The inputs of this run: the arguments expanded, then the shard asked for. */
export function treeInputs(args: readonly string[], flags: Pick<TreeFlags, 'shard'>, accept: RegExp, what: string): ExpandedInput[] {
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (flags.shard !== undefined && !shard) throw new UsageError(`bad --shard '${flags.shard}' (I/N with 1 <= I <= N, e.g. 2/4)`);
  if (args.length === 0) throw new UsageError("missing required argument 'inputs'");
  const { inputs, problems } = expandInputs(args, { accept, what });
  if (problems.length) throw new UsageError(problems[0]);
  return shardOf(inputs, shard);
}

/** The command line's settings flags (what it left out, a config file may say). */
export function settingFlags(o: InputFlags & RuleFlags & ConfigFlags, more: Partial<SettingFlags> = {}): SettingFlags {
  const input = inputSettings(o);
  return {
    config: o.config,
    preset: o.preset,
    include: input.includeDirs.length ? input.includeDirs : undefined,
    warnings: o.warning,
    errors: o.error,
    ...more,
  };
}

export interface InputSettings {
  input: ExpandedInput;
  settings: Settings;
}

/**
 * Each input's settings. A problem with the flags is a usage error; wrong keys or values in a
 * config file are printed (each file once, as `file:line:col: error: ...`) and undefined is
 * returned: the run must not go on (exit 2).
 */
export function inputSettingsOf(inputs: ExpandedInput[], flags: SettingFlags, host: Host, err: (text: string) => void, ctx: ConfigContext = createConfigContext(host)): InputSettings[] | undefined {
  const out = inputs.map((input) => ({ input, settings: settingsFor(input.input, flags, ctx) }));
  const problem = out.find((o) => o.settings.problems.length)?.settings.problems[0];
  if (problem) throw new UsageError(problem);
  const bad = new Map<string, Diagnostic[]>();
  for (const o of out) if (o.settings.diagnostics.length) bad.set(o.settings.configFile ?? '', o.settings.diagnostics);
  if (!bad.size) return out;
  const ds = [...bad.values()].flat();
  const lineText = sourceLines(new Map(), (f) => readText(host, f));
  err(`${ds.map((d) => renderText(d, { lineText })).join('\n')}\n`);
  return undefined;
}

/**
 * The settings of a command's one base input (apply, overlay, devmem check/map): as
 * inputSettingsOf, so the same config file, usage errors and located config errors (undefined: exit 2).
 */
export function baseInputSettings(input: string, flags: SettingFlags, host: Host, err: (text: string) => void): Settings | undefined {
  return inputSettingsOf([{ input }], flags, host, err)?.[0].settings;
}

/** The Reporter's baseline, exit-policy and timing options from the flags. */
export function treeReportOptions(flags: TreeFlags, host: Host, err: (text: string) => void): Partial<ReportOptions> | undefined {
  if (flags.prune && flags.baseline === undefined) throw new UsageError('--prune goes with --baseline FILE');
  if (flags.writeBaseline !== undefined && flags.baseline !== undefined) throw new UsageError('--write-baseline records a new baseline; it does not go with --baseline');
  if (flags.writeBaseline === '' || flags.baseline === '') throw new UsageError('the baseline file name is empty');
  const maxWarnings = countOption(flags.maxWarnings, '--max-warnings', 0);
  let baseline;
  if (flags.baseline !== undefined) {
    const r = readBaseline(host, flags.baseline);
    if (!r.baseline) {
      err(`${r.diagnostics.map((d) => renderText(d)).join('\n')}\n`);
      return undefined;
    }
    baseline = r.baseline;
  }
  return { baseline, prune: flags.prune, writeBaseline: flags.writeBaseline, maxWarnings, timings: flags.timings };
}

/** The progress line of a run of `total` inputs (shown only on a terminal). */
export function progressFor(total: number, io: ReportStreams): Progress {
  return new Progress(total, { write: io.err, isTTY: io.errIsTTY, columns: process.stderr.columns || undefined });
}
