import type { Database, Knex } from '@utm5/db';

/** An additional contact of a user (manager, accountant ...), as rpcf_get_user_contacts lists it. */
export interface UserContact {
  readonly id: number;
  readonly userId: number;
  readonly person: string;
  readonly descr: string;
  readonly contact: string;
  readonly email: string;
  readonly emailNotify: boolean;
  readonly shortName: string;
  readonly birthday: string;
  readonly execManagerId: number;
}

export type NewUserContact = Omit<UserContact, 'id' | 'userId'>;

function toContact(r: Record<string, unknown>): UserContact {
  return {
    id: Number(r['id']),
    userId: Number(r['user_id']),
    person: String(r['person']),
    descr: String(r['descr']),
    contact: String(r['contact']),
    email: String(r['email']),
    emailNotify: Boolean(r['email_notify']),
    shortName: String(r['short_name']),
    birthday: String(r['birthday']),
    execManagerId: Number(r['id_exec_man']),
  };
}

/** user_contacts. Writes take the caller's transaction: UserService audits them in the same one. */
export class UserContactsRepo {
  constructor(private readonly db: Database) {}

  async forUser(userId: number): Promise<UserContact[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('user_contacts')
      .where({ user_id: userId })
      .orderBy('id');
    return rows.map(toContact);
  }

  async get(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<UserContact | undefined> {
    const r = await k('user_contacts').where({ id }).first();
    return r ? toContact(r) : undefined;
  }

  async insert(trx: Knex.Transaction, userId: number, c: NewUserContact): Promise<number> {
    const [id] = await trx('user_contacts').insert({
      user_id: userId,
      person: c.person,
      descr: c.descr,
      contact: c.contact,
      email: c.email,
      email_notify: c.emailNotify,
      short_name: c.shortName,
      birthday: c.birthday,
      id_exec_man: c.execManagerId,
    });
    return Number(id);
  }

  async delete(trx: Knex.Transaction, id: number): Promise<void> {
    await trx('user_contacts').where({ id }).delete();
  }
}
