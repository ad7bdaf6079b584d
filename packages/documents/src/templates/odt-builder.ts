import { writeZip } from '../odt-zip';

/**
 * A minimal, valid ODT from the body of content.xml and automatic styles: what the template generator writes and
 * LibreOffice opens and saves like any document of its own.
 */
const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ' +
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ' +
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  'office:version="1.3"';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`;

/** Page A4 with 2 cm margins and a sans font; the named paragraph styles the generator's bodies use. */
const STYLES = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles ${NS}>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.1cm"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt" fo:language="ru" fo:country="RU"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm" fo:margin-bottom="0.3cm"/>
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0.3cm"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Cell" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="CellHead" style:family="paragraph" style:parent-style-name="Cell">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Right" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="8pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="1.5cm" style:print-orientation="portrait"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
 </office:master-styles>
</office:document-styles>
`;

const AUTO_STYLES = `
  <style:style style:name="Tbl" style:family="table">
   <style:table-properties style:width="17.5cm" table:align="margins" fo:margin-top="0.2cm" fo:margin-bottom="0.2cm"/>
  </style:style>
  <style:style style:name="Td" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.05cm" fo:border="0.5pt solid #000000"/>
  </style:style>
  <style:style style:name="TdPlain" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.05cm" fo:border="none"/>
  </style:style>`;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function buildOdt(bodyXml: string, title: string): Buffer {
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content ${NS}>
 <office:automatic-styles>${AUTO_STYLES}
 </office:automatic-styles>
 <office:body>
  <office:text>
${bodyXml}
  </office:text>
 </office:body>
</office:document-content>
`;
  const meta = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ${NS}><office:meta><dc:title>${escapeXml(title)}</dc:title><meta:generator>UTM5-TS templates</meta:generator></office:meta></office:document-meta>
`;
  return writeZip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') },
    { name: 'META-INF/manifest.xml', data: Buffer.from(MANIFEST) },
    { name: 'content.xml', data: Buffer.from(content) },
    { name: 'styles.xml', data: Buffer.from(STYLES) },
    { name: 'meta.xml', data: Buffer.from(meta) },
  ]);
}

/** Body helpers: a paragraph, and a table whose rows are cells of paragraphs (text may hold carbone markers). */
export const p = (text: string, style = 'Standard'): string =>
  `   <text:p text:style-name="${style}">${escapeXml(text)}</text:p>`;

export function table(
  name: string,
  rows: readonly (readonly string[])[],
  opts: { head?: boolean; plain?: boolean } = {},
): string {
  const cols = Math.max(...rows.map((r) => r.length));
  const cell = opts.plain ? 'TdPlain' : 'Td';
  const out = [
    `   <table:table table:name="${escapeXml(name)}" table:style-name="Tbl">`,
    `    <table:table-column table:number-columns-repeated="${cols}"/>`,
  ];
  rows.forEach((r, i) => {
    out.push('    <table:table-row>');
    for (const c of r) {
      const style = opts.head && i === 0 ? 'CellHead' : 'Cell';
      out.push(
        `     <table:table-cell table:style-name="${cell}" office:value-type="string"><text:p text:style-name="${style}">${escapeXml(c)}</text:p></table:table-cell>`,
      );
    }
    out.push('    </table:table-row>');
  });
  out.push('   </table:table>');
  return out.join('\n');
}
