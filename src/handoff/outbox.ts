import { errorText, exponentialBackoff, inBatches, withTimeout } from '../async';
import { randomUUID } from 'node:crypto';
import { Connection, Model, Schema } from 'mongoose';
import { reachable } from '../domain/callBack';
import { messageRoom, MESSAGES_MAX, WITHDRAWN_BY } from '../domain/handoffMessage';
import { normalizeDepartementCode } from '../domain/territory';
import { log } from '../log';
import { conditionalUpdates } from '../store/db';
import { KeyedMutex } from '../store/keyedMutex';
import { defaultInstanceId, Lease, Leases } from '../store/leases';
import { addToList, DOSSIER_HANDOFFS, DUE, HANDOFFS_DUE, listed, listIds, NO_DOSSIER, removeFromList } from '../store/lookups';
import { Notifier, PermanentDeliveryError } from './notifiers/notifier';
import type { Delivery, DeliveryEvent, Handoff, HandoffStatus, HandoffUpdate, NotifierKind } from './types';

/**
 * The handoff outbox: a handoff is stored first, with one pending Delivery per configured
 * notifier, and only then sent. A notifier that fails leaves its delivery pending, retried with
 * backoff until maxAttempts; the handoff itself is never lost and the other notifiers do not wait.
 *
 * Delivery is at least once: a crash between a send and its record sends it again on restart
 * (the webhook's X-DLA-Delivery and the e-mail's Message-ID let the receiving side drop it).
 *
 * A contact added to a handoff already delivered (addContact) is an update: each configured
 * notifier that delivered the handoff without it gets one more delivery (event 'contactAdded'),
 * queued and retried as the first; one still pending sends the contact in its first message
 * instead. A contact corrected since (updateContact) is told the same way (event 'contactUpdated').
 * addContact and updateContact only mark the handoff (contactNoticeAt); the drain queues the updates, so
 * that only the drain writes the deliveries. The update's id comes from the day the contact was
 * added: queued again (a crash, another instance), it is the same update for the receiver.
 * A message the structure adds (addMessage) is told the same way (event 'messageAdded', marked
 * by messageNoticeAt): each update carries every message of the handoff, so one still pending
 * (a notifier down) carries those added meanwhile, and no second one is queued.
 * A status change (claimed, closed, reopened: setStatus, from the back-office, a Teams click or a
 * hub) is shown on what a notifier that can change it posted (Notifier.refresh: the Teams cards)
 * the same way (event 'statusChanged', marked by statusNoticeAt): queued by the drain, retried, and
 * one still pending shows the status of when it is sent. The change itself never waits for it.
 *
 * Concurrency: any number of instances (processes) may run the drain loop on one database.
 * Drains are serialised within this process; across processes, a handoff's due deliveries are
 * sent under a lease (src/store/leases.ts, as the follow-up scheduler's check-ins): the lease
 * `<handoffId>#<deliveryVersion>#<generation>` is inserted in `handoff_leases` (one insert
 * succeeds: FerretDB v1 applies no conditional update atomically, an insert of an `_id` it
 * does), the handoff is read again, sent, and recorded with deliveryVersion + 1 only while the
 * lease runs. Every write of the deliveries (a drain's record, retry()) holds that lease. A
 * crashed instance's lease is taken over once expired (leaseMs): what it sent and did not
 * record is sent again, under the same ids (see above).
 *
 * What is due: on MongoDB, the indexed query on nextDeliveryAt and the notices. On the embedded
 * FerretDB that query reads and decodes every handoff (only `_id` alone is answered by index), so
 * the drain reads by `_id` the handoffs listed in HANDOFFS_DUE (src/store/lookups.ts): a handoff is
 * listed before a write makes a delivery pending or sets a notice (create, record, the notice
 * writers), and taken out once, read again, it has nothing pending and no notice left — listing and
 * unlisting under its statusLock, which orders them in the one process of an embedded FerretDB. The
 * list may name more than is due (a crash after a listing), never less; were it lost all the same (a
 * restore, a hand edit), the drain runs the full query at its first run and every FULL_SCAN_MS, and
 * lists what it finds. Measured (bench/writes.ts, 2,000 dossiers, medians): a drain with nothing due
 * 868–1,393 → 1–5 ms, with one handoff due 1,100–1,187 → 26–36 ms; it runs every 15 s.
 */

/** What create() takes: the packet without its outbox state. */
export type NewHandoff = Omit<Handoff, '_id' | 'status' | 'deliveries' | 'createdAt' | 'updatedAt'> & {
  /** A caller-chosen id makes create() idempotent (same id: the stored handoff is returned). */
  _id?: string;
};

/** Each delivery handled by one drain ends in exactly one of these. */
export interface DrainResult {
  /** Delivered now. */
  sent: number;
  /** Given up now (maxAttempts reached, or a failure retrying cannot fix). */
  failed: number;
  /** Failed now, retried at its nextAttemptAt. */
  pending: number;
}

export interface HandoffOutboxOptions {
  /** Attempts per delivery before it is marked failed (config.handoff.maxAttempts). */
  maxAttempts: number;
  now?: () => Date;
  /** Delay before the next attempt, in ms, given the attempts made so far (1 after the first failure). */
  backoff?: (attempts: number) => number;
  /** A send still running after this is counted as failed (default 60 s; less than leaseMs). */
  sendTimeoutMs?: number;
  /** How long a handoff's lease protects its sends and their record (default 120 s). */
  leaseMs?: number;
  /** Names this process in its leases (default host:pid:random). */
  instanceId?: string;
  /** Handoffs read per drain (default 100; the next drain takes the rest). */
  batchSize?: number;
  /**
   * Told after each write of a handoff of this dossier (the back-office's summary of the dossier, which
   * its handoff list and CSV read): created, moved, its contact or messages, its deliveries.
   */
  stateChanged?: (dossierId: string) => Promise<void>;
  /**
   * Whether the handoff's structure was erased since it was stored (ErasureRegister.handoffErased):
   * asked right before each delivery; erased, the handoff is forgotten, never sent.
   */
  erased?: (handoff: Handoff) => Promise<boolean>;
}

export interface HandoffListQuery {
  /** A HandoffStatus (typed string: the dialogs' HandoffStore passes a string), or any of several. */
  status?: HandoffStatus | (string & Record<never, never>) | readonly HandoffStatus[];
  /** A dossier's handoffs: read by its list of them (see ofDossier), the other filters applied to those. */
  dossierId?: string;
  departement?: string;
  /** The conversation the handoff was made from (its transcript reference). */
  conversationId?: string;
  /** Default 200, newest first. */
  limit?: number;
  /** Only these fields of each handoff (a list that needs two fields does not read whole packets). */
  fields?: readonly (keyof Handoff)[];
}

/** How often the drain on the embedded FerretDB runs the full query as well as reading the list of those due (see the class note). */
export const FULL_SCAN_MS = 10 * 60_000;
/** The handoff's fields that say whether, and when, it is due. */
const DUE_FIELDS = '_id deliveryVersion nextDeliveryAt contactNoticeAt messageNoticeAt statusNoticeAt';

/** 30 s, 1 min, 2 min, 4 min… capped at 1 h. */
export function defaultBackoff(attempts: number): number {
  return exponentialBackoff(attempts, 30_000, 2, 3_600_000);
}

/** Status changes a chargé·e can make: open → claimed → closed; an open one can be closed; a claimed one released. */
export const HANDOFF_TRANSITIONS: Readonly<Record<HandoffStatus, readonly HandoffStatus[]>> = {
  open: ['claimed', 'closed'],
  claimed: ['closed', 'open'],
  // Closed by mistake (or the structure came back): a chargé·e reopens it.
  closed: ['open'],
};

export class HandoffStateError extends Error {
  constructor(
    /** nothing_to_retry: no failed delivery; closed: dealt with, not sent again; busy: another instance is sending it right now. */
    readonly code: 'not_found' | 'invalid_transition' | 'nothing_to_retry' | 'closed' | 'busy',
    readonly handoffId: string,
    readonly from?: HandoffStatus,
    readonly to?: HandoffStatus,
  ) {
    super(code === 'invalid_transition' ? `Handoff ${handoffId} cannot go from ${from} to ${to}` : `Handoff ${handoffId}: ${code.replace(/_/g, ' ')}`);
    this.name = 'HandoffStateError';
  }
}

/** The stored document: the packet plus the earliest due delivery (null when none is pending). */
interface HandoffDoc extends Handoff {
  nextDeliveryAt: Date | null;
  /** How many times the deliveries were written under a lease (absent: 0); part of the lease's key. */
  deliveryVersion?: number;
  /** A contact added that the drain has not yet turned into updates (see addContact). */
  contactNoticeAt?: Date;
  /** A message added that the drain has not yet turned into updates (see addMessage). */
  messageNoticeAt?: Date;
  /** A status change the drain has not yet shown on the cards posted (see setStatus). */
  statusNoticeAt?: Date;
}

/** What addMessage did: the handoff with the message, or why it was refused (a closed handoff, MESSAGES_MAX reached, none). */
export type AddedMessage = { handoff: Handoff } | { refused: 'closed' | 'full' | 'not_found' };

const deliverySchema = new Schema<Delivery>(
  {
    notifier: { type: String, required: true },
    event: String,
    eventId: String,
    status: { type: String, required: true },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    sentAt: Date,
    recipients: { type: [String], default: undefined },
    contactAddedAt: Date,
    contactUpdatedAt: Date,
    messageCount: Number,
    messageId: String,
  },
  { _id: false },
);

const handoffSchema = new Schema<HandoffDoc>(
  {
    _id: String,
    dossierId: { type: String, index: true },
    reason: { type: String, required: true, index: true },
    urgency: { type: String, required: true },
    departement: { type: String, index: true },
    structureName: String,
    contact: Schema.Types.Mixed,
    contactAddedAt: Date,
    contactUpdatedAt: Date,
    eligibility: Schema.Types.Mixed,
    chargeDecision: Schema.Types.Mixed,
    answers: { type: Schema.Types.Mixed, default: undefined },
    diagnostic: Schema.Types.Mixed,
    message: String,
    request: String,
    messages: { type: [new Schema({ text: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false })], default: undefined },
    consent: { type: Boolean, required: true },
    transcript: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, index: true },
    claimedBy: String,
    claimedByName: String,
    claimedAt: Date,
    closedBy: String,
    closedByName: String,
    reopenedBy: String,
    reopenedByName: String,
    reopenedAt: Date,
    reopenedFrom: String,
    closedAt: Date,
    deliveries: { type: [deliverySchema], default: [] },
    nextDeliveryAt: { type: Date, default: null, index: true },
    deliveryVersion: Number,
    contactNoticeAt: { type: Date, index: true },
    messageNoticeAt: { type: Date, index: true },
    statusNoticeAt: { type: Date, index: true },
    createdAt: { type: Date, required: true, index: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'handoffs', minimize: false },
);
// handoff.status events without a handoffId find theirs by conversation.
handoffSchema.index({ 'transcript.conversationId': 1 });

function toHandoff(doc: HandoffDoc): Handoff {
  const { nextDeliveryAt: _next, contactNoticeAt: _notice, messageNoticeAt: _message, statusNoticeAt: _status, deliveryVersion: _version, ...handoff } = doc;
  return handoff;
}

function recipientsOf(notifier: Notifier, handoff: Handoff): string[] | undefined {
  try {
    return notifier.recipients(handoff);
  } catch (err) {
    log.warn('Handoff notifier could not name its recipients', { notifier: notifier.kind, error: err as Error });
    return undefined;
  }
}

function leaseKey(doc: Pick<HandoffDoc, '_id' | 'deliveryVersion'>): string {
  return `${doc._id}#${doc.deliveryVersion ?? 0}`;
}

function nextDue(deliveries: Delivery[]): Date | null {
  const pending = deliveries.filter((d) => d.status === 'pending').map((d) => new Date(d.nextAttemptAt).getTime());
  return pending.length ? new Date(Math.min(...pending)) : null;
}

export class HandoffOutbox {
  private readonly model: Model<HandoffDoc>;
  private readonly byKind = new Map<NotifierKind, Notifier>();
  private readonly now: () => Date;
  private readonly backoff: (attempts: number) => number;
  private readonly statusLock = new KeyedMutex();
  private readonly leases: Leases;
  private readonly sendTimeoutMs: number;
  /** Every drain (and retry) runs after the previous one: never the same delivery twice at once. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A drain queued and not started yet: another drain() joins it instead of queuing one more. */
  private waiting?: Promise<DrainResult>;
  private timer?: NodeJS.Timeout;
  /** When the drain last ran the full query on the embedded FerretDB (this.now()'s time; never: -Infinity). */
  private fullScanAt = -Infinity;

  constructor(private readonly connection: Connection, notifiers: Notifier[], private readonly options: HandoffOutboxOptions) {
    this.model = (connection.models.Handoff as Model<HandoffDoc>) ?? connection.model<HandoffDoc>('Handoff', handoffSchema);
    for (const n of notifiers) {
      if (this.byKind.has(n.kind)) throw new Error(`HandoffOutbox: two notifiers of kind ${n.kind}`);
      this.byKind.set(n.kind, n);
    }
    if (!(options.maxAttempts >= 1)) throw new Error('HandoffOutbox: maxAttempts must be at least 1');
    this.now = options.now ?? (() => new Date());
    this.backoff = options.backoff ?? defaultBackoff;
    const leaseMs = options.leaseMs ?? 120_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? Math.min(60_000, Math.floor(leaseMs / 2));
    if (!(this.sendTimeoutMs > 0 && this.sendTimeoutMs < leaseMs)) throw new RangeError('HandoffOutbox: sendTimeoutMs must be positive and shorter than leaseMs');
    this.leases = new Leases(() => connection.db!.collection('handoff_leases'), {
      instanceId: options.instanceId ?? defaultInstanceId(), leaseMs, retentionMs: 7 * 24 * 3_600_000, what: 'Handoff outbox', now: this.now,
    });
  }

  /** The configured notifiers' kinds, in order. */
  get notifierKinds(): NotifierKind[] {
    return [...this.byKind.keys()];
  }

  /** Stores the handoff with one pending delivery per notifier (due now); a running loop drains at once. */
  async create(input: NewHandoff): Promise<Handoff> {
    const at = this.now();
    // A new handoff is open: a claim given by the caller is ignored.
    const { claimedBy: _by, claimedAt: _at, closedAt: _closed, ...packet } = input;
    const handoff: Handoff = {
      ...packet,
      _id: input._id ?? randomUUID(),
      departement: input.departement ? normalizeDepartementCode(input.departement) : undefined,
      status: 'open',
      deliveries: [],
      createdAt: at,
      updatedAt: at,
    };
    if (handoff.departement === undefined) delete handoff.departement;
    handoff.deliveries = [...this.byKind.values()].map((n) => ({ notifier: n.kind, status: 'pending', attempts: 0, nextAttemptAt: at, recipients: recipientsOf(n, handoff) ?? [] }));
    // Listed first: the dossier's page reads its handoffs by this list (src/store/lookups.ts), the back-office's handoff list those without a dossier.
    await addToList(this.connection, DOSSIER_HANDOFFS, handoff.dossierId ?? NO_DOSSIER, handoff._id);
    // Under its lock: a drain that reads it listed and not yet stored leaves it listed (unlistIdle).
    const existing = await this.statusLock.run(handoff._id, async () => {
      if (handoff.deliveries.length) await this.listDue(handoff._id);
      try {
        await this.model.create({ ...handoff, nextDeliveryAt: nextDue(handoff.deliveries) });
        return undefined;
      } catch (err) {
        const stored = (err as { code?: number }).code === 11000 && input._id ? await this.get(input._id) : undefined;
        if (stored) return stored;
        throw err;
      }
    });
    if (existing) return existing;
    log.info('Handoff stored', { handoff: handoff._id, reason: handoff.reason, departement: handoff.departement, notifiers: this.notifierKinds.join(',') });
    await this.written(handoff);
    if (this.timer && handoff.deliveries.length) this.drainInBackground();
    return handoff;
  }

  async get(id: string): Promise<Handoff | undefined> {
    const doc = await this.model.findOne({ _id: id }).lean<HandoffDoc>();
    return doc ? toHandoff(doc) : undefined;
  }

  async list(query: HandoffListQuery = {}): Promise<Handoff[]> {
    if (query.dossierId) return this.ofDossier(query.dossierId, query);
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = Array.isArray(query.status) ? { $in: query.status } : query.status;
    if (query.departement) filter.departement = normalizeDepartementCode(query.departement);
    if (query.conversationId) filter['transcript.conversationId'] = query.conversationId;
    const found = this.model.find(filter).sort({ createdAt: -1 }).limit(query.limit ?? 200);
    const docs = await (query.fields ? found.select(query.fields.join(' ')) : found).lean<HandoffDoc[]>();
    return docs.map(toHandoff);
  }

  /**
   * A dossier's handoffs, read by `_id` from its list (src/store/lookups.ts): what the dossier
   * holds, not the whole collection. The other filters of `query` apply to what is read (whole:
   * a dossier has a few).
   */
  private async ofDossier(dossierId: string, query: HandoffListQuery): Promise<Handoff[]> {
    const statuses = query.status === undefined ? undefined : ([] as string[]).concat(query.status as string | string[]);
    const departement = query.departement && normalizeDepartementCode(query.departement);
    const docs = await listed<HandoffDoc>(this.connection, DOSSIER_HANDOFFS, dossierId, 'handoffs', (h) => h.dossierId === dossierId
      && (!statuses || statuses.includes(h.status))
      && (!departement || h.departement === departement)
      && (!query.conversationId || h.transcript?.conversationId === query.conversationId));
    return docs.sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime()).slice(0, query.limit ?? 200).map(toHandoff);
  }

  /** Sends every due pending delivery, once; concurrent calls are serialised (see the class note). */
  drain(): Promise<DrainResult> {
    if (this.waiting) return this.waiting;
    const run = this.exclusive(() => {
      this.waiting = undefined;
      return this.drainOnce();
    });
    this.waiting = run;
    return run;
  }

  /**
   * Puts failed deliveries of a handoff back in the queue, due now, with a fresh count of attempts
   * (under the handoff's lease). HandoffStateError: not_found, nothing_to_retry (none failed),
   * closed (dealt with: the chargé·es are not told of it again), busy (another instance is
   * sending this handoff right now).
   */
  retry(id: string, notifier?: NotifierKind): Promise<Handoff> {
    return this.exclusive(async () => {
      const failed = (deliveries: Delivery[]) => givenUp(deliveries).filter((d) => !notifier || d.notifier === notifier);
      const seen = await this.model.findOne({ _id: id }).select('_id status deliveryVersion deliveries').lean<HandoffDoc>();
      if (!seen) throw new HandoffStateError('not_found', id);
      if (seen.status === 'closed') throw new HandoffStateError('closed', id);
      if (!failed(seen.deliveries).length) throw new HandoffStateError('nothing_to_retry', id);
      const [lease] = await this.leases.claim([{ key: leaseKey(seen), item: seen.deliveryVersion ?? 0, fields: { handoffId: id } }], this.now());
      const doc = lease && await this.model.findOne({ _id: id }).lean<HandoffDoc>();
      // Recorded by another instance between the two reads: its state is what the user has to see first.
      if (!doc || (doc.deliveryVersion ?? 0) !== lease.item) throw new HandoffStateError('busy', id);
      const at = this.now();
      for (const d of failed(doc.deliveries)) Object.assign(d, { status: 'pending', attempts: 0, nextAttemptAt: at });
      if (!(await this.record(lease, doc, at))) throw new HandoffStateError('busy', id);
      log.info('Handoff deliveries retried', { handoff: id, notifier });
      if (this.timer) this.drainInBackground();
      return toHandoff(doc);
    });
  }

  /** Drains now, then every intervalMs (timer unref'd: it never keeps the process alive). */
  start(intervalMs = 15_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.drainInBackground(), intervalMs);
    this.timer.unref();
    this.drainInBackground();
  }

  /** Stops the loop and waits for a drain in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  claim(id: string, by: string, byName?: string): Promise<Handoff> {
    return this.setStatus(id, 'claimed', by, byName);
  }

  close(id: string, by: string, byName?: string): Promise<Handoff> {
    return this.setStatus(id, 'closed', by, byName);
  }

  /** Back to open: a claim released (someone else takes it up), or a handoff closed by mistake. */
  reopen(id: string, by?: string, byName?: string): Promise<Handoff> {
    return this.setStatus(id, 'open', by, byName);
  }

  /**
   * A way to reach the structure given after its request was passed on without one: the handoff's
   * contact, and the day from which the call back is promised (contactAddedAt). The chargé·es
   * already notified are told by an update (the next drain queues it: see the class note).
   */
  addContact(id: string, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined> {
    return this.setContact(id, contact, 'contactAddedAt');
  }

  /**
   * The structure corrected the contact its handoff went out with (« je me suis trompée de
   * numéro… »): the handoff's contact is replaced and the day recorded (contactUpdatedAt); the
   * call back promised stays as it was. The chargé·es already notified are told by a
   * 'contactUpdated' update (queued by the next drain). A closed handoff is left as it is
   * (undefined is returned).
   */
  updateContact(id: string, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined> {
    return this.setContact(id, contact, 'contactUpdatedAt', true);
  }

  /**
   * A detail the structure added in its own words (« Trésorerie tendue »), appended to the
   * handoff's messages (text already cut: src/domain/handoffMessage.ts). Refused for a closed
   * handoff and once it holds MESSAGES_MAX. The chargé·es already notified are told by a
   * 'messageAdded' update (queued by the next drain).
   */
  addMessage(id: string, text: string): Promise<AddedMessage> {
    return this.statusLock.run(id, async () => {
      const at = this.now();
      // Refused in the write itself (closed, or MESSAGES_MAX held): another instance may have closed or filled it.
      const filter = await this.onlyIf(id, { status: { $ne: 'closed' }, [`messages.${MESSAGES_MAX - 1}`]: { $exists: false } }, 'status messages', (h) => messageRoom(h) === 'ok');
      if (filter) await this.listDue(id);
      const doc = filter && await this.model.findOneAndUpdate(filter,
        { $push: { messages: { text, at } }, $set: { messageNoticeAt: at, updatedAt: at } }, { returnDocument: 'after' }).lean<HandoffDoc>();
      if (!doc) {
        const seen = await this.model.findOne({ _id: id }).select('_id status messages').lean<HandoffDoc>();
        return { refused: !seen ? 'not_found' as const : messageRoom(seen) === 'closed' ? 'closed' as const : 'full' as const };
      }
      const handoff = toHandoff(doc);
      log.info('Handoff message added', { handoff: id, messages: handoff.messages?.length });
      await this.written(handoff);
      if (this.timer) this.drainInBackground();
      return { handoff };
    });
  }

  /**
   * The structure withdraws its request (« je voudrais annuler ma demande »), open or taken up: its
   * words appended to the messages (even once MESSAGES_MAX are held: its last ones) and the handoff
   * closed by WITHDRAWN_BY, in one write — whenever the drain runs, it finds both, so the chargé·es
   * already notified get one 'messageAdded' update that says the request was withdrawn (a withdrawn
   * handoff's: src/handoff/render.ts, the webhook's `status`), and the Teams cards show it closed.
   * Open, it is recorded as taken up by the structure too, as a close records it (setStatus): the CSV's
   * « pris en charge par » says who ended it. Undefined when it was closed meanwhile (or is unknown).
   */
  withdraw(id: string, text: string): Promise<Handoff | undefined> {
    return this.statusLock.run(id, async () => {
      const handoff = await this.get(id);
      if (!handoff || handoff.status === 'closed') return undefined;
      const at = this.now();
      const shown = handoff.deliveries.some((d) => this.byKind.get(d.notifier)?.refresh);
      // Refused in the write itself on MongoDB: another instance may have closed it (onlyIf).
      const filter = await this.onlyIf(id, { status: { $ne: 'closed' } }, 'status', (h) => h.status !== 'closed');
      if (filter) await this.listDue(id);
      const doc = filter && await this.model.findOneAndUpdate(filter, {
        $push: { messages: { text, at } },
        $set: {
          status: 'closed', closedAt: at, closedBy: WITHDRAWN_BY, ...(handoff.claimedBy ? {} : { claimedBy: WITHDRAWN_BY, claimedAt: at }),
          updatedAt: at, messageNoticeAt: at, ...(shown ? { statusNoticeAt: at } : {}),
        },
      }, { returnDocument: 'after' }).lean<HandoffDoc>();
      if (!doc) return undefined;
      const withdrawn = toHandoff(doc);
      log.info('Handoff withdrawn by the structure', { handoff: id, from: handoff.status });
      await this.written(withdrawn);
      if (this.timer) this.drainInBackground();
      return withdrawn;
    });
  }

  /** The contact set with the day it was (`dated`), the update queued for the next drain; undefined when there is no such handoff, or it is closed and `unlessClosed`. */
  private setContact(id: string, contact: NonNullable<Handoff['contact']>, dated: 'contactAddedAt' | 'contactUpdatedAt', unlessClosed = false): Promise<Handoff | undefined> {
    return this.statusLock.run(id, async () => {
      const at = this.now();
      const filter = unlessClosed ? await this.onlyIf(id, { status: { $ne: 'closed' } }, 'status', (h) => h.status !== 'closed') : { _id: id };
      if (filter) await this.listDue(id);
      const { matchedCount } = filter ? await this.model.updateOne(filter, { $set: { contact, [dated]: at, contactNoticeAt: at, updatedAt: at } }) : { matchedCount: 0 };
      if (!matchedCount) return undefined;
      const handoff = await this.get(id);
      if (handoff) await this.written(handoff);
      if (this.timer) this.drainInBackground();
      return handoff;
    });
  }

  /**
   * Moves a handoff along HANDOFF_TRANSITIONS (HandoffStateError otherwise). Claiming records
   * who and when; closing records who closed it and when (closing an open handoff also records
   * that person as the one who took it up); reopening (a claim released, or a handoff closed by
   * mistake) forgets who took it up and closed it, and records who reopened it, when and from what.
   */
  setStatus(id: string, to: HandoffStatus, by?: string, byName?: string): Promise<Handoff> {
    return this.statusLock.run(id, async () => {
      const handoff = await this.get(id);
      if (!handoff) throw new HandoffStateError('not_found', id);
      const from = handoff.status;
      if (!HANDOFF_TRANSITIONS[from].includes(to)) throw new HandoffStateError('invalid_transition', id, from, to);
      if (to === 'claimed' && !by?.trim()) throw new TypeError('claim needs who claims it');
      const at = this.now();
      // Shown on the cards posted for it (queued by the next drain): only where a notifier can change what it posted.
      const shown = handoff.deliveries.some((d) => this.byKind.get(d.notifier)?.refresh);
      const set: Partial<HandoffDoc> = { status: to, updatedAt: at, ...(shown ? { statusNoticeAt: at } : {}) };
      const unset: Record<string, ''> = {};
      const name = byName?.trim() || undefined;
      const claim = { claimedBy: by, claimedAt: at, ...(name ? { claimedByName: name } : {}) };
      if (to === 'claimed') Object.assign(set, claim);
      if (to === 'closed') {
        set.closedAt = at;
        if (by) Object.assign(set, { closedBy: by, ...(name ? { closedByName: name } : {}) });
        if (!handoff.claimedBy && by) Object.assign(set, claim);
      }
      const forgotten = ['claimedBy', 'claimedByName', 'claimedAt', 'closedBy', 'closedByName', 'closedAt'] as const;
      if (to === 'open') {
        for (const key of forgotten) unset[key] = '';
        Object.assign(set, { reopenedFrom: from, reopenedAt: at, ...(by ? { reopenedBy: by } : {}), ...(name ? { reopenedByName: name } : {}) });
      }
      if (shown) await this.listDue(id);
      await this.model.updateOne({ _id: id }, Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set });
      const { statusNoticeAt: _notice, ...changed } = set;
      const updated: Handoff = { ...handoff, ...changed };
      if (to === 'open') for (const key of forgotten) delete updated[key];
      log.info('Handoff status changed', { handoff: id, from, to, by });
      await this.written(handoff);
      if (shown && this.timer) this.drainInBackground();
      return updated;
    });
  }

  /**
   * Deletes a handoff whose structure was erased since it was stored (a turn that passed it on
   * while the erasure ran, or a delivery that found it so): the handoff, its place in the lists of
   * handoffs (its dossier's, or those without one), and its sends' leases.
   */
  async forget(id: string): Promise<void> {
    const doc = await this.model.findOne({ _id: id }).select('dossierId').lean<Pick<HandoffDoc, 'dossierId'>>();
    await this.model.deleteOne({ _id: id });
    for (const key of new Set([doc?.dossierId ?? NO_DOSSIER, NO_DOSSIER])) await removeFromList(this.connection, DOSSIER_HANDOFFS, key, id);
    await this.connection.db!.collection('handoff_leases').deleteMany({ handoffId: id });
    await removeFromList(this.connection, HANDOFFS_DUE, DUE, id);
  }

  /** Every write of a handoff ends here: the back-office's summary of its dossier follows (stateChanged). */
  private async written(handoff: Pick<Handoff, 'dossierId'>): Promise<void> {
    if (handoff.dossierId) await this.options.stateChanged?.(handoff.dossierId);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private drainInBackground(): void {
    this.drain().catch((err) => log.error('Handoff outbox drain failed', { error: err as Error }));
  }

  /** The deliveries written under the lease, deliveryVersion + 1; false (nothing written) once the lease ran out. */
  private async record(lease: Lease<number>, doc: HandoffDoc, at: Date): Promise<boolean> {
    if (!this.leases.live(lease, this.now().getTime())) {
      log.warn('Handoff outbox: lease expired before the record; left to the instance that takes it over', { handoff: doc._id });
      return false;
    }
    const next = nextDue(doc.deliveries);
    if (next) await this.listDue(doc._id);
    await this.model.updateOne({ _id: doc._id }, {
      $set: { deliveries: doc.deliveries, nextDeliveryAt: next, updatedAt: at, deliveryVersion: lease.item + 1 },
    });
    await this.written(doc);
    return true;
  }

  private async drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0, pending: 0 };
    const now = this.now();
    await this.leases.housekeeping(now.getTime());
    const due = await this.due(now);
    // One handoff at a time, each claimed just before its sends (its lease runs from then).
    for (const seen of due) {
      const [lease] = await this.leases.claim([{ key: leaseKey(seen), item: seen.deliveryVersion ?? 0, fields: { handoffId: seen._id } }], this.now());
      if (lease) await this.deliver(lease, seen._id, result);
    }
    return result;
  }

  /**
   * The handoffs due at `now` (at most batchSize, the earliest first): the indexed query on MongoDB; on the embedded
   * FerretDB those listed in HANDOFFS_DUE, read by `_id`, and the full query at the first drain and every FULL_SCAN_MS
   * (what it finds is listed; a full batch, it runs again at the next drain). See the class note.
   */
  private async due(now: Date): Promise<Pick<HandoffDoc, '_id' | 'deliveryVersion'>[]> {
    const limit = this.options.batchSize ?? 100;
    const listing = !(await conditionalUpdates(this.connection));
    if (listing && now.getTime() - this.fullScanAt < FULL_SCAN_MS) return this.listedDue(now, limit);
    const found = await this.model
      .find({ $or: [{ nextDeliveryAt: { $lte: now } }, { contactNoticeAt: { $lte: now } }, { messageNoticeAt: { $lte: now } }, { statusNoticeAt: { $lte: now } }] })
      .select('_id deliveryVersion')
      .sort({ nextDeliveryAt: 1 })
      .limit(limit)
      .lean<HandoffDoc[]>();
    if (listing) {
      if (found.length) await addToList(this.connection, HANDOFFS_DUE, DUE, ...found.map((h) => h._id));
      if (found.length < limit) this.fullScanAt = now.getTime();
    }
    return found;
  }

  /** The handoffs of HANDOFFS_DUE due at `now`, as the full query sorts them; those with nothing pending leave the list. */
  private async listedDue(now: Date, limit: number): Promise<HandoffDoc[]> {
    const ids = await listIds(this.connection, HANDOFFS_DUE, DUE);
    const docs = await inBatches(ids, 32, (id) => this.model.findOne({ _id: id }).select(DUE_FIELDS).lean<HandoffDoc>());
    const idle = ids.filter((_, i) => !pendingAt(docs[i]).length);
    for (const id of idle) await this.statusLock.run(id, () => this.unlistIdle(id));
    const t = now.getTime();
    return docs.filter((d): d is HandoffDoc => d !== null && pendingAt(d).some((at) => at <= t))
      .sort((a, b) => (a.nextDeliveryAt ? time(a.nextDeliveryAt) : -Infinity) - (b.nextDeliveryAt ? time(b.nextDeliveryAt) : -Infinity) || 0)
      .slice(0, limit);
  }

  /** Lists the handoff in HANDOFFS_DUE before a write makes it due, on the embedded FerretDB (see the class note). */
  private async listDue(id: string): Promise<void> {
    if (!(await conditionalUpdates(this.connection))) await addToList(this.connection, HANDOFFS_DUE, DUE, id);
  }

  /** Takes the handoff out of HANDOFFS_DUE when, read again, it is gone or has nothing pending. The caller holds its statusLock. */
  private async unlistIdle(id: string): Promise<void> {
    if (await conditionalUpdates(this.connection)) return;
    const doc = await this.model.findOne({ _id: id }).select(DUE_FIELDS).lean<HandoffDoc>();
    if (!pendingAt(doc).length) await removeFromList(this.connection, HANDOFFS_DUE, DUE, id);
  }

  /** Sends the handoff's due deliveries, read again under its lease, and records them. */
  private async deliver(lease: Lease<number>, id: string, result: DrainResult): Promise<void> {
    const doc = await this.model.findOne({ _id: id }).lean<HandoffDoc>();
    // Recorded meanwhile (by the instance whose lease this one took over, or by a retry).
    if (!doc || (doc.deliveryVersion ?? 0) !== lease.item) return;
    if (lease.generation > 0) log.warn('Handoff outbox: taking over a handoff whose previous lease expired', { handoff: id, generation: lease.generation });
    const handoff = toHandoff(doc);
    if (await this.options.erased?.(handoff)) {
      await this.forget(id);
      log.info('Handoff not delivered: its structure’s data were erased since it was stored; forgotten', { handoff: id });
      return;
    }
    const now = this.now();
    if (doc.contactNoticeAt) this.queueContactUpdates(handoff, now); // due now: sent below
    if (doc.messageNoticeAt) this.queueMessageUpdates(handoff, now);
    if (doc.statusNoticeAt) this.queueUpdates(handoff, now, 'statusChanged', new Date(doc.statusNoticeAt).getTime(), (d) => d.event === 'statusChanged', () => 0);
    const due = handoff.deliveries.filter((d) => d.status === 'pending' && new Date(d.nextAttemptAt).getTime() <= now.getTime());
    const counts: DrainResult = { sent: 0, failed: 0, pending: 0 };
    // The notifiers of one handoff run side by side: a slow or failing one does not hold the others.
    await Promise.all(due.map(async (delivery) => {
      const notifier = this.byKind.get(delivery.notifier);
      delivery.attempts += 1;
      const event = delivery.event;
      const update: HandoffUpdate | undefined = event && event !== 'statusChanged' ? { event, id: delivery.eventId ?? `${handoff._id}.${event}` } : undefined;
      try {
        if (!notifier || (event === 'statusChanged' && !notifier.refresh)) throw new Error(`notifier ${delivery.notifier} is not configured any more`);
        const sending = event === 'statusChanged' ? notifier.refresh!(handoff) : notifier.send(handoff, update);
        const messageId = await withTimeout(sending, this.sendTimeoutMs, `${delivery.notifier} notifier`);
        delivery.status = 'sent';
        if (messageId) delivery.messageId = messageId;
        delivery.sentAt = this.now();
        // What it carried: the contact (the handoff itself, a contact's update), the messages (the handoff itself, a message's update).
        if (tellsContact(delivery)) {
          if (handoff.contactAddedAt) delivery.contactAddedAt = handoff.contactAddedAt;
          if (handoff.contactUpdatedAt) delivery.contactUpdatedAt = handoff.contactUpdatedAt;
        }
        if (handoff.messages?.length && (!delivery.event || delivery.event === 'messageAdded')) delivery.messageCount = handoff.messages.length;
        delivery.recipients = recipientsOf(notifier, handoff) ?? delivery.recipients; // else those recorded when queued
        counts.sent += 1;
        log.info('Handoff delivered', { handoff: handoff._id, notifier: delivery.notifier, event: delivery.event, attempts: delivery.attempts });
      } catch (err) {
        delivery.lastError = errorText(err);
        if (err instanceof PermanentDeliveryError || delivery.attempts >= this.options.maxAttempts) {
          delivery.status = 'failed';
          counts.failed += 1;
          log.error('Handoff delivery given up', { handoff: handoff._id, notifier: delivery.notifier, attempts: delivery.attempts, error: delivery.lastError });
        } else {
          delivery.nextAttemptAt = new Date(this.now().getTime() + this.backoff(delivery.attempts));
          counts.pending += 1;
          log.warn('Handoff delivery failed; will retry', {
            handoff: handoff._id, notifier: delivery.notifier, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt.toISOString(), error: delivery.lastError,
          });
        }
      }
    }));
    if (!(await this.record(lease, doc, this.now()))) return; // doc.deliveries is handoff.deliveries
    result.sent += counts.sent;
    result.failed += counts.failed;
    result.pending += counts.pending;
    // Cleared only if no other contact (message) was added meanwhile (that one is queued by the next drain).
    await this.statusLock.run(id, async () => {
      for (const notice of ['contactNoticeAt', 'messageNoticeAt', 'statusNoticeAt'] as const) {
        const seen = doc[notice];
        if (!seen) continue;
        const filter = await this.onlyIf(id, { [notice]: seen }, notice, (h) => h[notice] !== undefined && new Date(h[notice]).getTime() === new Date(seen).getTime());
        if (filter) await this.model.updateOne(filter, { $unset: { [notice]: '' } });
      }
      await this.unlistIdle(id);
    });
  }

  /**
   * The filter of a write to handoff `id` that must find it as `condition` says: on MongoDB, the
   * condition itself (atomic); on the embedded FerretDB, `_id` alone once `holds` accepts the
   * handoff read by `_id` (its `fields`), undefined when not. The caller holds statusLock, which
   * orders this process's writers, the FerretDB's only ones. Measured, 2,000 dossiers: a condition
   * in the filter read every handoff until it matched (bench/writes.ts: a message added 848 → 20 ms, a contact corrected 1,144 → 34 ms).
   */
  private async onlyIf(id: string, condition: Record<string, unknown>, fields: string, holds: (handoff: HandoffDoc) => boolean): Promise<Record<string, unknown> | undefined> {
    if (await conditionalUpdates(this.connection)) return { _id: id, ...condition };
    const handoff = await this.model.findOne({ _id: id }).select(fields).lean<HandoffDoc>();
    return handoff && holds(handoff) ? { _id: id } : undefined;
  }

  /**
   * Appends a pending update of its latest contact change (latestContactChange: 'contactAdded' or
   * 'contactUpdated') for each configured notifier that delivered the handoff without it: none
   * while one of its deliveries is pending (it will carry the contact as it is then), none for a
   * closed handoff (nobody is to call: a request made again is a new handoff), none twice for the
   * same change.
   */
  private queueContactUpdates(handoff: Handoff, at: Date): void {
    const change = latestContactChange(handoff);
    if (!change || handoff.status === 'closed' || !reachable(handoff.contact)) return;
    // A message's update (a status shown again) pending shows the messages (the status), not the contact: it does not carry the change.
    this.queueUpdates(handoff, at, change.event, change.at, tellsContact, carried);
  }

  /**
   * Appends a pending 'messageAdded' update for each configured notifier that delivered the
   * handoff before its latest message: none while the handoff itself or a message's update is
   * pending for it (that one carries every message as they are then), none for a closed handoff
   * — but one the structure withdrew (its last message says so),
   * none twice for the same message.
   */
  private queueMessageUpdates(handoff: Handoff, at: Date): void {
    const count = handoff.messages?.length ?? 0;
    // Withdrawn by the structure: its words are how the chargé·es learn it (none to call any more).
    if (!count || (handoff.status === 'closed' && handoff.closedBy !== WITHDRAWN_BY)) return;
    this.queueUpdates(handoff, at, 'messageAdded', count, (d) => !d.event || d.event === 'messageAdded', (d) => d.messageCount ?? 0);
  }

  /**
   * The update `event` of the change `change` (a contact change's or a status change's time, a
   * message's rank), queued for each notifier that delivered the handoff, has no delivery pending
   * that would carry it (`carries`), and was not told of it (the same update, or a delivery sent
   * with it: `carried`); a status change only for a notifier that can show it (Notifier.refresh).
   */
  private queueUpdates(handoff: Handoff, at: Date, event: DeliveryEvent, change: number, carries: (d: Delivery) => boolean, carried: (d: Delivery) => number): void {
    const eventId = `${handoff._id}.${event}.${change}`;
    for (const [kind, notifier] of this.byKind) {
      if (event === 'statusChanged' && !notifier.refresh) continue;
      const mine = handoff.deliveries.filter((d) => d.notifier === kind);
      const delivered = mine.some((d) => !d.event && d.status === 'sent');
      const pending = mine.some((d) => d.status === 'pending' && carries(d));
      const told = mine.some((d) => d.eventId === eventId || (d.status === 'sent' && carried(d) >= change));
      if (!delivered || pending || told) continue;
      handoff.deliveries.push({ notifier: kind, event, eventId, status: 'pending', attempts: 0, nextAttemptAt: at, recipients: recipientsOf(notifier, handoff) ?? [] });
      log.info('Handoff update queued', { handoff: handoff._id, notifier: kind, event });
    }
  }
}

const time = (at: Date | string | undefined): number => (at ? new Date(at).getTime() : NaN);

/** When the handoff is due: its next delivery and its notices (none: nothing pending, or no such handoff). */
function pendingAt(doc: HandoffDoc | null | undefined): number[] {
  return doc ? [doc.nextDeliveryAt, doc.contactNoticeAt, doc.messageNoticeAt, doc.statusNoticeAt].filter((at): at is Date => !!at).map((at) => new Date(at).getTime()) : [];
}

/** What a delivery tells the chargé·es: the handoff itself, or its contact, messages or status as they were when it went. */
function tells(d: Delivery): string {
  return !d.event ? 'handoff' : d.event === 'contactAdded' || d.event === 'contactUpdated' ? 'contact' : d.event;
}

/**
 * The deliveries given up that nothing replaced: a failed update (a contact, the messages, the
 * status on a Teams card) is replaced by a later one of the same notifier telling the same thing
 * as it is then (queued by the next change), pending or sent. What « Réessayer l'envoi » sends
 * again (retry), and what the back-office shows as not delivered.
 */
export function givenUp(deliveries: readonly Delivery[]): Delivery[] {
  const latest = new Map<string, Delivery>();
  for (const d of deliveries) latest.set(`${d.notifier}|${tells(d)}`, d); // appended in order: the last is the latest
  return deliveries.filter((d) => d.status === 'failed' && latest.get(`${d.notifier}|${tells(d)}`) === d);
}

/** Whether a delivery carries the handoff's contact: the handoff itself and a contact's update (not a message's, nor a status shown again). */
const tellsContact = (d: Delivery): boolean => d.event !== 'messageAdded' && d.event !== 'statusChanged';

/** The handoff's latest contact change, and when: a contact added (passed on without one), or corrected. */
function latestContactChange(handoff: Handoff): { event: 'contactAdded' | 'contactUpdated'; at: number } | undefined {
  const added = time(handoff.contactAddedAt);
  const updated = time(handoff.contactUpdatedAt);
  if (!Number.isNaN(updated) && !(updated < added)) return { event: 'contactUpdated', at: updated };
  return Number.isNaN(added) ? undefined : { event: 'contactAdded', at: added };
}

/** The latest contact change a sent delivery carried (NaN-free: 0 when none). */
function carried(delivery: Delivery): number {
  return Math.max(time(delivery.contactAddedAt) || 0, time(delivery.contactUpdatedAt) || 0);
}
