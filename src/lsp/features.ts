// Definition, hover, completion, document symbols and references, answered from the last
// check of the document's board (its tree, with the spans the parser recorded for every
// node, property, label and value element; the preprocessor's macros and include sites;
// the bindings) and from the text of the buffer at the cursor (which may not parse while
// the user types).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, DocumentSymbol, Hover, Location, Position, Range } from 'vscode-languageserver';
import { RefResolver } from '../tree/refs.js';
import { resolveIncludeFile } from '../dts/lexer.js';
import { DEVMEM_CELLS_PER_ROW, DEVMEM_PROPERTY, flagNames, rowsFromCells } from '../qcom/devmem.js';
import { formatBytes } from '../qcom/format.js';
import { fileKey, lspRange, writtenAt } from '../report/lsp.js';
import type { SourceSpan } from '../report/source.js';
import type { Node, Property, Tree } from '../tree/model.js';
import { cellsOf, hex, stringsOf } from '../tree/value.js';
import type { UnitCheck } from './workspace.js';

/** A request's document and cursor. */
export interface DocPosition {
  file: string;
  /** the buffer's text */
  text: string;
  position: Position;
}

// LSP completion/symbol kinds used here
const SYMBOL_NAMESPACE = 3, SYMBOL_PROPERTY = 7;
const COMPLETION_PROPERTY = 10, COMPLETION_VALUE = 12, COMPLETION_REFERENCE = 18;

const TOKEN = /&\{[^}\n]*\}?|&[A-Za-z0-9_]*|"(?:[^"\\\n]|\\.)*"?|[A-Za-z0-9_,.+\-#@?*]+:?/g;

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

function lineAt(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

function offsetOf(text: string, p: Position): number {
  let start = 0;
  for (let i = 0; i < p.line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  return start + p.character;
}

/** dtkit's 1-based column (bytes of the line as read) of an LSP character. */
function byteColumn(line: string, character: number): number {
  return Buffer.byteLength(line.slice(0, character), 'utf8') + 1;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokenAt(line: string, character: number): Token | undefined {
  for (const m of line.matchAll(TOKEN)) {
    const start = m.index!, end = start + m[0].length;
    if (character >= start && character <= end && m[0] !== '') return { text: m[0], start, end };
  }
  return undefined;
}

/** The reference a `&label`, `&{/path}` or `&{label/path}` token names. */
function refOf(token: string): string | undefined {
  if (token.startsWith('&{')) return token.slice(2).replace(/\}$/, '');
  if (token.startsWith('&') && token.length > 1) return token.slice(1);
  return undefined;
}

function contains(span: SourceSpan, file: string, line: number, column: number): boolean {
  return fileKey(span.file) === file && span.line === line && column >= span.column && column <= span.column + Math.max(span.length, 1);
}

function location(span: SourceSpan): Location {
  const at = writtenAt(span);
  return { uri: uriOf(path.resolve(at.file)), range: lspRange(at) };
}

// ---- where the cursor is in the node structure --------------------------------------

/**
 * The headers of the blocks enclosing `offset` (`/`, `soc@0`, `&label`, `&{/path}`),
 * outermost first, read from the text (comments, strings and directive lines skipped).
 */
export function enclosingBlocks(text: string, offset: number): string[] {
  const stack: string[] = [];
  let stmt = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
      stmt = i + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' && /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, i - 80), i))) {
      // a directive line (with continuations)
      for (; i < text.length && text[i] !== '\n'; i++) if (text[i] === '\\' && text[i + 1] === '\n') i++;
      stmt = i + 1;
    } else if (c === '{') {
      const header = text.slice(stmt, i).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').trim()
        .replace(/^(\/omit-if-no-ref\/\s*)?/, '').replace(/^([A-Za-z_][A-Za-z0-9_]*:\s*)+/, '').trim();
      stack.push(header);
      stmt = i + 1;
    } else if (c === '}') {
      stack.pop();
      stmt = i + 1;
    } else if (c === ';') {
      stmt = i + 1;
    }
  }
  return stack;
}

/** The tree node a chain of block headers names, or undefined. */
function nodeOfBlocks(tree: Tree, headers: string[]): Node | undefined {
  let node: Node | undefined;
  const refs = new RefResolver(tree);
  for (const h of headers) {
    if (node === undefined) {
      const ref = refOf(h);
      node = h === '/' ? tree.root : ref !== undefined ? refs.find(ref) : undefined;
      if (!node) return undefined;
    } else {
      node = node.getChild(h);
      if (!node) return undefined;
    }
  }
  return node;
}

function compatiblesOf(node: Node | undefined): string[] {
  const p = node?.getProperty('compatible');
  return (p && stringsOf(p.value)) ?? [];
}

/** The property (and value element) written at the cursor. */
function propertyAt(check: UnitCheck, file: string, line: number, column: number): { node: Node; prop: Property; element?: number } | undefined {
  const tree = check.result.tree;
  if (!tree) return undefined;
  for (const node of tree.walk()) {
    for (const prop of node.props) {
      const ps = prop.span && writtenAt(prop.span);
      if (!ps || fileKey(ps.file) !== file || ps.line > line || ps.line < line - 500) continue;
      if (contains(ps, file, line, column)) return { node, prop };
      const e = prop.value.elements;
      if (!e) continue;
      for (let i = 0; i < e.count; i++) {
        const s = e.span(i);
        if (s && contains(writtenAt(s), file, line, column)) return { node, prop, element: i };
      }
    }
  }
  return undefined;
}

// ---- definition ---------------------------------------------------------------------

const INCLUDE_AT = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]|^[ \t]*\/include\/[ \t]*"([^"]+)"/;

export function definition(check: UnitCheck, doc: DocPosition): Location[] {
  const file = fileKey(doc.file);
  const line = lineAt(doc.text, doc.position.line);
  const inc = INCLUDE_AT.exec(line);
  if (inc) {
    const base = check.result.base;
    let target: string | undefined;
    if (inc[3] !== undefined) target = resolveIncludeFile(inc[3], file, { host: check.host, includeDirs: base.includeDirs });
    else {
      for (const input of [base, ...check.result.overlays]) {
        const hit = input.preprocessed?.includes().find((i) => fileKey(i.site.file) === file && i.site.line === doc.position.line + 1);
        if (hit) target = hit.file;
      }
    }
    return target ? [{ uri: uriOf(path.resolve(target)), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
  }
  const tok = tokenAt(line, doc.position.character);
  if (!tok) return [];
  const ref = refOf(tok.text);
  const tree = check.result.tree;
  if (ref !== undefined && tree) {
    const node = new RefResolver(tree).find(ref);
    return node?.span ? [location(node.span)] : [];
  }
  // a compatible string: its binding
  if (tok.text.startsWith('"') && /^\s*compatible\s*=/.test(line.replace(/^\s*[A-Za-z0-9_]+:\s*/, ''))) {
    const binding = check.docs.fileOf([tok.text.replace(/^"|"$/g, '')]);
    return binding ? [{ uri: uriOf(path.resolve(binding)), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
  }
  const macro = macroOf(check, tok.text);
  return macro?.span ? [location(macro.span)] : [];
}

function macroOf(check: UnitCheck, word: string) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) return undefined;
  for (const input of [check.result.base, ...check.result.overlays]) {
    const m = input.preprocessed?.macro(word);
    if (m) return m;
  }
  return undefined;
}

/** An object-like macro's body with the object-like macros in it expanded (as cpp would). */
function expansionOf(check: UnitCheck, name: string): string {
  const seen = new Set<string>([name]);
  const expand = (body: string, depth: number): string =>
    depth > 16 ? body : body.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => {
      const m = seen.has(w) ? undefined : macroOf(check, w);
      if (!m || m.funLike) return w;
      seen.add(w);
      const out = expand(m.body, depth + 1);
      seen.delete(w);
      return out;
    });
  return expand(macroOf(check, name)?.body ?? name, 0);
}

// ---- hover --------------------------------------------------------------------------

function markdown(lines: string[]): Hover {
  return { contents: { kind: 'markdown', value: lines.join('\n') } };
}

function devmemRowHover(check: UnitCheck, node: Node, prop: Property, element: number): Hover | undefined {
  const e = prop.value.elements!;
  const cell = Math.floor(e.byteOffset(element) / 4);
  const row = Math.floor(cell / DEVMEM_CELLS_PER_ROW);
  const cells = cellsOf(prop.value);
  const r = cells && cells.length % DEVMEM_CELLS_PER_ROW === 0 ? rowsFromCells(cells)[row] : undefined;
  const lines = [`**${DEVMEM_PROPERTY}** row ${row} of ${node.path}`];
  if (r) {
    lines.push('',
      `- da (device address): \`${hex(r.da)}\``,
      `- pa (physical address): \`${hex(r.pa)}\``,
      `- size: \`${hex(r.size)}\` (${formatBytes(r.size)})`,
      `- flags: \`${hex(r.flags)}\` ${flagNames(r.flags)}`);
  } else {
    lines.push('', `the value is not rows of ${DEVMEM_CELLS_PER_ROW} cells`);
  }
  const findings = check.findings.filter((d) => d.node === node.path && d.property === DEVMEM_PROPERTY &&
    (d.element === undefined || Math.floor(d.element / DEVMEM_CELLS_PER_ROW) === row));
  if (findings.length) lines.push('', ...findings.map((d) => `- ${d.severity}: ${d.message} [${d.rule}]`));
  return markdown(lines);
}

function propertyHover(check: UnitCheck, node: Node | undefined, name: string): Hover | undefined {
  const doc = check.docs.property(compatiblesOf(node), name);
  if (!doc) return undefined;
  const lines = [`**${name}**${doc.type ? `: \`${doc.type}\`` : ''}`];
  if (doc.description) lines.push('', doc.description);
  if (doc.file) lines.push('', `binding: ${path.basename(doc.file)}`);
  return markdown(lines);
}

export function hover(check: UnitCheck, doc: DocPosition): Hover | undefined {
  const file = fileKey(doc.file);
  const line = lineAt(doc.text, doc.position.line);
  const tok = tokenAt(line, doc.position.character);
  const tree = check.result.tree;
  const ref = tok && refOf(tok.text);
  if (ref !== undefined && tree) {
    const node = new RefResolver(tree).find(ref);
    if (!node) return markdown([`\`&${ref}\`: no such label or path in the checked tree`]);
    const compat = compatiblesOf(node);
    return markdown([`\`${node.path}\``, ...(compat.length ? ['', `compatible: ${compat.map((c) => `"${c}"`).join(', ')}`] : [])]);
  }
  const at = tree ? propertyAt(check, file, doc.position.line + 1, byteColumn(line, doc.position.character)) : undefined;
  if (at && at.prop.name === DEVMEM_PROPERTY && at.element !== undefined) return devmemRowHover(check, at.node, at.prop, at.element);
  if (tok) {
    const macro = macroOf(check, tok.text);
    if (macro) {
      const expansion = macro.funLike ? undefined : expansionOf(check, macro.name);
      return markdown(['```c', `#define ${macro.signature} ${macro.body}`, '```', ...(expansion !== undefined && expansion !== macro.body ? ['', `expands to \`${expansion}\``] : [])]);
    }
    const name = tok.text.replace(/:$/, '');
    const after = line.slice(tok.end);
    if (tree && !tok.text.endsWith(':') && /^\s*(=|;)/.test(after)) {
      const node = at?.node ?? nodeOfBlocks(tree, enclosingBlocks(doc.text, offsetOf(doc.text, doc.position)));
      return propertyHover(check, node, name);
    }
  }
  return undefined;
}

// ---- completion ---------------------------------------------------------------------

export function completion(check: UnitCheck, doc: DocPosition): CompletionItem[] {
  const line = lineAt(doc.text, doc.position.line);
  const before = line.slice(0, doc.position.character);
  const tree = check.result.tree;
  if (!tree) return [];
  // labels after '&'
  const amp = /&([A-Za-z0-9_]*)$/.exec(before);
  if (amp) {
    return [...tree.labelIndex()].map(([label, node]) => ({ label, kind: COMPLETION_REFERENCE, detail: node.path }));
  }
  // compatible values inside the quotes of a compatible property
  if (/\bcompatible\s*=\s*("[^"]*"\s*,\s*)*"[^"]*$/.test(before)) {
    return check.docs.compatibles().map((c) => ({ label: c, kind: COMPLETION_VALUE }));
  }
  // property names at the start of a statement inside a node
  if (/^\s*[A-Za-z0-9_,.+\-#]*$/.test(before)) {
    const node = nodeOfBlocks(tree, enclosingBlocks(doc.text, offsetOf(doc.text, doc.position)));
    if (!node) return [];
    const props = check.docs.properties(compatiblesOf(node));
    if (!props) return [];
    const present = new Set(node.props.map((p) => p.name));
    return [...props.values()]
      .filter((p) => !present.has(p.name) && !/[\^$*()[\]|\\]/.test(p.name))
      .map((p) => ({
        label: p.name, kind: COMPLETION_PROPERTY, ...(p.type ? { detail: p.type } : {}),
        ...(p.description ? { documentation: p.description } : {}),
      }));
  }
  return [];
}

// ---- document symbols ----------------------------------------------------------------

function union(a: Range, b: Range): Range {
  const before = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return { start: before(b.start, a.start) ? b.start : a.start, end: before(a.end, b.end) ? b.end : a.end };
}

/** The node tree as written in `file`: nodes defined or amended there, with their properties. */
export function documentSymbols(check: UnitCheck, file: string): DocumentSymbol[] {
  const tree = check.result.tree;
  if (!tree) return [];
  const key = fileKey(file);
  const here = (s: SourceSpan | undefined): Range | undefined => {
    const at = s && writtenAt(s);
    return at && fileKey(at.file) === key ? lspRange(at) : undefined;
  };
  // children before parents: an explicit stack (nesting depth is the input's)
  const order: Node[] = tree.walk();
  const symbols = new Map<Node, DocumentSymbol>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const children: DocumentSymbol[] = [];
    for (const p of node.props) {
      const r = here(p.span);
      if (r) children.push({ name: p.name, kind: SYMBOL_PROPERTY, range: r, selectionRange: r });
    }
    for (const c of node.nodes) {
      const s = symbols.get(c);
      if (s) children.push(s);
    }
    const own = here(node.span);
    if (!own && children.length === 0) continue;
    const selectionRange = own ?? children[0].selectionRange;
    const range = children.reduce((r, c) => union(r, c.range), selectionRange);
    const labels = node.liveLabels;
    symbols.set(node, {
      name: node.parent ? node.name : '/', kind: SYMBOL_NAMESPACE, range, selectionRange,
      detail: labels.length ? `${labels.map((l) => `${l}:`).join(' ')} ${node.path}` : node.path, children,
    });
  }
  const root = symbols.get(tree.root);
  if (!root) return [];
  // the root of a .dtsi amended only through labels: show its children at the top
  return here(tree.root.span) ? [root] : root.children ?? [];
}

// ---- references ---------------------------------------------------------------------

/** Every `&label` (and `&{label/...}`) reference to the label at the cursor, in the
 *  check's sources; with the label's definition when asked. */
export function references(check: UnitCheck, doc: DocPosition, includeDeclaration: boolean): Location[] {
  const line = lineAt(doc.text, doc.position.line);
  const tok = tokenAt(line, doc.position.character);
  if (!tok) return [];
  const label = (refOf(tok.text) ?? (tok.text.endsWith(':') ? tok.text.slice(0, -1) : tok.text)).split('/')[0];
  const tree = check.result.tree;
  if (!label || !tree || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) return [];
  const node = tree.labelIndex().get(label);
  if (!node) return [];
  const out: Location[] = [];
  const seen = new Set<string>();
  const add = (loc: Location) => {
    const k = `${loc.uri}:${loc.range.start.line}:${loc.range.start.character}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(loc);
    }
  };
  if (includeDeclaration) for (const l of node.labels) if (l.name === label && l.span) add(location(l.span));
  const pattern = new RegExp(`&(?:${label}(?![A-Za-z0-9_])|\\{${label}(?=[/}]))`, 'g');
  const files = new Set<string>();
  for (const input of [check.result.base, ...check.result.overlays]) for (const f of input.sources.keys()) if (/\.dts[io]?$/.test(f)) files.add(f);
  for (const f of [...files].sort()) {
    const text = fileKey(f) === fileKey(doc.file) ? doc.text : check.result.sourceText(f);
    if (text === undefined) continue;
    const lines = text.split('\n');
    let inComment = false;
    lines.forEach((l, n) => {
      for (const m of l.matchAll(pattern)) {
        const before = l.slice(0, m.index);
        if (inComment || before.includes('//') || (before.lastIndexOf('/*') > before.lastIndexOf('*/'))) continue;
        const start = m.index! + 1;
        add({ uri: uriOf(path.resolve(f)), range: { start: { line: n, character: start }, end: { line: n, character: start + m[0].length - 1 } } });
      }
      const open = l.lastIndexOf('/*'), close = l.lastIndexOf('*/');
      if (open > close) inComment = true;
      else if (close >= 0) inComment = false;
    });
  }
  return out;
}
