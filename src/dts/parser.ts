// DTS parser following dtc's grammar (dtc-parser.y) rule for rule, building the shared
// Tree with dtc's live-tree semantics (src/tree/ops.ts). References stay unresolved
// (markers in values) for the reference passes (tree/refs.ts); only `&ref { }`,
// `/delete-node/ &ref` and `/omit-if-no-ref/ &ref` look nodes up while parsing (with
// tree/refs.ts's lookup), as dtc does. A syntax error ends
// the parse (dtc has no recovery either); other errors are reported and parsing goes on.
import type { Host } from '../host.js';
import { MAX_QUOTED, clipText } from '../report/safe-text.js';
import type { Diagnostics } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { MemReserve } from '../tree/model.js';
import type { Label } from '../tree/model.js';
import { Node, Property, Tree } from '../tree/model.js';
import type { LabelSite } from '../tree/ops.js';
import { addLabelsAt, deleteNode, deletionMarkerNode, deletionMarkerProperty, mergeNodes } from '../tree/ops.js';
import type { ValueType } from '../tree/value.js';
import { ValueBuilder } from '../tree/value.js';
import { RefMarker, ValueElementsBuilder } from '../tree/located.js';
import { findNodeByRef } from '../tree/refs.js';
import type { ExprStream } from './expr.js';
import { parseIntegerPrim } from './expr.js';
import type { Token } from './lexer.js';
import { Lexer, resolveIncludeFile } from './lexer.js';
import type { LexSource } from './source.js';

export interface ParseOptions {
  host: Host;
  /** search folders for `/include/` and `/incbin/` (dtc's -i) */
  includeDirs: string[];
  diagnostics: Diagnostics;
}

/** Aborts the parse after a syntax error has been reported. */
class SyntaxAbort extends Error {}

/** A node whose body is being parsed. */
interface OpenBody {
  node: Node;
  sawSubnode: boolean;
  /** label lists to apply when the body closes, in order (innermost first) */
  labels: Token[][];
  /** written after `/omit-if-no-ref/` */
  omit: boolean;
}

const BITS_TYPES: Record<string, ValueType> = { '8': 'u8', '16': 'u16', '32': 'u32', '64': 'u64' };
/** all-ones of each element size (made once: BigInt arithmetic per array is costly) */
const BITS_MASKS: Record<string, bigint> = { '8': 0xffn, '16': 0xffffn, '32': 0xffff_ffffn, '64': 0xffff_ffff_ffff_ffffn };

/** A reference marker whose span is computed only if a diagnostic needs it. */
function refMarker(kind: 'phandle-ref' | 'path-ref', offset: number, t: Token): RefMarker {
  return new RefMarker(kind, offset, t.str).deferSpan(t.src.map, t.offset, t.length);
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'string': return 'string';
    case 'literal': case 'char': return `number '${clipText(t.text, MAX_QUOTED)}'`;
    case 'label': return `label '${clipText(t.text, MAX_QUOTED)}'`;
    case 'ref': return `reference '${clipText(t.text, MAX_QUOTED)}'`;
    case 'name': return `name '${clipText(t.text, MAX_QUOTED)}'`;
    case 'byte': return `byte '${t.text}'`;
    default: return `'${clipText(t.text, MAX_QUOTED)}'`;
  }
}

export class DtsParser implements ExprStream {
  private lexer: Lexer;
  private look: Token;
  private tree = new Tree();
  private haveRoot = false;
  /** dtc numbers plugin fragments in parse order, from 0 */
  private nextFragment = 0;
  /** label -> node, rebuilt only when a top-level edit may have changed labels */
  private labelIndex?: Map<string, Node>;
  private indexDirty = false;
  private labelsSeen = 0;
  private deletesSeen = 0;
  private readonly scratch = new ValueBuilder();
  /** where the elements of the value being parsed were written (reused like `scratch`) */
  private readonly elements = new ValueElementsBuilder();
  /** the token consumed last (the end of an expression cell) */
  private prev: Token | undefined;
  /** set when a parse error was reported (dtc then refuses the input) */
  failed = false;
  /** `label: &ref { }` labels not yet prepended to their node, in order: each prepend
   *  moves the whole list, so 100,000 of them on one node are added in one pass, before
   *  anything reads the node's labels (a merge bringing labels, a deletion, a label-index
   *  rebuild, the end of the parse) */
  private pendingLabels = new Map<Node, LabelSite[]>();

  constructor(private source: LexSource, private opts: ParseOptions) {
    this.lexer = new Lexer(source, opts);
    this.look = this.lexer.next();
  }

  // ---- token stream ----
  peek(): Token {
    return this.look;
  }

  next(): Token {
    const t = this.look;
    this.prev = t;
    this.look = this.lexer.next();
    return t;
  }

  /** Records a value element at byte `at`, written from token `first` to token `last`. */
  private element(at: number, first: Token, last: Token = first): void {
    const length = last.src === first.src && last.offset >= first.offset ? last.offset + last.length - first.offset : first.length;
    this.elements.add(at, first.src.map, first.offset, length);
  }

  span(t: Token): SourceSpan {
    return this.lexer.spanOf(t);
  }

  private isPunct(text: string): boolean {
    return this.look.kind === 'punct' && this.look.text === text;
  }

  expect(text: string): Token {
    if (!this.isPunct(text)) this.syntaxError(this.look, `'${text}'`);
    return this.next();
  }

  private expectKind(kind: Token['kind'], what: string): Token {
    if (this.look.kind !== kind) this.syntaxError(this.look, what);
    return this.next();
  }

  error(t: Token, message: string): void {
    this.failed = true;
    this.opts.diagnostics.error('syntax', message, this.span(t));
  }

  syntaxError(t: Token, expected?: string): never {
    let message: string;
    if (t.kind === 'bad') message = t.str;
    else if (t.kind === 'ident') message = `unexpected identifier '${clipText(t.text, MAX_QUOTED)}' (an undefined macro?)`;
    else message = `syntax error: unexpected ${describe(t)}${expected ? `, expected ${expected}` : ''}`;
    this.error(t, message);
    throw new SyntaxAbort();
  }

  // ---- sourcefile: headers memreserves devicetree ----
  parse(): Tree {
    try {
      this.parseHeaders();
      this.parseMemreserves();
      this.parseDevicetree();
    } catch (e) {
      if (!(e instanceof SyntaxAbort)) throw e;
    }
    this.flushLabels();
    this.tree.bootCpuid = guessBootCpuid(this.tree);
    return this.tree;
  }

  private parseHeader(): boolean {
    this.expectKind('v1', "'/dts-v1/;'");
    this.expect(';');
    if (this.look.kind !== 'plugin') return false;
    this.next();
    this.expect(';');
    return true;
  }

  private parseHeaders(): void {
    const plugin = this.parseHeader();
    while (this.look.kind === 'v1') {
      const at = this.look;
      if (this.parseHeader() !== plugin) this.error(at, "Header flags don't match earlier ones");
    }
    this.tree.plugin = plugin;
  }

  private parseMemreserves(): void {
    while (this.look.kind === 'label' || this.look.kind === 'memreserve') {
      const labels = this.parseLabels();
      const kw = this.expectKind('memreserve', "'/memreserve/'");
      const address = parseIntegerPrim(this);
      const size = parseIntegerPrim(this);
      this.expect(';');
      const entry: MemReserve = { address, size, labels: [], span: this.span(kw) };
      // each label once, the first written first (dtc prepends the last written first)
      const seen = new Set<string>();
      const names: string[] = [];
      for (let i = labels.length - 1; i >= 0; i--) {
        if (seen.has(labels[i].str)) continue;
        seen.add(labels[i].str);
        names.push(labels[i].str);
      }
      entry.labels = names.reverse();
      this.tree.memreserves.push(entry);
    }
  }

  private parseLabels(): Token[] {
    const labels: Token[] = [];
    while (this.look.kind === 'label') labels.push(this.next());
    return labels;
  }

  /** dtc's `add_label` for each label, innermost (last written) first. */
  private applyLabels(target: { labels: Node['labels'] }, labels: Token[]): void {
    if (labels.length === 0) return;
    this.labelsSeen += labels.length;
    const sites: LabelSite[] = [];
    for (let i = labels.length - 1; i >= 0; i--) {
      const l = labels[i];
      sites.push({ name: l.str, from: l.src.map, offset: l.offset, length: l.length });
    }
    addLabelsAt(target.labels, sites);
  }

  /** dtc's get_node_by_ref on the tree as parsed so far (tree/refs.ts), over a label index
   *  kept current while the tree is edited. */
  private findRef(ref: string): Node | undefined {
    return findNodeByRef(this.tree, ref, (name) => this.labelNode(name));
  }

  private labelNode(name: string): Node | undefined {
    if (!this.labelIndex || this.indexDirty) {
      this.flushLabels();
      this.labelIndex = this.tree.labelIndex();
      this.indexDirty = false;
    }
    return this.labelIndex.get(name);
  }

  /** After a top-level edit of `target`: keeps the label index current from the labels
   *  the edit gave to tree nodes (`added`, collected by mergeNodes: proportional to the
   *  edit, not to the labels already there). Deletions, clashes, or an edit without that
   *  list force a rebuild. */
  private edited(mark: { labels: number; deletes: number }, target?: Node, added?: Array<[Node, readonly Label[]]>): void {
    if (this.deletesSeen !== mark.deletes || !target || !added) this.indexDirty = true;
    if (this.labelsSeen === mark.labels || this.indexDirty || !this.labelIndex || !added) return;
    for (const [n, labels] of added) {
      for (const l of labels) {
        if (l.deleted) continue;
        const known = this.labelIndex.get(l.name);
        if (!known) this.labelIndex.set(l.name, n);
        else if (known !== n) this.indexDirty = true;
      }
    }
  }

  private addPendingLabel(target: Node, label: Token): void {
    const site: LabelSite = { name: label.str, from: label.src.map, offset: label.offset, length: label.length };
    const list = this.pendingLabels.get(target);
    if (list) list.push(site);
    else this.pendingLabels.set(target, [site]);
  }

  /** Prepends the pending top-level labels, node by node, each list in one pass. */
  private flushLabels(): void {
    for (const [node, sites] of this.pendingLabels) addLabelsAt(node.labels, sites);
    this.pendingLabels.clear();
  }

  /** mergeNodes, collecting the labels it gives to tree nodes (for `edited`). */
  private merge(target: Node, update: Node): Array<[Node, readonly Label[]]> {
    if (this.pendingLabels.size && touchesLabels(update)) this.flushLabels();
    const added: Array<[Node, readonly Label[]]> = [];
    mergeNodes(target, update, (n, labels) => added.push([n, labels]));
    return added;
  }

  private mark(): { labels: number; deletes: number } {
    return { labels: this.labelsSeen, deletes: this.deletesSeen };
  }

  private parseDevicetree(): void {
    const root = this.tree.root;
    for (;;) {
      const t = this.look;
      if (t.kind === 'eof' && this.haveRoot) return;
      const mark = this.mark();
      if (t.kind === 'punct' && t.text === '/') {
        this.next();
        const node = this.parseNodedef('', t);
        const added = this.haveRoot ? this.merge(root, node) : undefined;
        if (!this.haveRoot) this.adoptRoot(node);
        this.haveRoot = true;
        this.edited(mark, root, added);
      } else if (t.kind === 'ref' && !this.haveRoot) {
        // `&ref { }` before any root: only meaningful in a plugin
        this.next();
        const node = this.parseNodedef('', t);
        if (!this.tree.plugin) this.error(t, `Label or path ${clipText(t.str, MAX_QUOTED)} not found`);
        this.haveRoot = true;
        this.addOrphan(node, t);
        this.edited(mark, root);
      } else if (this.haveRoot && t.kind === 'label') {
        const label = this.next();
        const ref = this.expectKind('ref', 'a reference after the label');
        const node = this.parseNodedef('', ref);
        const target = this.findRef(ref.str);
        if (target) {
          this.addPendingLabel(target, label);
          this.labelsSeen++;
          const added = this.merge(target, node);
          added.push([target, [{ name: label.str, deleted: false }]]);
          this.edited(mark, target, added);
        } else {
          this.error(ref, `Label or path ${clipText(ref.str, MAX_QUOTED)} not found`);
        }
      } else if (this.haveRoot && t.kind === 'ref') {
        this.next();
        const node = this.parseNodedef('', t);
        // in a plugin a path, or a label the overlay itself does not define, targets the base
        const target = this.tree.plugin && t.str.startsWith('/') ? undefined : this.findRef(t.str);
        if (target) {
          this.edited(mark, target, this.merge(target, node));
        } else if (this.tree.plugin) {
          this.addOrphan(node, t);
          this.edited(mark, root);
        } else {
          this.error(t, `Label or path ${clipText(t.str, MAX_QUOTED)} not found`);
        }
      } else if (this.haveRoot && (t.kind === 'delete-node' || t.kind === 'omit-if-no-ref')) {
        this.next();
        const ref = this.expectKind('ref', 'a reference');
        this.expect(';');
        const target = this.findRef(ref.str);
        if (!target) this.error(ref, `Label or path ${clipText(ref.str, MAX_QUOTED)} not found`);
        else if (t.kind === 'delete-node') {
          this.flushLabels();
          deleteNode(target);
          this.indexDirty = true;
        }
        else target.omitIfNoRef = true;
      } else {
        this.syntaxError(t, this.haveRoot ? undefined : "'/ {'");
      }
    }
  }

  private adoptRoot(node: Node): void {
    const root = this.tree.root;
    root.copySpanFrom(node);
    root.labels = node.labels;
    root.properties = node.properties;
    for (const c of node.children) root.addChild(c);
  }

  /** Plugin sugar: `&ref { ... }` becomes `fragment@N { target = <&ref>; __overlay__ { ... }; }`
   *  (`target-path = "/path"` for a path reference), appended to the root. */
  private addOrphan(overlay: Node, ref: Token): void {
    const span = this.span(ref);
    const vb = new ValueBuilder();
    let prop: Property;
    if (ref.str.startsWith('/')) {
      vb.type('string').string(ref.str);
      prop = new Property('target-path', vb.build(), span);
    } else {
      vb.type('u32').marker({ kind: 'phandle-ref', offset: 0, ref: ref.str, span }).u32(0xffffffff);
      prop = new Property('target', vb.build(), span);
    }
    const fragment = new Node(`fragment@${this.nextFragment++}`, span);
    fragment.addProperty(prop);
    overlay.name = '__overlay__';
    fragment.addChild(overlay);
    this.tree.root.addChild(fragment);
  }

  // ---- nodedef: '{' proplist subnodes '}' ';' ----
  /**
   * A node body and everything nested in it. Nesting depth is the input's, so open
   * bodies live on an explicit stack rather than the call stack; the order of every
   * step is the grammar's, as a recursive descent would take it.
   */
  private parseNodedef(name: string, at: Token): Node {
    const outer: OpenBody = { node: new Node(name).deferSpan(at.src.map, at.offset, at.length), sawSubnode: false, labels: [], omit: false };
    this.expect('{');
    const open: OpenBody[] = [outer];
    for (;;) {
      const body = open[open.length - 1];
      const labels = this.parseLabels();
      const t = this.look;
      if (labels.length === 0 && t.kind === 'punct' && t.text === '}') {
        this.next();
        this.expect(';');
        open.pop();
        const done = this.closeBody(body);
        const parent = open[open.length - 1];
        if (!parent) return done;
        this.addItem(parent, done, t);
        continue;
      }
      const item = this.parseNodeItem(labels);
      if (item instanceof Property || item.deleted) this.addItem(body, item, t);
      else {
        // a subnode with a body: parse its body before anything else
        this.expect('{');
        const pending = this.pendingBody!;
        open.push({ node: item, sawSubnode: false, labels: pending.labels, omit: pending.omit });
        this.pendingBody = undefined;
      }
    }
  }

  /** Labels and the `/omit-if-no-ref/` flag of a finished body, innermost labels first. */
  private closeBody(body: OpenBody): Node {
    for (const labels of body.labels) this.applyLabels(body.node, labels);
    if (body.omit) body.node.omitIfNoRef = true;
    return body.node;
  }

  private addItem(body: OpenBody, item: Node | Property, at: Token): void {
    if (item instanceof Node) {
      body.node.addChild(item);
      body.sawSubnode = true;
    } else {
      if (body.sawSubnode) {
        this.error(at, 'Properties must precede subnodes');
        throw new SyntaxAbort();
      }
      body.node.addProperty(item);
    }
  }

  /** A body the caller must open next (set with the Node parseNodeItem returns for it). */
  private pendingBody: { labels: Token[][]; omit: boolean } | undefined;

  /**
   * A property, a `/delete-node/` marker, or the head of a subnode (after its labels):
   * for a subnode with a body the Node is returned unfinished, with `pendingBody` saying
   * which labels and flags it takes once its body is closed.
   */
  private parseNodeItem(labels: Token[]): Node | Property {
    const t = this.look;
    if (t.kind === 'delete-property') {
      this.next();
      const name = this.expectKind('name', 'a property name');
      this.expect(';');
      const p = deletionMarkerProperty(name.str).deferSpan(name.src.map, name.offset, name.length);
      this.applyLabels(p, labels);
      return p;
    }
    if (t.kind === 'delete-node' || t.kind === 'omit-if-no-ref') {
      return this.parseSubnode(labels);
    }
    if (t.kind !== 'name') this.syntaxError(t);
    const name = this.next();
    if (this.isPunct('{')) {
      this.pendingBody = { labels: [labels], omit: false };
      return new Node(name.str).deferSpan(name.src.map, name.offset, name.length);
    }
    const prop = new Property(name.str).deferSpan(name.src.map, name.offset, name.length);
    if (this.isPunct('=')) {
      this.next();
      prop.value = this.parsePropdata();
    }
    this.expect(';');
    this.applyLabels(prop, labels);
    return prop;
  }

  /** `subnode` forms that start with a keyword: `/delete-node/ name;` and
   *  `/omit-if-no-ref/ subnode` (any number of them in a row). */
  private parseSubnode(labels: Token[]): Node {
    // label lists from the outermost keyword in; applied innermost first
    const lists: Token[][] = [labels];
    let omit = false;
    for (;;) {
      const t = this.next();
      if (t.kind === 'delete-node') {
        const name = this.expectKind('name', 'a node name');
        this.expect(';');
        const node = deletionMarkerNode(name.str).deferSpan(name.src.map, name.offset, name.length);
        this.deletesSeen++;
        if (omit) node.omitIfNoRef = true;
        for (let i = lists.length - 1; i >= 0; i--) this.applyLabels(node, lists[i]);
        return node;
      }
      omit = true;
      const inner = this.parseLabels();
      const k = this.look;
      if (k.kind === 'delete-node' || k.kind === 'omit-if-no-ref') {
        lists.push(inner);
        continue;
      }
      const name = this.expectKind('name', 'a node name');
      if (!this.isPunct('{')) this.syntaxError(this.look, "'{'");
      lists.push(inner);
      this.pendingBody = { labels: lists.reverse(), omit };
      return new Node(name.str).deferSpan(name.src.map, name.offset, name.length);
    }
  }

  // ---- propdata ----
  private parsePropdata(): ReturnType<ValueBuilder['build']> {
    // values never nest, so one scratch builder serves every property (build() copies)
    const vb = this.scratch.reset();
    this.elements.reset();
    for (;;) {
      this.valueLabels(vb);
      const t = this.look;
      if (t.kind === 'string') {
        this.next();
        this.element(vb.length, t);
        vb.type('string').string(t.str);
      } else if (t.kind === 'ref') {
        this.next();
        this.element(vb.length, t);
        vb.type('string').marker(refMarker('path-ref', vb.length, t));
      } else if (t.kind === 'bits' || this.isPunct('<')) {
        this.parseArray(vb);
      } else if (this.isPunct('[')) {
        this.next();
        vb.type('bytes');
        for (;;) {
          this.valueLabels(vb);
          if (this.look.kind !== 'byte') break;
          this.element(vb.length, this.look);
          vb.u8(this.next().num);
        }
        this.expect(']');
      } else if (t.kind === 'incbin') {
        this.parseIncbin(vb);
      } else {
        this.syntaxError(t, 'a property value');
      }
      this.valueLabels(vb);
      if (!this.isPunct(',')) break;
      this.next();
    }
    const value = vb.build();
    const elements = this.elements.build();
    if (elements) value.elements = elements;
    return value;
  }

  private valueLabels(vb: ValueBuilder): void {
    while (this.look.kind === 'label') vb.marker({ kind: 'label', offset: vb.length, name: this.next().str });
  }

  /** `[/bits/ N] < cells >`. */
  private parseArray(vb: ValueBuilder): void {
    let bits = 32;
    if (this.look.kind === 'bits') {
      this.next();
      const n = this.expectKind('literal', 'the element size in bits');
      const type = n.big === undefined ? BITS_TYPES[String(n.num)] : undefined;
      if (type) bits = n.num;
      else this.error(n, 'Array elements must be 8, 16, 32 or 64-bits');
    }
    this.expect('<');
    vb.type(BITS_TYPES[bits]);
    const width = bits as 8 | 16 | 32 | 64;
    const mask = BITS_MASKS[bits];
    for (;;) {
      const t = this.look;
      if (t.kind === 'label') {
        this.next();
        vb.marker({ kind: 'label', offset: vb.length, name: t.str });
      } else if (t.kind === 'ref') {
        this.next();
        this.element(vb.length, t);
        if (bits === 32) vb.marker(refMarker('phandle-ref', vb.length, t));
        else this.error(t, 'References are only allowed in arrays with 32-bit elements.');
        vb.uint(mask, width);
      } else if (t.kind === 'punct' && t.text === '>') {
        this.next();
        return;
      } else if (bits === 32 && (t.kind === 'literal' || t.kind === 'char') && t.big === undefined && t.num <= 0xffffffff) {
        // the common case, without BigInt
        this.next();
        this.element(vb.length, t);
        vb.u32(t.num);
      } else {
        const at = vb.length;
        const v = parseIntegerPrim(this);
        this.element(at, t, this.prev);
        if (bits < 64 && v > mask && (v | mask) !== (1n << 64n) - 1n) {
          const hex = (x: bigint, w: number) => x.toString(16).padStart(w, '0');
          this.opts.diagnostics.warning('cell_overflow', `Value 0x${hex(v, 16)} truncated to 0x${hex(v & mask, bits / 4)}`, this.span(t));
        }
        vb.uint(v, width);
      }
    }
  }

  /** `/incbin/("file"[, offset, length])`: the file's bytes, found like `/include/`. */
  private parseIncbin(vb: ValueBuilder): void {
    const kw = this.next();
    this.expect('(');
    const name = this.expectKind('string', 'a file name');
    let offset = 0n;
    let length: bigint | undefined;
    if (this.isPunct(',')) {
      this.next();
      offset = parseIntegerPrim(this);
      this.expect(',');
      length = parseIntegerPrim(this);
    }
    this.expect(')');
    const from = this.span(kw).file;
    const file = resolveIncludeFile(name.str, from, this.opts);
    const bytes = file ? this.opts.host.readFile(file) : undefined;
    if (!bytes) {
      this.error(name, `Couldn't open "${clipText(name.str, MAX_QUOTED)}": No such file or directory`);
      return;
    }
    this.element(vb.length, kw, this.prev);
    const start = Number(offset > BigInt(bytes.length) ? BigInt(bytes.length) : offset);
    const end = length === undefined ? bytes.length : Math.min(bytes.length, start + Number(length));
    vb.type('bytes').bytes(bytes.subarray(start, end));
  }
}

/** Whether merging `node` reads or changes labels of the tree: it carries labels, or
 *  deletes nodes (whose labels are deleted with them). */
function touchesLabels(node: Node): boolean {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.labels.length || n.deleted) return true;
    for (const c of n.children) stack.push(c);
  }
  return false;
}

/** dtc's guess: the `reg` of the first child of /cpus (deleted or not), when one cell. */
function guessBootCpuid(tree: Tree): number {
  const cpus = tree.findByPath('/cpus');
  const first = cpus?.children[0];
  return first?.getU32('reg') ?? 0;
}

/** Parses DTS text into an unresolved Tree; errors go to `opts.diagnostics`. */
export function parseDts(source: LexSource, opts: ParseOptions): { tree: Tree; ok: boolean } {
  const before = opts.diagnostics.errorCount;
  const parser = new DtsParser(source, opts);
  const tree = parser.parse();
  return { tree, ok: !parser.failed && opts.diagnostics.errorCount === before };
}
