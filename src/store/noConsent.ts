import { Storage } from 'botbuilder';
import { Connection, mongo } from 'mongoose';
import { conversationRef, IdleConversation, idleConversations, KeptBy, LoggedActivity, neverConsented } from '../domain/idleConversations';
import { log } from '../log';
import { DossierRepository } from './dossiers';
import { TRANSCRIPTS_COLLECTION } from './transcripts';

/** A conversation whose consent was declined and not given since (collection `no_consent_conversations`). */
interface DeclinedDoc {
  _id: string;
  channelId: string;
  conversationId: string;
  /** Who declined (the channel's user id; absent in entries stored before it was kept): their erasure finds the conversation by it. */
  userId?: string;
  declinedAt: Date;
  /** The last sweep that forgot what the conversation held. */
  sweptAt?: Date;
}

export interface NoConsentSweepDeps {
  connection: Connection;
  /** Bot state: the conversation's dialog state holds what was typed (answers asked without consent). */
  storage: Storage;
  /** Deletes what the transcript holds of a conversation. */
  deleteTranscript(channelId: string, conversationId: string): Promise<void>;
  /** Erases a conversation's history where the channel keeps it (the local Direct Line). */
  eraseChannelHistory(channelId: string, conversationId: string): Promise<unknown>;
}

const key = (channelId: string, conversationId: string) => conversationRef({ channelId, conversationId });

/** Where the sweep of conversations that never gave consent stopped (collection `no_consent_sweeps`). */
interface SweepDoc {
  _id: 'neverConsented';
  /** The cutoff of the last complete sweep: conversations idle before it were looked at. */
  until: Date;
}

/**
 * Conversations that declined consent: their Direct Line history (kept only to redraw Web Chat on
 * reload) and what their bot state holds of what was typed are forgotten `hours` after the
 * refusal (forgetDeclined), not at the retention purge. Consent given later takes the
 * conversation off the list: what follows is kept. Conversations that never reached the consent
 * question (a visit to the DLA's presentation, its FAQ) are forgotten the same way `hours` after
 * their last message (forgetNeverConsented).
 */
export class NoConsentConversations {
  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date()) {}

  private get collection() {
    return this.connection.db!.collection<DeclinedDoc>('no_consent_conversations');
  }

  /**
   * Consent declined (again) by `userId`: the delay starts from the first refusal not followed by
   * consent. The user is kept with it: the conversation has no transcript to find it by when the
   * person erases their data from another conversation (PrivacyService).
   */
  async declined(channelId: string, conversationId: string, userId: string): Promise<void> {
    await this.collection.updateOne({ _id: key(channelId, conversationId) },
      { $setOnInsert: { channelId, conversationId, declinedAt: this.now() }, $set: { userId } }, { upsert: true });
  }

  async given(channelId: string, conversationId: string): Promise<void> {
    await this.collection.deleteOne({ _id: key(channelId, conversationId) });
  }

  /**
   * Forgets what conversations declined `hours` ago or more still hold: their channel history,
   * transcript, and dialog state (the flags stay: nothing typed next is logged either). Runs
   * again for a conversation that went on since its last sweep (its history is not empty). Returns how many were swept.
   */
  async forgetDeclined(deps: NoConsentSweepDeps, hours: number): Promise<number> {
    const now = this.now();
    const due = await this.collection.find({ declinedAt: { $lte: new Date(now.getTime() - hours * 3_600_000) } }).toArray();
    const activities = deps.connection.db!.collection<{ conversationId: string }>('directline_activities');
    let swept = 0;
    for (const d of due) {
      // Swept already, and nothing said since (its history is empty): nothing to forget.
      if (d.sweptAt && (await activities.countDocuments({ conversationId: d.conversationId }, { limit: 1 })) === 0) continue;
      try {
        await forgetConversation(deps, d);
        await this.collection.updateOne({ _id: d._id }, { $set: { sweptAt: now } });
        swept++;
      } catch (err) {
        // A turn writing the state meanwhile (eTag conflict), the database away: the next sweep takes it.
        log.warn('A conversation without consent could not be forgotten yet; the next sweep retries', { conversation: d.conversationId, error: err as Error });
      }
    }
    if (swept) log.info('Conversations without consent forgotten', { conversations: swept, hours });
    return swept;
  }

  /**
   * Forgets what conversations idle for `hours` hold when consent was never given in them (see
   * neverConsented): their transcript, channel history and dialog state. Reads the transcript
   * activities logged since the last complete sweep only. Returns how many were forgotten.
   */
  async forgetNeverConsented(deps: NoConsentSweepDeps, hours: number): Promise<number> {
    const db = deps.connection.db!;
    const sweeps = db.collection<SweepDoc>('no_consent_sweeps');
    const cutoff = new Date(this.now().getTime() - hours * 3_600_000);
    const since = (await sweeps.findOne({ _id: 'neverConsented' }))?.until ?? new Date(0);
    if (cutoff <= since) return 0;
    const logged = db.collection<LoggedActivity>(TRANSCRIPTS_COLLECTION)
      .find({ timestamp: { $gt: since } }, { projection: { _id: 0, channelId: 1, conversationId: 1, timestamp: 1, participants: 1 } });
    const idle = idleConversations(await logged.toArray(), cutoff);
    const forget = idle.length ? neverConsented(idle, await keptBy(db, idle)) : [];
    let swept = 0;
    let failed = false;
    for (const c of forget) {
      try {
        await forgetConversation(deps, c);
        swept++;
      } catch (err) {
        failed = true;
        log.warn('A conversation without consent could not be forgotten yet; the next sweep retries', { conversation: c.conversationId, error: err as Error });
      }
    }
    // A conversation not forgotten is looked at again next time: the sweep does not move on.
    if (!failed) await sweeps.updateOne({ _id: 'neverConsented' }, { $set: { until: cutoff } }, { upsert: true });
    if (swept) log.info('Conversations that never gave consent forgotten', { conversations: swept, hours });
    return swept;
  }
}

/** What keeps some of the idle conversations (see KeptBy): a dossier of a participant, a dossier or an open handoff naming the conversation. */
async function keptBy(db: mongo.Db, idle: IdleConversation[]): Promise<KeptBy> {
  const userKeys = idle.flatMap((c) => c.participants.map((p) => DossierRepository.userKey(c.channelId, p)));
  const withDossier = await db.collection<{ _id: string }>('dossier_keys').find({ _id: { $in: userKeys } }, { projection: { _id: 1 } }).toArray();
  const listed = await db.collection<{ conversations?: string[] }>('dossiers').find({ conversations: { $in: idle.map(conversationRef) } }, { projection: { conversations: 1 } }).toArray();
  const handedOff = await db.collection<{ transcript: { channelId: string; conversationId: string } }>('handoffs')
    .find({ 'transcript.conversationId': { $in: idle.map((c) => c.conversationId) }, status: { $ne: 'closed' } }, { projection: { transcript: 1 } }).toArray();
  return {
    usersWithDossier: new Set(withDossier.map((k) => k._id.replace(/^user:/, ''))),
    conversations: new Set([...listed.flatMap((d) => d.conversations ?? []), ...handedOff.map((h) => conversationRef(h.transcript))]),
  };
}

/** Forgets what a conversation holds: its channel history, its transcript, what its dialog state holds of what was typed. */
async function forgetConversation(deps: NoConsentSweepDeps, c: { channelId: string; conversationId: string }): Promise<void> {
  await deps.eraseChannelHistory(c.channelId, c.conversationId);
  await deps.deleteTranscript(c.channelId, c.conversationId);
  await forgetDialogState(deps.storage, c.channelId, c.conversationId);
}

/** The conversation's state without its dialog stack (what was typed); its flags (consent declined, language) stay. */
async function forgetDialogState(storage: Storage, channelId: string, conversationId: string): Promise<void> {
  const stateKey = `${channelId}/conversations/${conversationId}/`;
  const state = (await storage.read([stateKey]))[stateKey] as { dialogState?: unknown; flags?: { misunderstoodTexts?: string[] } } | undefined;
  if (!state) return;
  delete state.dialogState;
  if (state.flags) delete state.flags.misunderstoodTexts;
  await storage.write({ [stateKey]: state });
}
