import { DossierRepository } from '../../src/store/dossiers';
import { MongoStorage } from '../../src/store/mongoStorage';
import { PrivacyService } from '../../src/store/privacy';
import { traceHash } from '../../src/privacy/erasures';
import { purgeExpired } from '../../src/store/retention';
import { addToList, DOSSIER_HANDOFFS } from '../../src/store/lookups';
import { collectionsHolding } from '../helpers/dbScan';
import { openTestDb, TestDb } from '../helpers/db';

describe('retention purge', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('retention'); });
  afterAll(() => db.close());

  it('deletes dossiers with their keys, handoffs and check-ins, stale references and state, and Direct Line history older than the retention period; keeps the rest', async () => {
    let clock = new Date('2023-01-10T10:00:00Z');
    const repo = new DossierRepository(db.connection, () => clock);
    const old = await repo.create('directline:dl_old', 36);
    old.answers = { name: 'Ancienne Asso', identifiers: { siret: '73282932000074' } };
    await repo.save(old);
    clock = new Date('2026-06-01T10:00:00Z');
    const recent = await repo.create('directline:dl_recent', 36);
    const activities = db.connection.db!.collection('directline_activities');
    await activities.insertMany([
      { _id: 'c1|0000000' as never, conversationId: 'c1', seq: 0, activity: '{"text":"mon email est x@y.fr"}', createdAt: new Date('2023-01-10') },
      { _id: 'c2|0000000' as never, conversationId: 'c2', seq: 0, activity: '{"text":"bonjour"}', createdAt: new Date('2026-06-01') },
    ]);

    const d = db.connection.db!;
    const contact = { name: 'Camille Ancienne', email: 'camille@ancienne.example', phone: '0612345678' };
    await d.collection('handoffs').insertMany([
      { _id: 'h-old-dossier', dossierId: old._id, contact, createdAt: new Date('2026-01-01') }, // recent, but its dossier expires
      { _id: 'h-old-anonymous', contact, createdAt: new Date('2023-05-01') }, // no dossier, too old
      { _id: 'h-recent', dossierId: recent._id, createdAt: new Date('2026-06-02') },
    ] as never[]);
    await d.collection('checkins').insertMany([
      { _id: `${old._id}|after_diagnostic_15m`, dossierId: old._id, answers: { jobs: 'Camille a été embauchée' } },
      { _id: `${recent._id}|after_diagnostic_15m`, dossierId: recent._id },
    ] as never[]);
    await d.collection('checkin_optouts').insertMany([{ _id: old._id, at: new Date('2024-01-01') }, { _id: recent._id, at: new Date('2026-07-01') }] as never[]);
    await d.collection('conversation_refs').insertMany([
      { _id: 'directline:dl_old', reference: '{"user":{"name":"Camille Ancienne"}}', updatedAt: new Date('2023-01-10') },
      { _id: 'directline:dl_recent', reference: '{}', updatedAt: new Date('2026-06-01') },
    ] as never[]);
    await d.collection('botstate').insertMany([
      { _id: 'directline/users/dl_old', data: '{"profile":{"language":"fr"}}', eTag: '1', updatedAt: new Date('2023-01-10') },
      { _id: 'directline/users/dl_recent', data: '{}', eTag: '1', updatedAt: new Date('2026-06-01') },
    ] as never[]);

    await d.collection('data_exports').insertMany([
      { _id: 'past', owner: 'msteams:29:1', data: '{}', expiresAt: new Date('2026-11-25T23:50:00Z') },
      { _id: 'live', owner: 'msteams:29:2', data: '{}', expiresAt: new Date('2026-11-26T00:10:00Z') },
    ] as never[]);

    const privacy = new PrivacyService({ connection: db.connection, dossiers: repo, storage: new MongoStorage(db.connection) });
    const report = await purgeExpired(db.connection, new Date('2026-11-26T00:00:00Z'), 36, privacy);

    // The expired dossier goes as an erasure does (its key, handoff, check-in, opt-out, its user's reference).
    expect(report).toMatchObject({ dossiers: 1, dossierDocuments: 6, handoffs: 1, references: 0, botState: 1, directLineActivities: 1, dataExports: 1 });
    expect(await d.collection('erasures').find({}, { projection: { _id: 0, at: 0 } }).toArray()).toEqual([
      { dossierId: old._id, by: 'retention', documents: 6, users: [traceHash('directline:dl_old')], conversations: [] },
    ]);
    expect((await d.collection('data_exports').find({}).toArray()).map((x) => x._id)).toEqual(['live']);
    expect((await d.collection('handoffs').find({}).toArray()).map((h) => h._id)).toEqual(['h-recent']);
    expect((await d.collection('checkins').find({}).toArray()).map((c) => c.dossierId)).toEqual([recent._id]);
    expect((await d.collection('checkin_optouts').find({}).toArray()).map((c) => c._id)).toEqual([recent._id]);
    expect((await d.collection('conversation_refs').find({}).toArray()).map((c) => c._id)).toEqual(['directline:dl_recent']);
    expect((await d.collection('botstate').find({}).toArray()).map((c) => c._id)).toEqual(['directline/users/dl_recent']);
    expect(await repo.get(old._id)).toBeUndefined();
    expect(await d.collection('siret_dossiers').findOne({ _id: '73282932000074' as never })).toBeNull();
    expect(await repo.findByKey('user:directline:dl_old')).toBeUndefined();
    expect(await repo.get(recent._id)).toBeDefined();
    expect(await repo.findByKey('user:directline:dl_recent')).toBeDefined();
    expect(await activities.countDocuments({ conversationId: 'c1' })).toBe(0);
    expect(await activities.countDocuments({ conversationId: 'c2' })).toBe(1);
  });

  it('takes the old handoffs it deletes out of the lists of the dossiers it keeps: no id of theirs is left anywhere', async () => {
    const d = db.connection.db!;
    const repo = new DossierRepository(db.connection, () => new Date('2026-06-01T10:00:00Z'));
    const kept = await repo.create('directline:dl_kept', 36);
    const alone = await repo.create('directline:dl_alone', 36);
    // Listed as HandoffOutbox.create lists them: by dossier, before the handoff is written.
    await addToList(db.connection, DOSSIER_HANDOFFS, kept._id, 'h-purged-1', 'h-kept');
    await addToList(db.connection, DOSSIER_HANDOFFS, alone._id, 'h-purged-2');
    await d.collection('handoffs').insertMany([
      { _id: 'h-purged-1', dossierId: kept._id, createdAt: new Date('2023-02-01') },
      { _id: 'h-purged-2', dossierId: alone._id, createdAt: new Date('2023-03-01') },
      { _id: 'h-kept', dossierId: kept._id, createdAt: new Date('2026-06-02') },
    ] as never[]);

    const privacy = new PrivacyService({ connection: db.connection, dossiers: repo, storage: new MongoStorage(db.connection) });
    const report = await purgeExpired(db.connection, new Date('2026-11-26T00:00:00Z'), 36, privacy);

    expect(report).toMatchObject({ dossiers: 0, handoffs: 2 });
    expect(await collectionsHolding(d, ['h-purged-1', 'h-purged-2'])).toEqual({});
    // The dossier keeps its list with its handoff left; the one left with none has no list any more.
    expect(await d.collection(DOSSIER_HANDOFFS).findOne({ _id: kept._id as never })).toEqual({ _id: kept._id, ids: ['h-kept'] });
    expect(await d.collection(DOSSIER_HANDOFFS).findOne({ _id: alone._id as never })).toBeNull();
  });
});
