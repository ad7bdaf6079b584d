/**
 * The text of a notification mail: the manual's document variables written in braces, `{user.full_name}`, with an
 * optional modifier after two dots as in the document templates, `{payment.date.actual..date_short}`. A variable the
 * mail does not know is left as written, so a typo shows in the mail instead of vanishing; the unknown names are
 * returned for the log.
 */

/** A modifier: the variable's text to the text shown. */
export type MailModifier = (value: string) => string;

export interface RenderedText {
  readonly text: string;
  /** Variables (or modifiers) the template names that have no value: left in the text as written. */
  readonly unknown: readonly string[];
}

const VARIABLE = /\{([a-z_][a-z0-9_.]*?)(?:\.\.([a-z_]+))?\}/gi;

export function renderMailText(
  template: string,
  values: ReadonlyMap<string, string>,
  modifiers: Readonly<Record<string, MailModifier>> = {},
): RenderedText {
  const unknown = new Set<string>();
  const text = template.replace(VARIABLE, (whole, name: string, modifier: string | undefined) => {
    const v = values.get(name);
    if (v === undefined) {
      unknown.add(name);
      return whole;
    }
    if (modifier === undefined) return v;
    const m = Object.hasOwn(modifiers, modifier) ? modifiers[modifier] : undefined;
    if (!m) {
      unknown.add(`..${modifier}`);
      return whole;
    }
    return m(v);
  });
  return { text, unknown: [...unknown] };
}
