// The header and the memory reservation block of a flattened device tree, read and checked
// in one place for both readers of blobs: fdt/reader.ts (into a Tree, as dtc -I dtb reads
// it) and overlay/apply/blob.ts (edited in place, as libfdt does). Every finding names the
// field or byte offset and what a DTB needs there: one set of messages for every command.
import type { MemReserve } from '../tree/model.js';
import { hex, readU32 } from '../tree/value.js';
import { FDT_MAGIC, HDR, HEADER_SIZE_V16, HEADER_SIZE_V17, RESERVE_ENTRY_SIZE, hex8 } from './format.js';

/** A blob that is not a well-formed flattened device tree; `offset` when the message alone
 *  does not name where. */
export class FdtFormatError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export interface FdtHeader {
  totalsize: number;
  offStruct: number;
  offStrings: number;
  offRsvmap: number;
  version: number;
  lastCompVersion: number;
  bootCpuid: number;
  sizeStrings: number;
  /** size_dt_struct (version 17; 0 in a version 16 header, which has no such field) */
  sizeStruct: number;
  /** end of the structure block (exclusive): totalsize for version 16 */
  structEnd: number;
}

function fail(message: string): never {
  throw new FdtFormatError(message);
}

/** The header of `b`, with every block inside the blob; throws FdtFormatError. */
export function readFdtHeader(b: Uint8Array): FdtHeader {
  if (b.length < 4) fail(`truncated header: file is ${b.length} bytes, a DTB header needs ${HEADER_SIZE_V17}`);
  const magic = readU32(b, HDR.magic);
  if (magic !== FDT_MAGIC) fail(`bad magic ${hex8(magic)} at offset 0x0 (a DTB starts with ${hex8(FDT_MAGIC)})`);
  if (b.length < HEADER_SIZE_V16) fail(`truncated header: file is ${b.length} bytes, a DTB header needs ${HEADER_SIZE_V17}`);
  const version = readU32(b, HDR.version);
  if (version < 16) fail(`unsupported DTB version ${version} at offset ${hex(HDR.version)} (versions 16 and 17 are supported)`);
  const headerSize = version >= 17 ? HEADER_SIZE_V17 : HEADER_SIZE_V16;
  if (b.length < headerSize) fail(`truncated header: file is ${b.length} bytes, a version ${version} header needs ${headerSize}`);

  const totalsize = readU32(b, HDR.totalsize);
  if (totalsize < headerSize) fail(`header totalsize ${totalsize} is smaller than the ${headerSize}-byte header`);
  if (totalsize > b.length) fail(`truncated file: header totalsize is ${totalsize} bytes, the file has only ${b.length}`);

  const offRsvmap = readU32(b, HDR.offMemRsvmap);
  const offStruct = readU32(b, HDR.offDtStruct);
  const offStrings = readU32(b, HDR.offDtStrings);
  const sizeStrings = readU32(b, HDR.sizeDtStrings);
  if (offRsvmap < headerSize || offRsvmap >= totalsize) {
    fail(`memory reservation block offset ${hex(offRsvmap)} is outside the blob (header ${headerSize} bytes, totalsize ${totalsize})`);
  }
  if (offStruct < headerSize || offStruct >= totalsize) {
    fail(`structure block offset ${hex(offStruct)} is outside the blob (header ${headerSize} bytes, totalsize ${totalsize})`);
  }
  if (offStrings < headerSize || offStrings > totalsize) {
    fail(`strings block offset ${hex(offStrings)} is outside the blob (header ${headerSize} bytes, totalsize ${totalsize})`);
  }
  if (offStrings + sizeStrings > totalsize) {
    fail(`strings block at ${hex(offStrings)} of ${sizeStrings} bytes extends past totalsize ${totalsize}`);
  }
  let sizeStruct = 0;
  let structEnd = totalsize;
  if (version >= 17) {
    sizeStruct = readU32(b, HDR.sizeDtStruct);
    if (offStruct + sizeStruct > totalsize) {
      fail(`structure block at ${hex(offStruct)} of ${sizeStruct} bytes extends past totalsize ${totalsize}`);
    }
    structEnd = offStruct + sizeStruct;
  }
  return {
    totalsize, offStruct, offStrings, offRsvmap, version, sizeStrings, sizeStruct, structEnd,
    lastCompVersion: readU32(b, HDR.lastCompVersion),
    bootCpuid: readU32(b, HDR.bootCpuidPhys),
  };
}

/** libfdt's refusal of a blob from a later format (last_comp_version above 17); dtc reads
 *  such a blob, so only the overlay blob asks. */
export function checkLastCompVersion(h: FdtHeader): void {
  if (h.lastCompVersion > 17) fail(`unsupported DTB: last compatible version ${h.lastCompVersion} at offset ${hex(HDR.lastCompVersion)} (versions up to 17 are supported)`);
}

/** Entries up to the first one of size 0 (the terminator), as dtc and libfdt read them. */
export function readMemReserves(b: Uint8Array, h: Pick<FdtHeader, 'offRsvmap' | 'totalsize'>): MemReserve[] {
  const out: MemReserve[] = [];
  for (let off = h.offRsvmap; ; off += RESERVE_ENTRY_SIZE) {
    const remain = h.totalsize - off;
    if (remain < RESERVE_ENTRY_SIZE) {
      fail(`truncated memory reservation block: entry at offset ${hex(off)} needs ${RESERVE_ENTRY_SIZE} bytes, only ${remain} remain`);
    }
    const address = readU64(b, off);
    const size = readU64(b, off + 8);
    if (size === 0n) return out;
    out.push({ address, size, labels: [] });
  }
}

function readU64(b: Uint8Array, off: number): bigint {
  return (BigInt(readU32(b, off)) << 32n) | BigInt(readU32(b, off + 4));
}
