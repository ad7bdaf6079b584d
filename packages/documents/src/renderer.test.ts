import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentRenderer } from './renderer';
import { TemplateError } from './errors';
import { SAMPLE_REPLACEMENTS, sampleDocumentData } from './sample-data';
import { TEMPLATES } from './templates/definitions';
import { buildOdt, p } from './templates/odt-builder';
import type { DocumentData } from './document-data';
import { bodyText, contentXml, tableRows, TEMPLATES_DIR } from './testing';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'utm5-doc-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const renderer = new DocumentRenderer({ tmpPath: tmp });
const tpl = (name: string): string => path.join(TEMPLATES_DIR, name);

test('every stock template renders the sample data with no marker left', async () => {
  assert.equal(TEMPLATES.length, 7);
  for (const t of TEMPLATES) {
    const odt = await renderer.renderOdt(tpl(t.file), sampleDocumentData(), { replacements: SAMPLE_REPLACEMENTS });
    const text = bodyText(odt);
    assert.doesNotMatch(text, /\{[dc]\./, `${t.file}: a marker is left`);
    assert.match(text, /ООО «Ромашка»/, t.file);
  }
});

test('the invoice: substituted values, one row per entry, totals and the sum in words', async () => {
  const odt = await renderer.renderOdt(tpl('invoice.odt'), sampleDocumentData({ entries: 3 }), {
    replacements: SAMPLE_REPLACEMENTS,
  });
  const text = bodyText(odt);
  assert.match(text, /Счёт на оплату № 42 \(ABC#00042-DE\) от «31» декабря 2025/);
  assert.match(text, /За период с 01\.12\.2025 по 31\.12\.2025/);
  assert.match(text, /Итого с налогом: 1503\.00/);
  assert.match(text, /Сумма прописью: Одна тысяча пятьсот три рубля 00 копеек/);
  // replace on the address, translate on the unit
  assert.match(text, /Москва, улица Ленина/);
  const rows = tableRows(odt, 'bill_entries');
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[1], ['1', 'Абонентская плата «Домашний 100»', 'мес.', '1', '500.00', '500.00']);
  assert.deepEqual(
    rows.slice(1).map((r) => r[0]),
    ['1', '2', '3'],
  );
});

test('an iterator that returns nothing removes its rows, the header stays', async () => {
  const data: DocumentData = { ...sampleDocumentData(), bill_entry: [], dialup: [] };
  const invoice = await renderer.renderOdt(tpl('invoice.odt'), data);
  assert.equal(tableRows(invoice, 'bill_entries').length, 1);
  assert.match(bodyText(invoice), /Всего наименований 0/, 'bill.size counts the entries when the caller gives none');
  const memo = await renderer.renderOdt(tpl('user_memo.odt'), { ...data, ipgroup: undefined, hotspot: [] });
  assert.equal(tableRows(memo, 'dialup').length, 1);
  assert.equal(tableRows(memo, 'ipgroups').length, 1);
  assert.equal(tableRows(memo, 'hotspot').length, 1);
  assert.equal(tableRows(memo, 'telephony').length, 2);
  assert.doesNotMatch(contentXml(memo), /\{d\./);
});

test('a negative VAT rate is hidden: no rate and no tax printed', async () => {
  const base = sampleDocumentData({ entries: 2 });
  const odt = await renderer.renderOdt(tpl('vat_invoice.odt'), {
    ...base,
    account: { ...base.account!, vat_rate: -1 },
  });
  const rows = tableRows(odt, 'bill_entries');
  assert.equal(rows.length, 3);
  for (const r of rows.slice(1)) {
    assert.equal(r[7], '', 'tax rate');
    assert.equal(r[8], '', 'tax');
    assert.equal(r[9], r[5] === '500.00' ? '500.00' : '501.00');
  }
  // one entry with a negative rate of its own
  const one = await renderer.renderOdt(tpl('vat_invoice.odt'), {
    ...base,
    bill_entry: [{ ...base.bill_entry![0]!, tax_rate: -1 }, base.bill_entry![1]!],
  });
  const r2 = tableRows(one, 'bill_entries');
  assert.deepEqual([r2[1]![7], r2[1]![8]], ['', '']);
  assert.deepEqual([r2[2]![7], r2[2]![8]], ['20', '83.50']);
});

test('call details: date_time, duration and translate of the call type', async () => {
  const odt = await renderer.renderOdt(tpl('call_details.odt'), sampleDocumentData({ calls: 3 }), {
    replacements: SAMPLE_REPLACEMENTS,
    timezone: 'Europe/Moscow',
  });
  const rows = tableRows(odt, 'calls');
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[1], [
    '9000',
    '01.12 13:00',
    '74951234567',
    '79160000000',
    '7916',
    'Москва',
    'Мобильные',
    'исходящий',
    '00:02:05',
    '3.50',
  ]);
  assert.match(bodyText(odt), /Итого за телефонию: Семь рублей 00 копеек/);
});

test('English documents and another currency in the same renderer, rendered at once', async () => {
  const [ru, en] = await Promise.all([
    renderer.renderOdt(tpl('receipt.odt'), sampleDocumentData(), { lang: 'ru' }),
    renderer.renderOdt(tpl('receipt.odt'), sampleDocumentData(), { lang: 'en', currency: 'USD', timezone: 'UTC' }),
  ]);
  assert.match(bodyText(ru), /Одна тысяча пятьсот рублей 00 копеек/);
  assert.match(bodyText(en), /One thousand five hundred dollars 00 cents/);
  assert.match(bodyText(en), /06\/12\/2025/);
});

test('values are escaped: markup in a name stays text', async () => {
  const base = sampleDocumentData();
  const odt = await renderer.renderOdt(tpl('invoice.odt'), {
    ...base,
    user: { ...base.user!, full_name: 'A <b> & "C"' },
  });
  assert.match(contentXml(odt), /A &lt;b&gt; &amp;/);
  assert.match(bodyText(odt), /Покупатель: A <b> & "C"/);
});

test('a missing or broken template is a typed error naming the file', async () => {
  await assert.rejects(renderer.renderOdt(path.join(tmp, 'nope.odt'), {}), (e: unknown) => {
    assert.ok(e instanceof TemplateError);
    assert.equal(e.code, 'UTM_DOC_TEMPLATE');
    assert.match(e.message, /nope\.odt/);
    return true;
  });
  const junk = path.join(tmp, 'junk.odt');
  writeFileSync(junk, 'not a zip');
  await assert.rejects(renderer.renderOdt(junk, {}), TemplateError);
});

test('toPdf without libreoffice_path is a typed error', async () => {
  const r = new DocumentRenderer({ tmpPath: tmp, libreofficePath: path.join(tmp, 'no-soffice') });
  assert.equal(r.pdfAvailable, false);
  await assert.rejects(r.toPdf(Buffer.from('x')), { code: 'UTM_DOC_PDF_UNAVAILABLE' });
  await r.close();
});

test('a template is read once and read again when its file changes', async () => {
  const file = path.join(tmp, 'edited.odt');
  writeFileSync(file, buildOdt(p('first {d.user.login}'), 't'));
  const data = sampleDocumentData();
  assert.equal(bodyText(await renderer.renderOdt(file, data)), 'first romashka');
  assert.equal(bodyText(await renderer.renderOdt(file, data)), 'first romashka');
  writeFileSync(file, buildOdt(p('second, longer: {d.user.id}'), 't'));
  assert.equal(bodyText(await renderer.renderOdt(file, data)), 'second, longer: 7');
});
