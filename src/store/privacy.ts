import { cardText, submittedText } from '../domain/text';
import { Activity, Storage } from 'botbuilder';
import { Connection } from 'mongoose';
import { redactStaff } from '../privacy/staffRedaction';
import { deleteDossiers, DossierRepository, Dossier } from './dossiers';
import { DOSSIER_CHECKINS, DOSSIER_HANDOFFS, listed } from './lookups';
import type { DataExports } from '../privacy/exports';

/** Transcripts as botbuilder's TranscriptStore exposes them, plus erasure by user. */
export interface TranscriptAccess {
  getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string): Promise<{ items: Activity[]; continuationToken?: string }>;
  deleteTranscript(channelId: string, conversationId: string): Promise<void>;
  /** Every conversation of the channel the user took part in (with or without a dossier). */
  conversationsOf?(channelId: string, userId: string): Promise<string[]>;
}

export interface PersonalDataExport {
  /** What is below, in words and in the person's language (src/privacy/readable.ts). */
  readable?: string[];
  exportedAt: string;
  dossier?: Dossier;
  handoffs: unknown[];
  /** Follow-up check-ins: when they were due and sent, and the answers given. */
  checkins: unknown[];
  /** When the structure said « ne plus me relancer », if it did. */
  followupOptOut: { at: Date } | null;
  /**
   * Each message: its text; for a card submit, what was answered in words (`answer`) and the
   * card's data as submitted (`submitted`); the text of the cards it showed (`cards`).
   */
  conversations: { channelId: string; conversationId: string; messages: { from: string; text?: string; answer?: string; submitted?: unknown; cards?: string[]; timestamp?: string }[] }[];
}

export interface PrivacyDeps {
  connection: Connection;
  dossiers: DossierRepository;
  storage: Storage;
  transcripts?: TranscriptAccess;
  /** Erases a user's ConversationReference (and what this process remembers of it); by default only the document. */
  references?: { forget(key: string): Promise<void> };
  /** The app's clock (the export's date). */
  now?: () => Date;
  /**
   * Erases a conversation's history where the channel keeps it: the local Direct Line, whose
   * clients must go on receiving what comes next. Default: its stored activities are deleted.
   */
  eraseChannelHistory?: (channelId: string, conversationId: string) => Promise<void>;
  /** Download links for channels that cannot take the file in the conversation (Teams). */
  exports?: DataExports;
  /** Where the links point (config.publicUrl). */
  publicUrl?: string;
}

/** The storage key of ConversationState / UserState: botbuilder appends its namespace ('' here) after a '/'. */
function stateKey(channelId: string, kind: 'conversations' | 'users', id: string): string {
  return `${channelId}/${kind}/${id}/`;
}

/**
 * "Mes données": what the structure's person can ask for — everything stored about it, and its
 * erasure (dossier, answers, lookup keys, handoffs, transcripts, conversation history, profile).
 */
export class PrivacyService {
  constructor(private readonly deps: PrivacyDeps) {}

  async exportFor(channelId: string, userId: string, conversationId: string): Promise<PersonalDataExport> {
    const dossier = await this.deps.dossiers.findByKey(DossierRepository.userKey(channelId, userId));
    const handoffs = dossier ? await this.handoffsOf(dossier._id) : [];
    const db = this.deps.connection.db!;
    const checkins = dossier ? await listed<{ _id: string; dossierId?: string }>(this.deps.connection, DOSSIER_CHECKINS, dossier._id, 'checkins', (c) => c.dossierId === dossier._id) : [];
    const optOut = dossier ? await db.collection<{ _id: string; at: Date }>('checkin_optouts').findOne({ _id: dossier._id }) : null;
    const conversations = [];
    for (const ref of await this.conversationsOf(channelId, userId, conversationId, handoffs, dossier)) {
      const messages: PersonalDataExport['conversations'][number]['messages'] = [];
      let token: string | undefined;
      do {
        const page = await this.deps.transcripts?.getTranscriptActivities(ref.channelId, ref.conversationId, token);
        for (const a of page?.items ?? []) {
          if (a.type !== 'message') continue;
          const cards = (a.attachments ?? []).map((x) => cardText(x)).filter((x) => x !== '');
          messages.push({
            from: a.from?.role === 'bot' ? 'assistant' : 'vous',
            text: a.text,
            ...(a.value !== undefined ? { answer: submittedText(a.value), submitted: a.value } : {}),
            ...(cards.length ? { cards } : {}),
            timestamp: a.timestamp ? new Date(a.timestamp).toISOString() : undefined,
          });
        }
        token = page?.continuationToken;
      } while (token);
      conversations.push({ ...ref, messages });
    }
    // The chargé·es' e-mail addresses and where notifications went are theirs, not the structure's.
    const shown = redactStaff(dossier, handoffs as Record<string, unknown>[]);
    return { exportedAt: (this.deps.now?.() ?? new Date()).toISOString(), dossier: shown.dossier, handoffs: shown.handoffs, checkins, followupOptOut: optOut && { at: optOut.at }, conversations };
  }

  /** A link to the export's readable page (with its JSON file), valid a few minutes; undefined without a link store. */
  async exportLink(channelId: string, userId: string, files: { json: string; html: string }): Promise<{ url: string; expiresAt: Date } | undefined> {
    if (!this.deps.exports || !this.deps.publicUrl) return undefined;
    const { token, expiresAt } = await this.deps.exports.create(DossierRepository.channelUser(channelId, userId), files);
    return { url: `${this.deps.publicUrl.replace(/\/$/, '')}/mes-donnees/${token}`, expiresAt };
  }

  async eraseFor(channelId: string, userId: string, conversationId: string): Promise<void> {
    const db = this.deps.connection.db!;
    await this.deps.exports?.deleteFor(DossierRepository.channelUser(channelId, userId));
    const forgetReference = async (key: string): Promise<void> => {
      if (this.deps.references) await this.deps.references.forget(key);
      else await db.collection<{ _id: string }>('conversation_refs').deleteOne({ _id: key });
    };
    const dossier = await this.deps.dossiers.findByKey(DossierRepository.userKey(channelId, userId));
    const handoffs = dossier ? await this.handoffsOf(dossier._id) : [];
    const conversations = await this.conversationsOf(channelId, userId, conversationId, handoffs, dossier);
    for (const ref of conversations) {
      await this.deps.transcripts?.deleteTranscript(ref.channelId, ref.conversationId);
      if (this.deps.eraseChannelHistory) await this.deps.eraseChannelHistory(ref.channelId, ref.conversationId);
      else if (ref.channelId === 'directline') await db.collection('directline_activities').deleteMany({ conversationId: ref.conversationId });
    }
    // Their dialog state too (ConversationState's keys): it may hold answers typed without consent.
    await this.deps.storage.delete(conversations.map((ref) => stateKey(ref.channelId, 'conversations', ref.conversationId)));
    if (dossier) {
      for (const user of dossier.channelUsers) await forgetReference(user);
      await deleteDossiers(this.deps.connection, [dossier._id]);
    }
    await db.collection<{ _id: string }>('dossier_keys').deleteOne({ _id: DossierRepository.userKey(channelId, userId) });
    await forgetReference(DossierRepository.channelUser(channelId, userId));
    await this.deps.storage.delete([stateKey(channelId, 'users', userId)]);
  }

  /** The dossier's handoffs, through its list (DOSSIER_HANDOFFS: on the embedded FerretDB a filter on dossierId reads every handoff). */
  private handoffsOf(dossierId: string): Promise<{ _id: string; dossierId?: string; transcript?: { channelId: string; conversationId: string } }[]> {
    return listed(this.deps.connection, DOSSIER_HANDOFFS, dossierId, 'handoffs', (h: { _id: string; dossierId?: string }) => h.dossierId === dossierId);
  }

  /**
   * The current conversation, the user's other conversations on this channel (even those that
   * never touched a dossier), those the dossier was changed in, and those of its handoffs.
   */
  private async conversationsOf(channelId: string, userId: string, conversationId: string, handoffs: { transcript?: { channelId: string; conversationId: string } }[], dossier?: Dossier) {
    const refs = new Map<string, { channelId: string; conversationId: string }>();
    refs.set(`${channelId}|${conversationId}`, { channelId, conversationId });
    for (const id of (await this.deps.transcripts?.conversationsOf?.(channelId, userId)) ?? []) refs.set(`${channelId}|${id}`, { channelId, conversationId: id });
    for (const ref of dossier?.conversations ?? []) {
      const [c, ...rest] = ref.split('|');
      refs.set(ref, { channelId: c, conversationId: rest.join('|') });
    }
    for (const h of handoffs) if (h.transcript) refs.set(`${h.transcript.channelId}|${h.transcript.conversationId}`, h.transcript);
    return [...refs.values()];
  }
}
