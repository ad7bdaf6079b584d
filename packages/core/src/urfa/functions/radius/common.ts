import type { RadiusCatalog } from '../../../radius/catalog';
import { badInput } from '../traffic/common';
import type { HandlerContext } from '../../core-function';

/** The RADIUS catalog of a core that runs billing (the URFA functions are only useful with it). */
export function radius(ctx: HandlerContext): RadiusCatalog {
  return ctx.radius.catalog;
}

/**
 * What an attribute does to the ones before it (NAS first, then service, then link, as the manual orders them):
 * UTM5-TS carries it in rpcf_set_radius_attr's usage_flags and as the 4th part of a NAS parameter's variable.
 */
export const ATTR_ACTION = { ADD: 0, REPLACE: 1, REMOVE: 2 } as const;
export type AttrAction = (typeof ATTR_ACTION)[keyof typeof ATTR_ACTION];

/** Checks a RADIUS attribute's numbers; the error names where it came from and what the field must be. */
export function checkAttr(where: string, a: { vendor: number; attr: number; tag: number; action: number }): AttrAction {
  const range = (field: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw badInput(`${where}: ${field} ${v} must be ${min}..${max}`);
  };
  range('vendor', a.vendor, 0, 0xffffff);
  range('attribute', a.attr, 1, 255);
  range('tag', a.tag, 0, 31); // RFC 2868: 1..31 tag a tunnel attribute, 0 = untagged
  range('action (0 add, 1 replace, 2 remove)', a.action, 0, 2);
  return a.action as AttrAction;
}

/** Message of a call whose unknown id ends it without data (the reference has no error output for it). */
export const ENDS_WITHOUT_DATA = 'an unknown id ends the call without data';
