// A minimal flattened-device-tree writer for tests that need shapes the real writer is not
// asked to produce (a tree nested 10,000 deep): nodes are [name, props, children] tuples.
export type RawNode = [string, [string, Uint8Array][], RawNode[]];

export function cells(...v: number[]): Uint8Array {
  const b = new Uint8Array(v.length * 4);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setUint32(i * 4, x >>> 0));
  return b;
}

export function strings(...s: string[]): Uint8Array {
  return new TextEncoder().encode(s.map((x) => `${x}\0`).join(''));
}

/** The DTB of a tree; iterative, so any depth works. */
export function fdtBytes(root: RawNode): Uint8Array {
  const words: number[] = [];
  const strs: string[] = [];
  const offs = new Map<string, number>();
  let strLen = 0;
  const bytesOut: number[] = [];
  const u32 = (x: number): void => { bytesOut.push((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255); };
  const pad = (): void => { while (bytesOut.length % 4) bytesOut.push(0); };
  const stack: (RawNode | 'end')[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === 'end') {
      u32(2);
      continue;
    }
    const [name, props, kids] = n;
    u32(1);
    for (const c of new TextEncoder().encode(name)) bytesOut.push(c);
    bytesOut.push(0);
    pad();
    for (const [pn, val] of props) {
      let off = offs.get(pn);
      if (off === undefined) {
        off = strLen;
        offs.set(pn, off);
        strs.push(pn);
        strLen += new TextEncoder().encode(pn).length + 1;
      }
      u32(3);
      u32(val.length);
      u32(off);
      for (const c of val) bytesOut.push(c);
      pad();
    }
    stack.push('end');
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  u32(9);
  void words;
  const struct = Uint8Array.from(bytesOut);
  const strBytes = new TextEncoder().encode(strs.map((s) => `${s}\0`).join(''));
  const hdr = 40, rsv = 16;
  const offStruct = hdr + rsv;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strBytes.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  [0xd00dfeed, total, offStruct, offStrings, hdr, 17, 16, 0, strBytes.length, struct.length].forEach((x, i) => dv.setUint32(i * 4, x));
  out.set(struct, offStruct);
  out.set(strBytes, offStrings);
  return out;
}
