// The language server's state between requests: the open documents (read instead of the
// files on disk: what is checked is what the user sees), the schema set and the
// preprocessor's cache (kept warm), and the last check of every board with its tree.
// A .dts is checked as itself; a .dtsi through a board that includes it (the one the
// settings name, else one already checked that read it, else the nearest board in its
// folder); a .dtso against the base the settings name, else on its own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import type { Settings } from '../config/settings.js';
import { createConfigContext, settingsFor } from '../config/settings.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { fileKey } from '../report/lsp.js';
import { formatPos } from '../report/source.js';
import type { ValidateContext } from '../schema/validate.js';
import { matchBaseline, readBaseline } from '../suppress/baseline.js';
import { inputFindings } from '../suppress/findings.js';
import type { CheckedInput, ValidateWorkspace } from '../validate/input.js';
import { checkInput, createWorkspace, jobFor, schemasFor } from '../validate/input.js';
import { BindingDocs } from './bindings.js';
import type { LspSettings } from './settings.js';
import { settingFlagsOf } from './settings.js';

/** A board (with overlays) whose check answers for the files it reads. */
export interface CheckUnit {
  key: string;
  board: string;
  overlays: string[];
}

export interface UnitCheck {
  unit: CheckUnit;
  /** findings after levels, baseline and suppressions: what the editor shows */
  findings: Diagnostic[];
  result: CheckedInput;
  /** the board's settings (its dtkit.config.yaml under the client's settings) */
  settings: Settings;
  /** what the check read files through (open buffers first) */
  host: Host;
  schemas: ValidateContext;
  docs: BindingDocs;
  /** every file the check read (normalised), for "which checks does an edit affect" */
  files: Set<string>;
  /** milliseconds the check took */
  elapsedMs: number;
  /** a problem with the settings or the config file (an unknown rule id), said to the user */
  settingsError?: string;
}

/** Text of the open documents, as bytes a file would hold (UTF-8). */
export class OpenDocuments {
  private readonly texts = new Map<string, { text: string; bytes: Uint8Array }>();

  set(file: string, text: string): void {
    this.texts.set(fileKey(file), { text, bytes: Buffer.from(text, 'utf8') });
  }

  delete(file: string): void {
    this.texts.delete(fileKey(file));
  }

  text(file: string): string | undefined {
    return this.texts.get(fileKey(file))?.text;
  }

  has(file: string): boolean {
    return this.texts.has(fileKey(file));
  }

  /** `base` with open documents read from the editor's buffers. */
  host(base: Host): Host {
    return {
      readFile: (f) => this.texts.get(fileKey(f))?.bytes ?? base.readFile(f),
      isFile: (f) => this.texts.has(fileKey(f)) || base.isFile(f),
    };
  }
}

const INCLUDE_LINE = /^[ \t]*(?:#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]|\/include\/[ \t]*"([^"\n]+)")/gm;

/** Boards that include a .dtsi, directly or through other .dtsi, found in the folders it
 *  lives in by reading the include lines of the sources there. */
function boardsIncluding(target: string, read: (f: string) => string | undefined): string[] {
  const dir = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.(dts|dtsi)$/.test(n)).sort();
  } catch {
    return [];
  }
  const includedBy = new Map<string, string[]>();
  for (const n of names) {
    const file = path.join(dir, n);
    const text = read(file);
    if (text === undefined) continue;
    for (const m of text.matchAll(INCLUDE_LINE)) {
      const inc = path.resolve(dir, m[1] ?? m[2]);
      const list = includedBy.get(inc);
      if (list) list.push(file);
      else includedBy.set(inc, [file]);
    }
  }
  // breadth first: the boards nearest in include hops, alphabetically
  const seen = new Set([path.resolve(target)]);
  let level = [path.resolve(target)];
  while (level.length) {
    const next: string[] = [];
    for (const f of level) for (const by of includedBy.get(f) ?? []) if (!seen.has(by)) {
      seen.add(by);
      next.push(by);
    }
    const boards = next.filter((f) => f.endsWith('.dts')).sort();
    if (boards.length) return boards;
    level = next;
  }
  return [];
}

export class Workspace {
  readonly docs = new OpenDocuments();
  /** validate's workspaces (schema sets, lexed headers), one per run-wide option set */
  private readonly validators = new Map<string, ValidateWorkspace>();
  private readonly bindingDocs = new Map<ValidateContext, BindingDocs>();
  private readonly checks = new Map<string, UnitCheck>();

  constructor(public settings: LspSettings, private readonly baseHost: Host = nodeHost) {}

  get host(): Host {
    return this.docs.host(this.baseHost);
  }

  /** The board (and overlays) `file` is checked through. */
  unitFor(file: string): CheckUnit {
    const f = fileKey(file);
    const make = (board: string, overlays: string[]): CheckUnit => ({ key: JSON.stringify([board, overlays]), board, overlays });
    const settings = this.settings;
    if (f.endsWith('.dtso')) {
      const base = settings.bases.get(f);
      return base ? make(base, [f]) : make(f, []);
    }
    if (f.endsWith('.dts')) return make(f, []);
    const named = settings.boards.get(f);
    if (named) return make(named, []);
    for (const c of this.checks.values()) if (c.unit.board !== f && c.files.has(f)) return c.unit;
    const found = boardsIncluding(f, (x) => this.docs.text(x) ?? (fs.existsSync(x) ? fs.readFileSync(x, 'latin1') : undefined));
    return make(found[0] ?? f, []);
  }

  /** The last check of `file`'s unit, without running one. */
  lastCheck(file: string): UnitCheck | undefined {
    return this.checks.get(this.unitFor(file).key);
  }

  /** The last check of `file`'s unit, running one if there is none yet. */
  checkOf(file: string): UnitCheck {
    const unit = this.unitFor(file);
    return this.checks.get(unit.key) ?? this.check(unit);
  }

  /** Units whose last check read `file` (an edit there calls for a new check). */
  unitsReading(file: string): CheckUnit[] {
    const f = fileKey(file);
    return [...this.checks.values()].filter((c) => c.files.has(f)).map((c) => c.unit);
  }

  /** Forgets the checks no open document needs (their trees are large). */
  forgetUnused(): void {
    const needed = new Set<string>();
    for (const c of this.checks.values()) for (const f of c.files) if (this.docs.has(f)) needed.add(c.unit.key);
    for (const key of [...this.checks.keys()]) if (!needed.has(key)) this.checks.delete(key);
  }

  /** validate's workspace for the run-wide settings, reading open buffers first. */
  private validator(settings: LspSettings): ValidateWorkspace {
    const v = settings.validate;
    const run = { detect: v.detect !== false, coreSchemas: v.coreSchemas, cacheDir: v.cache ? v.cacheDir : null, unmatched: v.unmatched };
    const key = JSON.stringify(run);
    let ws = this.validators.get(key);
    if (!ws) {
      const host: Host = { readFile: (f) => this.host.readFile(f), isFile: (f) => this.host.isFile(f) };
      ws = createWorkspace(host, run);
      this.validators.set(key, ws);
    }
    return ws;
  }

  /** Checks `unit` as `dtkit validate` would, reading open documents from the editor: the
   *  board's dtkit.config.yaml under the client's settings, levels, suppression comments and
   *  the baseline, all as the command line applies them. */
  check(unit: CheckUnit): UnitCheck {
    const t0 = performance.now();
    const ws = this.validator(this.settings);
    // read afresh each check: an edit to the config file (saved or not) applies at once
    const settings = settingsFor(unit.board, settingFlagsOf(this.settings), createConfigContext(ws.host));
    const problems = [...settings.problems, ...settings.diagnostics.map((d) => `${d.span ? formatPos(d.span) : d.file}: ${d.message}`)];
    const { job } = jobFor(unit.board, settings, { detect: ws.run.detect });
    if (unit.overlays.length) job.overlays = unit.overlays;
    const result = checkInput(job, ws);
    let findings = inputFindings(result.diagnostics, result.sources, settings.levels, ws.catalog).diagnostics;
    if (this.settings.baseline) {
      const b = readBaseline(ws.host, this.settings.baseline);
      if (b.baseline) findings = matchBaseline(unit.board, findings, b.baseline).kept;
      else problems.push(b.diagnostics[0].message);
    }
    const schemas = schemasFor(ws, job.schemas);
    let docs = this.bindingDocs.get(schemas);
    if (!docs) this.bindingDocs.set(schemas, (docs = new BindingDocs(schemas, this.baseHost)));
    const files = new Set<string>([unit.board, ...job.overlays].map(fileKey));
    for (const input of [result.base, ...result.overlays]) for (const f of input.sources.keys()) files.add(fileKey(f));
    const check: UnitCheck = {
      unit, findings, result, settings, host: ws.host, schemas, docs, files,
      elapsedMs: performance.now() - t0, ...(problems.length ? { settingsError: problems[0] } : {}),
    };
    this.checks.set(unit.key, check);
    return check;
  }
}
