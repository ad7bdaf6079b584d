import { loadConfigFile, reportWarnings, type LoadedConfig } from '@utm5/common';
import { coreConfig } from '@utm5/core';
import { openDatabase, type Database } from '@utm5/db';

export type Utm5Config = LoadedConfig<typeof coreConfig.params>['values'];

/**
 * Opens the billing database as utm5.cfg names it: the file is read by the core's own declaration, so these tools
 * accept exactly the files the core accepts.
 */
export async function openUtm5Database(
  program: string,
  file: string,
  quiet: boolean,
): Promise<{ config: Utm5Config; db: Database }> {
  const loaded = loadConfigFile(coreConfig, file);
  if (!quiet) reportWarnings(program, loaded.warnings);
  return { config: loaded.values, db: await openDatabase(loaded.values) };
}
