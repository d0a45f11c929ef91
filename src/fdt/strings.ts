// The strings block as dtc builds it: names are added in order of first use, and a name
// that already occurs in the block as the NUL-terminated tail of a stored name (`phandle`
// inside `linux,phandle`, or the whole of an earlier one) reuses that earliest occurrence.
// Every distinct suffix of the stored names sits in an open-addressing table (typed
// arrays: JS Maps were the writer's main cost), keyed by a hash computed right to left so
// that all suffixes of a name hash in one pass; the first offset recorded for a suffix is
// its earliest occurrence, because offsets only grow.

/** Hash of byte `c` followed by a suffix whose hash is `h`. */
function extend(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193) >>> 0;
}

const EMPTY_HASH = 0x811c9dc5;

export class StringsBlock {
  private buf = new Uint8Array(256);
  private size = 0;
  /** suffix offset + 1 per slot (0 = empty) */
  private slots = new Int32Array(4096);
  private slotHashes = new Uint32Array(4096);
  private count = 0;

  /** Offset of `name` in the block, adding it when no stored name ends with it. */
  intern(name: string): number {
    let h = EMPTY_HASH;
    for (let i = name.length - 1; i >= 0; i--) h = extend(h, name.charCodeAt(i) & 0xff);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === 0) break;
      if (this.slotHashes[i] === h && this.storedAt(s - 1, name)) return s - 1;
    }
    return this.append(name);
  }

  get byteLength(): number {
    return this.size;
  }

  /** Writes the block (latin1 names, each NUL-terminated) into `out` at `offset`. */
  writeTo(out: Uint8Array, offset: number): void {
    out.set(this.buf.subarray(0, this.size), offset);
  }

  private storedAt(o: number, name: string): boolean {
    const b = this.buf;
    if (b[o + name.length] !== 0) return false;
    for (let i = 0; i < name.length; i++) if (b[o + i] !== (name.charCodeAt(i) & 0xff)) return false;
    return true;
  }

  /** Whether the NUL-terminated strings stored at `a` and `b` are equal. */
  private sameTail(a: number, b: number): boolean {
    const buf = this.buf;
    for (;;) {
      const c = buf[a++];
      if (c !== buf[b++]) return false;
      if (c === 0) return true;
    }
  }

  private append(name: string): number {
    const at = this.size;
    const need = at + name.length + 1;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
    }
    for (let i = 0; i < name.length; i++) this.buf[at + i] = name.charCodeAt(i) & 0xff;
    this.buf[at + name.length] = 0;
    this.size = need;
    let h = EMPTY_HASH;
    for (let k = name.length; k >= 0; k--) {
      if (k < name.length) h = extend(h, this.buf[at + k]);
      this.index(at + k, h);
    }
    return at;
  }

  /** Records the suffix at `o` unless an equal suffix is recorded already. */
  private index(o: number, h: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (; this.slots[i] !== 0; i = (i + 1) & mask) {
      if (this.slotHashes[i] === h && this.sameTail(this.slots[i] - 1, o)) return;
    }
    this.slots[i] = o + 1;
    this.slotHashes[i] = h;
    this.count++;
  }

  private grow(): void {
    const oldSlots = this.slots, oldHashes = this.slotHashes;
    this.slots = new Int32Array(oldSlots.length * 2);
    this.slotHashes = new Uint32Array(oldSlots.length * 2);
    const mask = this.slots.length - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      if (oldSlots[j] === 0) continue;
      let i = oldHashes[j] & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = oldSlots[j];
      this.slotHashes[i] = oldHashes[j];
    }
  }
}
