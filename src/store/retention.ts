import { Connection } from 'mongoose';
import { log } from '../log';

export interface PurgeReport {
  dossiers: number;
  keys: number;
  directLineActivities: number;
  directLineConversations: number;
}

/** The date before which personal data must be gone: `months` before `now`. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * Deletes what is older than the retention period announced in the consent text: dossiers (and
 * the lookup keys pointing at them) and local Direct Line conversations with their messages.
 * Runs daily (index.ts); FerretDB has no TTL index, so this job is the mechanism everywhere.
 */
export async function purgeExpired(connection: Connection, now: Date, months: number): Promise<PurgeReport> {
  const db = connection.db!;
  const cutoff = retentionCutoff(now, months);
  const expired = await db.collection<{ _id: string }>('dossiers').find({ createdAt: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray();
  const ids = expired.map((d) => d._id);
  let keys = 0;
  let dossiers = 0;
  if (ids.length) {
    keys = (await db.collection('dossier_keys').deleteMany({ dossierId: { $in: ids } })).deletedCount;
    dossiers = (await db.collection<{ _id: string }>('dossiers').deleteMany({ _id: { $in: ids } })).deletedCount;
  }
  const directLineActivities = (await db.collection('directline_activities').deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  const directLineConversations = (await db.collection('directline_conversations').deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  const report = { dossiers, keys, directLineActivities, directLineConversations };
  log.info('Retention purge done', { cutoff: cutoff.toISOString(), ...report });
  return report;
}
