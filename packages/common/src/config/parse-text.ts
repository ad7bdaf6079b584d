/** One `parameter=value` line of a config file, exactly as written (whitespace counts). */
export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface ParsedConfigText {
  readonly entries: readonly ConfigEntry[];
  /** Line numbers of non-empty, non-comment lines without '='. */
  readonly malformed: readonly { line: number; text: string }[];
}

/**
 * The manual's format: the name is everything before the first '=', the value everything after; whitespace counts;
 * empty lines are ignored; a line starting with '#' is a comment. A trailing CR (a file edited on Windows) is dropped,
 * because it is invisible and would otherwise end every value with it.
 */
export function parseConfigText(text: string): ParsedConfigText {
  const entries: ConfigEntry[] = [];
  const malformed: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    if (raw.trimStart().startsWith('#')) continue;
    const eq = raw.indexOf('=');
    if (eq < 0) {
      malformed.push({ line: i + 1, text: raw });
      continue;
    }
    entries.push({ name: raw.slice(0, eq), value: raw.slice(eq + 1), line: i + 1 });
  }
  return { entries, malformed };
}
