// A real LSP client for the tests: `dtkit lsp --stdio` in a child process, spoken to over
// its standard input/output with vscode-jsonrpc (the JSON-RPC library VS Code's own
// client uses). It records published diagnostics and the server's `dtkit/checked`
// notifications, and stops the server with shutdown/exit (killing it only if it hangs).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { projectRoot } from '../support/corpus.js';

export interface Checked {
  board: string;
  uri: string;
  version?: number;
  elapsedMs: number;
  findings: number;
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly checked: Checked[] = [];
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  stderr = '';

  private constructor(private readonly child: ChildProcess, readonly connection: MessageConnection) {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    connection.onNotification('dtkit/checked', (p: Checked) => {
      this.checked.push(p);
      this.wake();
    });
    // requests a server may send (configuration, messages) get empty answers
    connection.onRequest(() => null);
    connection.onNotification(() => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static async start(root: string, settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'dtkit'), 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (b: Buffer) => { client.stderr += b.toString(); });
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: uri(root), workspaceFolders: [{ uri: uri(root), name: 'test' }],
      capabilities: {}, initializationOptions: { dtkit: settings },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves when `ready()` holds, checked after every notification; rejects after `ms`. */
  until<T>(ready: () => T | undefined | false, ms = 60_000, what = 'a notification'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr}`)), ms);
      const test = () => {
        const v = ready();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else {
          this.waiters.push(test);
        }
      };
      test();
    });
  }

  async open(file: string, text: string): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'dts', version: 1, text } });
  }

  /** Replaces the buffer's whole text (unsaved); returns the new version. */
  async change(file: string, text: string): Promise<number> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
    return version;
  }

  /** Waits for the check after `version` of `file` and returns it. */
  checkedAfter(file: string, version: number, ms = 60_000): Promise<Checked> {
    return this.until(() => this.checked.find((c) => c.uri === uri(file) && (c.version ?? 0) >= version), ms, `the check of ${file} v${version}`);
  }

  request<R>(method: string, file: string, line: number, character: number, extra: Record<string, unknown> = {}): Promise<R> {
    return this.connection.sendRequest(method, { textDocument: { uri: uri(file) }, position: { line, character }, ...extra }) as Promise<R>;
  }

  /** workspace/didChangeConfiguration with these "dtkit" settings. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { dtkit: settings } });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    await exited;
    clearTimeout(kill);
    this.connection.dispose();
  }
}

/** Line (0-based) and character of the first occurrence of `needle` in `text` (+ `shift`). */
export function positionOf(text: string, needle: string, shift = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, at + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
