import type { IndexPath } from '@utm5/protocol';

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/**
 * What utm5_urfaclient prints on stdout: one XML document holding each call's outputs (in wire order), messages and
 * out variables, so scripts can read it with any XML tool. The document is closed even when the script fails.
 */
export class OutputWriter {
  private open = false;

  constructor(private readonly write: (s: string) => void) {}

  begin(): void {
    this.write('<?xml version="1.0" encoding="UTF-8"?>\n<urfa>\n');
    this.open = true;
  }

  callStart(fn: string): void {
    this.write(`  <call function="${esc(fn)}">\n`);
  }

  value(tag: string, name: string, path: IndexPath | undefined, value: string): void {
    const idx = path ? ` index="${path.join(',')}"` : '';
    this.write(`    <${tag} name="${esc(name)}"${idx} value="${esc(value)}"/>\n`);
  }

  callEnd(): void {
    this.write('  </call>\n');
  }

  message(text: string): void {
    this.write(`  <message>${esc(text)}</message>\n`);
  }

  out(name: string, values: readonly { index?: string; value: string }[]): void {
    for (const v of values)
      this.write(
        `  <out name="${esc(name)}"${v.index !== undefined ? ` index="${v.index}"` : ''} value="${esc(v.value)}"/>\n`,
      );
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    this.write('</urfa>\n');
  }
}
