import { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { Connection, Model, Schema } from 'mongoose';

interface RefDoc {
  _id: string;
  /** JSON text: references carry channel-specific keys. */
  reference: string;
  updatedAt: Date;
}

const refSchema = new Schema<RefDoc>(
  { _id: String, reference: { type: String, required: true }, updatedAt: { type: Date, required: true } },
  { versionKey: false, collection: 'conversation_refs' },
);

/**
 * The ConversationReference of each user ("channelId:userId"), refreshed on every inbound
 * message, so a check-in reaches the structure where it last talked. A write happens only when
 * the reference changed (FerretDB updates scan the collection: not one per message).
 */
export class ConversationReferences {
  private readonly model: Model<RefDoc>;
  private readonly lastSaved = new Map<string, string>();

  constructor(connection: Connection) {
    this.model = (connection.models.ConversationRef as Model<RefDoc>) ?? connection.model<RefDoc>('ConversationRef', refSchema);
  }

  static key(channelId: string, userId: string): string {
    return `${channelId}:${userId}`;
  }

  async remember(activity: Partial<Activity>): Promise<void> {
    if (!activity.from?.id || !activity.channelId) return;
    const key = ConversationReferences.key(activity.channelId, activity.from.id);
    const reference = JSON.stringify(TurnContext.getConversationReference(activity));
    if (this.lastSaved.get(key) === reference) return;
    await this.model.replaceOne({ _id: key }, { _id: key, reference, updatedAt: new Date() }, { upsert: true });
    this.lastSaved.set(key, reference);
    if (this.lastSaved.size > 10_000) this.lastSaved.delete(this.lastSaved.keys().next().value as string);
  }

  async get(key: string): Promise<Partial<ConversationReference> | undefined> {
    const doc = await this.model.findOne({ _id: key }).lean();
    return doc ? (JSON.parse(doc.reference) as Partial<ConversationReference>) : undefined;
  }

  async forget(key: string): Promise<void> {
    this.lastSaved.delete(key);
    await this.model.deleteOne({ _id: key });
  }
}
