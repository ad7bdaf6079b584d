import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { UtmError, type Clock, type Logger, type Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import { DocumentRenderer, type DocumentData, type Lang, type ProviderGroup } from '@utm5/documents';
import type { BillingEvents } from '../events/billing-events';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';
import { DOC_TYPES, docType, type DocType, type FileType } from '@utm5/protocol';
import { DocumentDataBuilder } from './document-data-builder';
import { Invoicing } from './invoicing';

export class DocumentError extends UtmError {
  constructor(message: string) {
    super('UTM_DOCUMENT', message);
  }
}

export interface DocumentsModuleDeps {
  readonly db: Database;
  readonly events: BillingEvents;
  readonly scheduler: Scheduler;
  readonly params: Pick<SystemParameterService, 'get'>;
  readonly clock: Clock;
  readonly timezone: string;
  /** utm5.cfg doc_path, tmp_path, libreoffice_path, max_upload_size. */
  readonly paths: {
    readonly docPath: string;
    readonly tmpPath: string;
    readonly libreofficePath: string;
    readonly maxUploadSize: number;
  };
  readonly log: Logger;
}

export interface TemplateRecord {
  readonly id: number;
  readonly docType: number;
  readonly name: string;
  readonly path: string;
  readonly created: number;
  readonly modified: number;
}

export interface RenderedDocument {
  readonly path: string;
  readonly bytes: Buffer;
  /** Rendered now (false: the copy kept since it was first issued). */
  readonly fresh: boolean;
}

const toTemplate = (r: Record<string, unknown>): TemplateRecord => ({
  id: Number(r['id']),
  docType: Number(r['doc_type']),
  name: String(r['name']),
  path: String(r['path']),
  created: Number(r['created']),
  modified: Number(r['modified']),
});

/**
 * Documents (the manual's "Documents"): the templates by document type (the stock ones under doc_path, uploads kept
 * under doc_storage_dir), invoices (Invoicing), and the rendered ODT/PDF files. A document is rendered once and kept
 * as issued: asked again, the stored file is returned, so what was mailed is what is printed later; doc_keep_days
 * removes the old ones. PDFs come from one long-lived LibreOffice (when libreoffice_path exists).
 */
export class DocumentsModule implements Service {
  readonly name = 'documents';
  readonly invoicing: Invoicing;
  private readonly data: DocumentDataBuilder;
  private renderer: DocumentRenderer | undefined;

  constructor(private readonly d: DocumentsModuleDeps) {
    const param = (n: string) => d.params.get(n);
    this.invoicing = new Invoicing({ db: d.db, clock: d.clock, param, events: d.events, log: d.log });
    this.data = new DocumentDataBuilder(d.db.knex, param);
    d.scheduler.register({
      name: 'documents_cleaner',
      title: 'Remove rendered documents older than doc_keep_days (0: keep them forever)',
      schedule: { kind: 'periodic', periodMin: 1440, alignMin: 0 },
      enabled: true,
      runGroups: [],
      run: async (now) => `${await this.removeOld(now)} documents removed`,
    });
  }

  private param(n: string): string | undefined {
    return this.d.params.get(n);
  }

  /** Where rendered documents and uploaded templates go (doc_storage_dir, relative to the working directory). */
  private storageDir(): string {
    return resolve(this.param('doc_storage_dir') || join(this.d.paths.docPath, 'storage'));
  }

  private get pdfPossible(): boolean {
    return existsSync(this.d.paths.libreofficePath);
  }

  private rendererNow(): DocumentRenderer {
    this.renderer ??= new DocumentRenderer({
      tmpPath: this.d.paths.tmpPath,
      libreofficePath: this.pdfPossible ? this.d.paths.libreofficePath : undefined,
      log: this.d.log,
    });
    return this.renderer;
  }

  async start(): Promise<void> {
    const k = this.d.db.knex;
    const now = this.d.clock.now();
    // The stock templates are registered once; a sysadmin's edits of the files are seen on the next render.
    if (Number((await k('document_templates').count({ n: '*' }))[0]!['n']) === 0) {
      for (const t of DOC_TYPES) {
        const path = resolve(this.d.paths.docPath, `${t.name}.odt`);
        if (existsSync(path))
          await k('document_templates').insert({ doc_type: t.id, name: t.title, path, created: now, modified: now });
      }
    }
    this.d.log.debug(
      `documents: templates from ${resolve(this.d.paths.docPath)}, stored under ${this.storageDir()}, PDF ${this.pdfPossible ? `through ${this.d.paths.libreofficePath}` : 'unavailable (no libreoffice_path)'}`,
    );
  }

  async stop(): Promise<void> {
    await this.renderer?.close();
  }

  // ---- templates ----

  async templates(): Promise<TemplateRecord[]> {
    return (await this.d.db.knex('document_templates').orderBy('id')).map(toTemplate);
  }

  async template(id: number): Promise<TemplateRecord | undefined> {
    const r = await this.d.db.knex('document_templates').where({ id }).first();
    return r ? toTemplate(r) : undefined;
  }

  async templateBytes(t: TemplateRecord): Promise<Buffer> {
    return readFile(t.path);
  }

  /** The template a document type renders with for a user: its profile's, else the one of that type changed last. */
  private async templateFor(type: DocType, userId: number): Promise<TemplateRecord> {
    const k = this.d.db.knex;
    const own = await k('users as u')
      .join('document_profile_templates as pt', 'pt.profile_id', 'u.doc_profile_id')
      .join('document_templates as t', 't.id', 'pt.template_id')
      .where({ 'u.id': userId, 'pt.doc_type': type.id })
      .first('t.*');
    if (own) return toTemplate(own);
    const r = await k('document_templates')
      .where({ doc_type: type.id })
      .orderBy('modified', 'desc')
      .orderBy('id', 'desc')
      .first();
    if (!r)
      throw new DocumentError(
        `no template for ${type.title} (doc_type ${type.id}): put ${type.name}.odt in doc_path or upload one (rpcf_create_document_template)`,
      );
    return toTemplate(r);
  }

  private checkUpload(odt: Buffer): void {
    if (odt.length > this.d.paths.maxUploadSize)
      throw new DocumentError(
        `template of ${odt.length} bytes is larger than max_upload_size (${this.d.paths.maxUploadSize})`,
      );
    // An ODT is a zip whose first entry is the uncompressed "mimetype".
    if (
      odt.length < 58 ||
      odt.readUInt32LE(0) !== 0x04034b50 ||
      !odt.subarray(30, 58).toString('latin1').startsWith('mimetype')
    )
      throw new DocumentError('the uploaded template is not an OpenDocument (.odt) file');
  }

  async createTemplate(docTypeId: number, name: string, odt: Buffer): Promise<number> {
    const type = docType(docTypeId);
    if (!type)
      throw new DocumentError(
        `doc_type ${docTypeId} is not one of ${DOC_TYPES.map((t) => `${t.id} ${t.name}`).join(', ')}`,
      );
    if (name.trim() === '') throw new DocumentError('a template needs a name');
    this.checkUpload(odt);
    const now = this.d.clock.now();
    const dir = join(this.storageDir(), 'templates');
    await mkdir(dir, { recursive: true });
    return this.d.db.tx(async (trx) => {
      const [id] = await trx('document_templates').insert({
        doc_type: type.id,
        name,
        path: '',
        created: now,
        modified: now,
      });
      const path = join(dir, `${Number(id)}-${type.name}.odt`);
      await writeFile(path, odt);
      await trx('document_templates').where({ id }).update({ path });
      return Number(id);
    });
  }

  async editTemplate(id: number, docTypeId: number, name: string, odt: Buffer | undefined): Promise<void> {
    const t = await this.template(id);
    if (!t) throw new DocumentError(`document template ${id} does not exist`);
    if (!docType(docTypeId)) throw new DocumentError(`doc_type ${docTypeId} is not known`);
    let path = t.path;
    if (odt && odt.length > 0) {
      this.checkUpload(odt);
      const dir = join(this.storageDir(), 'templates');
      await mkdir(dir, { recursive: true });
      // A stock template under doc_path is not overwritten: the upload goes beside the others.
      path = join(dir, `${id}-${basename(docType(docTypeId)!.name)}.odt`);
      await writeFile(path, odt);
    }
    await this.d.db
      .knex('document_templates')
      .where({ id })
      .update({ doc_type: docTypeId, name, path, modified: this.d.clock.now() });
  }

  async removeTemplate(id: number): Promise<void> {
    const t = await this.template(id);
    if (!t) throw new DocumentError(`document template ${id} does not exist`);
    await this.d.db.knex('document_templates').where({ id }).delete();
    if (t.path.startsWith(this.storageDir())) await rm(t.path, { force: true });
  }

  // ---- rendering ----

  private async dataFor(
    type: DocType,
    baseId: number,
  ): Promise<{ data: DocumentData; userId: number; currency: string }> {
    const now = this.d.clock.now();
    if (type.base === 'invoice') {
      const inv = await this.invoicing.get(baseId);
      if (!inv) throw new DocumentError(`invoice ${baseId} does not exist`);
      const data = await this.data.invoice(inv, await this.invoicing.entries(baseId), type.name === 'call_details');
      return { data, userId: inv.userId, currency: String(data.user?.currency_short_name || 'RUB') };
    }
    if (type.base === 'payment') {
      try {
        return await this.data.payment(baseId);
      } catch (err) {
        throw new DocumentError((err as Error).message);
      }
    }
    const data = await this.data.userDocument(baseId, now).catch((err: Error) => {
      throw new DocumentError(err.message);
    });
    return { data, userId: baseId, currency: String(data.user?.currency_short_name || 'RUB') };
  }

  /**
   * A document of `doc_type` for its base (invoice, payment or user) as ODT or PDF: the stored copy when it was
   * issued before, else rendered now from the current template and stored.
   */
  async render(docTypeId: number | string, baseId: number, fileType: FileType): Promise<RenderedDocument> {
    const type = docType(docTypeId);
    if (!type)
      throw new DocumentError(
        `doc_type ${docTypeId} is not one of ${DOC_TYPES.map((t) => `${t.id} ${t.name}`).join(', ')}`,
      );
    if (fileType === 'pdf' && !this.pdfPossible)
      throw new DocumentError(
        `PDF needs LibreOffice: libreoffice_path ${this.d.paths.libreofficePath} does not exist (apt-get install libreoffice-writer-nogui)`,
      );
    const k = this.d.db.knex;
    const kept = await k('documents').where({ doc_type: type.id, base_id: baseId, file_type: fileType }).first();
    if (kept && existsSync(String(kept['path'])))
      return { path: String(kept['path']), bytes: await readFile(String(kept['path'])), fresh: false };
    const renderer = this.rendererNow();
    // An uploaded ODT stands for the document: its PDF is that file converted, not a new rendering.
    const upload = await k('documents')
      .where({ doc_type: type.id, base_id: baseId, file_type: 'odt', uploaded: true })
      .first();
    let odt: Buffer;
    let userId: number;
    let templateId = 0;
    if (upload && existsSync(String(upload['path']))) {
      odt = await readFile(String(upload['path']));
      userId = Number(upload['user_id']);
    } else {
      const d = await this.dataFor(type, baseId);
      const template = await this.templateFor(type, d.userId);
      const lang: Lang = this.param('document_language') === 'en' ? 'en' : 'ru';
      odt = await renderer.renderOdt(template.path, d.data, {
        lang,
        currency: d.currency,
        timezone: this.d.timezone,
        replacements: await this.replacements(),
      });
      userId = d.userId;
      templateId = template.id;
    }
    const bytes = fileType === 'pdf' ? await renderer.toPdf(odt) : odt;
    const dir = join(this.storageDir(), type.name);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${baseId}.${fileType}`);
    await writeFile(path, bytes);
    const row = { path, user_id: userId, template_id: templateId, created: this.d.clock.now(), uploaded: false };
    if (kept) await k('documents').where({ id: kept['id'] }).update(row);
    else await k('documents').insert({ doc_type: type.id, base_id: baseId, file_type: fileType, ...row });
    if (type.base === 'invoice') await this.invoicing.markPrinted(baseId);
    return { path, bytes, fresh: true };
  }

  /** The kept copies of documents of a type, by base id: when each file type was made. */
  async kept(docTypeId: number, baseIds: readonly number[]): Promise<Map<number, { odt?: number; pdf?: number }>> {
    const out = new Map<number, { odt?: number; pdf?: number }>();
    if (baseIds.length === 0) return out;
    const rows = await this.d.db
      .knex('documents')
      .where({ doc_type: docTypeId })
      .whereIn('base_id', baseIds)
      .select('base_id', 'file_type', 'created');
    for (const r of rows) {
      const id = Number(r['base_id']);
      out.set(id, { ...out.get(id), [String(r['file_type'])]: Number(r['created']) });
    }
    return out;
  }

  /** The provider's details as documents print them (the provider_* system parameters). */
  provider(): ProviderGroup {
    return this.data.provider();
  }

  // ---- uploaded documents ----

  /** rpcf_upload_document: an ODT stands for the document from now on (a signed contract, an edited invoice). */
  async upload(userId: number, docTypeId: number, baseId: number, odt: Buffer): Promise<void> {
    const type = docType(docTypeId);
    if (!type) throw new DocumentError(`doc_type ${docTypeId} is not known`);
    this.checkUpload(odt);
    const dir = join(this.storageDir(), type.name);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${baseId}.uploaded.odt`);
    await writeFile(path, odt);
    await this.d.db.tx(async (trx) => {
      await trx('documents').where({ doc_type: type.id, base_id: baseId }).delete();
      await trx('documents').insert({
        doc_type: type.id,
        base_id: baseId,
        user_id: userId,
        file_type: 'odt',
        path,
        template_id: 0,
        created: this.d.clock.now(),
        uploaded: true,
      });
    });
  }

  /** rpcf_revert_document / rpcf_remove_document: the kept copies (uploaded too) go; the next request renders anew. */
  async forget(docTypeId: number, baseId: number): Promise<number> {
    const k = this.d.db.knex;
    const rows = await k('documents').where({ doc_type: docTypeId, base_id: baseId }).select('id', 'path');
    for (const r of rows) await rm(String(r['path']), { force: true });
    await k('documents').where({ doc_type: docTypeId, base_id: baseId }).delete();
    return rows.length;
  }

  // ---- replacements and profiles ----

  /** The replacement list the translate and replace modifiers read (the manual's document replacements). */
  async replacements(): Promise<Map<string, string>> {
    const rows = await this.d.db.knex('document_replacements').orderBy('key');
    return new Map(rows.map((r) => [String(r['key']), String(r['value'])]));
  }

  async setReplacement(key: string, value: string): Promise<void> {
    if (key.trim() === '') throw new DocumentError('a replacement needs a key');
    await this.d.db.knex('document_replacements').insert({ key, value }).onConflict('key').merge();
  }

  async unsetReplacement(key: string): Promise<void> {
    await this.d.db.knex('document_replacements').where({ key }).delete();
  }

  async profiles(): Promise<{ id: number; name: string; created: number; modified: number }[]> {
    return (await this.d.db.knex('document_profiles').orderBy('id')).map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      created: Number(r['created']),
      modified: Number(r['modified']),
    }));
  }

  async profile(id: number) {
    const k = this.d.db.knex;
    const p = await k('document_profiles').where({ id }).first();
    if (!p) return undefined;
    const t = await k('document_profile_templates').where({ profile_id: id }).orderBy('doc_type');
    return {
      id,
      name: String(p['name']),
      created: Number(p['created']),
      modified: Number(p['modified']),
      templates: t.map((r) => ({ docType: Number(r['doc_type']), templateId: Number(r['template_id']) })),
    };
  }

  /** Creates (id 0) or changes a profile: a name and a template per document type. */
  async saveProfile(
    id: number,
    name: string,
    templates: readonly { docType: number; templateId: number }[],
  ): Promise<number> {
    if (name.trim() === '') throw new DocumentError('a document profile needs a name');
    for (const t of templates) {
      const tpl = await this.template(t.templateId);
      if (!tpl) throw new DocumentError(`document template ${t.templateId} does not exist`);
      if (tpl.docType !== t.docType)
        throw new DocumentError(`template ${t.templateId} is of doc_type ${tpl.docType}, not ${t.docType}`);
    }
    const now = this.d.clock.now();
    return this.d.db.tx(async (trx) => {
      let pid = id;
      if (pid === 0) pid = Number((await trx('document_profiles').insert({ name, created: now, modified: now }))[0]);
      else if ((await trx('document_profiles').where({ id }).update({ name, modified: now })) === 0)
        throw new DocumentError(`document profile ${id} does not exist`);
      await trx('document_profile_templates').where({ profile_id: pid }).delete();
      for (const t of templates)
        await trx('document_profile_templates').insert({
          profile_id: pid,
          doc_type: t.docType,
          template_id: t.templateId,
        });
      return pid;
    });
  }

  async removeProfile(id: number): Promise<void> {
    await this.d.db.tx(async (trx) => {
      if ((await trx('document_profiles').where({ id }).delete()) === 0)
        throw new DocumentError(`document profile ${id} does not exist`);
      await trx('document_profile_templates').where({ profile_id: id }).delete();
      await trx('users').where({ doc_profile_id: id }).update({ doc_profile_id: 0 });
    });
  }

  async setUserProfile(userId: number, profileId: number): Promise<void> {
    if (profileId !== 0 && !(await this.profile(profileId)))
      throw new DocumentError(`document profile ${profileId} does not exist`);
    if ((await this.d.db.knex('users').where({ id: userId }).update({ doc_profile_id: profileId })) === 0)
      throw new DocumentError(`user ${userId} does not exist`);
  }

  async userProfile(userId: number): Promise<number> {
    const u = await this.d.db.knex('users').where({ id: userId }).first('doc_profile_id');
    return Number(u?.['doc_profile_id'] ?? 0);
  }

  /**
   * The invoice as the invoice mail attaches it: its PDF, or its ODT where no LibreOffice is installed (a customer
   * still gets the invoice; the path's extension tells which). Rendered once and kept under doc_storage_dir.
   */
  async invoiceFile(invoiceId: number): Promise<{ readonly path: string; readonly bytes: Buffer }> {
    return this.render('invoice', invoiceId, this.pdfPossible ? 'pdf' : 'odt');
  }

  /** Rendered documents older than doc_keep_days go (files and rows); 0 keeps them. */
  async removeOld(now: number): Promise<number> {
    const days = Number(this.param('doc_keep_days') ?? 0);
    if (!(days > 0)) return 0;
    const k = this.d.db.knex;
    const old = await k('documents')
      .where('created', '<', now - days * 86400)
      .select('id', 'path');
    for (const r of old) {
      const p = String(r['path']);
      if (isAbsolute(p)) await rm(p, { force: true });
      await k('documents').where({ id: r['id'] }).delete();
    }
    return old.length;
  }
}
