#!/usr/bin/env node
'use strict';
// Documents at a period end: ODT invoices rendered per second (carbone with the manual's modifiers, the stock
// templates/invoice.odt, generated data for INVOICES accounts of 3-7 entries each) and PDFs converted per second
// through the one long-lived LibreOffice of DocumentRenderer, beside carbone 3's own converter (its LibreOffice
// factory) on the same documents in the same run. Goals (issue 16): 10,000 ODT in under 60 s, PDF >= 20/s.
//   node bench/documents.js [invoices=10000] [pdfs=200] [libreoffice_path=/usr/bin/soffice]
// Prints key=value lines; pdf_ratio = ours / carbone's converter (both single office, measured in this run).
const { mkdtempSync, rmSync, existsSync, realpathSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, dirname } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = join(__dirname, '..');
const INVOICES = Number(process.argv[2] ?? 10_000);
const PDFS = Number(process.argv[3] ?? 200);
const SOFFICE = process.argv[4] ?? '/usr/bin/soffice';
const TEMPLATE = join(ROOT, 'templates', 'invoice.odt');

function invoiceData(docs, i) {
  const base = docs.sampleDocumentData({ entries: 3 + (i % 5), accountId: 100_000 + i });
  return {
    ...base,
    document: { ...base.document, number: i + 1, alt_number: docs.formatAltNumber('INV-{alt_number(6)}', i + 1) },
  };
}

/** carbone's own converter, in a child whose PATH finds soffice.bin and the Python that has uno (carbone looks both up there). */
function carboneConverterChild(odtFile, n) {
  const code = `
    const carbone = require('carbone'); const fs = require('fs');
    const odt = fs.readFileSync(${JSON.stringify(odtFile)});
    const conv = () => new Promise((res, rej) => carbone.convert(odt, { convertTo: 'pdf', extension: 'odt' }, (e, r) => (e ? rej(e) : res(r))));
    (async () => {
      carbone.set({ factories: 1, startFactory: true, tempPath: ${JSON.stringify(tmpdir())} });
      await conv();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ${n}; i++) await conv();
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      process.stdout.write(JSON.stringify({ s }));
      process.exit(0);
    })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', code], {
    cwd: join(ROOT, 'packages', 'documents'),
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(realpathSync(SOFFICE))}:/usr/bin:${process.env.PATH}` },
    timeout: 120_000,
  });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

async function main() {
  const docs = require(join(ROOT, 'packages', 'documents', 'dist'));
  const tmp = mkdtempSync(join(tmpdir(), 'bench-documents-'));
  const renderer = new docs.DocumentRenderer({ tmpPath: tmp, libreofficePath: SOFFICE });
  try {
    // Warm-up: the template is unzipped once and V8 compiles the carbone builder.
    for (let i = 0; i < 20; i++)
      await renderer.renderOdt(TEMPLATE, invoiceData(docs, i), { replacements: docs.SAMPLE_REPLACEMENTS });
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    let sample = null;
    for (let i = 0; i < INVOICES; i++) {
      const odt = await renderer.renderOdt(TEMPLATE, invoiceData(docs, i), { replacements: docs.SAMPLE_REPLACEMENTS });
      bytes += odt.length;
      if (i === 0) sample = odt;
    }
    const odtS = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`invoices=${INVOICES}`);
    console.log(`odt_s=${odtS.toFixed(2)}`);
    console.log(`odt_per_s=${Math.round(INVOICES / odtS)}`);
    console.log(`odt_avg_bytes=${Math.round(bytes / INVOICES)}`);
    console.log(`odt_10000_s=${((10_000 * odtS) / INVOICES).toFixed(1)} (goal < 60)`);

    if (!renderer.pdfAvailable) {
      console.log(`pdf=skipped (no LibreOffice at ${SOFFICE})`);
      return;
    }
    const t1 = process.hrtime.bigint();
    await renderer.toPdf(sample);
    console.log(`pdf_office_start_s=${(Number(process.hrtime.bigint() - t1) / 1e9).toFixed(2)}`);
    const t2 = process.hrtime.bigint();
    for (let i = 0; i < PDFS; i++) await renderer.toPdf(sample);
    const pdfS = Number(process.hrtime.bigint() - t2) / 1e9;
    const ours = PDFS / pdfS;
    console.log(`pdfs=${PDFS}`);
    console.log(`pdf_per_s=${ours.toFixed(1)} (goal >= 20)`);
    console.log(`office_starts=${renderer.officeConverter.starts}`);
    await renderer.close();

    const odtFile = join(tmp, 'sample.odt');
    require('node:fs').writeFileSync(odtFile, sample);
    const c = existsSync(require.resolve('carbone/lib/converter.py', { paths: [join(ROOT, 'packages', 'documents')] }))
      ? carboneConverterChild(odtFile, PDFS)
      : { error: 'carbone converter.py not found' };
    if (c.error) console.log(`carbone_converter=failed (${c.error})`);
    else {
      console.log(`carbone_pdf_per_s=${(PDFS / c.s).toFixed(1)}`);
      console.log(`pdf_ratio=${(ours / (PDFS / c.s)).toFixed(2)}`);
    }
  } finally {
    await renderer.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
