import { readFileSync } from 'node:fs';
import type { VarStore } from '@utm5/protocol';
import { XmlFileError, parseXml, requireAttr, type XmlElement } from './xml-tree';

/** Nested values of one <array>: strings at the leaves. */
type Tree = string | Tree[];

function dims(el: XmlElement, depth: number, file: string): Tree[] {
  return el.children.map((d) => {
    if (d.tag !== 'dim')
      throw new XmlFileError('UTM_XML_TAG', `${file}:${d.line}: <${d.tag}> is not allowed in <${el.tag}> (only <dim>)`);
    if (depth > 1) {
      if (d.children.length === 0 && d.text.trim() !== '') {
        throw new XmlFileError(
          'UTM_XML_TAG',
          `${file}:${d.line}: expected ${depth - 1} more nested <dim> levels, found a value`,
        );
      }
      return dims(d, depth - 1, file);
    }
    if (d.children.length > 0)
      throw new XmlFileError('UTM_XML_TAG', `${file}:${d.line}: a last-dimension <dim> holds a value, not <dim>s`);
    return d.text.trim();
  });
}

/**
 * Loads a data file: <urfa><array name="x" dimension="2"><dim><dim>v</dim>...</dim>...</array></urfa>. Each array
 * becomes the variable of its name; existing variables (from the command line) win.
 */
export function loadDataFile(file: string, vars: VarStore, keep: (name: string) => boolean): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new XmlFileError('UTM_XML_READ', `cannot read data file ${file}: ${(err as Error).message}`);
  }
  const root = parseXml(text, file);
  if (root.tag !== 'urfa')
    throw new XmlFileError('UTM_XML_TAG', `${file}:${root.line}: the root element must be <urfa>`);
  const names: string[] = [];
  for (const a of root.children) {
    if (a.tag !== 'array')
      throw new XmlFileError(
        'UTM_XML_TAG',
        `${file}:${a.line}: <${a.tag}> is not allowed in a data file (only <array>)`,
      );
    const name = requireAttr(a, 'name', file);
    const dimension = Number(a.attrs['dimension'] ?? '1');
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16) {
      throw new XmlFileError('UTM_XML_ATTR', `${file}:${a.line}: dimension must be 1..16`);
    }
    if (keep(name)) continue;
    vars.setTree(name, dims(a, dimension, file));
    names.push(name);
  }
  return names;
}
