import { defineConfig, intType, param, section, type ConfigValues } from '@utm5/common';
import { coreConnectionParams } from '../cli/core-connection';

/** utm5_send_traffic.cfg: the manual's connection keys, plus UTM5-TS's TLS, timeout and batch settings. */
export const sendTrafficConfig = defineConfig({
  program: 'utm5_send_traffic',
  defaultFile: '/netup/utm5/utm5_send_traffic.cfg',
  intro:
    'utm5_send_traffic configuration (utm5_send_traffic.cfg), given with -c. The tool reads traffic lines ' +
    '"LOGIN BYTES TCLASS IP" (whitespace between the fields) from the file given with -s (- for standard input) and ' +
    'sends them to the core with URFA function 0x5511 (rpcf_put_unif_iptr).',
  params: {
    ...section('Connection', coreConnectionParams),
    ...section('Import', {
      batch_size: param(intType({ min: 1, max: 100000 }), {
        doc: 'UTM5-TS: traffic lines sent in one call; each call is charged in one transaction of the core.',
        default: 1000,
      }),
    }),
  },
});

export type SendTrafficConfig = ConfigValues<typeof sendTrafficConfig.params>;
