// Depth-first walks in the order a recursive walk takes, on an explicit stack: how deep a
// tree, a DTB or an overlay nests is the input's, so no walk may cost a stack frame per
// level.

/**
 * Visits the children of `root`'s frame one by one, each child's whole subtree before the
 * next child. `step(frame, i)` handles child `i` of `frame` and returns the child's frame
 * to descend into, undefined to go on with the next child, or false to stop the walk
 * (depthFirst then returns false).
 */
export function depthFirst<F>(root: F, childCount: (frame: F) => number, step: (frame: F, i: number) => F | undefined | false): boolean {
  const stack: Array<{ frame: F; next: number }> = [{ frame: root, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next >= childCount(top.frame)) {
      stack.pop();
      continue;
    }
    const child = step(top.frame, top.next++);
    if (child === false) return false;
    if (child !== undefined) stack.push({ frame: child, next: 0 });
  }
  return true;
}
