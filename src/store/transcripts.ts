import { randomBytes } from 'node:crypto';
import { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import { Connection, Model, mongo, Schema } from 'mongoose';

/**
 * Conversation transcripts (botbuilder `TranscriptStore`) on MongoDB / FerretDB.
 *
 * Insert-only, one document per activity: inserts stay fast on FerretDB v1 whatever the size of
 * the collection, while its updates scan it. Reads filter on channel + conversation: an index
 * on MongoDB, a full scan on FerretDB v1 (measured: ~0.5-0.9 s at 20,000 activities), so one
 * query reads ahead several pages (see ReadAheadCache). Transcripts are read when a chargé·e
 * takes a structure up or for "mes données", not on every turn.
 */
interface TranscriptDoc {
  /** `${channelId}|${conversationId}|${sequence}`: unique; within a conversation, sorts in insertion order. */
  _id: string;
  channelId: string;
  conversationId: string;
  /** The activity's timestamp (the time of logging when it has none): order, startDate and retention. */
  timestamp: Date;
  /** JSON text: activities carry arbitrary channelData keys (dots, $) that MongoDB-compatible servers refuse as field names. */
  activity: string;
  /** from.id and recipient.id: finds every conversation of a person ("mes données"). */
  participants?: string[];
}

export const TRANSCRIPTS_COLLECTION = 'transcript_activities';

const transcriptSchema = new Schema<TranscriptDoc>(
  {
    _id: String,
    channelId: { type: String, required: true },
    conversationId: { type: String, required: true },
    timestamp: { type: Date, required: true },
    activity: { type: String, required: true },
    participants: { type: [String], default: undefined },
  },
  { versionKey: false, collection: TRANSCRIPTS_COLLECTION },
);
transcriptSchema.index({ channelId: 1, conversationId: 1, timestamp: 1 });
transcriptSchema.index({ channelId: 1, participants: 1 });
transcriptSchema.index({ timestamp: 1 }); // the retention purge

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

function toDoc(activity: SerializedActivity): TranscriptDoc {
  const channelId = required(activity.channelId, 'activity.channelId');
  const conversationId = required(activity.conversationId, 'activity.conversation.id');
  const participants = [...new Set([activity.fromId, activity.recipientId].filter((id): id is string => typeof id === 'string' && id !== ''))];
  return {
    _id: `${channelId}|${conversationId}|${nextSequence()}`, channelId, conversationId, timestamp: activity.timestamp, activity: activity.json,
    ...(participants.length ? { participants } : {}),
  };
}

export interface TranscriptStoreOptions {
  /** Items per page of getTranscriptActivities and listTranscripts (botbuilder's stores use 20). */
  pageSize?: number;
  /**
   * Activities fetched by one query of getTranscriptActivities (default 200); the pages beyond
   * the first are then served from memory. On FerretDB v1 every such query scans the whole
   * collection whatever its limit, so reading a long transcript costs one scan per `readAhead`
   * activities instead of one per page. `pageSize` or less: no read-ahead.
   */
  readAhead?: number;
}

interface Snapshot {
  conversation: string;
  /** The following activities, in order, as read by one query. */
  docs: TranscriptDoc[];
  /** The query hit its limit: more activities follow `docs` in the database. */
  truncated: boolean;
  /** `writeSeq` when the query was sent. */
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

/**
 * A sequence that never goes backwards in this process (even if the clock does) and follows the
 * clock across processes: microseconds since the epoch, bumped by one when two calls share one.
 * With this process's random tail it makes every `_id` unique across instances and sorts equal
 * timestamps in insertion order (drawn once: random bytes per activity cost ~3 % of a turn's CPU).
 */
let lastSequence = 0;
const PROCESS_TAIL = randomBytes(4).toString('hex');
function nextSequence(): string {
  lastSequence = Math.max(Date.now() * 1000, lastSequence + 1);
  return `${lastSequence.toString().padStart(17, '0')}${PROCESS_TAIL}`;
}

/** Opaque page position: the sort key (timestamp, _id) of the last item returned. */
function encodeToken(time: Date, id: string): string {
  return Buffer.from(JSON.stringify([time.getTime(), id]), 'utf8').toString('base64url');
}

function decodeToken(token: string): { time: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string') return { time: new Date(ms), id };
  } catch {
    // reported below
  }
  throw new TypeError('Invalid transcript continuation token.');
}

/** Activities strictly after the (timestamp, _id) position. */
function after(position: { time: Date; id: string }): Record<string, unknown> {
  return { $or: [{ timestamp: { $gt: position.time } }, { timestamp: position.time, _id: { $gt: position.id } }] };
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

export class MongoTranscriptStore implements TranscriptStore {
  private readonly model: Model<TranscriptDoc>;
  readonly pageSize: number;
  private readonly readAhead: number;
  private readonly cache = new ReadAheadCache();

  constructor(connection: Connection, options: TranscriptStoreOptions = {}) {
    this.model = (connection.models.TranscriptActivity as Model<TranscriptDoc>)
      ?? connection.model<TranscriptDoc>('TranscriptActivity', transcriptSchema);
    this.pageSize = options.pageSize ?? 20;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new RangeError('pageSize must be a positive integer.');
    this.readAhead = Math.max(this.pageSize, options.readAhead ?? 200);
  }

  /** Several activities in one insert. */
  async logActivities(activities: Activity[]): Promise<void> {
    return this.logSerialized(activities.map(serialized));
  }

  /** Activities already in JSON, in one insert (the transcript middleware logs a turn this way). */
  async logSerialized(activities: SerializedActivity[]): Promise<void> {
    if (activities.length === 0) return;
    const docs = activities.map(toDoc);
    try {
      // Already typed as the schema wants: the driver's insert, without mongoose hydrating and
      // validating each document (every turn logs this way).
      await (this.model.collection as unknown as mongo.Collection<TranscriptDoc>).insertMany(docs, { ordered: true });
    } finally {
      // After the write: a read sent before this point may have missed it.
      for (const d of docs) this.cache.wrote(conversationKey(d.channelId, d.conversationId));
    }
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
    const position = continuationToken ? decodeToken(continuationToken) : undefined;
    const conversation = conversationKey(channelId, conversationId);
    const cacheKey = (token: string) => JSON.stringify([conversation, startDate ? startDate.getTime() : null, token]);
    let snapshot = continuationToken ? this.cache.take(cacheKey(continuationToken)) : undefined;
    if (!snapshot) {
      const seq = this.cache.seq;
      const filter: Record<string, unknown> = { channelId, conversationId };
      if (startDate) filter.timestamp = { $gte: startDate };
      if (position) Object.assign(filter, after(position));
      const docs = await this.model.find(filter).sort({ timestamp: 1, _id: 1 }).limit(this.readAhead + 1).lean();
      snapshot = { conversation, docs: docs.slice(0, this.readAhead), truncated: docs.length > this.readAhead, seq, expires: ReadAheadCache.expiry() };
    }
    const page = snapshot.docs.slice(0, this.pageSize);
    const rest = snapshot.docs.slice(this.pageSize);
    const last = page[page.length - 1];
    const token = rest.length || snapshot.truncated ? encodeToken(last.timestamp, last._id) : '';
    if (rest.length) this.cache.keep(cacheKey(token), { ...snapshot, docs: rest });
    return { items: page.map((doc) => revive(doc.activity)), continuationToken: token };
  }

  /** The last `count` activities of a conversation, oldest first (one query, newest read first). */
  async latestActivities(channelId: string, conversationId: string, count: number): Promise<Activity[]> {
    const docs = await this.model.find({ channelId, conversationId }).sort({ timestamp: -1, _id: -1 }).limit(count).lean();
    return docs.reverse().map((doc) => revive(doc.activity));
  }

  /**
   * The conversations of a channel, by date of their first activity (then id). Computed from the
   * activities, streamed: FerretDB v1 implements no $min / $first accumulator in $group. Rare
   * (administration), and it reads the channel's activities once per page.
   */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    required(channelId, 'channelId');
    const position = continuationToken ? decodeToken(continuationToken) : undefined;
    const created = new Map<string, number>();
    const cursor = this.model.find({ channelId }, { _id: 0, conversationId: 1, timestamp: 1 }).lean().cursor();
    for await (const doc of cursor) {
      const time = new Date(doc.timestamp).getTime();
      const known = created.get(doc.conversationId);
      if (known === undefined || time < known) created.set(doc.conversationId, time);
    }
    const rows = [...created]
      .filter(([id, time]) => !position || time > position.time.getTime() || (time === position.time.getTime() && id > position.id))
      .sort(([idA, a], [idB, b]) => a - b || (idA < idB ? -1 : idA > idB ? 1 : 0));
    const page = rows.slice(0, this.pageSize);
    const [lastId, lastTime] = page[page.length - 1] ?? [];
    return {
      items: page.map(([id, time]) => ({ channelId, id, created: new Date(time) })),
      continuationToken: rows.length > this.pageSize ? encodeToken(new Date(lastTime!), lastId!) : '',
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    required(channelId, 'channelId');
    required(conversationId, 'conversationId');
    try {
      await this.model.deleteMany({ channelId, conversationId });
    } finally {
      this.cache.wrote(conversationKey(channelId, conversationId));
    }
  }

  /** Same as deleteTranscript (the dossier's "delete my data" speaks of conversations). */
  deleteConversation(channelId: string, conversationId: string): Promise<void> {
    return this.deleteTranscript(channelId, conversationId);
  }

  /** Retention: deletes every activity older than `date` (all conversations); returns how many. */
  async purgeBefore(date: Date): Promise<number> {
    if (!toDate(date)) throw new TypeError('A valid date is required.');
    try {
      return (await this.model.deleteMany({ timestamp: { $lt: date } })).deletedCount;
    } finally {
      this.cache.wroteEverywhere();
    }
  }
}
