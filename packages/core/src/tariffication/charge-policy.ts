import { BlockType } from '../billing/blocking/block-types';

/**
 * Charge policy flags (rpcf_add_charge_policy's flags), one bit per option of the manual's charge policy:
 * recalculation on link creation, "do not charge without block", system block on funds lack, what each block type
 * does to the periodic fee and prepaid amounts, and the moments a refund is made.
 */
export const PolicyFlag = {
  RECALC_FEE_ON_CREATE: 0x1,
  RECALC_TRAFFIC_ON_CREATE: 0x2,
  RECALC_TELEPHONY_ON_CREATE: 0x4,
  NO_CHARGE_WITHOUT_BLOCK: 0x8,
  BLOCK_ON_FUNDS_LACK: 0x10,
  // per block type: administrative << 8, user << 12, system << 16
  NO_CHARGE_IN_BLOCK: 0x1,
  RECALC_FEE_IN_BLOCK: 0x2,
  DECREASE_PREPAID_TRAFFIC: 0x4,
  RECALC_PREPAID_TELEPHONY: 0x8,
  REPAY_ON_BLOCK_EXPIRE: 0x100000,
  REPAY_ON_PAYMENT: 0x200000,
  REPAY_ON_PERIOD_END: 0x400000,
  REPAY_ON_LINK_REMOVAL: 0x800000,
} as const;

const BLOCK_SHIFT: Record<number, number> = { [BlockType.ADMIN]: 8, [BlockType.USER]: 12, [BlockType.SYSTEM]: 16 };

/** The block bits of a policy for a block type (NO_CHARGE_IN_BLOCK | RECALC_FEE_IN_BLOCK | ...). */
export function blockBits(flags: number, blockType: number): number {
  const shift = BLOCK_SHIFT[blockType];
  return shift === undefined ? 0 : (flags >>> shift) & 0xf;
}

export function blockFlag(blockType: number, bit: number): number {
  return bit << (BLOCK_SHIFT[blockType] ?? 0);
}

/** Whether time under this block is not billed (recalculated, or not charged at all). */
export function blockExcludesFee(flags: number, blockType: number): boolean {
  return (blockBits(flags, blockType) & (PolicyFlag.NO_CHARGE_IN_BLOCK | PolicyFlag.RECALC_FEE_IN_BLOCK)) !== 0;
}

export function parseTimemarks(text: string): number[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0)
    .sort((a, b) => a - b);
}
