// The CLI side of the report stage: every command hands its findings to one Reporter,
// which applies the -W/-E levels, renders them in the format asked for (text, JSON,
// SARIF, GitHub workflow commands) and decides where they go:
//   - text goes where the command's findings belong (validate, devmem check: stdout;
//     commands whose stdout is a tree or a drawing: stderr);
//   - json/sarif/github go to stdout, unless stdout carries the command's data (compile
//     or `devmem map` without -o): then to stderr.
// Runs over many inputs (validate, compile) also hand it their inputs' finished findings
// (`addInput`): a baseline keeps only the new ones (its stale entries become notes, --prune
// drops them from the file) or --write-baseline records them all; the text report closes with
// a summary (and the slowest inputs with --timings); the exit code follows the findings and
// --max-warnings.
import type { Diagnostic, Severity } from '../report/diagnostic.js';
import { renderGithub } from '../report/github.js';
import type { JsonFinding } from '../report/json.js';
import { jsonFinding, jsonReport } from '../report/json.js';
import { renderText, sortDiagnostics } from '../report/render.js';
import { renderSarif } from '../report/sarif.js';
import { colorEnabled } from '../report/style.js';
import type { Baseline, BaselineEntry, BaselineMatch } from '../suppress/baseline.js';
import { RUN_INPUT, baselineEntry, baselinePath, fixedNotes, matchBaseline, prunedBaseline, renderBaseline } from '../suppress/baseline.js';
import { VERSION } from '../version.js';
import type { ReportFormat } from './options.js';
import { EXIT, errorLine, infoLine } from './options.js';
import type { RuleLevels } from './rules.js';
import { NO_SWITCHES, applyRuleLevels, ruleCatalog, rulesOf } from './rules.js';
import { writeOutputs } from './write.js';

/** Where a report is written; tests pass their own. */
export interface ReportStreams {
  out(text: string): void;
  err(text: string): void;
  /** whether stdout / stderr is a terminal (colour) */
  outIsTTY?: boolean;
  errIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  /** the folder SARIF and GitHub paths are relative to (default: the current folder) */
  cwd?: string;
}

export interface ReportOptions {
  command: string;
  format: ReportFormat;
  /** --color (true) / --no-color (false) */
  color?: boolean;
  levels?: RuleLevels;
  /** where the text report goes */
  textTo: 'out' | 'err';
  /** stdout carries the command's data: a machine-readable report goes to stderr */
  stdoutIsData?: boolean;
  /** --baseline: report only the findings it does not have */
  baseline?: Baseline;
  /** --prune: rewrite the baseline without the entries that matched nothing */
  prune?: boolean;
  /** --write-baseline FILE: record the findings there instead of reporting them */
  writeBaseline?: string;
  /** --max-warnings N: more warnings than N fail the run */
  maxWarnings?: number;
  /** close the text report with `N inputs, E errors, W warnings` */
  summary?: boolean;
  /** --timings: the slowest inputs after the summary */
  timings?: boolean;
}

/** One input's findings, finished by its pipeline (levels and suppressions applied, sorted),
 *  each maybe already rendered for the report (by a worker thread). */
export interface FinishedInput {
  input: string;
  diagnostics: Diagnostic[];
  rendered?: string[];
  records?: JsonFinding[];
  suppressed?: number;
  seconds?: number;
}

/** How many of the slowest inputs --timings lists. */
const SLOWEST = 10;

/** How one input's findings are shown: excerpt lines, and compatibles for JSON records. */
export interface FindingSource {
  lineText?: (file: string, line: number) => string | undefined;
  compatibleOf?: (node: string) => string[] | undefined;
}

export class Reporter {
  private readonly texts: string[] = [];
  private readonly records: JsonFinding[] = [];
  private readonly all: Diagnostic[] = [];
  private readonly runFindings: Diagnostic[] = [];
  private inputs = 0;
  private suppressed = 0;
  private baselined = 0;
  private readonly matches: BaselineMatch[] = [];
  private readonly recorded = new Map<string, BaselineEntry[]>();
  private readonly times: Array<[string, number]> = [];
  private baselineFailed = false;
  constructor(private readonly opts: ReportOptions, private readonly io: ReportStreams) {}

  private colorOfText: boolean | undefined;
  private colorOfErr: boolean | undefined;

  /** colour of the text report, and of what goes to stderr: decided when first written (a
   *  stream's isTTY makes the stream, see stdio.ts), then kept */
  private get color(): boolean {
    return (this.colorOfText ??= colorEnabled({ flag: this.opts.color, isTTY: this.opts.textTo === 'out' ? this.io.outIsTTY : this.io.errIsTTY, env: this.io.env }));
  }

  private get errColor(): boolean {
    return (this.colorOfErr ??= colorEnabled({ flag: this.opts.color, isTTY: this.io.errIsTTY, env: this.io.env }));
  }

  /** The findings about one input (after -W/-E), kept in the order added. */
  add(ds: Diagnostic[], source: FindingSource = {}): Diagnostic[] {
    this.inputs++;
    const shown = sortDiagnostics(applyRuleLevels(ds, this.opts.levels ?? NO_SWITCHES));
    this.all.push(...shown);
    if (this.opts.format === 'json') this.records.push(...shown.map((d) => jsonFinding(d, source)));
    else if (this.opts.format === 'text' && shown.length) {
      this.texts.push(`${shown.map((d) => renderText(d, { lineText: source.lineText, color: this.color })).join('\n')}\n`);
    }
    return shown;
  }

  /** One input's finished findings: through the baseline, then into the report (rendered
   *  here with `source` unless they come rendered). */
  addInput(f: FinishedInput, source: FindingSource = {}): void {
    this.inputs++;
    this.suppressed += f.suppressed ?? 0;
    if (f.seconds !== undefined) this.times.push([f.input, f.seconds]);
    const kept = this.throughBaseline(f.input, f.diagnostics);
    if (!kept.length) return;
    const keep = new Set(kept);
    const pick = <T>(xs: T[] | undefined) => xs?.filter((_, i) => keep.has(f.diagnostics[i]));
    const own = new Set(f.diagnostics);
    const notes = kept.filter((d) => !own.has(d));
    this.all.push(...kept);
    if (this.opts.format === 'json') {
      this.records.push(...(pick(f.records) ?? f.diagnostics.filter((d) => keep.has(d)).map((d) => jsonFinding(d, source))), ...notes.map((d) => jsonFinding(d)));
    } else if (this.opts.format === 'text') {
      const render = (d: Diagnostic) => renderText(d, { lineText: source.lineText, color: this.color });
      const texts = [...(pick(f.rendered) ?? f.diagnostics.filter((d) => keep.has(d)).map(render)), ...notes.map(render)];
      this.texts.push(`${texts.join('\n')}\n`);
    }
  }

  /** Findings not in the baseline (and notes for its entries that matched nothing); all of
   *  them recorded instead, with --write-baseline. */
  private throughBaseline(input: string, ds: Diagnostic[]): Diagnostic[] {
    if (this.opts.writeBaseline !== undefined) {
      const key = baselinePath(input, this.opts.writeBaseline);
      this.recorded.set(key, [...(this.recorded.get(key) ?? []), ...ds.map((d) => baselineEntry(d, this.opts.writeBaseline!))]);
      return [];
    }
    const baseline = this.opts.baseline;
    if (!baseline) return ds;
    const m = matchBaseline(input, ds, baseline);
    this.matches.push(m);
    this.baselined += m.matched;
    return [...m.kept, ...fixedNotes(m, baseline)];
  }

  /** Findings about the run's own material (the bindings), not about an input: in a text
   *  report they go to stderr, once, at the end; the other formats carry them with the rest. */
  addRunFindings(ds: Diagnostic[]): void {
    this.runFindings.push(...applyRuleLevels(ds, this.opts.levels ?? NO_SWITCHES));
  }

  private flushRunFindings(): void {
    const shown = this.throughBaseline(RUN_INPUT, sortDiagnostics(this.runFindings));
    if (!shown.length) return;
    if (this.opts.format === 'text') this.io.err(`${shown.map((d) => renderText(d, { color: this.errColor })).join('\n')}\n`);
    else if (this.opts.format === 'json') this.records.push(...shown.map((d) => jsonFinding(d)));
    this.all.push(...shown);
  }

  /** Whether the text report is in colour (for findings rendered elsewhere, in workers). */
  get textColor(): boolean {
    return this.color;
  }

  /** Whether any finding so far is an error (exit 1). */
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }

  /** A line about the run itself (which tree was used): stderr, whatever the format. */
  info(message: string): void {
    this.io.err(infoLine(message));
  }

  private count(level: Severity): number {
    return this.all.filter((d) => d.severity === level).length;
  }

  /** The exit code the findings call for: 1 on any error, or on more warnings than
   *  --max-warnings; 0 once --write-baseline has recorded them. */
  exitCode(): number {
    if (this.baselineFailed) return EXIT.INPUT;
    if (this.opts.writeBaseline !== undefined) return EXIT.OK;
    if (this.hasErrors) return EXIT.INPUT;
    const max = this.opts.maxWarnings;
    return max !== undefined && this.count('warning') > max ? EXIT.INPUT : EXIT.OK;
  }

  /** `3 inputs, 1 error, 12 warnings` (and notes, baselined and suppressed findings). */
  private summaryLine(): string {
    const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
    const parts = [n(this.inputs, 'input'), n(this.count('error'), 'error'), n(this.count('warning'), 'warning')];
    const infos = this.count('info');
    if (infos) parts.push(n(infos, 'info'));
    const aside: string[] = [];
    if (this.recorded.size || this.opts.writeBaseline !== undefined) {
      aside.push(`${n([...this.recorded.values()].reduce((k, e) => k + e.length, 0), 'finding')} written to the baseline`);
    }
    if (this.baselined) aside.push(`${this.baselined} in the baseline`);
    if (this.suppressed) aside.push(`${this.suppressed} suppressed`);
    return `${parts.join(', ')}${aside.length ? ` (${aside.join(', ')})` : ''}`;
  }

  private timingLines(): string {
    const slow = [...this.times].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
    return `slowest inputs:\n${slow.map(([input, s]) => `  ${s.toFixed(2).padStart(7)} s  ${input}`).join('\n')}\n`;
  }

  /** The baseline file, written (--write-baseline) or pruned (--prune). */
  private writeBaselineFile(): void {
    let file: string | undefined;
    let entries: Map<string, BaselineEntry[]> | undefined;
    if (this.opts.writeBaseline !== undefined) {
      file = this.opts.writeBaseline;
      entries = this.recorded;
    } else if (this.opts.prune && this.opts.baseline) {
      file = this.opts.baseline.file;
      entries = prunedBaseline(this.opts.baseline, this.matches);
    }
    if (file === undefined || !entries) return;
    if (!writeOutputs([{ file, data: new TextEncoder().encode(renderBaseline(entries)) }], this.io.err)) this.baselineFailed = true;
  }

  /** Writes the report; `data` is the command's own data for the JSON report. */
  finish(data?: Record<string, unknown>): void {
    this.flushRunFindings();
    this.writeBaselineFile();
    const machine = (text: string) => (this.opts.stdoutIsData ? this.io.err(text) : this.io.out(text));
    switch (this.opts.format) {
      case 'text': {
        const write = this.opts.textTo === 'out' ? this.io.out : this.io.err;
        for (const t of this.texts) write(t);
        if (this.opts.summary) write(`${this.summaryLine()}\n`);
        if (this.opts.timings) write(this.timingLines());
        break;
      }
      case 'json':
        machine(jsonReport({ command: this.opts.command, version: VERSION, inputs: this.inputs, diagnostics: this.records, data }));
        break;
      case 'sarif':
        machine(renderSarif(this.all, { rules: rulesOf(this.all, ruleCatalog()), toolVersion: VERSION, baseDir: this.io.cwd ?? process.cwd() }));
        break;
      case 'github':
        machine(renderGithub(this.all, { baseDir: this.io.cwd ?? process.cwd() }));
        break;
    }
    if (this.opts.timings && this.opts.format !== 'text') this.io.err(this.timingLines());
    const max = this.opts.maxWarnings;
    const warnings = this.count('warning');
    if (max !== undefined && this.opts.writeBaseline === undefined && warnings > max) {
      this.io.err(errorLine(`${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${max} allows`));
    }
  }
}
