import os from 'node:os';
import { registerAdminRoutes } from '../../src/admin/routes';
import { DOSSIER_PAGE_SIZE, LIST_LIMIT } from '../../src/admin/service';
import { loadConfig } from '../../src/config';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { pagedList, signIn } from '../helpers/adminPages';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };
const DAY = 86_400_000;

/**
 * The dossier list a page at a time: 250 dossiers of the Gironde, the Dordogne and without a
 * département, several changed at the same instant (the order must still be one).
 */
describe('back-office: the dossier list by pages', () => {
  let db: TestDb;
  let app: RunningApp;
  let base: string;
  const tokens: Record<string, string> = {};
  const departementOf = (i: number) => (i % 10 === 0 ? undefined : i % 2 ? '33' : '24');

  const { list, allPages } = pagedList(() => `${base}/admin/api/dossiers`, 'dossiers', tokens);

  beforeAll(async () => {
    db = await openTestDb('admin_pages');
    app = await startTestApp(db.connection, ENV);
    base = app.baseUrl;
    registerAdminRoutes(app.app.server, { connection: db.connection, config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV }), handoffs: app.app.outbox });
    const start = new Date('2025-01-06T09:00:00Z').getTime();
    await storedDossiers(db.connection).insertMany(Array.from({ length: 250 }, (_, i) => {
      const departement = departementOf(i);
      return {
        _id: `d-${String(i).padStart(3, '0')}`, phase: i % 3 ? 'accueil' : 'diagnostic', status: 'submitted', channelUsers: [],
        consent: { given: true, at: new Date(start), retentionMonths: 36 },
        answers: { name: `Structure ${i}` }, ...(departement ? { departement } : {}),
        createdAt: new Date(start), updatedAt: new Date(start + Math.floor(i / 4) * DAY),
      };
    }) as never[]);
    await signIn(db.connection, tokens);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('gives the first page by default, newest change first, with how many dossiers there are', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 250, limit: DOSSIER_PAGE_SIZE, truncated: true, cursor: expect.any(String), changed: [] });
    expect(body.dossiers).toHaveLength(DOSSIER_PAGE_SIZE);
    // d-248 and d-249 were changed last, at the same instant: by id.
    expect(body.dossiers.slice(0, 3).map((d: { id: string }) => d.id)).toEqual(['d-248', 'd-249', 'd-244']);
  });

  it('walks every dossier once, in one order, whatever the page size', async () => {
    const { ids, total } = await allPages('', 37);
    expect(total).toBe(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual((await allPages('', LIST_LIMIT)).ids);
    expect(ids).toEqual((await allPages('', 100)).ids);
  });

  it('keeps the filters on every page, and counts what they match', async () => {
    const expected = Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 3 === 0 && departementOf(i) === '24');
    const { ids, total } = await allPages('phase=diagnostic&departement=24', 10);
    expect(total).toBe(expected.length);
    expect(ids.sort()).toEqual(expected.map((i) => `d-${String(i).padStart(3, '0')}`).sort());
  });

  it('pages a chargé·e through their départements and the dossiers without one only', async () => {
    const { ids, total } = await allPages('', 30, 'gironde');
    const expected = Array.from({ length: 250 }, (_, i) => i).filter((i) => departementOf(i) !== '24');
    expect(total).toBe(expected.length);
    expect(ids.sort()).toEqual(expected.map((i) => `d-${String(i).padStart(3, '0')}`).sort());
    expect((await list('?departement=24&limit=10', 'gironde')).status).toBe(403);
  });

  it('says past the last page that there is nothing more', async () => {
    const first = (await list('?limit=240')).body;
    const { body } = await list(`?limit=50&cursor=${first.cursor}`);
    expect(body).toMatchObject({ total: 250, truncated: false, cursor: null });
    expect(body.dossiers).toHaveLength(10);
  });

  it.each([['limit=0'], ['limit=501'], ['limit=dix'], ['limit=10&limit=20']])('refuses %s with a 400 in French', async (query) => {
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(400);
    expect(body.error.message.replace(/[\u00a0\u202f]/g, ' ')).toMatch(query.includes('&') ? /plusieurs/i : /^« limit » attend un nombre entier de 1 à \d+ : « [^»]+ » n’en est pas un\.$/);
  });

  it.each([['offset=100', 'n’est plus pris en charge'], ['cursor=abc', 'n’est pas valide']])('refuses %s, saying what to do, with a 400 in French', async (query, said) => {
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(400);
    expect(body.error.message).toContain(said);
  });

  it('counts the funnel step by step, each within the one before', async () => {
    const stats = async () => (await (await fetch(`${base}/admin/api/stats`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json());
    const before = await stats();
    const at = new Date('2026-01-05T10:00:00Z');
    const confirmed = { answers: {}, version: 1, confirmedAt: at, year: 2026, primaryTheme: 'rh_emploi' };
    const rules = (outcome: string) => ({ outcome, rulesVersion: 'r1', decidedAt: at, reasons: [] });
    const made = (id: string, fields: Record<string, unknown>) => ({
      _id: id, phase: 'diagnostic', status: 'submitted', departement: '33', channelUsers: [], answers: {},
      consent: { given: true, at, retentionMonths: 36 }, createdAt: at, updatedAt: at, diagnostic: confirmed, ...fields,
    });
    const dossiers = storedDossiers(db.connection);
    const handoffs = storedHandoffs(db.connection);
    await dossiers.insertMany([
      made('f-answered', { decision: rules('eligible'), followup: { answeredAt: at } }),
      // The chargé·e's decision is the one that counts: out of scope, whatever the rules said.
      made('f-refused', { decision: rules('eligible'), chargeDecision: { outcome: 'out_of_scope', by: 'Gaëlle', at } }),
      made('f-confirmed', { decision: rules('to_confirm'), chargeDecision: { outcome: 'eligible', by: 'Gaëlle', at } }),
      made('f-handed', { decision: rules('eligible') }),
    ] as never[]);
    const handoff = (id: string, dossierId: string) => ({
      _id: id, dossierId, reason: 'diagnostic_confirmed', urgency: 'normal', consent: true, status: 'open', deliveries: [],
      transcript: { channelId: 'directline', conversationId: id }, createdAt: at, updatedAt: at,
    });
    // A handoff of an erased dossier is no dossier handed off.
    await handoffs.insertMany(['f-answered', 'f-refused', 'f-handed', 'f-erased'].map((d) => handoff(`h-${d}`, d)) as never[]);
    try {
      const after = await stats();
      expect(after.funnel).toEqual({
        firstContact: before.funnel.firstContact + 4, eligible: before.funnel.eligible + 3, diagnosticConfirmed: before.funnel.diagnosticConfirmed + 3,
        handedOff: before.funnel.handedOff + 2, followupAnswered: before.funnel.followupAnswered + 1,
      });
      expect(after.themesByYear).toEqual([{ year: 2026, total: 4, themes: [{ theme: 'rh_emploi', count: 4, share: 100 }] }]);
    } finally {
      await handoffs.deleteMany({ _id: { $in: ['h-f-answered', 'h-f-refused', 'h-f-handed', 'h-f-erased'] } } as never);
      await dossiers.deleteMany({ _id: { $in: ['f-answered', 'f-refused', 'f-confirmed', 'f-handed'] } } as never);
    }
  });

  it('exports every filtered dossier in the CSV, not a page', async () => {
    const res = await fetch(`${base}/admin/api/export.csv?departement=33&limit=10`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines.length - 1).toBe(Array.from({ length: 250 }, (_, i) => i).filter((i) => departementOf(i) === '33').length);
  });
  it('shows a dossier changed between two page reads once, and skips none of the others (a new one, one erased)', async () => {
    const dossiers = storedDossiers<{ _id: string; updatedAt: Date }>(db.connection);
    const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);
    const first = (await list('?limit=100')).body;
    const onFirst = idsOf(first.dossiers);
    const later = (await list(`?limit=100&cursor=${first.cursor}`)).body;
    const changedId = idsOf(later.dossiers)[50];
    const erasedId = onFirst[10];
    const erased = await dossiers.findOne({ _id: erasedId });
    // Meanwhile a structure answers (its dossier, on the second page, moves to the top), another
    // structure starts, and a third asks for its data to be erased (one row fewer above the second page).
    const now = new Date();
    await dossiers.updateOne({ _id: changedId }, { $set: { updatedAt: now } });
    await dossiers.insertOne({ ...erased!, _id: 'd-new', updatedAt: now } as never);
    await dossiers.deleteOne({ _id: erasedId });
    try {
      const second = (await list(`?limit=100&cursor=${first.cursor}`)).body;
      const onSecond = idsOf(second.dossiers);
      expect(onSecond.filter((id) => onFirst.includes(id))).toEqual([]);
      // The page shows the changed and the new dossiers it had not shown (at the top), and the next 100.
      expect(idsOf(second.changed).sort()).toEqual([changedId, 'd-new'].sort());
      expect(onSecond).toEqual(idsOf(later.dossiers).filter((id) => id !== changedId).concat(onSecond.slice(99)));
      const shown = new Set([...onFirst, ...onSecond, ...idsOf(second.changed)]);
      let cursor = second.cursor;
      while (cursor) {
        const next = (await list(`?limit=100&cursor=${cursor}`)).body;
        idsOf(next.dossiers).forEach((id) => { expect(shown.has(id)).toBe(false); shown.add(id); });
        cursor = next.cursor;
      }
      shown.delete(erasedId);
      expect(shown.size).toBe(second.total);
      expect(second.total).toBe(250);
    } finally {
      await dossiers.deleteOne({ _id: 'd-new' });
      await dossiers.insertOne(erased!);
    }
  });
});
