import { Activity } from 'botbuilder';
import { Connection, Model, Schema } from 'mongoose';

/**
 * Persistence of local Direct Line conversations. One document per activity, inserted once
 * (inserts stay fast on FerretDB whatever the collection size; updates would scan it), and an
 * in-memory cache per conversation so polling never queries the database.
 */
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

  constructor(connection: Connection, private readonly cacheSize = 1000) {
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
   * too: a client holding a watermark still gets what comes next, and nothing erased.
   */
  async erase(id: string): Promise<void> {
    const conversation = await this.get(id);
    await this.activities.deleteMany({ conversationId: id });
    if (!conversation) return;
    const erased = nextPosition(conversation);
    await this.conversations.updateOne({ _id: id }, { $set: { erased } });
    conversation.offset = erased;
    conversation.activities = [];
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
    conversation.activities.push(activity); // reserve the position synchronously: no two appends share a seq
    try {
      await this.activities.create({
        _id: activity.id, conversationId: conversation.id, seq, activity: JSON.stringify(activity), createdAt: new Date(),
      });
    } catch (err) {
      this.cache.delete(conversation.id); // reload from the database next time rather than diverge
      throw err;
    }
    for (const listener of this.listeners.get(conversation.id) ?? []) listener();
    return activity;
  }

  private async load(id: string): Promise<StoredConversation | undefined> {
    const doc = await this.conversations.findOne({ _id: id }).lean();
    if (!doc) return undefined;
    const rows = await this.activities.find({ conversationId: id }).sort({ seq: 1 }).lean();
    return this.remember({ id, userId: doc.userId, offset: doc.erased ?? 0, activities: rows.map((r) => JSON.parse(r.activity) as Partial<Activity>) });
  }

  private remember(conversation: StoredConversation): StoredConversation {
    this.cache.set(conversation.id, conversation);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return conversation;
  }
}
