/**
 * A logical backup of the assistant's database, and its restoration: every collection's documents
 * as Extended JSON (canonical: dates, numbers and binaries keep their BSON types), one per line,
 * gzipped. Works on the embedded FerretDB (while the assistant runs, too) and on MongoDB alike: the
 * file is the same for both. Indexes are not saved: the assistant creates its own at
 * start (mongoose autoIndex), and upgrades older data (schemaVersions) as it does after an update.
 *
 * The file holds personal data: it is written readable by its owner only (0600), under a temporary
 * name renamed once complete, so a failed backup never leaves a file that looks whole.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { mongo } from 'mongoose';

const { EJSON } = mongo.BSON;

export const BACKUP_FORMAT = 'dla-assistant-backup';
export const BACKUP_VERSION = 1;
/** Documents inserted per call on restore. */
const RESTORE_BATCH = 500;

export interface BackupSummary {
  createdAt: Date;
  /** Documents per collection. */
  collections: Record<string, number>;
}

/** A file that is no backup of the assistant, or not a whole one: nothing was written from it. */
export class BackupFileError extends Error {
  constructor(readonly key: 'notABackup' | 'unknownVersion' | 'truncated' | 'badLine', readonly vars: Record<string, string | number> = {}) {
    super(key);
  }
}

/** The target database already holds documents in these collections: nothing was restored. */
export class RestoreTargetNotEmpty extends Error {
  constructor(readonly collections: { name: string; count: number }[]) {
    super('target not empty');
  }
}

/** The collections of the database, without the server's own (system.*), sorted. */
async function collectionNames(db: mongo.Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
}

/**
 * Writes every collection of `db` to `file`, gzipped, one JSON object a line: a header (format,
 * version, date), `{"c": collection, "d": document}` for each document, and a last line with the
 * count of each collection — without it the file is known to be cut short. Collections are read one
 * after the other: what a running assistant writes meanwhile may or may not be in it.
 */
export async function backupDatabase(db: mongo.Db, file: string, now = new Date()): Promise<BackupSummary> {
  const counts: Record<string, number> = {};
  const partial = `${file}.part`;
  async function* lines() {
    yield `${JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now.toISOString() })}\n`;
    for (const name of await collectionNames(db)) {
      counts[name] = 0;
      for await (const doc of db.collection(name).find({})) {
        counts[name]++;
        yield `${EJSON.stringify({ c: name, d: doc }, { relaxed: false })}\n`;
      }
    }
    yield `${JSON.stringify({ end: true, collections: counts })}\n`;
  }
  try {
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
    await fs.promises.rename(partial, file);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  return { createdAt: now, collections: counts };
}

/** Each line of a backup file, parsed; a file that is no gzip, or is cut, throws BackupFileError. */
async function* backupLines(file: string): AsyncGenerator<{ line: number; value: Record<string, unknown> }> {
  const gunzip = zlib.createGunzip();
  const source = fs.createReadStream(file);
  source.pipe(gunzip);
  source.on('error', (err) => gunzip.destroy(err));
  let line = 0;
  try {
    for await (const text of readline.createInterface({ input: gunzip, crlfDelay: Infinity })) {
      line++;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        // Plain JSON; a document's own types (dates, numbers, binaries) are read from its Extended JSON.
        value = JSON.parse(text);
      } catch {
        throw line === 1 ? new BackupFileError('notABackup') : new BackupFileError('badLine', { line });
      }
      if (!value || typeof value !== 'object') throw line === 1 ? new BackupFileError('notABackup') : new BackupFileError('badLine', { line });
      yield { line, value: value as Record<string, unknown> };
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // No gzip at all (« incorrect header check »), or gzip cut short (« unexpected end of file »).
    if (code === 'Z_DATA_ERROR') throw new BackupFileError('notABackup');
    if (code === 'Z_BUF_ERROR') throw new BackupFileError('truncated');
    throw err;
  } finally {
    source.destroy();
  }
}

/**
 * Reads a whole backup file and checks it: header, every line, and the counts of the last line.
 * `each` gets every document (none is given before the header is checked); nothing is assumed
 * whole before the last line is read — so a restore checks the file first, then writes.
 */
async function readBackup(file: string, each?: (collection: string, doc: Record<string, unknown>) => Promise<void>): Promise<BackupSummary> {
  let createdAt: Date | undefined;
  const counts: Record<string, number> = {};
  for await (const { line, value } of backupLines(file)) {
    if (line === 1) {
      if (value.format !== BACKUP_FORMAT) throw new BackupFileError('notABackup');
      if (value.version !== BACKUP_VERSION) throw new BackupFileError('unknownVersion', { version: String(value.version) });
      createdAt = new Date(String(value.createdAt));
      continue;
    }
    if (value.end === true) {
      const said = value.collections as Record<string, number> | undefined;
      const same = said && Object.keys(counts).every((c) => c in said) && Object.entries(said).every(([c, n]) => (counts[c] ?? 0) === n);
      if (!same) throw new BackupFileError('truncated');
      return { createdAt: createdAt!, collections: said! };
    }
    if (typeof value.c !== 'string' || !value.d || typeof value.d !== 'object') throw new BackupFileError('badLine', { line });
    let doc: Record<string, unknown>;
    try {
      doc = EJSON.deserialize(value.d as Record<string, unknown>, { relaxed: false }) as Record<string, unknown>;
    } catch {
      throw new BackupFileError('badLine', { line });
    }
    counts[value.c] = (counts[value.c] ?? 0) + 1;
    await each?.(value.c, doc);
  }
  throw new BackupFileError(createdAt ? 'truncated' : 'notABackup');
}

/**
 * Restores a backup into `db`, whose collections named in it must be empty (RestoreTargetNotEmpty
 * otherwise, nothing written). The file is checked whole first (BackupFileError, nothing written).
 */
export async function restoreDatabase(db: mongo.Db, file: string): Promise<BackupSummary> {
  const summary = await readBackup(file);
  const existing = new Set(await collectionNames(db));
  const occupied: { name: string; count: number }[] = [];
  for (const name of Object.keys(summary.collections)) {
    if (!existing.has(name)) continue;
    const count = await db.collection(name).estimatedDocumentCount();
    if (count > 0) occupied.push({ name, count });
  }
  if (occupied.length) throw new RestoreTargetNotEmpty(occupied);
  let pending: { collection: string; docs: Record<string, unknown>[] } | undefined;
  const flush = async () => {
    if (pending) await db.collection(pending.collection).insertMany(pending.docs, { ordered: true });
    pending = undefined;
  };
  await readBackup(file, async (collection, doc) => {
    if (pending && (pending.collection !== collection || pending.docs.length >= RESTORE_BATCH)) await flush();
    pending ??= { collection, docs: [] };
    pending.docs.push(doc);
  });
  await flush();
  return summary;
}
