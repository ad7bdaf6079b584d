import {
  defineConfig,
  enumType,
  hostType,
  intType,
  param,
  pathType,
  section,
  stringType,
  type ConfigValues,
} from '@utm5/common';

/** utm5_send_traffic.cfg: the manual's connection keys, plus UTM5-TS's TLS, timeout and batch settings. */
export const sendTrafficConfig = defineConfig({
  program: 'utm5_send_traffic',
  defaultFile: '/netup/utm5/utm5_send_traffic.cfg',
  intro:
    'utm5_send_traffic configuration (utm5_send_traffic.cfg), given with -c. The tool reads traffic lines ' +
    '"LOGIN BYTES TCLASS IP" (whitespace between the fields) from the file given with -s (- for standard input) and ' +
    'sends them to the core with URFA function 0x5511 (rpcf_put_unif_iptr).',
  params: {
    ...section('Connection', {
      core_host: param(hostType, { doc: 'IP address of the host the UTM5 core runs on.', default: '127.0.0.1' }),
      core_port: param(intType({ min: 1, max: 65534 }), {
        doc: "The port the core listens to URFA on (urfa_bind_port in the core's configuration file).",
        default: 11758,
      }),
      core_login: param(stringType({ nonEmpty: true }), { doc: 'Login to access the core.', default: 'init' }),
      core_password: param(stringType(), { doc: 'Password to access the core.', default: 'init', secret: true }),
      ssl_mode: param(enumType(['0', '5', '6']), {
        doc: 'UTM5-TS: URFA SSL mode: 6 TLS (default), 0 plain (loopback).',
        default: '6',
      }),
      timeout: param(intType({ min: 1, max: 3600 }), { doc: 'UTM5-TS: seconds to wait for the core.', default: 30 }),
      api: param(pathType, {
        doc: 'UTM5-TS: the api.xml scheme to call the core by.',
        defaultText: 'xml/api.xml of this installation',
      }),
    }),
    ...section('Import', {
      batch_size: param(intType({ min: 1, max: 100000 }), {
        doc: 'UTM5-TS: traffic lines sent in one call; each call is charged in one transaction of the core.',
        default: 1000,
      }),
    }),
  },
});

export type SendTrafficConfig = ConfigValues<typeof sendTrafficConfig.params>;
