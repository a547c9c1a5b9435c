import os from 'node:os';
import { Connection } from 'mongoose';
import { AdminAuth } from '../../src/admin/auth';
import { registerAdminRoutes } from '../../src/admin/routes';
import { loadConfig } from '../../src/config';
import { CheckinAnswers } from '../../src/followup/checkinAnswers';
import { log } from '../../src/log';
import { connectWithRetry } from '../../src/store/db';
import { DossierRepository } from '../../src/store/dossiers';
import { upgradeLookups } from '../../src/store/lookups';
import { PrivacyService } from '../../src/store/privacy';
import { purgeExpired } from '../../src/store/retention';
import { RunningApp, startTestApp } from '../helpers/app';
import { testDbUri } from '../helpers/db';

/**
 * The back-office's « one dossier » (GET /admin/api/dossiers/:id): its handoffs, its check-ins and
 * the other dossiers of its SIRET, read by `_id` (src/store/lookups.ts), stay right through every
 * write: handoffs made, check-ins planned or added, a SIRET given or corrected, « mes données »,
 * the retention purge, data stored before the lists existed.
 */
const VELO = '73282932000074';
const JARDINS = '44306184100047';
const VELO_2 = '73282932000082';
const JARDINS_2 = '44306184100054';
const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };

describe('the dossier page: its handoffs, its check-ins and the other dossiers of its SIRET', () => {
  let connection: Connection;
  let app: RunningApp;
  let token: string;
  let repo: DossierRepository;
  let clock = new Date('2026-03-02T09:00:00Z');
  /** The filters the database was sent, by collection, while `commands` records. */
  let commands: { collection: string; command: string; filter: unknown }[] | undefined;

  beforeAll(async () => {
    connection = await connectWithRetry(testDbUri('dossierpage'), { maxAttempts: 3, initialDelayMs: 200, monitorCommands: true });
    connection.getClient().on('commandStarted', (e) => {
      const c = e.command as Record<string, unknown>;
      if (commands && ['find', 'aggregate', 'count', 'distinct'].includes(e.commandName)) {
        commands.push({ collection: String(c[e.commandName]), command: e.commandName, filter: c.filter ?? c.query ?? c.pipeline });
      }
    });
    app = await startTestApp(connection, ENV, { now: () => clock.getTime() });
    registerAdminRoutes(app.app.server, { connection, config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV }), handoffs: app.app.outbox, now: () => clock });
    const auth = new AdminAuth(connection, { now: () => clock });
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    token = (await auth.createUserToken('admin@dla.test')).token;
    repo = new DossierRepository(connection, () => clock);
  });

  afterAll(async () => {
    await app?.close();
    await connection?.db?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  const dossierPage = async (id: string) => {
    const res = await fetch(`${app.baseUrl}/admin/api/dossiers/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.json() as Promise<{
      handoffs: { id: string }[]; sameStructure: { id: string }[]; sameStructureElsewhere: { departement: string; count: number }[];
      followup: { checkins: { id: string; status: string }[] };
    }>;
  };

  const page = async (id: string) => {
    const body = await dossierPage(id);
    return {
      handoffs: body.handoffs.map((h) => h.id).sort(),
      sameStructure: body.sameStructure.map((d) => d.id),
      elsewhere: body.sameStructureElsewhere,
    };
  };

  /** A structure's dossier as the accueil saves it: consent, then its answers (a SIRET among them). */
  const structure = async (user: string, name: string, siret: string | undefined, departement = '33') => {
    const dossier = await repo.create(`directline:${user}`, 36);
    dossier.answers = { name, ...(siret ? { identifiers: { siret } } : {}), location: { postalCode: `${departement}000`, departement } };
    await repo.save(dossier);
    clock = new Date(clock.getTime() + 60_000);
    return dossier;
  };

  /** The check-ins the dossier's page shows: id → state. */
  const checkinsOn = async (id: string) => Object.fromEntries((await dossierPage(id)).followup.checkins.map((c) => [c.id, c.status]));

  /** A check-in planned for the dossier, as the follow-up plans it after the diagnostic. */
  const planned = async (dossierId: string, milestone = 'after_diagnostic_15m') => {
    await app.app.checkinRepository.plan(dossierId, [{ milestone, dueAt: new Date('2027-06-01T08:00:00Z') }]);
    return `${dossierId}|${milestone}`;
  };

  const handoffFor = (dossierId: string | undefined, conversationId: string) => app.app.outbox.create({
    dossierId, reason: 'user_request', urgency: 'normal', departement: '33', consent: true,
    contact: { name: 'Camille', phone: '05 56 00 00 00' }, transcript: { channelId: 'directline', conversationId },
  });

  it('shows the handoffs made for the dossier and the other dossiers that gave its SIRET, and those of no other', async () => {
    const first = await structure('u-first', 'Les Amis du Vélo', VELO);
    const again = await structure('u-again', 'Amis du Vélo', VELO);
    const antenna = await structure('u-antenna', 'Amis du Vélo (antenne)', VELO, '24');
    const other = await structure('u-other', 'Les Jardins', JARDINS);
    const h1 = await handoffFor(first._id, 'c-first-1');
    const h2 = await handoffFor(first._id, 'c-first-2');
    const hAgain = await handoffFor(again._id, 'c-again');
    await handoffFor(undefined, 'c-nobody');

    expect(await page(first._id)).toEqual({ handoffs: [h1._id, h2._id].sort(), sameStructure: [antenna._id, again._id], elsewhere: [] });
    expect(await page(again._id)).toMatchObject({ handoffs: [hAgain._id], sameStructure: [antenna._id, first._id] });
    expect(await page(other._id)).toEqual({ handoffs: [], sameStructure: [], elsewhere: [] });
    // A handoff made again with the same id (idempotent create) is shown once.
    await app.app.outbox.create({ _id: h1._id, dossierId: first._id, reason: 'user_request', urgency: 'normal', consent: true, transcript: { channelId: 'directline', conversationId: 'c-first-1' } });
    expect((await page(first._id)).handoffs).toEqual([h1._id, h2._id].sort());
  });

  it('shows the check-ins planned, added by a chargé·e or stopped for the dossier, and those of no other', async () => {
    const mine = await structure('u-checkins', 'La Ressourcerie', undefined);
    const other = await structure('u-checkins-other', 'Le Repair Café', undefined);
    const auto = await planned(mine._id);
    const byHand = (await app.app.checkinRepository.add(mine._id, 'manual_20270915', new Date('2027-09-15T08:00:00Z'), { by: 'Gaëlle' }))._id;
    const others = await planned(other._id);
    expect(await checkinsOn(mine._id)).toEqual({ [auto]: 'planned', [byHand]: 'planned' });
    expect(await checkinsOn(other._id)).toEqual({ [others]: 'planned' });
    // Planned again (idempotent), then stopped by the structure: the same two, once each.
    await planned(mine._id);
    expect(await app.app.checkinRepository.optOut(mine._id)).toBe(2);
    expect(await checkinsOn(mine._id)).toEqual({ [auto]: 'opted_out', [byHand]: 'opted_out' });
    expect(await checkinsOn(other._id)).toEqual({ [others]: 'planned' });
  });

  it('reads no whole collection of dossiers, handoffs or check-ins: each by its `_id`', async () => {
    const mine = await structure('u-reads', 'Atelier Vélo', '59202345600019');
    await structure('u-reads-2', 'Atelier Vélo bis', '59202345600019');
    await handoffFor(mine._id, 'c-reads');
    await planned(mine._id);
    commands = [];
    try {
      const shown = await page(mine._id);
      expect(shown.handoffs).toHaveLength(1);
      expect(shown.sameStructure).toHaveLength(1);
      expect(Object.keys(await checkinsOn(mine._id))).toHaveLength(1);
    } finally {
      const sent = commands.filter((c) => c.collection === 'dossiers' || c.collection === 'handoffs' || c.collection === 'checkins');
      commands = undefined;
      expect(sent.length).toBeGreaterThan(0);
      for (const c of sent) expect({ ...c, byId: typeof (c.filter as { _id?: unknown })?._id === 'string' }).toMatchObject({ command: 'find', byId: true });
    }
  });

  it('follows a SIRET given later or corrected: the dossier leaves the dossiers of the old one and joins those of the new one', async () => {
    const velo = await structure('u-velo', 'Les Amis du Vélo', VELO_2);
    const jardins = await structure('u-jardins', 'Les Jardins', JARDINS_2);
    const typo = await structure('u-typo', 'Les Jardins Partagés', VELO_2); // a SIRET typed wrong…
    const later = await structure('u-later', 'Jardins du Lien', undefined); // …and one given later
    expect((await page(velo._id)).sameStructure).toContain(typo._id);

    const held = (await repo.get(typo._id))!; // the structure corrects it at the accueil
    held.answers = { ...held.answers, identifiers: { siret: JARDINS_2 } };
    await repo.save(held);
    const given = (await repo.get(later._id))!;
    given.answers = { ...given.answers, identifiers: { siret: JARDINS_2 } };
    await repo.save(given);

    expect((await page(velo._id)).sameStructure).not.toContain(typo._id);
    expect((await page(jardins._id)).sameStructure.sort()).toEqual([later._id, typo._id].sort());
    expect((await page(typo._id)).sameStructure.sort()).toEqual([jardins._id, later._id].sort());

    const cleared = (await repo.get(typo._id))!; // no SIRET any more
    cleared.answers = { ...cleared.answers, identifiers: { unknown: true } };
    await repo.save(cleared);
    expect((await page(jardins._id)).sameStructure).toEqual([later._id]);
    expect(await page(typo._id)).toMatchObject({ sameStructure: [] });
  });

  it('forgets a dossier erased by « mes données »: gone from the others of its SIRET, its handoffs and check-ins with it', async () => {
    const stays = await structure('u-stays', 'La Recyclerie', '83017495800011');
    const erased = await structure('u-erased', 'La Recyclerie (2)', '83017495800011');
    await handoffFor(erased._id, 'c-erased');
    await planned(erased._id);
    await app.app.checkinRepository.add(erased._id, 'manual_20270915', new Date('2027-09-15T08:00:00Z'));
    expect((await page(stays._id)).sameStructure).toEqual([erased._id]);

    const privacy = new PrivacyService({ connection, dossiers: repo, storage: app.app.storage });
    await privacy.eraseFor('directline', 'u-erased', 'c-erased');

    expect((await page(stays._id)).sameStructure).toEqual([]);
    // Nothing of it is left in the lists either.
    const lists = JSON.stringify(await Promise.all(['siret_dossiers', 'dossier_handoffs', 'dossier_checkins'].map((l) => connection.db!.collection(l).find({}).toArray())));
    expect(lists).not.toContain(erased._id);
    expect(await connection.db!.collection('checkins').countDocuments({ dossierId: erased._id })).toBe(0);
  });

  it('forgets the dossiers of the retention purge with their check-ins, and the handoffs it deleted', async () => {
    const stored = clock;
    clock = new Date('2022-01-10T10:00:00Z');
    const expired = await structure('u-expired', 'Vieille Asso', '38012986600053');
    await planned(expired._id);
    const oldHandoff = await handoffFor(undefined, 'c-anonymous-old');
    clock = stored;
    const kept = await structure('u-kept', 'Vieille Asso (reprise)', '38012986600053');
    const keptCheckin = await planned(kept._id);
    const keptOld = await handoffFor(kept._id, 'c-kept');
    await connection.db!.collection('handoffs').updateOne({ _id: keptOld._id as never }, { $set: { createdAt: new Date('2022-02-01T10:00:00Z') } });
    expect((await page(kept._id))).toMatchObject({ handoffs: [keptOld._id], sameStructure: [expired._id] });

    await purgeExpired(connection, new Date('2026-03-02T09:00:00Z'), 36, app.app.privacy);

    expect(await repo.get(expired._id)).toBeUndefined();
    expect(await app.app.outbox.get(oldHandoff._id)).toBeUndefined();
    expect(await page(kept._id)).toMatchObject({ handoffs: [], sameStructure: [] });
    expect(await checkinsOn(kept._id)).toEqual({ [keptCheckin]: 'planned' });
    const lists = JSON.stringify(await Promise.all(['siret_dossiers', 'dossier_checkins'].map((l) => connection.db!.collection(l).find({}).toArray())));
    expect(lists).not.toContain(expired._id);
  });

  /** A check-in as stored before the lists existed (inserted without its list). */
  const storedCheckin = (dossierId: string, milestone: string, status: string) => ({
    _id: `${dossierId}|${milestone}`, dossierId, milestone, status, dueAt: clock, nextAttemptAt: clock, attempts: 0, sends: [], createdAt: clock, updatedAt: clock,
  });

  it('lists the dossiers, handoffs and check-ins stored before the lists existed, once, at start', async () => {
    const d = connection.db!;
    const stored = (id: string, siret: string) => ({
      _id: id, phase: 'accueil', status: 'submitted', channelUsers: [], departement: '33', siret,
      answers: { name: id, identifiers: { siret }, location: { postalCode: '33000', departement: '33' } },
      consent: { given: true, at: clock, retentionMonths: 36 }, createdAt: clock, updatedAt: clock,
    });
    await d.collection('dossiers').insertMany([stored('d-before-1', '49996787100012'), stored('d-before-2', '49996787100012'), stored('d-before-3', '49996787100012')] as never[]);
    const handoff = (id: string, dossierId: string) => ({
      _id: id, dossierId, reason: 'user_request', urgency: 'normal', consent: true, status: 'open', deliveries: [], departement: '33',
      transcript: { channelId: 'directline', conversationId: `c-${id}` }, createdAt: clock, updatedAt: clock,
    });
    await d.collection('handoffs').insertMany([handoff('h-before-1', 'd-before-1'), handoff('h-before-2', 'd-before-1'), handoff('h-before-3', 'd-before-2')] as never[]);
    // One of them was listed already (written by this version before the upgrade ran, by another instance).
    await handoffFor('d-before-1', 'c-after');
    await d.collection('checkins').insertMany([storedCheckin('d-before-1', 'after_diagnostic_15m', 'answered'), storedCheckin('d-before-2', 'after_mise_en_oeuvre_6m', 'sent')] as never[]);
    // Earlier versions keyed one dossier per SIRET in dossier_keys (never unlinked on a change): dropped.
    await d.collection('dossier_keys').insertMany([{ _id: 'siret:49996787100012', dossierId: 'd-before-3' }, { _id: 'user:directline:u-before', dossierId: 'd-before-3' }] as never[]);
    const infos = jest.spyOn(log, 'info');
    try {
      expect(await upgradeLookups(connection)).toBe(true);
      expect(await upgradeLookups(connection)).toBe(false); // marked done: later starts do not scan again
      expect(infos.mock.calls.filter(([message]) => /listed by SIRET/.test(message))).toHaveLength(1);
      expect(infos.mock.calls.filter(([message]) => /Check-ins listed by dossier/.test(message))).toHaveLength(1);
      expect((await d.collection('dossier_keys').find({ dossierId: 'd-before-3' }).toArray()).map((k) => k._id)).toEqual(['user:directline:u-before']);
    } finally {
      infos.mockRestore();
    }

    const first = await page('d-before-1');
    expect(first.handoffs).toHaveLength(3);
    expect(first.handoffs).toEqual(expect.arrayContaining(['h-before-1', 'h-before-2']));
    expect(first.sameStructure.sort()).toEqual(['d-before-2', 'd-before-3']);
    expect(await page('d-before-2')).toMatchObject({ handoffs: ['h-before-3'] });
    expect((await page('d-before-3')).sameStructure.sort()).toEqual(['d-before-1', 'd-before-2']);
    expect(await checkinsOn('d-before-1')).toEqual({ 'd-before-1|after_diagnostic_15m': 'answered' });
    expect(await checkinsOn('d-before-2')).toEqual({ 'd-before-2|after_mise_en_oeuvre_6m': 'sent' });
    // New ones after the upgrade join the lists it made.
    const joined = await structure('u-joined', 'Après', '49996787100012');
    expect((await page('d-before-3')).sameStructure.sort()).toEqual(['d-before-1', 'd-before-2', joined._id].sort());
    const plannedAfter = await planned('d-before-1', 'after_mise_en_oeuvre_6m');
    expect(await checkinsOn('d-before-1')).toEqual({ 'd-before-1|after_diagnostic_15m': 'answered', [plannedAfter]: 'planned' });
  });

  it('lists the check-ins of a database whose dossiers and handoffs were listed already (by the previous version), once, at start', async () => {
    const d = connection.db!;
    // The previous version's database: its dossiers and handoffs listed (the first upgrade done), its check-ins not.
    await d.collection('schema_versions').deleteOne({ _id: 'dossier-checkins-listed' as never });
    const dossier = await structure('u-previous', 'L’Atelier d’avant', undefined);
    await d.collection('checkins').insertMany([storedCheckin(dossier._id, 'after_diagnostic_15m', 'answered'), storedCheckin(dossier._id, 'after_mise_en_oeuvre_6m', 'sent')] as never[]);
    // One planned by this version before the upgrade ran (another instance): listed already, listed once.
    const byThisVersion = await planned(dossier._id, 'after_mise_en_oeuvre_12m');
    const infos = jest.spyOn(log, 'info');
    try {
      expect(await upgradeLookups(connection)).toBe(true);
      expect(await upgradeLookups(connection)).toBe(false);
      expect(infos.mock.calls.filter(([message]) => /Check-ins listed by dossier/.test(message))).toHaveLength(1);
      expect(infos.mock.calls.filter(([message]) => /listed by SIRET/.test(message))).toHaveLength(0); // not done again
    } finally {
      infos.mockRestore();
    }
    expect(await checkinsOn(dossier._id)).toEqual({
      [`${dossier._id}|after_diagnostic_15m`]: 'answered', [`${dossier._id}|after_mise_en_oeuvre_6m`]: 'sent', [byThisVersion]: 'planned',
    });
    expect((await d.collection<{ _id: string; ids: string[] }>('dossier_checkins').findOne({ _id: dossier._id }))?.ids).toHaveLength(3);
    // The conversation finds the check-in waiting for the structure's answers.
    expect(await new CheckinAnswers(connection).pendingFor(dossier._id)).toMatchObject({ _id: `${dossier._id}|after_mise_en_oeuvre_6m`, status: 'sent' });
  });
});
