import {
  boolType,
  defineConfig,
  hostType,
  intType,
  param,
  pathType,
  enumType,
  section,
  stringType,
  type ConfigValues,
} from '@utm5/common';

/** utm5_payment_tool.cfg: the manual's keys, plus UTM5-TS's connection settings. */
export const paymentToolConfig = defineConfig({
  program: 'utm5_payment_tool',
  defaultFile: '/netup/utm5/utm5_payment_tool.cfg',
  intro:
    'utm5_payment_tool configuration (utm5_payment_tool.cfg). As the UTM5 manual specifies for this utility, values ' +
    'in this file take priority over the command line; leave a parameter out here to give it on the command line. The ' +
    'key of each parameter is in its description; the file itself is given with --config.',
  params: {
    ...section('Connection', {
      core_host: param(hostType, { doc: 'Key -h. IP address of the UTM5 core host.', default: '127.0.0.1' }),
      core_port: param(intType({ min: 1, max: 65535 }), {
        doc: 'Key -P. The port the core listens to URFA on.',
        default: 11758,
      }),
      core_user: param(stringType({ nonEmpty: true }), { doc: 'Key -l. Login to access the core.', default: 'init' }),
      core_password: param(stringType(), {
        doc: 'Key -p. Password to access the core.',
        default: 'init',
        secret: true,
      }),
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
    ...section('Payment', {
      user_comment: param(stringType(), { doc: 'Key -k. Comment for the customer.', default: '' }),
      admin_comment: param(stringType(), { doc: 'Key -L. Comment for the administrator.', default: '' }),
      currency_id: param(intType({ min: 1, max: 999 }), {
        doc: 'Key -c. Payment currency (ISO 4217 numeric code).',
        default: 810,
      }),
      payment_method: param(intType({ min: 0, max: 1000000 }), {
        doc: 'Key -m. Payment method id (see get_payment_methods_list); 0 is the cash method (1), as in UTM5.',
        default: 0,
      }),
      turn_on_internet: param(boolType, {
        doc: 'Key -i. Turn the Internet on after the payment: yes / no.',
        default: false,
      }),
      account_id: param(intType({ min: 1 }), {
        doc: 'Key -a. Account to credit (mandatory, here or on the command line).',
      }),
      external_number: param(stringType(), {
        doc: 'Key -e. External payment id: a retry with the same number and method credits nothing and is reported as a duplicate.',
        default: '',
      }),
      payment: param(stringType({ nonEmpty: true }), {
        doc: 'Key -b. Payment amount in the payment currency (a decimal number).',
        default: '0.0',
      }),
    }),
  },
});

export type PaymentToolConfig = ConfigValues<typeof paymentToolConfig.params>;
