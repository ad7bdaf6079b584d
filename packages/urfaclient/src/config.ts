import { join } from 'node:path';
import {
  boolType,
  defineConfig,
  dirType,
  enumType,
  hostType,
  intType,
  ipType,
  param,
  pathType,
  section,
  stringType,
  type ConfigValues,
} from '@utm5/common';

/** The xml/ directory of this installation (scheme and action scripts), used when xml_path is not set. */
export const INSTALLED_XML = join(__dirname, '..', '..', '..', 'xml');

export const urfaclientConfig = defineConfig({
  program: 'utm5_urfaclient',
  defaultFile: '/netup/utm5/utm5_urfaclient.cfg',
  intro:
    'utm5_urfaclient configuration (utm5_urfaclient.cfg). Every parameter may also be given on the command line, ' +
    'which wins over this file; the key is shown in each description.',
  params: {
    ...section('Connection', {
      core_host: param(hostType, { doc: 'Key -h. Address of the host utm5_core runs on.', default: '127.0.0.1' }),
      core_port: param(intType({ min: 1, max: 65535 }), {
        doc: 'Key -p. The port utm5_core listens to URFA on (urfa_bind_port in utm5.cfg).',
        default: 11758,
      }),
      core_login: param(stringType({ nonEmpty: true }), { doc: 'Key -l. Login to access the core.', default: 'init' }),
      core_password: param(stringType(), {
        doc: 'Key -P. Password to access the core.',
        default: 'init',
        secret: true,
      }),
      plain_user: param(boolType, {
        doc: 'Key -u. Log in as a customer (user functions, negative ids); otherwise as a system user.',
        default: false,
      }),
      dealer: param(boolType, {
        doc: 'Key -dealer. Log in as a dealer (dealer functions 0x70000000..0x7fffffff).',
        default: false,
      }),
      session_key: param(stringType({ nonEmpty: true }), {
        doc:
          'Key -s. Restore the customer session with this key (32 hex digits); core_login must be a system user ' +
          'allowed to restore sessions.',
      }),
      user_ip: param(ipType, {
        doc: 'Key -i. With -s, the IP address the session to restore was opened from.',
        default: '127.0.0.1',
      }),
      ssl_mode: param(enumType(['0', '5', '6']), {
        doc:
          'UTM5-TS: URFA SSL mode to request: 6 TLS (the default), 5 TLS with a client certificate, 0 plain ' +
          '(the core allows plain only from urfa_plain_allowed, loopback by default).',
        default: '6',
      }),
      ssl_client_cert: param(pathType, { doc: 'UTM5-TS: client certificate (PEM) presented in SSL mode 5.' }),
      ssl_client_key: param(pathType, {
        file: 'key',
        doc: 'UTM5-TS: private key (PEM) of ssl_client_cert.',
        secret: false,
      }),
      timeout: param(intType({ min: 1, max: 86400 }), {
        doc: 'UTM5-TS: seconds to wait for the core to answer.',
        default: 60,
      }),
    }),
    ...section('Scripts', {
      xml_path: param(dirType, {
        doc: 'Key -x. Directory of the scheme (api.xml) and the action scripts (<action>.xml).',
        defaultText: 'the xml/ directory of this installation',
        sample: 'xml',
      }),
      api: param(pathType, { doc: 'Key -api. Path to the scheme file.', defaultText: 'api.xml in xml_path' }),
    }),
  },
});

export type UrfaclientConfig = ConfigValues<typeof urfaclientConfig.params>;
