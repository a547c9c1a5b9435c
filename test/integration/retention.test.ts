import { DossierRepository } from '../../src/store/dossiers';
import { purgeExpired } from '../../src/store/retention';
import { openTestDb, TestDb } from '../helpers/db';

describe('retention purge', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('retention'); });
  afterAll(() => db.close());

  it('deletes dossiers, their lookup keys and Direct Line history older than the retention period, and keeps the rest', async () => {
    let clock = new Date('2023-01-10T10:00:00Z');
    const repo = new DossierRepository(db.connection, () => clock);
    const old = await repo.create('directline:dl_old', 36);
    old.answers = { name: 'Ancienne Asso', identifiers: { siret: '73282932000074' } };
    await repo.save(old);
    await repo.link('siret:73282932000074', old._id);
    clock = new Date('2026-06-01T10:00:00Z');
    const recent = await repo.create('directline:dl_recent', 36);
    const activities = db.connection.db!.collection('directline_activities');
    await activities.insertMany([
      { _id: 'c1|0000000' as never, conversationId: 'c1', seq: 0, activity: '{"text":"mon email est x@y.fr"}', createdAt: new Date('2023-01-10') },
      { _id: 'c2|0000000' as never, conversationId: 'c2', seq: 0, activity: '{"text":"bonjour"}', createdAt: new Date('2026-06-01') },
    ]);

    const report = await purgeExpired(db.connection, new Date('2026-11-26T00:00:00Z'), 36);

    expect(report).toMatchObject({ dossiers: 1, keys: 2, directLineActivities: 1 });
    expect(await repo.get(old._id)).toBeUndefined();
    expect(await repo.findByKey('siret:73282932000074')).toBeUndefined();
    expect(await repo.findByKey('user:directline:dl_old')).toBeUndefined();
    expect(await repo.get(recent._id)).toBeDefined();
    expect(await repo.findByKey('user:directline:dl_recent')).toBeDefined();
    expect(await activities.countDocuments({ conversationId: 'c1' })).toBe(0);
    expect(await activities.countDocuments({ conversationId: 'c2' })).toBe(1);
  });
});
