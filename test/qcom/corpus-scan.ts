// Full corpus run of the qcom rows, for the integrator (too slow for the unit suite):
//   node dist/test/qcom/corpus-scan.js            every -el2 composite of qcom-composites.txt, host kvm
//   node dist/test/qcom/corpus-scan.js --boards   also every Qualcomm board as a QHEE base, host qhee
//   node dist/test/qcom/corpus-scan.js --boards sm8750   (boards whose name contains "sm8750")
// Prints each finding (file:line rule node message) and a summary; exit 1 when a board
// cannot be built.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeHost } from '../../src/host.js';
import { runChecks } from '../../src/checks/run.js';
import { loadComposite } from '../../src/input/composite.js';
import { qcomChecks } from '../../src/qcom/checks.js';
import type { PasPolicy } from '../../src/qcom/checks.js';
import { corpusDir, linuxDtDir } from '../support/corpus.js';

interface Job {
  name: string;
  base: string;
  overlays: string[];
  policy: PasPolicy;
}

function jobs(linux: string, corpus: string, boards: boolean, filter?: string): Job[] {
  const qcom = path.join(linux, 'src', 'arm64', 'qcom');
  const out: Job[] = [];
  for (const line of fs.readFileSync(path.join(corpus, 'qcom-composites.txt'), 'utf8').split('\n')) {
    const [target, base, ...overlays] = line.trim().split(/\s+/);
    if (!target || target.startsWith('#') || !target.endsWith('-el2')) continue;
    out.push({
      name: target, base: path.join(qcom, base.replace(/\.dtb$/, '.dts')),
      overlays: overlays.map((o) => path.join(qcom, o.replace(/\.dtbo$/, '.dtso'))), policy: 'kvm',
    });
  }
  if (boards) {
    for (const f of fs.readdirSync(qcom).filter((f) => f.endsWith('.dts')).sort()) {
      out.push({ name: f.replace(/\.dts$/, ''), base: path.join(qcom, f), overlays: [], policy: 'qhee' });
    }
  }
  return filter ? out.filter((j) => j.name.includes(filter)) : out;
}

function main(argv: string[]): number {
  const linux = linuxDtDir();
  const corpus = corpusDir();
  if (!linux || !corpus) {
    process.stderr.write('corpus not found (set DTKIT_CORPUS or DTKIT_LINUX_DT)\n');
    return 2;
  }
  const boards = argv.includes('--boards');
  const filter = argv.find((a) => !a.startsWith('--'));
  const includeDirs = [path.join(linux, 'include'), path.join(linux, 'src', 'arm64'), path.join(linux, 'src'), path.join(linux, 'src', 'arm64', 'qcom')];
  const byRule = new Map<string, number>();
  let clean = 0, failed = 0;
  const list = jobs(linux, corpus, boards, filter);
  const t0 = performance.now();
  for (const job of list) {
    const board = loadComposite(job.base, job.overlays, { host: nodeHost, includeDirs });
    if (!board.tree) {
      failed++;
      process.stdout.write(`${job.name}: cannot build: ${board.diagnostics.find((d) => d.severity === 'error')?.message ?? '?'}\n`);
      continue;
    }
    const found = runChecks(board.tree, { checks: qcomChecks({ policy: job.policy }) }).diagnostics;
    if (found.length === 0) clean++;
    for (const d of found) {
      byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
      const at = d.span ? `${path.relative(linux, d.span.file)}:${d.span.line}` : '-';
      process.stdout.write(`${job.name} [host ${job.policy}]: ${at}: ${d.severity}: ${d.node}: ${d.message} [${d.rule}]\n`);
    }
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`\n${list.length} trees in ${secs} s: ${clean} clean, ${list.length - clean - failed} with findings, ${failed} not built\n`);
  for (const [rule, n] of [...byRule].sort()) process.stdout.write(`  ${rule}: ${n}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
