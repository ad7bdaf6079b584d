import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substituteShapingVariables } from './shaping-variables';

// The manual's table ("RADIUS parameters" of Dynashape), W in Kbit/s: BITS W*1024, KBITS W, MBITS W/1024,
// NORMAL_BURST 1.5*(W*1024)/8, EXTENDED_BURST 1.5*2*(W*1024)/8; values worked out by hand.
const EXPECTED: Record<number, Record<string, string>> = {
  1024: {
    BANDWIDTH_BITS: '1048576',
    BANDWIDTH_KBITS: '1024',
    BANDWIDTH_MBITS: '1',
    CISCO_NORMAL_BURST: '196608',
    CISCO_EXTENDED_BURST: '393216',
  },
  512: {
    BANDWIDTH_BITS: '524288',
    BANDWIDTH_KBITS: '512',
    BANDWIDTH_MBITS: '0.5',
    CISCO_NORMAL_BURST: '98304',
    CISCO_EXTENDED_BURST: '196608',
  },
};

test('every variable of the manual for W = 1024 and W = 512, incoming and outgoing', () => {
  for (const [w, values] of Object.entries(EXPECTED)) {
    for (const [name, expected] of Object.entries(values)) {
      assert.equal(substituteShapingVariables(`IN_${name}`, Number(w), 7), expected, `IN_${name}, W=${w}`);
      assert.equal(substituteShapingVariables(`OUT_${name}`, 7, Number(w)), expected, `OUT_${name}, W=${w}`);
    }
  }
});

test('variables inside text, next to letters, several and repeated; other text and a direction without a limit (0)', () => {
  assert.equal(substituteShapingVariables('IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk', 512, 1024), '512k/1024k');
  assert.equal(
    substituteShapingVariables(
      'lcp:interface-config#1=rate-limit input IN_BANDWIDTH_BITS IN_CISCO_NORMAL_BURST IN_CISCO_EXTENDED_BURST conform-action transmit exceed-action drop',
      1024,
      0,
    ),
    'lcp:interface-config#1=rate-limit input 1048576 196608 393216 conform-action transmit exceed-action drop',
  );
  assert.equal(
    substituteShapingVariables('IN_BANDWIDTH_BITS IN_BANDWIDTH_BITS OUT_BANDWIDTH_MBITS', 1, 0),
    '1024 1024 0',
  );
  assert.equal(
    substituteShapingVariables('BANDWIDTH IN_BANDWIDTH IN_SPEED', 1, 1),
    'BANDWIDTH IN_BANDWIDTH IN_SPEED',
    'not variables',
  );
});
