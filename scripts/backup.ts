/**
 * npm run db:backup [-- FILE]   — writes the whole database to a gzipped file (default
 *                                 backups/dla-YYYY-MM-DD-HHMMSS.jsonl.gz), the assistant running or not;
 * npm run db:restore -- FILE    — restores such a file into an empty database, the assistant stopped;
 *   [--reapply REGISTER.json]     then erases again the dossiers of the erasure register's file
 *                                 (back-office) that the backup brought back.
 *
 * Database: MONGODB_URI, or the embedded FerretDB on DATA_DIR/ferretdb (scripts/database.ts).
 * Every text the operator reads comes from locales/<lng>/backup.json.
 * Exit codes: 0 done, 1 nothing done (database unreachable, not empty, the assistant running, a
 * file that is no whole backup), 2 usage or configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { translator } from '../src/i18n';
import { BackupFileError, backupDatabase, BackupSummary, restoreDatabase, RestoreTargetNotEmpty } from '../src/store/backup';
import { rebuildSummaries } from '../src/store/summaries';
import { Erasure, ErasuresFileError, readErasuresFile } from '../src/privacy/erasures';
import { DataExports } from '../src/privacy/exports';
import { DossierRepository } from '../src/store/dossiers';
import { botStateStorage } from '../src/store/mongoStorage';
import { PrivacyService } from '../src/store/privacy';
import { MongoTranscriptStore } from '../src/store/transcripts';
import { openToolDatabase, toolConfig } from './database';
import type { Output } from './resources-import';

const t = translator('fr');

/** backups/dla-2026-11-28-031500.jsonl.gz: the local time, sortable. */
export function defaultBackupFile(now: Date, dir = 'backups'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return path.join(dir, `dla-${day}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.jsonl.gz`);
}

const total = (s: BackupSummary) => Object.values(s.collections).reduce((a, b) => a + b, 0);

/** `--reapply FILE` (or `--reapply=FILE`) taken out of the restore's arguments: its file, '' when it names none. */
function reapplyOption(args: string[]): { args: string[]; reapply?: string } {
  const at = args.findIndex((a) => a === '--reapply' || a.startsWith('--reapply='));
  if (at < 0) return { args };
  const inline = args[at].startsWith('--reapply=');
  const reapply = inline ? args[at].slice('--reapply='.length) : args[at + 1] ?? '';
  return { args: args.filter((_, i) => i !== at && (inline || i !== at + 1)), reapply: reapply.startsWith('-') ? '' : reapply };
}

/** The erasure register's entries (--reapply), read before anything is restored; undefined after saying why not. */
function readRegister(file: string, io: Output): Erasure[] | undefined {
  try {
    return readErasuresFile(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (!(err instanceof ErasuresFileError)) throw err;
    io.err(t(`backup.register.${err.key}`, { file, ...err.vars }));
    return undefined;
  }
}

export async function main(argv: string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [command, ...given] = argv;
  if (given.some((a) => a === '--help' || a === '-h') || (command !== 'backup' && command !== 'restore')) {
    io.out(t('backup.help'));
    return command === 'backup' || command === 'restore' ? 0 : 2;
  }
  const { args, reapply } = command === 'restore' ? reapplyOption(given) : { args: given, reapply: undefined };
  if (args.length > 1 || args.some((a) => a.startsWith('-')) || (command === 'restore' && args.length !== 1) || reapply === '') {
    io.err(t(command === 'restore' ? 'backup.restoreUsage' : 'backup.backupUsage'));
    return 2;
  }
  const file = path.resolve(args[0] ?? defaultBackupFile(new Date()));
  if (command === 'backup' && fs.existsSync(file)) {
    io.err(t('backup.exists', { file }));
    return 2;
  }
  if (command === 'restore' && !fs.existsSync(file)) {
    io.err(t('backup.missing', { file }));
    return 2;
  }
  const register = reapply === undefined ? undefined : path.resolve(reapply);
  if (register !== undefined && !fs.existsSync(register)) {
    io.err(t('backup.missing', { file: register }));
    return 2;
  }
  const erasures = register === undefined ? undefined : readRegister(register, io);
  if (register !== undefined && !erasures) return 1;
  const config = toolConfig(io);
  if (!config) return 2;
  const db = await openToolDatabase(config, io, t, 'backup');
  if (!db) return 1;
  try {
    const when = (d: Date) => d.toLocaleString('fr-FR', { timeZone: config.operator.timeZone, dateStyle: 'long', timeStyle: 'short' });
    if (command === 'backup') {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const summary = await backupDatabase(db.connection.db!, file);
      const kb = Math.max(1, Math.round((await fs.promises.stat(file)).size / 1024));
      io.out(t('backup.written', { file, documents: total(summary), collections: Object.keys(summary.collections).length, kb }));
      io.out(t('backup.personalData', { months: config.dataRetentionMonths }));
      return 0;
    }
    // The running assistant keeps bot state in memory and writes on: it must not see its database change under it.
    if (db.shared) {
      io.err(t('backup.running'));
      return 1;
    }
    const summary = await restoreDatabase(db.connection.db!, file);
    // The back-office's summaries as the dossiers restored say (a backup reads one collection after another).
    await rebuildSummaries(db.connection);
    io.out(t('backup.restored', { documents: total(summary), collections: Object.keys(summary.collections).length, date: when(summary.createdAt) }));
    if (erasures) {
      // The same erasure as « mes données » and the back-office's, nothing registered twice.
      const { connection } = db;
      const privacy = new PrivacyService({
        connection, dossiers: new DossierRepository(connection), storage: botStateStorage(connection, false),
        transcripts: new MongoTranscriptStore(connection), exports: new DataExports(connection),
      });
      io.out(t('backup.reapplied', { count: await privacy.reapplyErasures(erasures, summary.createdAt), entries: erasures.length, file: register }));
    }
    io.out(t('backup.afterRestore', { months: config.dataRetentionMonths }));
    if (!erasures) io.out(t('backup.erasuresCameBack', { date: when(summary.createdAt) }));
    return 0;
  } catch (err) {
    if (err instanceof BackupFileError) {
      io.err(t(`backup.file.${err.key}`, { file, ...err.vars }));
      return 1;
    }
    if (err instanceof RestoreTargetNotEmpty) {
      io.err(t('backup.notEmpty', { collections: err.collections.map((c) => `${c.name} (${c.count})`).join(', ') }));
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(1);
  });
}
