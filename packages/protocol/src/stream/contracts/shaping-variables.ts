/**
 * The manual's variables of shaping RADIUS attributes ("RADIUS parameters" of Dynashape), W being the bandwidth in
 * force in Kbit/s. Declared here, beside the topic, because both sides need them: the core checks an integer
 * attribute's value against them when it is entered, utm5_radius substitutes them when it sends the attribute.
 */
export const SHAPING_VARIABLE_VALUES = {
  /** bits/s */
  BANDWIDTH_BITS: (w: number) => w * 1024,
  BANDWIDTH_KBITS: (w: number) => w,
  BANDWIDTH_MBITS: (w: number) => w / 1024,
  /** Cisco rate-limit normal burst, bytes: 1.5 * (W*1024) / 8. */
  CISCO_NORMAL_BURST: (w: number) => (1.5 * (w * 1024)) / 8,
  /** Cisco rate-limit extended burst, bytes: 1.5 * 2 * (W*1024) / 8. */
  CISCO_EXTENDED_BURST: (w: number) => (1.5 * 2 * (w * 1024)) / 8,
} as const;

export type ShapingVariable = `${'IN' | 'OUT'}_${keyof typeof SHAPING_VARIABLE_VALUES}`;

/**
 * No word boundaries: "IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk" (a MikroTik rate) must work. No name is a prefix of
 * another, so the first match is the whole variable.
 */
const VARIABLE = new RegExp(`(IN|OUT)_(${Object.keys(SHAPING_VARIABLE_VALUES).join('|')})`, 'g');

/**
 * The value with every variable replaced by its number for the incoming and outgoing bandwidth (Kbit/s; 0 for a
 * direction without a limit). Numbers are written in full (0.5, not 5e-1); every value here is exact in binary.
 */
export function substituteShapingVariables(value: string, inKbit: number, outKbit: number): string {
  return value.replace(VARIABLE, (_m, dir: 'IN' | 'OUT', name: keyof typeof SHAPING_VARIABLE_VALUES) =>
    String(SHAPING_VARIABLE_VALUES[name](dir === 'IN' ? inKbit : outKbit)),
  );
}
