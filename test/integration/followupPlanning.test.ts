import { AdminAuth } from '../../src/admin/auth';
import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';

describe('follow-up planning from the dossier', () => {
  const fx = useAssistant('followup_planning', { FOLLOWUP_MILESTONES: 'miseEnOeuvreEndedAt+6m,diagnosticConfirmedAt+15m' });

  it('recording the end of the mise en œuvre in the back-office plans the check-ins, once', async () => {
    const repo = new DossierRepository(fx.db.connection, () => new Date('2025-12-01T09:00:00Z'));
    const dossier = await repo.create('directline:dl_planning', 36);
    dossier.answers = { name: 'Maison de Quartier', location: { postalCode: '33000', departement: '33' } };
    dossier.diagnostic = { answers: {}, version: 1, confirmedAt: new Date('2026-01-15T10:00:00Z'), startedAt: new Date('2026-01-10T10:00:00Z') };
    await repo.save(dossier);
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email: 'charge@dla33.example', name: 'Chargée 33', role: 'charge', departements: ['33'] });
    const { token } = await auth.createUserToken('charge@dla33.example');
    const post = () => fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/parcours`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parcours: 'Appui RH puis accompagnement financier', miseEnOeuvreEndedAt: '2026-06-30' }),
    });
    const res = await post();
    expect(res.status).toBe(200);
    await post(); // idempotent
    const checkins = await fx.app.app.checkinRepository.list(dossier._id);
    expect(checkins.map((c) => [c.milestone, c.status]).sort()).toEqual([
      [expect.stringContaining('diagnostic'), 'planned'],
      [expect.stringContaining('mise'), 'planned'],
    ].sort());
    const dues = checkins.map((c) => new Date(c.dueAt).toISOString()).sort();
    // 30 June + 6 months; 15 January (11:00 Paris) + 15 months: each at 09:00 Paris on its day, on a weekday.
    expect(dues).toEqual(['2026-12-30T08:00:00.000Z', '2027-04-15T07:00:00.000Z']);
  });
});
