import { HandoffOutbox } from '../../src/handoff/outbox';
import { deleteDossiers, Dossier, DossierRepository } from '../../src/store/dossiers';
import { setConditionalUpdates } from '../../src/store/db';
import type { Connection } from 'mongoose';
import { DOSSIER_HANDOFFS, listIds, NO_DOSSIER } from '../../src/store/lookups';
import { deleteHandoffs, DOSSIER_SUMMARIES, findSummaries, refreshHandoffState, refreshSummaries, summarise } from '../../src/store/summaries';
import { openTestDb, TestDb } from '../helpers/db';

/**
 * A dossier's summary (the back-office's list row) keeps the latest change whatever order its
 * writers finish in: with several assistant instances on one MongoDB, another instance may have
 * written a later state of the dossier or of its handoffs before this one writes what it read.
 */
describe('dossier summaries: the latest change wins', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('summaries'); });
  afterAll(() => db.close());

  const summary = async (id: string) => (await findSummaries(db.connection, { _id: id }))[0];
  const rawSummary = (id: string) => db.connection.db!.collection<{ _id: string }>(DOSSIER_SUMMARIES).findOne({ _id: id });

  it('a dossier’s earlier state, written last, does not replace its later one', async () => {
    const dossiers = new DossierRepository(db.connection);
    const created = await dossiers.create('directline:u-order', 12);
    const later: Dossier = { ...created, phase: 'diagnostic', answers: { name: 'La Recyclerie' }, updatedAt: new Date(created.updatedAt.getTime() + 60_000) };
    const earlier: Dossier = { ...created, answers: { name: 'Recyclerie (brouillon)' }, updatedAt: new Date(created.updatedAt.getTime() + 30_000) };
    await summarise(db.connection, later);
    await summarise(db.connection, earlier);
    expect((await summary(created._id)).row).toMatchObject({ phase: 'diagnostic', name: 'La Recyclerie' });
    // And a later one still goes in.
    await summarise(db.connection, { ...later, phase: 'parcours', updatedAt: new Date(later.updatedAt.getTime() + 1_000) } as Dossier);
    expect((await summary(created._id)).row.phase).toBe('parcours');
  });

  it('a dossier erased while its writer was summarising it leaves no row behind', async () => {
    const dossiers = new DossierRepository(db.connection);
    const dossier = await dossiers.create('directline:u-erased', 12);
    await deleteDossiers(db.connection, [dossier._id]);
    // The writer read it back before the erasure, and summarises it after.
    await summarise(db.connection, { ...dossier, phase: 'diagnostic', updatedAt: new Date(dossier.updatedAt.getTime() + 1_000) });
    expect(await rawSummary(dossier._id)).toBeNull();
  });

  it('a handoff state read before another instance’s claim does not bring the handoff back to open', async () => {
    const dossiers = new DossierRepository(db.connection);
    const dossier = await dossiers.create('directline:u-claim', 12);
    const outbox = new HandoffOutbox(db.connection, [], { maxAttempts: 1, stateChanged: (id) => refreshHandoffState(db.connection, id) });
    await outbox.create({ dossierId: dossier._id, reason: 'user_request', urgency: 'normal', consent: true, transcript: { channelId: 'directline', conversationId: 'c-claim' } });
    expect((await summary(dossier._id)).row.handoff).toBe('open');
    // Another instance claimed it a minute from now and wrote the summary: this instance's read (open) comes after.
    const claimedAt = new Date(Date.now() + 60_000);
    await db.connection.db!.collection(DOSSIER_SUMMARIES).updateOne({ _id: dossier._id } as never, { $set: { handoff: 'claimed', handoffsAt: claimedAt } });
    await refreshHandoffState(db.connection, dossier._id);
    expect((await summary(dossier._id)).row.handoff).toBe('claimed');
    expect(await rawSummary(dossier._id)).toMatchObject({ handoffsAt: claimedAt });
  });

  it('a refresh that read the dossier before another instance’s decision, written last, does not replace it', async () => {
    const dossiers = new DossierRepository(db.connection);
    const dossier = await dossiers.create('directline:u-refresh', 12);
    await dossiers.save({ ...dossier, decision: { outcome: 'to_confirm', rulesVersion: 'test', decidedAt: new Date(), reasons: [] } });
    // This instance refreshes after a parcours: it reads the dossier, then its write is slow to come.
    let read!: () => void;
    let release!: () => void;
    const hasRead = new Promise<void>((r) => { read = r; });
    const released = new Promise<void>((r) => { release = r; });
    const slow = slowSummaryWrites(db.connection, () => read(), released);
    // Instances share a database only on MongoDB (the embedded FerretDB has one process): its conditional writes, here on FerretDB.
    setConditionalUpdates(slow, true);
    const late = refreshSummaries(slow, [dossier._id]);
    await hasRead;
    // Meanwhile another instance (its own copy of the module: its own lock) records a chargé·e's decision and refreshes.
    await db.connection.db!.collection<{ _id: string }>('dossiers').updateOne({ _id: dossier._id }, {
      $set: { chargeDecision: { outcome: 'out_of_scope', by: 'Claire Martin', at: new Date(), note: 'Hors champ' }, updatedAt: new Date(Date.now() + 1_000) },
    });
    let other!: typeof import('../../src/store/summaries');
    jest.isolateModules(() => { other = require('../../src/store/summaries'); });
    await other.refreshSummaries(db.connection, [dossier._id]);
    expect((await summary(dossier._id)).row).toMatchObject({ outcome: 'out_of_scope', decisionBy: 'Claire Martin' });
    // The late write of what this instance read comes now: the decision stays.
    release();
    await late;
    expect((await summary(dossier._id)).row).toMatchObject({ outcome: 'out_of_scope', decisionBy: 'Claire Martin' });
  });
});

describe('dossier summaries: the handoffs listed without a dossier', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('summaries_shape'); });
  afterAll(() => db.close());

  it('handoffs listed without a dossier leave that list when they are purged or erased', async () => {
    const outbox = new HandoffOutbox(db.connection, [], { maxAttempts: 1, stateChanged: (id) => refreshHandoffState(db.connection, id) });
    const old = { reason: 'user_request', urgency: 'normal', consent: true, transcript: { channelId: 'directline', conversationId: 'c-loose' } } as const;
    const loose = await outbox.create({ ...old });
    // Its dossier not stored (yet): listed with those without one, until its dossier is erased.
    const early = await outbox.create({ ...old, dossierId: 'd-never-stored' });
    expect(await listIds(db.connection, DOSSIER_HANDOFFS, NO_DOSSIER)).toEqual(expect.arrayContaining([loose._id, early._id]));

    await deleteDossiers(db.connection, ['d-never-stored']);
    expect(await listIds(db.connection, DOSSIER_HANDOFFS, NO_DOSSIER)).not.toContain(early._id);
    await deleteHandoffs(db.connection, { _id: loose._id });
    expect(await listIds(db.connection, DOSSIER_HANDOFFS, NO_DOSSIER)).not.toContain(loose._id);
  });
});

/**
 * The same database, its summaries' writes held until `released`, and `read()` called once the
 * dossier was read: a slow instance, whose write comes after another's.
 */
function slowSummaryWrites(connection: Connection, read: () => void, released: Promise<void>): Connection {
  const db = connection.db!;
  const writes = new Set(['updateOne', 'replaceOne', 'insertOne', 'deleteOne']);
  const collection = (name: string) => new Proxy(db.collection(name), {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (name === DOSSIER_SUMMARIES && writes.has(String(prop))) return async (...args: unknown[]) => { await released; return value.apply(target, args); };
      if (name === 'dossiers' && prop === 'findOne') return async (...args: unknown[]) => { const found = await value.apply(target, args); read(); return found; };
      return value.bind(target);
    },
  });
  return { db: new Proxy(db, { get: (target, prop, receiver) => (prop === 'collection' ? collection : Reflect.get(target, prop, receiver)) }) } as unknown as Connection;
}
