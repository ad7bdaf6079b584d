/**
 * Masks secrets in log text. Two nets: the exact values of secret parameters and passwords the program registers,
 * and key=value / "key": value pairs whose key names a secret, so a secret that was never registered still does not
 * reach a log.
 */
export const MASK = '***';

// key=value, key="value" and JSON "key": "value"; prose such as "password: it" (colon and space) is left alone.
const SECRET_KEY_RE =
  /((?:pass(?:word|wd)?|secret|chap[-_]?(?:response|password)|passphrase|private[-_]?key|token)(?:=["']?|["']\s*:\s*["']?))([^\s"',;}&]+)/gi;

export class Redactor {
  private readonly secrets = new Set<string>();
  private sorted: string[] = [];

  add(secret: string | undefined): void {
    // Very short values (a 1-2 char password) would mask unrelated text everywhere; the key=value net covers them.
    if (!secret || secret.length < 3 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.sorted = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.sorted) if (out.includes(s)) out = out.split(s).join(MASK);
    return out.replace(SECRET_KEY_RE, `$1${MASK}`);
  }

  /** Copies meta, masking values under secret-looking keys and registered secrets inside strings. */
  redactMeta(meta: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(meta)) {
      if (/pass(word|wd)?|secret|chap|passphrase|private.?key|token/i.test(k)) out[k] = MASK;
      else if (typeof v === 'string') out[k] = this.redact(v);
      else out[k] = v;
    }
    return out;
  }
}
