import type { ScalarType } from '../urfa/values';

/**
 * The api.xml model: a function's input and output as an ordered list of nodes. The same model describes every
 * function the core serves and every function utm5_urfaclient calls; api.xml is its text form.
 */
export type LayoutNode =
  | ScalarNode
  | { readonly tag: 'binary'; readonly name: string; readonly arrayIndex?: string }
  | {
      readonly tag: 'if';
      readonly variable: string;
      readonly value: string;
      readonly condition: 'eq' | 'ne';
      readonly body: readonly LayoutNode[];
    }
  | {
      readonly tag: 'for';
      readonly name: string;
      readonly from: string;
      readonly count: string;
      readonly body: readonly LayoutNode[];
    }
  | { readonly tag: 'error'; readonly code: string; readonly comment: string; readonly variable?: string }
  | {
      readonly tag: 'set';
      readonly dst: string;
      readonly src?: string;
      readonly value?: string;
      readonly dstIndex?: string;
      readonly srcIndex?: string;
    }
  | { readonly tag: 'break' };

export interface ScalarNode {
  readonly tag: ScalarType;
  readonly name: string;
  readonly arrayIndex?: string;
  readonly default?: string;
  /**
   * An integer the reference declares where clients send a string: a 4-byte value is read as the integer, any other
   * length (an empty one included) as the string. Decoding only; api.xml still says integer.
   */
  readonly intOrString?: boolean;
}

export interface FunctionSchema {
  readonly name: string;
  readonly id: number;
  readonly input: readonly LayoutNode[];
  readonly output: readonly LayoutNode[];
  readonly comment?: string;
}

/** Terse builders for declaring layouts in code. */
export const L = {
  int: (name: string, o: { index?: string; default?: string; intOrString?: boolean } = {}): ScalarNode => ({
    ...scalar('integer', name, o),
    ...(o.intOrString ? { intOrString: true } : {}),
  }),
  long: (name: string, o: { index?: string; default?: string } = {}): ScalarNode => scalar('long', name, o),
  double: (name: string, o: { index?: string; default?: string } = {}): ScalarNode => scalar('double', name, o),
  str: (name: string, o: { index?: string; default?: string } = {}): ScalarNode => scalar('string', name, o),
  ip: (name: string, o: { index?: string; default?: string } = {}): ScalarNode => scalar('ip_address', name, o),
  for: (name: string, from: string, count: string, body: LayoutNode[]): LayoutNode => ({
    tag: 'for',
    name,
    from,
    count,
    body,
  }),
  if: (variable: string, condition: 'eq' | 'ne', value: string, body: LayoutNode[]): LayoutNode => ({
    tag: 'if',
    variable,
    value,
    condition,
    body,
  }),
  error: (code: string, comment: string, variable?: string): LayoutNode =>
    variable === undefined ? { tag: 'error', code, comment } : { tag: 'error', code, comment, variable },
  set: (o: { dst: string; src?: string; value?: string; dstIndex?: string; srcIndex?: string }): LayoutNode => ({
    tag: 'set',
    ...o,
  }),
  break: (): LayoutNode => ({ tag: 'break' }),
};

function scalar(tag: ScalarType, name: string, o: { index?: string; default?: string }): ScalarNode {
  return {
    tag,
    name,
    ...(o.index !== undefined ? { arrayIndex: o.index } : {}),
    ...(o.default !== undefined ? { default: o.default } : {}),
  };
}
