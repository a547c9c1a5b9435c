/** Write statements per bulkWrite command. */
export const BULK_CHUNK = 25;

/**
 * bulkWrite in commands of BULK_CHUNK statements. FerretDB v1.24 keeps each update statement's
 * read cursor (one SQLite connection of a pool of 100) open until the whole command ends, so one
 * command of ~100 updates or more waits for a connection forever (measured: 200 follow-up
 * records hang; re-importing 300 resources hangs). Inserts of new documents are not affected.
 */
export async function bulkWriteInChunks<Op>(
  target: { bulkWrite(ops: readonly Op[] | Op[], options: { ordered: boolean }): Promise<unknown> },
  ops: readonly Op[],
  options: { ordered: boolean } = { ordered: false },
): Promise<void> {
  for (let i = 0; i < ops.length; i += BULK_CHUNK) await target.bulkWrite(ops.slice(i, i + BULK_CHUNK), options);
}
