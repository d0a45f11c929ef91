// The direction of imports between dtkit's rooms (ARCHITECTURE.md), kept true by a test:
// data flows one way (input -> tree -> checks, schema, overlay -> diagnostics -> report), so
// every import between two folders points down the table below; the rooms form no cycle;
// the tree and report layers import no stage; the generic check runner imports no vendor
// folder; the two overlay rooms (emit, apply) do not import each other; and a room is
// entered only through the modules it lists as its entry points. The sources are read as
// text (src/**/*.ts, static and dynamic imports), so the test needs no build of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../support/corpus.js';

interface Room {
  /** the rooms this one may import (its own modules always) */
  imports: string[];
  /** modules (relative to src/) other rooms may import; '*' for a library layer */
  entries: string[] | '*';
}

/** The rooms, bottom to top. '.' is src/'s own files (host.ts, version.ts). */
const ROOMS: Record<string, Room> = {
  report: { imports: [], entries: '*' },
  tree: { imports: ['report'], entries: '*' },
  '.': { imports: ['tree'], entries: '*' },
  preprocessor: {
    imports: ['.', 'report', 'tree'],
    entries: ['preprocessor/index.ts', 'preprocessor/types.ts', 'preprocessor/cache.ts', 'preprocessor/lexer.ts'],
  },
  dts: {
    imports: ['.', 'preprocessor', 'report', 'tree'],
    entries: ['dts/parser.ts', 'dts/print.ts', 'dts/source.ts', 'dts/lexer.ts', 'dts/expr.ts'],
  },
  fdt: { imports: ['report', 'tree'], entries: ['fdt/reader.ts', 'fdt/writer.ts', 'fdt/format.ts', 'fdt/header.ts'] },
  checks: {
    imports: ['report', 'tree'],
    entries: ['checks/run.ts', 'checks/types.ts', 'checks/table.ts', 'checks/switches.ts', 'checks/presets.ts', 'checks/dtc-text.ts'],
  },
  'overlay/emit': {
    imports: ['report', 'tree'],
    entries: ['overlay/emit/transforms.ts', 'overlay/emit/symbols.ts', 'overlay/emit/fixups.ts'],
  },
  'overlay/apply': { imports: ['fdt', 'report', 'tree'], entries: ['overlay/apply/apply.ts', 'overlay/apply/context.ts'] },
  compile: {
    imports: ['.', 'preprocessor', 'dts', 'checks', 'overlay/emit', 'report', 'tree'],
    entries: ['compile/compile.ts'],
  },
  schema: { imports: ['.', 'report', 'tree'], entries: ['schema/schema-set.ts', 'schema/validate.ts', 'schema/rules.ts'] },
  input: {
    imports: ['.', 'preprocessor', 'compile', 'checks', 'fdt', 'overlay/apply', 'report', 'tree'],
    entries: ['input/load.ts', 'input/composite.ts', 'input/kind.ts', 'input/layout.ts', 'input/paths.ts', 'input/shipped.ts', 'input/expand.ts'],
  },
  qcom: {
    imports: ['checks', 'dts', 'report', 'tree'],
    entries: [
      'qcom/checks.ts', 'qcom/devmem.ts', 'qcom/format.ts', 'qcom/parse-rows.ts', 'qcom/pas.ts', 'qcom/report.ts',
      'qcom/streams.ts', 'qcom/svg.ts',
    ],
  },
  yaml: { imports: ['report'], entries: ['yaml/source.ts', 'yaml/schema-errors.ts'] },
  profile: {
    imports: ['.', 'input', 'compile', 'fdt', 'overlay/emit', 'overlay/apply', 'checks', 'qcom', 'schema', 'yaml', 'report', 'tree'],
    entries: ['profile/generate.ts', 'profile/load.ts', 'profile/builtin.ts', 'profile/from-overlay.ts', 'profile/base.ts', 'profile/composite.ts'],
  },
  rules: {
    imports: ['checks', 'fdt', 'input', 'overlay/emit', 'overlay/apply', 'qcom', 'schema', 'report'],
    entries: ['rules/catalog.ts', 'rules/levels.ts'],
  },
  suppress: {
    imports: ['.', 'preprocessor', 'rules', 'report'],
    entries: ['suppress/findings.ts', 'suppress/inline.ts', 'suppress/baseline.ts'],
  },
  config: {
    imports: ['.', 'rules', 'yaml', 'checks', 'qcom', 'input', 'report'],
    entries: ['config/settings.ts', 'config/find.ts', 'config/load.ts'],
  },
  batch: {
    imports: ['.', 'input', 'compile', 'preprocessor', 'dts', 'fdt', 'checks', 'rules', 'suppress', 'report', 'tree'],
    entries: ['batch/batch.ts', 'batch/pool.ts'],
  },
  validate: {
    imports: ['.', 'batch', 'config', 'input', 'checks', 'qcom', 'schema', 'rules', 'suppress', 'preprocessor', 'report', 'tree'],
    entries: ['validate/input.ts', 'validate/run.ts'],
  },
  cli: {
    imports: [
      '.', 'lsp', 'validate', 'batch', 'config', 'suppress', 'rules', 'profile', 'qcom', 'schema', 'input', 'compile', 'overlay/emit', 'overlay/apply',
      'checks', 'fdt', 'dts', 'report', 'tree',
    ],
    entries: ['cli/main.ts', 'cli/stdio.ts'],
  },
  lsp: {
    imports: ['.', 'validate', 'config', 'suppress', 'qcom', 'schema', 'input', 'dts', 'preprocessor', 'report', 'tree'],
    entries: ['lsp/server.ts'],
  },
};

/** Arrows known to point up, each with why and what removes it; the test fails once one
 *  is no longer needed, so the list only shrinks. */
const KNOWN_UPWARD: Array<{ from: string; to: string; modules: string[]; why: string }> = [];

/** Rooms that never import a stage: the shared model and the diagnostics/rendering layer. */
const LAYERS = ['tree', 'report', '.'];
/** Vendor folders: what only the composing rooms (profile, cli, lsp) may import. */
const VENDORS = ['qcom', 'profile'];

const srcDir = path.join(projectRoot, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The room a module (path relative to src/, '/'-separated) belongs to: the longest room
 *  folder containing it; undefined for a folder the table does not know. */
function roomOf(module: string): string | undefined {
  const dir = path.posix.dirname(module);
  if (dir === '.') return '.';
  let best: string | undefined;
  for (const r of Object.keys(ROOMS)) {
    if (r !== '.' && (dir === r || dir.startsWith(`${r}/`)) && (!best || r.length > best.length)) best = r;
  }
  return best;
}

interface Import {
  from: string;
  to: string;
  line: number;
}

/** Relative imports of one module: `import ... from`, `export ... from`, `import '...'` and
 *  `import('...')`, outside comment lines. */
function importsOf(module: string): Import[] {
  const text = fs.readFileSync(path.join(srcDir, module), 'utf8');
  const out: Import[] = [];
  const spec = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/g;
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('//') || t.startsWith('*')) return;
    for (const m of line.matchAll(spec)) {
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(module), m[1])).replace(/\.js$/, '.ts');
      out.push({ from: module, to, line: i + 1 });
    }
  });
  return out;
}

const modules = sourceFiles(srcDir).map((f) => path.relative(srcDir, f).split(path.sep).join('/')).sort();
const imports = modules.flatMap(importsOf);
const crossing = imports.filter((i) => roomOf(i.from) !== roomOf(i.to));
const where = (i: Import) => `src/${i.from}:${i.line} imports src/${i.to}`;
const upward = (i: Import) => KNOWN_UPWARD.find((k) => k.from === roomOf(i.from) && k.to === roomOf(i.to) && k.modules.includes(i.to));

test('every source folder is a room of the table (a new folder gets a row here and in ARCHITECTURE.md)', () => {
  const unknown = [...new Set(modules.filter((m) => roomOf(m) === undefined).map((m) => path.posix.dirname(m)))];
  assert.deepEqual(unknown, [], `folders missing from test/architecture/imports.test.ts ROOMS: ${unknown.join(', ')}`);
  for (const m of imports.map((i) => i.to)) assert.ok(modules.includes(m), `an import names src/${m}, which does not exist`);
});

test('every import between rooms points down the table', () => {
  const wrong = crossing.filter((i) => !ROOMS[roomOf(i.from)!].imports.includes(roomOf(i.to)!) && !upward(i)).map(where);
  assert.deepEqual(wrong, []);
});

test('the rooms form no cycle (the table is a hierarchy)', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (r: string, trail: string[]): void => {
    if (state.get(r) === 'done') return;
    if (state.get(r) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(r)), r].join(' -> '));
      return;
    }
    state.set(r, 'open');
    for (const n of ROOMS[r].imports) visit(n, [...trail, r]);
    state.set(r, 'done');
  };
  for (const r of Object.keys(ROOMS)) visit(r, []);
  assert.deepEqual(cycles, []);
});

test('the tree and report layers import no stage', () => {
  const wrong = crossing.filter((i) => LAYERS.includes(roomOf(i.from)!) && !LAYERS.includes(roomOf(i.to)!)).map(where);
  assert.deepEqual(wrong, []);
});

test('the check runner imports no vendor folder; the vendor rows come to it as a table', () => {
  const wrong = crossing.filter((i) => roomOf(i.from) === 'checks' && VENDORS.includes(roomOf(i.to)!)).map(where);
  assert.deepEqual(wrong, []);
  // and no generic stage below the composing rooms does either
  const generic = ['preprocessor', 'dts', 'fdt', 'overlay/emit', 'overlay/apply', 'compile', 'schema', 'input', 'batch'];
  const below = crossing.filter((i) => generic.includes(roomOf(i.from)!) && VENDORS.includes(roomOf(i.to)!)).map(where);
  assert.deepEqual(below, []);
});

test("the two overlay rooms keep to themselves: compile's transforms and the fdtoverlay replica", () => {
  const wrong = crossing.filter((i) => roomOf(i.from)!.startsWith('overlay/') && roomOf(i.to)!.startsWith('overlay/')).map(where);
  assert.deepEqual(wrong, []);
});

test("a room is entered only through its entry points, never another room's internals", () => {
  const wrong = crossing.filter((i) => {
    const entries = ROOMS[roomOf(i.to)!].entries;
    return entries !== '*' && !entries.includes(i.to) && !upward(i);
  }).map(where);
  assert.deepEqual(wrong, []);
  for (const [r, room] of Object.entries(ROOMS)) {
    if (room.entries === '*') continue;
    for (const e of room.entries) assert.ok(modules.includes(e) && roomOf(e) === r, `${r}'s entry point src/${e} is not one of its modules`);
  }
});

test('each known upward arrow is still there (remove it from KNOWN_UPWARD once fixed)', () => {
  for (const k of KNOWN_UPWARD) {
    const used = crossing.filter((i) => upward(i) === k);
    assert.ok(used.length > 0, `${k.from} -> ${k.to} no longer happens: delete it from KNOWN_UPWARD`);
  }
});
