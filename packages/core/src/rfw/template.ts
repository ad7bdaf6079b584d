/**
 * A firewall rule's command template: split into argument words FIRST (as a shell would split it, but without a
 * shell), then the variables substituted inside each word. A value never splits a word and is never parsed again,
 * so `; rm -rf /`, quotes, `$()` and newlines in a customer's data stay one literal argument, and a value holding
 * another variable's name is not substituted twice.
 */

export type SplitResult = { readonly argv: string[] } | { readonly error: string };

/**
 * Words separated by whitespace; '...' groups literally; "..." groups, with \" and \\ escaped inside; outside
 * quotes a backslash makes the next character literal. An unterminated quote or a trailing backslash is refused.
 */
export function splitTemplate(template: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) return { error: `unterminated ' at character ${i + 1}` };
      word += template.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < template.length && template[j] !== '"'; j++) {
        if (template[j] === '\\' && (template[j + 1] === '"' || template[j + 1] === '\\')) j++;
        word += template[j];
      }
      if (j >= template.length) return { error: `unterminated " at character ${i + 1}` };
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= template.length) return { error: 'a backslash ends the template' };
      word += template[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { error: 'the template has no command (it is empty or blank)' };
  return { argv };
}

/** A compiled matcher of variable names: longest first, no word boundaries (as UTM5 writes them, bare). */
export class VariableMatcher {
  private readonly re: RegExp;

  constructor(names: readonly string[]) {
    const sorted = [...new Set(names)].sort((a, b) => b.length - a.length || a.localeCompare(b));
    this.re = new RegExp(sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  /** The word with each variable replaced by its value, in one pass (values are not scanned again). */
  substitute(word: string, value: (name: string) => string): string {
    return word.replace(this.re, (name) => value(name));
  }

  /** The variables a text names. */
  names(text: string): string[] {
    return [...new Set(text.match(this.re) ?? [])];
  }
}

/** The argv of a template for one set of values; the template must split (rules are checked when saved). */
export function renderArgv(
  argv: readonly string[],
  matcher: VariableMatcher,
  value: (name: string) => string,
): string[] {
  return argv.map((w) => matcher.substitute(w, value));
}
