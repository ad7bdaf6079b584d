import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UtmError } from '@utm5/common';

/** An XML element with the line its start tag is on, for error messages that point at file:line. */
export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
  readonly line: number;
}

export class XmlFileError extends UtmError {}

/** Line numbers of every start tag in document order (comments, CDATA and declarations blanked first). */
function startTagLines(text: string): number[] {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const clean = text
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, blank)
    .replace(/<![^>]*>/g, blank)
    .replace(/<\?[\s\S]*?\?>/g, blank);
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of clean.matchAll(/<([A-Za-z_][\w.:-]*)/g)) {
    for (let i = last; i < m.index!; i++) if (clean.charCodeAt(i) === 10) line++;
    last = m.index!;
    lines.push(line);
  }
  return lines;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  allowBooleanAttributes: true,
  processEntities: true,
});

/** Parses an XML document into its root element; a malformed file is one error naming file and line. */
export function parseXml(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlFileError('UTM_XML_SYNTAX', `${file}:${valid.err.line}: ${valid.err.msg}`);
  }
  const lines = startTagLines(text);
  let idx = 0;
  type Raw = Record<string, unknown>;
  const build = (raw: Raw): XmlElement | undefined => {
    const tag = Object.keys(raw).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag.startsWith('?')) return undefined;
    const line = lines[idx++] ?? 0;
    const attrs = (raw[':@'] as Record<string, string> | undefined) ?? {};
    const kids = (raw[tag] as Raw[]) ?? [];
    const children: XmlElement[] = [];
    let textOut = '';
    for (const k of kids) {
      if ('#text' in k) textOut += String(k['#text']);
      else {
        const c = build(k);
        if (c) children.push(c);
      }
    }
    return {
      tag,
      attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])),
      children,
      text: textOut,
      line,
    };
  };
  const top = (parser.parse(text) as Raw[]).map((r) => build(r)).filter((x): x is XmlElement => x !== undefined);
  if (top.length !== 1) throw new XmlFileError('UTM_XML_SYNTAX', `${file}: expected exactly one root element`);
  return top[0]!;
}

export function requireAttr(el: XmlElement, name: string, file: string): string {
  const v = el.attrs[name];
  if (v === undefined)
    throw new XmlFileError('UTM_XML_ATTR', `${file}:${el.line}: <${el.tag}> needs the ${name} attribute`);
  return v;
}
