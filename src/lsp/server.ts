// `dtkit lsp --stdio`: the Language Server Protocol over standard input/output, with
// vscode-languageserver doing the JSON-RPC. Documents are synced incrementally; a change
// schedules a check of every board that read the document (debounced), and the findings
// of a check are published for every file they are in (files that had findings from that
// board and have none now are cleared). Each check records how long it took; the
// `dtkit/checked` notification tells the client (tests measure re-check latency with it).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import lspNode from 'vscode-languageserver/node';
import type { Connection, Diagnostic as LspDiagnostic, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { renderLsp, fileKey } from '../report/lsp.js';
import { sourceLines } from '../report/render.js';
import { VERSION } from '../version.js';
import { completion, definition, documentSymbols, hover, references, uriOf } from './features.js';
import type { DocPosition } from './features.js';
import { settingsFrom } from './settings.js';
import type { CheckUnit, UnitCheck } from './workspace.js';
import { Workspace } from './workspace.js';

const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = lspNode;

/** Sent after every check: which board, how long it took, how many findings. */
export const CHECKED_NOTIFICATION = 'dtkit/checked';

export interface CheckedParams {
  board: string;
  uri: string;
  version?: number;
  elapsedMs: number;
  findings: number;
}

function fileOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export class DtkitLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private workspace: Workspace;
  private root = process.cwd();
  /** the client's URI for each open file (published diagnostics use it) */
  private readonly uris = new Map<string, string>();
  /** file -> board key -> diagnostics that board's check put there */
  private readonly published = new Map<string, Map<string, LspDiagnostic[]>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly connection: Connection) {
    this.workspace = new Workspace(settingsFrom({}, this.root));
    connection.onInitialize((p) => this.initialize(p));
    connection.onDidChangeConfiguration((p) => {
      this.workspace.settings = settingsFrom(p.settings, this.root);
      for (const d of this.documents.all()) this.schedule(d.uri, 0);
    });
    this.documents.onDidOpen((e) => this.opened(e.document));
    this.documents.onDidChangeContent((e) => this.changed(e.document));
    this.documents.onDidClose((e) => this.closed(e.document));
    connection.onDefinition((p) => this.at(p.textDocument.uri, p.position, (c, d) => definition(c, d)) ?? []);
    connection.onHover((p) => this.at(p.textDocument.uri, p.position, (c, d) => hover(c, d)) ?? null);
    connection.onCompletion((p) => this.at(p.textDocument.uri, p.position, (c, d) => completion(c, d)) ?? []);
    connection.onReferences((p) => this.at(p.textDocument.uri, p.position, (c, d) => references(c, d, p.context.includeDeclaration)) ?? []);
    connection.onDocumentSymbol((p) => {
      const file = fileOf(p.textDocument.uri);
      const check = file && this.workspace.lastCheck(file);
      return check ? documentSymbols(check, file) : [];
    });
    this.documents.listen(connection);
  }

  private initialize(p: InitializeParams): InitializeResult {
    const folder = p.workspaceFolders?.[0]?.uri ?? p.rootUri ?? undefined;
    this.root = (folder && fileOf(folder)) ?? p.rootPath ?? process.cwd();
    this.workspace = new Workspace(settingsFrom(p.initializationOptions ?? {}, this.root));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        definitionProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['&', '"'] },
        documentSymbolProvider: true,
        referencesProvider: true,
      },
      serverInfo: { name: 'dtkit', version: VERSION },
    };
  }

  /** A request at a position, answered from the last check of the document's board. */
  private at<T>(uri: string, position: DocPosition['position'], answer: (check: UnitCheck, doc: DocPosition) => T): T | undefined {
    const file = fileOf(uri);
    const doc = this.documents.get(uri);
    if (!file || !doc) return undefined;
    const check = this.workspace.lastCheck(file) ?? this.runCheck(this.workspace.unitFor(file), uri, doc.version);
    return check && answer(check, { file, text: doc.getText(), position });
  }

  private opened(doc: TextDocument): void {
    const file = fileOf(doc.uri);
    if (!file) return;
    this.uris.set(fileKey(file), doc.uri);
    this.workspace.docs.set(file, doc.getText());
    this.schedule(doc.uri, 0);
  }

  private changed(doc: TextDocument): void {
    const file = fileOf(doc.uri);
    if (!file) return;
    this.workspace.docs.set(file, doc.getText());
    this.schedule(doc.uri, this.workspace.settings.debounceMs);
  }

  private closed(doc: TextDocument): void {
    const file = fileOf(doc.uri);
    if (!file) return;
    this.workspace.docs.delete(file);
    const timer = this.timers.get(doc.uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(doc.uri);
    // the file on disk is what the boards read now
    for (const unit of this.workspace.unitsReading(file)) this.runCheck(unit, doc.uri);
    this.workspace.forgetUnused();
  }

  /** Checks, after `delay` ms of quiet, every board that reads the document. */
  private schedule(uri: string, delay: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      const file = fileOf(uri);
      const doc = this.documents.get(uri);
      if (!file || !doc) return;
      const units = new Map<string, CheckUnit>();
      const own = this.workspace.unitFor(file);
      units.set(own.key, own);
      for (const u of this.workspace.unitsReading(file)) units.set(u.key, u);
      for (const u of units.values()) this.runCheck(u, uri, doc.version);
    }, delay));
  }

  private runCheck(unit: CheckUnit, uri: string, version?: number): UnitCheck | undefined {
    let check: UnitCheck;
    try {
      check = this.workspace.check(unit);
    } catch (e) {
      // a dtkit bug must not take the editor's server down: said in the client's log
      this.connection.console.error(`dtkit: internal error checking ${unit.board}: ${(e as Error)?.stack ?? e}`);
      return undefined;
    }
    if (check.settingsError) this.connection.window.showWarningMessage(`dtkit: ${check.settingsError} (checked without that setting)`);
    this.publish(check);
    const params: CheckedParams = { board: unit.board, uri, elapsedMs: Math.round(check.elapsedMs), findings: check.findings.length, ...(version !== undefined ? { version } : {}) };
    void this.connection.sendNotification(CHECKED_NOTIFICATION, params);
    return check;
  }

  private publish(check: UnitCheck): void {
    const lineText = sourceLines(new Map(), (f) => check.result.sourceText(f));
    const byFile = renderLsp(check.findings, { lineText, uriOf: (f) => this.uris.get(fileKey(f)) ?? uriOf(path.resolve(f)), fallbackFile: check.unit.board });
    const key = check.unit.key;
    const touched = new Set<string>(byFile.keys());
    for (const [file, boards] of this.published) if (boards.has(key)) touched.add(file);
    for (const file of touched) {
      let boards = this.published.get(file);
      if (!boards) this.published.set(file, (boards = new Map()));
      const mine = byFile.get(file);
      if (mine) boards.set(key, mine);
      else boards.delete(key);
      const all = [...boards.values()].flat();
      if (boards.size === 0) this.published.delete(file);
      void this.connection.sendDiagnostics({ uri: this.uris.get(file) ?? uriOf(file), diagnostics: unique(all) });
    }
  }
}

/** The same finding from two boards once. */
function unique(ds: LspDiagnostic[]): LspDiagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.range.start.line}:${d.range.start.character}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Serves LSP on standard input/output until the client exits. */
export function runLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new DtkitLanguageServer(connection);
  connection.listen();
}
