/**
 * Writes bench: what one write costs with `count` dossiers stored (seeded as bench/admin.ts does,
 * with as many bot states and handoff leases): a handoff created (its dossier's summary follows),
 * a dossier's summary refreshed, a message or a contact added to a handoff, the drain that clears
 * its notice, a bot state written under its eTag, an id taken out of a lookup list, the background
 * loops' reads (a drain with nothing or one handoff due, the follow-up's due check-ins), a dossier
 * erased. On the embedded FerretDB any filter but `_id` alone reads the collection until it
 * matches (all of it when nothing does): these are the writes whose filter held more.
 *
 * Each write on a different document, spread over the collection (a scan stops at its match).
 * Embedded FerretDB unless MONGODB_URI is set (a fresh database, dropped at the end).
 * Alone: `node dist/bench/writes.js`; env BENCH_DOSSIERS (2000), BENCH_WRITES_RUNS (21, the first warms up),
 * BENCH_WRITES_ONLY (a pattern: only the writes it matches).
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config';
import { CheckinRepository } from '../src/followup/checkins';
import { HandoffOutbox } from '../src/handoff/outbox';
import type { Notifier } from '../src/handoff/notifiers/notifier';
import { setLogLevel } from '../src/log';
import { deleteDossiers, type Dossier } from '../src/store/dossiers';
import { addToList, DOSSIER_HANDOFFS, NO_DOSSIER, removeFromList, upgradeLookups } from '../src/store/lookups';
import { MongoStorage } from '../src/store/mongoStorage';
import { refreshHandoffState, refreshSummaries, summarise, upgradeSummaries } from '../src/store/summaries';
import { benchDatabase, insertRows, seedDocuments } from './admin';

export interface BenchWritesRow { write: string; 'median ms': string; 'min ms': string; 'max ms': string; runs: number }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchWrites(options: { count?: number; runs?: number; uri?: string; print?: (line: string) => void } = {}): Promise<BenchWritesRow[]> {
  const count = options.count ?? 2000;
  const runs = options.runs ?? 21;
  const print = options.print ?? ((line: string) => console.log(line));
  const config = loadConfig({ ...process.env, PORT: '0' });
  const { connection, close } = await benchDatabase('bench_writes', options.uri ?? config.mongoUri, config.ferretdbBin, print);
  const db = connection.db!;
  const outbox = new HandoffOutbox(connection, [], { maxAttempts: 3, stateChanged: (dossierId) => refreshHandoffState(connection, dossierId) });
  const storage = new MongoStorage(connection, 'botstate');
  try {
    const seeded = performance.now();
    const docs = seedDocuments(count);
    const insert = (name: string, rows: Record<string, unknown>[]) => insertRows(db, name, rows);
    await insert('dossiers', docs.dossiers);
    await insert('handoffs', docs.handoffs);
    await insert('checkins', docs.checkins);
    const eTags = Array.from({ length: count }, () => randomBytes(8).toString('hex'));
    const stateKey = (i: number) => `directline/conversations/conv-${i}/`;
    await insert('botstate', eTags.map((eTag, i) => ({
      _id: stateKey(i), eTag, updatedAt: new Date(),
      data: JSON.stringify({ dialogState: { dialogStack: [{ id: 'accueil', state: { answers: { name: `Association ${i}`, request: 'x'.repeat(1500) } } }] } }),
    })));
    await insert('handoff_leases', docs.handoffs.map((h) => ({
      _id: `${h._id}#99#0`, handoffId: h._id, generation: 0, instance: 'bench', expiresAt: new Date(), createdAt: new Date(),
    })));
    await upgradeLookups(connection);
    await upgradeSummaries(connection);
    await addToList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, 'bench-loose-kept');
    print(`Writes bench: ${count} dossiers, ${docs.handoffs.length} handoffs and leases, ${count} bot states seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    // The r-th run's document: spread over the collection, from its start to its end.
    const spread = (r: number, n: number) => Math.floor(((r + 0.5) * n) / runs);
    const dossierId = (r: number) => docs.dossiers[spread(r, count)]._id as string;
    const openHandoffs = docs.handoffs.filter((h) => h.status !== 'closed');
    const handoffId = (r: number) => openHandoffs[spread(r, openHandoffs.length)]._id as string;
    const rows: BenchWritesRow[] = [];
    const only = process.env.BENCH_WRITES_ONLY ? new RegExp(process.env.BENCH_WRITES_ONLY) : undefined;
    const time = async (write: string, before: ((r: number) => Promise<unknown>) | undefined, work: (r: number) => Promise<unknown>) => {
      if (only && !only.test(write)) return;
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        await before?.(r);
        const t0 = performance.now();
        await work(r);
        if (r > 0) times.push(performance.now() - t0); // the first run warms up
      }
      rows.push({ write, 'median ms': median(times).toFixed(1), 'min ms': Math.min(...times).toFixed(1), 'max ms': Math.max(...times).toFixed(1), runs: times.length });
    };
    const bump = async (id: string) => db.collection<Dossier>('dossiers').findOneAndUpdate({ _id: id }, { $set: { updatedAt: new Date() } }, { returnDocument: 'after' });
    await time('handoff created (outbox.create)', undefined, (r) => outbox.create({
      dossierId: dossierId(r), reason: 'user_request', urgency: 'normal', consent: true, structureName: `Association ${r}`,
      contact: { name: 'Camille', phone: '05 56 00 00 00' }, transcript: { channelId: 'directline', conversationId: `conv-${r}` },
    }));
    await time('dossier summary refreshed (refreshSummaries)', (r) => bump(dossierId(r)), (r) => refreshSummaries(connection, [dossierId(r)]));
    let saved: Dossier | null = null;
    await time('dossier saved, its summary (summarise)', async (r) => { saved = await bump(dossierId(r)); }, () => summarise(connection, saved!));
    await time('message added to a handoff (outbox.addMessage)', undefined, (r) => outbox.addMessage(handoffId(r), `Précision ${r}`));
    await time('contact corrected (outbox.updateContact)', undefined, (r) => outbox.updateContact(handoffId(r), { name: 'Camille', phone: `06 00 00 00 ${String(r).padStart(2, '0')}` }));
    await time('drain clearing a message\'s notice (outbox.drain)', (r) => outbox.addMessage(handoffId(r), `Encore ${r}`), () => outbox.drain());
    await time('bot state written under its eTag (MongoStorage.write)', undefined, async (r) => {
      const i = spread(r, count);
      await storage.write({ [stateKey(i)]: { dialogState: { r }, eTag: eTags[i] } });
    });
    await time('id out of a list that stays (removeFromList)', (r) => addToList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, `bench-loose-${r}`),
      (r) => removeFromList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, `bench-loose-${r}`));
    await time('leases of a dossier\'s handoffs (deleteMany handoffId $in)', undefined,
      (r) => db.collection('handoff_leases').deleteMany({ handoffId: { $in: docs.handoffs.filter((h) => h.dossierId === dossierId(r)).map((h) => h._id as string) } }));
    // The background loops on a database where nothing is due: the outbox's drain (every 15 s) and the follow-up's due check-ins (every minute).
    const ready: Notifier = { kind: 'webhook', recipients: () => [], send: async () => undefined };
    const delivering = new HandoffOutbox(connection, [ready], { maxAttempts: 3 });
    await delivering.drain(); // what the other writes left due
    await time('drain, nothing due (outbox.drain)', undefined, () => delivering.drain());
    await time('drain, one handoff due (outbox.drain)', (r) => delivering.create({
      dossierId: dossierId(r), reason: 'user_request', urgency: 'normal', consent: true, structureName: `Association due ${r}`,
      contact: { name: 'Camille', phone: '05 56 00 00 00' }, transcript: { channelId: 'directline', conversationId: `conv-due-${r}` },
    }), async () => {
      const { sent } = await delivering.drain();
      if (sent !== 1) throw new Error(`drain sent ${sent}, not 1`);
    });
    const checkins = new CheckinRepository(connection);
    await time('follow-up due check-ins, none due (CheckinRepository.due)', undefined, async () => {
      const due = await checkins.due(new Date(0), 200);
      if (due.length) throw new Error(`${due.length} check-ins due`);
    });
    await time('dossier erased (deleteDossiers)', undefined, (r) => deleteDossiers(connection, [dossierId(r)]));
    console.table(rows);
    print(`JSON ${JSON.stringify(rows)}`);
    return rows;
  } finally {
    await outbox.stop();
    await close();
  }
}

if (require.main === module) {
  setLogLevel('warn');
  benchWrites({ count: Number(process.env.BENCH_DOSSIERS ?? 2000), runs: Number(process.env.BENCH_WRITES_RUNS ?? 21) })
    .then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
