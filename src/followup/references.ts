import { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { Connection, Model, Schema } from 'mongoose';
import { DossierRepository } from '../store/dossiers';

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
refSchema.index({ updatedAt: 1 }); // the retention purge

/**
 * The ConversationReference of each user ("channelId:userId"), refreshed on every inbound
 * message, so a check-in reaches the structure where it last talked. A write happens only when
 * where to reach the user changed, not on every message: the reference's `activityId` (the
 * message it was taken from) is left out of that comparison, as it differs on every message
 * and a proactive send does not use it (continueConversationAsync replies to its own event).
 * An erasure must go through `forget` so this process writes the reference again afterwards.
 */
export class ConversationReferences {
  /** Rewritten at least this often even when unchanged: bounds what another instance's erasure leaves behind. */
  private static readonly REFRESH_MS = 10 * 60_000;
  private readonly model: Model<RefDoc>;
  /** What was last written for a user by this process (its fingerprint), and when. */
  private readonly lastSaved = new Map<string, { fingerprint: string; at: number }>();

  constructor(connection: Connection) {
    this.model = (connection.models.ConversationRef as Model<RefDoc>) ?? connection.model<RefDoc>('ConversationRef', refSchema);
  }

  /** The dossier's name for the user (its `channelUsers`): an erasure forgets the references by it. */
  static key(channelId: string, userId: string): string {
    return DossierRepository.channelUser(channelId, userId);
  }

  async remember(activity: Partial<Activity>): Promise<void> {
    if (!activity.from?.id || !activity.channelId) return;
    const key = ConversationReferences.key(activity.channelId, activity.from.id);
    const { activityId, ...where } = TurnContext.getConversationReference(activity);
    const fingerprint = JSON.stringify(where);
    const saved = this.lastSaved.get(key);
    if (saved?.fingerprint === fingerprint && Date.now() - saved.at < ConversationReferences.REFRESH_MS) return;
    const reference = JSON.stringify({ activityId, ...where });
    await this.model.replaceOne({ _id: key }, { _id: key, reference, updatedAt: new Date() }, { upsert: true });
    this.lastSaved.set(key, { fingerprint, at: Date.now() });
    if (this.lastSaved.size > 10_000) this.lastSaved.delete(this.lastSaved.keys().next().value as string);
  }

  async get(key: string): Promise<Partial<ConversationReference> | undefined> {
    const doc = await this.model.findOne({ _id: key }).lean();
    return doc ? (JSON.parse(doc.reference) as Partial<ConversationReference>) : undefined;
  }

  /** Returns how many references went (0 or 1). */
  async forget(key: string): Promise<number> {
    this.lastSaved.delete(key);
    return (await this.model.deleteOne({ _id: key })).deletedCount;
  }
}
