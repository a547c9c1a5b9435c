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

  it('keeps what the back-office wrote while a turn held the dossier (the parcours, a decision, the phase it moved to)', async () => {
    const repo = new DossierRepository(db.connection);
    const dossier = await repo.create('directline:dl_race', 36);
    dossier.answers = { name: 'Asso', contact: { name: 'Camille', email: 'c@asso.fr' } };
    dossier.readyForChargeAt = new Date();
    await repo.save(dossier);
    const held = (await repo.get(dossier._id))!; // a structure's turn reads it…
    await db.connection.db!.collection<{ _id: string }>('dossiers').updateOne({ _id: dossier._id }, { // …the back-office writes meanwhile…
      $set: { phase: 'suivi', parcours: { text: 'Appui RH', recordedBy: 'charge@dla.fr', recordedAt: new Date() }, chargeDecision: { outcome: 'eligible', by: 'Gaëlle', byEmail: 'g@dla.fr', at: new Date() } },
    });
    held.answers = { ...held.answers, request: 'Consolider nos emplois' }; // …and the turn saves what it changed
    delete held.readyForChargeAt;
    await repo.save(held);
    const stored = (await repo.get(dossier._id))!;
    expect(stored).toMatchObject({ phase: 'suivi', parcours: { text: 'Appui RH' }, chargeDecision: { outcome: 'eligible', by: 'Gaëlle' } });
    expect(stored.answers).toEqual({ name: 'Asso', contact: { name: 'Camille', email: 'c@asso.fr' }, request: 'Consolider nos emplois' });
    expect(stored).not.toHaveProperty('readyForChargeAt'); // what the turn removed is removed
  });

  it('does not bring back a dossier erased while a turn held it (« mes données » in another tab, the retention purge)', async () => {
    const repo = new DossierRepository(db.connection);
    const dossier = await repo.create('directline:dl_erased_meanwhile', 36);
    const held = (await repo.get(dossier._id))!;
    await db.connection.db!.collection<{ _id: string }>('dossiers').deleteOne({ _id: dossier._id });
    held.answers = { ...held.answers, name: 'Asso' };
    await repo.save(held);
    expect(await repo.get(dossier._id)).toBeUndefined();
  });

  it('finds a dossier by its channel user, and the dossiers of a SIRET by the one they say now', async () => {
    const repo = new DossierRepository(db.connection);
    const dossier = await repo.create('msteams:29:1abc|x@y', 36);
    expect((await repo.findByKey(DossierRepository.userKey('msteams', '29:1abc|x@y')))?._id).toBe(dossier._id);
    expect(await repo.findByKey(DossierRepository.userKey('msteams', '29:unknown'))).toBeUndefined();
    dossier.answers = { identifiers: { siret: '81234567600009' } };
    await repo.save(dossier);
    expect((await repo.withSiret('81234567600009')).map((d) => d._id)).toEqual([dossier._id]);
    dossier.answers = { identifiers: { siret: '51876543300009' } }; // corrected
    await repo.save(dossier);
    expect(await repo.withSiret('81234567600009')).toEqual([]);
    expect((await repo.withSiret('51876543300009')).map((d) => d._id)).toEqual([dossier._id]);
  });
});
