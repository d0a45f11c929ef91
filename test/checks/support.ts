// Test helpers: run the check table on DTS text (parsed by dtkit, unresolved, so the
// fixup rows run in the table as in dtc), and the same text through the real dtc.
import { spawnSync } from 'node:child_process';
import { runChecks } from '../../src/checks/run.js';
import { parseCheckSwitch, resolveCheckLevels } from '../../src/checks/switches.js';
import { dtcChecks } from '../../src/checks/table.js';
import type { DtcVersion } from '../../src/checks/table.js';
import type { CheckResult } from '../../src/checks/types.js';
import { parseDts } from '../../src/dts/parser.js';
import { rawSource } from '../../src/dts/source.js';
import { memoryHost } from '../../src/host.js';
import { Diagnostics } from '../../src/report/diagnostic.js';
import type { Tree } from '../../src/tree/model.js';
import { findingKey, findingOf, parseDtcStderr } from './parity-lib.js';

export function parseText(text: string, file = 'test.dts'): Tree {
  const diagnostics = new Diagnostics();
  const { tree, ok } = parseDts(rawSource(file, text), { host: memoryHost({}), includeDirs: [], diagnostics });
  if (!ok) throw new Error(`fixture does not parse: ${diagnostics.items.map((d) => d.message).join('; ')}`);
  return tree;
}

/** Runs dtc's rows (default: dtc 1.8.1's table) with `-W/-E` switches written as on dtc's command line. */
export function checkText(text: string, switches: string[] = [], version?: DtcVersion): CheckResult {
  const checks = dtcChecks(version);
  const { levels } = resolveCheckLevels(switches.map((s) => parseCheckSwitch(s)), checks);
  return runChecks(parseText(text), { checks, options: { levels } });
}

/** The findings as dtc prints them, minus the source position. */
export function keysOf(result: CheckResult): string[] {
  return result.diagnostics.map((d) => findingKey(findingOf(d)));
}

/** The installed dtc's (1.6.1's) findings on the same text and switches (undefined when dtc is absent). */
export function dtcKeys(text: string, switches: string[] = []): string[] | undefined {
  const r = spawnSync('dtc', [...switches, '-I', 'dts', '-O', 'dtb', '-o', '/dev/null', '-'], { input: text, encoding: 'latin1' });
  if (r.error) return undefined;
  return parseDtcStderr(r.stderr).map(findingKey);
}
