// Where an overlay blob's nodes, properties and phandle cells were written, when the
// overlay was compiled from source in this run: the blob's paths are the compiled tree's
// paths, so a path, a property name and a byte offset lead back to the `&label` token.
import type { SourceSpan } from '../../report/source.js';
import type { Tree } from '../../tree/model.js';

export class SourceLocator {
  constructor(private readonly tree?: Tree) {}

  node(path: string): SourceSpan | undefined {
    return this.tree?.findByPath(path)?.span;
  }

  property(path: string, name: string): SourceSpan | undefined {
    const node = this.tree?.findByPath(path);
    return node?.getProperty(name)?.span ?? node?.span;
  }

  /** The reference written at `offset` of the property, else the property. */
  cell(path: string, name: string, offset: number): SourceSpan | undefined {
    const prop = this.tree?.findByPath(path)?.getProperty(name);
    for (const m of prop?.value.markers ?? []) {
      if ((m.kind === 'phandle-ref' || m.kind === 'path-ref') && m.offset === offset && m.span) return m.span;
    }
    return this.property(path, name);
  }
}
