// `npm run bench`: dtkit against the reference tools, measured in the same run on the
// same machine, reported as ratios (the machines are shared and noisy, so each timing is
// the median of several runs). dt-validate is not installed here; its figures come from
// the golden folder, measured on the same kind of machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDir, linuxDtDir, projectRoot, skipUnless } from '../test/support/corpus.js';
import { generatedInputs } from './generated.js';

const DTKIT = path.join(projectRoot, 'bin', 'dtkit');
const CPP_FLAGS = ['-nostdinc', '-I', 'include', '-I', 'src/arm64', '-I', 'src', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp'];

interface Timing {
  seconds: number;
  /** peak resident memory of the measured process tree in MB, when known */
  peakMb?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs a shell command under GNU time (for peak RSS) and returns wall seconds. */
function timeShell(cmd: string, cwd: string): Timing {
  const tf = path.join(os.tmpdir(), `dtkit-bench-time-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', tf, 'bash', '-c', cmd], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${cmd}\n${r.stderr?.toString().slice(0, 2000)}`);
  let peakMb: number | undefined;
  try {
    peakMb = Number(fs.readFileSync(tf, 'utf8').trim().split('\n').pop()) / 1024;
  } catch {
    peakMb = undefined;
  }
  return { seconds, peakMb };
}

function measure(cmd: string, cwd: string, runs: number): Timing {
  const ts: Timing[] = [];
  for (let i = 0; i < runs; i++) ts.push(timeShell(cmd, cwd));
  return { seconds: median(ts.map((t) => t.seconds)), peakMb: Math.max(...ts.map((t) => t.peakMb ?? 0)) };
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Row {
  name: string;
  dtkit: Timing;
  reference: number;
  referenceName: string;
  target: string;
  pass: boolean;
}

function fmt(r: Row): string {
  const ratio = r.reference / r.dtkit.seconds;
  const mem = r.dtkit.peakMb ? `, dtkit peak ${r.dtkit.peakMb.toFixed(0)} MB` : '';
  return `${r.pass ? 'PASS' : 'FAIL'}  ${r.name}: dtkit ${r.dtkit.seconds.toFixed(2)} s, ${r.referenceName} ${r.reference.toFixed(2)} s => ${ratio.toFixed(2)}x as fast${mem}  (target: ${r.target})`;
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
  if (want('single')) {
    const src = 'src/arm64/qcom/lemans-evk.dts';
    // both print their warnings, as a user running either sees them
    const ref = measure(`cpp ${CPP_FLAGS.join(' ')} ${src} | dtc -O dtb -b 0 -i src/arm64/qcom -i src/arm64 -o /dev/null -`, linux, runs * 3);
    const dk = measure(`${q(DTKIT)} compile ${inc.join(' ')} -o ${q(work)}/lemans-evk.dtb ${src}`, linux, runs * 3);
    rows.push({ name: 'compile qcom/lemans-evk.dts', dtkit: dk, reference: ref.seconds, referenceName: 'cpp+dtc', target: 'no slower than 1.5x cpp+dtc, peak < 300 MB', pass: dk.seconds <= 1.5 * ref.seconds && (dk.peakMb ?? 0) < 300 });
  }
  if (want('apply')) {
    const base = path.join(work, 'lemans-evk.dtb'), ov = path.join(work, 'lemans-el2.dtbo');
    const build = (src: string, out: string) => `cpp ${CPP_FLAGS.join(' ')} ${src} | dtc -q -@ -O dtb -b 0 -i src/arm64/qcom -i src/arm64 -o ${q(out)} -`;
    timeShell(`${build('src/arm64/qcom/lemans-evk.dts', base)} && ${build('src/arm64/qcom/lemans-el2.dtso', ov)}`, linux);
    const ref = measure(`fdtoverlay -i ${q(base)} -o ${q(work)}/ref-el2.dtb ${q(ov)}`, linux, runs * 3);
    const dk = measure(`${q(DTKIT)} apply ${q(base)} ${q(ov)} -o ${q(work)}/dtkit-el2.dtb`, linux, runs * 3);
    rows.push({ name: 'apply lemans-el2.dtbo to lemans-evk.dtb', dtkit: dk, reference: ref.seconds, referenceName: 'fdtoverlay', target: 'no slower than 2x fdtoverlay', pass: dk.seconds <= 2 * ref.seconds });
  }
  if (want('validate')) {
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
    const warm = path.join(work, 'warm-cache');
    // one process, as the golden run was (exit 1 = findings, which the set has)
    const dk = measure(`${q(DTKIT)} validate --cache-dir ${q(warm)} ${schemas} --format json $(cat ${q(path.join(work, 'dtbs.txt'))}) > /dev/null; test $? -le 1`, linux, 1);
    rows.push({ name: `validate ${files.length} Qualcomm DTBs (golden lists ${list.length}), schema cache cold`, dtkit: dk, reference: all, referenceName: 'dt-validate (golden, 1 process)', target: '>= 20x, peak < 1 GB', pass: all / dk.seconds >= 20 && (dk.peakMb ?? 0) < 1024 });
    const cache = path.join(work, 'cold-cache');
    const one = files.find((f) => f.endsWith('/lemans-evk.dtb')) ?? files[0];
    const single = `${q(DTKIT)} validate --cache-dir ${q(cache)} ${schemas} ${q(one)} > /dev/null; test $? -le 1`;
    const cold = measure(`rm -rf ${q(cache)}; ${single}`, linux, runs);
    rows.push({ name: `validate one board on a cold cache (${path.basename(one)})`, dtkit: cold, reference: 2, referenceName: 'target budget', target: '< 2 s', pass: cold.seconds < 2 });
    // context, not a target: the same board once the cache exists (every later run)
    const again = measure(single, linux, runs);
    rows.push({ name: `validate one board on a warm cache (${path.basename(one)}), for context`, dtkit: again, reference: 2, referenceName: 'cold budget', target: 'none', pass: true });
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
  // the machine is shared: what else ran shows in the load (2 cores: above 2, work waited)
  console.log(`load average at the end (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.availableParallelism()} cores`);
  fs.rmSync(work, { recursive: true, force: true });
  return rows.every((r) => r.pass) ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exitCode = 1;
}
