/** One field of a template: element id, length (65535 = variable, IPFIX) and enterprise number (0 = IETF). */
export interface TemplateField {
  readonly id: number;
  readonly length: number;
  readonly enterprise: number;
}

export interface Template {
  readonly id: number;
  readonly fields: readonly TemplateField[];
  /** Bytes per record, or -1 when a field has variable length. */
  readonly recordLength: number;
  /** Options templates describe exporter metadata, not flows: their records are skipped. */
  readonly options: boolean;
  learnedAt: number;
}

export const VARLEN = 65535;

export function makeTemplate(id: number, fields: TemplateField[], options: boolean, now: number): Template {
  const varlen = fields.some((f) => f.length === VARLEN);
  return { id, fields, options, learnedAt: now, recordLength: varlen ? -1 : fields.reduce((s, f) => s + f.length, 0) };
}

/**
 * Templates per exporter, observation domain (source id) and template id (RFC 3954 s. 5, RFC 7011 s. 8): a template
 * is valid for its exporter and domain only, is replaced by a newer one with the same id, and expires when not
 * refreshed within the timeout (v9 over UDP has no withdrawal).
 */
export class TemplateCache {
  private readonly map = new Map<string, Template>();

  constructor(private readonly timeoutMs: number) {}

  static key(exporter: string, domain: number, id: number): string {
    return `${exporter}|${domain}|${id}`;
  }

  get(exporter: string, domain: number, id: number, now: number): Template | undefined {
    const k = TemplateCache.key(exporter, domain, id);
    const t = this.map.get(k);
    if (t && this.timeoutMs > 0 && now - t.learnedAt > this.timeoutMs) {
      this.map.delete(k);
      return undefined;
    }
    return t;
  }

  set(exporter: string, domain: number, t: Template): void {
    this.map.set(TemplateCache.key(exporter, domain, t.id), t);
  }

  withdraw(exporter: string, domain: number, id: number): void {
    this.map.delete(TemplateCache.key(exporter, domain, id));
  }

  get size(): number {
    return this.map.size;
  }
}
