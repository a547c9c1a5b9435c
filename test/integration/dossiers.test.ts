import { DossierRepository } from '../../src/store/dossiers';
import { openTestDb, TestDb } from '../helpers/db';

describe('dossier repository', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('dossiers'); });
  afterAll(() => db.close());

  it('keeps what the back-office and the follow-up wrote when the bot saves the dossier again', async () => {
    const repo = new DossierRepository(db.connection);
    const dossier = await repo.create('directline:dl_parcours', 36);
    await db.connection.db!.collection<{ _id: string }>('dossiers').updateOne({ _id: dossier._id }, {
      $set: { parcours: { text: 'Appui RH par un consultant', recordedBy: 'charge@dla.fr', recordedAt: new Date() }, followup: { answeredAt: new Date() } },
    });
    const loaded = (await repo.get(dossier._id))!;
    loaded.answers = { ...loaded.answers, name: 'Asso' };
    await repo.save(loaded);
    const again = (await repo.get(dossier._id))!;
    expect(again.parcours?.text).toBe('Appui RH par un consultant');
    expect(again.followup?.answeredAt).toBeInstanceOf(Date);
    expect(again.answers.name).toBe('Asso');
  });

  it('finds a dossier by its lookup keys (channel user, SIRET) and forgets unknown ones', async () => {
    const repo = new DossierRepository(db.connection);
    const dossier = await repo.create('msteams:29:1abc|x@y', 36);
    await repo.link('siret:73282932000074', dossier._id);
    expect((await repo.findByKey(DossierRepository.userKey('msteams', '29:1abc|x@y')))?._id).toBe(dossier._id);
    expect((await repo.findByKey('siret:73282932000074'))?._id).toBe(dossier._id);
    expect(await repo.findByKey('siret:00000000000000')).toBeUndefined();
  });
});
