// The CLI side of the report stage: every command hands its findings to one Reporter,
// which applies the -W/-E levels, renders them in the format asked for (text, JSON,
// SARIF, GitHub workflow commands) and decides where they go:
//   - text goes where the command's findings belong (validate, devmem check: stdout;
//     commands whose stdout is a tree or a drawing: stderr);
//   - json/sarif/github go to stdout, unless stdout carries the command's data (compile
//     or `devmem map` without -o): then to stderr.
import type { Diagnostic } from '../report/diagnostic.js';
import { renderGithub } from '../report/github.js';
import type { JsonFinding } from '../report/json.js';
import { jsonFinding, jsonReport } from '../report/json.js';
import { renderText, sortDiagnostics } from '../report/render.js';
import { renderSarif } from '../report/sarif.js';
import { colorEnabled } from '../report/style.js';
import { VERSION } from '../version.js';
import type { ReportFormat } from './options.js';
import { infoLine } from './options.js';
import type { RuleLevels } from './rules.js';
import { NO_SWITCHES, applyRuleLevels, ruleCatalog, rulesOf } from './rules.js';

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
}

/** How one input's findings are shown: excerpt lines, and compatibles for JSON records. */
export interface FindingSource {
  lineText?: (file: string, line: number) => string | undefined;
  compatibleOf?: (node: string) => string[] | undefined;
}

export class Reporter {
  private readonly texts: string[] = [];
  private readonly records: JsonFinding[] = [];
  private readonly all: Diagnostic[] = [];
  private inputs = 0;
  /** colour of the text report, and of what goes to stderr */
  private readonly color: boolean;
  private readonly errColor: boolean;

  constructor(private readonly opts: ReportOptions, private readonly io: ReportStreams) {
    const isTTY = opts.textTo === 'out' ? io.outIsTTY : io.errIsTTY;
    this.color = colorEnabled({ flag: opts.color, isTTY, env: io.env });
    this.errColor = colorEnabled({ flag: opts.color, isTTY: io.errIsTTY, env: io.env });
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

  /** Findings about the run's own material (the bindings), not about an input: in a text
   *  report they go to stderr at once; the other formats carry them with the rest. */
  addRunFindings(ds: Diagnostic[]): void {
    const shown = sortDiagnostics(applyRuleLevels(ds, this.opts.levels ?? NO_SWITCHES));
    if (!shown.length) return;
    if (this.opts.format === 'text') this.io.err(`${shown.map((d) => renderText(d, { color: this.errColor })).join('\n')}\n`);
    else if (this.opts.format === 'json') this.records.push(...shown.map((d) => jsonFinding(d)));
    this.all.push(...shown);
  }

  /** Whether any finding so far is an error (exit 1). */
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }

  /** A line about the run itself (which tree was used): stderr, whatever the format. */
  info(message: string): void {
    this.io.err(infoLine(message));
  }

  /** Writes the report; `data` is the command's own data for the JSON report. */
  finish(data?: Record<string, unknown>): void {
    const machine = (text: string) => (this.opts.stdoutIsData ? this.io.err(text) : this.io.out(text));
    switch (this.opts.format) {
      case 'text': {
        const write = this.opts.textTo === 'out' ? this.io.out : this.io.err;
        for (const t of this.texts) write(t);
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
  }
}
