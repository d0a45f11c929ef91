// What an input is, from its content rather than its name: a flattened tree (DTB or DTBO)
// starts with the FDT magic, whatever it is called; an overlay is a `/plugin/` source or a
// tree with fragments (`fragment@N/__overlay__`) or fixup nodes.
import { FDT_MAGIC } from '../fdt/format.js';
import type { NodeOutline } from '../fdt/reader.js';
import { readU32 } from '../tree/value.js';

export type InputFormat = 'dts' | 'dtb';

/** The rule of the warning that base and overlay look swapped. */
export const SWAPPED_RULE = 'input_swapped';

export function hasFdtMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32(bytes, 0) === FDT_MAGIC;
}

/**
 * dtc's guess_input_format: the magic number makes a blob, whatever the name; without it a
 * name ending in .dtb or .dtbo is still read as a blob (so that a corrupt one is reported
 * as such, at its first bytes), and anything else is DTS source.
 */
export function formatOf(bytes: Uint8Array, name: string): InputFormat {
  return hasFdtMagic(bytes) || /\.dtbo?$/i.test(name) ? 'dtb' : 'dts';
}

/** Why a tree (a Tree, or a blob's outline) is an overlay (to name in a message), or
 *  undefined for a base tree. */
export function overlayEvidence(tree: { plugin?: boolean; root: NodeOutline }): string | undefined {
  const has = (n: NodeOutline, name: string): boolean => n.nodes.some((c) => c.name === name);
  if (tree.plugin) return 'it is a /plugin/ source';
  for (const name of ['__fixups__', '__local_fixups__']) if (has(tree.root, name)) return `it has ${name}`;
  const fragment = tree.root.nodes.find((n) => has(n, '__overlay__'));
  return fragment ? `it has ${fragment.name}/__overlay__` : undefined;
}
