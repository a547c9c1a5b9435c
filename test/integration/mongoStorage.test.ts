import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreItems } from 'botbuilder';
import { connectWithRetry } from '../../src/store/db';
import { freePort, startFerretDb } from '../../src/store/ferretdb';
import { ETagConflictError, MongoStorage, REPLACE_ONLY, StateErasedError, StorageTimeoutError } from '../../src/store/mongoStorage';
import { openTestDb, TestDb } from '../helpers/db';
import { freeze } from '../helpers/wait';

// Conformance cases ported from botbuilder's storage tests (storageBaseTests), on FerretDB,
// reading from the database and from the embedded default's in-memory copy.
describe.each([['reads from the database', 0], ['reads from memory (embedded default)', 100]])('MongoStorage (botbuilder Storage contract on FerretDB), %s', (label, cacheKeys) => {
  let db: TestDb;
  let storage: MongoStorage;

  beforeAll(async () => {
    db = await openTestDb(`storage_${cacheKeys}`);
    storage = new MongoStorage(db.connection, 'botstate', { cacheKeys });
  });
  afterAll(() => db.close());

  it('read of unknown keys returns an empty object (missing keys are omitted)', async () => {
    expect(await storage.read(['nope-1', 'nope-2'])).toEqual({});
  });

  it('write then read returns the item with a new eTag, and omits the missing key', async () => {
    await storage.write({ createPoco: { id: 1 }, createPocoStoreItem: { id: 2, eTag: '*' } });
    const items = await storage.read(['createPoco', 'createPocoStoreItem', 'missing']);
    expect(Object.keys(items).sort()).toEqual(['createPoco', 'createPocoStoreItem']);
    expect(items.createPoco.id).toBe(1);
    expect(items.createPocoStoreItem.id).toBe(2);
    expect(items.createPoco.eTag).toEqual(expect.any(String));
    expect(items.createPocoStoreItem.eTag).not.toBe('*');
  });

  it('keys with Teams-style characters round-trip, and values with dotted or $ keys survive', async () => {
    const keys = [
      'msteams/conversations/a:1Jq9vYt-kD9_0H9@thread.tacv2|19:abc.def@unq.gbl.spaces/',
      "emulator/users/user@example.org/ü ñ 漢字 'quoted' \"double\" #?&%",
      'x'.repeat(400),
    ];
    const value = { 'a.b': { $weird: 1, 'c.d': [1, { 'e.f': true }] }, text: 'é' };
    await storage.write(Object.fromEntries(keys.map((k) => [k, { ...value }])));
    const items = await storage.read(keys);
    for (const k of keys) {
      expect(items[k]).toMatchObject(value);
    }
  });

  it('write with the current eTag succeeds and changes the eTag; a stale eTag is rejected', async () => {
    await storage.write({ pocoItem: { count: 1 } });
    const first = (await storage.read(['pocoItem'])).pocoItem;
    await storage.write({ pocoItem: { ...first, count: 2 } });
    const second = (await storage.read(['pocoItem'])).pocoItem;
    expect(second.count).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);

    await expect(storage.write({ pocoItem: { ...first, count: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    await expect(storage.write({ pocoItem: { ...first, count: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['pocoItem'])).pocoItem.count).toBe(2);
  });

  it("eTag '*' and a missing eTag both overwrite whatever is stored", async () => {
    await storage.write({ wild: { v: 1 } });
    await storage.write({ wild: { v: 2, eTag: '*' } });
    expect((await storage.read(['wild'])).wild.v).toBe(2);
    await storage.write({ wild: { v: 3 } });
    expect((await storage.read(['wild'])).wild.v).toBe(3);
  });

  it('a write with an eTag on a key that does not exist yet creates it (as MemoryStorage does)', async () => {
    await storage.write({ fresh: { v: 1, eTag: 'some-etag' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
  });

  it('delete removes the key; deleting an unknown key is a no-op', async () => {
    await storage.write({ toDelete: { v: 1 }, toKeep: { v: 2 } });
    await storage.delete(['toDelete', 'never-existed']);
    expect(await storage.read(['toDelete', 'toKeep'])).toEqual({ toKeep: expect.objectContaining({ v: 2 }) });
    await expect(storage.delete(['never-existed-either'])).resolves.toBeUndefined();
  });

  it('batch operations on several keys at once', async () => {
    const changes: StoreItems = {};
    for (let i = 0; i < 25; i++) changes[`batch-${i}`] = { i };
    await storage.write(changes);
    const items = await storage.read(Object.keys(changes));
    expect(Object.keys(items)).toHaveLength(25);
    await storage.delete(Object.keys(changes));
    expect(await storage.read(Object.keys(changes))).toEqual({});
  });

  it('of concurrent writers holding the same eTag, exactly one wins', async () => {
    await storage.write({ contended: { v: 0 } });
    const base = (await storage.read(['contended'])).contended;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => storage.write({ contended: { ...base, v: i + 1 } })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    lost.forEach((r) => expect(r.reason).toBeInstanceOf(ETagConflictError));
  });

  it('concurrent creators of a new key with an eTag: one wins, the others conflict', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => storage.write({ newContended: { v: i, eTag: 'stale' } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('concurrent last-writer-wins writes never corrupt the item', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write({ lww: { v: i, eTag: '*' } })));
    const item = (await storage.read(['lww'])).lww;
    expect(item.v).toBeGreaterThanOrEqual(0);
    expect(item.v).toBeLessThan(20);
  });

  it('rejects calls without keys or changes, like MemoryStorage', async () => {
    await expect(storage.read(undefined as unknown as string[])).rejects.toThrow(ReferenceError);
    await expect(storage.write(undefined as unknown as StoreItems)).rejects.toThrow(ReferenceError);
    await expect(storage.delete(undefined as unknown as string[])).rejects.toThrow(ReferenceError);
  });
});

describe('MongoStorage read cache (embedded default: this process is the only writer)', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('storage_cache'); });
  afterAll(() => db.close());
  const docs = () => db.connection.db!.collection<{ _id: string }>('botstate');

  it('serves what it wrote without reading the database, until told to forget', async () => {
    const storage = new MongoStorage(db.connection, 'botstate', { cacheKeys: 10 });
    await storage.write({ 'directline/conversations/c1/': { step: 3 } });
    await docs().deleteOne({ _id: 'directline/conversations/c1/' }); // behind its back, as the retention purge does
    expect(await storage.read(['directline/conversations/c1/'])).toMatchObject({ 'directline/conversations/c1/': { step: 3 } });
    storage.clearCache();
    expect(await storage.read(['directline/conversations/c1/'])).toEqual({});
  });

  it('keeps only the most recently used keys', async () => {
    const storage = new MongoStorage(db.connection, 'botstate', { cacheKeys: 2 });
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.read(['a']); // a is now more recent than b
    await storage.write({ c: { v: 3 } }); // b leaves the cache
    await docs().deleteMany({ _id: { $in: ['a', 'b', 'c'] } });
    expect(Object.keys(await storage.read(['a', 'b', 'c'])).sort()).toEqual(['a', 'c']);
  });

  it('a read from the database that overlaps a write never caches the older document', async () => {
    const storage = new MongoStorage(db.connection, 'botstate', { cacheKeys: 10 });
    await new MongoStorage(db.connection).write({ race: { v: 'old' } }); // stored, not cached here
    // Hold the database read's answer until the write is done (as a slow read would be).
    const collection = (storage as unknown as { collection: { findOne?: (...args: unknown[]) => Promise<unknown> } }).collection;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let fetched!: () => void;
    const hasFetched = new Promise<void>((resolve) => { fetched = resolve; });
    const findOne = collection.findOne!.bind(collection);
    collection.findOne = async (...args: unknown[]) => { const doc = await findOne(...args); fetched(); await gate; return doc; };
    try {
      const reading = storage.read(['race']);
      await hasFetched; // the database answered the read before the write starts
      await storage.write({ race: { v: 'new' } });
      release();
      expect((await reading).race.v).toBe('old'); // what the database held when it was read
    } finally {
      delete collection.findOne; // the driver's own method again
    }
    expect((await storage.read(['race'])).race.v).toBe('new');
  });

  it('a REPLACE_ONLY write replaces what is stored, and is refused once the key was deleted (erased) since it was read — nothing comes back', async () => {
    const storage = new MongoStorage(db.connection, 'botstate', { cacheKeys: 10 });
    await storage.write({ erasable: { v: 1 } });
    const { erasable } = await storage.read(['erasable']);
    await storage.write({ erasable: { ...erasable, v: 2, eTag: '*', [REPLACE_ONLY]: true } });
    expect((await storage.read(['erasable'])).erasable.v).toBe(2);
    await storage.delete(['erasable']);
    await expect(storage.write({ erasable: { ...erasable, v: 3, eTag: '*', [REPLACE_ONLY]: true } })).rejects.toThrow(StateErasedError);
    await expect(storage.write({ erasable: { ...erasable, v: 3, [REPLACE_ONLY]: true } })).rejects.toThrow(StateErasedError);
    expect(await storage.read(['erasable'])).toEqual({});
    expect(await db.connection.db!.collection('botstate').countDocuments({ _id: 'erasable' as never })).toBe(0);
  });

  it('after a conflict or a delete, reads the database again', async () => {
    const storage = new MongoStorage(db.connection, 'botstate', { cacheKeys: 10 });
    const other = new MongoStorage(db.connection); // another writer (not supported, but not silent)
    await storage.write({ k: { v: 1 } });
    const { k } = await storage.read(['k']);
    await other.write({ k: { v: 2, eTag: k.eTag } });
    await expect(storage.write({ k: { v: 3, eTag: k.eTag } })).rejects.toThrow(ETagConflictError);
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.delete(['k']);
    expect(await storage.read(['k'])).toEqual({});
  });
});

describe('MongoStorage on a database that stops answering', () => {
  it('fails a write after its timeout (the turn then apologises), and works again once the database answers', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-storage-freeze-'));
    const ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, dataDir, await freePort());
    const connection = await connectWithRetry(`${ferret.uri.replace(/\/dla$/, '')}/storage_freeze`, { maxAttempts: 3, serverSelectionTimeoutMS: 1500 });
    const storage = new MongoStorage(connection, 'botstate', { cacheKeys: 100, timeoutMs: 1500 });
    let frozen = false;
    try {
      await storage.write({ 'conv|a': { step: 1 } });
      await freeze(ferret.pid);
      frozen = true;
      const started = Date.now();
      await expect(storage.write({ 'conv|a': { step: 2 } })).rejects.toThrow(StorageTimeoutError);
      // Well before the driver notices on its own (about 9 s: a heartbeat, then its 5 s timeout).
      expect(Date.now() - started).toBeLessThan(5000);
      process.kill(ferret.pid, 'SIGCONT');
      frozen = false;
      // What the late write did or did not do, the next read finds in the database (not a stale copy).
      let written = false;
      for (const deadline = Date.now() + 20000; !written && Date.now() < deadline;) {
        written = await storage.write({ 'conv|a': { step: 3 } }).then(() => true, () => false);
      }
      expect(written).toBe(true);
      expect((await storage.read(['conv|a']))['conv|a'].step).toBe(3);
    } finally {
      if (frozen) process.kill(ferret.pid, 'SIGCONT');
      await connection.close();
      await ferret.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60000);
});

describe('MONGODB_URI without a database name (as Atlas gives it)', () => {
  it('writes to the database "dla", not to the driver\'s "test"', async () => {
    const base = new URL(process.env.TEST_MONGODB_URI!);
    base.pathname = '/';
    base.search = '?retryWrites=true';
    const connection = await connectWithRetry(base.toString(), { maxAttempts: 3, initialDelayMs: 200 });
    try {
      expect(connection.db?.databaseName).toBe('dla');
    } finally {
      await connection.close();
    }
  });
});
