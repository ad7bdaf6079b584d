import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';

export const getFwEvents = defineFunction(
  'rpcf_get_fw_events',
  0x0048,
  {
    comment:
      'the mask of the initiating events this core raises (bit i: the i-th event of the manual\'s list, "Turn ' +
      'Internet on" first); DHCP, hotspot, IPTV and VoD events are not raised yet',
    output: [L.long('fw_events')],
  },
  async (_call, ctx) => ({ fw_events: ctx.rfw.eventsRaised() }),
);

export const getFwSubst = defineFunction(
  'rpcf_get_fw_subst',
  0x0049,
  {
    comment:
      'the variables of firewall rule templates, each with the mask of the events it applies to (elsewhere it is ' +
      'replaced by its default)',
    output: [
      L.int('subst_count'),
      L.for('i', '0', 'subst_count', [L.str('subst', { index: 'i' }), L.long('events', { index: 'i' })]),
    ],
  },
  async (_call, ctx) => {
    const s = ctx.rfw.substitutions();
    return { subst_count: s.length, subst: s.map((x) => x.name), events: s.map((x) => x.events) };
  },
);
