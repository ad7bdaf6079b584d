import { L } from '@utm5/protocol';
import { defineFunction } from '../core-function';

/**
 * UTM5-TS extension: returns its inputs. For testing URFA client libraries and action scripts against a live core;
 * its layout uses every api.xml construct (all scalar types, defaults with now()/max_time()/size(), nested loops
 * with two indexes, if, set, break and error).
 */
export const echo = defineFunction(
  'utm5ts_echo',
  0x60000040,
  {
    comment: 'UTM5-TS extension: echoes its inputs (client and script testing); mode 1 answers with an <error>',
    input: [
      L.int('mode'),
      L.str('text'),
      L.long('big'),
      L.double('amount'),
      L.ip('address'),
      L.long('stamp', { default: 'now()' }),
      L.long('until', { default: 'max_time()' }),
      L.int('rows', { default: 'size(width)' }),
      L.for('i', '0', 'rows', [
        L.int('width', { index: 'i' }),
        L.for('j', '0', 'width', [L.str('cell', { index: 'i,j' })]),
      ]),
    ],
    output: [
      L.int('mode'),
      L.if('mode', 'eq', '1', [L.error('30', 'echo error requested:', 'text')]),
      L.str('text'),
      L.long('big'),
      L.double('amount'),
      L.ip('address'),
      L.long('stamp'),
      L.long('until'),
      L.int('rows'),
      L.for('i', '0', 'rows', [
        L.int('width'),
        L.set({ dst: 'width_of', dstIndex: 'i', src: 'width' }),
        L.for('j', '0', 'width', [
          L.str('cell', { index: 'i,j' }),
          L.set({ dst: 'last_cell', src: 'cell', srcIndex: 'i,j' }),
          L.if('last_cell', 'eq', 'stop', [L.break()]),
        ]),
      ]),
    ],
  },
  (call) => {
    const a = call.args;
    const rows = a.int('rows');
    const cells: string[][] = [];
    const widths: number[] = [];
    for (let i = 0; i < rows; i++) {
      const w = a.int('width', i);
      const row: string[] = [];
      for (let j = 0; j < w; j++) {
        const v = a.vars.get('cell', [i, j]) ?? '';
        row.push(v);
        if (v === 'stop') break;
      }
      cells.push(row);
      widths.push(w);
    }
    return {
      mode: a.int('mode'),
      text: a.str('text'),
      big: a.str('big'),
      amount: a.double('amount'),
      address: a.ip('address'),
      stamp: a.str('stamp'),
      until: a.str('until'),
      rows,
      width_of: widths,
      cell: cells,
    };
  },
);
