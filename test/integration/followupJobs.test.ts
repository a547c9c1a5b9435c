import { AdminAuth } from '../../src/admin/auth';
import { CheckinAnswers } from '../../src/followup/checkinAnswers';
import { DossierRepository } from '../../src/store/dossiers';
import { addToList, DOSSIER_CHECKINS } from '../../src/store/lookups';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

// Monday 1 March 2027, 10:00 in Paris.
const MONDAY = Date.parse('2027-03-01T09:00:00Z');

/**
 * The jobs the structures declared at their check-ins, as the operator's report counts them: in
 * numbers the CSV export sums (French Excel: « 1,5 »), on FerretDB, over several dossiers — answered
 * in the conversation, stored by the check-in, or answered before the counts were stored.
 */
describe('follow-up: jobs created, kept, improved and lost, summed in the CSV export and the statistics', () => {
  let clock = MONDAY;
  const fx = useAssistant('followup_jobs', { OPERATOR_NAME: 'DLA de Lot-et-Garonne', FOLLOWUP_WEEKENDS: 'false' }, { now: () => clock });
  let token = '';
  let n = 0;

  beforeAll(async () => {
    const auth = new AdminAuth(fx.db.connection, { now: () => new Date(clock), tokenTtlHours: 24 * 365 });
    await auth.upsertUser({ email: 'agen@dla.test', name: 'Ambre', role: 'charge', departements: ['47'] });
    token = (await auth.createUserToken('agen@dla.test')).token;
  });

  const get = (url: string) => fetch(`${fx.app.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  const dossiers = () => new DossierRepository(fx.db.connection, () => new Date(clock));

  /** A dossier of `departement` in follow-up (its parcours recorded: it has been accompanied). */
  async function dossier(departement = '47', userKey = `directline:u-${++n}`): Promise<string> {
    const repo = dossiers();
    const d = await repo.create(userKey, 36);
    d.answers = { name: `Atelier ${n}`, location: { postalCode: `${departement}000`, departement } };
    d.phase = 'suivi';
    d.parcours = { text: 'Appui RH', recordedBy: 'agen@dla.test', recordedByName: 'Ambre', recordedAt: new Date(MONDAY) };
    await repo.save(d);
    return d._id;
  }

  /** A check-in of the dossier, answered as the check-in conversation stores answers (CheckinAnswers). */
  async function answered(dossierId: string, jobs: string): Promise<void> {
    const at = new Date(clock);
    const id = `${dossierId}|manual:2027-03-0${++n % 9}`;
    await addToList(fx.db.connection, DOSSIER_CHECKINS, dossierId, id);
    await fx.db.connection.db!.collection('checkins').insertOne({
      _id: id, dossierId, milestone: 'manual:2027-03-01', dueAt: at, status: 'sent', attempts: 0, nextAttemptAt: at, sends: [], createdAt: at, updatedAt: at,
    } as never);
    const answers = new CheckinAnswers(fx.db.connection, () => new Date(clock));
    await answers.saveAnswer(id, 'jobs', jobs);
    await answers.saveAnswer(id, 'economics', { value: 'same', text: 'stable' });
    await answers.complete(id);
  }

  /** The CSV export, each row by column header. */
  async function csv(): Promise<Record<string, string>[]> {
    const res = await get('/admin/api/export.csv');
    expect(res.status).toBe(200);
    const [header, ...rows] = (await res.text()).slice(1).split('\r\n').filter(Boolean).map((line) => line.slice(1, -1).split('";"').map(asRead));
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  }

  it('adds up the counts of every dossier’s latest check-in; unknown counts are empty cells, never a 0 guessed', async () => {
    // 1. Answered in the conversation: the check-in stores the counts with the words.
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await p.join();
    await p.say('bonjour');
    const talked = await dossier('47', `directline:${p.userId}`);
    const added = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${encodeURIComponent(talked)}/checkins`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ date: '2027-03-17' }),
    });
    expect(added.status).toBe(201);
    clock = Date.parse('2027-03-17T08:00:00Z');
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    await p.say('on a embauché 2 personnes et on a gardé les 3 autres');
    for (const answer of ['stable', 'oui', 'non', 'en partie', '4', 'non']) await p.say(answer);
    const stored = await fx.db.connection.db!.collection('checkins').findOne({ dossierId: talked });
    expect(stored).toMatchObject({ status: 'answered', answers: { jobs: 'on a embauché 2 personnes et on a gardé les 3 autres' }, jobCounts: { created: 2, kept: 3, unsure: false } });

    // 2. Stored by the check-in; 3. answered before the counts were stored (its words only); 4. « je ne sais pas »;
    // 5. a kind without its number: to check; 6. another département, which this chargée does not see.
    const stores = await dossier();
    await answered(stores, '2 créations de poste, 1 CDD transformé en CDI');
    const before = await dossier();
    const at = new Date(clock);
    await fx.db.connection.db!.collection('checkins').insertOne({
      _id: `${before}|manual:2026-09-01`, dossierId: before, milestone: 'manual:2026-09-01', dueAt: at, status: 'answered', attempts: 0, nextAttemptAt: at, sends: [],
      answers: { jobs: '1,5 ETP créé, on a perdu un poste', satisfaction: 5 }, answeredAt: at, createdAt: at, updatedAt: at,
    } as never);
    const unknown = await dossier();
    await answered(unknown, 'je ne sais pas');
    const vague = await dossier();
    await answered(vague, 'on a embauché, et gardé tout le monde');
    const elsewhere = await dossier('33');
    await answered(elsewhere, '10 embauches');
    const none = await dossier(); // no check-in answered

    const rows = await csv();
    const row = (id: string) => rows.find((r) => Object.values(r)[0] === id)!;
    expect(rows.map((r) => Object.values(r)[0]).sort()).toEqual([talked, stores, before, unknown, vague, none].sort());
    // The numbers, next to the structure's own words.
    expect(row(talked)).toMatchObject({
      'Suivi : Emplois créés, maintenus ou améliorés': 'on a embauché 2 personnes et on a gardé les 3 autres',
      'Suivi : Emplois créés (nombre)': '2', 'Suivi : Emplois maintenus (nombre)': '3', 'Suivi : Emplois améliorés (nombre)': '', 'Suivi : Emplois perdus (nombre)': '',
      'Suivi : Emplois : nombres à vérifier': '',
    });
    expect(row(before)).toMatchObject({ 'Suivi : Emplois créés (nombre)': '1,5', 'Suivi : Emplois perdus (nombre)': '1', 'Suivi : Emplois maintenus (nombre)': '' });
    expect(row(unknown)).toMatchObject({ 'Suivi : Emplois créés (nombre)': '', 'Suivi : Emplois maintenus (nombre)': '', 'Suivi : Emplois : nombres à vérifier': '' });
    expect(row(vague)).toMatchObject({ 'Suivi : Emplois créés (nombre)': '', 'Suivi : Emplois maintenus (nombre)': '', 'Suivi : Emplois : nombres à vérifier': 'oui' });
    expect(row(none)).toMatchObject({ 'Suivi : Emplois créés (nombre)': '', 'Suivi : État': '' });

    // Each column sums as French Excel reads it (a decimal comma), and the statistics give the same totals.
    const sum = (header: string) => rows.reduce((total, r) => total + (r[header] ? Number(r[header].replace(',', '.')) : 0), 0);
    const totals = { created: sum('Suivi : Emplois créés (nombre)'), kept: sum('Suivi : Emplois maintenus (nombre)'), improved: sum('Suivi : Emplois améliorés (nombre)'), lost: sum('Suivi : Emplois perdus (nombre)') };
    expect(totals).toEqual({ created: 5.5, kept: 3, improved: 1, lost: 1 });
    const stats = await (await get('/admin/api/stats')).json();
    expect(stats.followupJobs).toEqual({ ...totals, answered: 5, withoutNumber: 2, toCheck: 1 });
    // The raw file: numbers with a decimal comma, quoted like every cell (Excel reads « "1,5" » as 1,5).
    const raw = await (await get('/admin/api/export.csv')).text();
    expect(raw.split('\r\n').find((l) => l.startsWith(`"${before}"`))).toContain('"1,5";"";"";"1";""');
  });

  it('shows the counts on the dossier next to the structure’s words; a corrected answer is read again', async () => {
    const id = await dossier();
    await answered(id, '2 créés, 5 maintenus');
    const checkinId = (await fx.db.connection.db!.collection('checkins').findOne({ dossierId: id }))!._id as unknown as string;
    const view = async () => {
      const res = await get(`/admin/api/dossiers/${encodeURIComponent(id)}`);
      expect(res.status).toBe(200);
      return (await res.json()).followup.checkins[0] as { answers: { key: string; value: string }[]; jobs: Record<string, unknown> };
    };
    let c = await view();
    expect(c.answers.find((a) => a.key === 'jobs')!.value).toBe('2 créés, 5 maintenus');
    expect({ ...c.jobs, summary: asRead(String(c.jobs.summary)) }).toEqual({
      created: 2, kept: 5, improved: null, lost: null, toCheck: false, confirmed: false,
      summary: 'Nombres lus : 2 emplois créés, 5 maintenus ; non dits : améliorés, perdus',
    });
    // « non en fait 3 embauches »: the answer replaced, its counts read again.
    await new CheckinAnswers(fx.db.connection).saveAnswer(checkinId, 'jobs', '3 embauches et 1 poste supprimé');
    c = await view();
    expect(c.jobs).toMatchObject({ created: 3, kept: null, lost: 1 });
    // The structure says the reading is wrong: no number kept, its words stay for the chargé·e.
    await new CheckinAnswers(fx.db.connection).confirmJobCounts(checkinId, false);
    c = await view();
    expect(c.jobs).toMatchObject({ created: null, kept: null, improved: null, lost: null, toCheck: true });
    expect(asRead(String(c.jobs.summary))).toBe('La structure a dit que les nombres lus n’étaient pas les bons : à lire dans ses mots');
    expect(c.answers.find((a) => a.key === 'jobs')!.value).toBe('3 embauches et 1 poste supprimé');
  });
});
