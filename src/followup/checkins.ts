import { AnyBulkWriteOperation, Connection, Model, Schema } from 'mongoose';
import { MILESTONE_ID, nextAllowedTime, PlannedCheckin, QuietHours, tooCloseTo } from '../domain/checkinPlan';
import type { CheckinEmailSkip } from '../domain/checkinEmail';
import type { JobCounts } from '../domain/jobCounts';
import type { Language } from '../i18n';
import { bulkWriteInChunks } from '../store/bulkWrite';
import { conditionalUpdates } from '../store/db';
import { KeyedMutex } from '../store/keyedMutex';
import { insertIgnoringDuplicates } from '../store/leases';
import { addToList, DOSSIER_CHECKINS, listed } from '../store/lookups';

/**
 * The follow-up check-ins of each dossier (collection `checkins`), from planned to sent,
 * answered, or stopped. One document per dossier and milestone: `_id` = "dossierId|milestone",
 * so planning twice never makes two check-ins. The check-in conversation
 * (src/followup/checkinAnswers.ts) reads and updates the same documents by `_id`.
 *
 * Costs on the embedded FerretDB v1 (SQLite), measured at 10,000 check-ins: an insert is cheap
 * (~0.03 ms a document in a batch), a read or an update by `_id` alone uses the unique index
 * (1.5 ms / 1.3 ms, with the `_id` index fix src/store/ferretdb.ts applies); any other filter is
 * decoded and matched in FerretDB (~0.4 s), and updateMany writes each matched document in its
 * own statement. Hence: the scheduler's updates filter on `_id` only, one document each, in
 * bulkWrites of BULK_CHUNK (more update statements in one command deadlock FerretDB v1.24,
 * see src/store/bulkWrite.ts); the due query is the one scan of a tick and stops at its limit.
 * A dossier's check-ins are read by its list (DOSSIER_CHECKINS, src/store/lookups.ts: each
 * check-in listed before it is inserted), on MongoDB too: one code path, a few `_id` reads.
 */

export const CHECKIN_STATUSES = ['planned', 'sent', 'answered', 'cancelled', 'failed', 'opted_out'] as const;
export type CheckinStatus = (typeof CHECKIN_STATUSES)[number];

export interface CheckinSend {
  at: Date;
  /** The scheduler instance that sent (or tried to). */
  instance: string;
  outcome: 'sent' | 'error' | 'gone';
  error?: string;
}

export interface Checkin {
  _id: string;
  dossierId: string;
  milestone: string;
  /** When the plan (or the back-office) wants it sent. */
  dueAt: Date;
  status: CheckinStatus;
  /** Failed attempts so far (a successful send does not count one). */
  attempts: number;
  /** Planned: not sent before this (dueAt, moved out of quiet hours, or after a backoff). */
  nextAttemptAt: Date;
  sends: CheckinSend[];
  /** When it last reached the structure (its latest send that went out): the day a request made in the middle of it names. */
  sentAt?: Date;
  lastError?: string;
  /** Why a check-in is failed. */
  failureReason?: 'max_attempts' | 'gone';
  /** Added or moved by a chargé·e: a new plan of the dossier does not move it back. */
  manual?: boolean;
  /** Who added or last moved it (the chargé·e's name), for the others reading the dossier. */
  changedBy?: string;
  /** Cancelled by a chargé·e: who (their name) and when. */
  cancelledBy?: string;
  cancelledAt?: Date;
  /** Cancelled when planned: too close to this other check-in of the dossier (its `_id`). */
  supersededBy?: string;
  /** Cancelled by plan(): the date it was due after is no longer known (the end of the mise en œuvre was cleared). */
  /** Withdrawn by a new plan: its source date gone, or the dossier found out of scope after the call. */
  cancelReason?: WithdrawReason;
  answers?: Record<string, unknown>;
  /** The counts read from the jobs answer (src/followup/checkinAnswers.ts); absent on check-ins answered before they were read. */
  jobCounts?: JobCounts;
  answeredAt?: Date;
  /** Web chat: posted in the structure's conversation, its e-mail to follow; a retry after a failed e-mail does not post again (src/followup/proactive.ts). */
  posted?: CheckinPosted;
  /** Web chat: the e-mail that went with it, or why none did (the chargé·e phones instead). */
  email?: { outcome: 'sent' | CheckinEmailSkip; at: Date };
  createdAt: Date;
  updatedAt: Date;
}

export interface CheckinPosted {
  at: Date;
  /** The conversation's language, the e-mail's. */
  language: Language;
}

const sendSchema = new Schema<CheckinSend>(
  { at: { type: Date, required: true }, instance: { type: String, required: true }, outcome: { type: String, required: true }, error: String },
  { _id: false },
);

const checkinSchema = new Schema<Checkin>(
  {
    _id: String,
    dossierId: { type: String, required: true, index: true },
    milestone: { type: String, required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    sends: { type: [sendSchema], default: [] },
    sentAt: Date,
    lastError: String,
    failureReason: String,
    manual: Boolean,
    changedBy: String,
    cancelledBy: String,
    cancelledAt: Date,
    supersededBy: String,
    cancelReason: String,
    answers: Schema.Types.Mixed,
    jobCounts: Schema.Types.Mixed,
    answeredAt: Date,
    posted: Schema.Types.Mixed,
    email: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'checkins', minimize: false },
);
// The scheduler's query: planned check-ins whose next attempt is due.
checkinSchema.index({ status: 1, nextAttemptAt: 1 });

/** Dossiers whose structure asked for no more check-ins (read by plan() and before each send). */
interface OptOutDoc {
  _id: string;
  at: Date;
}
const optOutSchema = new Schema<OptOutDoc>({ _id: String, at: { type: Date, required: true } }, { versionKey: false, collection: 'checkin_optouts' });

export class CheckinError extends Error {
  constructor(
    readonly code: 'not_found' | 'exists' | 'not_planned' | 'invalid' | 'opted_out',
    readonly checkinId: string,
    message: string,
  ) {
    super(message);
    this.name = 'CheckinError';
  }
}

/** What the scheduler records after an attempt (or instead of one). */
export type CheckinOutcome =
  | { kind: 'sent'; checkin: Checkin; at: Date; instance: string }
  | { kind: 'retry'; checkin: Checkin; at: Date; instance: string; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; checkin: Checkin; at: Date; instance: string; error: string; reason: 'max_attempts' | 'gone' }
  | { kind: 'opted_out'; checkin: Checkin; at: Date }
  | { kind: 'deferred'; checkin: Checkin; at: Date; nextAttemptAt: Date };

export type WithdrawReason = 'source_removed' | 'out_of_scope';

export interface PlanResult {
  created: string[];
  /** Planned, never attempted, not moved by hand: its due date followed the dossier's dates. */
  rescheduled: string[];
  unchanged: string[];
  /** Created cancelled: too close to another check-in of the dossier (Checkin.supersededBy). */
  superseded: string[];
  /** Planned, automatic, its source date gone: cancelled (Checkin.cancelReason). */
  withdrawn: string[];
  /** Withdrawn before, its source date known again: planned again. */
  restored: string[];
}

export interface CheckinRepositoryOptions {
  /**
   * Add the expected status and attempts to the scheduler's update filters (a compare-and-set).
   * Default: on MongoDB yes (atomic and indexed there); on FerretDB no: there such a filter is
   * not atomic either, and any filter other than `_id` alone scans and decodes the collection.
   */
  conditionalUpdates?: boolean;
}

/** A new planned check-in (the bench and plan() build them the same way). */
export function newCheckin(dossierId: string, milestone: string, dueAt: Date, at: Date, status: CheckinStatus = 'planned'): Checkin {
  return {
    _id: CheckinRepository.id(dossierId, milestone), dossierId, milestone, dueAt, status,
    attempts: 0, nextAttemptAt: dueAt, sends: [], createdAt: at, updatedAt: at,
  };
}

/** What a new or restored check-in must keep its distance from: the dossier's check-ins still to come or done. */
function isLive(c: Checkin): boolean {
  return c.status === 'planned' || c.status === 'sent' || c.status === 'answered';
}

/**
 * The in-process lock of each connection's check-ins: every repository on a connection shares it
 * (the back-office's, the conversation's and the scheduler's, however they were built). Another
 * connection stands for another process, whose writes the database alone orders.
 */
const LOCKS = new WeakMap<Connection, KeyedMutex>();

function lockOf(connection: Connection): KeyedMutex {
  let lock = LOCKS.get(connection);
  if (!lock) LOCKS.set(connection, (lock = new KeyedMutex()));
  return lock;
}

export class CheckinRepository {
  private readonly model: Model<Checkin>;
  private readonly optOuts: Model<OptOutDoc>;
  private readonly lock: KeyedMutex;
  private conditional?: Promise<boolean>;

  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date(), options: CheckinRepositoryOptions = {}) {
    this.model = (connection.models.Checkin as Model<Checkin>) ?? connection.model<Checkin>('Checkin', checkinSchema);
    this.optOuts = (connection.models.CheckinOptOut as Model<OptOutDoc>) ?? connection.model<OptOutDoc>('CheckinOptOut', optOutSchema);
    this.lock = lockOf(connection);
    if (options.conditionalUpdates !== undefined) this.conditional = Promise.resolve(options.conditionalUpdates);
  }

  static id(dossierId: string, milestone: string): string {
    return `${dossierId}|${milestone}`;
  }

  /**
   * One change of a dossier's plan at a time in this process: plan(), add(), move(), cancel(),
   * optOut() and optIn() each read the dossier's check-ins or its opt-out, then write from what
   * they read (FerretDB v1 has no atomic conditional update, see KeyedMutex).
   */
  private ofDossier<T>(dossierId: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(`dossier:${dossierId}`, work);
  }

  /** true on MongoDB, false on FerretDB (see CheckinRepositoryOptions.conditionalUpdates). */
  conditionalUpdates(): Promise<boolean> {
    this.conditional ??= conditionalUpdates(this.connection);
    return this.conditional;
  }

  async get(id: string): Promise<Checkin | undefined> {
    return (await this.model.findOne({ _id: id }).lean<Checkin>()) ?? undefined;
  }

  /** The dossier's next planned check-in, if any. */
  async nextPlanned(dossierId: string): Promise<Checkin | undefined> {
    return (await this.list(dossierId)).find((c) => c.status === 'planned');
  }

  /** What a send did on the way (its outcome is record()'s): by `_id`, while the attempt's lease is held. */
  async note(id: string, set: Pick<Checkin, 'posted'> | Pick<Checkin, 'email'>): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: set });
  }

  /** Every check-in of a dossier, earliest due first (read by its list: see the note at the top). */
  async list(dossierId: string): Promise<Checkin[]> {
    const docs = await listed<Checkin>(this.connection, DOSSIER_CHECKINS, dossierId, 'checkins', (c) => c.dossierId === dossierId);
    return docs.sort((a, b) => new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime() || a._id.localeCompare(b._id));
  }

  /**
   * Planned check-ins whose next attempt is due at `now`, at most `limit`. Not sorted: on
   * FerretDB a sort reads the whole collection, an unsorted limit stops early; on MongoDB the
   * {status, nextAttemptAt} index gives them oldest first anyway.
   */
  async due(now: Date, limit: number): Promise<Checkin[]> {
    return this.model.find({ status: 'planned', nextAttemptAt: { $lte: now } }).limit(limit).lean<Checkin[]>();
  }

  /** Check-ins by `_id` (one scan). */
  async getMany(ids: string[]): Promise<Checkin[]> {
    if (!ids.length) return [];
    return this.model.find({ _id: { $in: ids } }).lean<Checkin[]>();
  }

  /**
   * Makes the dossier's planned check-ins match its plan (planCheckins()). Idempotent: a
   * milestone already planned is not planned again; a check-in sent, answered or stopped is
   * left alone; a planned one never attempted and not moved by a chargé·e follows a new due
   * date. A new one due less than `minGapDays` from another live check-in of the dossier is
   * created cancelled, superseded by it (the structure is not asked twice within weeks). A
   * dossier that opted out gets its new check-ins as opted_out.
   * `withoutDate` (milestonesWithoutDate()): milestones whose source date is no longer known.
   * Their check-ins still planned and not taken in hand by a chargé·e are cancelled, with that
   * reason (`reason`: or another one that withdraws them, an out-of-scope decision); planned again
   * like new ones once the date is known again.
   */
  plan(dossierId: string, planned: PlannedCheckin[], minGapDays = 0, withoutDate: readonly string[] = [], reason: WithdrawReason = 'source_removed'): Promise<PlanResult> {
    return this.ofDossier(dossierId, async () => {
      const result: PlanResult = { created: [], rescheduled: [], unchanged: [], superseded: [], withdrawn: [], restored: [] };
      if (!planned.length && !withoutDate.length) return result;
      for (const p of planned) {
        if (!MILESTONE_ID.test(p.milestone)) throw new CheckinError('invalid', CheckinRepository.id(dossierId, p.milestone), `milestone id "${p.milestone}" must be [a-z0-9_]`);
      }
      const existing = new Map((await this.list(dossierId)).map((c) => [c._id, c]));
      // The opt-out record only: check-ins left opted_out after it was lifted stop nothing new.
      const optedOut = await this.isOptedOut(dossierId);
      const at = this.now();
      for (const milestone of withoutDate) {
        const current = existing.get(CheckinRepository.id(dossierId, milestone));
        if (current?.status !== 'planned' || current.manual) continue;
        const set = { status: 'cancelled' as const, cancelReason: reason, updatedAt: at };
        await this.model.updateOne({ _id: current._id }, { $set: set });
        existing.set(current._id, { ...current, ...set });
        result.withdrawn.push(current._id);
      }
      const fresh: Checkin[] = [];
      const restored: Checkin[] = [];
      const live = [...existing.values()].filter(isLive);
      for (const p of planned) {
        const id = CheckinRepository.id(dossierId, p.milestone);
        const current = existing.get(id);
        if (!current || current.cancelReason !== undefined) {
          const near = optedOut ? undefined : tooCloseTo(p.dueAt, live, minGapDays);
          const checkin = newCheckin(dossierId, p.milestone, p.dueAt, at, optedOut ? 'opted_out' : near ? 'cancelled' : 'planned');
          if (near) checkin.supersededBy = near._id;
          else live.push(checkin);
          // A withdrawn one is planned again as if new, keeping when it was first planned and its sends.
          if (current) restored.push({ ...checkin, createdAt: current.createdAt, sends: current.sends ?? [] });
          else fresh.push(checkin);
        } else if (current.status === 'planned' && current.attempts === 0 && !current.manual && new Date(current.dueAt).getTime() !== p.dueAt.getTime()) {
          await this.model.updateOne({ _id: id }, { $set: { dueAt: p.dueAt, nextAttemptAt: p.dueAt, updatedAt: at } });
          result.rescheduled.push(id);
        } else {
          result.unchanged.push(id);
        }
      }
      for (const c of restored) {
        await this.model.replaceOne({ _id: c._id }, c);
        (c.supersededBy ? result.superseded : result.restored).push(c._id);
      }
      if (fresh.length) await addToList(this.connection, DOSSIER_CHECKINS, dossierId, ...fresh.map((c) => c._id));
      const dup = await insertIgnoringDuplicates(this.model.collection, fresh);
      fresh.forEach((c, i) => (dup.has(i) ? result.unchanged : c.supersededBy ? result.superseded : result.created).push(c._id));
      return result;
    });
  }

  /**
   * A chargé·e adds a check-in by hand (milestone: [a-z0-9_], e.g. "manual_20270315", see
   * manualMilestoneId()). Under the dossier's lock, as plan() and optOut(): an opt-out at the same
   * moment either comes first (refused, or created opted_out) or stops it.
   */
  async add(dossierId: string, milestone: string, dueAt: Date, options: { refuseOptedOut?: boolean; by?: string } = {}): Promise<Checkin> {
    const id = CheckinRepository.id(dossierId, milestone);
    if (!MILESTONE_ID.test(milestone)) throw new CheckinError('invalid', id, `milestone id "${milestone}" must be [a-z0-9_]`);
    if (Number.isNaN(dueAt.getTime())) throw new CheckinError('invalid', id, 'dueAt is not a date');
    return this.ofDossier(dossierId, async () => {
      const optedOut = await this.isOptedOut(dossierId);
      if (optedOut && options.refuseOptedOut) throw new CheckinError('opted_out', id, `dossier ${dossierId} asked for no more check-ins`);
      const checkin = { ...newCheckin(dossierId, milestone, dueAt, this.now(), optedOut ? 'opted_out' : 'planned'), manual: true, ...(options.by ? { changedBy: options.by } : {}) };
      await addToList(this.connection, DOSSIER_CHECKINS, dossierId, id);
      const dup = await insertIgnoringDuplicates(this.model.collection, [checkin]);
      if (dup.size) throw new CheckinError('exists', id, `check-in ${id} already exists`);
      return checkin;
    });
  }

  /** A chargé·e moves a planned check-in (its attempts so far are kept). */
  move(id: string, dueAt: Date, by?: string): Promise<Checkin> {
    if (Number.isNaN(dueAt.getTime())) return Promise.reject(new CheckinError('invalid', id, 'dueAt is not a date'));
    return this.changePlanned(id, { dueAt, nextAttemptAt: dueAt, manual: true, ...(by ? { changedBy: by } : {}) });
  }

  /** A chargé·e cancels a planned check-in (`by`: their name, kept with the time). */
  cancel(id: string, by?: string): Promise<Checkin> {
    return this.changePlanned(id, { status: 'cancelled', ...(by ? { cancelledBy: by, cancelledAt: this.now() } : {}) });
  }

  private changePlanned(id: string, set: Partial<Checkin>): Promise<Checkin> {
    // The dossier's lock (its id is "dossierId|milestone"): a plan() at the same moment would move a moved one back.
    const dossierId = id.includes('|') ? id.slice(0, id.lastIndexOf('|')) : id;
    return this.ofDossier(dossierId, async () => {
      const current = await this.get(id);
      if (!current) throw new CheckinError('not_found', id, `check-in ${id} not found`);
      if (current.status !== 'planned') throw new CheckinError('not_planned', id, `check-in ${id} is ${current.status}, not planned`);
      const update = { ...set, updatedAt: this.now() };
      await this.model.updateOne({ _id: id }, { $set: update });
      return { ...current, ...update };
    });
  }

  /**
   * The structure asked for no more check-ins: its planned and sent (unanswered) ones become
   * opted_out, and the dossier is remembered so that later plans and sends honour it.
   * Returns how many check-ins were stopped. Under the dossier's lock: a plan() or add() running
   * at the same moment (a chargé·e recording the end of the mise en œuvre) read the dossier as
   * not opted out and would otherwise insert planned check-ins after this update.
   */
  optOut(dossierId: string): Promise<number> {
    return this.ofDossier(dossierId, async () => {
      await this.optOuts.replaceOne({ _id: dossierId }, { _id: dossierId, at: this.now() }, { upsert: true });
      const stopped = (await this.list(dossierId)).filter((c) => c.status === 'planned' || c.status === 'sent');
      // By `_id` (see the note at the top); on MongoDB its status checked again, as the scheduler's updates are.
      const guarded = await this.conditionalUpdates();
      const set = { $set: { status: 'opted_out', updatedAt: this.now() } };
      let modified = 0;
      for (const c of stopped) modified += (await this.model.updateOne(guarded ? { _id: c._id, status: { $in: ['planned', 'sent'] } } : { _id: c._id }, set)).modifiedCount;
      return modified;
    });
  }

  /**
   * The structure agreed again to be contacted (it told a chargé·e): later check-ins can be
   * planned and sent, and those the opt-out stopped before they were ever sent are planned again
   * — one whose moment has passed at the next allowed time (`quiet`); an automatic one now less
   * than `minGapDays` from another live check-in is cancelled, superseded by it, as plan() does.
   * Those sent (or tried) before stay as they were. Returns whether it had opted out.
   */
  optIn(dossierId: string, options: { quiet?: Partial<QuietHours>; minGapDays?: number } = {}): Promise<boolean> {
    return this.ofDossier(dossierId, async () => {
      const res = await this.optOuts.deleteOne({ _id: dossierId });
      if (!res.deletedCount) return false;
      const checkins = await this.list(dossierId);
      const live = checkins.filter(isLive);
      const at = this.now();
      const sendable = nextAllowedTime(at, options.quiet).getTime();
      for (const c of checkins.filter((c) => c.status === 'opted_out' && c.attempts === 0 && !c.sends?.length)) {
        const nextAttemptAt = new Date(Math.max(new Date(c.nextAttemptAt).getTime(), sendable));
        const near = c.manual ? undefined : tooCloseTo(nextAttemptAt, live, options.minGapDays ?? 0);
        const set = near ? { status: 'cancelled', supersededBy: near._id } : { status: 'planned', nextAttemptAt };
        if (!near) live.push({ ...c, dueAt: nextAttemptAt });
        await this.model.updateOne({ _id: c._id }, { $set: { ...set, updatedAt: at } });
      }
      return true;
    });
  }

  async isOptedOut(dossierId: string): Promise<boolean> {
    return (await this.optOutOf(dossierId)) !== undefined;
  }

  /** When the structure asked for no more check-ins, if it did. */
  async optOutOf(dossierId: string): Promise<{ at: Date } | undefined> {
    return (await this.optOuts.findOne({ _id: dossierId }).lean<OptOutDoc>()) ?? undefined;
  }

  /**
   * For the CSV export: the latest check-in each dossier's structure received (sent, begun or
   * answered; by its last change), and when each dossier opted out. One read of each collection.
   */
  async exportable(): Promise<{ latest: Map<string, Checkin>; optedOut: Map<string, Date> }> {
    const [received, optOuts] = await Promise.all([
      this.model.find({ $or: [{ answers: { $exists: true } }, { status: { $in: ['sent', 'answered'] } }] }).lean<Checkin[]>(),
      this.optOuts.find({}).lean<OptOutDoc[]>(),
    ]);
    const latest = new Map<string, Checkin>();
    const time = (c: Checkin) => new Date(c.answeredAt ?? c.updatedAt).getTime();
    for (const c of received) {
      const kept = latest.get(c.dossierId);
      if (!kept || time(c) > time(kept)) latest.set(c.dossierId, c);
    }
    return { latest, optedOut: new Map(optOuts.map((o) => [o._id, o.at])) };
  }

  /** Which of these dossiers opted out (one read of a small collection). */
  async optedOutAmong(dossierIds: string[]): Promise<Set<string>> {
    if (!dossierIds.length) return new Set();
    const docs = await this.optOuts.find({ _id: { $in: [...new Set(dossierIds)] } }).lean();
    return new Set(docs.map((d) => d._id));
  }

  /**
   * Records what the scheduler did, one update per check-in, in bulkWrites of BULK_CHUNK. The caller
   * holds the lease of each check-in's current attempt: no other scheduler writes it meanwhile.
   */
  async record(outcomes: CheckinOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    const guarded = await this.conditionalUpdates();
    const ops = outcomes.map((o): AnyBulkWriteOperation => {
      const filter = guarded ? { _id: o.checkin._id, status: 'planned' as const, attempts: o.checkin.attempts } : { _id: o.checkin._id };
      const at = o.at;
      switch (o.kind) {
        case 'sent':
          return { updateOne: { filter, update: { $set: { status: 'sent', sentAt: at, updatedAt: at }, $push: { sends: { at, instance: o.instance, outcome: 'sent' } } } } };
        case 'retry':
          return { updateOne: { filter, update: {
            $set: { attempts: o.checkin.attempts + 1, nextAttemptAt: o.nextAttemptAt, lastError: o.error, updatedAt: at },
            $push: { sends: { at, instance: o.instance, outcome: 'error', error: o.error } },
          } } };
        case 'failed': {
          const send: CheckinSend = o.reason === 'gone'
            ? { at, instance: o.instance, outcome: 'gone', error: o.error }
            : { at, instance: o.instance, outcome: 'error', error: o.error };
          return { updateOne: { filter, update: {
            $set: { status: 'failed', failureReason: o.reason, attempts: o.checkin.attempts + (o.reason === 'gone' ? 0 : 1), lastError: o.error, updatedAt: at },
            $push: { sends: send },
          } } };
        }
        case 'opted_out':
          return { updateOne: { filter, update: { $set: { status: 'opted_out', updatedAt: at } } } };
        case 'deferred':
          return { updateOne: { filter, update: { $set: { nextAttemptAt: o.nextAttemptAt, updatedAt: at } } } };
      }
    });
    await bulkWriteInChunks(this.model.collection, ops as Parameters<typeof this.model.collection.bulkWrite>[0]);
  }
}
