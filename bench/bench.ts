// `npm run bench [STEP...]`: dtkit against the reference tools, measured in the same run on
// the same machine, reported as ratios (the machines are shared and noisy, so each timing is
// the median of several runs, commands measured in turns, with the load average printed).
// Steps: batch, single, apply, validate, validate-set, generated (default: all). The
// single-invocation rows (single, apply, validate) are judged by CPU time, wall shown too.
// dt-validate is not installed here; its figures come from the golden folder, measured on
// the same kind of machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDir, linuxDtDir, projectRoot, skipUnless } from '../test/support/corpus.js';
import { generatedInputs } from './generated.js';

const DTKIT = path.join(projectRoot, 'bin', 'dtkit');
const CPP_FLAGS = ['-nostdinc', '-I', 'include', '-I', 'src/arm64', '-I', 'src', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp'];

interface Timing {
  /** median wall seconds */
  seconds: number;
  /** median CPU seconds (user + sys of the whole process tree): steadier than wall on a
   *  shared machine, and what the single-invocation targets are judged by */
  cpu: number;
  /** peak resident memory of the measured process tree in MB, when known */
  peakMb?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The 1/5/15-minute load averages, printed with every figure (other work on the machine). */
function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** Runs a shell command under GNU time (for peak RSS), its CPU time (user + system of the
 *  whole process tree) from bash's `times`, which prints milliseconds: GNU time's %U/%S
 *  print hundredths, too coarse for a run of ~0.05-0.1 s. */
function timeShell(cmd: string, cwd: string): Timing {
  const tf = path.join(os.tmpdir(), `dtkit-bench-time-${process.pid}`);
  const cpuFile = `${tf}.cpu`;
  const wrapped = `${cmd}\nstatus=$?; times > ${q(cpuFile)}; exit $status`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', tf, 'bash', '-c', wrapped], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${cmd}\n${r.stderr?.toString().slice(0, 2000)}`);
  const rss = Number(fs.readFileSync(tf, 'utf8').trim().split('\n').pop());
  // `times`: the shell's own user/system, then its children's (the command), as 0m0.045s
  const children = fs.readFileSync(cpuFile, 'utf8').trim().split('\n')[1];
  const cpu = children.split(' ').reduce((sum, t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    if (!m) throw new Error(`bench: cannot read bash's times output '${children}'`);
    return sum + Number(m[1]) * 60 + Number(m[2]);
  }, 0);
  return { seconds, cpu, peakMb: rss / 1024 };
}

function summary(ts: Timing[]): Timing {
  return { seconds: median(ts.map((t) => t.seconds)), cpu: median(ts.map((t) => t.cpu)), peakMb: Math.max(...ts.map((t) => t.peakMb ?? 0)) };
}

function measure(cmd: string, cwd: string, runs: number): Timing {
  const ts: Timing[] = [];
  for (let i = 0; i < runs; i++) ts.push(timeShell(cmd, cwd));
  return summary(ts);
}

/** Commands measured in turns (a, b, c, a, b, c, ...), so that each sees the same load. */
function measureTogether(cmds: string[], cwd: string, runs: number, before: (i: number) => void = () => {}): Timing[] {
  const ts: Timing[][] = cmds.map(() => []);
  for (let r = 0; r < runs; r++) {
    cmds.forEach((c, i) => {
      before(i);
      ts[i].push(timeShell(c, cwd));
    });
  }
  return ts.map(summary);
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Row {
  name: string;
  dtkit: Timing;
  /** a throughput row: how many times as fast as the reference (wall seconds) */
  reference?: number;
  /** a single-invocation row: dtkit's cost as a multiple of the reference's (CPU seconds) */
  versus?: Timing;
  referenceName: string;
  target: string;
  pass: boolean;
  /** printed for context, judged by nothing */
  context?: boolean;
  /** what `dtkit` timed, when it is another tool (a context row) */
  measured?: string;
}

function fmt(r: Row): string {
  const mem = r.dtkit.peakMb ? `, dtkit peak ${r.dtkit.peakMb.toFixed(0)} MB` : '';
  const verdict = r.context ? 'info' : r.pass ? 'PASS' : 'FAIL';
  if (r.versus) {
    const v = r.versus;
    const who = r.measured ?? 'dtkit';
    return `${verdict}  ${r.name}: ${who} ${r.dtkit.cpu.toFixed(3)} s CPU (${r.dtkit.seconds.toFixed(3)} s wall), ${r.referenceName} ${v.cpu.toFixed(3)} s CPU (${v.seconds.toFixed(3)} s wall) => ${(r.dtkit.cpu / v.cpu).toFixed(2)}x CPU (${(r.dtkit.seconds / v.seconds).toFixed(2)}x wall)${mem}  (target: ${r.target})`;
  }
  const ratio = r.reference! / r.dtkit.seconds;
  return `${verdict}  ${r.name}: dtkit ${r.dtkit.seconds.toFixed(2)} s, ${r.referenceName} ${r.reference!.toFixed(2)} s => ${ratio.toFixed(2)}x as fast${mem}  (target: ${r.target})`;
}

/** A single-invocation row: at most `limit` times the reference's CPU time, peak < 150 MB. */
function single(name: string, dtkit: Timing, versus: Timing, referenceName: string, limit: number): Row {
  return {
    name, dtkit, versus, referenceName, target: `<= ${limit}x in CPU time, peak < 150 MB`,
    pass: dtkit.cpu <= limit * versus.cpu && (dtkit.peakMb ?? 0) < 150,
  };
}

function main(): number {
  const skip = skipUnless({ corpus: true, dtc: true, cpp: true, fdtoverlay: true });
  if (skip) {
    console.log(`bench: skipped: ${skip}`);
    return 0;
  }
  if (!fs.existsSync('/usr/bin/time')) {
    console.error('bench: needs GNU time for peak memory (apt-get install time)');
    return 1;
  }
  const linux = linuxDtDir()!;
  const corpus = corpusDir()!;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-bench-'));
  const jobs = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const runs = Number(process.env.DTKIT_BENCH_RUNS ?? 3);
  const loadAtStart = load();
  const only = process.argv.slice(2);
  const want = (k: string) => only.length === 0 || only.includes(k);
  const rows: Row[] = [];
  const qcom = fs.readdirSync(path.join(linux, 'src/arm64/qcom')).filter((f) => f.endsWith('.dts')).sort();
  const inc = ['-I', 'src/arm64/qcom', '-I', 'src/arm64', '-I', 'include', '-I', 'src'];

  // The reference of both whole-tree steps: cpp+dtc compiling every Qualcomm board with
  // `xargs -P <cores>`, measured once per run (same cores as dtkit's worker threads).
  let batchReference: number | undefined;
  const cppDtcBatch = (): number => {
    if (batchReference !== undefined) return batchReference;
    const list = path.join(work, 'boards.txt');
    fs.writeFileSync(list, qcom.map((f) => `src/arm64/qcom/${f}`).join('\n') + '\n');
    fs.mkdirSync(path.join(work, 'ref'), { recursive: true });
    const one = `f="$1"; b=$(basename "$f" .dts); cpp ${CPP_FLAGS.join(' ')} -o ${q(work)}/ref/$b.tmp "$f" && dtc -q -O dtb -b 0 -i src/arm64/qcom -i src/arm64 -o ${q(work)}/ref/$b.dtb ${q(work)}/ref/$b.tmp`;
    batchReference = measure(`xargs -P ${jobs} -n 1 bash -c ${q(one)} _ < ${q(list)}`, linux, runs).seconds;
    return batchReference;
  };

  if (want('batch')) {
    fs.mkdirSync(path.join(work, 'dtkit'), { recursive: true });
    const ref = cppDtcBatch();
    const list = path.join(work, 'boards.txt');
    const dk = measure(`xargs -a ${q(list)} ${q(DTKIT)} compile -q --no-config --jobs ${jobs} ${inc.join(' ')} --out-dir ${q(work)}/dtkit`, linux, runs);
    rows.push({ name: `batch compile of ${qcom.length} Qualcomm boards (${jobs} cores)`, dtkit: dk, reference: ref, referenceName: 'cpp+dtc', target: '>= 2x, peak < 300 MB', pass: ref / dk.seconds >= 2 && (dk.peakMb ?? 0) < 300 });
  }
  if (want('validate-tree')) {
    // every Qualcomm board from source with the kernel's bindings (found in the tree), on all
    // cores, against cpp+dtc merely compiling them; the schema cache warm (as in CI with a
    // cached ~/.cache), the cold figure for context
    const ref = cppDtcBatch();
    const cache = path.join(work, 'tree-cache');
    const validate = `${q(DTKIT)} validate --no-config --jobs ${jobs} --cache-dir ${q(cache)} 'src/arm64/qcom/*.dts' > /dev/null; test $? -le 1`;
    const cold = measure(validate, linux, 1);
    const warm = measure(validate, linux, runs);
    rows.push({ name: `validate ${qcom.length} Qualcomm boards from source with the kernel's bindings (${jobs} cores), schema cache warm`, dtkit: warm, reference: ref, referenceName: `cpp+dtc compiling them (xargs -P ${jobs})`, target: '<= cpp+dtc time', pass: warm.seconds <= ref });
    rows.push({ name: `the same, schema cache cold, for context`, dtkit: cold, reference: ref, referenceName: 'cpp+dtc', target: 'none', pass: true });
  }
  // One invocation as a person at a terminal, a pre-commit hook or a per-board make rule
  // runs it: a fresh process each time, judged against the tools it replaces (or node's own
  // start-up) measured in turns with it.
  const board = 'src/arm64/qcom/lemans-evk.dts';
  const cppDtc = (src: string, flags = '') => `cpp ${CPP_FLAGS.join(' ')} ${src} | dtc ${flags} -O dtb -b 0 -i src/arm64/qcom -i src/arm64 -o /dev/null -`;
  if (want('single')) {
    // both print their warnings, as a user running either sees them
    const [ref, dk] = measureTogether([cppDtc(board), `${q(DTKIT)} compile ${inc.join(' ')} -o ${q(work)}/lemans-evk.dtb ${board}`], linux, runs * 3);
    rows.push(single('compile qcom/lemans-evk.dts', dk, ref, 'cpp+dtc', 3));
  }
  if (want('apply')) {
    const base = path.join(work, 'lemans-evk.dtb'), ov = path.join(work, 'lemans-el2.dtbo');
    const build = (src: string, out: string) => `cpp ${CPP_FLAGS.join(' ')} ${src} | dtc -q -@ -O dtb -b 0 -i src/arm64/qcom -i src/arm64 -o ${q(out)} -`;
    timeShell(`${build(board, base)} && ${build('src/arm64/qcom/lemans-el2.dtso', ov)}`, linux);
    const [node, dk, ref] = measureTogether(
      ['node -e 0', `${q(DTKIT)} apply ${q(base)} ${q(ov)} -o ${q(work)}/dtkit-el2.dtb`, `fdtoverlay -i ${q(base)} -o ${q(work)}/ref-el2.dtb ${q(ov)}`],
      linux, runs * 3,
    );
    rows.push(single('apply lemans-el2.dtbo to lemans-evk.dtb', dk, node, '`node -e 0`', 1.5));
    rows.push({ name: 'fdtoverlay on the same inputs', measured: 'fdtoverlay', dtkit: ref, versus: node, referenceName: '`node -e 0`', target: 'none', pass: true, context: true });
  }
  if (want('validate')) {
    // The kernel's bindings, copied so that one can be changed; findings exit 1.
    const bindings = path.join(work, 'Bindings');
    fs.cpSync(path.join(linux, 'Bindings'), bindings, { recursive: true });
    const cache = path.join(work, 'schema-cache');
    const validate = `${q(DTKIT)} validate --cache-dir ${q(cache)} --schemas ${q(bindings)} ${board} > /dev/null; test $? -le 1`;
    const cold = measure(`rm -rf ${q(cache)}; ${validate}`, linux, 1);
    const [ref, warm] = measureTogether([cppDtc(board), validate], linux, runs * 3);
    rows.push(single('validate qcom/lemans-evk.dts, kernel bindings, warm schema cache', warm, ref, 'cpp+dtc compiling it', 6));
    // what a binding author sees: one binding edited between runs
    const edited = path.join(bindings, 'remoteproc/qcom,sa8775p-pas.yaml');
    const original = fs.readFileSync(edited, 'utf8');
    let edits = 0;
    const [changed] = measureTogether([validate], linux, runs, () => fs.writeFileSync(edited, `${original}# edit ${++edits}\n`));
    rows.push(single('validate it again after a binding changed (first run after the edit)', changed, warm, 'the warm run', 3));
    rows.push({ name: 'validate it with no schema cache at all (the first run ever)', dtkit: cold, versus: warm, referenceName: 'the warm run', target: 'none', pass: true, context: true });
  }
  if (want('validate-set')) {
    const golden = fs.readFileSync(path.join(corpus, 'golden/README.md'), 'utf8');
    const all = Number(/([\d,]+) s wall/.exec(golden)?.[1].replace(/,/g, '') ?? NaN);
    const dtbs = path.join(work, 'validate');
    fs.mkdirSync(dtbs, { recursive: true });
    const list = fs.readFileSync(path.join(corpus, 'golden/qcom-dtbs.txt'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    // Inputs are built by the reference tools, outside the timing, exactly as the golden run was.
    timeShell(`bash ${q(path.join(projectRoot, 'test/schema/build-qcom-dtbs.sh'))} ${q(corpus)} ${q(dtbs)}`, linux);
    const files = list.map((l) => path.join(dtbs, path.basename(l.trim()))).filter((f) => fs.existsSync(f));
    const schemas = `--schemas ${q(path.join(linux, 'Bindings'))} --core-schemas ${q(path.join(corpus, 'dt-schema/dtschema/schemas'))}`;
    fs.writeFileSync(path.join(work, 'dtbs.txt'), files.join('\n') + '\n');
    // one process, as the golden run was (exit 1 = findings, which the set has)
    const dk = measure(`${q(DTKIT)} validate --cache-dir ${q(path.join(work, 'set-cache'))} ${schemas} --format json $(cat ${q(path.join(work, 'dtbs.txt'))}) > /dev/null; test $? -le 1`, linux, 1);
    rows.push({ name: `validate ${files.length} Qualcomm DTBs (golden lists ${list.length}), schema cache cold`, dtkit: dk, reference: all, referenceName: 'dt-validate (golden, 1 process)', target: '>= 20x, peak < 1 GB', pass: all / dk.seconds >= 20 && (dk.peakMb ?? 0) < 1024 });
  }
  if (want('generated')) {
    // no reference run: dtc takes minutes on some of these; the target is a time budget
    const dir = path.join(work, 'generated');
    fs.mkdirSync(dir, { recursive: true });
    for (const g of generatedInputs(dir)) {
      const dk = measure(`${q(DTKIT)} compile -q -o /dev/null ${q(g.file)}`, dir, 1);
      rows.push({ name: `compile ${g.name} (generated)`, dtkit: dk, reference: g.budget, referenceName: 'budget', target: `< ${g.budget} s, peak < 1 GB`, pass: dk.seconds < g.budget && (dk.peakMb ?? 0) < 1024 });
    }
  }
  for (const r of rows) console.log(fmt(r));
  console.log(`load average (1/5/15 min): ${loadAtStart} at the start, ${load()} at the end, on ${os.cpus().length} cores`);
  fs.rmSync(work, { recursive: true, force: true });
  return rows.every((r) => r.pass) ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exitCode = 1;
}
