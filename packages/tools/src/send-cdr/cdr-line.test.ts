import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEntries } from '@utm5/common';
import { CdrLineParser, makeSplitter, type ParsedCdr } from './cdr-line';
import { sendCdrConfig } from './config';

const NOW = Date.parse('2016-07-19T12:00:00Z') / 1000;
const parser = (entries: Record<string, string>) =>
  new CdrLineParser(
    validateEntries(
      sendCdrConfig,
      'test',
      Object.entries({ timezone: 'UTC', ...entries }).map(([key, value], i) => ({ name: key, value, line: i + 1 })),
    ).values,
    NOW,
  );
const call = (r: ParsedCdr) => {
  if (r.kind !== 'call') assert.fail(`expected a call, got ${JSON.stringify(r)}`);
  return r.call;
};
const reason = (r: ParsedCdr) => (r.kind === 'bad' ? r.reason : assert.fail(`expected bad, got ${JSON.stringify(r)}`));

test('splitters: space is runs of blanks, tab one tab, other symbols themselves; quotes hold delimiters', () => {
  assert.deepEqual(makeSplitter('space', '')('  a  b\t c '), ['a', 'b', 'c']);
  assert.deepEqual(makeSplitter('tab', '')('a\t\tc'), ['a', '', 'c']);
  assert.deepEqual(makeSplitter(';', '')('a;b;;c'), ['a', 'b', '', 'c']);
  assert.deepEqual(makeSplitter(',', '"')('"a,1",b,"x""y",'), ['a,1', 'b', 'x"y', '']);
  assert.deepEqual(makeSplitter('space', "'")("'a b' c  'd'"), ['a b', 'c', 'd']);
  assert.match(String(makeSplitter(',', '"')('"a,b')), /field 0: the quote " is not closed/);
  assert.match(String(makeSplitter(',', '"')('"a"x,b')), /field 0: text after the closing quote/);
});

test('defaults: calling, called, duration in seconds; the call starts at the import time', () => {
  const c = call(parser({}).parse('1001 84951234567 65'));
  assert.deepEqual(c, {
    calling_number: '1001',
    called_number: '84951234567',
    incoming_trunk: '',
    outgoing_trunk: '',
    session_id: '',
    pbx_id: '',
    login: '',
    disconnect_cause: '',
    call_start_date: NOW,
    call_duration: 65,
  });
  assert.deepEqual(parser({}).parse('   '), { kind: 'blank' });
});

test("a space-delimited line with the manual's default date spanning five fields, and every optional field", () => {
  const p = parser({
    pbx_time: '3',
    pbx_incoming_trunk: '9',
    pbx_outgoing_trunk: '10',
    pbx_id: '11',
    pbx_accounting_code: '12',
    pbx_session_id: '13',
    pbx_disconnect_cause: '14',
  });
  const c = call(p.parse('1001 2002 30 00:35:05.000 UTC Tue Jul 19 2016 in1 out1 pbx1 alice uid-1 16'));
  assert.equal(c.call_start_date, Date.parse('2016-07-19T00:35:05Z') / 1000);
  assert.deepEqual(
    [c.incoming_trunk, c.outgoing_trunk, c.pbx_id, c.login, c.session_id, c.disconnect_cause],
    ['in1', 'out1', 'pbx1', 'alice', 'uid-1', '16'],
  );
});

test('a quoted CSV line: the date in one field, duration as %H:%M:%S, the zone from the config', () => {
  const p = parser({
    pbx_delimiter: ',',
    pbx_quote: '"',
    pbx_calling_sid: '1',
    pbx_called_sid: '2',
    pbx_time: '0',
    pbx_time_format: '%Y-%N-%D %H:%M:%S',
    pbx_duration: '3',
    pbx_duration_format: '%H:%M:%S',
    pbx_accounting_code: '4',
    timezone: 'Europe/Moscow',
  });
  const c = call(p.parse('"2016-07-19 03:35:05","1001","8 495 123","00:01:05","Smith, J"'));
  assert.equal(c.call_start_date, Date.parse('2016-07-19T00:35:05Z') / 1000);
  assert.equal(c.called_number, '8 495 123');
  assert.equal(c.call_duration, 65);
  assert.equal(c.login, 'Smith, J');
});

test('date and time in separate fields (pbx_date + pbx_time)', () => {
  const p = parser({ pbx_date: '3', pbx_date_format: '%D.%N.%Y', pbx_time: '4', pbx_time_format: '%H:%M:%S' });
  const c = call(p.parse('1 2 3 19.07.2016 00:35:05'));
  assert.equal(c.call_start_date, Date.parse('2016-07-19T00:35:05Z') / 1000);
});

test('every bad-line reason names the field and what was wrong', () => {
  const p = parser({ pbx_time: '3', pbx_time_format: '%Y-%N-%D', pbx_delimiter: ';', pbx_quote: '"' });
  assert.equal(reason(p.parse('1;2')), 'pbx_duration: no field 2 (the line has 2 field(s))');
  assert.equal(reason(p.parse('1')), 'pbx_called_sid: no field 1 (the line has 1 field(s))');
  assert.equal(reason(p.parse(';2;3;2016-01-01')), 'pbx_calling_sid (field 0): empty number');
  assert.equal(reason(p.parse('1;;3;2016-01-01')), 'pbx_called_sid (field 1): empty number');
  assert.equal(reason(p.parse('1;2;x;2016-01-01')), "pbx_duration (field 2): 'x' is not a number of seconds");
  assert.equal(reason(p.parse('1;2;3')), 'pbx_time: no field 3 (the line has 3 field(s))');
  assert.equal(reason(p.parse('1;2;3;2016-13-01')), "pbx_time (field 3): '13' is not a month 01..12");
  assert.equal(reason(p.parse('1;2;3;2016-02-30')), 'pbx_time: 2016-02 has no day 30');
  assert.equal(
    reason(p.parse('1;2;3;19.07.2016')),
    "pbx_time (field 3): '19.07.2016' does not match the format '%Y-%N-%D'",
  );
  assert.equal(reason(p.parse('1;"2;3')), 'field 1: the quote " is not closed');
  const d = parser({ pbx_date: '3' });
  assert.equal(reason(d.parse('1 2 3')), 'pbx_date: no field 3 (the line has 3 field(s))');
  const z = parser({ pbx_time: '3' });
  assert.match(reason(z.parse('1 2 3 00:35:05.000 XYZ Tue Jul 19 2016')), /^pbx_time: 'XYZ' is not a time zone/);
  assert.match(reason(z.parse('1 2 3 00:35:05.000 UTC Tue Jul 19 1960')), /^pbx_time \(field 3\): '1960'/);
});
