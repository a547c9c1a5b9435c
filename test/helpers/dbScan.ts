import type { Connection } from 'mongoose';

type Db = NonNullable<Connection['db']>;

/** Every document of every collection (but those `skip` names), as text, in `_id` order. */
export async function everyDocument(db: Db, skip: (collection: string) => boolean = () => false): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (skip(name)) continue;
    all[name] = (await db.collection(name).find({}, { sort: { _id: 1 } }).toArray()).map((d) => JSON.stringify(d));
  }
  return all;
}

/** The collections (but those `skip` names) where any of `marks` is found, with how many documents. */
export async function collectionsHolding(db: Db, marks: string[], skip?: (collection: string) => boolean): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const [name, docs] of Object.entries(await everyDocument(db, skip))) {
    const n = docs.filter((d) => marks.some((m) => d.includes(m))).length;
    if (n) found[name] = n;
  }
  return found;
}
