/**
 * npm run resources:import -- FILE [--skip-invalid] [--merge] [--dry-run]
 *
 * Imports the operator's local resource directory from a CSV or JSON file (see
 * src/channels/resourceImport.ts for the formats). The file is checked before anything is
 * opened: one wrong line and nothing is imported (exit 1), unless --skip-invalid. By default the
 * file replaces the local directory; --merge keeps the entries it does not mention.
 * Database: MONGODB_URI, or the embedded FerretDB on DATA_DIR/ferretdb (the running assistant's
 * when it runs: scripts/database.ts).
 * Every text the operator reads comes from locales/<lng>/resourcesImport.json.
 * Exit codes: 0 imported (or dry run), 1 nothing imported (bad file, bad lines, database), 2 usage or configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CheckedResourceFile,
  CsvSeparator,
  ImportRowError,
  ResourceFileError,
  readResourceFile,
  rowErrorKey,
} from '../src/channels/resourceImport';
import { Config } from '../src/config';
import { NEED_TAGS, NEED_WORDS } from '../src/domain/resources';
import { Translate, translator } from '../src/i18n';
import { describeDatabase, openConfiguredDatabase, toolConfig } from './database';
import { ImportResult, ResourceDirectory } from '../src/store/resourceDirectory';

export interface ImportOptions {
  file: string;
  skipInvalid: boolean;
  merge: boolean;
  dryRun: boolean;
}

export type ParsedArgs = { options: ImportOptions } | { help: true } | { usageError: string };

/** argv after the script name. `t` gives the usage error texts. */
export function parseArgs(argv: string[], t: Translate): ParsedArgs {
  const flags = { skipInvalid: false, merge: false, dryRun: false };
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg === '--skip-invalid') flags.skipInvalid = true;
    else if (arg === '--merge') flags.merge = true;
    else if (arg === '--dry-run') flags.dryRun = true;
    else if (arg.startsWith('-') && arg !== '-') return { usageError: t('resourcesImport.usage.unknownOption', { option: arg }) };
    else files.push(arg);
  }
  if (files.length === 0) return { usageError: t('resourcesImport.usage.missingFile') };
  if (files.length > 1) return { usageError: t('resourcesImport.usage.tooManyFiles', { files: files.join(', ') }) };
  return { options: { file: files[0], ...flags } };
}

/**
 * `npm run resources:import FILE --dry-run` without the `--`: npm takes the options for its own
 * and the script never sees them; they only show in npm_config_* variables. Ignoring them would
 * replace the directory when a dry run was asked for, so they are read from there.
 */
export function npmSwallowedFlags(env: NodeJS.ProcessEnv): { flags: Partial<Omit<ImportOptions, 'file'>>; names: string[] } {
  if (!env.npm_lifecycle_event?.startsWith('resources:import')) return { flags: {}, names: [] };
  const flags: Partial<Omit<ImportOptions, 'file'>> = {};
  const names: string[] = [];
  const read = (variable: string, flag: keyof Omit<ImportOptions, 'file'>, name: string) => {
    if (env[variable] === 'true') { flags[flag] = true; names.push(name); }
  };
  read('npm_config_dry_run', 'dryRun', '--dry-run');
  read('npm_config_skip_invalid', 'skipInvalid', '--skip-invalid');
  read('npm_config_merge', 'merge', '--merge');
  return { flags, names };
}

export interface Output {
  /** The report: what was read, the wrong lines, the summary. */
  out(line: string): void;
  /** Why nothing (or not everything) was imported. */
  err(line: string): void;
}

export interface OpenedDirectory {
  directory: ResourceDirectory;
  /** One line saying which database is written to. */
  description: string;
  close(): Promise<void>;
}

const SEPARATOR_KEY: Record<CsvSeparator, string> = { ';': 'semicolon', ',': 'comma', '\t': 'tab' };

/** The needs a file may give: each tag, then the theme labels and words that lead to it, one tag a line. */
export const acceptedNeeds = () => NEED_TAGS.map((tag) => `  - ${tag} : ${NEED_WORDS[tag].join(', ')}`).join('\n');

/** A value as one short line: cells may hold line breaks. */
const shown = (value: string) => {
  const flat = value.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
};

/**
 * One problem as a report line. `labels` (the file's fieldLabels) names a field as the file's own
 * header does (« Vérifié le » rather than checkedAt).
 */
export function describeRowError(e: ImportRowError, unit: CheckedResourceFile['unit'], t: Translate, labels: Partial<Record<string, string>> = {}): string {
  const where = t(`resourcesImport.at.${unit}`, { n: e.line });
  const field = labels[e.field] ?? e.field;
  const reason = t(rowErrorKey(e.reason));
  const value = e.value !== undefined && e.value !== '' ? shown(e.value) : undefined;
  const key = `resourcesImport.problem.${e.field ? 'field' : 'row'}${value !== undefined ? 'Value' : ''}`;
  return t(key, { where, field, reason, value });
}

/**
 * Checks the file, then (when it may be imported) opens the database and writes it.
 * Returns the process exit code. The database is opened only for a file worth importing.
 */
export async function importResourceFile(
  options: ImportOptions,
  openDirectory: () => Promise<OpenedDirectory>,
  t: Translate,
  io: Output,
): Promise<number> {
  const fileName = path.basename(options.file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(options.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? t(`resourcesImport.fileUnreadableReason.${code}`) : code ?? (err as Error).message;
    io.err(t('resourcesImport.fileUnreadable', { file: options.file, detail: reason }));
    return 1;
  }

  let checked: CheckedResourceFile;
  try {
    checked = readResourceFile(bytes, fileName);
  } catch (err) {
    if (!(err instanceof ResourceFileError)) throw err;
    const key = err.reason === 'invalid_json' && err.params.line !== undefined ? 'invalid_json_at' : err.reason;
    io.err(t(`resourcesImport.fileError.${key}`, { file: fileName, ...err.params }));
    if (err.reason === 'missing_columns') io.err(t('resourcesImport.expectedColumns', { columns: err.params.expected }));
    io.err(t('resourcesImport.nothingImported'));
    return 1;
  }

  io.out(checked.format === 'csv'
    ? t('resourcesImport.read.csv', { file: fileName, separator: t(`resourcesImport.separator.${SEPARATOR_KEY[checked.separator ?? ';']}`) })
    : t('resourcesImport.read.json', { file: fileName }));
  if (checked.encoding === 'windows-1252') io.out(t('resourcesImport.encodingFallback'));
  if (checked.ignoredColumns.length > 0) {
    io.out(t('resourcesImport.ignoredColumns', { columns: checked.ignoredColumns.join(', ') }));
    io.out(t('resourcesImport.expectedColumns', { columns: checked.expectedColumns.join(', ') }));
  }

  const plural = checked.unit === 'line' ? 'lines' : 'entries';
  const skipped = checked.invalidLines.length;
  if (skipped > 0) {
    io.out(t(`resourcesImport.${options.skipInvalid ? 'skipped' : 'invalid'}.${plural}`, { count: skipped }));
    for (const e of checked.errors) io.out(describeRowError(e, checked.unit, t, checked.fieldLabels));
    if (checked.errors.some((e) => e.reason === 'unknown_need')) io.out(t('resourcesImport.knownNeeds', { needs: acceptedNeeds() }));
    if (!options.skipInvalid) {
      io.err(t('resourcesImport.abort'));
      return 1;
    }
  }
  if (checked.entries.length === 0) {
    io.err(t('resourcesImport.noValidEntries'));
    return 1;
  }

  let opened: OpenedDirectory;
  try {
    opened = await openDirectory();
  } catch (err) {
    io.err(t('resourcesImport.db.unreachable', { detail: (err as Error).message }));
    io.err(t('resourcesImport.nothingImported'));
    return 1;
  }
  try {
    io.out(opened.description);
    io.out(t(`resourcesImport.mode.${options.merge ? 'merge' : 'replace'}`));
    let result: ImportResult;
    try {
      result = options.dryRun
        ? await opened.directory.preview(checked.entries, options.merge ? 'merge' : 'replace')
        : options.merge
          ? await opened.directory.upsertLocal(checked.entries, fileName)
          : await opened.directory.replaceLocal(checked.entries, fileName);
    } catch (err) {
      io.err(t(options.dryRun ? 'resourcesImport.db.unreachable' : 'resourcesImport.db.writeFailed', { detail: (err as Error).message }));
      return 1;
    }
    const parts = {
      imported: t('resourcesImport.summary.imported', { count: result.inserted }),
      removed: t('resourcesImport.summary.removed', { count: result.removed }),
      skipped: t(`resourcesImport.summary.${checked.unit === 'line' ? 'skippedLines' : 'skippedEntries'}`, { count: skipped }),
    };
    io.out(t(`resourcesImport.summary.${options.dryRun ? 'dryRun' : 'done'}`, parts));
    return 0;
  } finally {
    await opened.close().catch(() => undefined);
  }
}

/** MONGODB_URI, or the embedded FerretDB on the assistant's data folder (scripts/database.ts). */
export async function openConfiguredDirectory(config: Config, t: Translate, io: Output): Promise<OpenedDirectory> {
  const db = await openConfiguredDatabase(config, (m) => io.err(m));
  return {
    directory: new ResourceDirectory(db.connection),
    description: describeDatabase(db, config, t, 'resourcesImport.db'),
    close: () => db.close(),
  };
}

export async function main(argv: string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const t = translator('fr');
  const help = () => t('resourcesImport.help', { needs: acceptedNeeds() });
  const args = parseArgs(argv, t);
  if ('help' in args) {
    io.out(help());
    return 0;
  }
  if ('usageError' in args) {
    io.err(args.usageError);
    io.err('');
    io.err(help());
    return 2;
  }
  const config = toolConfig(io);
  if (!config) return 2;
  const swallowed = npmSwallowedFlags(process.env);
  if (swallowed.names.length) io.out(t('resourcesImport.npmFlags', { options: swallowed.names.join(' ') }));
  // `npm run` starts scripts in the package folder; INIT_CWD is where the operator typed the command.
  const file = path.resolve(process.env.INIT_CWD || process.cwd(), args.options.file);
  return importResourceFile({ ...args.options, ...swallowed.flags, file }, () => openConfiguredDirectory(config, t, io), t, io);
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: Error) => { console.error(err.stack ?? err.message); process.exit(1); });
}
