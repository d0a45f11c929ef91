// dtc 1.6.1's get_node_by_ref, indexed once: `&label` finds the first live node (walk
// order) carrying the label; `&{/path}` walks exact node names from the root.
import type { Node, Tree } from '../tree/model.js';

export class RefResolver {
  private readonly labels: Map<string, Node>;

  constructor(private readonly tree: Tree) {
    this.labels = tree.labelIndex();
  }

  resolve(ref: string): Node | undefined {
    if (ref === '/') return this.tree.root;
    return ref.startsWith('/') ? this.tree.findByPath(ref) : this.labels.get(ref);
  }
}
