import { errorText, exponentialBackoff } from '../../async';
import { log } from '../../log';
import { Activity } from 'botbuilder';
import { Connection, Model, Schema } from 'mongoose';

/**
 * Persistence of local Direct Line conversations. One document per activity, inserted once
 * (inserts stay fast on FerretDB whatever the collection size; updates would scan it), and an
 * in-memory cache per conversation so polling never queries the database.
 *
 * An activity is in the conversation (and on its streams) as soon as it is appended; its insert
 * is awaited up to PERSIST_WAIT_MS, then goes on in the background, in order, until the database
 * takes it: during an outage the structure still gets the assistant's apology, and nothing said
 * is lost once the database is back (unless the process stops meanwhile).
 */
const PERSIST_WAIT_MS = 1000;
interface ConversationDoc {
  _id: string;
  userId: string;
  createdAt: Date;
  /** Activities erased ("mes données") before the first one kept: positions go on from there. */
  erased?: number;
}

interface ActivityDoc {
  _id: string;
  conversationId: string;
  seq: number;
  activity: string;
  createdAt: Date;
}

const conversationSchema = new Schema<ConversationDoc>(
  { _id: String, userId: { type: String, required: true }, createdAt: { type: Date, required: true }, erased: Number },
  { versionKey: false, collection: 'directline_conversations' },
);

const activitySchema = new Schema<ActivityDoc>(
  {
    _id: String,
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true },
    // JSON text: activities carry arbitrary channelData keys (dots, $) that MongoDB-compatible servers refuse as field names.
    activity: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'directline_activities' },
);
activitySchema.index({ conversationId: 1, seq: 1 }, { unique: true });
// The retention purge.
activitySchema.index({ createdAt: 1 });
conversationSchema.index({ createdAt: 1 });

export interface StoredConversation {
  id: string;
  userId: string;
  /** Position (watermark) of activities[0]: the activities before it were erased. */
  offset: number;
  activities: Partial<Activity>[];
}

/** Where the next activity goes, which is also the conversation's watermark. */
export function nextPosition(conversation: StoredConversation): number {
  return conversation.offset + conversation.activities.length;
}

export class DirectLineStore {
  private readonly conversations: Model<ConversationDoc>;
  private readonly activities: Model<ActivityDoc>;
  private readonly cache = new Map<string, StoredConversation>();
  private readonly loading = new Map<string, Promise<StoredConversation | undefined>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  /** Per conversation, the inserts not yet taken by the database, chained in order. */
  private readonly pending = new Map<string, Promise<void>>();

  /** Set when the connection is closed on purpose (shutdown, tests): background inserts stop. */
  private closed = false;

  constructor(connection: Connection, private readonly cacheSize = 1000) {
    connection.on('close', () => { this.closed = true; });
    this.conversations = (connection.models.DlConversation as Model<ConversationDoc>) ?? connection.model<ConversationDoc>('DlConversation', conversationSchema);
    this.activities = (connection.models.DlActivity as Model<ActivityDoc>) ?? connection.model<ActivityDoc>('DlActivity', activitySchema);
  }

  async create(id: string, userId: string): Promise<StoredConversation> {
    await this.conversations.create({ _id: id, userId, createdAt: new Date() });
    return this.remember({ id, userId, offset: 0, activities: [] });
  }

  /** The conversation with its history, from the cache or the database; undefined if unknown. */
  async get(id: string): Promise<StoredConversation | undefined> {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id); // LRU: move to the end
      this.cache.set(id, cached);
      return cached;
    }
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** Forgets every cached conversation (after the retention purge deleted history behind its back). */
  clearCache(): void {
    this.cache.clear();
  }

  /**
   * Erases a conversation's history ("mes données"). The conversation goes on, its positions
   * too: a client holding a watermark still gets what comes next, and nothing erased. Returns how
   * many activities went.
   */
  async erase(id: string): Promise<number> {
    await this.pending.get(id); // an insert still waiting must not bring an activity back
    const conversation = await this.get(id);
    const { deletedCount } = await this.activities.deleteMany({ conversationId: id });
    if (!conversation) return deletedCount;
    const erased = nextPosition(conversation);
    await this.conversations.updateOne({ _id: id }, { $set: { erased } });
    conversation.offset = erased;
    conversation.activities = [];
    return deletedCount;
  }

  /** Calls `listener` after each activity appended to the conversation (WebSocket streams). */
  subscribe(id: string, listener: () => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(id);
    };
  }

  /** Appends an activity; its id and watermark are its position in the conversation. */
  async append(conversation: StoredConversation, build: (seq: number) => Partial<Activity>): Promise<Partial<Activity>> {
    const seq = nextPosition(conversation);
    const activity = build(seq);
    // Serialised first: an activity that cannot be (it throws) never enters the history.
    const doc: ActivityDoc = { _id: activity.id!, conversationId: conversation.id, seq, activity: JSON.stringify(activity), createdAt: new Date() };
    conversation.activities.push(activity); // reserve the position synchronously: no two appends share a seq
    for (const listener of this.listeners.get(conversation.id) ?? []) listener();
    const id = conversation.id;
    const persisted = (this.pending.get(id) ?? Promise.resolve()).then(() => this.insertUntilTaken(doc));
    const tail = persisted.finally(() => { if (this.pending.get(id) === tail) this.pending.delete(id); });
    this.pending.set(id, tail);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([persisted, new Promise<void>((resolve) => { timer = setTimeout(resolve, PERSIST_WAIT_MS); })]);
    clearTimeout(timer);
    return activity;
  }

  /** Inserts are retried (1 s, 2 s, 4 s… every 30 s at most) while the database does not answer. */
  private async insertUntilTaken(doc: ActivityDoc): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.activities.create(doc);
        if (attempt > 1) log.info('Direct Line activity stored after the database came back', { conversation: doc.conversationId, attempts: attempt });
        return;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return; // taken by an attempt that timed out
        if (this.closed) {
          log.error('Direct Line activity lost: the database connection was closed before it could be stored', { conversation: doc.conversationId });
          return;
        }
        if (attempt === 1) log.warn('Direct Line activity not stored yet; retrying in the background', { conversation: doc.conversationId, error: errorText(err) });
        await new Promise((resolve) => setTimeout(resolve, exponentialBackoff(attempt, 1000, 2, 30_000)).unref());
      }
    }
  }

  /** Resolves once every appended activity is in the database (tests, shutdown). */
  async flushed(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  private async load(id: string): Promise<StoredConversation | undefined> {
    const doc = await this.conversations.findOne({ _id: id }).lean();
    if (!doc) return undefined;
    const rows = await this.activities.find({ conversationId: id }).sort({ seq: 1 }).lean();
    return this.remember({ id, userId: doc.userId, offset: doc.erased ?? 0, activities: rows.map((r) => JSON.parse(r.activity) as Partial<Activity>) });
  }

  private remember(conversation: StoredConversation): StoredConversation {
    // Cached meanwhile (a load that overlapped the conversation's creation, then its welcome was
    // appended to the cached one): that one is as fresh as it gets, and is the one appends use.
    const cached = this.cache.get(conversation.id);
    if (cached) return cached;
    this.cache.set(conversation.id, conversation);
    // Evict the least recently used, but never a conversation whose inserts are still pending.
    for (const id of this.cache.keys()) {
      if (this.cache.size <= this.cacheSize) break;
      if (!this.pending.has(id)) this.cache.delete(id);
    }
    return conversation;
  }
}
