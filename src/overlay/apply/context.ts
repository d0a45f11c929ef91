// What every step of applying one overlay shares: the base being edited, the overlay
// blob, where findings go, and how to point back at the overlay's source.
import type { Diagnostics } from '../../report/diagnostic.js';
import type { SourceSpan } from '../../report/source.js';
import type { Blob } from './blob.js';
import type { SourceLocator } from './locate.js';

export const OVERLAY_RULES = {
  noSymbols: 'overlay_no_symbols',
  unknownLabel: 'overlay_unknown_label',
  badSymbol: 'overlay_bad_symbol',
  targetMissing: 'overlay_target_missing',
  badFragment: 'overlay_bad_fragment',
  badFixup: 'overlay_bad_fixup',
  badPhandle: 'overlay_bad_phandle',
  phandleConflict: 'overlay_phandle_conflict',
  blob: 'fdt',
} as const;

export interface ApplyStepContext {
  base: Blob;
  overlay: Blob;
  /** the overlay's file name, for findings without a source span */
  file: string;
  baseFile: string;
  locate: SourceLocator;
  diags: Diagnostics;
  /** a phandle conflict is an error instead of a warning */
  strictPhandles: boolean;
}

export interface Finding {
  rule: string;
  message: string;
  span?: SourceSpan;
  node?: string;
  property?: string;
  /** the finding is about the base blob rather than the overlay */
  inBase?: boolean;
  notes?: { message: string; span?: SourceSpan }[];
}

function extra(ctx: ApplyStepContext, f: Finding) {
  return { node: f.node, property: f.property, file: f.inBase ? ctx.baseFile : ctx.file, notes: f.notes };
}

/** Records an error; the overlay then does not apply. */
export function fail(ctx: ApplyStepContext, f: Finding): false {
  ctx.diags.error(f.rule, f.message, f.span, extra(ctx, f));
  return false;
}

export function warn(ctx: ApplyStepContext, f: Finding): void {
  ctx.diags.warning(f.rule, f.message, f.span, extra(ctx, f));
}
