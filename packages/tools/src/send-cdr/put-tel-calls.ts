import { L, type FunctionSchema } from '@utm5/protocol';
import type { UrfaApi } from '@utm5/urfaclient';
import type { CdrCall } from './cdr-line';

export const PUT_TEL_CALLS = 'rpcf_put_tel_calls';

const FIELDS = [
  'calling_number',
  'called_number',
  'incoming_trunk',
  'outgoing_trunk',
  'session_id',
  'pbx_id',
  'login',
  'disconnect_cause',
] as const;

/**
 * rpcf_put_tel_calls (0x60000090) as the telephony brief lays it out, for an api.xml that does not list it yet;
 * the api.xml's layout is used when it has the function.
 */
export const PUT_TEL_CALLS_SCHEMA: FunctionSchema = {
  name: PUT_TEL_CALLS,
  id: 0x60000090,
  input: [
    L.int('count', { default: 'size(calling_number)' }),
    L.for('i', '0', 'count', [
      ...FIELDS.map((f) => L.str(f, { index: 'i' })),
      L.int('call_start_date', { index: 'i' }),
      L.int('call_duration', { index: 'i' }),
    ]),
  ],
  output: [
    L.int('imported'),
    L.int('duplicates'),
    L.int('refused_count'),
    L.for('i', '0', 'refused_count', [L.int('refused_index', { index: 'i' }), L.str('refused_reason', { index: 'i' })]),
  ],
};

export interface PutTelCallsResult {
  readonly imported: number;
  readonly duplicates: number;
  readonly refused: readonly { readonly index: number; readonly reason: string }[];
}

/** Sends one batch (at most 1000 calls) and reads what the core did with it. */
export async function putTelCalls(api: UrfaApi, calls: readonly CdrCall[]): Promise<PutTelCallsResult> {
  const schema = api.functions.get(PUT_TEL_CALLS) ?? PUT_TEL_CALLS_SCHEMA;
  const inputs: Record<string, (string | number)[] | number> = { count: calls.length };
  for (const f of FIELDS) inputs[f] = calls.map((c) => c[f]);
  inputs['call_start_date'] = calls.map((c) => c.call_start_date);
  inputs['call_duration'] = calls.map((c) => c.call_duration);
  const out = await api.callSchema(schema, inputs);
  const n = Number(out.get('refused_count') ?? 0);
  const refused = [];
  for (let i = 0; i < n; i++)
    refused.push({ index: Number(out.get('refused_index', [i]) ?? -1), reason: out.get('refused_reason', [i]) ?? '' });
  return { imported: Number(out.get('imported') ?? 0), duplicates: Number(out.get('duplicates') ?? 0), refused };
}
