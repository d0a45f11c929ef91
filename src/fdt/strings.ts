// The strings block as dtc builds it: names are added in order of first use, and a name
// that already occurs in the block as the NUL-terminated tail of a stored name (`name`
// inside `linux,name`... or the whole of an earlier one) reuses that earliest occurrence.
// Every suffix of every stored name is indexed, so each lookup is one Map access.

export class StringsBlock {
  private readonly offsets = new Map<string, number>();
  private readonly stored: string[] = [];
  private size = 0;

  /** Offset of `name` in the block, adding it when no stored name ends with it. */
  intern(name: string): number {
    const hit = this.offsets.get(name);
    if (hit !== undefined) return hit;
    const at = this.size;
    for (let k = 0; k <= name.length; k++) {
      const suffix = k === 0 ? name : name.slice(k);
      if (!this.offsets.has(suffix)) this.offsets.set(suffix, at + k);
    }
    this.stored.push(name);
    this.size += name.length + 1;
    return at;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Writes the block (latin1 names, each NUL-terminated) into `out` at `offset`. */
  writeTo(out: Uint8Array, offset: number): void {
    let o = offset;
    for (const s of this.stored) {
      for (let i = 0; i < s.length; i++) out[o++] = s.charCodeAt(i) & 0xff;
      out[o++] = 0;
    }
  }
}
