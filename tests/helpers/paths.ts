import { join } from 'node:path';

/** The repository root (tests/dist/helpers/ -> ../../..). */
export const ROOT = join(__dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin');
export const binPath = (program: string): string => join(BIN, program);
