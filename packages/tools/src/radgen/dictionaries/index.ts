import { CISCO } from './cisco';
import { MICROSOFT } from './microsoft';
import { MIKROTIK } from './mikrotik';
import type { VendorDictionary } from './dictionary';

export { dictionaryText, type AttributeType, type VendorDictionary } from './dictionary';

/** The vendors the `radius` package's bundled RFC dictionaries lack; add one by adding its table here. */
export const VENDOR_DICTIONARIES: readonly VendorDictionary[] = [CISCO, MICROSOFT, MIKROTIK];
