/**
 * Who may call a URFA function is first decided by its id (manual, "User's rights"): customers negative ids, dealers
 * 0x70000000 .. 0x7fffffff, everything else system users whose groups grant it.
 */
export type FunctionClass = 'customer' | 'dealer' | 'admin';

export const DEALER_FID_MIN = 0x70000000;
export const DEALER_FID_MAX = 0x7fffffff;
/** Ids UTM5 leaves unused; UTM5-TS extensions (test clock, system services) live here. */
export const EXTENSION_FID_MIN = 0x60000000;
export const EXTENSION_FID_MAX = 0x6fffffff;

export function functionClass(fid: number): FunctionClass {
  if (fid < 0) return 'customer';
  if (fid >= DEALER_FID_MIN && fid <= DEALER_FID_MAX) return 'dealer';
  return 'admin';
}

export function isExtensionFid(fid: number): boolean {
  return fid >= EXTENSION_FID_MIN && fid <= EXTENSION_FID_MAX;
}

/** "0x4417", "-0x45": how api.xml writes ids. */
export function formatFid(fid: number): string {
  const hex = Math.abs(fid).toString(16).padStart(4, '0');
  return fid < 0 ? `-0x${hex}` : `0x${hex}`;
}
