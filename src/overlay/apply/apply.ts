// Applying overlays to a base blob with fdtoverlay's result, byte for byte: each overlay
// goes through fdt_overlay_apply's steps in order (phandles moved above the base's
// largest, local references shifted, base labels filled in, fragments merged, symbols
// published), and the result is packed as fdt_pack leaves it. All-or-nothing: any
// failure yields findings and no bytes; the inputs are never modified.
import type { Diagnostic } from '../../report/diagnostic.js';
import { Diagnostics } from '../../report/diagnostic.js';
import type { Tree } from '../../tree/model.js';
import { FdtFormatError } from '../../fdt/header.js';
import { Blob } from './blob.js';
import type { ApplyStepContext } from './context.js';
import { OVERLAY_RULES } from './context.js';
import { SourceLocator } from './locate.js';
import { mergeFragments, updateSymbols } from './merge.js';
import { adjustLocalPhandles, fixupPhandles, updateLocalReferences } from './phandles.js';

export interface OverlayInput {
  bytes: Uint8Array;
  file: string;
  /** the overlay's compiled tree, when it was compiled from source in this run: findings
   *  then point at the source line */
  source?: Tree;
}

export interface ApplyOptions {
  /** name of the base, for findings about it */
  baseFile?: string;
  /** refuse an overlay that changes the phandle of an existing base node (fdtoverlay
   *  1.6.1 applies it, leaving the base's references to that node dangling) */
  strictPhandles?: boolean;
}

export interface ApplyResult {
  /** the composite blob; undefined when any overlay failed to apply */
  bytes?: Uint8Array;
  diagnostics: Diagnostic[];
}

function parseBlob(bytes: Uint8Array, file: string, diags: Diagnostics): Blob | undefined {
  try {
    return Blob.open(bytes);
  } catch (e) {
    if (!(e instanceof FdtFormatError)) throw e;
    const at = e.offset === undefined ? '' : ` (at byte ${e.offset})`;
    diags.error(OVERLAY_RULES.blob, `not a usable device tree blob: ${e.message}${at}`, undefined, { file });
    return undefined;
  }
}

function applyOne(ctx: ApplyStepContext): boolean {
  const delta = ctx.base.maxPhandle();
  return (
    adjustLocalPhandles(ctx, delta) &&
    updateLocalReferences(ctx, delta) &&
    fixupPhandles(ctx) &&
    mergeFragments(ctx) &&
    updateSymbols(ctx)
  );
}

export function applyOverlays(base: Uint8Array, overlays: OverlayInput[], opts: ApplyOptions = {}): ApplyResult {
  const diags = new Diagnostics();
  const baseFile = opts.baseFile ?? 'base.dtb';
  // Blob.open copies: the inputs are never modified
  const blob = parseBlob(base, baseFile, diags);
  if (!blob) return { diagnostics: diags.items };
  for (const ov of overlays) {
    const overlay = parseBlob(ov.bytes, ov.file, diags);
    if (!overlay) return { diagnostics: diags.items };
    const ctx: ApplyStepContext = { base: blob, overlay, file: ov.file, baseFile, locate: new SourceLocator(ov.source), diags, strictPhandles: opts.strictPhandles ?? false };
    if (!applyOne(ctx)) return { diagnostics: diags.items };
  }
  return { bytes: blob.pack(), diagnostics: diags.items };
}
