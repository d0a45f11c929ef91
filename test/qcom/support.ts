// Shared by the qcom tests: fixture folders, compiling a fixture variant, running the qcom
// rows on it, and finding `/*@name*/` position markers in fixture text.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckOptions } from '../../src/checks/types.js';
import type { Diagnostic } from '../../src/report/diagnostic.js';
import { loadComposite } from '../../src/input/composite.js';
import type { LoadedComposite } from '../../src/input/composite.js';
import { qcomChecks } from '../../src/qcom/checks.js';
import type { QcomCheckOptions } from '../../src/qcom/checks.js';
import { projectRoot } from '../support/corpus.js';

export const fixturesDir = path.join(projectRoot, 'test', 'qcom', 'fixtures');
export const templateFile = path.join(fixturesDir, 'lemans-pas.dtsi');
export const example18File = path.join(fixturesDir, 'adsp-devmem-18.dts');

/** A fresh folder for generated inputs (removed by the caller's `after`). */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dtkit-qcom-${prefix}-`));
}

export interface Position {
  file: string;
  line: number;
  column: number;
}

/** Where the text right after `/*@name*\/` sits, in `file` whose text is `text`. */
export function markerPosition(file: string, text: string, name: string): Position | undefined {
  const tag = `/*@${name}*/`;
  const at = text.indexOf(tag);
  if (at < 0) return undefined;
  const after = at + tag.length;
  const before = text.slice(0, after);
  const line = before.split('\n').length;
  return { file, line, column: after - before.lastIndexOf('\n') };
}

/** A variant board: the lemans template plus `body`, written to `dir`. */
export function writeVariant(dir: string, name: string, body: string): { file: string; text: string } {
  const text = `/dts-v1/;\n\n#include "lemans-pas.dtsi"\n\n${body}\n`;
  const file = path.join(dir, `${name}.dts`);
  fs.writeFileSync(file, text);
  return { file, text };
}

export interface QcomRun {
  board: LoadedComposite;
  findings: Diagnostic[];
}

/** Compiles `file` with dtkit (fixtures folder on the include path by default). */
export function buildBoard(file: string, overlays: string[] = [], includeDirs = [fixturesDir]): LoadedComposite {
  const board = loadComposite(file, overlays, { host: nodeHost, includeDirs });
  if (!board.tree) {
    const why = board.diagnostics.map((d) => `${d.span ? `${d.span.file}:${d.span.line}: ` : ''}${d.message}`).join('\n');
    throw new Error(`fixture ${file} did not build:\n${why}`);
  }
  return board;
}

/** How a test runs the qcom rows: their own options, and -W/-E levels for the runner. */
export type QcomRunOptions = QcomCheckOptions & Pick<CheckOptions, 'levels'>;

/** The qcom rows' findings on a built board, with row locations. */
export function qcomFindings(board: LoadedComposite, options: QcomRunOptions = {}): Diagnostic[] {
  const { levels, ...rows } = options;
  return runChecks(board.tree!, { checks: qcomChecks(rows), options: { levels } }).diagnostics;
}

/** Builds `file` and runs the qcom rows on it. */
export function runQcom(file: string, options: QcomRunOptions = {}, overlays: string[] = [], includeDirs = [fixturesDir]): QcomRun {
  const board = buildBoard(file, overlays, includeDirs);
  return { board, findings: qcomFindings(board, options) };
}
