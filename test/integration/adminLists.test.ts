import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdminAuth } from '../../src/admin/auth';
import { parseCsv } from '../../src/channels/resourceImport';
import { localDay } from '../../src/domain/checkinPlan';
import { DossierRepository } from '../../src/store/dossiers';
import { purgeExpired } from '../../src/store/retention';
import { DOSSIER_SUMMARIES } from '../../src/store/summaries';
import { asRead } from '../helpers/asRead';
import { AssistantFixture, startTestApp, useAssistant } from '../helpers/app';
import { FakeConnector } from '../helpers/connector';
import { runBackupScript } from '../helpers/backup';
import { Persona } from '../helpers/conversation';
import { openTestDb } from '../helpers/db';
import { WebhookSink } from '../helpers/webhookSink';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };

interface Row { id: string; name: string | null; phase: string; status: string; outcome: string | null; handoff: string | null; contact: { phone: string | null } }

/**
 * The back-office's lists read each dossier's summary (src/store/summaries.ts): whatever changes a
 * dossier — the structure in the chat, a chargé·e, a claim, an erasure, the retention purge, a
 * restore — shows in the lists, the CSV and the statistics at the next read.
 */
describe('back-office lists: a dossier’s change shows at once', () => {
  const fx = useAssistant('admin_lists', ENV);
  let token = '';

  const call = async (method: string, url: string, body?: unknown, base = fx.app.baseUrl, who = token) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { authorization: `Bearer ${who}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect([res.status, url]).toEqual([200, url]);
    return res;
  };
  const json = async (url: string) => (await call('GET', url)).json();
  const rows = async (filters = '') => (await json(`/admin/api/dossiers${filters}`)) as { dossiers: Row[]; total: number };
  const row = async (id: string, filters = '') => (await rows(filters)).dossiers.find((r) => r.id === id);
  const handoffs = async () => ((await json('/admin/api/handoffs')).handoffs as { id: string; dossierId: string | null }[]);
  const stats = async () => (await json('/admin/api/stats')).funnel as { firstContact: number; eligible: number };
  /** The CSV's rows as { column: cell }. */
  const csv = async () => {
    const [header, ...lines] = parseCsv((await (await call('GET', '/admin/api/export.csv')).text()).replace(/^\uFEFF/, ''), ';').map((r) => r.fields.map(asRead));
    return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  };

  beforeAll(async () => {
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    token = (await auth.createUserToken('admin@dla.test')).token;
  });

  /** A structure of the Gironde whose eligibility is to be confirmed: its request passed on (a handoff open). */
  async function structure(name: string): Promise<{ persona: Persona; dossierId: string }> {
    const persona = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await persona.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct', 'Sam, sam@example.org']) await persona.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId)))!;
    return { persona, dossierId: dossier._id };
  }

  it('the structure’s answers in the chat, a chargé·e’s decision and parcours, a claim: each in the list, its filters, the CSV and the statistics at the next read', async () => {
    const before = await stats();
    const { persona, dossierId } = await structure('Recyclerie des Chartrons');
    expect(await row(dossierId)).toMatchObject({ name: 'Recyclerie des Chartrons', phase: 'accueil', status: 'submitted', outcome: 'to_confirm', handoff: 'open', contact: { phone: null } });
    expect((await row(dossierId, '?outcome=to_confirm&phase=accueil'))?.id).toBe(dossierId);
    expect(await stats()).toMatchObject({ firstContact: before.firstContact + 1, eligible: before.eligible });

    // The structure gives a phone in the chat: the list shows it, and finds the dossier by it.
    expect(asRead(await persona.say('je me suis trompé, mon numéro c’est le 06 12 34 56 78'))).toContain('06 12 34 56 78');
    expect((await row(dossierId))!.contact.phone).toBe('06 12 34 56 78');
    expect((await rows('?q=0612345678')).dossiers.map((r) => r.id)).toEqual([dossierId]);

    // A chargé·e decides after the call, then records the parcours: the outcome, then the phase.
    await call('POST', `/admin/api/dossiers/${dossierId}/decision`, { outcome: 'eligible', note: 'Appel fait' });
    expect((await row(dossierId))!.outcome).toBe('eligible');
    expect((await row(dossierId, '?outcome=to_confirm'))).toBeUndefined();
    expect(await stats()).toMatchObject({ firstContact: before.firstContact + 1, eligible: before.eligible + 1 });
    const today = localDay(new Date(), 'Europe/Paris');
    await call('POST', `/admin/api/dossiers/${dossierId}/parcours`, { parcours: 'Accompagnement individuel', miseEnOeuvreStartedAt: today });
    expect((await row(dossierId, '?phase=mise_en_oeuvre'))?.phase).toBe('mise_en_oeuvre');
    expect((await csv()).find((r) => r.Identifiant === dossierId)).toMatchObject({ Phase: 'Mise en œuvre', Éligibilité: 'Éligible' });

    // Its request claimed: « Prise en charge » in the list and the CSV.
    const [handoff] = (await handoffs()).filter((h) => h.dossierId === dossierId);
    await call('POST', `/admin/api/handoffs/${handoff.id}/claim`, {});
    expect((await row(dossierId))!.handoff).toBe('claimed');
    expect((await csv()).find((r) => r.Identifiant === dossierId)).toMatchObject({ Transmission: 'Prise en charge' });
  });

  it('an erased dossier, and those the retention purge takes, leave every list, the statistics and the CSV', async () => {
    const { dossierId } = await structure('Atelier Vélo Solidaire');
    const kept = await structure('Café Associatif de Pauillac');
    const before = { total: (await rows()).total, stats: await stats() };
    expect((await handoffs()).some((h) => h.dossierId === dossierId)).toBe(true);

    await call('POST', `/admin/api/dossiers/${dossierId}/erase`, { confirm: 'Atelier Vélo Solidaire' });
    expect(await rows()).toMatchObject({ total: before.total - 1 });
    expect(await row(dossierId)).toBeUndefined();
    expect((await rows('?q=Atelier Vélo')).total).toBe(0);
    expect((await handoffs()).some((h) => h.dossierId === dossierId)).toBe(false);
    expect(await stats()).toMatchObject({ firstContact: before.stats.firstContact - 1 });
    expect(JSON.stringify(await csv())).not.toContain('Atelier Vélo');
    expect((await row(kept.dossierId))?.name).toBe('Café Associatif de Pauillac');

    // Every dossier past its retention period: nothing left to list.
    await purgeExpired(fx.db.connection, new Date('2040-01-01T00:00:00Z'), 1, fx.app.app.privacy);
    expect(await rows()).toMatchObject({ total: 0, dossiers: [] });
    expect(await stats()).toMatchObject({ firstContact: 0 });
    expect(await csv()).toEqual([]);
  });

  it('a restore lists the dossiers restored, from a backup made before the lists had their summaries too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-lists-'));
    const target = await openTestDb('admin_lists_target');
    const saved = process.env.MONGODB_URI;
    try {
      const { dossierId } = await structure('Ressourcerie du Médoc');
      // As a backup of an earlier version: no summaries in it.
      await fx.db.connection.db!.collection(DOSSIER_SUMMARIES).drop();
      const backup = path.join(dir, 'dla.jsonl.gz');
      expect((await runBackupScript(fx.db.uri, 'backup', backup)).code).toBe(0);
      expect((await runBackupScript(target.uri, 'restore', backup)).code).toBe(0);

      const restored = await startTestApp(target.connection, ENV);
      try {
        const auth = new AdminAuth(target.connection);
        await auth.upsertUser({ email: 'restore@dla.test', name: 'Rémi Restore', role: 'admin', departements: [] });
        const { token: restoredToken } = await auth.createUserToken('restore@dla.test');
        const list = await (await call('GET', '/admin/api/dossiers', undefined, restored.baseUrl, restoredToken)).json();
        expect(list.dossiers.map((r: Row) => [r.id, r.name])).toEqual([[dossierId, 'Ressourcerie du Médoc']]);
      } finally {
        await restored.close();
      }
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The handoff list and the CSV read the handoffs' rows kept in their dossiers' summaries
 * (src/store/summaries.ts): every write of a handoff — the chat, the outbox's deliveries, a claim
 * from Teams — shows in them at the next read, without reading the handoffs.
 */
describe('back-office handoff list: a handoff’s change shows at once', () => {
  const SECRET = 'lists-webhook-secret';
  const sink = new WebhookSink(SECRET);
  const fx = {} as Pick<AssistantFixture, 'db' | 'app' | 'connector'>;
  let token = '';

  beforeAll(async () => {
    await sink.start();
    fx.db = await openTestDb('admin_lists_handoffs');
    fx.connector = await new FakeConnector().start();
    fx.app = await startTestApp(fx.db.connection, { ...ENV, HANDOFF_WEBHOOK_URL: sink.url, HANDOFF_WEBHOOK_SECRET: SECRET });
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    token = (await auth.createUserToken('admin@dla.test')).token;
  });
  afterAll(async () => {
    await fx.app?.close();
    await fx.connector?.stop();
    await fx.db?.close();
    await sink.stop();
  });

  const get = async (url: string) => {
    const res = await fetch(`${fx.app.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect([res.status, url]).toEqual([200, url]);
    return res;
  };
  type HandoffRow = { id: string; dossierId: string | null; status: string; claimedByName: string | null; delivery: string; messages: { text: string }[]; contact: { phone?: string; otherPhone?: string } | null };
  const handoffsOf = async (dossierId: string | null, query = '') => ((await (await get(`/admin/api/handoffs${query}`)).json()).handoffs as HandoffRow[]).filter((h) => h.dossierId === dossierId);
  const csvRow = async (dossierId: string, query = '') => {
    const [header, ...lines] = parseCsv((await (await get(`/admin/api/export.csv${query}`)).text()).replace(/^\uFEFF/, ''), ';').map((r) => r.fields.map(asRead));
    return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]]))).find((r) => r.Identifiant === dossierId);
  };

  it('two phones given, delivered by the outbox, a message added and the phone corrected in the chat, claimed from Teams: each in the handoff list and the CSV at the next read', async () => {
    const persona = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await persona.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins Partagés', 'W332001234', 'association loi 1901',
      'aucun salarié mais nous voulons embaucher notre premier salarié', '33130', 'Créer un premier poste de coordinateur', 'C’est correct']) await persona.say(text);
    // Two phones in a pasted signature: the mobile first, the other one « Autre téléphone ».
    await persona.say('Cordialement,\nCamille Roux\nTél. 05 56 00 00 00 / Port. 06 12 34 56 78');
    const dossierId = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId)))!._id;
    const [waiting] = await handoffsOf(dossierId, '?status=waiting');
    expect(waiting).toMatchObject({ status: 'open', delivery: 'pending', contact: { phone: '06 12 34 56 78', otherPhone: '05 56 00 00 00' } });

    // The outbox delivers it: « Transmis » at once.
    await fx.app.app.outbox.drain();
    expect(sink.accepted).toHaveLength(1);
    expect((await handoffsOf(dossierId))[0]).toMatchObject({ id: waiting.id, delivery: 'sent' });

    // Found by its other phone, in the handoffs as in the dossiers; the CSV has both numbers.
    expect((await handoffsOf(dossierId, '?q=05 56 00 00 00')).map((h) => h.id)).toEqual([waiting.id]);
    expect((await (await get('/admin/api/dossiers?q=0556000000')).json()).dossiers.map((d: { id: string }) => d.id)).toEqual([dossierId]);
    expect(await csvRow(dossierId)).toMatchObject({ 'Téléphone du contact': '06 12 34 56 78', 'Autre téléphone du contact': '05 56 00 00 00' });

    // The structure adds a message in the chat: on its row at once.
    expect(asRead(await persona.say('j’oubliais : nos 3 contrats aidés finissent en juin'))).toContain('nos 3 contrats aidés finissent en juin');
    await persona.say('oui');
    expect((await handoffsOf(dossierId))[0].messages.map((m) => m.text)).toEqual(['j’oubliais : nos 3 contrats aidés finissent en juin']);

    // It corrects its phone: the number to call at once.
    expect(asRead(await persona.say('je me suis trompé, mon numéro c’est le 06 99 88 77 66'))).toContain('06 99 88 77 66');
    expect((await handoffsOf(dossierId))[0].contact).toMatchObject({ phone: '06 99 88 77 66' });

    // « Je m’en occupe » on its Teams card claims it as the back-office does: « Prise en charge » in the list and the CSV.
    await fx.app.app.outbox.claim(waiting.id, 'claire@dla.test', 'Claire Martin');
    expect((await handoffsOf(dossierId))[0]).toMatchObject({ status: 'claimed', claimedByName: 'Claire Martin' });
    expect(await handoffsOf(dossierId, '?status=closed')).toEqual([]);
    expect(await csvRow(dossierId)).toMatchObject({ Transmission: 'Prise en charge', 'Prise en charge par': 'Claire Martin' });
  });

  it('a handoff stored without a dossier by an earlier version, or naming a dossier not stored, is listed too, and changes as the others', async () => {
    const loose = await fx.app.app.outbox.create({ reason: 'user_request', urgency: 'normal', consent: true, message: 'Rappelez-moi', contact: { phone: '05 57 00 00 00' }, transcript: { channelId: 'directline', conversationId: 'c-loose' } });
    expect((await handoffsOf(null)).map((h) => [h.id, h.status])).toEqual([[loose._id, 'open']]);
    await fx.app.app.outbox.close(loose._id, 'claire@dla.test', 'Claire Martin');
    expect((await handoffsOf(null, '?status=waiting'))).toEqual([]);
    expect((await handoffsOf(null, '?status=closed')).map((h) => h.id)).toEqual([loose._id]);
    // One naming a dossier that is not stored (damaged data): listed too.
    const orphan = await fx.app.app.outbox.create({ dossierId: 'd-not-stored', reason: 'user_request', urgency: 'normal', consent: true, contact: { phone: '05 57 11 11 11' }, transcript: { channelId: 'directline', conversationId: 'c-orphan' } });
    expect((await handoffsOf('d-not-stored')).map((h) => [h.id, h.status])).toEqual([[orphan._id, 'open']]);
  });
});
