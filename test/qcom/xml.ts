// A strict little XML reader for tests of generated SVG: throws on anything that is not
// well-formed (unbalanced or mismatched tags, unquoted or repeated attributes, raw '<' or
// stray '&' in text), and returns the element tree.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

function decode(s: string, where: number): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`stray '&' near offset ${where}`);
  return s.replace(ENTITY, (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" } as Record<string, string>)[e] ?? '?');
}

export function parseXml(text: string): XmlElement {
  let pos = 0;
  const skipProlog = () => {
    for (;;) {
      const m = /^\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/.exec(text.slice(pos));
      if (!m) return;
      pos += m[0].length;
    }
  };
  skipProlog();
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunk = text.slice(pos, lt < 0 ? text.length : lt);
    if (chunk.includes('>')) throw new Error(`raw '>' in text near offset ${pos}`);
    stack[stack.length - 1].text += decode(chunk, pos);
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos);
      if (end < 0) throw new Error('unterminated comment');
      pos = end + 3;
      continue;
    }
    const close = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(pos));
    if (close) {
      const open = stack.pop();
      if (!open || open === root || open.name !== close[1]) throw new Error(`mismatched </${close[1]}> at offset ${pos}`);
      pos += close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(pos));
    if (!tag) throw new Error(`malformed tag at offset ${pos}: ${text.slice(pos, pos + 40)}`);
    const el: XmlElement = { name: tag[1], attrs: {}, children: [], text: '' };
    for (const a of tag[2].matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1] in el.attrs) throw new Error(`repeated attribute ${a[1]} at offset ${pos}`);
      el.attrs[a[1]] = decode(a[2] ?? a[3], pos);
    }
    stack[stack.length - 1].children.push(el);
    if (!tag[3]) stack.push(el);
    pos += tag[0].length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.text.trim() !== '') throw new Error('text outside the root element');
  if (root.children.length !== 1) throw new Error(`expected one root element, found ${root.children.length}`);
  return root.children[0];
}

/** Every element below `el` (depth first), itself included. */
export function* elements(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* elements(c);
}
