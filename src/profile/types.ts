// A KVM overlay profile after loading: every value keeps the YAML span it came from, so
// later checks against the base tree can point at the profile line that is wrong.
import type { SourceSpan } from '../report/source.js';

export interface Located<T> {
  value: T;
  span: SourceSpan;
}

/** A number with the text it was written as (`0x0400` stays `0x0400` in the overlay). */
export interface Num extends Located<number> {
  text: string;
}

/** How a profile entry names its node in the base tree. */
export type TargetRef =
  | { kind: 'label'; label: string; span: SourceSpan }
  | { kind: 'path'; path: string; span: SourceSpan }
  | { kind: 'compatible'; compatible: string; span: SourceSpan };

export type Cell = { kind: 'num'; num: Num } | { kind: 'ref'; ref: string; span: SourceSpan };

export type PropValueSpec =
  | { kind: 'empty' }
  | { kind: 'strings'; strings: string[] }
  /** one `<...>` group per inner list, printed as `<...>, <...>` */
  | { kind: 'cells'; groups: Cell[][] };

export interface PropSpec {
  name: string;
  value: PropValueSpec;
  span: SourceSpan;
  keySpan: SourceSpan;
}

export interface NodeEditBody {
  comment?: string;
  status?: Located<string>;
  set: PropSpec[];
  delete: Located<string>[];
  children: ChildEdit[];
  span: SourceSpan;
}

export interface ChildEdit extends NodeEditBody {
  name: Located<string>;
}

export interface NodeEdit extends NodeEditBody {
  target: TargetRef;
}

export interface DevmemRowSpec {
  da: Num;
  pa: Num;
  size: Num;
  flags: Located<string>[];
  /** IOMMU_* bits of `flags` */
  flagBits: number;
  span: SourceSpan;
}

export interface RemoteprocSpec {
  target: TargetRef;
  /** compatible the node must carry (also the address when there is no label or path) */
  compatible?: Located<string>;
  comment?: string;
  smmu: Located<string>;
  sid: Num;
  mask?: Num;
  devmem: DevmemRowSpec[];
  span: SourceSpan;
}

export interface Profile {
  name: string;
  description?: string;
  /** the profile file as the user named it (or the built-in's path) */
  file: string;
  baseCompatible: Located<string>[];
  baseSpan: SourceSpan;
  remoteprocs: RemoteprocSpec[];
  edits: NodeEdit[];
}

