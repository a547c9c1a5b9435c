import { Connection, mongo } from 'mongoose';
import { inBatches } from '../async';
import { JobCounts, jobsAnswerText, readJobCounts } from '../domain/jobCounts';
import { DOSSIER_CHECKINS, listIds } from '../store/lookups';
import type { Checkin } from './checkins';
import { TurnReads } from './turnReads';

export interface CheckinState {
  _id: string;
  dossierId: string;
  status: string;
  answers?: Record<string, unknown>;
  /** The counts read from the jobs answer (kept beside it, as typed): see src/domain/jobCounts.ts. */
  jobCounts?: JobCounts;
  /** When it last reached the structure (Checkin.sentAt). */
  sentAt?: Date;
}

type StoredCheckin = CheckinState & Partial<Pick<Checkin, 'sends' | 'answeredAt' | 'updatedAt'>>;

const TURN_READS = Symbol('checkinAnswers.turnReads');
const TURN_LISTS = Symbol('checkinAnswers.turnLists');

/** The reads of one turn: each check-in by `_id`, and each dossier's list of check-ins (DOSSIER_CHECKINS). */
interface Reads {
  checkins: TurnReads<CheckinState | null>;
  lists: TurnReads<string[]>;
}

/**
 * What the check-in conversation reads and writes on a check-in (collection `checkins`, owned
 * by the scheduler's repository, which also handles the opt-out): answers one by one (partial
 * answers are kept) and completion. Single-document updates by `_id`.
 */
export class CheckinAnswers {
  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date(), private readonly reads?: Reads) {}

  /**
   * The same, for one turn (`turnState`: TurnContext.turnState): each check-in read once in the
   * turn, and read again after this turn writes it here (TurnReads); each dossier's list of
   * check-ins read once (a turn plans none that pendingFor() looks for: a new one is planned).
   */
  inTurn(turnState: Map<unknown, unknown>): CheckinAnswers {
    return new CheckinAnswers(this.connection, this.now, { checkins: TurnReads.of(turnState, TURN_READS), lists: TurnReads.of(turnState, TURN_LISTS) });
  }

  /** What this turn read is read again: the check-ins were written elsewhere (the opt-out, by the follow-up's repository). */
  forgetReads(): void {
    this.reads?.checkins.clear();
    this.reads?.lists.clear();
  }

  private get checkins() {
    return this.connection.db!.collection<StoredCheckin>('checkins');
  }

  get(id: string): Promise<CheckinState | null> {
    const read = (key: string) => this.checkins.findOne({ _id: key });
    return this.reads ? this.reads.checkins.read(id, read) : read(id);
  }

  /** A write of check-in `id`, after which this turn reads it again. */
  private async write(id: string, update: mongo.UpdateFilter<StoredCheckin>): Promise<void> {
    try {
      await this.checkins.updateOne({ _id: id }, update);
    } finally {
      this.reads?.checkins.forget(id);
    }
  }

  /**
   * The check-in sent to this dossier and not answered yet, if any. One sent before `sentAt` was
   * recorded gets it from its sends. Read by the dossier's list (src/store/lookups.ts: a filter on
   * `dossierId` scans every check-in on FerretDB), in a turn once (inTurn()).
   */
  async pendingFor(dossierId: string): Promise<CheckinState | undefined> {
    const readIds = (key: string) => listIds(this.connection, DOSSIER_CHECKINS, key);
    const ids = await (this.reads ? this.reads.lists.read(dossierId, readIds) : readIds(dossierId));
    const checkins: (StoredCheckin | null)[] = await inBatches(ids, 8, (id) => this.get(id));
    const sent = checkins.find((c): c is StoredCheckin => c?.dossierId === dossierId && c.status === 'sent');
    return sent && { ...sent, sentAt: sent.sentAt ?? sent.sends?.filter((s) => s.outcome === 'sent').at(-1)?.at };
  }

  /**
   * The answer to question `key`, as read. The jobs answer (the structure's words) also gets the
   * counts read from it (`jobCounts`, beside `answers`: the answers stay as they were stored before
   * the counts were), read again whenever the answer is replaced (« non en fait 3 embauches »).
   */
  async saveAnswer(id: string, key: string, value: unknown): Promise<void> {
    const text = key === 'jobs' ? jobsAnswerText(value) : undefined;
    const counts = text === undefined ? {} : { jobCounts: readJobCounts(text) };
    await this.write(id, { $set: { [`answers.${key}`]: value, ...counts, updatedAt: this.now() } });
  }

  /** The structure says the counts read from its jobs answer are right (true), or not (false: they are dropped, its words stay). */
  async confirmJobCounts(id: string, right: boolean): Promise<void> {
    const counts = (await this.get(id))?.jobCounts;
    if (!counts) return;
    const jobCounts: JobCounts = right ? { ...counts, confirmed: true } : { unsure: true, rejected: true };
    await this.write(id, { $set: { jobCounts, updatedAt: this.now() } });
  }

  /** A need said at another question than the new-needs one (`answers.needsSaid`, in order): handed off at the end. */
  async addNeedSaid(id: string, text: string): Promise<void> {
    await this.write(id, { $push: { 'answers.needsSaid': text.trim().slice(0, 2000) }, $set: { updatedAt: this.now() } });
  }

  async complete(id: string): Promise<void> {
    await this.write(id, { $set: { status: 'answered', answeredAt: this.now(), updatedAt: this.now() } });
  }
}
