// Facts of the flattened device tree format (devicetree specification, chapter 5):
// header field offsets, token values and block sizes, shared by reader and writer.

export const FDT_MAGIC = 0xd00dfeed;

export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

/** Byte offsets of the header fields (each a big-endian u32). */
export const HDR = {
  magic: 0,
  totalsize: 4,
  offDtStruct: 8,
  offDtStrings: 12,
  offMemRsvmap: 16,
  version: 20,
  lastCompVersion: 24,
  bootCpuidPhys: 28,
  sizeDtStrings: 32,
  sizeDtStruct: 36,
} as const;

/** Header size of versions 16 (no size_dt_struct) and 17. */
export const HEADER_SIZE_V16 = 36;
export const HEADER_SIZE_V17 = 40;

/** One memory reservation entry: u64 address, u64 size. */
export const RESERVE_ENTRY_SIZE = 16;

/** Tokens, names and values are padded to 4-byte boundaries. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A 32-bit field as the header and tokens are shown: `0xd00dfeed`. */
export function hex8(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
