import { L } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import { refusal } from '../tariffication/common';
import { settled, tel } from './common';

export const getTelEmergencyCalls = defineFunction(
  'rpcf_get_tel_emergency_calls',
  0x15032,
  {
    comment:
      "per telephony service, the zones callable while the account is blocked; the reference's layout reads " +
      'service_id, zone_count and zone_id_array without the row index, which would repeat the first row: here they ' +
      'carry it (i, and i,j), the wire is the same',
    output: [
      L.int('service_count'),
      L.for('i', '0', 'service_count', [
        L.int('service_id', { index: 'i' }),
        L.int('zone_count', { index: 'i' }),
        L.for('j', '0', 'zone_count', [L.int('zone_id_array', { index: 'i,j' })]),
      ]),
    ],
  },
  async (_call, ctx) => {
    const m = [...(await tel(ctx).emergency()).entries()];
    return {
      service_count: m.length,
      service_id: m.map(([s]) => s),
      zone_count: m.map(([, z]) => z.length),
      zone_id_array: m.map(([, z]) => z),
    };
  },
);

export const setTelEmergencyCalls = defineFunction(
  'rpcf_set_tel_emergency_calls',
  0x15033,
  {
    comment:
      'replaces the emergency zones of a telephony service (callable while the account is blocked; none: an empty ' +
      'list); the reference counts the loop with size(zone_id_array), which only a client can evaluate: zone_count ' +
      '(defaulted to it) is the same on the wire; result 0 done, -1 no such service or zone',
    input: [
      L.int('service_id'),
      L.int('zone_count', { default: 'size(zone_id_array)' }),
      L.for('i', '0', 'zone_count', [L.int('zone_id_array', { index: 'i' })]),
    ],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const a = call.args;
    const sid = a.int('service_id');
    const zones = Array.from({ length: a.int('zone_count') }, (_, i) => a.int('zone_id_array', i));
    return {
      result: await guarded(
        ctx,
        call,
        `set emergency zones of service ${sid}`,
        async () => {
          await tel(ctx).setEmergency(actorOf(call), sid, zones);
          return settled(ctx, 0);
        },
        refusal,
      ),
    };
  },
);
