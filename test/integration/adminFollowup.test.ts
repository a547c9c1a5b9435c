import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AdminAuth } from '../../src/admin/auth';
import { asRead } from '../helpers/asRead';
import { localDay } from '../../src/domain/checkinPlan';
import { translator } from '../../src/i18n';
import { DossierRepository } from '../../src/store/dossiers';
import { listExisting } from '../../src/store/lookups';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

const fr = translator('fr');
// Monday 1 March 2027, 10:00 in Paris (UTC+1 until the last Sunday of March).
const MONDAY = Date.parse('2027-03-01T09:00:00Z');

describe('back-office: the follow-up of a dossier (check-ins added, moved, cancelled, answered)', () => {
  let clock = MONDAY;
  const fx = useAssistant('admin_followup', { OPERATOR_NAME: 'DLA de la Gironde', FOLLOWUP_WEEKENDS: 'false' }, { now: () => clock });
  const tokens: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    // Valid for a year: the tests move the clock by weeks.
    const auth = new AdminAuth(fx.db.connection, { now: () => new Date(clock), tokenTtlHours: 24 * 365 });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle', role: 'charge', departements: ['33'] });
    await auth.upsertUser({ email: 'dordogne@dla.test', name: 'Dominique', role: 'charge', departements: ['24'] });
    tokens.gironde = (await auth.createUserToken('gironde@dla.test')).token;
    tokens.dordogne = (await auth.createUserToken('dordogne@dla.test')).token;
  });
  afterEach(() => { clock = MONDAY; });

  const call = async (method: string, url: string, who: string | undefined, body?: unknown) => {
    const res = await fetch(`${fx.app.baseUrl}${url}`, {
      method,
      headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const add = (dossierId: string, date: unknown, who = 'gironde') => call('POST', `/admin/api/dossiers/${encodeURIComponent(dossierId)}/checkins`, who, { date });
  const act = (checkinId: string, action: 'move' | 'cancel', body: unknown = {}, who = 'gironde') =>
    call('POST', `/admin/api/checkins/${encodeURIComponent(checkinId)}/${action}`, who, body);
  const followupOf = async (dossierId: string) => {
    const res = await call('GET', `/admin/api/dossiers/${encodeURIComponent(dossierId)}`, 'gironde');
    expect(res.status).toBe(200);
    return res.body.followup as { optedOutAt: string | null; accompanied: boolean; checkins: { id: string; milestone: string; milestoneLabel: string; status: string; statusLabel: string; dueAt: string; nextAttemptAt: string; canChange: boolean; answered: number; answers: { key: string; label: string; value: string }[]; sends: { outcomeLabel: string; error: string | null }[]; lastError: string | null }[] };
  };

  /** A parcours recorded: the structure has been accompanied, so it may be asked how things went since. */
  const ACCOMPANIED = { text: 'Appui RH', recordedBy: 'gironde@dla.test', recordedByName: 'Gaëlle', recordedAt: new Date(MONDAY) };

  /** A dossier's row of the CSV export, by column header. */
  const csvRow = async (dossierId: string) => {
    const csv = await fetch(`${fx.app.baseUrl}/admin/api/export.csv`, { headers: { authorization: `Bearer ${tokens.gironde}` } });
    // Every cell is quoted: split between quotes (a cell may hold « ; »).
    const [header, ...rows] = (await csv.text()).slice(1).split('\r\n').map((line) => line.slice(1, -1).split('";"').map((cell) => asRead(cell)));
    return Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === dossierId)![i]]));
  };

  /** A dossier of the Gironde in follow-up, whose structure talked to the assistant (so it can be reached). */
  async function structure(): Promise<{ p: Persona; dossierId: string }> {
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await p.join();
    await p.say('bonjour');
    const dossiers = new DossierRepository(fx.db.connection, () => new Date(clock));
    const dossier = await dossiers.create(`directline:${p.userId}`, 36);
    dossier.answers = { name: `Ressourcerie ${++n}`, location: { postalCode: '33000', departement: '33' } };
    dossier.phase = 'suivi';
    dossier.parcours = ACCOMPANIED;
    await dossiers.save(dossier);
    return { p, dossierId: dossier._id };
  }

  it('a check-in keeps the day it reached the structure; a chargé·e asked for in the middle of it, days later, reads that day', async () => {
    const { p, dossierId } = await structure();
    await add(dossierId, '2027-03-17');
    clock = Date.parse('2027-03-17T08:00:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    const [sent] = await fx.db.connection.db!.collection('checkins').find({ dossierId }).toArray();
    expect(sent.sentAt).toEqual(new Date('2027-03-17T08:00:00Z'));
    clock = Date.parse('2027-03-22T10:00:00Z'); // answered the Monday after
    await p.say('1 emploi maintenu');
    await p.say('parler à un conseiller');
    expect(await p.say('Camille, camille@example.org')).toContain('je transmets votre demande');
    const [handoff] = await fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    expect(asRead(handoff.message)).toMatch(/^Demandé pendant le point de suivi du 17\/03\/2027, où la structure a répondu :/);
  });

  it('a check-in a chargé·e adds goes out on that day, outside quiet hours, and its answers show on the dossier', async () => {
    const { p, dossierId } = await structure();
    const added = await add(dossierId, '2027-03-17');
    expect(added.status).toBe(201);
    // Wednesday 17 March, 09:00 in Paris: the end of the quiet hours (19:00–09:00).
    expect(added.body).toMatchObject({ dueAt: '2027-03-17T08:00:00.000Z', status: 'planned', statusLabel: 'Prévue', milestoneLabel: 'Ajoutée par Gaëlle', canChange: true });

    clock = Date.parse('2027-03-17T07:59:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 0 });
    clock = Date.parse('2027-03-17T08:00:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    expect(p.last(2).map((a) => a.text).join('\n')).toContain('des emplois ont-ils été créés, maintenus ou améliorés');

    let view = (await followupOf(dossierId)).checkins[0];
    expect(view).toMatchObject({ status: 'sent', statusLabel: 'Envoyée, en attente de réponse', canChange: false, answered: 0 });
    expect(view.sends.map((s) => s.outcomeLabel)).toEqual(['envoyée']);
    // Sent, not answered yet: the CSV says so (a non-response is a result too).
    expect(await csvRow(dossierId)).toMatchObject({ 'Suivi : État': 'Envoyée, en attente de réponse', 'Suivi : Répondu le': '', 'Suivi : Satisfaction': '' });

    await p.say('2 emplois créés');
    await p.say('pas mieux qu’avant, honnêtement');
    view = (await followupOf(dossierId)).checkins[0];
    expect(view.answered).toBe(2);
    expect(view.statusLabel).toBe('Réponses en cours (2/7)'); // begun, not just « en attente de réponse »
    // What the answer was read as, and the structure's own words.
    expect(asRead(view.answers.find((a) => a.key === 'economics')!.value)).toBe('Stable (« pas mieux qu’avant, honnêtement »)');
    expect(view.answers.find((a) => a.key === 'satisfaction')?.value).toBe('pas de réponse');
    for (const answer of ['oui', 'non', 'en partie', '4', 'non']) await p.say(answer);
    view = (await followupOf(dossierId)).checkins[0];
    expect(view.status).toBe('answered');
    expect(Object.fromEntries(view.answers.map((a) => [a.key, asRead(a.value)]))).toEqual({
      jobs: '2 emplois créés', economics: 'Stable (« pas mieux qu’avant, honnêtement »)', strategy: 'Oui', partnerships: 'non', recommendations: 'En partie',
      satisfaction: '4 / 5', newNeeds: 'non, aucun nouveau besoin',
    });

    // The CSV export carries the answers for the operator's report: one column per question.
    expect(await csvRow(dossierId)).toMatchObject({
      'Suivi : État': 'Répondue', 'Suivi : Répondu le': '2027-03-17', 'Suivi : Emplois créés, maintenus ou améliorés': '2 emplois créés',
      'Suivi : Santé économique et financière': 'Stable (« pas mieux qu’avant, honnêtement »)', 'Suivi : Préconisations mises en œuvre': 'En partie',
      'Suivi : Satisfaction': '4', 'Suivi : Nouveaux besoins': 'non, aucun nouveau besoin', 'Suivi : Relances arrêtées le': '',
    });
  });

  it('a check-in stored without its milestone, its due day or its sends (older data, one a chargé·e added): the dossier and the CSV still open, its reason « — » or who added it', async () => {
    const { dossierId } = await structure();
    const at = new Date(MONDAY);
    await fx.db.connection.db!.collection<{ _id: string } & Record<string, unknown>>('checkins').insertMany([
      // Sent long ago, begun: neither its milestone, nor its attempts, its next attempt or its sends.
      { _id: `${dossierId}|old`, dossierId, status: 'sent', dueAt: new Date('2027-01-10T09:00:00Z'), answers: { jobs: '2 embauches' }, createdAt: at, updatedAt: at },
      // Added by a chargé·e, still planned, without its milestone nor its due day.
      { _id: `${dossierId}|by-hand`, dossierId, status: 'planned', manual: true, changedBy: 'Gaëlle', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at },
      // Not even its state.
      { _id: `${dossierId}|bare`, dossierId, createdAt: at, updatedAt: at },
    ]);
    await listExisting(fx.db.connection); // as the upgrade at start lists older data
    const { checkins } = await followupOf(dossierId);
    const byId = Object.fromEntries(checkins.map((c) => [c.id.split('|')[1], c]));
    expect(byId.old).toMatchObject({ milestone: null, milestoneLabel: '—', statusLabel: 'Réponses en cours (1/7)', answered: 1, sends: [] });
    expect(byId.old.answers.find((a) => a.key === 'jobs')?.value).toBe('2 embauches');
    expect(byId['by-hand']).toMatchObject({ milestone: null, milestoneLabel: 'Ajoutée par Gaëlle', statusLabel: 'Prévue', dueAt: null, canChange: true });
    expect(byId.bare).toMatchObject({ milestoneLabel: '—', statusLabel: '—' });
    // The CSV export reads the same check-ins.
    expect(await csvRow(dossierId)).toMatchObject({ 'Suivi : État': 'Réponses en cours (1/7)', 'Suivi : Emplois créés (nombre)': '2' });
  });

  it('an answer kept as typed after the retries is shown as such on the dossier and in the CSV, for the chargé·e to check', async () => {
    const { p, dossierId } = await structure();
    await add(dossierId, '2027-03-17');
    clock = Date.parse('2027-03-17T08:00:00Z');
    await fx.app.app.scheduler.tick();
    for (const answer of ['aucun', 'ça dépend', 'voir avec la trésorière', 'demandez à la trésorière']) await p.say(answer);
    const view = (await followupOf(dossierId)).checkins[0];
    expect(asRead(view.answers.find((a) => a.key === 'economics')!.value)).toBe('« demandez à la trésorière » (tel qu’écrit, à vérifier)');
    expect(await csvRow(dossierId)).toMatchObject({ 'Suivi : Santé économique et financière': '« demandez à la trésorière » (tel qu’écrit, à vérifier)' });
  });

  it('a need said at another question shows under « Nouveaux besoins », before the answer to that question, on the dossier and in the CSV', async () => {
    const { p, dossierId } = await structure();
    await add(dossierId, '2027-03-17');
    clock = Date.parse('2027-03-17T08:00:00Z');
    await fx.app.app.scheduler.tick();
    for (const answer of ['aucun', 'stable', 'on aurait besoin d’aide sur la com']) await p.say(answer);
    // Begun: the need is already there for the chargé·e, before the structure reaches the last question.
    let view = (await followupOf(dossierId)).checkins[0];
    expect(view.statusLabel).toBe('Réponses en cours (2/7)');
    expect(asRead(view.answers.find((a) => a.key === 'newNeeds')!.value)).toBe('« on aurait besoin d’aide sur la com » (dit en cours de point de suivi)');
    for (const answer of ['oui', 'non', 'oui', '4', 'et un appui RH aussi']) await p.say(answer);
    view = (await followupOf(dossierId)).checkins[0];
    expect(asRead(view.answers.find((a) => a.key === 'newNeeds')!.value)).toBe('« on aurait besoin d’aide sur la com » (dit en cours de point de suivi) ; et un appui RH aussi');
    expect(await csvRow(dossierId)).toMatchObject({ 'Suivi : Nouveaux besoins': '« on aurait besoin d’aide sur la com » (dit en cours de point de suivi) ; et un appui RH aussi' });
  });

  it('a day in a quiet weekend moves to the Monday; a second check-in the same day is refused (the questions would come twice)', async () => {
    const { dossierId } = await structure();
    const saturday = await add(dossierId, '2027-03-20');
    expect(saturday.body.dueAt).toBe('2027-03-22T08:00:00.000Z');
    expect(saturday.body.dueDay).toBe('2027-03-22'); // the page says it moved, and its date field shows it
    const ascension = await add(dossierId, '2027-05-06');
    expect(ascension.body.dueDay).toBe('2027-05-07'); // a public holiday (Thursday) → Friday
    const again = await add(dossierId, '2027-03-22'); // the Monday it already goes out
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('déjà prévue ce jour-là');
    // The other check-in is named as its row names it.
    expect(asRead(again.body.error.message)).toContain('(« Ajoutée par Gaëlle »)');
    expect((await followupOf(dossierId)).checkins).toHaveLength(2);
  });

  it('moves a planned check-in; a new plan of the dossier does not move it back', async () => {
    clock = Date.parse('2026-09-01T09:00:00Z'); // first contact six months earlier
    const { dossierId } = await structure();
    clock = MONDAY;
    // Recording the end of the mise en œuvre (after its start) plans "6 months after".
    const parcours = await call('POST', `/admin/api/dossiers/${dossierId}/parcours`, 'gironde', { parcours: 'Appui RH', miseEnOeuvreStartedAt: '2026-10-01', miseEnOeuvreEndedAt: '2027-03-01' });
    expect(parcours.status).toBe(200);
    const [planned] = (await followupOf(dossierId)).checkins;
    expect(planned).toMatchObject({ milestoneLabel: '6 mois après la fin de la mise en œuvre', status: 'planned' });
    expect(localDay(new Date(planned.dueAt))).toBe('2027-09-01');

    const moved = await act(planned.id, 'move', { date: '2027-06-15' });
    expect(moved.status).toBe(200);
    expect(moved.body.dueAt).toBe('2027-06-15T07:00:00.000Z'); // 09:00 in Paris, summer time
    expect(moved.body.milestoneLabel).toBe('6 mois après la fin de la mise en œuvre — déplacée par Gaëlle'); // the others see who
    await call('POST', `/admin/api/dossiers/${dossierId}/parcours`, 'gironde', { parcours: 'Appui RH', miseEnOeuvreEndedAt: '2027-02-15' });
    expect((await followupOf(dossierId)).checkins[0].dueAt).toBe('2027-06-15T07:00:00.000Z');
  });

  it('cancels a planned check-in: it is never sent, and cannot be changed again', async () => {
    const { p, dossierId } = await structure();
    const { body: checkin } = await add(dossierId, '2027-03-03');
    const cancelled = await act(checkin.id, 'cancel');
    // Who cancelled it, and when, for the other chargé·es.
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', statusLabel: 'Annulée', canChange: false, cancelledBy: 'Gaëlle', cancelledAt: new Date(MONDAY).toISOString() } });
    expect((await followupOf(dossierId)).checkins[0]).toMatchObject({ status: 'cancelled', cancelledBy: 'Gaëlle' });
    const before = p.last(1)[0];
    clock = Date.parse('2027-03-04T10:00:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(p.last(1)[0]).toBe(before);
    for (const [action, body] of [['cancel', {}], ['move', { date: '2027-04-01' }]] as const) {
      expect(await act(checkin.id, action, body)).toEqual({ status: 409, body: { error: { code: 'Conflict', message: fr('admin.errors.checkinNotPlanned') } } });
    }
  });

  it.each([
    ['an impossible day', { date: '2027-02-30' }, 'checkinDate'],
    ['another format', { date: '17/03/2027' }, 'checkinDate'],
    ['no date', {}, 'checkinDate'],
    ['a day already past', { date: '2027-02-28' }, 'checkinPast'],
    ['a day more than five years on', { date: '2032-03-02' }, 'checkinTooFar'],
    ['a body that is not an object', '[1]', 'badBody'],
  ])('refuses %s with a 400 saying why, and changes nothing', async (_label, body, key) => {
    const { dossierId } = await structure();
    const res = await call('POST', `/admin/api/dossiers/${dossierId}/checkins`, 'gironde', body);
    expect(res).toEqual({ status: 400, body: { error: { code: 'BadRequest', message: fr(`admin.errors.${key}`, { years: '5' }) } } });
    expect((await followupOf(dossierId)).checkins).toEqual([]);
  });

  it('accepts today, in Paris, even late in the evening (UTC is still the day before… or after)', async () => {
    const { dossierId } = await structure();
    clock = Date.parse('2027-03-01T23:30:00Z'); // already Tuesday 2 March, 00:30 in Paris
    expect((await add(dossierId, '2027-03-01')).status).toBe(400);
    const today = await add(dossierId, '2027-03-02');
    expect(today).toMatchObject({ status: 201, body: { dueAt: '2027-03-02T08:00:00.000Z' } });
  });

  it('refuses a check-in (added or moved) for a structure not accompanied yet: at the accueil, or oriented elsewhere', async () => {
    const { dossierId } = await structure();
    const dossiers = new DossierRepository(fx.db.connection, () => new Date(clock));
    const { body: checkin } = await add(dossierId, '2027-03-10'); // planned before the parcours was removed (older data)
    const dossier = (await dossiers.get(dossierId))!;
    dossier.phase = 'accueil';
    delete dossier.parcours;
    await dossiers.save(dossier);
    const refused = { status: 409, body: { error: { code: 'Conflict', message: fr('admin.errors.checkinNotAccompanied') } } };
    expect(await add(dossierId, '2027-03-17')).toEqual(refused);
    expect(await act(checkin.id, 'move', { date: '2027-03-18' })).toEqual(refused);
    expect(asRead(refused.body.error.message)).toMatch(/^Ce dossier n’a ni diagnostic confirmé ni parcours enregistré/);
    // The page shows no form to add one, and says why.
    const f = await followupOf(dossierId);
    expect(f).toMatchObject({ accompanied: false });
    expect(f.checkins.map((c) => [c.id, c.dueAt])).toEqual([[checkin.id, '2027-03-10T08:00:00.000Z']]);
    // A confirmed diagnostic is enough.
    dossier.diagnostic = { answers: {}, version: 1, startedAt: new Date(MONDAY), confirmedAt: new Date(MONDAY) };
    await dossiers.save(dossier);
    expect((await add(dossierId, '2027-03-17')).status).toBe(201);
    expect((await followupOf(dossierId)).accompanied).toBe(true);
  });

  it('keeps a chargé·e to their départements: 403 elsewhere, 401 without a token, 404 for an unknown check-in', async () => {
    const { dossierId } = await structure();
    const { body: checkin } = await add(dossierId, '2027-04-01');
    expect((await add(dossierId, '2027-04-02', 'dordogne')).status).toBe(403);
    expect((await act(checkin.id, 'move', { date: '2027-04-03' }, 'dordogne')).status).toBe(403);
    expect((await act(checkin.id, 'cancel', {}, 'dordogne')).status).toBe(403);
    expect((await call('POST', `/admin/api/checkins/${encodeURIComponent(checkin.id)}/cancel`, undefined, {})).status).toBe(401);
    expect(await act(`${dossierId}|nope`, 'cancel')).toEqual({ status: 404, body: { error: { code: 'NotFound', message: fr('admin.errors.checkinNotFound') } } });
    expect((await followupOf(dossierId)).checkins.map((c) => [c.dueAt, c.status])).toEqual([['2027-04-01T07:00:00.000Z', 'planned']]);
  });

  it('a check-in nobody can receive fails at once, shows why, and the chargé·es get a handoff saying so', async () => {
    const dossiers = new DossierRepository(fx.db.connection, () => new Date(clock));
    const dossier = await dossiers.create('directline:dl_never_talked_here', 36); // no conversation to write to
    dossier.answers = { name: 'Épicerie Solidaire', location: { postalCode: '33000', departement: '33' } };
    dossier.parcours = ACCOMPANIED;
    await dossiers.save(dossier);
    const { body: checkin } = await add(dossier._id, '2027-03-05');
    clock = Date.parse('2027-03-05T08:00:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ failed: 1 });
    const [view] = (await followupOf(dossier._id)).checkins;
    expect(view).toMatchObject({ id: checkin.id, status: 'failed', statusLabel: 'Échec de l’envoi', canChange: false });
    expect(view.sends.map((x) => x.outcomeLabel)).toEqual(['conversation disparue']);
    // Why, in the chargé·es' language as a handoff delivery's failure says it, the raw detail short after it.
    const why = /^plus aucune conversation ne permet de joindre la structure \(gone: .*\)$/;
    expect(view.sends.map((x) => x.error)).toEqual([expect.stringMatching(why)]);
    expect(view.lastError).toMatch(why);
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs).toEqual([expect.objectContaining({ reason: 'followup_unreachable', departement: '33', structureName: 'Épicerie Solidaire' })]);
    expect(asRead(handoffs[0].message)).toMatch(/^La relance « Ajoutée par un·e chargé·e » n’a pas pu être envoyée à la structure \(plus aucune conversation ne permet de joindre la structure \(gone: [^)]*\)\)\. Prenez contact/);
  });

  it('a check-in the structure\'s channel refuses is not counted as sent: retried with its reason shown, then sent once the channel answers', async () => {
    const { p, dossierId } = await structure();
    const { body: checkin } = await add(dossierId, '2027-03-17');
    // The channel answers 400 to the bot's message (no retry inside the connector client for it).
    const refusing = http.createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'refused' } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    const refs = fx.db.connection.db!.collection<{ _id: string; reference: string }>('conversation_refs');
    const key = `directline:${p.userId}`;
    const stored = (await refs.findOne({ _id: key }))!;
    const reference = JSON.parse(stored.reference);
    try {
      await refs.updateOne({ _id: key }, { $set: { reference: JSON.stringify({ ...reference, serviceUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}` }) } });
      clock = Date.parse('2027-03-17T08:00:00Z');
      expect(await fx.app.app.scheduler.tick()).toMatchObject({ retried: 1 }); // (check-ins of the tests before may go out too)
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
    let [view] = (await followupOf(dossierId)).checkins;
    expect(view).toMatchObject({ id: checkin.id, status: 'planned' });
    expect(view.sends.map((x) => x.outcomeLabel)).toHaveLength(1);
    expect(view.lastError).toContain('refused'); // what the channel answered
    expect(p.last(3).map((a) => a.text).join('\n')).not.toContain('des emplois ont-ils été créés');

    // The channel answers again: the retry reaches the structure.
    await refs.updateOne({ _id: key }, { $set: { reference: stored.reference } });
    clock = Date.parse(view.nextAttemptAt);
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ retried: 0 });
    expect(p.last(2).map((a) => a.text).join('\n')).toContain('des emplois ont-ils été créés, maintenus ou améliorés');
    [view] = (await followupOf(dossierId)).checkins;
    expect(view.status).toBe('sent');
  });

  it('after « ne plus me relancer », shows when, and refuses new check-ins', async () => {
    const { p, dossierId } = await structure();
    await add(dossierId, '2027-03-10');
    await p.say('ne plus me relancer');
    const f = await followupOf(dossierId);
    expect(f.optedOutAt).toBe(new Date(MONDAY).toISOString());
    expect(f.checkins.map((c) => c.status)).toEqual(['opted_out']);
    const csv = await (await fetch(`${fx.app.baseUrl}/admin/api/export.csv`, { headers: { authorization: `Bearer ${tokens.gironde}` } })).text();
    expect(csv.split('\r\n').find((l) => l.startsWith(`"${dossierId}"`))).toMatch(/;"2027-03-01"$/); // Relances arrêtées le
    expect(await add(dossierId, '2027-03-11')).toEqual({ status: 409, body: { error: { code: 'Conflict', message: fr('admin.errors.checkinOptedOut') } } });
    // Later the structure tells its chargé·e it accepts check-ins again: lifted within the chargé·e's départements only.
    const resume = (who: string) => call('POST', `/admin/api/dossiers/${encodeURIComponent(dossierId)}/followup/resume`, who, {});
    expect((await resume('dordogne')).status).toBe(403);
    const resumed = await resume('gironde');
    expect(resumed.status).toBe(200);
    expect(resumed.body.optedOutAt).toBeNull();
    expect((await add(dossierId, '2027-03-11')).status).toBe(201);
    // The one stopped before it was sent is planned again, on its day.
    expect((await followupOf(dossierId)).checkins.map((c) => [c.dueAt, c.status])).toEqual([['2027-03-10T08:00:00.000Z', 'planned'], ['2027-03-11T08:00:00.000Z', 'planned']]);
    expect((await resume('gironde')).status).toBe(409); // nothing to lift
  });

  it('« Reprendre les relances » plans again the check-ins stopped before they were sent (a past one at the next allowed moment); a sent one stays stopped', async () => {
    clock = Date.parse('2025-12-01T09:00:00Z'); // first contact before the diagnostic
    const { p, dossierId } = await structure();
    clock = MONDAY;
    const dossiers = new DossierRepository(fx.db.connection, () => new Date(clock));
    const dossier = (await dossiers.get(dossierId))!;
    dossier.diagnostic = { answers: {}, version: 1, confirmedAt: new Date('2025-12-15T10:00:00Z'), startedAt: new Date('2025-12-01T10:00:00Z') };
    await dossiers.save(dossier);
    const parcours = (ended: string) => call('POST', `/admin/api/dossiers/${dossierId}/parcours`, 'gironde', { parcours: 'Appui RH', miseEnOeuvreStartedAt: '2026-10-01', miseEnOeuvreEndedAt: ended });
    expect((await parcours('2027-01-01')).status).toBe(200); // 15 months after the diagnostic: 15 March; 6 months after the end: 1 July
    expect((await add(dossierId, '2027-03-17')).status).toBe(201);
    clock = Date.parse('2027-03-15T08:00:00Z');
    await fx.app.app.scheduler.tick(); // other tests' check-ins may go out too: the structure's is checked below
    clock = Date.parse('2027-03-16T10:00:00Z');
    await p.say('ne plus me relancer');
    const ids = (await followupOf(dossierId)).checkins.map((c) => c.id);
    expect((await followupOf(dossierId)).checkins.map((c) => [c.milestone, c.status])).toEqual([
      ['after_diagnostic_15m', 'opted_out'], ['manual_20270317', 'opted_out'], ['after_mise_en_oeuvre_6m', 'opted_out'],
    ]);

    clock = Date.parse('2027-03-20T09:00:00Z'); // Saturday: the manual one's day (17 March) is past
    expect((await call('POST', `/admin/api/dossiers/${encodeURIComponent(dossierId)}/followup/resume`, 'gironde', {})).status).toBe(200);
    const resumed = (await followupOf(dossierId)).checkins;
    expect(resumed.map((c) => [c.milestone, c.status, asRead(c.statusLabel), c.canChange])).toEqual([
      ['after_diagnostic_15m', 'opted_out', 'Arrêtée à la demande de la structure', false], // it had been sent: stays as it was
      ['manual_20270317', 'planned', 'Prévue', true],
      ['after_mise_en_oeuvre_6m', 'planned', 'Prévue', true],
    ]);
    // The past one goes out at the next allowed moment: Monday 22 March, 09:00 in Paris (weekends are quiet).
    expect(resumed[1].nextAttemptAt).toBe('2027-03-22T08:00:00.000Z');
    expect(resumed[2].dueAt).toBe('2027-07-01T07:00:00.000Z');

    // A new end of the mise en œuvre moves the automatic one again; a chargé·e can move it.
    expect((await parcours('2027-01-15')).status).toBe(200);
    expect((await followupOf(dossierId)).checkins.find((c) => c.id === ids[2])?.dueAt).toBe('2027-07-15T07:00:00.000Z');
    expect((await act(ids[2], 'move', { date: '2027-07-20' })).status).toBe(200);

    // And the structure gets the past one on Monday, not before.
    const before = p.last(1)[0];
    await fx.app.app.scheduler.tick();
    expect(p.last(1)[0]).toBe(before);
    clock = Date.parse('2027-03-22T08:00:00Z');
    await fx.app.app.scheduler.tick();
    expect(p.last(2).map((a) => a.text).join('\n')).toContain('des emplois ont-ils été créés, maintenus ou améliorés');
    expect((await followupOf(dossierId)).checkins.map((c) => c.status)).toEqual(['opted_out', 'sent', 'planned']);
  });
});
