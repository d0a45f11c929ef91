// Runs of the real command line (bin/dtkit, as a user types it) and of the in-process
// command functions with captured output.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import type { ValidateCliOptions, ValidateIo } from '../../src/cli/validate.js';
import { runValidate } from '../../src/cli/validate.js';
import { projectRoot } from '../support/corpus.js';

export const dtkitBin = path.join(projectRoot, 'bin', 'dtkit');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `dtkit ARGS` in a child process; `shell` runs a shell line with $DTKIT set instead. */
export function dtkit(args: string[], opts: { cwd?: string; input?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [dtkitBin, ...args], {
    cwd: opts.cwd, input: opts.input, encoding: 'latin1', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...opts.env }, timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function shell(line: string, opts: { cwd?: string } = {}): CliRun {
  const r = spawnSync('bash', ['-c', line], {
    cwd: opts.cwd, encoding: 'latin1', env: { ...process.env, DTKIT: `${process.execPath} ${dtkitBin}` }, timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** `dtkit validate` in-process (no schema cache, this thread only: --jobs 1). */
export async function validate(inputs: string[], opts: Partial<ValidateCliOptions> = {}, io: Partial<ValidateIo> = {}): Promise<Captured> {
  let out = '', err = '';
  const code = await runValidate(inputs, { unmatched: true, cache: false, format: 'json', jobs: '1', ...opts }, {
    host: nodeHost, out: (t) => (out += t), err: (t) => (err += t), ...io,
  });
  return { code, out, err };
}

export interface JsonFindingLike {
  rule: string;
  level: string;
  file: string | null;
  line: number | null;
  column: number | null;
  node: string | null;
  message: string;
  property_path: Array<string | number>;
}

export function findings(out: string, keep: (f: JsonFindingLike) => boolean = () => true): JsonFindingLike[] {
  return (JSON.parse(out) as { diagnostics: JsonFindingLike[] }).diagnostics.filter(keep);
}

/** A bindings folder with one unrelated binding: with bindings, undocumented compatibles
 *  are reported (without any, they are not, as every compatible would be). */
export function unrelatedBindings(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-bindings-')), 'bindings');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'dtkit-unrelated.yaml'), [
    '%YAML 1.2', '---',
    '$id: http://devicetree.org/schemas/dtkit-unrelated.yaml#',
    '$schema: http://devicetree.org/meta-schemas/core.yaml#',
    'title: An unrelated device', 'maintainers:', '  - dtkit tests <dtkit@example.com>',
    'properties:', '  compatible:', '    const: dtkit,unrelated',
    'required:', '  - compatible', 'additionalProperties: false', '',
  ].join('\n'));
  return dir;
}
