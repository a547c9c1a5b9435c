import type { Connection } from 'mongoose';
import { inBatches } from '../async';
import { log } from '../log';
import { conditionalUpdates } from './db';
import { KeyedMutex } from './keyedMutex';
import { upgradeOnce } from './schemaVersions';

/**
 * Lists keyed by `_id`, so that the back-office's « one dossier » reads what belongs to the dossier
 * without a filter over a whole collection (FerretDB v1 answers only an `_id` equality without
 * reading and decoding every document; MongoDB answers both by index):
 *  - SIRET_DOSSIERS: `_id` a SIRET, `ids` the dossiers that gave it;
 *  - DOSSIER_HANDOFFS: `_id` a dossier, `ids` its handoffs;
 *  - DOSSIER_CHECKINS: `_id` a dossier, `ids` its follow-up check-ins (the conversation looks for
 *    the one waiting at each welcome, the back-office lists them on the dossier's page);
 *  - HANDOFFS_DUE: one list, `_id` DUE, the handoffs with a delivery pending or a change to tell (the
 *    outbox's drain reads these on the embedded FerretDB: src/handoff/outbox.ts).
 * An id is listed before the document that names it is written, and taken out (best effort) after:
 * a list may name more than belongs (a write cut short, a SIRET changed since),
 * never less. Readers therefore check each document they read by its id (see listed()).
 */
export const SIRET_DOSSIERS = 'siret_dossiers';
export const DOSSIER_HANDOFFS = 'dossier_handoffs';
export const DOSSIER_CHECKINS = 'dossier_checkins';
export const HANDOFFS_DUE = 'handoffs_due';
type ListName = typeof SIRET_DOSSIERS | typeof DOSSIER_HANDOFFS | typeof DOSSIER_CHECKINS | typeof HANDOFFS_DUE;
/** The key of HANDOFFS_DUE's one list. */
export const DUE = 'due';
/** The key of DOSSIER_HANDOFFS that lists the handoffs without a dossier (stored by an earlier version; no dossier's id is empty). */
export const NO_DOSSIER = '';

/** Where each list's ids come from: the collection, and the field of its documents that is the list's key. */
const SOURCES: Record<Exclude<ListName, typeof HANDOFFS_DUE>, { collection: string; key: string }> = {
  [SIRET_DOSSIERS]: { collection: 'dossiers', key: 'siret' },
  [DOSSIER_HANDOFFS]: { collection: 'handoffs', key: 'dossierId' },
  [DOSSIER_CHECKINS]: { collection: 'checkins', key: 'dossierId' },
};

interface ListDoc {
  _id: string;
  ids: string[];
}

/** The upgrade that listed the dossiers of each SIRET and the handoffs of each dossier (upgradeLookups()). */
const LISTED_BY_ID = 'dossier-lookups-listed';
/** The upgrade that listed the check-ins of each dossier (upgradeLookups()). */
const CHECKINS_LISTED = 'dossier-checkins-listed';
/** The upgrade that dropped the "siret:" keys of dossier_keys, replaced by SIRET_DOSSIERS. */
const SIRET_KEYS_DROPPED = 'dossier-siret-keys-dropped';
/** Lookups sent side by side. */
const PARALLEL = 32;
/** List documents the upgrade inserts at a time. */
const UPGRADE_BATCH = 500;

/** Writers of one list, one after another in this process: FerretDB v1 applies no update atomically (src/store/keyedMutex.ts). */
const listLock = new KeyedMutex();

function lists(connection: Connection, name: ListName) {
  return connection.db!.collection<ListDoc>(name);
}

/** Adds ids to the list `key` (created if need be); already there: nothing changes. */
export function addToList(connection: Connection, name: ListName, key: string, ...ids: string[]): Promise<void> {
  return listLock.run(`${name}\n${key}`, async () => {
    await lists(connection, name).updateOne({ _id: key }, { $addToSet: { ids: { $each: ids } } }, { upsert: true });
  });
}

/** Takes ids out of the list `key` (which may not exist); a list left empty goes (it named its key: a SIRET, a dossier's id). */
export function removeFromList(connection: Connection, name: ListName, key: string, ...ids: string[]): Promise<void> {
  return listLock.run(`${name}\n${key}`, async () => {
    if (!ids.length) return;
    const left = await lists(connection, name).findOneAndUpdate({ _id: key }, { $pullAll: { ids } }, { returnDocument: 'after' });
    if (left && !left.ids.length) {
      // Unless an id was added meanwhile: the condition on MongoDB (atomic); on the embedded FerretDB listLock orders the writers and `_id`
      // alone is read by index (the conditional delete, sent each time, read every list: bench/writes.ts, 2,000 dossiers, a removal 144 → 4 ms).
      await lists(connection, name).deleteOne(await conditionalUpdates(connection) ? { _id: key, ids: { $size: 0 } } : { _id: key });
    }
  });
}

/**
 * The documents of `collection` listed under `key`, read by `_id` side by side, those `belongs`
 * accepts (the list may name more than belongs: see above), with only `projection`'s fields
 * when given (it must keep those `belongs` reads).
 */
export async function listed<T extends { _id: string }>(
  connection: Connection, name: ListName, key: string, collection: string, belongs: (doc: T) => boolean, projection?: Record<string, 1>,
): Promise<T[]> {
  const ids = await listIds(connection, name, key);
  const docs = await inBatches(ids, PARALLEL, (_id) => connection.db!.collection<T>(collection).findOne({ _id } as never, projection ? { projection } : {}));
  return docs.filter((d): d is NonNullable<typeof d> => d !== null).map((d) => d as T).filter(belongs);
}

/** The ids listed under `key` (none when there is no list): for a reader that reads each document its own way (see listed()). */
export async function listIds(connection: Connection, name: ListName, key: string): Promise<string[]> {
  return (await lists(connection, name).findOne({ _id: key }))?.ids ?? [];
}

/**
 * Erasure and retention purge: the dossiers' lists of handoffs and check-ins go (their handoffs out
 * of the list of those without a dossier too: listed there while their dossier was not stored, and
 * out of the list of those due), and the dossiers leave their SIRETs' lists.
 */
export async function forgetDossiers(connection: Connection, ids: string[]): Promise<void> {
  const handoffs = (await Promise.all(ids.map((id) => listIds(connection, DOSSIER_HANDOFFS, id)))).flat();
  await removeFromList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, ...handoffs);
  await removeFromList(connection, HANDOFFS_DUE, DUE, ...handoffs);
  await lists(connection, DOSSIER_HANDOFFS).deleteMany({ _id: { $in: ids } });
  await lists(connection, DOSSIER_CHECKINS).deleteMany({ _id: { $in: ids } });
  await lists(connection, SIRET_DOSSIERS).updateMany({ ids: { $in: ids } }, { $pullAll: { ids } });
  await lists(connection, SIRET_DOSSIERS).deleteMany({ ids: { $size: 0 } });
}

/**
 * Lists what the database holds already: each dossier under its SIRET, each handoff and each
 * check-in under its dossier. Idempotent (ids already listed stay as they are). Returns how many
 * documents it listed.
 */
export async function listExisting(connection: Connection): Promise<{ dossiers: number; handoffs: number; checkins: number }> {
  return { dossiers: await listAll(connection, SIRET_DOSSIERS), handoffs: await listAll(connection, DOSSIER_HANDOFFS), checkins: await listAll(connection, DOSSIER_CHECKINS) };
}

/** Lists every document of the list's collection that has a key (one scan); returns how many. */
async function listAll(connection: Connection, name: keyof typeof SOURCES): Promise<number> {
  const { collection, key } = SOURCES[name];
  const docs = await connection.db!.collection<{ _id: string } & Record<string, unknown>>(collection)
    .find({ [key]: { $type: 'string', $ne: '' } }, { projection: { _id: 1, [key]: 1 } }).toArray();
  await fill(connection, name, docs.map((d) => [d[key] as string, d._id]));
  return docs.length;
}

/** The pairs [key, id] grouped into lists: new lists inserted by batches, ids added to those that exist. */
async function fill(connection: Connection, name: ListName, pairs: [string, string][]): Promise<void> {
  const byKey = new Map<string, string[]>();
  for (const [key, id] of pairs) (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(id);
  const docs = [...byKey].map(([_id, ids]) => ({ _id, ids }));
  const existing: ListDoc[] = [];
  for (let i = 0; i < docs.length; i += UPGRADE_BATCH) {
    const batch = docs.slice(i, i + UPGRADE_BATCH);
    try {
      await lists(connection, name).insertMany(batch, { ordered: false });
    } catch (err) {
      const failed = writeErrorIndexes(err);
      if (!failed) throw err;
      existing.push(...failed.map((n) => batch[n]));
    }
  }
  await inBatches(existing, PARALLEL, ({ _id, ids }) => addToList(connection, name, _id, ...ids));
}

/** The indexes of the documents an unordered insertMany refused as duplicates; undefined for any other failure. */
function writeErrorIndexes(err: unknown): number[] | undefined {
  const e = err as { writeErrors?: { code?: number; index: number }[] | { code?: number; index: number } };
  const writeErrors = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) return undefined;
  return writeErrors.map((w) => w.index);
}

/**
 * Run at start: lists the dossiers, handoffs and check-ins stored before these lists existed
 * (as listExisting), once; a mark in `schema_versions` for each upgrade spares later starts the
 * scan. Returns whether any ran.
 */
export async function upgradeLookups(connection: Connection): Promise<boolean> {
  let started = Date.now();
  const listedNow = await upgradeOnce(connection.db!, LISTED_BY_ID, async () => ({
    dossiers: await listAll(connection, SIRET_DOSSIERS), handoffs: await listAll(connection, DOSSIER_HANDOFFS),
  }));
  // A new database has nothing to list: nothing said.
  if (listedNow?.dossiers || listedNow?.handoffs) log.info('Dossiers listed by SIRET and handoffs by dossier (once, after an upgrade)', { ...listedNow, ms: Date.now() - started });
  started = Date.now();
  const checkins = await upgradeOnce(connection.db!, CHECKINS_LISTED, () => listAll(connection, DOSSIER_CHECKINS));
  if (checkins) log.info('Check-ins listed by dossier (once, after an upgrade)', { checkins, ms: Date.now() - started });
  // Earlier versions also keyed one dossier per SIRET in dossier_keys ("siret:…"), never unlinked when
  // the SIRET changed; the lists replace them.
  await upgradeOnce(connection.db!, SIRET_KEYS_DROPPED, () => connection.db!.collection('dossier_keys').deleteMany({ _id: { $regex: /^siret:/ } as never }));
  return listedNow !== undefined || checkins !== undefined;
}
