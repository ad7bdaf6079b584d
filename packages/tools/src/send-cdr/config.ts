import {
  defineConfig,
  intType,
  logParams,
  param,
  section,
  stringType,
  timezoneType,
  type ConfigValues,
} from '@utm5/common';
import { coreConnectionParams } from '../cli/core-connection';

const position = intType({ min: 0, max: 999 });

/** utm5_send_cdr.cfg: the manual's connection and PBX record keys, plus UTM5-TS's extensions (marked so). */
export const sendCdrConfig = defineConfig({
  program: 'utm5_send_cdr',
  defaultFile: '/netup/utm5/utm5_send_cdr.cfg',
  intro:
    'utm5_send_cdr configuration (utm5_send_cdr.cfg), given with -c. The tool reads call records (one a line, ' +
    'fields at the positions given here, counted from 0) from the file given with -s (- for standard input) and ' +
    'sends them to the core in batches with URFA function 0x60000090 (rpcf_put_tel_calls), which charges each call once.',
  params: {
    ...section('Connection', coreConnectionParams),
    ...section('Record fields', {
      pbx_calling_sid: param(position, { doc: 'Position of the calling number.', default: 0 }),
      pbx_called_sid: param(position, { doc: 'Position of the called number.', default: 1 }),
      pbx_duration: param(position, { doc: 'Position of the call duration.', default: 2 }),
      pbx_duration_format: param(stringType(), {
        doc: 'Duration format (%H %h %M %m %S %s); not set: a plain number of seconds.',
      }),
      pbx_time: param(position, {
        doc:
          'Position of the call start (date and time, or the time of day when pbx_date is set). A date format ' +
          'with blanks spans that many more space-delimited fields. Not set: the calls start when they are imported.',
      }),
      pbx_time_format: param(stringType({ nonEmpty: true }), {
        doc: 'Call start format (see the specifiers); default the manual\'s "00:35:05.000 UTC Tue Jul 19 2016".',
        defaultText: '%H:%M:%S.%f %z %a %b %d %Y',
      }),
      pbx_date: param(position, {
        doc: 'UTM5-TS: position of the call date when the PBX writes it apart from the time (pbx_time).',
      }),
      pbx_date_format: param(stringType({ nonEmpty: true }), {
        doc: 'UTM5-TS: format of the pbx_date field.',
        default: '%Y-%N-%D',
      }),
      pbx_accounting_code: param(position, { doc: 'Position of the user name (login), if present.' }),
      pbx_incoming_trunk: param(position, { doc: 'Position of the incoming trunk, if present.' }),
      pbx_outgoing_trunk: param(position, { doc: 'Position of the outgoing trunk, if present.' }),
      pbx_id: param(position, { doc: 'Position of the PBX id, if present.' }),
      pbx_session_id: param(position, {
        doc: 'UTM5-TS: position of the unique call id; a call with an id seen before is not charged again.',
      }),
      pbx_disconnect_cause: param(position, { doc: 'UTM5-TS: position of the disconnect cause, if present.' }),
      pbx_delimiter: param(stringType({ nonEmpty: true }), {
        doc: 'Field delimiter: space (runs of blanks), tab, or the symbol(s) themselves (; , |).',
        default: 'space',
      }),
      pbx_quote: param(stringType(), {
        doc: 'Field enclosing symbol: a field in it may hold the delimiter; the symbol doubled stands for itself.',
        default: '',
      }),
      timezone: param(timezoneType, {
        doc: "UTM5-TS: the zone of the file's local times (a date with %z is read in its own zone).",
        defaultText: "the system's",
      }),
    }),
    ...section('Import', {
      batch_size: param(intType({ min: 1, max: 10_000 }), {
        doc:
          'UTM5-TS: calls sent in one call of rpcf_put_tel_calls, rated and committed in one transaction of the core ' +
          '(at most 10000; larger batches import faster, above all on SQLite).',
        default: 5000,
      }),
    }),
    ...logParams('utm5_send_cdr'),
  },
});

export type SendCdrConfig = ConfigValues<typeof sendCdrConfig.params>;
