import path from 'node:path';
import { LocalResource, ResourceRowError, ResourceRowErrorReason, parseResourceRow, validateResourceRows } from '../domain/resources';
import { normalize } from '../domain/text';

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

/** The fields of an entry an operator file may give, as columns (CSV) or keys (JSON). */
export const RESOURCE_COLUMNS = ['id', 'name', 'needs', 'departements', 'url', 'contact', 'checkedBy', 'checkedAt', 'scope'] as const;
export type ResourceColumn = (typeof RESOURCE_COLUMNS)[number];
/** A CSV header without one of these cannot give a single valid row. Without an id, one is derived (derivedResourceId). */
export const REQUIRED_COLUMNS: readonly ResourceColumn[] = ['name', 'needs', 'departements', 'checkedBy', 'checkedAt'];

/**
 * Where a column goes: a field, or one part of the contact. An Excel directory often has
 * « Adresse », « Téléphone » and « Courriel » columns where the import has one `contact`: the
 * parts a row fills are joined (one per line, in the file's column order) into its contact.
 */
export type HeaderTarget = ResourceColumn | 'address' | 'phone' | 'email';
export const CONTACT_PARTS: readonly HeaderTarget[] = ['contact', 'address', 'phone', 'email'];

/**
 * The names each column may have: the technical (English) ones, the first being the field's own
 * name, and the French ones, the first being the name shown to a file with French headers.
 * Matched without regard to case, accents, spaces, underscores, hyphens or other punctuation
 * (« Site web » = « site_web » = « SITE-WEB », « Département(s) » = « departements »).
 * Not here on purpose: « Type » and « Description » (no such field: the import has no place for
 * them, they are reported as ignored), « Périmètre » (often a place, where `scope` must be
 * « local »). README.md § Importing the local resource directory lists this table: keep both in step.
 */
export const COLUMN_ALIASES: Record<HeaderTarget, { technical: readonly string[]; fr: readonly string[] }> = {
  id: { technical: ['id', 'identifier', 'reference', 'ref'], fr: ['Identifiant', 'Référence', 'Réf', 'Code'] },
  name: { technical: ['name'], fr: ['Nom', 'Nom de la structure', 'Structure', 'Organisme', 'Intitulé'] },
  needs: { technical: ['needs', 'need', 'themes', 'theme'], fr: ['Besoins', 'Besoin', 'Thèmes', 'Thème', 'Thématiques', 'Thématique'] },
  departements: { technical: ['departements', 'departement', 'departments', 'department'], fr: ['Départements', 'Département', 'Dép', 'Dépt'] },
  url: { technical: ['url', 'website', 'site', 'link'], fr: ['Site web', 'Site', 'Site internet', 'Lien'] },
  contact: { technical: ['contact'], fr: ['Contact', 'Coordonnées'] },
  address: { technical: ['address'], fr: ['Adresse'] },
  phone: { technical: ['phone', 'telephone'], fr: ['Téléphone', 'Tél', 'Tel'] },
  email: { technical: ['email', 'mail'], fr: ['Courriel', 'E-mail', 'Mail', 'Mél', 'Adresse électronique'] },
  checkedBy: { technical: ['checkedBy', 'checked by'], fr: ['Vérifié par', 'Vérifiée par', 'Vérifié(e) par', 'Vérificateur', 'Vérificatrice'] },
  checkedAt: { technical: ['checkedAt', 'checked at', 'checked on'], fr: ['Vérifié le', 'Vérifiée le', 'Vérifié(e) le', 'Date de vérification', 'Dernière vérification'] },
  scope: { technical: ['scope'], fr: ['Portée'] },
};

/** How headers are compared: « Vérifié le » → "verifiele", "checked_at" → "checkedat". */
export function headerKey(name: string): string {
  return normalize(name).replace(/[^a-z0-9]/g, '');
}

export type HeaderStyle = 'fr' | 'technical';
interface HeaderMatch { target: HeaderTarget; styles: Set<HeaderStyle> }
const HEADERS = new Map<string, HeaderMatch>();
for (const [target, names] of Object.entries(COLUMN_ALIASES) as [HeaderTarget, { technical: readonly string[]; fr: readonly string[] }][]) {
  for (const style of ['technical', 'fr'] as const) {
    for (const name of names[style]) {
      const key = headerKey(name);
      const known = HEADERS.get(key);
      if (known && known.target !== target) throw new Error(`resource column alias "${name}" names both ${known.target} and ${target}`);
      if (known) known.styles.add(style);
      else HEADERS.set(key, { target, styles: new Set([style]) });
    }
  }
}

/** What a header (or JSON key) names, if anything. */
export function headerTarget(name: string): HeaderTarget | undefined {
  return HEADERS.get(headerKey(name))?.target;
}

/**
 * French when more recognised headers are French-only (« Nom », « Vérifié le ») than
 * technical-only (name, checkedAt); names both styles share (« Contact », « id »…) do not count.
 */
function headerStyle(names: string[]): HeaderStyle {
  let fr = 0;
  let technical = 0;
  for (const name of names) {
    const styles = HEADERS.get(headerKey(name))?.styles;
    if (styles?.size !== 1) continue;
    if (styles.has('fr')) fr++;
    else technical++;
  }
  return fr > technical ? 'fr' : 'technical';
}

/** The name of a column shown to the operator, in the style of the file's own headers. */
export function columnName(target: HeaderTarget, style: HeaderStyle): string {
  return style === 'fr' ? COLUMN_ALIASES[target].fr[0] : COLUMN_ALIASES[target].technical[0];
}

const ALL_TARGETS = Object.keys(COLUMN_ALIASES) as HeaderTarget[];
const fieldOf = (target: HeaderTarget): ResourceColumn => (CONTACT_PARTS.includes(target) ? 'contact' : target as ResourceColumn);

export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvSeparator = ';' | ',' | '\t';

/** Problems with the file as a whole: nothing in it can be trusted, so nothing is imported. */
export type ResourceFileErrorReason =
  | 'empty' // nothing but blanks
  | 'no_rows' // a header (or an empty list) and no entry
  | 'unterminated_quote' // params.line: where the quote opened
  | 'missing_columns' // params.line, params.columns, params.found, params.expected (named in the file's style)
  | 'duplicate_column' // params.line, params.column and params.other (both as written), params.field
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
export type ImportRowErrorReason = ResourceRowErrorReason | 'extra_fields' | 'not_object' | 'duplicate_key';

export interface ImportRowError extends Omit<ResourceRowError, 'reason'> {
  reason: ImportRowErrorReason;
  /** Empty for problems of the whole row (extra_fields, not_object). duplicate_key: value names both keys. */
  field: string;
}

/** The i18n key explaining a reason: the domain's under resources.rowError, the reader's own under resourcesImport.rowError. */
export function rowErrorKey(reason: ImportRowErrorReason): string {
  return reason === 'extra_fields' || reason === 'not_object' || reason === 'duplicate_key'
    ? `resourcesImport.rowError.${reason}`
    : `resources.rowError.${reason}`;
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
  /** Columns or keys that name no field (COLUMN_ALIASES), as written in the file: ignored. */
  ignoredColumns: string[];
  /** Whether the file's headers (or keys) are mostly French or technical: how to name columns to the operator. */
  columnStyle: HeaderStyle;
  /** The columns the file can use, named in its style (for the operator who wrote an unknown one). */
  expectedColumns: string[];
  /** Field → the header (or first key) the file gives it, as written, else its name in columnStyle: how errors name the field. */
  fieldLabels: Record<ResourceColumn, string>;
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

/** The contact of a row from its contact columns (or keys), in order: one per line. */
function joinContact(parts: unknown[]): string | undefined {
  const texts = parts.map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')).filter(Boolean);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

const expectedColumns = (style: HeaderStyle) => ALL_TARGETS.map((c) => columnName(c, style));
/** Each field by the header the file gives it, else by its name in the file's style. */
const labelled = (found: Partial<Record<ResourceColumn, string>>, style: HeaderStyle) =>
  Object.fromEntries(RESOURCE_COLUMNS.map((c) => [c, found[c] ?? columnName(c, style)])) as Record<ResourceColumn, string>;

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

  const style = headerStyle(header.fields);
  const columns: (HeaderTarget | undefined)[] = [];
  const ignoredColumns: string[] = [];
  const fieldLabels: Partial<Record<ResourceColumn, string>> = {};
  header.fields.forEach((raw) => {
    const name = raw.trim();
    const target = headerTarget(name);
    const first = target === undefined ? -1 : columns.indexOf(target);
    if (target && first >= 0) {
      throw new ResourceFileError('duplicate_column', { line: header.line, column: header.fields[first].trim(), other: name, field: columnName(target, style) });
    }
    if (!target && name) ignoredColumns.push(name);
    columns.push(target);
    if (target) fieldLabels[fieldOf(target)] ??= name;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const found = header.fields.map((f) => f.trim()).filter(Boolean).join(', ');
    throw new ResourceFileError('missing_columns', {
      line: header.line,
      columns: missing.map((c) => columnName(c, style)).join(', '),
      found: found || '—',
      expected: expectedColumns(style).join(', '),
    });
  }
  if (data.length === 0) throw new ResourceFileError('no_rows');

  const rows = data.map(({ line, fields: cells }): SourceRow => {
    const fields: Record<string, unknown> = {};
    const contact: unknown[] = [];
    cells.forEach((cell, i) => {
      const c = columns[i];
      if (c && CONTACT_PARTS.includes(c)) contact.push(cell);
      else if (c) fields[c] = cell;
    });
    const joined = joinContact(contact);
    if (joined !== undefined) fields.contact = joined;
    const extra = cells.slice(columns.length).filter((cell) => cell.trim() !== '');
    const problems: ImportRowError[] = extra.length > 0
      ? [{ line, field: '', reason: 'extra_fields', value: extra.join(separator) }]
      : [];
    return { line, fields, problems };
  });
  return { format: 'csv', unit: 'line', encoding, separator, ignoredColumns, columnStyle: style, expectedColumns: expectedColumns(style), fieldLabels: labelled(fieldLabels, style), rows };
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

  const style = headerStyle([...new Set(list.flatMap((item: unknown) => (isObject(item) ? Object.keys(item) : [])))]);
  const ignored = new Set<string>();
  const fieldLabels: Partial<Record<ResourceColumn, string>> = {};
  const rows = list.map((item: unknown, index): SourceRow => {
    const line = index + 1;
    if (!isObject(item)) return { line, problems: [{ line, field: '', reason: 'not_object', value: JSON.stringify(item) ?? String(item) }] };
    const fields: Record<string, unknown> = {};
    const keyOf = new Map<HeaderTarget, string>();
    const contact: unknown[] = [];
    const problems: ImportRowError[] = [];
    for (const [key, value] of Object.entries(item)) {
      const target = headerTarget(key);
      if (!target) { ignored.add(key); continue; }
      const field = fieldOf(target);
      fieldLabels[field] ??= key;
      const other = keyOf.get(target);
      // Two keys for one field: which one is right is the operator's call, not the import's.
      if (other !== undefined) problems.push({ line, field, reason: 'duplicate_key', value: `${other}, ${key}` });
      keyOf.set(target, key);
      if (field === 'contact') contact.push(value);
      else fields[field] = value;
    }
    const joined = joinContact(contact);
    if (joined !== undefined) fields.contact = joined;
    return { line, fields, problems };
  });
  return { format: 'json', unit: 'entry', encoding, ignoredColumns: [...ignored], columnStyle: style, expectedColumns: expectedColumns(style), fieldLabels: labelled(fieldLabels, style), rows };
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
