import os from 'node:os';
import { registerAdminRoutes } from '../../src/admin/routes';
import { DOSSIER_PAGE_SIZE, LIST_LIMIT } from '../../src/admin/service';
import { loadConfig } from '../../src/config';
import { translator } from '../../src/i18n';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { pagedList, signIn } from '../helpers/adminPages';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };
const HOUR = 3_600_000;
const COUNT = 230;
const fr = translator('fr');

interface Row { id: string; callBackDue: string | null }

/**
 * The handoff list a page at a time, as the dossier list: 230 handoffs of the Gironde, the Dordogne
 * and without a département, made over ten days (late, due today, to call later), some urgent, some
 * claimed or closed, some without a way to call back.
 */
describe('back-office: the handoff list by pages', () => {
  let db: TestDb;
  let app: RunningApp;
  let base: string;
  const tokens: Record<string, string> = {};
  const departementOf = (i: number) => (i % 10 === 0 ? undefined : i % 2 ? '33' : '24');

  const { list, allPages } = pagedList(() => `${base}/admin/api/handoffs`, 'handoffs', tokens);
  const idsOf = (rows: Row[]) => rows.map((r) => r.id);
  const handoff = (id: string, i: number, at: number) => {
    const departement = departementOf(i);
    return {
      _id: id, dossierId: `d-${i}`, reason: 'user_request', urgency: i % 7 === 0 ? 'high' : 'normal', consent: true,
      status: i % 11 === 0 ? 'closed' : i % 5 === 0 ? 'claimed' : 'open', deliveries: [],
      ...(departement ? { departement } : {}), structureName: `Structure ${i}`,
      // Without an e-mail nor a phone: nobody can call back, no day promised.
      contact: i % 13 === 0 ? { name: 'Sans moyen' } : { name: `Contact ${i}`, phone: '05 56 00 00 00' },
      transcript: { channelId: 'directline', conversationId: `conv-${i}` },
      createdAt: new Date(at), updatedAt: new Date(at),
    };
  };

  beforeAll(async () => {
    db = await openTestDb('admin_handoff_pages');
    app = await startTestApp(db.connection, ENV);
    base = app.baseUrl;
    registerAdminRoutes(app.app.server, { connection: db.connection, config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV }), handoffs: app.app.outbox });
    const now = Date.now();
    await storedDossiers(db.connection).insertMany(Array.from({ length: COUNT }, (_, i) => ({
      _id: `d-${i}`, phase: 'accueil', status: 'submitted', channelUsers: [], answers: { name: `Structure ${i}` },
      consent: { given: true, at: new Date(now - 20 * 24 * HOUR), retentionMonths: 36 },
      ...(departementOf(i) ? { departement: departementOf(i) } : {}),
      createdAt: new Date(now - 20 * 24 * HOUR), updatedAt: new Date(now - 20 * 24 * HOUR),
    })) as never[]);
    // One every hour over ten days (several at the same instant: the order must still be one).
    await storedHandoffs(db.connection).insertMany(Array.from({ length: COUNT }, (_, i) => handoff(`h-${String(i).padStart(3, '0')}`, i, now - Math.floor(i / 2) * 2 * HOUR)) as never[]);
    await signIn(db.connection, tokens);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('gives the first page by default, the first to call back first, with how many there are and how many are late or due today', async () => {
    const whole = (await list(`?limit=${LIST_LIMIT}`)).body;
    expect(whole.handoffs).toHaveLength(COUNT);
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: COUNT, limit: DOSSIER_PAGE_SIZE, truncated: true, cursor: expect.any(String), changed: [] });
    expect(idsOf(body.handoffs)).toEqual(idsOf(whole.handoffs).slice(0, DOSSIER_PAGE_SIZE));
    // The counts are the whole list's, not the page's (the page says them above the table).
    const rows = whole.handoffs as Row[];
    expect(body.due).toEqual({ overdue: rows.filter((h) => h.callBackDue === 'overdue').length, today: rows.filter((h) => h.callBackDue === 'today').length });
    expect(body.due.overdue).toBeGreaterThan(0);
  });

  it('walks every handoff once, in one order, whatever the page size', async () => {
    const { ids, total } = await allPages('', 37);
    expect(total).toBe(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    expect(ids).toEqual((await allPages('', LIST_LIMIT)).ids);
    expect(ids).toEqual((await allPages('', 100)).ids);
  });

  it('keeps the filters on every page, and a chargé·e within their départements and the handoffs without one', async () => {
    const waiting = await allPages('status=waiting', 30);
    expect(waiting.total).toBe(Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 11 !== 0).length);
    const gironde = await allPages('status=waiting', 25, 'gironde');
    expect(gironde.ids).toEqual(waiting.ids.filter((id) => departementOf(Number(id.slice(2))) !== '24'));
    expect((await allPages('status=waiting&departement=24', 20)).ids).toEqual(waiting.ids.filter((id) => departementOf(Number(id.slice(2))) === '24'));
  });

  it('shows a handoff added or taken up between two page reads once, and skips none of the others', async () => {
    const handoffs = storedHandoffs<{ _id: string }>(db.connection);
    const first = (await list('?limit=100')).body;
    const onFirst = idsOf(first.handoffs);
    const later = (await list(`?limit=100&cursor=${first.cursor}`)).body;
    const claimedId = (later.handoffs as (Row & { status: string })[]).filter((h) => h.status === 'open')[20].id;
    // Meanwhile a structure asks for a chargé·e, urgently (it goes before the handoffs not urgent
    // nor due yet), and a colleague takes up a handoff of the second page.
    await handoffs.insertOne(handoff('h-new', 7, Date.now()) as never);
    try {
      expect((await fetch(`${base}/admin/api/handoffs/${claimedId}/claim`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } })).status).toBe(200);
      const second = (await list(`?limit=100&cursor=${first.cursor}`)).body;
      const onSecond = idsOf(second.handoffs);
      expect(onSecond.filter((id) => onFirst.includes(id))).toEqual([]);
      // The page shows the new and the changed handoffs it had not shown (at the top), then the next ones.
      expect(idsOf(second.changed)).toEqual(expect.arrayContaining(['h-new', claimedId]));
      expect(second.total).toBe(first.total + 1);
      const shown = new Set([...onFirst, ...onSecond, ...idsOf(second.changed)]);
      let cursor = second.cursor;
      while (cursor) {
        const next = (await list(`?limit=100&cursor=${cursor}`)).body;
        idsOf(next.handoffs).forEach((id) => { expect(shown.has(id)).toBe(false); shown.add(id); });
        cursor = next.cursor;
      }
      expect(shown.size).toBe(second.total);
    } finally {
      await handoffs.deleteOne({ _id: 'h-new' });
      await handoffs.updateOne({ _id: claimedId }, { $set: { status: 'open' }, $unset: { claimedBy: '', claimedByName: '', claimedAt: '' } });
    }
  });

  it('says past the last page that there is nothing more', async () => {
    const first = (await list('?limit=220')).body;
    const { body } = await list(`?limit=50&cursor=${first.cursor}`);
    expect(body).toMatchObject({ total: COUNT, truncated: false, cursor: null });
    expect(body.handoffs).toHaveLength(COUNT - 220);
  });

  it.each([
    ['limit=0', fr('admin.errors.badPage', { name: 'limit', value: '0', min: 1, max: LIST_LIMIT })],
    ['limit=dix', fr('admin.errors.badPage', { name: 'limit', value: 'dix', min: 1, max: LIST_LIMIT })],
    ['cursor=abc', fr('admin.errors.badHandoffCursor')],
    // A cursor of the dossier list is no place in this one.
    [`cursor=${Buffer.from(JSON.stringify([1, 'd-1', 2])).toString('base64url')}`, fr('admin.errors.badHandoffCursor')],
  ])('refuses %s with a 400 in French, saying what to do', async (query, message) => {
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(400);
    expect(body.error.message).toBe(message);
  });
});
