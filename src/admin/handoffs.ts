/**
 * What the back-office needs from the handoff outbox, as a port: the outbox module (its own
 * mongoose model on the 'handoffs' collection) can be injected; until then, and in tests, a
 * small read/claim/close model on the same collection does the job.
 */
import { Connection, mongo } from 'mongoose';
import type { Handoff, HandoffStatus } from '../handoff/types';

export interface HandoffFilter {
  status?: HandoffStatus;
  departement?: string;
  dossierId?: string;
  /** Most handoffs to return, newest first. */
  limit?: number;
}

/**
 * claim/close may answer the handoff, true, or nothing: the back-office reads a falsy answer as
 * "not done" (unknown id, or already claimed/closed) and looks the handoff up to say which. They
 * may also throw an error whose `code` is 'not_found' (404) or 'invalid_transition' (409), as
 * src/handoff/outbox.ts's HandoffStateError does.
 */
export interface HandoffPort {
  list(filter: HandoffFilter): Promise<Handoff[]>;
  get(id: string): Promise<Handoff | undefined | null>;
  claim(id: string, by: string): Promise<unknown>;
  close(id: string, by: string): Promise<unknown>;
}

export const HANDOFF_STATUSES: readonly HandoffStatus[] = ['open', 'claimed', 'closed'];

/** Reads and updates the 'handoffs' collection directly (FerretDB: filters scan, fine here). */
export class CollectionHandoffs implements HandoffPort {
  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date()) {}

  private get handoffs(): mongo.Collection<Handoff> {
    return this.connection.db!.collection<Handoff>('handoffs');
  }

  async list(filter: HandoffFilter): Promise<Handoff[]> {
    const query: mongo.Filter<Handoff> = {};
    if (filter.status) query.status = filter.status;
    if (filter.departement) query.departement = filter.departement;
    if (filter.dossierId) query.dossierId = filter.dossierId;
    const rows = await this.handoffs.find(query).toArray();
    return rows
      .sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime())
      .slice(0, filter.limit ?? rows.length);
  }

  async get(id: string): Promise<Handoff | undefined> {
    return (await this.handoffs.findOne({ _id: id })) ?? undefined;
  }

  /** open → claimed, atomically: two chargé·es clicking at once do not both get it. */
  async claim(id: string, by: string): Promise<Handoff | undefined> {
    const at = this.now();
    const result = await this.handoffs.findOneAndUpdate(
      { _id: id, status: 'open' },
      { $set: { status: 'claimed', claimedBy: by, claimedAt: at, updatedAt: at } },
      { returnDocument: 'after' },
    );
    return result ?? undefined;
  }

  /** open or claimed → closed. */
  async close(id: string, by: string): Promise<Handoff | undefined> {
    const at = this.now();
    const result = await this.handoffs.findOneAndUpdate(
      { _id: id, status: { $in: ['open', 'claimed'] } },
      { $set: { status: 'closed', closedBy: by, closedAt: at, updatedAt: at } as Partial<Handoff> },
      { returnDocument: 'after' },
    );
    return result ?? undefined;
  }
}
