import type { Knex } from 'knex';

/** One versioned schema step. Names sort in order of application and never change once released. */
export interface Migration {
  readonly name: string;
  up(k: Knex): Promise<void>;
  down(k: Knex): Promise<void>;
}
