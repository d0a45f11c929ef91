// `dtkit overlay` end to end, without touching the file system for output: load the
// profile, load the base (compiled with symbols), plan and check, print the .dtso,
// compile it to a .dtbo, apply it to the base and validate the composite as a KVM host
// tree. Every output is computed before the caller writes anything.
import * as path from 'node:path';
import type { Host } from '../host.js';
import type { CheckLevel } from '../checks/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import type { Tree } from '../tree/model.js';
import { compileText } from '../compile/compile.js';
import { readFdt } from '../fdt/reader.js';
import { writeFdt } from '../fdt/writer.js';
import { swappedInputWarnings } from '../input/composite.js';
import { includeSearchPath, loadInput, sourceTreeOf } from '../input/load.js';
import { applyOverlays } from '../overlay/apply/apply.js';
import { ensureOverlayNodes } from '../overlay/emit/transforms.js';
import { Diagnostics } from '../report/diagnostic.js';
import { indexBase } from './base.js';
import { validateComposite } from './composite.js';
import type { SchemaValidation } from './composite.js';
import { emitDtso } from './emit.js';
import { loadProfile } from './load.js';
import type { OverlayPlan } from './plan.js';
import { planOverlay } from './plan.js';

export interface GenerateOptions {
  host: Host;
  /** profile file to load */
  profileFile: string;
  /** how to name the profile in the .dtso comment (a built-in's name, or the path given) */
  profileDisplay?: string;
  /** base: DTS source or a DTB (by content), or - for standard input */
  baseFile: string;
  /** the user's -I folders for the base and the overlay (the input stage adds the tree's
   *  and dtkit's shipped headers after them) */
  includeDirs?: string[];
  /** find the kernel tree the base lives in (default true) */
  detect?: boolean;
  readStdin?: () => Uint8Array | undefined;
  /** -W/-E levels of the qcom rows run on the composite */
  checkLevels?: Map<string, CheckLevel>;
  /** name the generated .dtso is compiled under (its -o path) */
  dtsoName: string;
  /** schema validation of the composite, when bindings are available */
  schemas?: SchemaValidation;
}

export interface GenerateResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  plan?: OverlayPlan;
  dtso?: string;
  dtbo?: Uint8Array;
  /** base + overlay, as fdtoverlay would write it */
  applied?: Uint8Array;
  /** what was verified, one line each */
  checked: string[];
  /** file -> text of the sources read, for excerpts */
  sources: Map<string, string>;
}

interface LoadedBase {
  tree?: Tree;
  bytes?: Uint8Array;
  diagnostics: Diagnostic[];
}

/** The base through the input stage (a source is compiled with -@); its compile warnings
 *  are `dtkit compile`'s business, a base that looks like an overlay is said out loud. */
function loadBase(opts: GenerateOptions, sources: Map<string, string>): LoadedBase {
  const r = loadInput(opts.baseFile, {
    host: opts.host, includeDirs: opts.includeDirs ?? [], detect: opts.detect, readStdin: opts.readStdin, compile: { symbols: true },
  });
  for (const [f, t] of r.sources) sources.set(f, t);
  if (!r.ok || !r.tree) return { diagnostics: r.diagnostics.filter((d) => d.severity === 'error') };
  return { tree: r.tree, bytes: r.blob ?? writeFdt(r.tree), diagnostics: swappedInputWarnings(r, []) };
}

export function generateOverlay(opts: GenerateOptions): GenerateResult {
  const sources = new Map<string, string>();
  const fail = (diagnostics: Diagnostic[], checked: string[] = []): GenerateResult => ({ ok: false, diagnostics, checked, sources });

  const lp = loadProfile(opts.host, opts.profileFile);
  const profileText = opts.host.readFile(opts.profileFile);
  if (profileText) sources.set(opts.profileFile, Buffer.from(profileText).toString('latin1'));
  if (!lp.profile) return fail(lp.diagnostics);

  const base = loadBase(opts, sources);
  if (!base.tree || !base.bytes) return fail(base.diagnostics);
  // the swap warning stays with every later refusal: it is the likeliest reason for it
  const failBase = (ds: Diagnostic[], checked: string[] = []): GenerateResult => fail([...base.diagnostics, ...ds], checked);
  const baseName = opts.baseFile === '-' ? '<stdin>' : opts.baseFile;
  const index = indexBase(base.tree, baseName);
  const planned = planOverlay(lp.profile, index, { levels: opts.checkLevels });
  if (!planned.plan) return failBase(planned.diagnostics);
  const plan = planned.plan;
  const checked = [...plan.checked];

  const dtso = emitDtso(plan, { profileFile: opts.profileDisplay ?? opts.profileFile });
  const includeDirs = includeSearchPath(opts.baseFile, sourceTreeOf(opts.baseFile, opts), { includeDirs: opts.includeDirs ?? [] });
  const compiled = compileText(dtso, opts.dtsoName, { host: opts.host, includeDirs, symbols: true });
  const overlayNodes = new Diagnostics();
  if (compiled.tree) ensureOverlayNodes(compiled.tree, overlayNodes, { symbols: true });
  if (!compiled.ok || !compiled.tree || overlayNodes.hasErrors) {
    // the generator printed something dtkit's own compiler refuses: a dtkit bug, said plainly
    const why = [...compiled.diagnostics, ...overlayNodes.items].filter((d) => d.severity === 'error').map((d) => d.message).join('; ');
    return failBase([{ rule: 'profile_internal', severity: 'error', message: `the generated overlay does not compile: ${why}`, file: opts.dtsoName }], checked);
  }
  const dtbo = writeFdt(compiled.tree);
  checked.push(`overlay compiles with symbols and fixups (${dtbo.length} bytes)`);

  const applied = applyOverlays(base.bytes, [{ bytes: dtbo, file: opts.dtsoName, source: compiled.tree }], { baseFile: baseName });
  if (!applied.bytes) return failBase(applied.diagnostics, checked);
  const composite = readFdt(applied.bytes, `${path.basename(baseName)} + ${path.basename(opts.dtsoName)}`);
  if (!composite.tree) return failBase(composite.diagnostics, checked);
  checked.push(`overlay applies to ${baseName}`);

  const v = validateComposite({ plan, base: index, composite: composite.tree, schemas: opts.schemas, levels: opts.checkLevels });
  checked.push(...v.checked);
  if (v.diagnostics.some((d) => d.severity === 'error')) return failBase(v.diagnostics, checked);
  return { ok: true, diagnostics: [...base.diagnostics, ...planned.diagnostics, ...v.diagnostics], plan, dtso, dtbo, applied: applied.bytes, checked, sources };
}
