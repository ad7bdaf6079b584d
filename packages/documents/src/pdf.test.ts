import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentRenderer } from './renderer';
import { officeAvailable } from './office-converter';
import { SAMPLE_REPLACEMENTS, sampleDocumentData } from './sample-data';
import { REPO_ROOT, TEMPLATES_DIR } from './testing';

// CI installs libreoffice-writer-nogui and poppler-utils (.ci/run); elsewhere these tests say why they skip.
const SOFFICE = process.env['UTM5_LIBREOFFICE_PATH'] ?? '/usr/bin/soffice';
const skip = officeAvailable(SOFFICE) ? false : `no LibreOffice at ${SOFFICE}`;
const EXPECTED = path.join(REPO_ROOT, 'tests/fixtures/expected');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'utm5-pdf-test-'));
const renderer = new DocumentRenderer({ tmpPath: tmp, libreofficePath: SOFFICE });
after(async () => {
  await renderer.close();
  rmSync(tmp, { recursive: true, force: true });
});

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.toString('latin1', 1, 4), 'PNG', `${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('an invoice as PDF: the customer, the sum in words and the totals; pages as the kept PNG', { skip }, async () => {
  const odt = await renderer.renderOdt(path.join(TEMPLATES_DIR, 'invoice.odt'), sampleDocumentData({ entries: 3 }), {
    replacements: SAMPLE_REPLACEMENTS,
  });
  const pdf = await renderer.toPdf(odt);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(tmp, 'invoice.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /Покупатель: ООО «Ромашка»/);
  assert.match(text, /Одна тысяча пятьсот три рубля 00 копеек/);
  assert.match(text, /Итого с налогом: 1503\.00/);
  assert.match(text, /Итого без налога: 1252\.50/);

  execFileSync('pdftoppm', ['-r', '40', '-png', file, path.join(tmp, 'page')]);
  const pages = readdirSync(tmp)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort();
  const expected = readdirSync(EXPECTED)
    .filter((f) => /^invoice-\d+\.png$/.test(f))
    .sort();
  assert.ok(expected.length > 0, `no invoice-N.png under ${EXPECTED}`);
  assert.equal(pages.length, expected.length, 'page count');
  pages.forEach((p, i) => assert.deepEqual(pngSize(path.join(tmp, p)), pngSize(path.join(EXPECTED, expected[i]!)), p));
});

test('one LibreOffice serves every PDF, and a killed one is restarted for the next', { skip }, async () => {
  const odt = await renderer.renderOdt(path.join(TEMPLATES_DIR, 'receipt.odt'), sampleDocumentData());
  await renderer.toPdf(odt);
  const conv = renderer.officeConverter!;
  const startsBefore = conv.starts;
  const pdfs = await Promise.all([renderer.toPdf(odt), renderer.toPdf(odt), renderer.toPdf(odt)]);
  for (const p of pdfs) assert.equal(p.subarray(0, 5).toString(), '%PDF-');
  assert.equal(conv.starts, startsBefore, 'no new office per document');

  const { soffice } = conv.pids;
  assert.ok(alive(soffice));
  process.kill(soffice!, 'SIGKILL');
  // Once the death is seen (the process reaped), the next job starts a new office; a job sent in the very instant
  // of the crash may instead wait out the conversion timeout, which is not what this test is about.
  for (let i = 0; i < 100 && alive(soffice); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  // The job that meets the dead office may fail (typed); the one after it gets a new office.
  let pdf: Buffer | null = null;
  for (let i = 0; i < 3 && !pdf; i++) {
    try {
      pdf = await renderer.toPdf(odt);
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'UTM_DOC_PDF_CONVERT');
    }
  }
  assert.ok(pdf && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF after the restart');
  assert.equal(conv.starts, startsBefore + 1);
  const after = conv.pids;
  assert.notEqual(after.soffice, soffice);

  await renderer.close();
  assert.equal(alive(after.soffice), false, 'close ends the office');
  assert.equal(alive(after.bridge), false, 'close ends the bridge');
});
