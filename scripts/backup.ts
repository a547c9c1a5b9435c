/**
 * npm run db:backup [-- FILE]   — writes the whole database to a gzipped file (default
 *                                 backups/dla-YYYY-MM-DD-HHMMSS.jsonl.gz), the assistant running or not;
 * npm run db:restore -- FILE    — restores such a file into an empty database, the assistant stopped.
 *
 * Database: MONGODB_URI, or the embedded FerretDB on DATA_DIR/ferretdb (scripts/database.ts).
 * Every text the operator reads comes from locales/<lng>/backup.json.
 * Exit codes: 0 done, 1 nothing done (database unreachable, not empty, the assistant running, a
 * file that is no whole backup), 2 usage or configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { redactUri } from '../src/config';
import { translator } from '../src/i18n';
import { BackupFileError, backupDatabase, BackupSummary, restoreDatabase, RestoreTargetNotEmpty } from '../src/store/backup';
import { OpenedDatabase, openConfiguredDatabase, toolConfig } from './database';
import type { Output } from './resources-import';

const t = translator('fr');

/** backups/dla-2026-11-28-031500.jsonl.gz: the local time, sortable. */
export function defaultBackupFile(now: Date, dir = 'backups'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return path.join(dir, `dla-${day}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.jsonl.gz`);
}

const total = (s: BackupSummary) => Object.values(s.collections).reduce((a, b) => a + b, 0);

export async function main(argv: string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [command, ...args] = argv;
  if (args.some((a) => a === '--help' || a === '-h') || (command !== 'backup' && command !== 'restore')) {
    io.out(t('backup.help'));
    return command === 'backup' || command === 'restore' ? 0 : 2;
  }
  if (args.length > 1 || args.some((a) => a.startsWith('-')) || (command === 'restore' && args.length !== 1)) {
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
  const config = toolConfig(io);
  if (!config) return 2;
  let db: OpenedDatabase;
  try {
    db = await openConfiguredDatabase(config, (m) => io.err(m));
  } catch (err) {
    io.err(t('backup.unreachable', { detail: (err as Error).message }));
    return 1;
  }
  try {
    io.out(db.embeddedDir ? t(db.shared ? 'backup.shared' : 'backup.embedded', { dir: db.embeddedDir }) : t('backup.uri', { uri: redactUri(config.mongoUri) }));
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
    io.out(t('backup.restored', { documents: total(summary), collections: Object.keys(summary.collections).length, date: when(summary.createdAt) }));
    io.out(t('backup.afterRestore', { date: when(summary.createdAt), months: config.dataRetentionMonths }));
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
