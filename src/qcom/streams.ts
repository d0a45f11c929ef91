// SMMU stream-ID conflicts. An arm-smmu stream match register (SMR) matches every stream
// ID that equals its ID outside the mask bits, so two (ID, mask) pairs match a common
// stream exactly when the IDs agree outside the union of both masks. Identical pairs on
// ordinary devices are a deliberate shared mapping (the arm-smmu driver reuses the
// entry); anything else that overlaps is refused by the driver with -EINVAL, depending
// on probe order. A PAS remote processor must never share its stream: Linux programs
// that stream's domain with the firmware carveout and device memory on a KVM host.
import type { Node, Property, Tree } from '../tree/model.js';

import type { PhandleLookup } from '../tree/refs.js';
import { isArmSmmu, isEnabledInTree, isPasNode, nodeName, parseIommus } from './pas.js';
import { hex } from '../tree/value.js';

export interface StreamUse {
  node: Node;
  prop: Property;
  iommu: Node;
  sid: number;
  mask: number;
}

export interface StreamConflict {
  earlier: StreamUse;
  later: StreamUse;
  /** a PAS remote processor is one of the two */
  pas: boolean;
  /** where the conflict is reported: the PAS remote processor's use when just one side is
   *  one (its iommus is the line a KVM overlay adds), else the later use in tree order */
  subject: StreamUse;
  other: StreamUse;
  /** said of `subject` */
  message: string;
  /** why the overlap is a problem (the end of `message`) */
  why: string;
}

export function streamSetsOverlap(a: { sid: number; mask: number }, b: { sid: number; mask: number }): boolean {
  const ignore = a.mask | b.mask;
  return ((a.sid & ~ignore) >>> 0) === ((b.sid & ~ignore) >>> 0);
}

function sameStreamSet(a: StreamUse, b: StreamUse): boolean {
  return a.mask === b.mask && ((a.sid & ~a.mask) >>> 0) === ((b.sid & ~b.mask) >>> 0);
}

/** A stream as `sid/mask`: `0x1c03/0x0`. */
export function streamText(u: Pick<StreamUse, 'sid' | 'mask'>): string {
  return `${hex(u.sid)}/${hex(u.mask)}`;
}

/** Stream uses of enabled devices on arm-smmu IOMMUs, grouped by IOMMU, in walk order. */
function streamUsesByIommu(tree: Tree, phandles: PhandleLookup): Map<Node, StreamUse[]> {
  const groups = new Map<Node, StreamUse[]>();
  for (const node of tree.walk()) {
    const prop = node.getProperty('iommus');
    if (!prop || !isEnabledInTree(node)) continue;
    for (const spec of parseIommus(prop, phandles).specifiers) {
      if (!isArmSmmu(spec.iommu) || spec.args.length === 0) continue;
      const use: StreamUse = { node, prop, iommu: spec.iommu, sid: spec.args[0], mask: spec.args[1] ?? 0 };
      let g = groups.get(spec.iommu);
      if (!g) groups.set(spec.iommu, (g = []));
      g.push(use);
    }
  }
  return groups;
}

export function streamConflicts(tree: Tree, phandles: PhandleLookup): StreamConflict[] {
  const out: StreamConflict[] = [];
  for (const uses of streamUsesByIommu(tree, phandles).values()) {
    // pairwise per IOMMU: a few hundred streams at most on real SoCs
    for (let j = 1; j < uses.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = uses[i], b = uses[j];
        if (a.node === b.node || !streamSetsOverlap(a, b)) continue;
        const pas = isPasNode(a.node) || isPasNode(b.node);
        if (!pas && sameStreamSet(a, b)) continue;
        const why = pas
          ? 'a PAS remote processor needs a stream of its own'
          : 'the sets overlap without being equal, so the arm-smmu driver refuses one of them';
        const [subject, other] = isPasNode(a.node) && !isPasNode(b.node) ? [a, b] : [b, a];
        out.push({
          earlier: a, later: b, pas, subject, other, why,
          message: `stream ${streamText(subject)} on ${nodeName(subject.iommu)} overlaps stream ${streamText(other)} of ${other.node.path}: ${why}`,
        });
      }
    }
  }
  return out;
}
