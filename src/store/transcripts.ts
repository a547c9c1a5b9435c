import { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import { Connection, Model, mongo, Schema } from 'mongoose';
import { inBatches } from '../async';
import { log } from '../log';
import { upgradeOnce } from './schemaVersions';
import { KeyedMutex } from './keyedMutex';

/**
 * Conversation transcripts (botbuilder `TranscriptStore`) on MongoDB / FerretDB.
 *
 * One document per activity, filed in its conversation's numbered slots: `_id` =
 * `["channel","conversation"]#slot` (slots 0, 1, 2… in order of logging). A head document per
 * conversation (TRANSCRIPT_CONVERSATIONS_COLLECTION) holds the slots handed out (`next`), the
 * first that may remain after the retention purge (`first`) and the date of the earliest
 * activity (`created`). Reading a conversation is then a lookup of its head and of each of its
 * slots by `_id` alone, side by side: the only lookup FerretDB v1 does with an index, so it costs
 * the conversation's size, not the collection's (a filter on channel + conversation reads and
 * decodes every stored activity there). Slots are claimed by an atomic `$inc` of the head on
 * MongoDB; FerretDB v1 applies no update atomically, so this process serialises its writers per
 * conversation (KeyedMutex), and an insert that meets a taken slot (another process) claims
 * again after the last one. Readers look one slot past `next` (and on while they find some), so
 * a head behind its slots (a claim lost to another process's on FerretDB, an upgrade cut short)
 * hides nothing.
 */
interface TranscriptDoc {
  /** `${conversationKey}#${slot}` (TranscriptDocs written before the slots: `${channelId}|${conversationId}|${sequence}`, see migrate()). */
  _id: string;
  channelId: string;
  conversationId: string;
  /** Its place in the conversation, in order of logging; absent on documents written before the slots. */
  slot?: number;
  /** The activity's timestamp (the time of logging when it has none): order, startDate and retention. */
  timestamp: Date;
  /** JSON text: activities carry arbitrary channelData keys (dots, $) that MongoDB-compatible servers refuse as field names. */
  activity: string;
  /** from.id and recipient.id: finds every conversation of a person ("mes données"). */
  participants?: string[];
}

/** A conversation's head: where its activities are. */
interface ConversationDoc {
  /** conversationKey(channelId, conversationId). */
  _id: string;
  channelId: string;
  conversationId: string;
  /** Slots handed out: the activities are in slots [first, next) — and possibly just after, see readConversation. */
  next: number;
  /** Slots below were purged. */
  first: number;
  /** Timestamp of its earliest activity (listTranscripts). */
  created: Date;
}

export const TRANSCRIPTS_COLLECTION = 'transcript_activities';
export const TRANSCRIPT_CONVERSATIONS_COLLECTION = 'transcript_conversations';

const transcriptSchema = new Schema<TranscriptDoc>(
  {
    _id: String,
    channelId: { type: String, required: true },
    conversationId: { type: String, required: true },
    slot: Number,
    timestamp: { type: Date, required: true },
    activity: { type: String, required: true },
    participants: { type: [String], default: undefined },
  },
  { versionKey: false, collection: TRANSCRIPTS_COLLECTION },
);
transcriptSchema.index({ channelId: 1, participants: 1 });
transcriptSchema.index({ timestamp: 1 }); // the retention purge, the sweep of conversations without consent

const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: String,
    channelId: { type: String, required: true },
    conversationId: { type: String, required: true },
    next: { type: Number, required: true },
    first: { type: Number, required: true },
    created: { type: Date, required: true },
  },
  { versionKey: false, collection: TRANSCRIPT_CONVERSATIONS_COLLECTION },
);
conversationSchema.index({ channelId: 1, created: 1 }); // listTranscripts

/**
 * An activity as the transcript keeps it: its JSON text, taken when it was logged (a snapshot:
 * the object may change afterwards), and the fields it is filed by. The JSON's timestamp is `timestamp`.
 */
export interface SerializedActivity {
  json: string;
  channelId?: string;
  conversationId?: string;
  fromId?: string;
  recipientId?: string;
  timestamp: Date;
}

/** An activity as logSerialized() takes it; its timestamp is the time of logging when it has none. */
export function serialized(activity: Partial<Activity>): SerializedActivity {
  const timestamp = toDate(activity.timestamp) ?? new Date();
  return {
    json: JSON.stringify({ ...activity, timestamp }), channelId: activity.channelId, conversationId: activity.conversation?.id,
    fromId: activity.from?.id, recipientId: activity.recipient?.id, timestamp,
  };
}

function slotId(key: string, slot: number): string {
  return `${key}#${slot}`;
}

function toDoc(activity: SerializedActivity, channelId: string, conversationId: string, slot: number): TranscriptDoc {
  const participants = [...new Set([activity.fromId, activity.recipientId].filter((id): id is string => typeof id === 'string' && id !== ''))];
  return {
    _id: slotId(conversationKey(channelId, conversationId), slot), channelId, conversationId, slot, timestamp: activity.timestamp, activity: activity.json,
    ...(participants.length ? { participants } : {}),
  };
}

export interface TranscriptStoreOptions {
  /** Items per page of getTranscriptActivities and listTranscripts (botbuilder's stores use 20). */
  pageSize?: number;
  /**
   * Activities of one read of the conversation that getTranscriptActivities keeps (default 200);
   * the pages beyond the first are then served from memory. Each read looks up every slot of the
   * conversation, so reading a long transcript costs one such read per `readAhead` activities
   * instead of one per page. `pageSize` or less: no read-ahead.
   */
  readAhead?: number;
  /**
   * This process is the database's only writer (the embedded FerretDB): an append takes its slots
   * from the count this process keeps of each conversation it wrote to, and writes the head only
   * when `next` crosses a multiple of HEAD_LAG (readers look that far past it). Without it, every
   * append claims its slots in the head first (several processes on one MongoDB).
   */
  soleWriter?: boolean;
}

interface Snapshot {
  conversation: string;
  /** The following activities, in order, as read by one read of the conversation. */
  docs: TranscriptDoc[];
  /** More activities followed `docs` than `readAhead`: they are read again from the database. */
  truncated: boolean;
  /** `writeSeq` when the read began. */
  seq: number;
  expires: number;
}

/**
 * The rest of a query's results, keyed by the continuation token handed out with the page before.
 * A snapshot is not used once a write of this store to its conversation has completed after the
 * query was sent (the token is then answered from the database, so nothing is missed); writes by
 * other processes or other store instances are seen once it expires (a paged read is then a
 * snapshot at most TTL_MS old).
 */
class ReadAheadCache {
  private static readonly TTL_MS = 60_000;
  private static readonly MAX_SNAPSHOTS = 32;
  private static readonly MAX_TRACKED = 10_000;
  private readonly snapshots = new Map<string, Snapshot>();
  private writeSeq = 0;
  /** Conversation → writeSeq of its last write (LRU); evicted ones count as written at `floor`. */
  private readonly lastWrite = new Map<string, number>();
  private floor = 0;

  get seq(): number { return this.writeSeq; }

  wrote(conversation: string): void {
    this.lastWrite.delete(conversation);
    this.lastWrite.set(conversation, ++this.writeSeq);
    if (this.lastWrite.size > ReadAheadCache.MAX_TRACKED) {
      const [oldest, seq] = this.lastWrite.entries().next().value as [string, number];
      this.lastWrite.delete(oldest);
      this.floor = Math.max(this.floor, seq);
    }
  }

  wroteEverywhere(): void {
    this.lastWrite.clear();
    this.floor = ++this.writeSeq;
    this.snapshots.clear();
  }

  keep(key: string, snapshot: Snapshot): void {
    this.snapshots.set(key, snapshot);
    while (this.snapshots.size > ReadAheadCache.MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }

  take(key: string): Snapshot | undefined {
    const snapshot = this.snapshots.get(key);
    if (!snapshot) return undefined;
    this.snapshots.delete(key);
    const written = this.lastWrite.get(snapshot.conversation) ?? this.floor;
    return snapshot.expires > Date.now() && written <= snapshot.seq ? snapshot : undefined;
  }

  static expiry(): number { return Date.now() + ReadAheadCache.TTL_MS; }
}

/** A taken slot: another writer (process) filed an activity there since this one read the head. */
function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
  const writeErrors = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  return e?.code === 11000 || writeErrors.some((w) => w.code === 11000);
}

/**
 * Opaque page position: the sort key of the last item returned — (timestamp, slot) for an
 * activity, (created, conversation id) for a conversation of listTranscripts.
 */
function encodeToken(time: Date, key: number | string): string {
  return Buffer.from(JSON.stringify([time.getTime(), key]), 'utf8').toString('base64url');
}

function decodeToken<K>(token: string, isKey: (value: unknown) => value is K): { time: Date; key: K } {
  try {
    const [ms, key] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof ms === 'number' && Number.isFinite(ms) && isKey(key)) return { time: new Date(ms), key };
  } catch {
    // reported below
  }
  throw new TypeError('Invalid transcript continuation token.');
}

const isSlot = (value: unknown): value is number => Number.isInteger(value);
const isId = (value: unknown): value is string => typeof value === 'string';

/** Read order: timestamp, then order of logging. */
function compareDocs(a: { timestamp: Date; slot?: number; _id: string }, b: { timestamp: Date; slot?: number; _id: string }): number {
  return a.timestamp.getTime() - b.timestamp.getTime() || (a.slot ?? 0) - (b.slot ?? 0) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

/** Strictly after the (timestamp, slot) position. */
function isAfter(doc: TranscriptDoc, position: { time: Date; key: number }): boolean {
  const t = doc.timestamp.getTime();
  return t > position.time.getTime() || (t === position.time.getTime() && doc.slot! > position.key);
}

function conversationKey(channelId: string, conversationId: string): string {
  return JSON.stringify([channelId, conversationId]);
}

function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function revive(json: string): Activity {
  const activity = JSON.parse(json) as Activity & { timestamp?: unknown; localTimestamp?: unknown };
  const timestamp = toDate(activity.timestamp);
  if (timestamp) activity.timestamp = timestamp;
  const localTimestamp = toDate(activity.localTimestamp);
  if (localTimestamp) activity.localTimestamp = localTimestamp;
  return activity;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new TypeError(`${name} is required.`);
  return value;
}

/** Slot lookups sent side by side for one conversation (each one `_id` lookup). */
const PARALLEL_READS = 32;
/** Slots looked at past the head's `next` at a time, while they are all found. */
const PROBE = 8;
/** A sole writer's head may be this many slots behind its activities (readers look as far past it at once). */
const HEAD_LAG = 16;
/** Conversations whose next free slot a sole writer keeps in memory (the most recently written). */
const MAX_KNOWN_SLOTS = 10_000;
/** Documents a migration inserts at a time. */
const MIGRATION_BATCH = 500;
/** Claims of slots an append makes at most before it gives up (each one after an insert met a taken slot). */
const MAX_CLAIMS = 10;
/** Writers (appends, erasures, purges) of one conversation, one after another in this process: FerretDB v1 updates are not atomic. */
const conversationLock = new KeyedMutex();

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * What `look` finds at slots `from`, `from + 1`…, PROBE side by side at a time, up to the first
 * slot where it finds nothing (undefined).
 */
async function probe<T>(from: number, look: (slot: number) => Promise<T | undefined>): Promise<T[]> {
  const hits: T[] = [];
  for (let at = from; ; at += PROBE) {
    const found = await Promise.all(range(at, at + PROBE).map(look));
    const miss = found.findIndex((r) => r === undefined);
    hits.push(...found.slice(0, miss < 0 ? PROBE : miss) as T[]);
    if (miss >= 0) return hits;
  }
}

export class MongoTranscriptStore implements TranscriptStore {
  private readonly model: Model<TranscriptDoc>;
  private readonly heads: Model<ConversationDoc>;
  readonly pageSize: number;
  private readonly readAhead: number;
  private readonly cache = new ReadAheadCache();
  /** Sole writer only: conversation key → its next free slot, as this process appended (LRU). */
  private readonly nextSlots?: Map<string, number>;

  constructor(connection: Connection, options: TranscriptStoreOptions = {}) {
    this.model = (connection.models.TranscriptActivity as Model<TranscriptDoc>)
      ?? connection.model<TranscriptDoc>('TranscriptActivity', transcriptSchema);
    this.heads = (connection.models.TranscriptConversation as Model<ConversationDoc>)
      ?? connection.model<ConversationDoc>('TranscriptConversation', conversationSchema);
    this.pageSize = options.pageSize ?? 20;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new RangeError('pageSize must be a positive integer.');
    this.readAhead = Math.max(this.pageSize, options.readAhead ?? 200);
    if (options.soleWriter) this.nextSlots = new Map();
  }

  private get activities(): mongo.Collection<TranscriptDoc> {
    return this.model.collection as unknown as mongo.Collection<TranscriptDoc>;
  }

  private get headDocs(): mongo.Collection<ConversationDoc> {
    return this.heads.collection as unknown as mongo.Collection<ConversationDoc>;
  }

  /** Several activities in one insert per conversation. */
  async logActivities(activities: Activity[]): Promise<void> {
    return this.logSerialized(activities.map(serialized));
  }

  /** Activities already in JSON (the transcript middleware logs a turn this way): appended to their conversations, in order. */
  async logSerialized(activities: SerializedActivity[]): Promise<void> {
    if (activities.length === 0) return;
    const byConversation = new Map<string, { channelId: string; conversationId: string; items: SerializedActivity[] }>();
    for (const a of activities) {
      const channelId = required(a.channelId, 'activity.channelId');
      const conversationId = required(a.conversationId, 'activity.conversation.id');
      const key = conversationKey(channelId, conversationId);
      const group = byConversation.get(key) ?? byConversation.set(key, { channelId, conversationId, items: [] }).get(key)!;
      group.items.push(a);
    }
    try {
      await Promise.all([...byConversation].map(([key, g]) => conversationLock.run(key, () => this.append(key, g.channelId, g.conversationId, g.items))));
    } finally {
      // After the write: a read sent before this point may have missed it.
      for (const key of byConversation.keys()) this.cache.wrote(key);
    }
  }

  /**
   * Inserts the activities in the conversation's next slots: those a sole writer knows, else
   * claimed in the head; on a taken slot, claims again after the last slot taken.
   */
  private async append(key: string, channelId: string, conversationId: string, items: SerializedActivity[]): Promise<void> {
    const known = this.nextSlots?.get(key);
    this.nextSlots?.delete(key); // known again only once this append succeeds
    let pending = items;
    if (known !== undefined) {
      try {
        await this.activities.insertMany(pending.map((a, i) => toDoc(a, channelId, conversationId, known + i)), { ordered: true });
        const next = known + pending.length;
        if (Math.floor(next / HEAD_LAG) > Math.floor(known / HEAD_LAG)) {
          await this.headDocs.updateOne({ _id: key }, { $max: { next }, $setOnInsert: { channelId, conversationId, first: 0, created: pending[0].timestamp } }, { upsert: true });
        }
        this.remember(key, next);
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        pending = pending.slice((err as { insertedCount?: number }).insertedCount ?? 0); // and claim below
      }
    }
    for (let claims = 1; ; claims++) {
      const created = new Date(Math.min(...pending.map((a) => a.timestamp.getTime())));
      const before = await this.headDocs.findOneAndUpdate(
        { _id: key },
        { $inc: { next: pending.length }, $min: { created }, $setOnInsert: { channelId, conversationId, first: 0 } },
        { upsert: true, returnDocument: 'before' }, // no projection: FerretDB v1 refuses one here
      );
      const start = before?.next ?? 0;
      try {
        // Already typed as the schema wants: the driver's insert, without mongoose hydrating and
        // validating each document (every turn logs this way).
        await this.activities.insertMany(pending.map((a, i) => toDoc(a, channelId, conversationId, start + i)), { ordered: true });
        this.remember(key, start + pending.length);
        return;
      } catch (err) {
        if (!isDuplicateKey(err) || claims >= MAX_CLAIMS) throw err;
        pending = pending.slice((err as { insertedCount?: number }).insertedCount ?? 0);
        // The head is behind its slots (another process's claim applied over this one's on FerretDB, a head lost).
        const end = await this.endOf(key, start);
        await this.headDocs.updateOne({ _id: key }, { $max: { next: end } });
      }
    }
  }

  private remember(key: string, next: number): void {
    if (!this.nextSlots) return;
    this.nextSlots.set(key, next);
    if (this.nextSlots.size > MAX_KNOWN_SLOTS) this.nextSlots.delete(this.nextSlots.keys().next().value as string);
  }

  /** The first free slot from `from` on (slots are filled without gaps past the head's `next`). */
  private async endOf(key: string, from: number): Promise<number> {
    const taken = await probe(from, async (slot) => (await this.activities.findOne({ _id: slotId(key, slot) }, { projection: { _id: 1 } })) ?? undefined);
    return from + taken.length;
  }

  /**
   * Every activity of a conversation in read order (timestamp, then order of logging): its head,
   * then each slot by `_id`, side by side, with a look past `next` (and on while slots are found).
   */
  private async readConversation(channelId: string, conversationId: string): Promise<TranscriptDoc[]> {
    const key = conversationKey(channelId, conversationId);
    const head = await this.heads.findOne({ _id: key }, { first: 1, next: 1 }).lean<Pick<ConversationDoc, 'first' | 'next'>>();
    const next = head?.next ?? 0;
    const read = async (slot: number) => (await this.activities.findOne({ _id: slotId(key, slot) })) ?? undefined;
    const end = next + HEAD_LAG; // a sole writer's head may be behind its slots
    const docs = (await inBatches(range(head?.first ?? 0, end), PARALLEL_READS, read)).filter((d): d is TranscriptDoc => d !== undefined);
    if (docs.some((d) => d.slot === end - 1)) docs.push(...await probe(end, read));
    return docs.sort(compareDocs);
  }

  async logActivity(activity: Activity): Promise<void> {
    if (!activity) throw new TypeError('Activity is required.');
    return this.logActivities([activity]);
  }

  /** The conversations of a channel in which this user took part, most recent first. */
  async conversationsOf(channelId: string, userId: string): Promise<string[]> {
    const rows = await this.model.find({ channelId, participants: userId }, { conversationId: 1, timestamp: 1 }).lean<{ conversationId: string; timestamp: Date }[]>();
    const latest = new Map<string, number>();
    for (const r of rows) latest.set(r.conversationId, Math.max(latest.get(r.conversationId) ?? 0, new Date(r.timestamp).getTime()));
    return [...latest.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  }

  /**
   * One page of a conversation, oldest first (timestamp, then insertion). `continuationToken` is
   * '' on the last page; pass it back unchanged (with the same startDate) for the next one.
   */
  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    required(channelId, 'channelId');
    required(conversationId, 'conversationId');
    const position = continuationToken ? decodeToken(continuationToken, isSlot) : undefined;
    const conversation = conversationKey(channelId, conversationId);
    const cacheKey = (token: string) => JSON.stringify([conversation, startDate ? startDate.getTime() : null, token]);
    let snapshot = continuationToken ? this.cache.take(cacheKey(continuationToken)) : undefined;
    if (!snapshot) {
      const seq = this.cache.seq;
      const docs = (await this.readConversation(channelId, conversationId))
        .filter((d) => (!startDate || d.timestamp >= startDate) && (!position || isAfter(d, position)));
      snapshot = { conversation, docs: docs.slice(0, this.readAhead), truncated: docs.length > this.readAhead, seq, expires: ReadAheadCache.expiry() };
    }
    const page = snapshot.docs.slice(0, this.pageSize);
    const rest = snapshot.docs.slice(this.pageSize);
    const last = page[page.length - 1];
    const token = rest.length || snapshot.truncated ? encodeToken(last.timestamp, last.slot!) : '';
    if (rest.length) this.cache.keep(cacheKey(token), { ...snapshot, docs: rest });
    return { items: page.map((doc) => revive(doc.activity)), continuationToken: token };
  }

  /** The last `count` activities of a conversation, oldest first. */
  async latestActivities(channelId: string, conversationId: string, count: number): Promise<Activity[]> {
    const docs = await this.readConversation(channelId, conversationId);
    return docs.slice(Math.max(0, docs.length - count)).map((doc) => revive(doc.activity));
  }

  /** The conversations of a channel, by date of their first activity (then id), from their heads. */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    required(channelId, 'channelId');
    const position = continuationToken ? decodeToken(continuationToken, isId) : undefined;
    const after = position?.time.getTime();
    const rows = (await this.heads.find({ channelId }, { _id: 0, conversationId: 1, created: 1 }).lean<{ conversationId: string; created: Date }[]>())
      .map((h): [string, number] => [h.conversationId, new Date(h.created).getTime()])
      .filter(([id, time]) => !position || time > after! || (time === after && id > position.key))
      .sort(([idA, a], [idB, b]) => a - b || (idA < idB ? -1 : idA > idB ? 1 : 0));
    const page = rows.slice(0, this.pageSize);
    const [lastId, lastTime] = page[page.length - 1] ?? [];
    return {
      items: page.map(([id, time]) => ({ channelId, id, created: new Date(time) })),
      continuationToken: rows.length > this.pageSize ? encodeToken(new Date(lastTime!), lastId!) : '',
    };
  }

  /** Deletes a conversation's activities (each slot by `_id`) and its head. */
  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    await this.deleteConversation(channelId, conversationId);
  }

  /** Same as deleteTranscript (the dossier's "delete my data" speaks of conversations); returns how many activities went. */
  async deleteConversation(channelId: string, conversationId: string): Promise<number> {
    required(channelId, 'channelId');
    required(conversationId, 'conversationId');
    const key = conversationKey(channelId, conversationId);
    try {
      return await conversationLock.run(key, async () => {
        const head = await this.heads.findOne({ _id: key }, { first: 1, next: 1 }).lean<Pick<ConversationDoc, 'first' | 'next'>>();
        const remove = async (slot: number) => ((await this.activities.deleteOne({ _id: slotId(key, slot) })).deletedCount ? slot : undefined);
        const removed = await inBatches(range(head?.first ?? 0, head?.next ?? 0), PARALLEL_READS, remove);
        const past = await probe(head?.next ?? 0, remove); // and any slot past the head's `next` (see readConversation)
        await this.headDocs.deleteOne({ _id: key });
        this.nextSlots?.delete(key);
        return removed.filter((slot) => slot !== undefined).length + past.length;
      });
    } finally {
      this.cache.wrote(key);
    }
  }

  /**
   * Retention: deletes every activity older than `date` (all conversations); returns how many.
   * The heads of the conversations it touched then say where their activities start, and when;
   * those left empty go.
   */
  async purgeBefore(date: Date): Promise<number> {
    if (!toDate(date)) throw new TypeError('A valid date is required.');
    try {
      const touched = new Map<string, { channelId: string; conversationId: string }>();
      const ids: string[] = [];
      const old = this.activities.find({ timestamp: { $lt: date } }, { projection: { channelId: 1, conversationId: 1 } });
      for await (const d of old) {
        ids.push(d._id);
        touched.set(conversationKey(d.channelId, d.conversationId), { channelId: d.channelId, conversationId: d.conversationId });
      }
      const deleted = await this.deleteIds(ids);
      for (const [key, c] of touched) {
        await conversationLock.run(key, async () => {
          this.nextSlots?.delete(key); // its head is deleted or moved: claimed again
          const left = await this.readConversation(c.channelId, c.conversationId);
          if (left.length === 0) await this.headDocs.deleteOne({ _id: key });
          else {
            await this.headDocs.updateOne({ _id: key }, {
              $set: { first: Math.min(...left.map((d) => d.slot!)), created: left[0].timestamp },
              $max: { next: Math.max(...left.map((d) => d.slot!)) + 1 },
            });
          }
        });
      }
      return deleted;
    } finally {
      this.cache.wroteEverywhere();
    }
  }

  /**
   * Deletes documents by `_id`, one by one (side by side): FerretDB v1 deletes what a filter
   * matched in one SQL statement, refused past ~32,000 documents. Returns how many it deleted.
   */
  private async deleteIds(ids: string[]): Promise<number> {
    const results = await inBatches(ids, PARALLEL_READS, (_id) => this.activities.deleteOne({ _id }));
    return results.reduce((sum, r) => sum + r.deletedCount, 0);
  }

  /**
   * Files the activities written before the slots (one document per activity, found by a filter
   * on channel + conversation) in their conversations' slots, in read order, then deletes them.
   * Run at start; idempotent: the heads are written last, so a run cut short files the same
   * activities in the same slots again (already there: skipped). Once done, upgradeOnce's mark
   * spares later starts the scan (~1 s per 40,000 activities on FerretDB). Returns how many it filed.
   */
  async migrate(): Promise<number> {
    return (await upgradeOnce(this.model.db.db!, 'transcripts-filed-by-conversation', () => this.fileLegacy())) ?? 0;
  }

  private async fileLegacy(): Promise<number> {
    const started = Date.now();
    const legacy = (await this.activities.find({ slot: { $exists: false } }).toArray()).sort(compareDocs);
    if (legacy.length === 0) return 0;
    const byConversation = new Map<string, TranscriptDoc[]>();
    for (const d of legacy) {
      const key = conversationKey(d.channelId, d.conversationId);
      (byConversation.get(key) ?? byConversation.set(key, []).get(key)!).push(d);
    }
    const keys = [...byConversation.keys()];
    const heads = await inBatches(keys, PARALLEL_READS, (_id) => this.headDocs.findOne({ _id }));
    const filed = keys.flatMap((key, i) => byConversation.get(key)!.map((d, n): TranscriptDoc => {
      const slot = (heads[i]?.next ?? 0) + n;
      return { ...d, _id: slotId(key, slot), slot };
    }));
    for (let i = 0; i < filed.length; i += MIGRATION_BATCH) {
      try {
        await this.activities.insertMany(filed.slice(i, i + MIGRATION_BATCH), { ordered: false });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // filed by a run cut short
      }
    }
    await this.deleteLegacy(legacy);
    const headOf = (key: string, i: number) => {
      const docs = byConversation.get(key)!;
      const { channelId, conversationId } = docs[0];
      return { _id: key, channelId, conversationId, first: 0, next: (heads[i]?.next ?? 0) + docs.length, created: docs[0].timestamp };
    };
    const created = keys.map(headOf).filter((_, i) => !heads[i]);
    for (let i = 0; i < created.length; i += MIGRATION_BATCH) {
      try {
        await this.headDocs.insertMany(created.slice(i, i + MIGRATION_BATCH), { ordered: false });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a conversation that went on meanwhile: its slots are read past `next`
      }
    }
    await inBatches(keys.map(headOf).filter((_, i) => heads[i]), PARALLEL_READS, ({ _id, next, created: at }) =>
      this.headDocs.updateOne({ _id }, { $max: { next }, $min: { created: at } }));
    this.nextSlots?.clear();
    this.cache.wroteEverywhere();
    log.info('Transcripts filed by conversation (once, after an upgrade)', { activities: legacy.length, conversations: keys.length, ms: Date.now() - started });
    return legacy.length;
  }

  /**
   * Deletes the documents written before the slots that migrate() read: by ranges of their
   * timestamps (FerretDB v1 deletes what a filter matched in one SQL statement, refused past
   * ~32,000 documents; one by `_id` each would take minutes), up to the latest it read.
   */
  private async deleteLegacy(sorted: TranscriptDoc[]): Promise<void> {
    for (let i = 0; i < sorted.length; i += MIGRATION_BATCH * 40) {
      const from = sorted[i].timestamp;
      const until = sorted[Math.min(i + MIGRATION_BATCH * 40, sorted.length) - 1].timestamp;
      await this.activities.deleteMany({ slot: { $exists: false }, timestamp: { $gte: from, $lte: until } });
    }
  }
}
