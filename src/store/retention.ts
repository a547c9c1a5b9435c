import { Connection } from 'mongoose';
import { log } from '../log';
import type { PrivacyService } from './privacy';
import { deleteHandoffs } from './summaries';

export interface PurgeReport {
  dossiers: number;
  /** What went with the dossiers: keys, handoffs, check-ins, their users' conversations, state and history (PrivacyService.eraseExpired). */
  dossierDocuments: number;
  /** Handoffs older than the cutoff (contacts, messages) of the dossiers kept, or of none. */
  handoffs: number;
  /** Conversation references and bot state (conversation and user) untouched since the cutoff. */
  references: number;
  botState: number;
  directLineActivities: number;
  directLineConversations: number;
  /** « Mes données » download links past their minutes (src/privacy/exports.ts). */
  dataExports: number;
  /** Links of check-in e-mails past their days (src/followup/checkinLinks.ts). */
  checkinLinks: number;
}

/**
 * The local Direct Line's history older than the cutoff, and its conversations with it: a
 * conversation left without any activity that began before the cutoff goes; one still going on
 * keeps its record, its positions going on from the first activity kept (`erased`, as after « mes
 * données », src/channels/directline/store.ts) — Web Chat reconnecting to it gets what is left and
 * what comes next, never an unknown conversation whose recent messages stay behind.
 */
async function purgeDirectLine(connection: Connection, cutoff: Date): Promise<{ activities: number; conversations: number }> {
  const db = connection.db!;
  const history = db.collection<{ _id: string; conversationId: string; seq: number }>('directline_activities');
  const records = db.collection<{ _id: string }>('directline_conversations');
  const before = { createdAt: { $lt: cutoff } };
  const touched = await history.distinct('conversationId', before);
  const activities = (await history.deleteMany(before)).deletedCount;
  const first = new Map<string, number>();
  for (const { conversationId, seq } of await history.find({ conversationId: { $in: touched } }, { projection: { conversationId: 1, seq: 1 } }).toArray()) {
    first.set(conversationId, Math.min(first.get(conversationId) ?? seq, seq));
  }
  for (const [id, seq] of first) await records.updateOne({ _id: id }, { $max: { erased: seq } });
  const older = (await records.find(before, { projection: { _id: 1 } }).toArray()).map((c) => c._id);
  const going = new Set(older);
  for (const id of await history.distinct('conversationId', { conversationId: { $in: older } })) going.delete(id);
  const conversations = going.size ? (await records.deleteMany({ _id: { $in: [...going] } })).deletedCount : 0;
  return { activities, conversations };
}

/** The date before which personal data must be gone: `months` before `now`. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * Deletes what is older than the retention period announced in the consent text: dossiers, each
 * erased as its structure's own erasure is and registered (`privacy.eraseExpired`: lookup keys,
 * handoffs, check-ins, opt-outs, its users' conversations), older handoffs, conversation
 * references and bot state nobody touched since, and the local Direct Line's older messages with
 * the conversations they leave empty (purgeDirectLine; transcripts: MongoTranscriptStore.purgeBefore,
 * run right after by index.ts).
 * Runs daily; FerretDB has no TTL index, so this job is the mechanism everywhere.
 */
export async function purgeExpired(connection: Connection, now: Date, months: number, privacy: Pick<PrivacyService, 'eraseExpired'>): Promise<PurgeReport> {
  const db = connection.db!;
  const cutoff = retentionCutoff(now, months);
  const expired = await db.collection<{ _id: string }>('dossiers').find({ createdAt: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray();
  const { dossiers, documents: dossierDocuments } = await privacy.eraseExpired(expired.map((d) => d._id));
  const before = { $lt: cutoff };
  // Older handoffs of dossiers kept: what the back-office's lists show of those dossiers follows.
  const handoffs = await deleteHandoffs(connection, { createdAt: before });
  const references = (await db.collection('conversation_refs').deleteMany({ updatedAt: before })).deletedCount;
  const botState = (await db.collection('botstate').deleteMany({ updatedAt: before })).deletedCount;
  const { activities: directLineActivities, conversations: directLineConversations } = await purgeDirectLine(connection, cutoff);
  const dataExports = (await db.collection('data_exports').deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  const checkinLinks = (await db.collection('checkin_links').deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  // Conversations that declined consent: their history went long ago (NoConsentConversations); the list goes too.
  await db.collection('no_consent_conversations').deleteMany({ declinedAt: before });
  const report = { dossiers, dossierDocuments, handoffs, references, botState, directLineActivities, directLineConversations, dataExports, checkinLinks };
  log.info('Retention purge done', { cutoff: cutoff.toISOString(), ...report });
  return report;
}
