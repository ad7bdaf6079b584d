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

export interface PutTelCallsResult {
  readonly imported: number;
  readonly duplicates: number;
  readonly refused: readonly { readonly index: number; readonly reason: string }[];
}

/** Sends one batch (at most the core's MAX_BATCH calls) and reads what the core did with it. */
export async function putTelCalls(api: UrfaApi, calls: readonly CdrCall[]): Promise<PutTelCallsResult> {
  // The layout is the core's, declared once in its registry and read from api.xml (npm run gen writes it).
  const schema = api.functions.get(PUT_TEL_CALLS);
  if (!schema) throw new Error(`the api.xml in use has no ${PUT_TEL_CALLS}: use the xml/api.xml of this release`);
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
