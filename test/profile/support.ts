// Helpers for the overlay-generator tests: run `dtkit overlay` in-process with captured
// output, in a fresh temporary folder per test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import type { OverlayOptions } from '../../src/cli/overlay.js';
import { overlayCommand, processOverlayIo } from '../../src/cli/overlay.js';
import { projectRoot } from '../support/corpus.js';

export const exampleDir = path.join(projectRoot, 'examples', 'lemans-kvm');
export const exampleBoard = path.join(exampleDir, 'board.dts');
export const exampleProfile = path.join(exampleDir, 'profile.yaml');

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export function runOverlay(args: string[], opts: Partial<OverlayOptions>): RunResult {
  let out = '', err = '';
  const io = { ...processOverlayIo, host: nodeHost, out: (t: string) => (out += t), err: (t: string) => (err += t) };
  const code = overlayCommand(args, { include: [], schemas: [], ...opts }, io);
  return { code, out, err };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-overlay-'));
}

/** Files left in a folder (the refusal tests assert there are none). */
export function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/** The example profile with `from` replaced by `to` (exactly once), written into `dir`. */
export function variantProfile(dir: string, from: string, to: string): string {
  const text = fs.readFileSync(exampleProfile, 'latin1');
  if (text.split(from).length !== 2) throw new Error(`fixture text '${from}' must occur exactly once in the example profile`);
  const file = path.join(dir, 'profile.yaml');
  fs.writeFileSync(file, text.replace(from, to));
  return file;
}
