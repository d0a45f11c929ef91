// The fuzz properties in their short form (well under a minute together): a fixed seed,
// so `npm test` is repeatable; `npm run fuzz` runs them long with any seed.
import { test } from 'node:test';
import fc from 'fast-check';
import { corpusDtbs, dtbMutation, kernelBoard, printParse, sourceMutation, treeRoundTrip } from './properties.js';

const seed = Number(process.env.DTKIT_FUZZ_SEED ?? 12);

test('random trees -> DTB -> read: the same tree and the same bytes', () => {
  fc.assert(treeRoundTrip, { numRuns: 300, seed });
});

test('random trees -> DTS text -> compile: the same bytes', () => {
  fc.assert(printParse, { numRuns: 200, seed });
});

test('random byte edits of real DTBs: a located error or a valid result, never an exception', (t) => {
  const dtbs = corpusDtbs();
  if (dtbs.length === 0) return t.skip('corpus not found (set DTKIT_CORPUS): no real DTBs to edit');
  fc.assert(dtbMutation(dtbs), { numRuns: 1500, seed });
});

test('random token edits of a real board source: diagnostics, never an exception or a time-out', (t) => {
  const board = kernelBoard();
  if (!board) return t.skip('corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT): no board source to edit');
  fc.assert(sourceMutation(board, 10_000), { numRuns: 60, seed });
});
