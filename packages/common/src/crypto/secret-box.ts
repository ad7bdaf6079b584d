import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UtmError } from '../errors/utm-error';

export class SecretKeyError extends UtmError {}

const PREFIX = 'v1:';

/**
 * Encrypts secrets that must be kept recoverable (CHAP needs system users' passwords in clear) with AES-256-GCM under
 * a key file. Losing the key file makes those secrets unreadable, so it is created once and never rewritten.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Loads the key file, creating it (mode 0600) when missing. */
  static fromKeyFile(path: string): SecretBox {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (err) {
      throw new SecretKeyError('UTM_SECRET_KEY', `cannot read secret key file ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!/^[0-9a-f]{64}$/i.test(text)) {
      throw new SecretKeyError(
        'UTM_SECRET_KEY',
        `secret key file ${path} is not 64 hex digits; restore it from backup`,
      );
    }
    // Tighten a key file someone made readable by others; the secrets it guards are passwords.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return new SecretBox(Buffer.from(text, 'hex'));
  }

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new SecretKeyError('UTM_SECRET_KEY', 'secret key must be 32 bytes');
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${PREFIX}${iv.toString('base64')}:${c.getAuthTag().toString('base64')}:${body.toString('base64')}`;
  }

  open(sealed: string): string {
    const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split(':') : [];
    if (parts.length !== 3) {
      throw new SecretKeyError('UTM_SECRET_DECRYPT', 'stored secret is not in the v1 sealed format');
    }
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[0]!, 'base64'));
      d.setAuthTag(Buffer.from(parts[1]!, 'base64'));
      return Buffer.concat([d.update(Buffer.from(parts[2]!, 'base64')), d.final()]).toString('utf8');
    } catch (err) {
      throw new SecretKeyError(
        'UTM_SECRET_DECRYPT',
        'a stored secret does not decrypt with this key file (was the key file replaced?)',
        { cause: err },
      );
    }
  }
}
