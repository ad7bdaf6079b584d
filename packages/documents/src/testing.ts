import path from 'node:path';
import { readZip } from './odt-zip';

/** Helpers the tests of rendered documents share (not exported from the package). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');

export function contentXml(odt: Buffer): string {
  const c = readZip(odt).get('content.xml');
  if (!c) throw new Error('no content.xml in the document');
  return c.toString('utf8');
}

/** The document's text, tags dropped and XML entities decoded, whitespace collapsed. */
export function bodyText(odt: Buffer): string {
  const c = contentXml(odt);
  return c
    .slice(c.indexOf('<office:text'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rows of the named table, each as its cells' text. */
export function tableRows(odt: Buffer, name: string): string[][] {
  const c = contentXml(odt);
  const start = c.indexOf(`<table:table table:name="${name}"`);
  if (start < 0) throw new Error(`no table ${name}`);
  const end = c.indexOf('</table:table>', start);
  const xml = c.slice(start, end);
  return [...xml.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)].map((r) =>
    [...r[1]!.matchAll(/<table:table-cell[^>]*>([\s\S]*?)<\/table:table-cell>|<table:table-cell[^>]*\/>/g)].map(
      (cell) =>
        (cell[1] ?? '')
          .replace(/<[^>]+>/g, '')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .trim(),
    ),
  );
}
