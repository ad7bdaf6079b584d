import type { CoreFunction } from '../../core-function';

/** The URFA functions of documents, with UTM5 5.3's ids and layouts. */
export const DOCUMENTS_FUNCTIONS: readonly CoreFunction[] = [];
