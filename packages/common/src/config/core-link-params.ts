import { param } from './param';
import { intType, ipType } from './value-types';

/**
 * Where a daemon finds the core's Stream server (manual: core_host and core_port of rfw5.cfg, radius5.cfg): declared
 * once for every daemon that links to the core; each puts them in its own section with its login and password.
 */
export const coreLinkParams = () => ({
  core_host: param(ipType, {
    doc: 'IP address of the host on which the UTM5 core is running.',
    mandatory: true,
    sample: '127.0.0.1',
  }),
  core_port: param(intType({ min: 1, max: 65534 }), {
    doc: 'The port where the UTM5 core listens to Stream (stream_bind_port in utm5.cfg).',
    mandatory: true,
    sample: '12758',
  }),
});
