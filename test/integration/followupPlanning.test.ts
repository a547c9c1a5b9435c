import { translator } from '../../src/i18n';
import { AdminAuth } from '../../src/admin/auth';
import { localDay } from '../../src/domain/checkinPlan';
import { asRead } from '../helpers/asRead';
import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';

describe('follow-up planning from the dossier', () => {
  const fx = useAssistant('followup_planning', { FOLLOWUP_MILESTONES: 'miseEnOeuvreEndedAt+6m,diagnosticConfirmedAt+15m' });

  /** A dossier of the Gironde whose diagnostic was confirmed on 15 January 2026. */
  async function confirmedDossier(userId: string, name: string) {
    const repo = new DossierRepository(fx.db.connection, () => new Date('2025-12-01T09:00:00Z'));
    const dossier = await repo.create(`directline:${userId}`, 36);
    dossier.answers = { name, location: { postalCode: '33000', departement: '33' } };
    dossier.diagnostic = { answers: {}, version: 1, confirmedAt: new Date('2026-01-15T10:00:00Z'), startedAt: new Date('2026-01-10T10:00:00Z') };
    await repo.save(dossier);
    return dossier;
  }

  /** A chargé·e of the Gironde's session token. */
  async function chargeToken(email: string): Promise<string> {
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email, name: 'Chargée 33', role: 'charge', departements: ['33'] });
    return (await auth.createUserToken(email)).token;
  }

  const recordParcours = (token: string, dossierId: string, parcours: string, miseEnOeuvreEndedAt: string) => fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossierId}/parcours`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    // An end needs a start (here the same day: a one-day intervention).
    body: JSON.stringify({ parcours, miseEnOeuvreStartedAt: miseEnOeuvreEndedAt, miseEnOeuvreEndedAt }),
  });

  it('recording the end of the mise en œuvre in the back-office plans the check-ins, once', async () => {
    const dossier = await confirmedDossier('dl_planning', 'Maison de Quartier');
    const token = await chargeToken('charge@dla33.example');
    const post = () => recordParcours(token, dossier._id, 'Appui RH puis accompagnement financier', '2026-06-30');
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

  it('a mise en œuvre ending 9 months after the diagnostic gives one check-in, not two the same week', async () => {
    const dossier = await confirmedDossier('dl_planning_close', 'Ressourcerie du Port');
    await fx.app.app.checkinRepository.plan(dossier._id, [{ milestone: 'after_diagnostic_15m', dueAt: new Date('2027-04-15T07:00:00Z') }], 90);
    const token = await chargeToken('charge2@dla33.example');
    const res = await recordParcours(token, dossier._id, 'Accompagnement collectif sur le modèle économique', '2026-10-14');
    expect(res.status).toBe(200);
    const checkins = await fx.app.app.checkinRepository.list(dossier._id);
    // 14 October + 6 months = 14 April 2027, the day before the diagnostic's 15 months: only that one is sent.
    expect(checkins.map((c) => [c.milestone, c.status, c.supersededBy ?? null])).toEqual([
      ['after_mise_en_oeuvre_6m', 'cancelled', `${dossier._id}|after_diagnostic_15m`],
      ['after_diagnostic_15m', 'planned', null],
    ]);
    // The chargé·e reads why on the dossier.
    const view = await (await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}`, { headers: { authorization: `Bearer ${token}` } })).json() as any;
    expect(view.followup.checkins.map((c: any) => asRead(c.statusLabel))).toEqual([
      'Non envoyée : trop proche de la relance « 15 mois après le diagnostic confirmé »',
      'Prévue',
    ]);
  });

  it('clearing the end of the mise en œuvre cancels its check-in, and setting it again plans it again; a check-in added by hand stays', async () => {
    const dossier = await confirmedDossier('dl_planning_cleared', 'Atelier Vélo Solidaire');
    const token = await chargeToken('charge3@dla33.example');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await recordParcours(token, dossier._id, 'Appui à la gouvernance', '2026-06-30')).status).toBe(200);
    // Far (more than FOLLOWUP_MIN_GAP_DAYS) from the automatic ones.
    const later = localDay(new Date(Date.now() + 300 * 86_400_000));
    const added = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/checkins`, { method: 'POST', headers, body: JSON.stringify({ date: later }) });
    expect(added.status).toBe(201);
    const manualDay = ((await added.json()) as { dueDay: string }).dueDay; // a weekday, on or after `later`
    const followup = async () => {
      const view = await (await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}`, { headers })).json() as any;
      return view.followup.checkins.map((c: any) => [asRead(c.milestoneLabel), asRead(c.statusLabel), c.dueDay]);
    };

    // The mise en œuvre goes on after all: the date is cleared, the dossier is back in « Mise en œuvre »,
    // and the page can say its check-in was cancelled too.
    const cleared = await recordParcours(token, dossier._id, 'Appui à la gouvernance', '');
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ phase: 'mise_en_oeuvre', checkinsWithdrawn: 1 });
    expect(asRead(translator('fr')('admin.parcours.checkinsWithdrawn', { count: 1 })))
      .toBe('La relance prévue après la fin de la mise en œuvre est annulée ; elle sera prévue à nouveau quand une date de fin sera enregistrée.');
    expect(await followup()).toEqual([
      ['6 mois après la fin de la mise en œuvre', 'Annulée : la fin de la mise en œuvre a été retirée', '2026-12-30'],
      ['15 mois après le diagnostic confirmé', 'Prévue', '2027-04-15'],
      ['Ajoutée par Chargée 33', 'Prévue', manualDay],
    ]);
    // The structure is not asked about it, even once its old due date has come.
    const due = await fx.app.app.checkinRepository.due(new Date('2027-01-05T12:00:00Z'), 1000);
    expect(due.map((c) => c._id)).not.toContain(`${dossier._id}|after_mise_en_oeuvre_6m`);

    // It is recorded again (corrected to 6 July): the check-in is planned again, 6 months after it.
    const again = await recordParcours(token, dossier._id, 'Appui à la gouvernance', '2026-07-06');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ phase: 'suivi', checkinsWithdrawn: 0 });
    expect(await followup()).toEqual([
      ['6 mois après la fin de la mise en œuvre', 'Prévue', '2027-01-06'],
      ['15 mois après le diagnostic confirmé', 'Prévue', '2027-04-15'],
      ['Ajoutée par Chargée 33', 'Prévue', manualDay],
    ]);
  });
  it('a decision « hors du champ du DLA » after the call withdraws the automatic check-ins, and a decision « éligible » plans them again', async () => {
    const dossier = await confirmedDossier('dl_planning_out_of_scope', 'Café Associatif du Port');
    const token = await chargeToken('charge4@dla33.example');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const decide = (outcome: string) => fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/decision`, { method: 'POST', headers, body: JSON.stringify({ outcome }) });
    const followup = async () => {
      const view = await (await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}`, { headers })).json() as any;
      return view.followup.checkins.map((c: any) => [asRead(c.milestoneLabel), asRead(c.statusLabel)]);
    };
    expect((await recordParcours(token, dossier._id, 'Appui à la stratégie', '2026-03-31')).status).toBe(200);
    const planned = [['6 mois après la fin de la mise en œuvre', 'Prévue'], ['15 mois après le diagnostic confirmé', 'Prévue']];
    expect(await followup()).toEqual(planned);
    const out = await decide('out_of_scope');
    expect(out.status).toBe(200);
    expect(await out.json()).toMatchObject({ checkinsWithdrawn: 2 });
    expect(await followup()).toEqual(planned.map(([milestone]) => [milestone, 'Annulée : hors du champ du DLA après l’appel']));
    expect((await fx.app.app.checkinRepository.due(new Date('2099-01-01T12:00:00Z'), 1000)).map((c) => c.dossierId)).not.toContain(dossier._id);
    expect(await (await decide('eligible')).json()).toMatchObject({ checkinsWithdrawn: 0 });
    expect(await followup()).toEqual(planned);
  });

  describe('« ne plus me relancer » at the moment a chargé·e plans check-ins', () => {
    const ROUNDS = 30;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** The opt-out the conversation makes (MainDialog's followup.optOut is this repository's optOut), `ms` after the chargé·e. */
    const optOutAfter = async (ms: number, dossierId: string) => {
      await pause(ms);
      await fx.app.app.checkinRepository.optOut(dossierId);
      return Date.now();
    };
    const planned = async (dossierId: string) => (await fx.app.app.checkinRepository.list(dossierId)).filter((c) => c.status === 'planned').map((c) => c.milestone);
    const statuses = async (dossierId: string) => (await fx.app.app.checkinRepository.list(dossierId)).map((c) => c.status);
    /** The chargé·e's request, and when its answer came. */
    const timed = async (request: Promise<Response>) => { const res = await request; return { res, at: Date.now() }; };

    it('the end of the mise en œuvre recorded at the same time: once the structure has opted out, no check-in of it is planned', async () => {
      const token = await chargeToken('charge-race@dla33.example');
      // How long the chargé·e's request takes, to spread the opt-out over it (and a little before and after).
      const probe = await confirmedDossier('dl_race_probe', 'Mesure');
      const started = Date.now();
      expect((await recordParcours(token, probe._id, 'Appui RH', '2026-06-30')).status).toBe(200);
      const span = Math.max(Date.now() - started, 10);
      let during = 0; // rounds whose opt-out was done while the chargé·e's request was still running
      let plannedFirst = 0; // rounds whose check-ins were planned before the opt-out stopped them
      for (let round = 0; round < ROUNDS; round++) {
        const dossier = await confirmedDossier(`dl_race_${round}`, `Structure ${round}`);
        const delay = Math.round((round / (ROUNDS - 1)) * span * 1.2);
        const [{ res, at }, optedAt] = await Promise.all([timed(recordParcours(token, dossier._id, 'Appui RH', '2026-06-30')), optOutAfter(delay, dossier._id)]);
        if (optedAt < at) during++;
        expect(res.status).toBe(200);
        expect([round, delay, await planned(dossier._id)]).toEqual([round, delay, []]);
        // Planned before the opt-out, each is stopped; planned after it, none is made.
        const made = await statuses(dossier._id);
        expect([round, made]).toEqual([round, made.length ? ['opted_out', 'opted_out'] : []]);
        if (made.length) plannedFirst++;
        expect(await fx.app.app.checkinRepository.isOptedOut(dossier._id)).toBe(true);
      }
      expect(during).toBeGreaterThan(0);
      expect(plannedFirst).toBeGreaterThan(0);
    });

    it('a check-in a chargé·e adds at the same time: refused, or stopped by the opt-out, never left planned', async () => {
      const token = await chargeToken('charge-race-add@dla33.example');
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const day = localDay(new Date(Date.now() + 30 * 86_400_000));
      const addCheckin = (dossierId: string) => fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossierId}/checkins`, { method: 'POST', headers, body: JSON.stringify({ date: day }) });
      const probe = await confirmedDossier('dl_race_add_probe', 'Mesure');
      const started = Date.now();
      expect((await addCheckin(probe._id)).status).toBe(201);
      const span = Math.max(Date.now() - started, 10);
      let during = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const dossier = await confirmedDossier(`dl_race_add_${round}`, `Structure ${round}`);
        const delay = Math.round((round / (ROUNDS - 1)) * span * 1.2);
        const [{ res, at }, optedAt] = await Promise.all([timed(addCheckin(dossier._id)), optOutAfter(delay, dossier._id)]);
        if (optedAt < at) during++;
        expect([201, 409]).toContain(res.status);
        expect([round, delay, await planned(dossier._id)]).toEqual([round, delay, []]);
        // Added before the opt-out: stopped by it; refused: nothing added.
        expect([round, res.status, await statuses(dossier._id)]).toEqual([round, res.status, res.status === 201 ? ['opted_out'] : []]);
      }
      expect(during).toBeGreaterThan(0);
    });
  });

  it('a parcours recorded, once confirmed, on a dossier found out of scope after the call plans no check-in, as the warning said', async () => {
    const dossier = await confirmedDossier('dl_planning_out_then_parcours', 'Épicerie du Canal');
    const token = await chargeToken('charge5@dla33.example');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/decision`, { method: 'POST', headers, body: JSON.stringify({ outcome: 'out_of_scope' }) });
    const refused = await recordParcours(token, dossier._id, 'Appui à la stratégie', '2026-03-31');
    expect(refused.status).toBe(409);
    expect(asRead((await refused.json()).error.message)).toContain('Aucune relance automatique n’est prévue tant que cette décision est en vigueur');
    expect(await fx.app.app.checkinRepository.list(dossier._id)).toEqual([]);
    const confirmed = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/parcours`, {
      method: 'POST', headers,
      body: JSON.stringify({ parcours: 'Appui à la stratégie', miseEnOeuvreStartedAt: '2026-03-31', miseEnOeuvreEndedAt: '2026-03-31', confirmOutOfScope: true }),
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ phase: 'suivi' });
    expect(await fx.app.app.checkinRepository.list(dossier._id)).toEqual([]);
  });
});
