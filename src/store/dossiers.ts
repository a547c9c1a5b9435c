import { randomUUID } from 'node:crypto';
import { Connection, Model, Schema } from 'mongoose';
import type { AccueilAnswers } from '../domain/accueilForm';
import type { Outcome } from '../domain/eligibility';
import { addToList, DOSSIER_CHECKINS, DOSSIER_HANDOFFS, forgetDossiers, listed, listIds, removeFromList, SIRET_DOSSIERS } from './lookups';
import { removeSummaries, summarise } from './summaries';

export type Phase = 'accueil' | 'diagnostic' | 'parcours' | 'mise_en_oeuvre' | 'suivi';

export interface Decision {
  outcome: Outcome;
  reasons: { code: string; outcome: Outcome; source: string }[];
  rulesVersion: string;
  decidedAt: Date;
}

/** What the structure prepared for the diagnostic partagé (issue: diagnostic inputs). */
export interface DiagnosticRecord {
  /** Flat answers by slot key (see src/domain/diagnosticForm.ts). */
  answers: Record<string, unknown>;
  /** Themes of its needs, as confirmed (or corrected) by the structure. */
  themes?: string[];
  /** Axes of change in the structure's order, once confirmed. */
  ranking?: string[];
  /** The structure's own order, not yet confirmed: kept through a pause. */
  rankingDraft?: string[];
  /** 0 until confirmed; each confirmation stores a new version. */
  version: number;
  confirmedAt?: Date;
  /** For the statistics: year of the confirmation and the first axis. */
  year?: number;
  primaryTheme?: string;
  startedAt: Date;
}

export interface ParcoursRecord {
  text: string;
  recordedBy: string;
  /** The chargé·e's name, what the others read (recordedBy is the e-mail). */
  recordedByName?: string;
  recordedAt: Date;
  miseEnOeuvreStartedAt?: Date;
  miseEnOeuvreEndedAt?: Date;
}

/**
 * A chargé·e's decision on the eligibility, once the structure was called (a to-be-confirmed one,
 * usually): the latest wins over the rules' outcome in the lists, the CSV and the statistics; the
 * rules' decision is kept as it was, for the record. Each decision has its own note of the call.
 */
export interface ChargeDecision {
  outcome: 'eligible' | 'out_of_scope';
  note?: string;
  /** The chargé·e's name, what the others read; byEmail is who they are. */
  by: string;
  byEmail: string;
  at: Date;
}

export interface Dossier {
  _id: string;
  phase: Phase;
  /** in_progress while the structure answers; submitted once the outcome is given. */
  status: 'in_progress' | 'submitted';
  consent: { given: true; at: Date; retentionMonths: number };
  answers: AccueilAnswers;
  /** Copied from the answers for the back-office filters (indexed). */
  siret?: string;
  departement?: string;
  decision?: Decision;
  /** Recorded in the back-office after a call (see ChargeDecision): the latest, the one in force. */
  chargeDecision?: ChargeDecision;
  /**
   * Every decision recorded, oldest first, the latest included: the notes of every call. Missing
   * on a dossier decided before they were kept (see decisionHistory() in src/domain/chargeDecisions.ts).
   */
  chargeDecisions?: ChargeDecision[];
  diagnostic?: DiagnosticRecord;
  /** The last time the structure corrected its contact at the menu (« je me suis trompée de numéro… »). */
  contactChangedAt?: Date;
  /** Set when a chargé·e should take the dossier up (until the handoff module exists). */
  readyForChargeAt?: Date;
  /** The parcours the chargé·e recorded in the back-office, and the start and end of the mise en œuvre. */
  parcours?: ParcoursRecord;
  /** Follow-up: last answered check-in, opt-out. */
  followup?: { answeredAt?: Date };
  /** "channelId:userId" of everyone who answered for this structure. */
  channelUsers: string[];
  /** "channelId|conversationId" of the conversations that changed it (transcripts). */
  conversations?: string[];
  createdAt: Date;
  updatedAt: Date;
}

const dossierSchema = new Schema<Dossier>(
  {
    _id: String,
    phase: { type: String, required: true },
    status: { type: String, required: true },
    consent: { type: Schema.Types.Mixed, required: true },
    answers: { type: Schema.Types.Mixed, default: {} },
    siret: String,
    departement: String,
    decision: Schema.Types.Mixed,
    diagnostic: {
      type: new Schema({
        answers: { type: Schema.Types.Mixed, default: {} },
        themes: [String],
        ranking: [String],
        rankingDraft: { type: [String], default: undefined },
        version: { type: Number, default: 0 },
        confirmedAt: Date,
        year: Number,
        primaryTheme: String,
        startedAt: Date,
      }, { _id: false, minimize: false }),
      required: false,
    },
    readyForChargeAt: Date,
    contactChangedAt: Date,
    // Written by the back-office and the follow-up: declared, or a bot save would drop them.
    parcours: Schema.Types.Mixed,
    chargeDecision: Schema.Types.Mixed,
    chargeDecisions: { type: [Schema.Types.Mixed], default: undefined },
    followup: Schema.Types.Mixed,
    channelUsers: [String],
    conversations: [String],
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'dossiers', minimize: false },
);
dossierSchema.index({ departement: 1, phase: 1, updatedAt: -1 });
dossierSchema.index({ siret: 1 });
dossierSchema.index({ createdAt: 1 }); // the retention purge
// Share of dossiers by theme and by year (back-office statistics).
dossierSchema.index({ 'diagnostic.year': 1, 'diagnostic.primaryTheme': 1 });

/**
 * Lookup documents keyed by `_id` ("user:msteams:29:1abc"): an `_id` read is the one query
 * FerretDB v1 answers without scanning, and MongoDB answers by index. (The dossiers of a SIRET
 * are in its list, src/store/lookups.ts; the "siret:" keys of earlier versions are dropped at start.)
 */
interface KeyDoc {
  _id: string;
  dossierId: string;
}
const keySchema = new Schema<KeyDoc>({ _id: String, dossierId: { type: String, required: true, index: true } }, { versionKey: false, collection: 'dossier_keys' });

/**
 * Deletes dossiers with everything that hangs on them: lookup keys and lists, their back-office summaries,
 * handoffs, check-ins, their opt-out records, the links of check-in e-mails, and the leases of their
 * sends (kept a week otherwise, each naming its handoff or check-in). One list for the erasure
 * (« mes données ») and the retention purge.
 */
export async function deleteDossiers(connection: Connection, ids: string[]): Promise<{ dossiers: number; keys: number; handoffs: number; checkins: number; checkinLinks: number; optOuts: number; leases: number }> {
  if (!ids.length) return { dossiers: 0, keys: 0, handoffs: 0, checkins: 0, checkinLinks: 0, optOuts: 0, leases: 0 };
  const db = connection.db!;
  const ofDossiers = { dossierId: { $in: ids } };
  const byId = { _id: { $in: ids } };
  const keys = (await db.collection('dossier_keys').deleteMany(ofDossiers)).deletedCount;
  // Read by `_id` from the dossiers' lists (they never name less than the dossier holds), before these go.
  const listedIds = async (name: typeof DOSSIER_HANDOFFS | typeof DOSSIER_CHECKINS) => (await Promise.all(ids.map((id) => listIds(connection, name, id)))).flat();
  const [handoffIds, checkinIds] = [await listedIds(DOSSIER_HANDOFFS), await listedIds(DOSSIER_CHECKINS)];
  await forgetDossiers(connection, ids);
  const handoffs = (await db.collection('handoffs').deleteMany(ofDossiers)).deletedCount;
  const checkins = (await db.collection('checkins').deleteMany(ofDossiers)).deletedCount;
  const leases = (handoffIds.length ? (await db.collection('handoff_leases').deleteMany({ handoffId: { $in: handoffIds } })).deletedCount : 0)
    + (checkinIds.length ? (await db.collection('checkin_leases').deleteMany({ checkinId: { $in: checkinIds } })).deletedCount : 0);
  const checkinLinks = (await db.collection('checkin_links').deleteMany(ofDossiers)).deletedCount;
  const optOuts = (await db.collection<{ _id: string }>('checkin_optouts').deleteMany(byId)).deletedCount;
  const dossiers = (await db.collection<{ _id: string }>('dossiers').deleteMany(byId)).deletedCount;
  await removeSummaries(connection, ids);
  return { dossiers, keys, handoffs, checkins, checkinLinks, optOuts, leases };
}

/**
 * Each dossier object as it was read (or last saved), field by field: save() writes only the
 * fields this object changed since. The back-office writes its own fields (the parcours, a
 * chargé·e's decision, the phase it moves to) while a structure's turn may hold the dossier: a
 * save of the whole document at the end of that turn would put them back as they were.
 */
const AS_READ = new WeakMap<Dossier, Map<string, string>>();

function remembered(dossier: Dossier): Dossier {
  AS_READ.set(dossier, new Map(Object.entries(dossier).map(([key, value]) => [key, JSON.stringify(value)])));
  return dossier;
}

export class DossierRepository {
  private readonly dossiers: Model<Dossier>;
  private readonly keys: Model<KeyDoc>;

  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date()) {
    this.dossiers = (connection.models.Dossier as Model<Dossier>) ?? connection.model<Dossier>('Dossier', dossierSchema);
    this.keys = (connection.models.DossierKey as Model<KeyDoc>) ?? connection.model<KeyDoc>('DossierKey', keySchema);
  }

  /** A channel's user as a dossier lists it (`channelUsers`, the conversation references' key too). */
  static channelUser(channelId: string, userId: string): string {
    return `${channelId}:${userId}`;
  }

  /** A `channelUsers` entry as its parts: a channel's id has no ':', a user's may (Teams). */
  static channelUserParts(channelUser: string): { channelId: string; userId: string } {
    const at = channelUser.indexOf(':');
    return { channelId: channelUser.slice(0, at), userId: channelUser.slice(at + 1) };
  }

  /** A conversation as a dossier lists it (`conversations`): "channelId|conversationId". */
  static conversationEntry(ref: { channelId: string; conversationId: string }): string {
    return `${ref.channelId}|${ref.conversationId}`;
  }

  /** A `conversations` entry as its parts: a channel's id has no '|', a conversation's may. */
  static conversationParts(entry: string): { channelId: string; conversationId: string } {
    const at = entry.indexOf('|');
    return { channelId: entry.slice(0, at), conversationId: entry.slice(at + 1) };
  }

  /** The key that finds the dossier of a channel's user. */
  static userKey(channelId: string, userId: string): string {
    return `user:${DossierRepository.channelUser(channelId, userId)}`;
  }

  async get(id: string): Promise<Dossier | undefined> {
    const dossier = await this.dossiers.findOne({ _id: id }).lean<Dossier>();
    return dossier ? remembered(dossier) : undefined;
  }

  async findByKey(key: string): Promise<Dossier | undefined> {
    const link = await this.keys.findOne({ _id: key }).lean();
    return link ? this.get(link.dossierId) : undefined;
  }

  /** The dossiers that say this SIRET now (its list in SIRET_DOSSIERS, checked against each dossier). */
  withSiret(siret: string): Promise<Dossier[]> {
    return listed<Dossier>(this.connection, SIRET_DOSSIERS, siret, 'dossiers', (d) => d.siret === siret);
  }

  async create(channelUser: string, retentionMonths: number): Promise<Dossier> {
    const at = this.now();
    const dossier: Dossier = {
      _id: randomUUID(), phase: 'accueil', status: 'in_progress', consent: { given: true, at, retentionMonths },
      answers: {}, channelUsers: [channelUser], createdAt: at, updatedAt: at,
    };
    await this.dossiers.create(dossier);
    await summarise(this.connection, dossier);
    await this.link(`user:${channelUser}`, dossier._id);
    return remembered(dossier);
  }

  /**
   * Writes the dossier: a new one whole, one read from the database only what this object changed
   * (one document: atomic on any MongoDB-compatible server), and not at all once it was erased
   * meanwhile (« mes données », the retention purge): no half dossier comes back. `from`, the turn that changed it: its conversation is recorded, so the transcripts of every
   * conversation about the dossier can be shown to the chargé·e and erased on request.
   */
  async save(dossier: Dossier, from?: { activity: { channelId: string; conversation: { id: string } } }): Promise<void> {
    if (from) {
      const ref = DossierRepository.conversationEntry({ channelId: from.activity.channelId, conversationId: from.activity.conversation.id });
      if (!(dossier.conversations ?? []).includes(ref)) dossier.conversations = [...(dossier.conversations ?? []), ref];
    }
    dossier.updatedAt = this.now();
    dossier.siret = dossier.answers.identifiers?.siret;
    dossier.departement = dossier.answers.location?.departement;
    const before = AS_READ.get(dossier);
    // The dossiers of a SIRET are read by its list (src/store/lookups.ts): listed before the
    // dossier says it, taken out of the SIRET it said before after.
    const saidBefore = before?.get('siret');
    const siretBefore = saidBefore === undefined ? undefined : JSON.parse(saidBefore) as string | null;
    if (dossier.siret && (!before || dossier.siret !== siretBefore)) await addToList(this.connection, SIRET_DOSSIERS, dossier.siret, dossier._id);
    // The back-office's lists read the dossier's summary: written from the dossier as stored now.
    if (!before) {
      await this.dossiers.replaceOne({ _id: dossier._id }, dossier, { upsert: true });
      await summarise(this.connection, dossier);
    } else {
      // Only what this object changed (AS_READ): what others wrote meanwhile stays.
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, ''> = {};
      for (const [key, value] of Object.entries(dossier)) if (value !== undefined && before.get(key) !== JSON.stringify(value)) $set[key] = value;
      for (const key of before.keys()) if ((dossier as unknown as Record<string, unknown>)[key] === undefined) $unset[key] = '';
      // The whole document as stored after this write (what others wrote meanwhile too); none once erased.
      const stored = await this.dossiers.findOneAndUpdate({ _id: dossier._id }, { $set, ...(Object.keys($unset).length ? { $unset } : {}) }, { returnDocument: 'after' }).lean<Dossier>();
      if (stored) await summarise(this.connection, stored);
    }
    if (siretBefore && siretBefore !== dossier.siret) await removeFromList(this.connection, SIRET_DOSSIERS, siretBefore, dossier._id);
    remembered(dossier);
  }

  async link(key: string, dossierId: string): Promise<void> {
    await this.keys.replaceOne({ _id: key }, { _id: key, dossierId }, { upsert: true });
  }
}
