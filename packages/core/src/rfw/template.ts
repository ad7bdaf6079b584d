import { CommandWordsError, splitCommandWords } from '@utm5/protocol';

/**
 * A firewall rule's command template: split into argument words FIRST (as a shell would split it, but without a
 * shell), then the variables substituted inside each word. A value never splits a word and is never parsed again,
 * so `; rm -rf /`, quotes, `$()` and newlines in a customer's data stay one literal argument, and a value holding
 * another variable's name is not substituted twice.
 */

export type SplitResult = { readonly argv: string[] } | { readonly error: string };

/**
 * The template's words, split as utm5_rfw splits its own command lines (splitCommandWords, shared through
 * @utm5/protocol); a template with no word at all is refused here, since a rule must run something.
 */
export function splitTemplate(template: string): SplitResult {
  let argv: string[];
  try {
    argv = splitCommandWords(template);
  } catch (err) {
    if (err instanceof CommandWordsError) return { error: err.message };
    throw err;
  }
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
