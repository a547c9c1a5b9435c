import { cardText, submittedText } from '../domain/text';
import { Activity, Storage } from 'botbuilder';
import { Connection } from 'mongoose';
import { redactStaff } from '../privacy/staffRedaction';
import { deleteDossiers, DossierRepository, Dossier } from './dossiers';
import { DOSSIER_CHECKINS, DOSSIER_HANDOFFS, listed } from './lookups';
import type { DataExports } from '../privacy/exports';
import { BY_RETENTION, BY_STRUCTURE, Erasure, ErasureRegister, traceHash } from '../privacy/erasures';
import { TRANSCRIPT_CONVERSATIONS_COLLECTION } from './transcripts';

/** Transcripts as botbuilder's TranscriptStore exposes them, plus erasure by user. */
export interface TranscriptAccess {
  getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string): Promise<{ items: Activity[]; continuationToken?: string }>;
  /** Deletes a conversation's transcript; returns how many activities went. */
  deleteConversation(channelId: string, conversationId: string): Promise<number>;
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
  references?: { forget(key: string): Promise<number> };
  /** The app's clock (the export's date). */
  now?: () => Date;
  /**
   * Erases a conversation's history where the channel keeps it: the local Direct Line, whose
   * clients must go on receiving what comes next. Default: its stored activities are deleted.
   * Returns how many activities went.
   */
  eraseChannelHistory?: (channelId: string, conversationId: string) => Promise<number>;
  /** Download links for channels that cannot take the file in the conversation (Teams). */
  exports?: DataExports;
  /** Where the links point (config.publicUrl). */
  publicUrl?: string;
}

/** The storage key of ConversationState / UserState: botbuilder appends its namespace ('' here) after a '/'. */
function stateKey(channelId: string, kind: 'conversations' | 'users', id: string): string {
  return `${channelId}/${kind}/${id}/`;
}

interface ConversationRef { channelId: string; conversationId: string }
type HandoffRef = { _id: string; dossierId?: string; transcript?: ConversationRef };


/**
 * What is stored about a structure: its dossier (if any) with its handoffs, the channel users who
 * spoke for it, and every conversation of theirs or about it (see PrivacyService.scopeOf).
 */
interface Scope { dossier?: Dossier; users: string[]; handoffs: HandoffRef[]; conversations: ConversationRef[] }

/** What an erasure removed. */
export interface ErasureResult { dossierId: string | null; documents: number }

/**
 * "Mes données": what the structure's person can ask for — everything stored about it, and its
 * erasure (dossier, answers, lookup keys, handoffs, transcripts, conversation history, profile) —
 * in the chat (exportFor / eraseFor, from the channel's user), or through the back-office for a
 * request received by e-mail, letter or phone (exportDossier / eraseDossier, from the dossier).
 * Each erasure is written in the erasure register (src/privacy/erasures.ts).
 */
export class PrivacyService {
  readonly register: ErasureRegister;

  constructor(private readonly deps: PrivacyDeps) {
    this.register = new ErasureRegister(deps.connection, deps.now);
  }

  async exportFor(channelId: string, userId: string, conversationId: string): Promise<PersonalDataExport> {
    return this.exportOf(await this.chatScope(channelId, userId, conversationId));
  }

  /** The same export, for the structure of a dossier (the back-office, which has read it). */
  async exportDossier(dossier: Dossier): Promise<PersonalDataExport> {
    return this.exportOf(await this.scopeOf(dossier, []));
  }

  private async exportOf(scope: Scope): Promise<PersonalDataExport> {
    const { dossier, handoffs } = scope;
    const db = this.deps.connection.db!;
    const checkins = dossier ? await listed<{ _id: string; dossierId?: string }>(this.deps.connection, DOSSIER_CHECKINS, dossier._id, 'checkins', (c) => c.dossierId === dossier._id) : [];
    const optOut = dossier ? await db.collection<{ _id: string; at: Date }>('checkin_optouts').findOne({ _id: dossier._id }) : null;
    const conversations = [];
    for (const ref of scope.conversations) {
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
      if (messages.length) conversations.push({ ...ref, messages }); // one never transcribed (consent declined) has nothing to show
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

  /** « mes données » → erase: the person's own, and their structure's dossier with all it holds. */
  async eraseFor(channelId: string, userId: string, conversationId: string): Promise<ErasureResult> {
    return this.erase(() => this.chatScope(channelId, userId, conversationId), BY_STRUCTURE);
  }

  /** The same erasure, for the structure of a dossier: by an administrator in the back-office (`by`, their e-mail, in the register). */
  async eraseDossier(dossier: Dossier, by: string): Promise<ErasureResult> {
    return this.erase(() => this.scopeOf(dossier, []), by);
  }

  /**
   * The retention purge: each dossier past DATA_RETENTION_MONTHS is erased as its structure's own
   * erasure is — all it holds, every conversation of its users — and registered (BY_RETENTION):
   * a restore erases it again (--reapply), a turn of it in flight keeps nothing (TurnErasures).
   * Returns how many dossiers went, and how many documents with them.
   */
  async eraseExpired(dossierIds: string[]): Promise<{ dossiers: number; documents: number }> {
    let dossiers = 0;
    let documents = 0;
    for (const id of dossierIds) {
      const dossier = await this.deps.dossiers.get(id);
      if (!dossier) continue; // erased meanwhile
      documents += (await this.erase(() => this.scopeOf(dossier, []), BY_RETENTION)).documents;
      dossiers++;
    }
    return { dossiers, documents };
  }

  /**
   * What a chat turn wrote after its structure's erasure began (TurnErasures): its conversation,
   * its user, a dossier its consent created — erased in turn, not registered again (the erasure
   * that stopped the turn is).
   */
  async eraseAgain(channelId: string, userId: string, conversationId: string): Promise<ErasureResult> {
    return this.erase(() => this.chatScope(channelId, userId, conversationId));
  }

  /**
   * After a restore: erases again what each of a register's entries erased and the restored
   * database holds (it came back with the backup) — its dossier, and the chat users and
   * conversations it names by their traceHash, with or without a dossier —, then puts back the
   * entries the restored register lacks, each once. Returns how many entries had something to erase.
   * `since`, the backup's date: an entry made before it was applied to the backup already, and what
   * its users or conversations hold now came after it (the person came back): left alone.
   */
  async reapplyErasures(entries: Erasure[], since?: Date): Promise<number> {
    const traces = await this.traces();
    let erased = 0;
    for (const entry of entries.filter((e) => !since || new Date(e.at).getTime() >= since.getTime())) {
      const dossier = entry.dossierId ? await this.deps.dossiers.get(entry.dossierId) : undefined;
      const users = (entry.users ?? []).flatMap((h) => traces.users.get(h) ?? []);
      const conversations = (entry.conversations ?? []).flatMap((h) => traces.conversations.get(h) ?? []);
      if (!dossier && !users.length && !conversations.length) continue;
      // Erased by an earlier entry already (the same person erased twice): nothing left, not counted.
      if ((await this.erase(() => this.scopeOf(dossier, users, conversations))).documents) erased++;
    }
    await this.register.addMissing(entries);
    return erased;
  }

  /** The chat users and conversations the database holds (in their state, references, dossier keys and transcripts), by traceHash. */
  private async traces(): Promise<{ users: Map<string, string>; conversations: Map<string, ConversationRef> }> {
    const db = this.deps.connection.db!;
    const ids = (collection: string) => db.collection<{ _id: string }>(collection).find({}, { projection: { _id: 1 } }).map((d) => String(d._id)).toArray();
    const users = new Map<string, string>();
    const conversations = new Map<string, ConversationRef>();
    const addUser = (user: string) => users.set(traceHash(user), user);
    const addConversation = (ref: ConversationRef) => conversations.set(traceHash(DossierRepository.conversationEntry(ref)), ref);
    for (const key of await ids('botstate')) {
      const state = /^([^/]+)\/(users|conversations)\/(.+)\/$/.exec(key);
      if (state?.[2] === 'users') addUser(DossierRepository.channelUser(state[1], state[3]));
      else if (state) addConversation({ channelId: state[1], conversationId: state[3] });
    }
    for (const user of await ids('conversation_refs')) addUser(user);
    for (const key of await ids('dossier_keys')) if (key.startsWith('user:')) addUser(key.slice('user:'.length));
    for (const head of await db.collection<ConversationRef>(TRANSCRIPT_CONVERSATIONS_COLLECTION).find({}, { projection: { channelId: 1, conversationId: 1 } }).toArray()) {
      addConversation({ channelId: head.channelId, conversationId: head.conversationId });
    }
    return { users, conversations };
  }

  /**
   * Erases a structure: what it holds is looked up (`scope`), erased, and the erasure registered
   * when `by` says who asked — all of it while chat turns wait (ErasureRegister.erasing).
   */
  private erase(scope: () => Promise<Scope>, by?: string): Promise<ErasureResult> {
    return this.register.erasing(async () => this.eraseNow(await scope(), by));
  }

  private async eraseNow(scope: Scope, by?: string): Promise<ErasureResult> {
    const db = this.deps.connection.db!;
    let documents = 0;
    for (const user of scope.users) documents += (await this.deps.exports?.deleteFor(user)) ?? 0;
    for (const ref of scope.conversations) {
      documents += (await this.deps.transcripts?.deleteConversation(ref.channelId, ref.conversationId)) ?? 0;
      if (this.deps.eraseChannelHistory) documents += await this.deps.eraseChannelHistory(ref.channelId, ref.conversationId);
      else if (ref.channelId === 'directline') documents += (await db.collection('directline_activities').deleteMany({ conversationId: ref.conversationId })).deletedCount;
      documents += (await db.collection<{ _id: string }>('no_consent_conversations').deleteOne({ _id: DossierRepository.conversationEntry(ref) })).deletedCount;
    }
    // Their dialog state too (ConversationState's keys): it may hold answers typed without consent; and each user's profile.
    const states = [
      ...scope.conversations.map((ref) => stateKey(ref.channelId, 'conversations', ref.conversationId)),
      ...scope.users.map((user) => { const { channelId, userId } = DossierRepository.channelUserParts(user); return stateKey(channelId, 'users', userId); }),
    ];
    documents += Object.keys(await this.deps.storage.read(states)).length;
    await this.deps.storage.delete(states);
    if (scope.dossier) {
      const deleted = await deleteDossiers(this.deps.connection, [scope.dossier._id]);
      documents += Object.values(deleted).reduce((a, b) => a + b, 0);
    }
    for (const user of scope.users) {
      const { channelId, userId } = DossierRepository.channelUserParts(user);
      documents += (await db.collection<{ _id: string }>('dossier_keys').deleteOne({ _id: DossierRepository.userKey(channelId, userId) })).deletedCount;
      documents += this.deps.references ? await this.deps.references.forget(user) : (await db.collection<{ _id: string }>('conversation_refs').deleteOne({ _id: user })).deletedCount;
    }
    const dossierId = scope.dossier?._id ?? null;
    if (by) await this.register.record(dossierId, by, documents, { users: scope.users.map(traceHash), conversations: scope.conversations.map((ref) => traceHash(DossierRepository.conversationEntry(ref))) });
    return { dossierId, documents };
  }

  /** What the chat's user in this conversation holds: their dossier (found by their key), them, and their conversations. */
  private async chatScope(channelId: string, userId: string, conversationId: string): Promise<Scope> {
    const dossier = await this.deps.dossiers.findByKey(DossierRepository.userKey(channelId, userId));
    return this.scopeOf(dossier, [DossierRepository.channelUser(channelId, userId)], [{ channelId, conversationId }]);
  }

  /** The dossier's handoffs, through its list (DOSSIER_HANDOFFS: on the embedded FerretDB a filter on dossierId reads every handoff). */
  private handoffsOf(dossierId: string): Promise<HandoffRef[]> {
    return listed(this.deps.connection, DOSSIER_HANDOFFS, dossierId, 'handoffs', (h: HandoffRef) => h.dossierId === dossierId);
  }

  /**
   * The dossier, its handoffs, its users and `users` (the person asking in the chat), and their
   * conversations: `conversations` (the one asking), every other conversation of those users (even
   * those that never touched a dossier), those the dossier was changed in, and those of its handoffs.
   */
  private async scopeOf(dossier: Dossier | undefined, users: string[], conversations: ConversationRef[] = []): Promise<Scope> {
    const handoffs = dossier ? await this.handoffsOf(dossier._id) : [];
    const everyone = [...new Set([...users, ...(dossier?.channelUsers ?? [])])];
    const refs = new Map<string, ConversationRef>();
    const add = (ref: ConversationRef) => refs.set(DossierRepository.conversationEntry(ref), ref);
    for (const ref of conversations) add(ref);
    for (const user of everyone) {
      const { channelId, userId } = DossierRepository.channelUserParts(user);
      for (const id of (await this.deps.transcripts?.conversationsOf?.(channelId, userId)) ?? []) add({ channelId, conversationId: id });
      // Those without a transcript too (consent declined: their history and state stay a few hours): on any channel
      // (Teams, Azure Direct Line) by the user who declined, and on the local Direct Line by its conversations' user.
      const db = this.deps.connection.db!;
      for (const c of await db.collection<ConversationRef>('no_consent_conversations').find({ channelId, userId }, { projection: { _id: 0, channelId: 1, conversationId: 1 } }).toArray()) add(c);
      if (channelId === 'directline') {
        for (const c of await db.collection<{ _id: string }>('directline_conversations').find({ userId }, { projection: { _id: 1 } }).toArray()) add({ channelId, conversationId: c._id });
      }
    }
    for (const ref of dossier?.conversations ?? []) add(DossierRepository.conversationParts(ref));
    for (const h of handoffs) if (h.transcript) add(h.transcript);
    return { dossier, users: everyone, handoffs, conversations: [...refs.values()] };
  }
}
