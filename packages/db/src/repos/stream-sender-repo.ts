import type { Knex } from 'knex';
import type { Database } from '../connection';

/** Last committed Stream sequence number per sender; read and written inside the records' own transaction. */
export class StreamSenderRepo {
  constructor(private readonly db: Database) {}

  async lastSeq(sender: string, trx?: Knex.Transaction): Promise<number> {
    const row = await (trx ?? this.db.knex)('stream_senders').where({ sender }).first();
    return row ? Number(row.last_seq) : 0;
  }

  async setLastSeq(sender: string, seq: number, now: number, trx: Knex.Transaction): Promise<void> {
    const n = await trx('stream_senders').where({ sender }).update({ last_seq: seq, updated_at: now });
    if (n === 0) await trx('stream_senders').insert({ sender, last_seq: seq, updated_at: now });
  }
}
