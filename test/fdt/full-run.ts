// Shared driver of the full-corpus scripts (round trip, decompile): builds every kernel
// board and overlay with cpp + dtc (cached), adds dtc-tests' golden blobs, and reports
// "N/M identical". The scripts do nothing unless given --run, because node --test runs
// every file under test/.
import * as os from 'node:os';
import * as path from 'node:path';
import { linuxDtDir } from '../support/corpus.js';
import { buildKernelDtbAsync, goldenDtbs, kernelSources, mapPool } from './corpus-dtbs.js';

export interface FullRunArgs {
  run: boolean;
  vendor?: string;
  arch: string;
  jobs: number;
  verbose: boolean;
}

export function parseFullRunArgs(argv: string[]): FullRunArgs {
  const args: FullRunArgs = { run: false, arch: 'arm64', jobs: os.availableParallelism?.() ?? 2, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--run') args.run = true;
    else if (a === '--vendor') args.vendor = argv[++i];
    else if (a === '--arch') args.arch = argv[++i];
    else if (a === '--jobs') args.jobs = Number(argv[++i]);
    else if (a === '--verbose') args.verbose = true;
  }
  return args;
}

/** Every corpus blob: golden DTBs, then built boards and overlays. */
export async function allCorpusBlobs(args: FullRunArgs): Promise<{ blobs: string[]; unbuildable: string[] }> {
  const blobs = goldenDtbs();
  const unbuildable: string[] = [];
  if (!linuxDtDir()) return { blobs, unbuildable };
  const sources = [
    ...kernelSources({ arch: args.arch, vendor: args.vendor }),
    ...kernelSources({ arch: args.arch, vendor: args.vendor, overlays: true }),
  ];
  const built = await mapPool(sources, args.jobs, buildKernelDtbAsync);
  built.forEach((b, i) => (b ? blobs.push(b) : unbuildable.push(sources[i])));
  return { blobs, unbuildable };
}

export function shortName(file: string): string {
  return path.basename(file);
}
