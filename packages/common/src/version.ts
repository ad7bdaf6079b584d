/** The release of UTM5-TS; a test keeps it equal to the root package.json version. */
export const UTM5_TS_VERSION = '0.1.0';

/** What UTM5 clients are told the core version is (rpcf_core_version): ours, marked as UTM5-TS. */
export const CORE_VERSION_STRING = `UTM5-TS ${UTM5_TS_VERSION}`;
