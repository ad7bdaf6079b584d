/**
 * How a firewall command line is split into argument words, declared once for both ends of RFW: the core splits a
 * rule's template this way before substituting variables into each word, and utm5_rfw splits firewall_flush_cmd the
 * same way. Whitespace separates words; '...' groups literally; "..." groups with backslash escapes of \ and ";
 * outside quotes a backslash takes the next character literally. No shell is involved anywhere, so `;`, `|`, `$()`
 * and globs are ordinary characters.
 */
export class CommandWordsError extends Error {
  constructor(
    readonly text: string,
    why: string,
  ) {
    super(`cannot split the command line into words: ${why}`);
    this.name = 'CommandWordsError';
  }
}

export function splitCommandWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new CommandWordsError(text, 'a backslash ends it');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new CommandWordsError(text, `a ${quote} quote is not closed`);
  if (inWord) words.push(word);
  return words;
}
