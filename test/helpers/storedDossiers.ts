import type { Connection, mongo } from 'mongoose';
import { listExisting } from '../../src/store/lookups';
import { rebuildSummaries } from '../../src/store/summaries';

/** Collection methods that write. */
const WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndDelete']);

/**
 * A collection whose writes are each followed by `after` (what the app's own writers do after theirs).
 */
function following<T extends mongo.Document>(connection: Connection, name: string, after: () => Promise<unknown>): mongo.Collection<T> {
  return new Proxy(connection.db!.collection<T>(name), {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !WRITES.has(prop) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        await after();
        return result;
      };
    },
  });
}


/**
 * The dossiers collection, for a test that stores dossiers as an earlier version did or changes them
 * as another writer would: each write is followed by what every writer of the app does after its
 * own, the back-office's summaries refreshed — here all of them, rebuilt.
 */
export function storedDossiers<T extends mongo.Document = mongo.Document>(connection: Connection): mongo.Collection<T> {
  return following<T>(connection, 'dossiers', () => rebuildSummaries(connection));
}

/** The handoffs collection, the same way: each write followed by the handoffs listed by dossier (as the outbox lists them) and the summaries refreshed. */
export function storedHandoffs<T extends mongo.Document = mongo.Document>(connection: Connection): mongo.Collection<T> {
  return following<T>(connection, 'handoffs', async () => {
    await listExisting(connection);
    await rebuildSummaries(connection);
  });
}
