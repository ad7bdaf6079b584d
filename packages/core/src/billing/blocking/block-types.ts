/**
 * Block types as UTM5 reports them in is_blocked / block_type: system 16, administrative 256, user (voluntary
 * suspension) 4096. 8192 in rpcf_save_account means "leave the block as it is".
 */
export const BlockType = { NONE: 0, SYSTEM: 16, ADMIN: 256, USER: 4096 } as const;
export const KEEP_BLOCK = 8192;
/** max_time(): a block without an end. */
export const NO_END = 2000000000;

export function blockName(t: number): string {
  return t === BlockType.SYSTEM
    ? 'system'
    : t === BlockType.ADMIN
      ? 'administrative'
      : t === BlockType.USER
        ? 'user'
        : `type ${t}`;
}
