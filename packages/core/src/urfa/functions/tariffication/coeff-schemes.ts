import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { CoeffItem } from '../../../tariffication/coefficients';
import { coef, coefE6, engine } from './common';

const ITEMS_COMMENT =
  "an item applies coeff from the link's ordinal period delay for duration periods (0 for good); " +
  "create_date, change_date and the items' scheme_id are set by the core";

const schemeInput = [
  L.int('id'),
  L.str('name'),
  L.str('comment'),
  L.int('create_date'),
  L.int('change_date'),
  L.int('items_size'),
  L.for('i', '0', 'items_size', [
    L.int('scheme_id', { index: 'i' }),
    L.int('delay', { index: 'i' }),
    L.int('duration', { index: 'i' }),
    L.double('coeff', { index: 'i' }),
  ]),
];

function readItems(a: CallArgs): CoeffItem[] {
  return Array.from({ length: a.int('items_size') }, (_, i) => ({
    delay: a.int('delay', i),
    duration: a.int('duration', i),
    coeffE6: coefE6(a.double('coeff', i)),
  }));
}

export const getCoeffScheme = defineFunction(
  'rpcf_get_coeff_scheme',
  0x4700,
  {
    input: [L.int('scheme_id')],
    output: [
      L.int('id'),
      L.str('name'),
      L.str('comment'),
      L.int('create_date'),
      L.int('change_date'),
      L.int('items_size'),
      L.for('i', '0', 'items_size', [
        L.int('scheme_id', { index: 'i' }),
        L.int('delay', { index: 'i' }),
        L.int('duration', { index: 'i' }),
        L.double('coeff', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('scheme_id');
    const s = (await engine(ctx).catalog.schemes()).find((x) => x.id === id);
    if (!s) throw new Error(`no coefficient scheme ${id}`);
    return {
      id: s.id,
      name: s.name,
      comment: s.comment,
      create_date: s.create,
      change_date: s.change,
      items_size: s.items.length,
      scheme_id: s.items.map(() => s.id),
      delay: s.items.map((x) => x.delay),
      duration: s.items.map((x) => x.duration),
      coeff: s.items.map((x) => coef(x.coeffE6)),
    };
  },
);

export const getCoeffSchemeList = defineFunction(
  'rpcf_get_coeff_scheme_list',
  0x4701,
  {
    output: [
      L.int('scheme_size'),
      L.for('i', '0', 'scheme_size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('comment', { index: 'i' }),
        L.int('create_date', { index: 'i' }),
        L.int('change_date', { index: 'i' }),
        // Not in the reference: the set (nothing on the wire) keeps each row's items_size, so the core writes it per row.
        L.int('items_size'),
        L.set({ dst: 'items_size_array', src: 'items_size', dstIndex: 'i' }),
        L.for('j', '0', 'items_size', [
          L.int('scheme_id', { index: 'i,j' }),
          L.int('delay', { index: 'i,j' }),
          L.int('duration', { index: 'i,j' }),
          L.double('coeff', { index: 'i,j' }),
        ]),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ss = await engine(ctx).catalog.schemes();
    return {
      scheme_size: ss.length,
      id: ss.map((s) => s.id),
      name: ss.map((s) => s.name),
      comment: ss.map((s) => s.comment),
      create_date: ss.map((s) => s.create),
      change_date: ss.map((s) => s.change),
      items_size_array: ss.map((s) => s.items.length),
      scheme_id: ss.map((s) => s.items.map(() => s.id)),
      delay: ss.map((s) => s.items.map((x) => x.delay)),
      duration: ss.map((s) => s.items.map((x) => x.duration)),
      coeff: ss.map((s) => s.items.map((x) => coef(x.coeffE6))),
    };
  },
);

export const addCoeffScheme = defineFunction(
  'rpcf_add_coeff_scheme',
  0x4702,
  {
    comment: `the input id is ignored; the output id is the new scheme's (0 refused); ${ITEMS_COMMENT}`,
    input: schemeInput,
    output: [L.int('id')],
  },
  async (call, ctx) => {
    const a = call.args;
    return {
      id: await guarded(
        ctx,
        call,
        `add coefficient scheme '${a.str('name')}'`,
        () => engine(ctx).catalog.saveScheme(0, a.str('name'), a.str('comment'), readItems(a)),
        () => 0,
      ),
    };
  },
);

export const editCoeffScheme = defineFunction(
  'rpcf_edit_coeff_scheme',
  0x4703,
  {
    comment: `the changed scheme applies to links made afterwards; id 0: refused; ${ITEMS_COMMENT}`,
    input: schemeInput,
    output: [L.int('id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('id');
    return {
      id: await guarded(
        ctx,
        call,
        `edit coefficient scheme ${id}`,
        async () => {
          const cat = engine(ctx).catalog;
          if (!(await cat.schemes()).some((s) => s.id === id)) throw new Error(`no coefficient scheme ${id}`);
          return cat.saveScheme(id, a.str('name'), a.str('comment'), readItems(a));
        },
        () => 0,
      ),
    };
  },
);

export const delCoeffScheme = defineFunction(
  'rpcf_del_coeff_scheme',
  0x4704,
  {
    comment: 'a scheme of a service with links is not removed; id: the removed scheme (0 refused)',
    input: [L.int('id')],
    output: [L.int('id')],
  },
  async (call, ctx) => {
    const id = call.args.int('id');
    return {
      id: await guarded(
        ctx,
        call,
        `remove coefficient scheme ${id}`,
        async () => {
          await engine(ctx).catalog.removeScheme(id);
          return id;
        },
        () => 0,
      ),
    };
  },
);
