import path from 'node:path';
import { LocalResource, ResourceRowError, ResourceRowErrorReason, parseResourceRow, validateResourceRows } from '../domain/resources';

/**
 * Reads an operator's local resource file (CSV or JSON) into rows numbered as the operator sees
 * them, then checks them with the domain rules (src/domain/resources.ts). No database here:
 * scripts/resources-import.ts writes the result with src/store/resourceDirectory.ts.
 *
 * CSV: UTF-8 with or without BOM (a file that is not UTF-8 is read as Windows-1252, what Excel's
 * plain "CSV" export writes on a French Windows; UTF-16 with a BOM is read too); the separator is
 * taken from the header line (`;` from a French Excel, `,`, or a tab) unless an Excel `sep=;`
 * line says it; RFC 4180 quoting (separators, `""` and line breaks inside quotes). A row's number
 * is the physical line its record starts on, the header being line 1.
 * JSON: an array of objects, or `{ "resources": [...] }`; a row's number is its index + 1 ("entrée n").
 */

/** The columns (CSV) or keys (JSON) an operator file may use, matched without regard to case. */
export const RESOURCE_COLUMNS = ['id', 'name', 'needs', 'departements', 'url', 'contact', 'checkedBy', 'checkedAt', 'scope'] as const;
export type ResourceColumn = (typeof RESOURCE_COLUMNS)[number];
/** A CSV header without one of these cannot give a single valid row. */
export const REQUIRED_COLUMNS: readonly ResourceColumn[] = ['id', 'name', 'needs', 'departements', 'checkedBy', 'checkedAt'];

export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvSeparator = ';' | ',' | '\t';

/** Problems with the file as a whole: nothing in it can be trusted, so nothing is imported. */
export type ResourceFileErrorReason =
  | 'empty' // nothing but blanks
  | 'no_rows' // a header (or an empty list) and no entry
  | 'unterminated_quote' // params.line: where the quote opened
  | 'missing_columns' // params.line, params.columns, params.found
  | 'duplicate_column' // params.line, params.column
  | 'invalid_json' // params.detail, and params.line when the parser gave a position
  | 'json_shape'; // neither an array nor { "resources": [...] }

export class ResourceFileError extends Error {
  constructor(
    public readonly reason: ResourceFileErrorReason,
    /** Interpolation values for the i18n text resourcesImport.fileError.<reason>. */
    public readonly params: Record<string, string | number> = {},
  ) {
    super(`resource file: ${reason}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'ResourceFileError';
  }
}

/** Row problems seen while reading the file, before the domain rules. */
export type ImportRowErrorReason = ResourceRowErrorReason | 'extra_fields' | 'not_object';

export interface ImportRowError extends Omit<ResourceRowError, 'reason'> {
  reason: ImportRowErrorReason;
  /** Empty for problems of the whole row (extra_fields, not_object). */
  field: string;
}

/** The i18n key explaining a reason: the domain's under resources.rowError, the reader's own under resourcesImport.rowError. */
export function rowErrorKey(reason: ImportRowErrorReason): string {
  return reason === 'extra_fields' || reason === 'not_object' ? `resourcesImport.rowError.${reason}` : `resources.rowError.${reason}`;
}

export interface SourceRow {
  /** CSV: physical line where the record starts (header = 1). JSON: index + 1. */
  line: number;
  /** Canonical column → raw value; undefined when the JSON entry is not an object. */
  fields?: Record<string, unknown>;
  problems: ImportRowError[];
}

export interface ParsedResourceFile {
  format: 'csv' | 'json';
  /** How rows are numbered for the operator: "ligne n" (CSV) or "entrée n" (JSON). */
  unit: 'line' | 'entry';
  encoding: FileEncoding;
  separator?: CsvSeparator;
  /** Columns or keys that are not RESOURCE_COLUMNS, as written in the file: ignored. */
  ignoredColumns: string[];
  rows: SourceRow[];
}

export interface CheckedResourceFile extends ParsedResourceFile {
  /** The valid entries, in file order. */
  entries: LocalResource[];
  /** Every problem, by row number. */
  errors: ImportRowError[];
  /** Row numbers with at least one problem, ascending. */
  invalidLines: number[];
}

// ——— Bytes → text ———

export function decodeFile(bytes: Uint8Array): { text: string; encoding: FileEncoding } {
  const strip = (text: string) => text.replace(/^\uFEFF/, '');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strip(new TextDecoder('utf-16le').decode(bytes)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strip(new TextDecoder('utf-16be').decode(bytes)), encoding: 'utf-16be' };
  try {
    return { text: strip(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: an accented letter in Windows-1252 is never a valid UTF-8 sequence, so this
    // fallback does not misread UTF-8 files; it saves "Cr�teil" from being imported.
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

// ——— CSV ———

export interface CsvRecord {
  /** Physical line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records, each with the physical line it starts on (CRLF, LF or CR line ends).
 * Lenient where spreadsheets are: a quote inside an unquoted field is kept as text, text after a
 * closing quote is appended. Line breaks inside quotes become "\n". An unclosed quote is an error:
 * otherwise it would silently swallow the rest of the file into one cell.
 */
export function parseCsv(text: string, separator: string, firstLine = 1): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quotedField = false; // the current field opened with a quote
  let inQuotes = false;
  let line = firstLine;
  let recordLine = firstLine;
  let quoteLine = firstLine;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        field += '\n';
        line++;
      } else field += c;
    } else if (c === '"' && field === '' && !quotedField) {
      inQuotes = true;
      quotedField = true;
      quoteLine = line;
    } else if (c === separator) {
      fields.push(field);
      field = '';
      quotedField = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (inQuotes) throw new ResourceFileError('unterminated_quote', { line: quoteLine });
  if (fields.length > 0 || field !== '' || quotedField) endRecord();
  return records;
}

/** The separator used most often outside quotes in the header line; `;` on a tie. */
export function detectSeparator(headerLine: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ';': 0, ',': 0, '\t': 0 };
  let inQuotes = false;
  for (const c of headerLine) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c in counts) counts[c as CsvSeparator]++;
  }
  return (Object.keys(counts) as CsvSeparator[]).reduce((best, s) => (counts[s] > counts[best] ? s : best), ';');
}

const canonical = new Map<string, ResourceColumn>(RESOURCE_COLUMNS.map((c) => [c.toLowerCase(), c]));
const columnOf = (name: string): ResourceColumn | undefined => canonical.get(name.trim().toLowerCase());
const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');

export function parseResourceCsv(text: string, encoding: FileEncoding = 'utf-8'): ParsedResourceFile {
  let firstLine = 1;
  let separator: CsvSeparator | undefined;
  // Excel writes (and reads) a first line "sep=;" to say which separator the file uses.
  const sepLine = /^"?sep=([;,\t])"?[ \t]*(\r\n|\n|\r|$)/i.exec(text);
  if (sepLine) {
    separator = sepLine[1] as CsvSeparator;
    text = text.slice(sepLine[0].length);
    firstLine = 2;
  }
  const leadingBlank = /^(?:[ \t]*(?:\r\n|\n|\r))*/.exec(text)![0];
  const headerText = text.slice(leadingBlank.length).split(/\r\n|\n|\r/, 1)[0];
  separator ??= detectSeparator(headerText);

  const records = parseCsv(text, separator, firstLine).filter((r) => !isBlank(r.fields));
  if (records.length === 0) throw new ResourceFileError('empty');
  const [header, ...data] = records;

  const columns: (ResourceColumn | undefined)[] = [];
  const ignoredColumns: string[] = [];
  for (const name of header.fields) {
    const column = columnOf(name);
    if (column && columns.includes(column)) throw new ResourceFileError('duplicate_column', { line: header.line, column });
    if (!column && name.trim()) ignoredColumns.push(name.trim());
    columns.push(column);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const found = header.fields.map((f) => f.trim()).filter(Boolean).join(', ');
    throw new ResourceFileError('missing_columns', { line: header.line, columns: missing.join(', '), found: found || '—' });
  }
  if (data.length === 0) throw new ResourceFileError('no_rows');

  const rows = data.map(({ line, fields: cells }): SourceRow => {
    const fields: Record<string, unknown> = {};
    cells.forEach((cell, i) => { const c = columns[i]; if (c) fields[c] = cell; });
    const extra = cells.slice(columns.length).filter((cell) => cell.trim() !== '');
    const problems: ImportRowError[] = extra.length > 0
      ? [{ line, field: '', reason: 'extra_fields', value: extra.join(separator) }]
      : [];
    return { line, fields, problems };
  });
  return { format: 'csv', unit: 'line', encoding, separator, ignoredColumns, rows };
}

// ——— JSON ———

export function parseResourceJson(text: string, encoding: FileEncoding = 'utf-8'): ParsedResourceFile {
  if (text.trim() === '') throw new ResourceFileError('empty');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 gives "… in JSON at position 42" for most mistakes (not for an unexpected token).
    const detail = (err as Error).message.replace(/\s*\n\s*/g, ' ');
    const position = /position (\d+)/.exec(detail);
    const line = position ? text.slice(0, Number(position[1])).split(/\r\n|\n|\r/).length : undefined;
    throw new ResourceFileError('invalid_json', { detail, ...(line ? { line } : {}) });
  }
  const list = Array.isArray(data)
    ? data
    : isObject(data) && Array.isArray(data.resources) ? data.resources : undefined;
  if (!list) throw new ResourceFileError('json_shape');
  if (list.length === 0) throw new ResourceFileError('no_rows');

  const ignored = new Set<string>();
  const rows = list.map((item: unknown, index): SourceRow => {
    const line = index + 1;
    if (!isObject(item)) return { line, problems: [{ line, field: '', reason: 'not_object', value: JSON.stringify(item) ?? String(item) }] };
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      const column = columnOf(key);
      if (column) fields[column] = value;
      else ignored.add(key);
    }
    return { line, fields, problems: [] };
  });
  return { format: 'json', unit: 'entry', encoding, ignoredColumns: [...ignored], rows };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ——— File → checked entries ———

/** By extension (.json, or .csv/.tsv/.txt), else by content: JSON starts with `[` or `{`. */
export function detectFormat(fileName: string, text: string): 'csv' | 'json' {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

export function parseResourceFile(bytes: Uint8Array, fileName: string): ParsedResourceFile {
  const { text, encoding } = decodeFile(bytes);
  if (text.trim() === '') throw new ResourceFileError('empty');
  return detectFormat(fileName, text) === 'json' ? parseResourceJson(text, encoding) : parseResourceCsv(text, encoding);
}

/** Applies the domain rules (validateResourceRows, parseResourceRow) with the file's own row numbers. */
export function checkResourceRows(file: ParsedResourceFile): CheckedResourceFile {
  const objects = file.rows.filter((r): r is SourceRow & { fields: Record<string, unknown> } => r.fields !== undefined);
  // The domain numbers rows consecutively; number them by index and map back to the real lines
  // (a quoted line break makes a CSV record span several lines).
  const domainErrors: ImportRowError[] = validateResourceRows(objects.map((r) => r.fields), 0)
    .map((e) => ({ ...e, line: objects[e.line].line }));
  const errors = [...file.rows.flatMap((r) => r.problems), ...domainErrors].sort((a, b) => a.line - b.line);
  const invalid = new Set(errors.map((e) => e.line));
  const entries = objects
    .filter((r) => !invalid.has(r.line))
    .flatMap((r) => parseResourceRow(r.fields, r.line).resource ?? []);
  return { ...file, entries, errors, invalidLines: [...invalid].sort((a, b) => a - b) };
}

/** Reads and checks an operator file. Throws ResourceFileError when the file as a whole is unusable. */
export function readResourceFile(bytes: Uint8Array, fileName: string): CheckedResourceFile {
  return checkResourceRows(parseResourceFile(bytes, fileName));
}
