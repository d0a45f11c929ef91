// `npm run build`'s second step: the command line as one file, dist/dtkit.cjs, which bin/dtkit
// loads. A fresh process then resolves and compiles one script instead of ~100 ES modules,
// and can take its compiled code from V8's code cache (`--code-cache`, run by `prepare`):
// a vm.Script's cached data, which Node 20 offers only for scripts, not for ES modules.
// The bundle is the compiled dist/src code itself (commands still initialised only when they
// run); `import.meta.url` keeps meaning the module's own dist file, so paths found from it
// (dtkit's schemas/, the batch worker) are the same in both.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bundle = path.join(dist, 'dtkit.cjs');

/** Each bundled dist module's `import.meta.url`: its own file, from the bundle's folder. */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = JSON.stringify(path.relative(dist, args.path).split(path.sep).join('/'));
      return { contents: text.replaceAll('import.meta.url', `__dtkitModuleUrl(${rel})`), loader: 'js' };
    });
  },
};

/** commander requires node:child_process when it loads, for executable subcommands dtkit
 *  does not have; loading it (and net, dgram with it) cost every run ~1.5% of an `apply`.
 *  In the bundle commander gets a stand-in that loads it on first use. */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

await esbuild.build({
  entryPoints: [path.join(dist, 'src/cli/bin.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'external',
  // comments and indentation only cost reading; names stay, for profiles and stack traces
  minifyWhitespace: true,
  // the language server and the profile schema's validator stay in node_modules, loaded
  // by the commands that use them
  external: ['ajv', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-textdocument'],
  logLevel: 'warning',
  plugins: [moduleUrls, lazyChildProcess],
  banner: { js: "const __dtkitModuleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;" },
});

if (process.argv.includes('--code-cache')) {
  // Each command's code cache (bin/dtkit) from one process that runs it on the example
  // board, so that the cache holds the code the command runs (what a later run needs beyond
  // it is compiled as usual); commands not trained here get theirs on their first run.
  // Nothing is written outside a temporary folder.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtkit-code-cache-'));
  const ex = (f) => path.join(root, 'examples', 'lemans-kvm', f);
  const out = (f) => path.join(tmp, f);
  const commands = [
    [['compile', '-@', '-o', out('board.dtb'), ex('board.dts')]],
    [['overlay', '--profile', ex('profile.yaml'), ex('board.dts'), '-o', out('kvm.dtso'), '--dtbo', out('kvm.dtbo')]],
    [['apply', out('board.dtb'), out('kvm.dtbo'), '-o', out('applied.dtb')]],
    // twice: the first builds the schema cache, the second reads it (every later run)
    [['validate', '--cache-dir', out('cache'), ex('board.dts')], ['validate', '--cache-dir', out('cache'), ex('board.dts')]],
  ];
  const bin = path.join(root, 'bin', 'dtkit');
  // under the command's own node flags: V8 takes a cache only under the flags it was made with
  const flags = createRequire(import.meta.url)(bin).nodeFlags();
  for (const argvs of commands) {
    const train = `require(${JSON.stringify(bin)}).trainCodeCache(${JSON.stringify(argvs)})`;
    const r = spawnSync(process.execPath, [...flags, '-e', train], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`bundle: no code cache was written for ${argvs[0][0]} (dtkit still runs, compiling as it goes):\n${r.stderr}`);
      break;
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
