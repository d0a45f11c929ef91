// Hand-assembled DTBs for corruption tests: independent of dtc and of dtkit's writer, so
// the reader's bounds checks are tested against bytes laid out by hand.

export interface HandmadeBlob {
  /** structure block as a list of u32 words and raw byte strings (padded to 4) */
  struct: (number | Uint8Array | string)[];
  strings?: string;
  memreserves?: [bigint, bigint][];
  version?: number;
  bootCpuid?: number;
  /** header field overrides, by byte offset in the header */
  patch?: Record<number, number>;
}

const te = new TextEncoder();

function u32(b: number[], v: number): void {
  b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** Strings in the struct list are NUL-terminated and padded; Uint8Arrays are padded only. */
export function handmade(spec: HandmadeBlob): Uint8Array {
  const struct: number[] = [];
  for (const item of spec.struct) {
    if (typeof item === 'number') u32(struct, item);
    else {
      const bytes = typeof item === 'string' ? [...te.encode(item), 0] : [...item];
      struct.push(...bytes);
      while (struct.length % 4) struct.push(0);
    }
  }
  const strings = [...te.encode(spec.strings ?? '')];
  const rsv: number[] = [];
  for (const [a, s] of [...(spec.memreserves ?? []), [0n, 0n] as [bigint, bigint]]) {
    u32(rsv, Number(a >> 32n)); u32(rsv, Number(a & 0xffffffffn));
    u32(rsv, Number(s >> 32n)); u32(rsv, Number(s & 0xffffffffn));
  }
  const hdr = 40;
  const offRsv = hdr, offStruct = offRsv + rsv.length, offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const h: number[] = [];
  for (const v of [0xd00dfeed, total, offStruct, offStrings, offRsv, spec.version ?? 17, 16, spec.bootCpuid ?? 0, strings.length, struct.length]) u32(h, v);
  const out = new Uint8Array([...h, ...rsv, ...struct, ...strings]);
  for (const [off, v] of Object.entries(spec.patch ?? {})) {
    const o = Number(off);
    out[o] = (v >>> 24) & 0xff; out[o + 1] = (v >>> 16) & 0xff; out[o + 2] = (v >>> 8) & 0xff; out[o + 3] = v & 0xff;
  }
  return out;
}

export const T = { BEGIN: 1, END_NODE: 2, PROP: 3, NOP: 4, END: 9 } as const;

/** A minimal valid tree: / { compatible = "a"; n@1 { reg = <1>; }; }; strings "compatible\0reg\0" */
export function minimalStruct(): HandmadeBlob['struct'] {
  return [
    T.BEGIN, '',
    T.PROP, 2, 0, new Uint8Array([0x61, 0]),
    T.BEGIN, 'n@1',
    T.PROP, 4, 11, new Uint8Array([0, 0, 0, 1]),
    T.END_NODE,
    T.END_NODE,
    T.END,
  ];
}
export const MINIMAL_STRINGS = 'compatible\0reg\0';
