import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { UtmError, type Logger } from '@utm5/common';

export class TlsMaterialError extends UtmError {}

/**
 * The URFA server certificate: loaded from ssl_cert_file / ssl_privkey_file, or, when both are missing, generated
 * once (self-signed, 10 years) and written there, the key with mode 0600.
 */
export async function loadOrCreateTls(
  certFile: string,
  keyFile: string,
  passphrase: string,
  log: Logger,
): Promise<SecureContext> {
  const haveCert = existsSync(certFile);
  const haveKey = existsSync(keyFile);
  if (haveCert !== haveKey) {
    throw new TlsMaterialError(
      'UTM_TLS_PARTIAL',
      `only one of ssl_cert_file (${certFile}) and ssl_privkey_file (${keyFile}) ` +
        'exists: restore the other, or remove both to have a new self-signed pair generated',
    );
  }
  if (!haveCert) {
    const now = new Date();
    const pems = await generate(
      [
        { name: 'commonName', value: hostname() },
        { name: 'organizationName', value: 'UTM5-TS' },
      ],
      {
        keySize: 2048,
        algorithm: 'sha256',
        notBeforeDate: new Date(now.getTime() - 3600_000),
        notAfterDate: new Date(now.getTime() + 10 * 365 * 86400_000),
        ...(passphrase ? { passphrase } : {}),
      },
    );
    mkdirSync(dirname(certFile), { recursive: true });
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, pems.private, { mode: 0o600, flag: 'wx' });
    writeFileSync(certFile, pems.cert, { mode: 0o644, flag: 'wx' });
    log.notice(
      `generated a self-signed URFA certificate ${certFile} (fingerprint ${pems.fingerprint}); ` +
        'replace it with your own for clients that verify the core',
    );
  }
  try {
    return createSecureContext({
      cert: readFileSync(certFile),
      key: readFileSync(keyFile),
      ...(passphrase ? { passphrase } : {}),
      minVersion: 'TLSv1.2',
    });
  } catch (err) {
    throw new TlsMaterialError(
      'UTM_TLS_BAD',
      `cannot use ssl_cert_file ${certFile} with ssl_privkey_file ${keyFile}: ` +
        `${(err as Error).message} (check ssl_privkey_passphrase)`,
      { cause: err },
    );
  }
}
