/**
 * The batch file of utm5_payment_tool --batch: CSV with a header line naming the columns, one payment a line.
 * A field may be quoted ("..." with "" for a quote) to hold a comma; a record is one line. Blank lines and lines
 * starting with # are skipped (but counted, so that line numbers are the file's).
 */

/** What a batch line may set: the payment keys of utm5_payment_tool.cfg. */
export type BatchField =
  'account_id' | 'payment' | 'external_number' | 'payment_method' | 'user_comment' | 'admin_comment' | 'currency_id';

/** Header names (lower case, spaces and dashes read as _) and the field each one sets. */
const COLUMNS: Readonly<Record<string, BatchField>> = {
  account: 'account_id',
  account_id: 'account_id',
  amount: 'payment',
  payment: 'payment',
  external_number: 'external_number',
  ext_number: 'external_number',
  external: 'external_number',
  method: 'payment_method',
  payment_method: 'payment_method',
  comment: 'user_comment',
  user_comment: 'user_comment',
  admin_comment: 'admin_comment',
  currency: 'currency_id',
  currency_id: 'currency_id',
};

/** Every batch file names these columns: without an external number a re-run would credit the line again. */
const REQUIRED: readonly BatchField[] = ['account_id', 'payment', 'external_number'];

export class BatchFileError extends Error {}

/** One payment line as written: its line number and its fields by name. */
export interface BatchRecord {
  readonly line: number;
  readonly fields: Partial<Record<BatchField, string>>;
  /** Why the line cannot be read as a payment (wrong field count, bad quoting); set instead of fields. */
  readonly problem?: string;
}

/** Splits one CSV line into fields; undefined when a quote is not closed. */
export function splitCsvLine(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      const comma = text.indexOf(',', i);
      const rest = comma < 0 ? text.slice(i) : text.slice(i, comma);
      if (rest.trim() !== '') return undefined; // text after a closing quote
      i = comma < 0 ? text.length : comma;
    } else {
      const comma = text.indexOf(',', i);
      field = comma < 0 ? text.slice(i) : text.slice(i, comma);
      i = comma < 0 ? text.length : comma;
    }
    out.push(field.trim());
    if (i >= text.length) return out;
    i++; // the comma
  }
}

/** Reads the whole batch text: the header's columns checked (a BatchFileError names the problem), then each line. */
export function parseBatch(text: string): BatchRecord[] {
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && isSkipped(lines[h]!)) h++;
  if (h >= lines.length) throw new BatchFileError('no header line: the first line names the columns');
  const header = splitCsvLine(lines[h]!);
  if (!header) throw new BatchFileError(`line ${h + 1}: the header has an unclosed quote`);
  const columns = header.map((name, i) => {
    const field = COLUMNS[name.toLowerCase().replace(/[\s-]+/g, '_')];
    if (!field)
      throw new BatchFileError(
        `line ${h + 1}: unknown column '${name}' (column ${i + 1}); the columns are account, amount, ` +
          'external_number, method, comment, admin_comment, currency',
      );
    return field;
  });
  const missing = REQUIRED.filter((f) => !columns.includes(f));
  if (missing.length > 0)
    throw new BatchFileError(`line ${h + 1}: the header needs the columns account, amount and external_number`);
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw new BatchFileError(`line ${h + 1}: two columns set ${dup}`);
  const records: BatchRecord[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (isSkipped(raw)) continue;
    const line = i + 1;
    const values = splitCsvLine(raw);
    if (!values) {
      records.push({ line, fields: {}, problem: 'unclosed quote' });
    } else if (values.length !== columns.length) {
      records.push({
        line,
        fields: {},
        problem: `${values.length} fields where the header has ${columns.length}`,
      });
    } else {
      const fields: Partial<Record<BatchField, string>> = {};
      columns.forEach((c, k) => (fields[c] = values[k]!));
      records.push({ line, fields });
    }
  }
  return records;
}

function isSkipped(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}
