import { randomUUID } from 'node:crypto';
import { Storage, StoreItems } from 'botbuilder';
import { Connection, Model, mongo, Schema } from 'mongoose';
import { withTimeout } from '../async';
import { KeyedMutex } from './keyedMutex';

/** Raised when a write carries an eTag that is no longer the stored one (HTTP 412 semantics). */
export class ETagConflictError extends Error {
  readonly code = 412;
  constructor(public readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/**
 * Set on an item (a symbol: never stored) whose write must only replace what is stored: when the
 * key was deleted since the item was read — an erasure of the structure's data, the retention
 * purge —, the write is refused with StateErasedError instead of bringing the state back.
 */
export const REPLACE_ONLY = Symbol('dla.storage.replaceOnly');

/** A REPLACE_ONLY write whose key was deleted since it was read: nothing was written. */
export class StateErasedError extends Error {
  constructor(public readonly key: string) {
    super(`Storage: "${key}" was deleted since it was read (erased); not written back.`);
    this.name = 'StateErasedError';
  }
}

interface StateDoc {
  _id: string;
  /**
   * The item as JSON text. Bot state holds arbitrary user keys, and MongoDB-compatible
   * servers reject field names with '.' (FerretDB) or a leading '$'; JSON text also gives the
   * same round-trip semantics as botbuilder's other storages (MemoryStorage, Blobs).
   */
  data: string;
  eTag: string;
  updatedAt: Date;
}

const stateSchema = new Schema<StateDoc>(
  {
    _id: { type: String, required: true },
    data: { type: String, required: true },
    eTag: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'botstate' },
);
stateSchema.index({ updatedAt: 1 }); // the retention purge

export interface MongoStorageOptions {
  /**
   * Keep the last stored state of up to this many keys in memory and read from there (0: off,
   * the default). Only for a process that is the sole writer of the collection — the embedded
   * default — since another process's writes would not be seen. Measured: two reads by `_id`
   * per turn were a quarter of the turn's cost on FerretDB (bench (b): 297 → 358 turns/s).
   */
  cacheKeys?: number;
  /**
   * Each read, write or delete fails after this many milliseconds (0: never, the default). The
   * driver notices a database that stops answering within about 9 s, and then fails what was
   * waiting; this is the backstop when it does not (measured: 1 turn in ~6 full test runs under
   * load still waited after 30 s), so that the turn fails and the user gets the apology.
   */
  timeoutMs?: number;
}

/** A state operation the database did not answer in time (MongoStorageOptions.timeoutMs). */
export class StorageTimeoutError extends Error {
  constructor(operation: string, key: string, ms: number) {
    super(`Storage: ${operation} of "${key}" got no answer from the database within ${ms} ms.`);
    this.name = 'StorageTimeoutError';
  }
}

/** The assistant's bot state: read from memory on the embedded default, whose only writer is this process. */
export function botStateStorage(connection: Connection, embedded: boolean): MongoStorage {
  return new MongoStorage(connection, 'botstate', { cacheKeys: embedded ? 10_000 : 0, timeoutMs: 10_000 });
}

/** botbuilder `Storage` on MongoDB, with the exact contract of MemoryStorage. */
export class MongoStorage implements Storage {
  private readonly model: Model<StateDoc>;
  /** Shared by every MongoStorage of the process: see KeyedMutex for why. */
  private static readonly locks = new KeyedMutex();

  /** The driver's collection (still buffered by mongoose while connecting): see read(). */
  private readonly collection: mongo.Collection<StateDoc>;

  /** The stored documents of recently used keys (least recently used first), when cacheKeys > 0. */
  private readonly cache = new Map<string, StateDoc>();
  private readonly cacheKeys: number;
  private readonly timeoutMs: number;
  /** Writes and deletes started so far: a read from the database caches only if none ran meanwhile. */
  private changes = 0;

  constructor(connection: Connection, collection = 'botstate', options: MongoStorageOptions = {}) {
    this.model = connection.models[`State_${collection}`] as Model<StateDoc>
      ?? connection.model<StateDoc>(`State_${collection}`, stateSchema, collection);
    this.collection = this.model.collection as unknown as mongo.Collection<StateDoc>;
    this.cacheKeys = options.cacheKeys ?? 0;
    this.timeoutMs = options.timeoutMs ?? 0;
  }

  /** `work`, or a StorageTimeoutError after timeoutMs (the operation itself goes on: a write may still land). */
  private bounded<T>(operation: string, key: string, work: Promise<T>): Promise<T> {
    if (!this.timeoutMs) return work;
    return withTimeout(work, this.timeoutMs, `state ${operation}`, () => new StorageTimeoutError(operation, key, this.timeoutMs));
  }

  /** Forgets every cached document (after documents were deleted behind this storage's back, e.g. the retention purge). */
  clearCache(): void {
    this.cache.clear();
  }

  private cached(key: string): StateDoc | undefined {
    const doc = this.cache.get(key);
    if (doc) {
      this.cache.delete(key); // most recently used: to the end
      this.cache.set(key, doc);
    }
    return doc;
  }

  private remember(doc: StateDoc): void {
    if (!this.cacheKeys) return;
    this.cache.delete(doc._id);
    this.cache.set(doc._id, doc);
    if (this.cache.size > this.cacheKeys) this.cache.delete(this.cache.keys().next().value as string);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    // One lookup per key by _id equality, in parallel: FerretDB v1 pushes `_id` equality down
    // to SQLite but answers `$in` with a full scan (measured: 191 ms vs 4 ms at 10,000 docs).
    // Through the driver's collection, not mongoose queries: state is read and written on every
    // turn, and mongoose's query building and document casting cost more CPU than these one-key
    // operations on values already typed as the schema wants.
    const docs = await Promise.all(keys.map(async (key) => {
      const hit = this.cached(key);
      if (hit) return hit;
      const changesBefore = this.changes;
      const doc = await this.bounded('read', key, this.collection.findOne({ _id: key }));
      // Not if any write or delete ran meanwhile: this document may be older than theirs.
      if (doc && this.changes === changesBefore) this.remember(doc);
      return doc;
    }));
    const items: StoreItems = {};
    for (const doc of docs) {
      if (doc) items[doc._id] = { ...JSON.parse(doc.data), eTag: doc.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await Promise.all(Object.entries(changes).map(([key, item]) =>
      MongoStorage.locks.run(`${this.model.collection.collectionName}\u0000${key}`, async () => {
        this.changes++;
        try {
          this.remember({ _id: key, ...(await this.bounded('write', key, this.writeOne(key, item))) });
        } catch (err) {
          this.cache.delete(key); // a conflict or a failure: read the database next time
          throw err;
        } finally {
          this.changes++; // counted at both ends: a read that overlapped either one does not cache
        }
      })));
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(keys.map(async (key) => {
      this.changes++;
      this.cache.delete(key);
      try {
        await this.bounded('delete', key, this.model.deleteOne({ _id: key }).exec());
      } finally {
        this.changes++;
      }
    }));
  }

  /** Stores one item; returns what is now stored. */
  private async writeOne(key: string, item: Record<string | symbol, unknown>): Promise<Omit<StateDoc, '_id'>> {
    const { eTag: expected, ...rest } = (item ?? {}) as { eTag?: string };
    const next = { data: JSON.stringify(rest), eTag: randomUUID(), updatedAt: new Date() };
    if (item?.[REPLACE_ONLY] === true) {
      // Replaces the stored item (under its eTag, if one is given), never creates one: one document, atomic.
      const res = await this.collection.replaceOne({ _id: key, ...(expected && expected !== '*' ? { eTag: expected } : {}) }, next);
      if (res.matchedCount === 1) return next;
      if (await this.model.exists({ _id: key })) throw new ETagConflictError(key);
      throw new StateErasedError(key);
    }
    if (!expected || expected === '*') {
      // Two concurrent upserts of a new key can both try to insert: the loser gets E11000 and
      // retries, now finding the document to replace (the documented MongoDB upsert race).
      for (let attempt = 1; ; attempt++) {
        try {
          await this.collection.replaceOne({ _id: key }, next, { upsert: true });
          return next;
        } catch (err) {
          if ((err as { code?: number }).code !== 11000 || attempt >= 5) throw err;
        }
      }
    }
    // Compare-and-swap on one document: atomic even with concurrent writers.
    const res = await this.collection.updateOne({ _id: key, eTag: expected }, { $set: next });
    if (res.matchedCount === 1) return next;
    // No match: either the stored eTag differs (conflict) or nothing is stored yet, in which
    // case MemoryStorage accepts the write. A concurrent creator makes insertOne fail: conflict.
    if (await this.model.exists({ _id: key })) throw new ETagConflictError(key);
    try {
      await this.model.create({ _id: key, ...next });
      return next;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new ETagConflictError(key);
      throw err;
    }
  }
}
