import type { mongo } from 'mongoose';

/** One document per data upgrade done (its `_id` names it, `at` says when). */
const SCHEMA_VERSIONS = 'schema_versions';

/**
 * Runs a data upgrade once per database: `work` when `upgrade` is not marked done yet, then the
 * mark. A run cut short is run again at the next start (the upgrades are idempotent); once marked,
 * later starts skip it without scanning anything. Going back to an earlier version is not supported.
 * Returns what `work` returned, or undefined when it was done already.
 */
export async function upgradeOnce<T>(db: mongo.Db, upgrade: string, work: () => Promise<T>): Promise<T | undefined> {
  const marks = db.collection<{ _id: string; at: Date }>(SCHEMA_VERSIONS);
  if (await marks.findOne({ _id: upgrade })) return undefined;
  const done = await work();
  await marks.updateOne({ _id: upgrade }, { $set: { at: new Date() } }, { upsert: true });
  return done;
}
