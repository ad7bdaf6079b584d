/**
 * IPv4 addresses as the unsigned 32-bit number they are, and as dotted text.
 *
 * The contract of this package: a function that reads text returns undefined when the text is not an address and
 * never throws; a function that writes or formats takes the parsed form (a number or bytes), so it cannot fail. A
 * caller that must refuse bad text (a codec, a config parser) turns the undefined into its own typed error.
 */

/**
 * Four decimal octets 0-255 separated by dots, nothing around them, as node:net's isIPv4 and inet_pton accept. A
 * leading zero ("010.0.0.1") is refused: inet_aton reads it as octal, so guessing either way would be wrong for
 * someone. Parsed by character codes: this runs for every flow's addresses, where split() and regexes cost most.
 */
export function parseIpv4(text: string): number | undefined {
  let n = 0;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : text.charCodeAt(i);
    if (c === 46) {
      // '.' (or the end)
      if (digits === 0 || parts === 4) return undefined;
      n = n * 256 + value;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return undefined;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? n : undefined;
}

/** Dotted text of an address given as a 32-bit number, unsigned or signed (UTM5's integer fields are signed). */
export function formatIpv4(n: number): string {
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

/** The address as the signed 32-bit integer UTM5 puts in integer fields (rpcf_put_unif_iptr's ipid ...). */
export function ipv4ToSigned(n: number): number {
  return n | 0;
}

/** The 4 bytes at `at` as dotted text (NetFlow address fields); the caller has checked the bounds. */
export function readIpv4(buf: Uint8Array, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** Writes an address given as a number into 4 bytes at `at`, network order. */
export function writeIpv4(buf: Uint8Array, at: number, n: number): void {
  const u = n >>> 0;
  buf[at] = u >>> 24;
  buf[at + 1] = (u >>> 16) & 255;
  buf[at + 2] = (u >>> 8) & 255;
  buf[at + 3] = u & 255;
}
