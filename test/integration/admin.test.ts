import { createHash } from 'node:crypto';
import { asRead } from '../helpers/asRead';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryTranscriptStore } from 'botbuilder';
import { ADMIN_ROLES, AdminAuth, ensureAdmin, createUserToken, adminLoginUrl, BOOTSTRAP_ADMIN } from '../../src/admin/auth';
import { registerAdminRoutes, TranscriptReader } from '../../src/admin/routes';
import { parseCsv } from '../../src/channels/resourceImport';
import { csvCell, csvDigitsCell, DOSSIER_STATUSES, OUTCOMES, PHASES } from '../../src/admin/service';
import { HANDOFF_STATUSES } from '../../src/handoff/types';
import { CHECKIN_STATUSES } from '../../src/followup/checkins';
import { HANDOFF_REASONS } from '../../src/handoff/types';
import { loadConfig } from '../../src/config';
import { loadResources, translator } from '../../src/i18n';
import { PROJECT_ROOT } from '../../src/paths';
import { THEMES } from '../../src/domain/themes';
import { ELIGIBILITY_RULES } from '../../src/domain/eligibility';
import { listExisting } from '../../src/store/lookups';
import { themeSharesByYear } from '../../src/store/statistics';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

// botbuilder's own TranscriptStore fits the reader the back-office asks for (compile-time check).
const storeFits: TranscriptReader = new MemoryTranscriptStore();
void storeFits;

const fr = translator('fr');
const XSS = '<script>alert(1)</script><img src=x onerror="window.__xss=1">';
const START = new Date('2026-03-02T09:00:00Z');
const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };

/** A transcript store with pages of two activities, as botbuilder's stores page them. */
class FakeTranscripts implements TranscriptReader {
  calls: string[] = [];
  constructor(private readonly conversations: Record<string, unknown[]>) {}
  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string) {
    this.calls.push(`${channelId}|${conversationId}|${continuationToken ?? ''}`);
    if (conversationId === 'broken') throw new Error('transcript store down');
    const all = (this.conversations[`${channelId}|${conversationId}`] ?? []) as never[];
    const start = Number(continuationToken ?? 0);
    const items = all.slice(start, start + 2);
    return { items, continuationToken: start + 2 < all.length ? String(start + 2) : '' };
  }
}

const transcripts = new FakeTranscripts({
  'directline|conv-1': [
    { type: 'conversationUpdate', from: { id: 'u1', role: 'user' }, timestamp: '2026-01-10T09:00:00Z' },
    { type: 'message', text: 'Bonjour', from: { id: 'u1', role: 'user', name: 'Structure' }, timestamp: '2026-01-10T09:00:01Z' },
    { type: 'message', text: 'Bonjour et bienvenue !', from: { id: 'bot', role: 'bot' }, timestamp: '2026-01-10T09:00:02Z' },
    { type: 'message', text: XSS, from: { id: 'u1', role: 'user' }, timestamp: '2026-01-10T09:00:03Z' },
    { type: 'message', text: '', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'Organisation interne' }], actions: [{ type: 'Action.Submit', title: 'Valider' }] } }], from: { id: 'bot', role: 'bot' }, timestamp: '2026-01-10T09:00:04Z' },
    { type: 'message', value: { area: 'organisation', situation: 'Pas de fiches de poste', urgency: '3' }, from: { id: 'u1', role: 'user' }, timestamp: '2026-01-10T09:00:05Z' },
  ],
});

function dossier(id: string, fields: Record<string, unknown>) {
  return {
    _id: id, phase: 'accueil', status: 'in_progress', channelUsers: [], answers: {},
    consent: { given: true, at: new Date('2025-06-01'), retentionMonths: 36 },
    createdAt: new Date('2025-06-01T10:00:00Z'), updatedAt: new Date('2025-06-01T10:00:00Z'),
    ...fields,
  };
}

function handoff(id: string, fields: Record<string, unknown>) {
  return {
    _id: id, reason: 'user_request', urgency: 'normal', consent: true, status: 'open', deliveries: [],
    // A way to call back (without one, no call back is promised: « à recontacter : pas de coordonnées »).
    contact: { name: 'Sam', phone: '05 56 00 00 00' },
    transcript: { channelId: 'directline', conversationId: `none-${id}` },
    createdAt: new Date('2026-01-10T10:00:00Z'), updatedAt: new Date('2026-01-10T10:00:00Z'),
    ...fields,
  };
}

describe('back-office', () => {
  let db: TestDb;
  let app: RunningApp;
  let clock = START;
  const tokens: Record<string, string> = {};
  let auth: AdminAuth;
  let base: string;

  const call = (method: string, url: string, who?: string, body?: unknown) => fetch(`${base}${url}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const get = (url: string, who?: string) => call('GET', url, who);
  const ids = async (url: string, who: string) => {
    const res = await get(url, who);
    expect(res.status).toBe(200);
    return ((await res.json()).dossiers as { id: string }[]).map((d) => d.id).sort();
  };
  const register = (extra: Partial<Parameters<typeof registerAdminRoutes>[1]> = {}) => registerAdminRoutes(app.app.server, {
    connection: db.connection,
    config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV }),
    transcripts,
    handoffs: app.app.outbox,
    now: () => clock,
    ...extra,
  });

  beforeAll(async () => {
    db = await openTestDb('admin');
    app = await startTestApp(db.connection, ENV, { now: () => clock.getTime() });
    base = app.baseUrl;
    // Whether or not app.ts wires the back-office already, these dependencies are the ones used.
    register();
    await storedDossiers(db.connection).insertMany([
      dossier('d-gironde', {
        phase: 'diagnostic', status: 'submitted', departement: '33', siret: '73282932000074',
        answers: {
          name: 'Les Amis du Vélo', identifiers: { siret: '73282932000074' },
          legalForm: { result: { form: 'association' }, text: 'association loi 1901' },
          employees: { etp: 2.5, text: '2,5' }, location: { postalCode: '33000', departement: '33' },
          request: 'Consolider nos emplois', contact: { name: 'Camille Martin', email: 'camille@example.org' },
        },
        decision: {
          outcome: 'eligible', rulesVersion: '2026-11-26.1', decidedAt: new Date('2025-06-01T10:05:00Z'),
          reasons: [
            { code: 'legal_form_in_scope', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 1' },
            { code: 'employer', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 3' },
          ],
        },
        diagnostic: {
          answers: { activity: 'Atelier vélo solidaire', budget: { euros: 180000, text: '180 k€' }, finance_situation: 'Trésorerie tendue', finance_urgency: 4 },
          themes: ['projet_strategie', 'rh_emploi'], ranking: ['restructuration_eco_fin', 'projet_strategie'],
          version: 2, confirmedAt: new Date('2025-09-01'), year: 2025, primaryTheme: 'restructuration_eco_fin', startedAt: new Date('2025-08-01'),
        },
        updatedAt: new Date('2025-09-01T10:00:00Z'),
      }),
      dossier('d-dordogne', {
        phase: 'accueil', status: 'submitted', departement: '24',
        answers: {
          name: '=HYPERLINK("http://evil.example";"clic"); et "guillemets"', location: { postalCode: '24000', departement: '24' },
          identifiers: { unknown: true, text: 'en cours de création', rna: 'W332001234' },
          employees: { text: 'environ une poignée' },
        },
        decision: { outcome: 'to_confirm', rulesVersion: '2026-11-26.1', decidedAt: new Date('2025-07-01'), reasons: [{ code: 'legal_form_unknown', outcome: 'to_confirm', source: 'x' }] },
        updatedAt: new Date('2025-07-01T10:00:00Z'),
      }),
      dossier('d-paris', {
        phase: 'suivi', status: 'submitted', departement: '75', answers: { name: '-2+3', location: { postalCode: '75011', departement: '75' } },
        // Its head office is in Paris: told that another DLA (Paris's) can support it.
        decision: { outcome: 'out_of_scope', rulesVersion: '2026-11-26.1', decidedAt: new Date('2025-05-01'), reasons: [{ code: 'territory_other_dla', outcome: 'out_of_scope', source: 'x' }] },
        diagnostic: { answers: {}, themes: ['rh_emploi'], ranking: ['rh_emploi'], version: 1, confirmedAt: new Date('2026-01-05'), year: 2026, primaryTheme: 'rh_emploi' },
        followup: { answeredAt: new Date('2026-02-01') },
        updatedAt: new Date('2026-02-01T10:00:00Z'),
      }),
      dossier('d-nowhere', { answers: { name: '@SUM(A1:A9)' }, updatedAt: new Date('2025-04-01T10:00:00Z') }),
    ] as never[]);
    await storedHandoffs(db.connection).insertMany([
      handoff('h-gironde', {
        dossierId: 'd-gironde', departement: '33', structureName: 'Les Amis du Vélo', reason: 'diagnostic_confirmed', transcript: { channelId: 'directline', conversationId: 'conv-1' },
        contact: { name: 'Camille Martin', email: 'camille@example.org', phone: '06 12 34 56 78' },
      }),
      handoff('h-paris', { dossierId: 'd-paris', departement: '75', structureName: '-2+3', status: 'claimed', claimedBy: 'x@dla.test', claimedAt: new Date('2026-01-11') }),
      handoff('h-anonymous', { departement: '24', message: 'Je voudrais parler à quelqu’un', createdAt: new Date('2026-01-12T10:00:00Z') }),
      // No département of its own: the dossier's (24) decides who sees it.
      handoff('h-dordogne', { dossierId: 'd-dordogne', structureName: 'Dordogne', createdAt: new Date('2026-01-09T10:00:00Z') }),
    ] as never[]);
    // Stored as by an earlier version: listed by SIRET and by dossier as the upgrade at start does.
    await listExisting(db.connection);
    auth = new AdminAuth(db.connection, { now: () => clock, tokenTtlHours: 12 });
    await auth.upsertUser({ email: 'Admin@DLA.test', name: 'Alex Admin', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle Gironde', role: 'charge', departements: ['33'] });
    await auth.upsertUser({ email: 'partout@dla.test', name: 'Pat Partout', role: 'charge', departements: [] });
    tokens.admin = (await auth.createUserToken('admin@dla.test')).token;
    tokens.gironde = (await auth.createUserToken('gironde@dla.test')).token;
    tokens.partout = (await auth.createUserToken('partout@dla.test')).token;
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  afterEach(() => { clock = START; });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', undefined],
      ['a malformed token', 'Bearer not-a-token'],
      ['a well-formed unknown token', `Bearer ${'A'.repeat(43)}`],
      ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ])('answers 401 JSON to %s', async (_label, header) => {
      const res = await fetch(`${base}/admin/api/dossiers`, { headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(await res.json()).toEqual({ error: { code: 'Unauthorized', message: fr('admin.errors.unauthorized') } });
    });

    it('accepts a valid token, and refuses it once expired', async () => {
      expect((await get('/admin/api/me', 'gironde')).status).toBe(200);
      clock = new Date(START.getTime() + 12 * 3600 * 1000 + 1000);
      const res = await get('/admin/api/me', 'gironde');
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('Unauthorized');
    });

    it('says who is signed in (e-mails are stored lower case)', async () => {
      expect(await (await get('/admin/api/me', 'admin')).json()).toEqual({ email: 'admin@dla.test', name: 'Alex Admin', nameToSet: false, role: 'admin', departements: [] });
    });

    it('stores only the SHA-256 of the token, never the token', async () => {
      const hash = createHash('sha256').update(tokens.gironde).digest('hex');
      const doc = await db.connection.db!.collection('admin_sessions').findOne({ _id: hash as never });
      expect(doc).toMatchObject({ user: 'gironde@dla.test' });
      const stored = JSON.stringify([await db.connection.db!.collection('admin_sessions').find({}).toArray(), await db.connection.db!.collection('admin_users').find({}).toArray()]);
      expect(stored).not.toContain(tokens.gironde);
      expect(Buffer.from(tokens.gironde, 'base64url')).toHaveLength(32);
    });

    it('each device has its own session: signing out on one leaves the other signed in', async () => {
      const laptop = await createUserToken(db.connection, 'partout@dla.test', { now: () => clock });
      const phone = await createUserToken(db.connection, 'partout@dla.test', { now: () => clock });
      tokens.partout = laptop;
      expect((await get('/admin/api/me', 'partout')).status).toBe(200);
      expect((await call('POST', '/admin/api/logout', 'partout', {})).status).toBe(200);
      expect((await get('/admin/api/me', 'partout')).status).toBe(401);
      tokens.partout = phone;
      expect((await get('/admin/api/me', 'partout')).status).toBe(200);
    });

    it('signing out ends the session', async () => {
      await auth.upsertUser({ email: 'leaving@dla.test', name: 'Léa', role: 'charge', departements: ['33'] });
      tokens.leaving = (await auth.createUserToken('leaving@dla.test')).token;
      expect((await call('POST', '/admin/api/logout', 'leaving', {})).status).toBe(200);
      expect((await get('/admin/api/me', 'leaving')).status).toBe(401);
    });
  });

  describe('bootstrap administrator', () => {
    it('creates admin@localhost with a one-time token only when there is no administrator', async () => {
      const fresh = await openTestDb('admin_boot');
      try {
        const logged: string[] = [];
        const logger = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
        const first = await ensureAdmin(fresh.connection, logger);
        expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(logged.join('\n')).toContain(BOOTSTRAP_ADMIN);
        expect(logged.join('\n')).not.toContain(first!);
        const bootAuth = new AdminAuth(fresh.connection);
        expect(await bootAuth.get(BOOTSTRAP_ADMIN)).toMatchObject({ role: 'admin', departements: [] });
        // Never used: the next start gives a fresh link and the old one stops working.
        const second = await ensureAdmin(fresh.connection, logger);
        expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(second).not.toBe(first);
        expect(await bootAuth.signIn(first!)).toBeUndefined();
        const session = await bootAuth.signIn(second!);
        expect(await bootAuth.authenticate(`Bearer ${session!.token}`)).toMatchObject({ _id: BOOTSTRAP_ADMIN });
        // The link is a code, not a session: it works once.
        expect(await bootAuth.signIn(second!)).toBeUndefined();
        expect(await bootAuth.authenticate(`Bearer ${second}`)).toBeUndefined();
        // Used once: nothing more is printed at start-up.
        expect(await ensureAdmin(fresh.connection, logger)).toBeUndefined();
        expect(adminLoginUrl('http://localhost:3978/', second!)).toBe(`http://localhost:3978/admin/#code=${second}`);
      } finally {
        await fresh.close();
      }
    });

    it('does nothing when an administrator exists', async () => {
      expect(await ensureAdmin(db.connection, { info: () => undefined, warn: () => undefined })).toBeUndefined();
      expect(await auth.get(BOOTSTRAP_ADMIN)).toBeUndefined();
    });
  });

  describe('dossiers', () => {
    it('limits a chargé·e to their départements', async () => {
      // And the dossier without a département (no postal code): every chargé·e sees it.
      expect(await ids('/admin/api/dossiers', 'gironde')).toEqual(['d-gironde', 'd-nowhere']);
      expect(await ids('/admin/api/dossiers', 'admin')).toEqual(['d-dordogne', 'd-gironde', 'd-nowhere', 'd-paris']);
      expect(await ids('/admin/api/dossiers', 'partout')).toEqual(['d-dordogne', 'd-gironde', 'd-nowhere', 'd-paris']);
    });

    it('lists with the fields of the table, newest change first', async () => {
      const body = await (await get('/admin/api/dossiers', 'admin')).json();
      expect(body.dossiers.map((d: { id: string }) => d.id)).toEqual(['d-paris', 'd-gironde', 'd-dordogne', 'd-nowhere']);
      expect(body.dossiers[1]).toMatchObject({
        id: 'd-gironde', name: 'Les Amis du Vélo', departement: '33', phase: 'diagnostic', status: 'submitted',
        outcome: 'eligible', primaryTheme: 'restructuration_eco_fin', createdAt: '2025-06-01T10:00:00.000Z',
      });
      // What needs a chargé·e, at a glance: h-paris is claimed, h-gironde and h-dordogne wait to be taken up.
      expect(body.dossiers.map((d: { handoff: string | null }) => d.handoff)).toEqual(['claimed', 'open', 'open', null]);
      expect(body.truncated).toBe(false);
    });

    it.each([
      ['departement=24', ['d-dordogne']],
      ['departement=75', ['d-paris']],
      ['phase=suivi', ['d-paris']],
      ['status=in_progress', ['d-nowhere']],
      ['outcome=eligible', ['d-gironde']],
      ['outcome=to_confirm', ['d-dordogne']],
      // d-gironde needs rh_emploi too, but its primary theme (first axis) is restructuration_eco_fin.
      ['theme=rh_emploi', ['d-paris']],
      ['theme=restructuration_eco_fin', ['d-gironde']],
      ['theme=rh_emploi&departement=75', ['d-paris']],
      ['status=submitted&outcome=out_of_scope', ['d-paris']],
      ['phase=parcours', []],
    ])('filters with %s', async (qs, expected) => {
      expect(await ids(`/admin/api/dossiers?${qs}`, 'admin')).toEqual(expected);
    });

    it('finds a structure that calls by what it says on the phone: its name, its contact, a phone number, an e-mail, a SIRET, an RNA or a postal code — in the list and the CSV, with the filters', async () => {
      await storedDossiers(db.connection).insertOne(dossier('d-search', {
        departement: '33', answers: { name: 'Ressourcerie de l’Estuaire', contact: { name: 'Inès Dubreuil', phone: '+33 6 98 76 54 32' }, location: { postalCode: '33390', departement: '33' } },
      }) as never);
      try {
        const found = (q: string) => ids(`/admin/api/dossiers?${new URLSearchParams({ q })}`, 'admin');
        expect(await found('estuaire')).toEqual(['d-search']);
        expect(await found('l’ESTUAIRE')).toEqual(['d-search']);
        expect(await found('ines dubreuil')).toEqual(['d-search']);
        expect(await found('06 98 76 54 32')).toEqual(['d-search']);
        expect(await found('camille@example.org')).toEqual(['d-gironde']);
        expect(await found('732 829 320 00074')).toEqual(['d-gironde']);
        expect(await found('w332001234')).toEqual(['d-dordogne']);
        expect(await found('75011')).toEqual(['d-paris']);
        expect(await found('vélo 33000')).toEqual(['d-gironde']);
        expect(await found('vélo 24000')).toEqual([]);
        expect(await found('  ')).toHaveLength(5); // nothing to look for: every dossier
        expect(await ids('/admin/api/dossiers?q=amis&departement=24', 'admin')).toEqual([]);
        expect(await ids('/admin/api/dossiers?q=amis&departement=33', 'admin')).toEqual(['d-gironde']);
        const csv = (await (await get(`/admin/api/export.csv?q=${encodeURIComponent('06 98 76 54 32')}`, 'admin')).text()).split('\r\n').slice(1).filter(Boolean);
        expect(csv.map((l) => l.split(';')[0])).toEqual(['"d-search"']);
        const tooLong = await get(`/admin/api/dossiers?q=${'a'.repeat(101)}`, 'admin');
        expect(tooLong.status).toBe(400);
        expect((await tooLong.json()).error.message).toMatch(/^La recherche est trop longue\s:\s100 caractères au plus\.$/);
      } finally {
        await storedDossiers(db.connection).deleteOne({ _id: 'd-search' as never });
      }
    });

    it('filters on the « Thème principal » column: the first axis of a confirmed diagnostic, as the statistics count it, in the list and the CSV', async () => {
      // A diagnostic being prepared: themes of needs and a ranking, but nothing confirmed (the column shows « — »).
      await storedDossiers(db.connection).insertOne(dossier('d-draft', {
        departement: '33', answers: { name: 'Brouillon' },
        diagnostic: { answers: {}, themes: ['rh_emploi', 'projet_strategie'], ranking: ['rh_emploi'], version: 0, startedAt: new Date('2026-01-02') },
      }) as never);
      try {
        const body = await (await get('/admin/api/dossiers?theme=rh_emploi', 'admin')).json();
        expect(body.dossiers.map((d: { id: string; primaryTheme: string }) => [d.id, d.primaryTheme])).toEqual([['d-paris', 'rh_emploi']]);
        expect((await (await get('/admin/api/dossiers', 'admin')).json()).dossiers.find((d: { id: string }) => d.id === 'd-draft').primaryTheme).toBeNull();
        const csv = (await (await get('/admin/api/export.csv?theme=rh_emploi', 'admin')).text()).split('\r\n').slice(1).filter(Boolean);
        expect(csv.map((l) => l.split(';')[0])).toEqual(['"d-paris"']);
        // Each theme lists as many dossiers as the themes-by-year statistics count for it.
        const counted = (await themeSharesByYear(db.connection)).flatMap((y) => y.themes);
        for (const theme of THEMES) {
          const expected = counted.filter((x) => x.theme === theme).reduce((n, x) => n + x.count, 0);
          expect([theme, (await ids(`/admin/api/dossiers?theme=${theme}`, 'admin')).length]).toEqual([theme, expected]);
        }
      } finally {
        await storedDossiers(db.connection).deleteOne({ _id: 'd-draft' as never });
      }
    });

    it.each([
      ['phase=nope', 'phase'],
      ['theme=jardinage', 'theme'],
      ['outcome=maybe', 'outcome'],
      ['status=done', 'status'],
      ['phase=accueil&phase=suivi', 'phase'],
    ])('refuses %s with 400 naming the filter', async (qs, name) => {
      const res = await get(`/admin/api/dossiers?${qs}`, 'admin');
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining(name) });
    });

    it('takes the département filter as a code or a name, and says plainly when it knows neither', async () => {
      for (const value of ['33', 'Gironde', 'gironde', ' GIRONDE ']) expect(await ids(`/admin/api/dossiers?departement=${encodeURIComponent(value)}`, 'admin')).toEqual(['d-gironde']);
      expect(await ids('/admin/api/dossiers?departement=Dordogne', 'admin')).toEqual(['d-dordogne']);
      expect((await (await get('/admin/api/handoffs?departement=Dordogne', 'admin')).json()).handoffs.map((h: { id: string }) => h.id)).toEqual(['h-dordogne', 'h-anonymous']);
      for (const [url, value] of [['/admin/api/dossiers?departement=Girond', 'Girond'], ['/admin/api/dossiers?departement=99', '99'], ['/admin/api/handoffs?departement=Nulle%20part', 'Nulle part']]) {
        const res = await get(url, 'admin');
        expect(res.status).toBe(400);
        const message = asRead((await res.json()).error.message);
        expect(message).toBe(asRead(fr('admin.errors.unknownDepartement', { value })));
        expect(message).toMatch(/^Département inconnu : « .+ »\. Indiquez un code, par exemple 33/);
        expect(message).not.toContain('departement'); // the internal name of the filter
      }
      // A name outside the chargé·e's départements is refused as its code would be.
      expect((await get('/admin/api/dossiers?departement=Dordogne', 'gironde')).status).toBe(403);
    });

    it('reaches the dossiers without a département (« Département non renseigné »), which every chargé·e sees, in the list, the CSV and the handoffs', async () => {
      // One stored with an explicit null, one whose handoff has no département either, one handoff with no dossier.
      await storedDossiers(db.connection).insertOne(dossier('d-null', { departement: null, status: 'submitted', answers: { name: 'Sans code postal' } }) as never);
      await storedHandoffs(db.connection).insertMany([
        handoff('h-nowhere', { dossierId: 'd-nowhere', structureName: '@SUM(A1:A9)' }),
        handoff('h-nobody', { message: 'Rappelez-moi' }),
      ] as never[]);
      try {
        for (const who of ['gironde', 'partout', 'admin']) {
          expect([who, await ids('/admin/api/dossiers?departement=none', who)]).toEqual([who, ['d-nowhere', 'd-null']]);
        }
        // As the page offers it, in either language, however it was typed.
        for (const value of ['Département non renseigné', '  département NON renseigne ', 'No département given', 'NONE']) {
          expect([value, await ids(`/admin/api/dossiers?departement=${encodeURIComponent(value)}`, 'gironde')]).toEqual([value, ['d-nowhere', 'd-null']]);
        }
        expect(await ids('/admin/api/dossiers?departement=none&status=in_progress', 'gironde')).toEqual(['d-nowhere']);
        // Every dossier a chargé·e sees is reached by one of the département filters offered.
        const seen = await ids('/admin/api/dossiers', 'gironde');
        expect([...await ids('/admin/api/dossiers?departement=33', 'gironde'), ...await ids('/admin/api/dossiers?departement=none', 'gironde')].sort()).toEqual(seen);
        // The CSV applies it as the list does.
        const csv = await (await get('/admin/api/export.csv?departement=none', 'gironde')).text();
        expect(csv.slice(1).split('\r\n').slice(1).filter(Boolean).map((l) => l.split(';')[0]).sort()).toEqual(['"d-nowhere"', '"d-null"']);
        // Handoffs: those with no département of their own nor of their dossier.
        const handoffs = await (await get('/admin/api/handoffs?departement=none', 'gironde')).json();
        expect(handoffs.handoffs.map((h: { id: string }) => h.id).sort()).toEqual(['h-nobody', 'h-nowhere']);
        // The page's list of départements offers it, in the operator's language.
        const page = await (await get('/admin/')).text();
        expect(page).toContain('"noDepartement":"none"');
        expect(asRead(fr('admin.filters.departementNone'))).toBe('Département non renseigné');
        expect(asRead(fr('admin.filters.departementHint'))).toContain('« Département non renseigné »');
      } finally {
        await storedDossiers(db.connection).deleteOne({ _id: 'd-null' as never });
        await storedHandoffs(db.connection).deleteMany({ _id: { $in: ['h-nowhere', 'h-nobody'] } as never });
      }
    });

    it('403 when a chargé·e asks for another département, as a filter or a dossier', async () => {
      const list = await get('/admin/api/dossiers?departement=24', 'gironde');
      expect(list.status).toBe(403);
      expect((await list.json()).error.message).toBe(fr('admin.errors.forbiddenDepartement', { departement: '24' }));
      const one = await get('/admin/api/dossiers/d-dordogne', 'gironde');
      expect(one.status).toBe(403);
      expect(await one.json()).toEqual({ error: { code: 'Forbidden', message: fr('admin.errors.forbidden') } });
      // A dossier without a département is for every chargé·e (it would otherwise wait for an administrator).
      expect((await get('/admin/api/dossiers/d-nowhere', 'gironde')).status).toBe(200);
      expect((await get('/admin/api/dossiers/d-nowhere', 'partout')).status).toBe(200);
      expect((await get('/admin/api/dossiers/d-gironde', 'gironde')).status).toBe(200);
    });

    it('404 for an unknown dossier', async () => {
      const res = await get('/admin/api/dossiers/nope', 'admin');
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('NotFound');
    });

    it('lists the other dossiers of the same SIRET the user may see, and counts by département those they may not open', async () => {
      const dossiers = storedDossiers(db.connection);
      await dossiers.insertMany([
        dossier('d-velo-again', { departement: '33', siret: '73282932000074', answers: { name: 'Les Amis du Vélo' }, createdAt: new Date('2026-02-01T10:00:00Z') }),
        dossier('d-velo-elsewhere', { departement: '24', siret: '73282932000074', answers: { name: 'Amis du Vélo (antenne)' } }),
      ] as never[]);
      await listExisting(db.connection);
      try {
        const gironde = await (await get('/admin/api/dossiers/d-gironde', 'gironde')).json();
        expect(gironde.sameStructure.map((o: { id: string }) => o.id)).toEqual(['d-velo-again']); // not the Dordogne one
        // …but she learns it exists, and where (the structure was told its chargé·e would see both), nothing of its content.
        expect(gironde.sameStructureElsewhere).toEqual([{ departement: '24', departementName: 'Dordogne', count: 1 }]);
        expect(JSON.stringify(gironde)).not.toMatch(/d-velo-elsewhere|antenne/);
        expect(asRead(fr('admin.dossier.sameStructureElsewhere', { count: 1, place: 'Dordogne (24)' })))
          .toBe('1 autre dossier de cette structure est dans un département qui ne vous est pas attribué : Dordogne (24). Vous n’en voyez pas le contenu.');
        const seenByAdmin = (await (await get('/admin/api/dossiers/d-gironde', 'admin')).json()).sameStructure;
        expect(seenByAdmin.map((o: { id: string }) => o.id).sort()).toEqual(['d-velo-again', 'd-velo-elsewhere']);
        expect((await (await get('/admin/api/dossiers/d-gironde', 'admin')).json()).sameStructureElsewhere).toEqual([]);
        expect((await (await get('/admin/api/dossiers/d-dordogne', 'admin')).json()).sameStructure).toEqual([]);
      } finally {
        await dossiers.deleteMany({ _id: { $in: ['d-velo-again', 'd-velo-elsewhere'] } } as never);
      }
    });

    it('shows an identifier kept as the structure typed it, for the chargé·e to check', async () => {
      const d = await (await get('/admin/api/dossiers/d-dordogne', 'admin')).json();
      expect(d.answerFacts.map((f: { value: string }) => ({ ...f, value: asRead(f.value) }))).toEqual(expect.arrayContaining([
        { key: 'identifiers', label: 'SIRET / RNA', value: 'W332001234 / « en cours de création » (tel qu’écrit, à vérifier)' },
        { key: 'employees', label: 'Salarié·es', value: '« environ une poignée » (tel qu’écrit, à vérifier)' },
      ]));
    });

    it('shows answers, eligibility reasons in French, the diagnostic and its handoffs', async () => {
      const res = await get('/admin/api/dossiers/d-gironde', 'gironde');
      expect(res.status).toBe(200);
      const d = await res.json();
      expect(d.answers.name).toBe('Les Amis du Vélo');
      expect(d.answerFacts.map((f: { value: string }) => ({ ...f, value: asRead(f.value) }))).toEqual(expect.arrayContaining([
        { key: 'name', label: 'Structure', value: 'Les Amis du Vélo' },
        // Grouped as Sirene prints it, to read it out on the phone.
        { key: 'identifiers', label: 'SIRET / RNA', value: '732 829 320 00074' },
        { key: 'legalForm', label: 'Forme juridique', value: 'association' },
        { key: 'employees', label: 'Salarié·es', value: '2,5 ETP' },
        { key: 'location', label: 'Siège', value: '33000 — Gironde (33)' },
        { key: 'contact', label: 'Contact', value: 'Camille Martin · camille@example.org' },
      ]));
      // Written for the chargé·e, about the structure (« Sa forme juridique… »), not to it (« Votre… »).
      expect(d.eligibility).toMatchObject({ outcome: 'eligible', outcomeLabel: 'Éligible', outcomeText: fr('admin.eligibility.outcome.eligible'), rulesVersion: '2026-11-26.1' });
      expect(asRead(d.eligibility.outcomeText)).toMatch(/^D’après ses réponses, la structure peut être accompagnée/);
      expect(d.eligibility.reasons).toEqual([
        { code: 'legal_form_in_scope', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 1', text: fr('admin.eligibility.reason.legal_form_in_scope') },
        { code: 'employer', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 3', text: fr('admin.eligibility.reason.employer') },
      ]);
      expect(d.eligibility.reasons[0].text).toMatch(/^Sa forme juridique fait partie/);
      expect(d.eligibility.reasons[1].text).toMatch(/^La structure emploie/);
      expect(d.diagnostic).toMatchObject({ version: 2, primaryTheme: 'restructuration_eco_fin', answers: { activity: 'Atelier vélo solidaire' } });
      expect(d.diagnostic.ranking).toEqual([
        { rank: 1, theme: 'restructuration_eco_fin', label: 'Restructuration économique et financière' },
        { rank: 2, theme: 'projet_strategie', label: 'Projet et stratégie' },
      ]);
      expect(d.diagnostic.themes[1]).toEqual({ theme: 'rh_emploi', label: fr('themes.label.rh_emploi') });
      expect(d.diagnostic.facts).toEqual(expect.arrayContaining([
        { key: 'budget', label: 'Budget annuel', value: `${(180000).toLocaleString('fr-FR')} €` },
        { key: 'finance', label: 'Finances', value: 'Trésorerie tendue (urgence 4/4)' },
      ]));
      expect(d.handoffs.map((h: { id: string }) => h.id)).toEqual(['h-gironde']);
    });

    it('says what an out-of-territory structure was told: oriented to the DLA of its département, not « not what the DLA does »', async () => {
      const d = await (await get('/admin/api/dossiers/d-paris', 'admin')).json();
      expect(asRead(d.eligibility.outcomeText)).toBe('Hors territoire : orientée vers le DLA de Paris (75). On lui a dit que ce n’est pas un refus.');
      expect(asRead(d.eligibility.reasons[0].text)).toMatch(/^Son siège est hors du territoire de ce DLA/);
    });

    it('has a text for the chargé·es, in French and English, for every eligibility rule, none addressing the structure', () => {
      for (const lng of ['fr', 'en'] as const) {
        const admin = (loadResources()[lng].translation as { admin: { eligibility: { reason: Record<string, string> } } }).admin;
        expect(ELIGIBILITY_RULES.map((r) => r.code).filter((code) => !admin.eligibility.reason[code])).toEqual([]);
      }
      const texts = ELIGIBILITY_RULES.map((r) => fr(`admin.eligibility.reason.${r.code}`));
      expect(texts.filter((x) => /\b(vous|votre|vos)\b/i.test(x))).toEqual([]);
    });

    it('returns the transcript as plain text data, paged from the transcript store', async () => {
      transcripts.calls = [];
      const res = await get('/admin/api/dossiers/d-gironde', 'admin');
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const raw = await res.text();
      const d = JSON.parse(raw);
      expect(d.transcripts).toHaveLength(1);
      const [tr] = d.transcripts;
      expect(tr).toMatchObject({ channelId: 'directline', conversationId: 'conv-1', available: true, truncated: false });
      expect(tr.activities).toEqual([
        { role: 'user', name: 'Structure', text: 'Bonjour', timestamp: '2026-01-10T09:00:01.000Z', cards: [], answer: '' },
        { role: 'bot', name: null, text: 'Bonjour et bienvenue !', timestamp: '2026-01-10T09:00:02.000Z', cards: [], answer: '' },
        { role: 'user', name: null, text: XSS, timestamp: '2026-01-10T09:00:03.000Z', cards: [], answer: '' },
        // A card and its answer: what the card said, and what the structure submitted.
        { role: 'bot', name: null, text: '', timestamp: '2026-01-10T09:00:04.000Z', cards: ['Organisation interne\nValider'], answer: '' },
        { role: 'user', name: null, text: '', timestamp: '2026-01-10T09:00:05.000Z', cards: [], answer: 'Pas de fiches de poste (urgence 3/4)' },
      ]);
      // Every page was read (three pages of two), and the text was neither escaped nor stripped.
      expect(transcripts.calls).toEqual(['directline|conv-1|', 'directline|conv-1|2', 'directline|conv-1|4']);
      expect(raw).toContain(JSON.stringify(XSS).slice(1, -1));
    });

    it('says so when a transcript cannot be read, or when no transcript store is wired', async () => {
      await storedHandoffs(db.connection).updateOne({ _id: 'h-paris' as never }, { $set: { transcript: { channelId: 'msteams', conversationId: 'broken' } } });
      const broken = await (await get('/admin/api/dossiers/d-paris', 'admin')).json();
      expect(broken.transcripts).toEqual([{ channelId: 'msteams', conversationId: 'broken', available: false, truncated: false, activities: [] }]);
      register({ transcripts: undefined });
      try {
        const none = await (await get('/admin/api/dossiers/d-gironde', 'admin')).json();
        expect(none.transcripts[0]).toMatchObject({ available: false, activities: [] });
      } finally {
        register();
      }
    });
  });

  describe('handoffs', () => {
    const handoffIds = async (url: string, who: string) => {
      const res = await get(url, who);
      expect(res.status).toBe(200);
      return ((await res.json()).handoffs as { id: string }[]).map((h) => h.id);
    };

    it('lists the handoffs of the user’s départements, the first to call back first, with filters', async () => {
      // Called back by Friday 16 January (made on the 9th and 10th), then by Monday 19 (made on the 12th): all
      // late now, before the one from Paris, outside the territory, which nobody is to call back (never late).
      expect(await handoffIds('/admin/api/handoffs', 'admin')).toEqual(['h-dordogne', 'h-gironde', 'h-anonymous', 'h-paris']);
      expect(await handoffIds('/admin/api/handoffs', 'gironde')).toEqual(['h-gironde']);
      expect(await handoffIds('/admin/api/handoffs?departement=24', 'admin')).toEqual(['h-dordogne', 'h-anonymous']);
      expect(await handoffIds('/admin/api/handoffs?status=claimed', 'admin')).toEqual(['h-paris']);
      const dordogne = (await (await get('/admin/api/handoffs?departement=24', 'admin')).json()).handoffs[0];
      expect(dordogne).toMatchObject({ id: 'h-dordogne', departement: '24', dossierId: 'd-dordogne', status: 'open', elsewhere: false });
      // From Paris, outside the territory: to orient, with no call back promised — never « en retard ».
      const paris = (await (await get('/admin/api/handoffs?status=claimed', 'admin')).json()).handoffs[0];
      expect(paris).toMatchObject({ id: 'h-paris', elsewhere: true, callBackDue: null });
      // Once a decision was recorded after the call, nobody is late for that call any more.
      expect((await (await get('/admin/api/handoffs?departement=33', 'gironde')).json()).handoffs[0]).toMatchObject({ id: 'h-gironde', callBackDue: 'overdue', decidedAt: null });
      const dossiers = storedDossiers(db.connection);
      await dossiers.updateOne({ _id: 'd-gironde' as never }, { $set: { chargeDecision: { outcome: 'eligible', by: 'Léa', byEmail: 'gironde@dla.test', at: new Date('2026-02-01T10:00:00Z') } } });
      try {
        expect((await (await get('/admin/api/handoffs?departement=33', 'gironde')).json()).handoffs[0]).toMatchObject({ id: 'h-gironde', callBackDue: null, decidedAt: '2026-02-01T10:00:00.000Z' });
      } finally {
        await dossiers.updateOne({ _id: 'd-gironde' as never }, { $unset: { chargeDecision: '' } });
      }
      expect((await get('/admin/api/handoffs?departement=24', 'gironde')).status).toBe(403);
      expect((await get('/admin/api/handoffs?status=lost', 'admin')).status).toBe(400);
    });

    it('finds the handoff of a structure calling by its name, its contact, its phone or its e-mail (« Rechercher »), within the user’s départements and the filters', async () => {
      const found = (qs: string, who: string) => handoffIds(`/admin/api/handoffs?${qs}`, who);
      expect(await found(`q=${encodeURIComponent('06.12.34.56.78')}`, 'admin')).toEqual(['h-gironde']);
      expect(await found(`q=${encodeURIComponent('amis du velo')}`, 'admin')).toEqual(['h-gironde']);
      expect(await found('q=camille', 'gironde')).toEqual(['h-gironde']);
      expect(await found('q=CAMILLE%40example.org', 'admin')).toEqual(['h-gironde']);
      expect(await found('q=guillemets', 'admin')).toEqual(['h-dordogne']); // the name shown: its dossier's
      expect(await found('q=guillemets', 'gironde')).toEqual([]); // not in their départements
      expect(await found('q=camille&status=closed', 'admin')).toEqual([]);
      expect(await found('q=%20', 'admin')).toEqual(['h-dordogne', 'h-gironde', 'h-anonymous', 'h-paris']);
      expect((await get(`/admin/api/handoffs?q=${'6'.repeat(101)}`, 'admin')).status).toBe(400);
    });

    it('names a handoff made before the structure gave its name by its dossier’s name, once given (never « sans nom » then)', async () => {
      await storedDossiers(db.connection).insertOne(dossier('d-horizons', { departement: '33', answers: { contact: { name: 'Inès', phone: '06 12 34 56 78' } } }) as never);
      await storedHandoffs(db.connection).insertOne(handoff('h-horizons', { dossierId: 'd-horizons', departement: '33' }) as never);
      try {
        const named = async () => ((await (await get('/admin/api/handoffs?status=waiting', 'gironde')).json()).handoffs as { id: string; structureName: string | null }[])
          .find((h) => h.id === 'h-horizons')!.structureName;
        expect(await named()).toBeNull();
        await storedDossiers(db.connection).updateOne({ _id: 'd-horizons' as never }, { $set: { 'answers.name': 'Asso Horizons' } });
        expect(await named()).toBe('Asso Horizons');
      } finally {
        await storedDossiers(db.connection).deleteOne({ _id: 'd-horizons' as never });
        await storedHandoffs(db.connection).deleteOne({ _id: 'h-horizons' as never });
      }
    });

    it('shows who to call today: waiting handoffs (open or claimed) by call-back day, overdue or due today marked, closed ones last', async () => {
      const handoffs = storedHandoffs(db.connection);
      await handoffs.insertMany([
        // Made Monday 2 March 2026 (the clock's day) and the Monday before: called back by 9 March, and today.
        handoff('h-new', { departement: '33', structureName: 'Nouvelle', createdAt: new Date('2026-03-02T08:00:00Z') }),
        handoff('h-today', { departement: '33', structureName: 'Aujourd’hui', status: 'claimed', claimedBy: 'gironde@dla.test', createdAt: new Date('2026-02-23T08:00:00Z') }),
        handoff('h-done', { departement: '33', structureName: 'Faite', status: 'closed', createdAt: new Date('2026-02-27T08:00:00Z') }),
      ] as never[]);
      try {
        const list = async (q: string) => ((await (await get(`/admin/api/handoffs${q}`, 'gironde')).json()).handoffs as { id: string; callBackDue: string | null }[])
          .map((x) => [x.id, x.callBackDue]);
        expect(await list('?status=waiting')).toEqual([['h-gironde', 'overdue'], ['h-today', 'today'], ['h-new', null]]);
        expect(await list('')).toEqual([['h-gironde', 'overdue'], ['h-today', 'today'], ['h-new', null], ['h-done', null]]);
        expect(asRead(fr('admin.handoffs.callBackBy', { date: '2 mars 2026' }))).toBe('à rappeler au plus tard le 2 mars 2026');
      } finally {
        await handoffs.deleteMany({ _id: { $in: ['h-new', 'h-today', 'h-done'] } } as never);
      }
    });

    it('an urgent request still to call (« on va devoir licencier ») comes right after those late or due today, before the others whatever their day', async () => {
      const handoffs = storedHandoffs(db.connection);
      await handoffs.insertMany([
        // Friday 27 February: called back by Friday 6 March. Then two made today, Monday 2 March: by 9 March.
        handoff('h-friday', { departement: '33', structureName: 'Vendredi', createdAt: new Date('2026-02-27T08:00:00Z') }),
        handoff('h-new', { departement: '33', structureName: 'Nouvelle', createdAt: new Date('2026-03-02T08:00:00Z') }),
        handoff('h-urgent', { departement: '33', structureName: 'Aide à domicile', urgency: 'high', message: 'on va devoir licencier deux salariés', createdAt: new Date('2026-03-02T08:05:00Z') }),
      ] as never[]);
      try {
        const list = async () => ((await (await get('/admin/api/handoffs?status=waiting', 'gironde')).json()).handoffs as { id: string; urgency: string; callBackDue: string | null }[])
          .map((x) => [x.id, x.urgency, x.callBackDue]);
        expect(await list()).toEqual([['h-gironde', 'normal', 'overdue'], ['h-urgent', 'high', null], ['h-friday', 'normal', null], ['h-new', 'normal', null]]);
        // Once the call is made (a decision recorded after it), it waits only to be closed: back among the others.
        await storedDossiers(db.connection).insertOne(dossier('d-urgent', {
          departement: '33', chargeDecision: { outcome: 'eligible', by: 'Léa', byEmail: 'gironde@dla.test', at: new Date('2026-03-02T09:00:00Z') },
        }) as never);
        await handoffs.updateOne({ _id: 'h-urgent' as never }, { $set: { dossierId: 'd-urgent' } });
        expect((await list()).map(([id]) => id)).toEqual(['h-gironde', 'h-friday', 'h-new', 'h-urgent']);
      } finally {
        await handoffs.deleteMany({ _id: { $in: ['h-friday', 'h-new', 'h-urgent'] } } as never);
        await storedDossiers(db.connection).deleteOne({ _id: 'd-urgent' as never });
      }
    });

    it('a request passed on without an e-mail nor a phone: no call-back day, never « en retard », after those to call; a contact added to its dossier brings the day back', async () => {
      const handoffs = storedHandoffs(db.connection);
      const dossiers = storedDossiers(db.connection);
      await handoffs.insertMany([
        // Made in January, long past any call-back day — but nobody can call.
        handoff('h-nobody', { dossierId: 'd-nobody', departement: '33', structureName: 'Sans Contact', contact: { name: 'Sophie' }, createdAt: new Date('2026-01-05T08:00:00Z') }),
        handoff('h-new', { departement: '33', structureName: 'Nouvelle', createdAt: new Date('2026-03-02T08:00:00Z') }),
      ] as never[]);
      await dossiers.insertOne({ _id: 'd-nobody', departement: '33', answers: { name: 'Sans Contact', contact: { name: 'Sophie' } } } as never);
      await listExisting(db.connection);
      try {
        const list = async () => ((await (await get('/admin/api/handoffs?status=waiting', 'gironde')).json()).handoffs as { id: string; callBackBy: string | null; callBackDue: string | null; unreachable: boolean }[])
          .map((x) => [x.id, x.callBackBy, x.callBackDue, x.unreachable]);
        expect(await list()).toEqual([['h-gironde', '2026-01-16', 'overdue', false], ['h-new', '2026-03-09', null, false], ['h-nobody', null, null, true]]);
        expect(asRead(fr('admin.handoffs.unreachable'))).toBe('à recontacter : pas de coordonnées');
        // The structure left a phone on its dossier since: the normal promise applies (counted from the request).
        await dossiers.updateOne({ _id: 'd-nobody' as never }, { $set: { 'answers.contact': { name: 'Sophie', phone: '06 12 34 56 78' } } });
        expect(await list()).toEqual([['h-nobody', '2026-01-12', 'overdue', false], ['h-gironde', '2026-01-16', 'overdue', false], ['h-new', '2026-03-09', null, false]]);
        const [shown] = (await (await get('/admin/api/handoffs?status=waiting', 'gironde')).json()).handoffs;
        expect(shown.contact).toEqual({ name: 'Sophie', phone: '06 12 34 56 78' });
        // The dossier page and a claim's answer say the same as the list.
        const page = await (await get('/admin/api/dossiers/d-nobody', 'gironde')).json();
        expect(page.handoffs.map((h: { id: string; callBackBy: string | null; unreachable: boolean }) => [h.id, h.callBackBy, h.unreachable])).toEqual([['h-nobody', '2026-01-12', false]]);
        const claimed = await call('POST', '/admin/api/handoffs/h-nobody/claim', 'gironde', {});
        expect((await claimed.json()).handoff).toMatchObject({ id: 'h-nobody', status: 'claimed', callBackBy: '2026-01-12', unreachable: false });
      } finally {
        await handoffs.deleteMany({ _id: { $in: ['h-nobody', 'h-new'] } } as never);
        await dossiers.deleteOne({ _id: 'd-nobody' as never });
      }
    });

    it('says whom to call back, and by when: CONTACT_DELAY_WORKING_DAYS working days after the handoff', async () => {
      const [gironde] = (await (await get('/admin/api/handoffs', 'gironde')).json()).handoffs;
      // Made on Saturday 10 January 2026: five working days are Monday 12 to Friday 16.
      expect(gironde).toMatchObject({ id: 'h-gironde', contact: { name: 'Camille Martin', email: 'camille@example.org', phone: '06 12 34 56 78' }, callBackBy: '2026-01-16' });
      // Public holidays do not count either (1 and 8 May 2026 are Fridays).
      await storedHandoffs(db.connection).insertOne(handoff('h-may', { departement: '33', createdAt: new Date('2026-04-30T15:00:00Z') }) as never);
      try {
        const may = (await (await get('/admin/api/handoffs', 'gironde')).json()).handoffs.find((h: { id: string }) => h.id === 'h-may');
        expect(may.callBackBy).toBe('2026-05-11');
      } finally {
        await storedHandoffs(db.connection).deleteOne({ _id: 'h-may' as never });
      }
    });

    it('claims then closes, once each, and only within the user’s départements', async () => {
      const claim = await call('POST', '/admin/api/handoffs/h-gironde/claim', 'gironde', {});
      expect(claim.status).toBe(200);
      expect((await claim.json()).handoff).toMatchObject({ id: 'h-gironde', status: 'claimed', claimedBy: 'gironde@dla.test', claimedAt: START.toISOString() });
      const again = await call('POST', '/admin/api/handoffs/h-gironde/claim', 'admin', {});
      expect(again.status).toBe(409);
      expect(asRead((await again.json()).error.message)).toBe('Impossible : cette transmission est déjà prise en charge (Gaëlle Gironde).');
      // Someone else closes it: the handoff says who, and so does a late second close.
      const close = await call('POST', '/admin/api/handoffs/h-gironde/close', 'admin', {});
      expect(close.status).toBe(200);
      expect((await close.json()).handoff).toMatchObject({ status: 'closed', claimedBy: 'gironde@dla.test', closedBy: 'admin@dla.test', closedAt: START.toISOString() });
      const late = await call('POST', '/admin/api/handoffs/h-gironde/close', 'gironde', {});
      expect(late.status).toBe(409);
      expect(asRead((await late.json()).error.message)).toBe('Impossible : cette transmission est déjà close (Alex Admin).');
      const stored = await db.connection.db!.collection('handoffs').findOne({ _id: 'h-gironde' as never });
      expect(stored).toMatchObject({ status: 'closed', claimedBy: 'gironde@dla.test', closedBy: 'admin@dla.test' });
      const listed = (await (await get('/admin/api/handoffs', 'gironde')).json()).handoffs[0];
      expect(listed).toMatchObject({ id: 'h-gironde', closedBy: 'admin@dla.test' });
      const onDossier = (await (await get('/admin/api/dossiers/d-gironde', 'gironde')).json()).handoffs[0];
      expect(onDossier).toMatchObject({ id: 'h-gironde', closedBy: 'admin@dla.test', closedByName: 'Alex Admin', claimedByName: 'Gaëlle Gironde' });
      // Closed by mistake: reopened within the user's départements, then taken up again.
      expect((await call('POST', '/admin/api/handoffs/h-paris/reopen', 'gironde', {})).status).toBe(403);
      const reopened = await call('POST', '/admin/api/handoffs/h-gironde/reopen', 'gironde', {});
      expect(reopened.status).toBe(200);
      // Who reopened it is recorded, like who claimed and closed it.
      expect((await reopened.json()).handoff).toMatchObject({
        status: 'open', claimedBy: null, closedBy: null, closedAt: null,
        reopenedBy: 'gironde@dla.test', reopenedByName: 'Gaëlle Gironde', reopenedAt: START.toISOString(), reopenedFrom: 'closed',
      });
      expect(await db.connection.db!.collection('handoffs').findOne({ _id: 'h-gironde' as never })).toMatchObject({ reopenedBy: 'gironde@dla.test', reopenedByName: 'Gaëlle Gironde', reopenedFrom: 'closed' });
      expect((await call('POST', '/admin/api/handoffs/h-gironde/reopen', 'gironde', {})).status).toBe(409); // open already
      expect((await call('POST', '/admin/api/handoffs/h-gironde/close', 'gironde', {})).status).toBe(200);

      expect((await call('POST', '/admin/api/handoffs/h-anonymous/claim', 'gironde', {})).status).toBe(403);
      expect((await call('POST', '/admin/api/handoffs/h-dordogne/claim', 'gironde', {})).status).toBe(403);
      expect((await call('POST', '/admin/api/handoffs/nope/claim', 'admin', {})).status).toBe(404);
      expect((await call('POST', '/admin/api/handoffs/h-anonymous/claim', undefined, {})).status).toBe(401);
      expect(await db.connection.db!.collection('handoffs').findOne({ _id: 'h-anonymous' as never })).toMatchObject({ status: 'open' });
    });

    it('names the structure that withdrew its request in the operator’s language, a handoff withdrawn before (its French name stored) too: the handoff list, the dossier’s page, the CSV', async () => {
      const at = new Date('2026-01-12T10:00:00Z');
      const withdrawn = { departement: '33', status: 'closed', claimedBy: 'structure', claimedAt: at, closedBy: 'structure', closedAt: at };
      const frenchName = 'la structure (demande retirée)';
      await storedDossiers(db.connection).insertMany([dossier('d-withdrawn', { departement: '33', answers: { name: 'Atelier Retiré' } }), dossier('d-withdrawn-old', { departement: '33', answers: { name: 'Atelier Ancien' } })] as never[]);
      await storedHandoffs(db.connection).insertMany([
        handoff('h-withdrawn', { dossierId: 'd-withdrawn', ...withdrawn }),
        handoff('h-withdrawn-old', { dossierId: 'd-withdrawn-old', ...withdrawn, claimedByName: frenchName, closedByName: frenchName }),
      ] as never[]);
      const seen = async () => {
        const listed = (await (await get('/admin/api/handoffs?status=closed', 'gironde')).json()).handoffs as { id: string; closedByName: string; claimedByName: string }[];
        const onPage = (await (await get('/admin/api/dossiers/d-withdrawn', 'gironde')).json()).handoffs[0];
        const csv = (await (await get('/admin/api/export.csv', 'gironde')).text()).split('\r\n').filter((l) => /^"d-withdrawn/.test(l)).sort();
        return { listed: listed.filter((h) => h.id.startsWith('h-withdrawn')).map((h) => [h.id, h.closedByName, h.claimedByName]).sort(), onPage: onPage.closedByName, csv };
      };
      try {
        const french = await seen();
        expect(french.listed).toEqual([['h-withdrawn', frenchName, frenchName], ['h-withdrawn-old', frenchName, frenchName]]);
        expect(french.onPage).toBe(frenchName);
        for (const line of french.csv) expect(line).toContain(`;"${frenchName}";`);
        register({ config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV, DEFAULT_LOCALE: 'en' }) });
        const english = await seen();
        const name = 'the organisation (request withdrawn)';
        expect(english.listed).toEqual([['h-withdrawn', name, name], ['h-withdrawn-old', name, name]]);
        expect(english.onPage).toBe(name);
        expect(english.csv).toHaveLength(2);
        for (const line of english.csv) expect([line.includes(`;"${name}";`), line.includes('retirée')]).toEqual([true, false]);
      } finally {
        register();
        await storedHandoffs(db.connection).deleteMany({ _id: { $in: ['h-withdrawn', 'h-withdrawn-old'] } as never });
        await storedDossiers(db.connection).deleteMany({ _id: { $in: ['d-withdrawn', 'd-withdrawn-old'] } as never });
      }
    });

    it('shows how each handoff reached the chargé·es, and « Réessayer l’envoi » puts a failed delivery back in the queue, once, within the user’s départements', async () => {
      const handoffs = storedHandoffs(db.connection);
      const failed = (notifier: string, lastError: string) => ({ notifier, status: 'failed', attempts: 5, nextAttemptAt: new Date('2026-03-01T08:00:00Z'), lastError });
      await handoffs.insertMany([
        handoff('h-lost', {
          departement: '33', structureName: 'Perdue', createdAt: new Date('2026-03-02T08:00:00Z'),
          deliveries: [
            { notifier: 'email', status: 'sent', attempts: 1, nextAttemptAt: new Date('2026-03-02T08:00:00Z'), sentAt: new Date('2026-03-02T08:00:05Z') },
            failed('webhook', 'webhook answered HTTP 500 Internal Server Error\n    at send (/app/dist/webhook.js:1:1)'),
            { notifier: 'teams', status: 'pending', attempts: 2, nextAttemptAt: new Date('2026-03-02T09:01:00Z'), lastError: 'Teams connector refused the card: POST https://smba.trafficmanager.net/fr/v3/conversations/19%3Asecret/activities?sig=abc HTTP 502' },
          ],
        }),
        handoff('h-lost-24', { departement: '24', structureName: 'Perdue ailleurs', deliveries: [failed('email', 'no e-mail recipient for département 24')] }),
        handoff('h-quiet', { departement: '33', structureName: 'Sans canal', createdAt: new Date('2026-03-02T08:30:00Z') }),
      ] as never[]);
      const shown = async (id: string) => (await (await get('/admin/api/handoffs', 'admin')).json()).handoffs.find((h: { id: string }) => h.id === id);
      try {
        // The list says it did not reach everyone, per notifier, with a short reason and no secret.
        expect(await shown('h-lost')).toMatchObject({
          delivery: 'failed',
          deliveries: [
            { notifier: 'email', event: 'created', status: 'sent', attempts: 1, sentAt: '2026-03-02T08:00:05.000Z', nextAttemptAt: null, reason: null },
            // In the operator's language, the raw detail after it; a delivery still tried: its last failure.
            { notifier: 'webhook', status: 'failed', attempts: 5, nextAttemptAt: null, reason: 'le destinataire a répondu par une erreur HTTP 500 (webhook answered HTTP 500 Internal Server Error)', lastFailure: null },
            { notifier: 'teams', status: 'pending', attempts: 2, nextAttemptAt: '2026-03-02T09:01:00.000Z', reason: null,
              lastFailure: 'le destinataire a répondu par une erreur HTTP 502 (Teams connector refused the card: POST https://smba.trafficmanager.net HTTP 502)' },
          ],
        });
        expect((await shown('h-quiet')).delivery).toBe('none');

        expect((await call('POST', '/admin/api/handoffs/h-lost-24/retry', 'gironde', {})).status).toBe(403);
        expect((await call('POST', '/admin/api/handoffs/nope/retry', 'gironde', {})).status).toBe(404);
        expect((await call('POST', '/admin/api/handoffs/h-lost/retry', undefined, {})).status).toBe(401);
        // Another instance is sending it right now (it holds the handoff's lease): try again in a moment.
        const leases = db.connection.db!.collection('handoff_leases');
        await leases.insertOne({ _id: 'h-lost#0#0' as never, generation: 0, instance: 'other', expiresAt: new Date(clock.getTime() + 60_000), createdAt: clock });
        const busy = await call('POST', '/admin/api/handoffs/h-lost/retry', 'gironde', {});
        expect([busy.status, asRead((await busy.json()).error.message)]).toEqual([409, 'Cette transmission est en cours d’envoi : réessayez dans un instant.']);

        // That instance died: once its lease has expired, the retry goes through.
        clock = new Date(START.getTime() + 60_000);
        const retried = await call('POST', '/admin/api/handoffs/h-lost/retry', 'gironde', {});
        expect(retried.status).toBe(200);
        expect((await retried.json()).handoff).toMatchObject({
          id: 'h-lost', delivery: 'pending',
          // Re-queued: no reason for a failure any more, the last one said as such.
          deliveries: [{ status: 'sent' }, { notifier: 'webhook', status: 'pending', attempts: 0, nextAttemptAt: clock.toISOString(), reason: null, lastFailure: expect.stringContaining('HTTP 500') },
            { notifier: 'teams', status: 'pending', attempts: 2 }],
        });
        expect((await handoffs.findOne({ _id: 'h-lost' as never }))!.nextDeliveryAt).toEqual(clock);
        const again = await call('POST', '/admin/api/handoffs/h-lost/retry', 'gironde', {});
        expect([again.status, asRead((await again.json()).error.message)]).toEqual([409, 'Rien à renvoyer : aucun envoi de cette transmission n’est en échec.']);
        expect((await call('POST', '/admin/api/handoffs/h-quiet/retry', 'gironde', {})).status).toBe(409);
        // Closed (dealt with): not sent to the chargé·es again.
        await handoffs.insertOne(handoff('h-done', { departement: '33', structureName: 'Traitée', status: 'closed', closedAt: clock, deliveries: [failed('webhook', 'webhook answered HTTP 500')] }) as never);
        const closed = await call('POST', '/admin/api/handoffs/h-done/retry', 'gironde', {});
        expect([closed.status, asRead((await closed.json()).error.message)]).toEqual([409, 'Cette transmission est close : son envoi n’est plus relancé. Rouvrez-la d’abord pour la renvoyer aux chargé·es.']);
        expect((await handoffs.findOne({ _id: 'h-done' as never }))!.deliveries[0]).toMatchObject({ status: 'failed', attempts: 5 });
      } finally {
        clock = START;
        await handoffs.deleteMany({ _id: { $in: ['h-lost', 'h-lost-24', 'h-quiet', 'h-done'] } } as never);
      }
    });

    // src/app.ts passes its HandoffOutbox; its errors (HandoffStateError) become 404/409.
    it('claims and closes through the app’s own outbox, refusing what its transitions refuse', async () => {
      const claim = await call('POST', '/admin/api/handoffs/h-anonymous/claim', 'admin', {});
      expect(claim.status).toBe(200);
      expect((await claim.json()).handoff).toMatchObject({ id: 'h-anonymous', status: 'claimed', claimedBy: 'admin@dla.test' });
      const again = await call('POST', '/admin/api/handoffs/h-anonymous/claim', 'admin', {});
      expect(again.status).toBe(409);
      expect((await again.json()).error.message).toContain('prise en charge (Alex Admin)');
      expect((await call('POST', '/admin/api/handoffs/h-anonymous/close', 'admin', {})).status).toBe(200);
      expect((await call('POST', '/admin/api/handoffs/h-anonymous/close', 'admin', {})).status).toBe(409);
      expect((await call('POST', '/admin/api/handoffs/nope/close', 'admin', {})).status).toBe(404);
      expect(await db.connection.db!.collection('handoffs').findOne({ _id: 'h-anonymous' as never })).toMatchObject({ status: 'closed' });
      const listed = (await (await get('/admin/api/handoffs?status=closed', 'admin')).json()).handoffs.map((h: { id: string }) => h.id);
      expect(listed).toContain('h-anonymous');
    });
  });

  describe('parcours', () => {
    it.each([
      ['no parcours', {}, 'parcoursRequired'],
      ['an empty parcours', { parcours: '   ' }, 'parcoursRequired'],
      ['a parcours that is not text', { parcours: 42 }, 'parcoursRequired'],
      ['a parcours too long', { parcours: 'x'.repeat(10001) }, 'parcoursTooLong'],
      ['a date that is not ISO', { parcours: 'Plan', miseEnOeuvreEndedAt: '12/01/2026' }, 'badEndDate'],
      ['an end date that does not exist', { parcours: 'Plan', miseEnOeuvreStartedAt: '2026-02-01', miseEnOeuvreEndedAt: '2026-02-30' }, 'badEndDate'],
      ['a start date that does not exist', { parcours: 'Plan', miseEnOeuvreStartedAt: '2026-02-30' }, 'badStartDate'],
      ['a date that is not text', { parcours: 'Plan', miseEnOeuvreEndedAt: 20260101 }, 'badEndDate'],
      // Neither given nor recorded before: no jump to « Suivi » (nor check-ins planned).
      ['an end without a start', { parcours: 'Plan', miseEnOeuvreEndedAt: '2026-03-01' }, 'startRequired'],
      ['a date in the future', { parcours: 'Plan', miseEnOeuvreStartedAt: '2026-06-01' }, 'futureDate'],
      ['a date before the first contact', { parcours: 'Plan', miseEnOeuvreStartedAt: '2024-01-01' }, 'beforeCreation'],
      ['an array', [{ parcours: 'Plan' }], 'badBody'],
    ])('refuses %s with 400 and a French message', async (_label, body, key) => {
      const res = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'BadRequest', message: fr(`admin.errors.${key}`, { max: '10000' }) } });
      const stored = await storedDossiers(db.connection).findOne({ _id: 'd-gironde' as never });
      expect(stored!.parcours).toBeUndefined();
      expect(stored!.phase).toBe('diagnostic');
      expect(await db.connection.db!.collection('checkins').countDocuments({ dossierId: 'd-gironde' })).toBe(0);
    });

    it('says which date is wrong, the start or the end', () => {
      expect(asRead(fr('admin.errors.badStartDate'))).toMatch(/^La date de début de mise en œuvre n’est pas une date valide/);
      expect(asRead(fr('admin.errors.badEndDate'))).toMatch(/^La date de fin de mise en œuvre n’est pas une date valide/);
      expect(asRead(fr('admin.errors.startRequired'))).toContain('indiquez d’abord le début de la mise en œuvre');
    });

    it('403 outside the départements, 401 without a token', async () => {
      expect((await call('POST', '/admin/api/dossiers/d-dordogne/parcours', 'gironde', { parcours: 'Plan' })).status).toBe(403);
      expect((await call('POST', '/admin/api/dossiers/d-gironde/parcours', undefined, { parcours: 'Plan' })).status).toBe(401);
      expect((await call('POST', '/admin/api/dossiers/nope/parcours', 'admin', { parcours: 'Plan' })).status).toBe(404);
    });

    it('records the parcours (phase parcours), then its end (phase suivi)', async () => {
      const res = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', { parcours: '  Consultant·e RH, 3 jours ; formation trésorerie  ' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        id: 'd-gironde', phase: 'parcours', checkinsWithdrawn: 0,
        parcours: { text: 'Consultant·e RH, 3 jours ; formation trésorerie', recordedBy: 'gironde@dla.test', recordedByName: 'Gaëlle Gironde', recordedAt: START.toISOString() },
      });
      let stored = await storedDossiers(db.connection).findOne({ _id: 'd-gironde' as never });
      expect(stored).toMatchObject({ phase: 'parcours', updatedAt: START, parcours: { text: 'Consultant·e RH, 3 jours ; formation trésorerie', recordedBy: 'gironde@dla.test', recordedAt: START } });

      // The consultant started: mise en œuvre. A start in the future, or an end before the start, is refused.
      const started = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', { parcours: 'Consultant·e RH, 3 jours', miseEnOeuvreStartedAt: '2026-02-01' });
      expect((await started.json()).phase).toBe('mise_en_oeuvre');
      expect(await ids('/admin/api/dossiers?phase=mise_en_oeuvre', 'admin')).toEqual(['d-gironde']);
      const ahead = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', { parcours: 'x', miseEnOeuvreStartedAt: '2099-01-01' });
      expect([ahead.status, (await ahead.json()).error.message]).toEqual([400, fr('admin.errors.futureDate')]);
      const backwards = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', { parcours: 'x', miseEnOeuvreStartedAt: '2026-02-01', miseEnOeuvreEndedAt: '2026-01-15' });
      expect([backwards.status, (await backwards.json()).error.message]).toEqual([400, fr('admin.errors.endBeforeStart')]);

      clock = new Date(START.getTime() + 3600 * 1000);
      const ended = await call('POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', { parcours: 'Consultant·e RH, 3 jours', miseEnOeuvreEndedAt: '2026-03-01' });
      expect(ended.status).toBe(200);
      expect((await ended.json()).phase).toBe('suivi');
      stored = await storedDossiers(db.connection).findOne({ _id: 'd-gironde' as never });
      // The start recorded before is kept when only the end is given.
      expect(stored).toMatchObject({ phase: 'suivi', parcours: { miseEnOeuvreStartedAt: new Date('2026-02-01T00:00:00Z'), miseEnOeuvreEndedAt: new Date('2026-03-01T00:00:00Z'), recordedAt: clock } });
      expect((await (await get('/admin/api/dossiers/d-gironde', 'gironde')).json()).parcours.text).toBe('Consultant·e RH, 3 jours');
      expect(await ids('/admin/api/dossiers?phase=suivi', 'admin')).toEqual(['d-gironde', 'd-paris']);
    });

    it('a page opened before someone else recorded the parcours does not erase it: 409 saying who and when', async () => {
      const dossiers = storedDossiers(db.connection);
      await dossiers.insertOne(dossier('d-stale', { status: 'submitted', departement: '33', answers: { name: 'Asso Deux Pages' }, createdAt: new Date('2026-01-05T10:00:00Z') }) as never);
      const record = (who: string, body: Record<string, unknown>) => call('POST', '/admin/api/dossiers/d-stale/parcours', who, body);
      try {
        // Both pages opened on a dossier without a parcours; Gaëlle records hers first.
        const first = await record('gironde', { parcours: 'Consultant·e RH, 3 jours', basedOn: null });
        expect(first.status).toBe(200);
        const recordedAt = (await first.json()).parcours.recordedAt;
        clock = new Date(START.getTime() + 3600 * 1000);
        const stale = await record('admin', { parcours: 'Formation trésorerie', basedOn: null });
        expect([stale.status, asRead((await stale.json()).error.message)]).toEqual([409,
          'Le parcours a été enregistré par Gaëlle Gironde le 02/03/2026, après l’ouverture de cette page : le vôtre n’est pas enregistré, pour ne pas effacer le sien. '
          + 'Copiez votre texte, rechargez la page, puis complétez le parcours enregistré.']);
        expect((await record('admin', { parcours: 'Formation trésorerie', basedOn: '2026-01-01T00:00:00.000Z' })).status).toBe(409);
        expect((await (await get('/admin/api/dossiers/d-stale', 'gironde')).json()).parcours.text).toBe('Consultant·e RH, 3 jours');
        // Reloaded, the page shows hers: completed, it is recorded.
        const completed = await record('admin', { parcours: 'Consultant·e RH, 3 jours ; formation trésorerie', basedOn: recordedAt });
        expect(completed.status).toBe(200);
        expect((await completed.json()).parcours).toMatchObject({ text: 'Consultant·e RH, 3 jours ; formation trésorerie', recordedByName: 'Alex Admin' });
        expect((await record('admin', { parcours: 'x', basedOn: 'hier' })).status).toBe(400);
      } finally {
        await dossiers.deleteOne({ _id: 'd-stale' as never });
      }
    });
  });

  describe('parcours of a dossier out of the DLA’s scope', () => {
    const RULES_OUT = { outcome: 'out_of_scope', rulesVersion: '2026-11-26.1', decidedAt: new Date('2026-02-01T10:00:00Z'), reasons: [{ code: 'no_employee_no_plan', outcome: 'out_of_scope', source: 'x' }] };
    const dossiers = () => storedDossiers(db.connection);
    const record = (body: Record<string, unknown>) => call('POST', '/admin/api/dossiers/d-out/parcours', 'gironde', { parcours: 'Appui à la gouvernance', ...body });
    const stored = async () => (await dossiers().findOne({ _id: 'd-out' as never }))!;

    beforeEach(async () => {
      await dossiers().insertOne(dossier('d-out', { status: 'submitted', departement: '33', answers: { name: 'Club Sans Salarié' }, decision: RULES_OUT, createdAt: new Date('2026-01-05T10:00:00Z') }) as never);
    });
    afterEach(async () => { await dossiers().deleteOne({ _id: 'd-out' as never }); });

    it('out of scope by the rules, no chargé·e’s decision since: 409 with what to do, until the chargé·e confirms', async () => {
      const warning = fr('admin.parcours.outOfScopeRules');
      expect(asRead(warning)).toBe('Attention : d’après les règles de l’accueil, ce dossier est hors du champ du DLA, et aucun·e chargé·e n’a confirmé son éligibilité après un appel. '
        + 'Si l’accompagnement a bien lieu, enregistrez d’abord votre décision « Confirmer l’éligibilité ».');
      // The dossier view says it before anything is typed.
      expect((await (await get('/admin/api/dossiers/d-out', 'gironde')).json()).parcoursWarning).toBe(warning);
      for (const confirmOutOfScope of [undefined, false, 'true', 1]) {
        const res = await record({ miseEnOeuvreStartedAt: '2026-02-10', confirmOutOfScope });
        expect([res.status, await res.json()]).toEqual([409, { error: { code: 'OutOfScope', message: fr('admin.errors.parcoursOutOfScope', { warning }) } }]);
      }
      expect(asRead(fr('admin.errors.parcoursOutOfScope', { warning }))).toMatch(/Enregistrer le parcours quand même \?$/);
      expect(await stored()).toMatchObject({ phase: 'accueil' });
      expect((await stored()).parcours).toBeUndefined();
      // A mistake in the parcours itself is said first: the confirmation is asked for a record that can be made.
      expect((await record({ parcours: ' ' })).status).toBe(400);

      const confirmed = await record({ miseEnOeuvreStartedAt: '2026-02-10', confirmOutOfScope: true });
      expect(confirmed.status).toBe(200);
      expect(await confirmed.json()).toMatchObject({ phase: 'mise_en_oeuvre', parcours: { text: 'Appui à la gouvernance', recordedByName: 'Gaëlle Gironde' } });
      expect((await stored()).phase).toBe('mise_en_oeuvre');
      // Still out of scope: the next record (the end of the mise en œuvre) is confirmed again.
      expect((await record({ miseEnOeuvreEndedAt: '2026-03-01' })).status).toBe(409);
    });

    it('out of scope by a chargé·e after the call: says who and when, and that no check-in is planned', async () => {
      await call('POST', '/admin/api/dossiers/d-out/decision', 'gironde', { outcome: 'out_of_scope', note: 'Aucun salarié' });
      const warning = (await (await get('/admin/api/dossiers/d-out', 'admin')).json()).parcoursWarning;
      expect(asRead(warning)).toBe('Attention : Gaëlle Gironde a conclu le 02/03/2026, après l’appel, que ce dossier est hors du champ du DLA. '
        + 'Aucune relance automatique n’est prévue tant que cette décision est en vigueur (celles qu’un·e chargé·e a ajoutées ou déplacées restent prévues : voir « Suivi : relances de la structure »). Si l’accompagnement a bien lieu, enregistrez d’abord la décision « Confirmer l’éligibilité ».');
      const res = await call('POST', '/admin/api/dossiers/d-out/parcours', 'admin', { parcours: 'Appui' });
      expect([res.status, (await res.json()).error.message]).toEqual([409, fr('admin.errors.parcoursOutOfScope', { warning })]);
      expect((await call('POST', '/admin/api/dossiers/d-out/parcours', 'admin', { parcours: 'Appui', confirmOutOfScope: true })).status).toBe(200);
    });

    it('in scope once a chargé·e confirmed the eligibility after the call: recorded without a question', async () => {
      await call('POST', '/admin/api/dossiers/d-out/decision', 'gironde', { outcome: 'eligible', note: 'Embauche signée' });
      expect((await (await get('/admin/api/dossiers/d-out', 'gironde')).json()).parcoursWarning).toBeNull();
      expect((await record({ miseEnOeuvreStartedAt: '2026-02-10' })).status).toBe(200);
      // Eligible or to be confirmed by the rules: no warning either.
      expect((await (await get('/admin/api/dossiers/d-gironde', 'gironde')).json()).parcoursWarning).toBeNull();
      expect((await (await get('/admin/api/dossiers/d-dordogne', 'admin')).json()).parcoursWarning).toBeNull();
    });

    it('says it in English for an English-speaking operator', () => {
      const en = translator('en');
      expect(en('admin.errors.parcoursOutOfScope', { warning: en('admin.parcours.outOfScopeRules') })).toMatch(/^Warning: according to the intake rules, this case is outside the DLA’s scope.*Record the support plan anyway\?$/);
    });
  });

  describe('CSV export', () => {
    const csv = async (qs: string, who = 'admin') => {
      const res = await get(`/admin/api/export.csv${qs}`, who);
      expect(res.status).toBe(200);
      return { res, bytes: Buffer.from(await res.arrayBuffer()) };
    };

    it('names a dossier made by a handoff before the accueil by its contact, marked as such, in the « Structure » column', async () => {
      const dossiers = storedDossiers(db.connection);
      await dossiers.insertOne(dossier('d-sophie', { status: 'in_progress', departement: '33', answers: { contact: { name: 'Sophie', phone: '06 12 34 56 78' } } }) as never);
      try {
        const text = (await csv('?departement=33')).bytes.toString('utf8').slice(1);
        const [header, ...rows] = text.split('\r\n').map((line) => line.split(';').map((cell) => asRead(cell.slice(1, -1))));
        const row = rows.find((r) => r[0] === 'd-sophie')!;
        expect(row[header.indexOf('Structure')]).toBe('Sophie (contact)');
        expect(row[header.indexOf('Contact')]).toBe('Sophie');
        // A dossier with its structure's name keeps it.
        expect(rows.find((r) => r[0] === 'd-gironde')![header.indexOf('Structure')]).not.toContain('(contact)');
      } finally {
        await dossiers.deleteOne({ _id: 'd-sophie' as never });
      }
    });

    it('says a company’s ESUS application under way (« c’est en cours ») as « demande en cours » in the dossier and the CSV, in French and English, not « ne sait pas »', async () => {
      const dossiers = storedDossiers(db.connection);
      const company = { result: { form: 'commercial_company' }, text: 'SAS' };
      await dossiers.insertMany([
        dossier('d-esus-pending', { departement: '33', answers: { name: 'Recyclerie du Bassin', legalForm: company, esus: { pending: true, text: 'je crois pas, c’est en cours' } } }),
        dossier('d-esus-unknown', { departement: '33', answers: { name: 'Atelier Flou', legalForm: company, esus: { text: 'je ne sais pas' } } }),
      ] as never[]);
      try {
        const facts = async (id: string) => (await (await get(`/admin/api/dossiers/${id}`, 'admin')).json()).answerFacts.map((f: { value: string }) => ({ ...f, value: asRead(f.value) }));
        expect(await facts('d-esus-pending')).toContainEqual({ key: 'esus', label: 'Agrément ESUS', value: 'demande en cours' });
        expect(await facts('d-esus-unknown')).toContainEqual({ key: 'esus', label: 'Agrément ESUS', value: 'ne sait pas' });
        const text = (await csv('?departement=33')).bytes.toString('utf8').slice(1);
        const [header, ...rows] = text.split('\r\n').map((line) => line.split(';').map((cell) => asRead(cell.slice(1, -1))));
        const esusOf = (id: string) => rows.find((r) => r[0] === id)![header.indexOf('Agrément ESUS')];
        expect([esusOf('d-esus-pending'), esusOf('d-esus-unknown'), esusOf('d-gironde')]).toEqual(['demande en cours', 'ne sait pas', '']);
        const en = translator('en');
        expect([en('admin.answers.esus'), en('admin.columns.esus'), en('admin.esus.pending')]).toEqual(['ESUS approval', 'ESUS approval', 'application in progress']);
      } finally {
        await dossiers.deleteMany({ _id: { $in: ['d-esus-pending', 'd-esus-unknown'] } } as never);
      }
    });

    it('says the same handoff state as the page’s list: a dossier whose only handoff was closed, one with an older handoff still open', async () => {
      await storedDossiers(db.connection).insertMany([
        dossier('d-closed', { departement: '33', answers: { name: 'Jardin Fermé' } }), dossier('d-mixed', { departement: '33', answers: { name: 'Jardin Mêlé' } }),
      ] as never[]);
      await storedHandoffs(db.connection).insertMany([
        handoff('h-closed', { dossierId: 'd-closed', departement: '33', status: 'closed', closedAt: new Date('2026-01-11') }),
        handoff('h-mixed-old', { dossierId: 'd-mixed', departement: '33', createdAt: new Date('2026-01-05T10:00:00Z') }),
        handoff('h-mixed-new', { dossierId: 'd-mixed', departement: '33', status: 'closed', createdAt: new Date('2026-01-20T10:00:00Z'), closedAt: new Date('2026-01-21') }),
      ] as never[]);
      try {
        const listed = ((await (await get('/admin/api/dossiers?departement=33', 'admin')).json()).dossiers as { id: string; handoff: string | null }[]);
        const shown = Object.fromEntries(listed.filter((r) => r.id === 'd-closed' || r.id === 'd-mixed').map((r) => [r.id, r.handoff && fr(`admin.handoffStatus.${r.handoff}`)]));
        const text = (await csv('?departement=33')).bytes.toString('utf8').slice(1);
        const [header, ...rows] = text.split('\r\n').map((line) => line.split(';').map((cell) => asRead(cell.slice(1, -1))));
        const inCsv = Object.fromEntries(['d-closed', 'd-mixed'].map((id) => [id, rows.find((r) => r[0] === id)![header.indexOf('Transmission')]]));
        expect(shown).toEqual({ 'd-closed': 'Close', 'd-mixed': 'Ouverte' });
        expect(inCsv).toEqual(shown);
      } finally {
        await storedDossiers(db.connection).deleteMany({ _id: { $in: ['d-closed', 'd-mixed'] } } as never);
        await storedHandoffs(db.connection).deleteMany({ _id: { $in: ['h-closed', 'h-mixed-old', 'h-mixed-new'] } } as never);
      }
    });

    it('has what the structure wrote with the handoff that matters and the messages it added since, with their day, one a line, a formula in them kept as text; none of another handoff', async () => {
      await storedDossiers(db.connection).insertMany([
        dossier('d-messages', { departement: '33', answers: { name: 'Jardin Bavard' } }),
        // « parler à un·e chargé·e » before any accueil: the subject given is all the request says.
        dossier('d-asked', { answers: { contact: { name: 'Sophie Lenoir', phone: '05 57 11 22 33' } } }),
      ] as never[]);
      await storedHandoffs(db.connection).insertMany([
        handoff('h-asked', { dossierId: 'd-asked', urgency: 'high', message: 'on va devoir licencier deux salariés', createdAt: new Date('2026-01-07T10:00:00Z'), messages: [
          { text: 'Le département ne paie plus', at: new Date('2026-01-08T09:00:00Z') },
        ] }),
        // The one the CSV reports (still open), with what the structure added to it since.
        handoff('h-messages-open', { dossierId: 'd-messages', departement: '33', createdAt: new Date('2026-01-05T10:00:00Z'), messages: [
          { text: 'Trésorerie tendue', at: new Date('2026-01-06T09:00:00Z') },
          // 23:30 in UTC is the next day in Paris; a formula, a separator and quotes stay text.
          { text: '=HYPERLINK("http://x.test";"clic") ; j’oubliais : nos 3 contrats aidés finissent en juin', at: new Date('2026-01-12T23:30:00Z') },
        ] }),
        handoff('h-messages-closed', { dossierId: 'd-messages', departement: '33', status: 'closed', createdAt: new Date('2026-01-20T10:00:00Z'), closedAt: new Date('2026-01-21'),
          messages: [{ text: 'Message d’une demande close', at: new Date('2026-01-20T11:00:00Z') }] }),
      ] as never[]);
      try {
        const text = (await csv('?departement=33')).bytes.toString('utf8').slice(1);
        const [header, ...rows] = parseCsv(text, ';').map((r) => r.fields);
        const cell = (id: string) => asRead(rows.find((r) => r[0] === id)![header.indexOf('Messages de la structure')]);
        expect(cell('d-messages')).toBe('2026-01-06 : Trésorerie tendue\n2026-01-13 : =HYPERLINK("http://x.test";"clic") ; j’oubliais : nos 3 contrats aidés finissent en juin');
        // What it wrote when asking for a chargé·e comes first, with the day of its request.
        const all = parseCsv((await csv('')).bytes.toString('utf8').slice(1), ';').map((r) => r.fields);
        expect(asRead(all.find((r) => r[0] === 'd-asked')![header.indexOf('Messages de la structure')]))
          .toBe('2026-01-07 : on va devoir licencier deux salariés\n2026-01-08 : Le département ne paie plus');
        // No message added: an empty cell.
        expect(cell('d-gironde')).toBe('');
        expect(translator('en')('admin.columns.handoffMessages')).toBe('Messages from the organisation');
      } finally {
        await storedDossiers(db.connection).deleteMany({ _id: { $in: ['d-messages', 'd-asked'] } } as never);
        await storedHandoffs(db.connection).deleteMany({ _id: { $in: ['h-messages-open', 'h-messages-closed', 'h-asked'] } } as never);
      }
    });

    it('is UTF-8 with a BOM, ;-separated, quoted, with French headers', async () => {
      const { res, bytes } = await csv('');
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="dossiers-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      expect(asRead(lines[0])).toBe('"Identifiant";"Structure";"SIRET";"RNA";"Département";"Code postal";"Salarié·es (ETP)";"Projet d’embauche";"Contact";"E-mail du contact";"Téléphone du contact";"Autre téléphone du contact";"Demande";"Agrément ESUS";'
        + '"Phase";"Accueil";"Éligibilité";"Éligibilité selon les règles (accueil)";"Décision par";"Note";"Transmission";"Prise en charge par";"Messages de la structure";"Thème principal";"Premier contact";"Dernière modification";"Diagnostic confirmé le";"Parcours enregistré le";"Début de la mise en œuvre le";"Fin de la mise en œuvre le";'
        + '"Suivi : État";"Suivi : Répondu le";"Suivi : Emplois créés, maintenus ou améliorés";'
        // The jobs answer as numbers that sum, next to the structure's words (test/integration/followupJobs.test.ts).
        + '"Suivi : Emplois créés (nombre)";"Suivi : Emplois maintenus (nombre)";"Suivi : Emplois améliorés (nombre)";"Suivi : Emplois perdus (nombre)";"Suivi : Emplois : nombres à vérifier";'
        + '"Suivi : Santé économique et financière";"Suivi : Vision stratégique plus claire";'
        + '"Suivi : Nouveaux partenariats";"Suivi : Préconisations mises en œuvre";"Suivi : Satisfaction";"Suivi : Nouveaux besoins";"Suivi : Relances arrêtées le"');
      expect(lines).toHaveLength(6); // header, four dossiers, and the final line break
      expect(lines[5]).toBe('');
      const gironde = lines.find((l) => l.startsWith('"d-gironde"'));
      // Phase Suivi: the parcours tests above recorded its end of mise en œuvre.
      // The postal code keeps its leading digit as text, the ETP a decimal comma; whom to call is there.
      // The request in the structure's words; its latest handoff's state and who took it up (closed by Gaëlle in the tests above); no ESUS question for an association.
      expect(gironde).toMatch(/^"d-gironde";"Les Amis du Vélo";"=""73282932000074""";"";"=""33""";"=""33000""";"2,5";"";"Camille Martin";"camille@example.org";"";"";"Consolider nos emplois";"";"Suivi";"Accueil terminé";"Éligible";"Éligible";"";"";"Close";"Gaëlle Gironde";"";"Restructuration économique et financière";"2025-06-01";/);
      // The end of the mise en œuvre recorded above; no check-in answered yet: the follow-up cells are empty.
      expect(gironde).toMatch(/;"\d{4}-\d{2}-\d{2}"(;""){15}$/);
    });

    it('neutralises formulas and keeps separators and quotes inside cells', async () => {
      const text = (await csv('')).bytes.toString('utf8');
      expect(text).toContain('"d-dordogne";"\'=HYPERLINK(""http://evil.example"";""clic""); et ""guillemets""";');
      expect(text).toContain('"d-paris";"\'-2+3";');
      expect(text).toContain('"d-nowhere";"\'@SUM(A1:A9)";');
      expect(text).toMatch(/"d-dordogne";"[^\n]*";"";"W332001234";"=""24""";/); // the RNA has its column
      // No cell starts a formula but the ="digits" of the SIRET, postal code and phone columns (text for Excel, tested below).
      const cells = text.slice(1).split('\r\n').filter(Boolean).flatMap((l) => l.split(';').filter((c) => !/^"=""\d+"""$/.test(c)));
      expect(cells.filter((c) => /^"[=+\-@]/.test(c))).toEqual([]);
      expect(csvCell('+33 6 12 34 56 78')).toBe('"\'+33 6 12 34 56 78"');
      expect(csvCell('\t=1+1')).toBe('"\'\t=1+1"');
      expect(csvCell('Trésorerie = tendue')).toBe('"Trésorerie = tendue"');
      expect(csvCell('a\nb')).toBe('"a\nb"');
    });

    it('counts the staff said at the diagnostic when it is newer than the accueil’s, shows both, and notes once that the eligibility was not decided again', async () => {
      const rules = { rulesVersion: '2026-11-26.1', decidedAt: new Date('2026-02-01T10:00:00Z') };
      // 0 ETP and a hiring plan at the accueil (to be confirmed), 2 ETP at the diagnostic: a structure that employs now.
      await storedDossiers(db.connection).insertMany([
        dossier('d-hired', {
          status: 'submitted', departement: '33', answers: { name: 'Club Embauche', employees: { etp: 0, hiringPlan: true, text: 'aucun, on veut embaucher' } },
          decision: { ...rules, outcome: 'to_confirm', reasons: [{ code: 'first_hire', outcome: 'to_confirm', source: 'DOMAIN.md § Eligibility 3' }] },
          diagnostic: { answers: { staff: { employees: 2, volunteers: 12, text: 'on a embauché 2 personnes, 12 bénévoles' } }, version: 0, startedAt: new Date('2025-08-01') },
        }),
        // Words with no number at the diagnostic: the accueil's ETP stays; no note.
        dossier('d-unread', {
          status: 'submitted', departement: '33', answers: { name: 'Club Flou', employees: { etp: 2.5, text: '2,5' } },
          decision: { ...rules, outcome: 'eligible', reasons: [{ code: 'employer', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 3' }] },
          diagnostic: { answers: { staff: { text: 'pas mal de monde', unread: true } }, version: 0, startedAt: new Date('2025-08-01') },
        }),
      ] as never);
      try {
        const hired = await (await get('/admin/api/dossiers/d-hired', 'gironde')).json();
        expect(asRead(hired.answerFacts.find((f: { key: string }) => f.key === 'employees').value)).toBe('2 ETP (dit au diagnostic ; à l’accueil : 0 ETP), projet d’embauche');
        expect(asRead(hired.eligibility.staffNote)).toBe('Salarié·es : 0 ETP à l’accueil, 2 ETP au diagnostic. L’éligibilité ci-dessus a été décidée sur le nombre de l’accueil et n’a pas été recalculée : à vérifier lors de l’appel.');
        expect(hired.eligibility.outcome).toBe('to_confirm'); // not re-decided
        const unread = await (await get('/admin/api/dossiers/d-unread', 'gironde')).json();
        expect(asRead(unread.answerFacts.find((f: { key: string }) => f.key === 'employees').value)).toBe('2,5 ETP');
        expect(unread.eligibility.staffNote).toBeNull();
        const rows = (await (await get('/admin/api/dossiers?departement=33', 'gironde')).json()).dossiers as { id: string; etp: number | null }[];
        expect(rows.filter((r) => r.id === 'd-hired' || r.id === 'd-unread').map((r) => [r.id, r.etp]).sort()).toEqual([['d-hired', 2], ['d-unread', 2.5]]);
        const lines = (await csv('?departement=33')).bytes.toString('utf8').split('\r\n');
        expect(lines.find((l) => l.startsWith('"d-hired"'))!.split(';').slice(6, 8)).toEqual(['"2"', '"oui"']);
        expect(lines.find((l) => l.startsWith('"d-unread"'))!.split(';')[6]).toBe('"2,5"');
      } finally {
        await storedDossiers(db.connection).deleteMany({ _id: { $in: ['d-hired', 'd-unread'] } } as never);
      }
    });

    it('is named after the operator’s day, and says a primo-employeuse’s hiring plan in the column after its 0 ETP', async () => {
      clock = new Date('2026-03-02T23:35:00Z'); // 00:35 on 3 March in Paris
      await auth.upsertUser({ email: 'nuit@dla.test', name: 'Nadia', role: 'charge', departements: ['24'] });
      const late = await createUserToken(db.connection, 'nuit@dla.test', { now: () => clock });
      await storedDossiers(db.connection).insertOne(dossier('d-primo', {
        departement: '24', answers: { name: 'Club Primo', employees: { etp: 0, hiringPlan: true, text: 'aucun, on veut embaucher' } }, updatedAt: new Date('2025-03-01T10:00:00Z'),
      }) as never);
      try {
        const res = await fetch(`${base}/admin/api/export.csv?departement=24`, { headers: { authorization: `Bearer ${late}` } });
        expect(res.headers.get('content-disposition')).toBe('attachment; filename="dossiers-2026-03-03.csv"');
        const bytes = Buffer.from(await res.arrayBuffer());
        const line = bytes.toString('utf8').split('\r\n').find((l) => l.startsWith('"d-primo"'))!;
        // A number Excel sums, and the hiring plan in its own column.
        expect(line.split(';').slice(6, 8)).toEqual(['"0"', '"oui"']);
      } finally {
        // Back to the start of the day; the sessions the late clock expired are opened again.
        clock = START;
        for (const who of ['admin', 'gironde', 'partout']) tokens[who] = (await auth.createUserToken(`${who}@dla.test`)).token;
        await storedDossiers(db.connection).deleteOne({ _id: 'd-primo' as never });
      }
    });

    it('keeps the SIRET as text in French Excel (not 7,32829E+13), and only the SIRET', async () => {
      await storedDossiers(db.connection).insertOne(dossier('d-siret', {
        departement: '24', siret: '=1+1', answers: { name: '01234567890123' }, updatedAt: new Date('2025-03-01T10:00:00Z'),
      }) as never);
      try {
        // The formula ="…" makes Excel show the digits as they are.
        expect((await csv('?departement=33')).bytes.toString('utf8')).toContain('"d-gironde";"Les Amis du Vélo";"=""73282932000074""";"";"=""33""";');
        // Digits in another column stay a plain cell; a SIRET that is not digits is neutralised like any cell.
        const lines = (await csv('?departement=24')).bytes.toString('utf8').slice(1).split('\r\n');
        expect(lines.find((l) => l.startsWith('"d-siret"'))).toMatch(/^"d-siret";"01234567890123";"'=1\+1";"";"=""24""";/);
      } finally {
        await storedDossiers(db.connection).deleteOne({ _id: 'd-siret' as never });
      }
      expect(csvDigitsCell('00012345600010')).toBe('"=""00012345600010"""');
      expect(csvDigitsCell('')).toBe('""');
      expect(csvDigitsCell('732 829 320 00074')).toBe('"732 829 320 00074"');
    });

    it('keeps the leading zero of départements 01–09 in French Excel; 2A and 2B stay as they are', async () => {
      await storedDossiers(db.connection).insertMany([
        dossier('d-ain', { departement: '01', answers: { name: 'Ain' } }), dossier('d-corse', { departement: '2A', answers: { name: 'Corse' } }),
      ] as never[]);
      try {
        const text = (await csv('')).bytes.toString('utf8');
        expect(text).toContain('"d-ain";"Ain";"";"";"=""01""";');
        expect(text).toContain('"d-corse";"Corse";"";"";"2A";');
      } finally {
        await storedDossiers(db.connection).deleteMany({ _id: { $in: ['d-ain', 'd-corse'] } } as never);
      }
    });

    it('applies the filters and the user’s départements', async () => {
      const rows = (body: Buffer) => body.toString('utf8').slice(1).split('\r\n').slice(1).filter(Boolean).map((l) => l.split(';')[0]);
      expect(rows((await csv('?departement=24')).bytes)).toEqual(['"d-dordogne"']);
      expect(rows((await csv('?outcome=out_of_scope')).bytes)).toEqual(['"d-paris"']);
      expect(rows((await csv('', 'gironde')).bytes).sort()).toEqual(['"d-gironde"', '"d-nowhere"']);
      expect((await get('/admin/api/export.csv?departement=24', 'gironde')).status).toBe(403);
      expect((await get('/admin/api/export.csv')).status).toBe(401);
    });
  });

  describe('statistics', () => {
    it('gives the shares of themes by year and the funnel', async () => {
      const res = await get('/admin/api/stats', 'admin');
      expect(res.status).toBe(200);
      const stats = await res.json();
      expect(stats.themesByYear).toEqual(JSON.parse(JSON.stringify(await themeSharesByYear(db.connection))));
      expect(stats.themesByYear).toEqual([
        { year: 2025, total: 1, themes: [{ theme: 'restructuration_eco_fin', count: 1, share: 100 }] },
        { year: 2026, total: 1, themes: [{ theme: 'rh_emploi', count: 1, share: 100 }] },
      ]);
      // A funnel, each step within the one before: four first contacts; one eligible (d-gironde),
      // its diagnostic confirmed, handed off (h-gironde), no follow-up answered yet. d-paris, out of
      // scope, has a confirmed diagnostic and an answered follow-up but went through no step before;
      // d-dordogne's handoff (to confirm) is no step after a confirmed diagnostic.
      expect(stats.funnel).toEqual({ firstContact: 4, eligible: 1, diagnosticConfirmed: 1, handedOff: 1, followupAnswered: 0 });
      expect(stats.themes).toEqual([...THEMES]);
      expect(stats.departements).toBeNull();
      expect((await get('/admin/api/stats')).status).toBe(401);
    });

    it('counts only the dossiers of a chargé·e’s départements', async () => {
      const stats = await (await get('/admin/api/stats', 'gironde')).json();
      // d-gironde (eligible, its diagnostic confirmed in 2025, handed off: h-gironde), and d-nowhere (no département).
      expect(stats.departements).toEqual(['33']);
      expect(stats.funnel).toEqual({ firstContact: 2, eligible: 1, diagnosticConfirmed: 1, handedOff: 1, followupAnswered: 0 });
      expect(stats.themesByYear).toEqual([{ year: 2025, total: 1, themes: [{ theme: 'restructuration_eco_fin', count: 1, share: 100 }] }]);
      // No départements: every dossier, like an administrator.
      expect((await (await get('/admin/api/stats', 'partout')).json()).funnel.firstContact).toBe(4);
    });
  });

  describe('chargé·e decision after the call', () => {
    const RULES = { outcome: 'to_confirm', rulesVersion: '2026-11-26.1', decidedAt: new Date('2026-02-01T10:00:00Z'), reasons: [{ code: 'employer', outcome: 'to_confirm', source: 'DOMAIN.md § Eligibility 3' }] };
    const NOTE = 'Primo-employeuse, embauche prévue en septembre';
    const decide = (id: string, who: string | undefined, body: unknown) => call('POST', `/admin/api/dossiers/${id}/decision`, who, body);
    const stored = async (id: string) => storedDossiers(db.connection).findOne({ _id: id as never });
    /** A dossier's row of the CSV export, by column header (cells without ; in them). */
    const csvRow = async (id: string, who = 'admin') => {
      const text = await (await get('/admin/api/export.csv', who)).text();
      const [header, ...rows] = text.slice(1).split('\r\n').map((line) => line.split(';').map((cell) => asRead(cell.slice(1, -1).replace(/""/g, '"'))));
      return Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === id)![i]]));
    };

    beforeEach(async () => {
      await storedDossiers(db.connection).insertOne(dossier('d-call', {
        status: 'submitted', departement: '33', answers: { name: 'Club Primo', employees: { etp: 0, hiringPlan: true } }, decision: RULES,
        updatedAt: new Date('2026-02-01T10:00:00Z'),
      }) as never);
    });
    afterEach(async () => {
      await storedDossiers(db.connection).deleteOne({ _id: 'd-call' as never });
    });

    it('records the chargé·e’s decision and note, keeps the rules’ decision, and the dossier shows both', async () => {
      const res = await decide('d-call', 'gironde', { outcome: 'eligible', note: `  ${NOTE}\n` });
      expect(res.status).toBe(200);
      const view = { outcome: 'eligible', outcomeLabel: 'Éligible', note: NOTE, by: 'Gaëlle Gironde', at: START.toISOString() };
      expect(await res.json()).toEqual({ id: 'd-call', chargeDecision: view, checkinsWithdrawn: 0 });
      const d = await stored('d-call');
      // Who decided, by name and e-mail; the rules' decision as it was, for the record.
      expect(d!.chargeDecision).toEqual({ outcome: 'eligible', note: NOTE, by: 'Gaëlle Gironde', byEmail: 'gironde@dla.test', at: START });
      expect(d!.decision).toEqual(RULES);
      expect(d!.updatedAt).toEqual(START);
      const page = await (await get('/admin/api/dossiers/d-call', 'gironde')).json();
      expect(page.eligibility).toMatchObject({ outcome: 'to_confirm', outcomeLabel: 'À confirmer', rulesVersion: '2026-11-26.1' });
      expect(page.chargeDecision).toEqual(view);

      // Another decision replaces it; without a note, none is kept.
      clock = new Date(START.getTime() + 3600 * 1000);
      const again = await decide('d-call', 'admin', { outcome: 'out_of_scope' });
      expect((await again.json()).chargeDecision).toEqual({ outcome: 'out_of_scope', outcomeLabel: 'Hors champ', note: null, by: 'Alex Admin', at: clock.toISOString() });
      expect((await stored('d-call'))!.chargeDecision).toEqual({ outcome: 'out_of_scope', by: 'Alex Admin', byEmail: 'admin@dla.test', at: clock });
      // A note of exactly the maximum length is taken.
      expect((await decide('d-call', 'gironde', { outcome: 'eligible', note: 'x'.repeat(2000), extra: 1 })).status).toBe(200);
    });

    it('keeps every decision with its note, its author’s name and its date, shown newest first; the latest is the one in force', async () => {
      const at = (hours: number) => new Date(START.getTime() + hours * 3600 * 1000);
      clock = at(1);
      await decide('d-call', 'gironde', { outcome: 'eligible', note: NOTE });
      clock = at(2);
      await decide('d-call', 'admin', { outcome: 'out_of_scope', note: 'Pas de projet d’embauche finalement' });
      clock = at(3);
      await decide('d-call', 'gironde', { outcome: 'eligible' });
      const page = await (await get('/admin/api/dossiers/d-call', 'gironde')).json();
      expect(page.chargeDecisions).toEqual([
        { outcome: 'eligible', outcomeLabel: 'Éligible', note: null, by: 'Gaëlle Gironde', at: at(3).toISOString() },
        { outcome: 'out_of_scope', outcomeLabel: 'Hors champ', note: 'Pas de projet d’embauche finalement', by: 'Alex Admin', at: at(2).toISOString() },
        { outcome: 'eligible', outcomeLabel: 'Éligible', note: NOTE, by: 'Gaëlle Gironde', at: at(1).toISOString() },
      ]);
      expect(page.chargeDecision).toEqual(page.chargeDecisions[0]);
      // The page names authors, never their e-mail addresses.
      expect(JSON.stringify(page.chargeDecisions)).not.toContain('@');
      // The latest decides: eligible in the list, its filter and the CSV, with its own (empty) note.
      expect(await ids('/admin/api/dossiers?outcome=eligible', 'gironde')).toContain('d-call');
      expect(await ids('/admin/api/dossiers?outcome=out_of_scope', 'gironde')).not.toContain('d-call');
      expect(await csvRow('d-call')).toMatchObject({ Éligibilité: 'Éligible', 'Décision par': 'Gaëlle Gironde', Note: '' });
      // Stored oldest first, each with who decided.
      expect((await stored('d-call'))!.chargeDecisions.map((c: { byEmail: string; at: Date }) => [c.byEmail, c.at])).toEqual([
        ['gironde@dla.test', at(1)], ['admin@dla.test', at(2)], ['gironde@dla.test', at(3)],
      ]);
    });

    it('shows the one note of a dossier decided before notes were kept, and keeps it when a new decision is recorded', async () => {
      const old = { outcome: 'eligible', note: 'Note d’avant', by: 'Claire Ancienne', byEmail: 'claire@dla.test', at: new Date('2026-02-10T10:00:00Z') };
      await storedDossiers(db.connection).updateOne({ _id: 'd-call' as never }, { $set: { chargeDecision: old } });
      const shown = { outcome: 'eligible', outcomeLabel: 'Éligible', note: 'Note d’avant', by: 'Claire Ancienne', at: '2026-02-10T10:00:00.000Z' };
      expect((await (await get('/admin/api/dossiers/d-call', 'gironde')).json()).chargeDecisions).toEqual([shown]);
      // Two chargé·es decide at once: neither decision, nor the old one, is lost.
      await Promise.all([
        decide('d-call', 'gironde', { outcome: 'out_of_scope', note: 'Premier appel' }),
        decide('d-call', 'admin', { outcome: 'out_of_scope', note: 'Second appel' }),
      ]);
      const page = await (await get('/admin/api/dossiers/d-call', 'gironde')).json();
      expect(page.chargeDecisions).toHaveLength(3);
      expect(page.chargeDecisions[2]).toEqual(shown);
      expect(page.chargeDecisions.slice(0, 2).map((c: { note: string }) => c.note).sort()).toEqual(['Premier appel', 'Second appel']);
      expect(page.chargeDecision.note).toBe(page.chargeDecisions[0].note);
      expect((await stored('d-call'))!.chargeDecisions[0]).toEqual(old);
    });

    it('is what the list, its filter, the CSV and the funnel count as the eligibility', async () => {
      const before = (await (await get('/admin/api/stats', 'gironde')).json()).funnel;
      expect(await ids('/admin/api/dossiers?outcome=to_confirm', 'gironde')).toEqual(['d-call']);
      expect(await csvRow('d-call')).toMatchObject({ Éligibilité: 'À confirmer', 'Décision par': '', Note: '' });

      await decide('d-call', 'gironde', { outcome: 'eligible', note: NOTE });
      const row = (await (await get('/admin/api/dossiers', 'gironde')).json()).dossiers.find((r: { id: string }) => r.id === 'd-call');
      expect(row).toMatchObject({ outcome: 'eligible', rulesOutcome: 'to_confirm', decisionBy: 'Gaëlle Gironde', decisionNote: NOTE });
      expect(await ids('/admin/api/dossiers?outcome=to_confirm', 'gironde')).toEqual([]);
      expect(await ids('/admin/api/dossiers?outcome=eligible', 'gironde')).toEqual(['d-call', 'd-gironde']);
      expect(await ids('/admin/api/dossiers?outcome=to_confirm', 'admin')).toEqual(['d-dordogne']);
      expect(await csvRow('d-call')).toMatchObject({ Éligibilité: 'Éligible', 'Décision par': 'Gaëlle Gironde', Note: NOTE });
      const csv = (await (await get('/admin/api/export.csv?outcome=eligible', 'gironde')).text()).split('\r\n').slice(1).filter(Boolean);
      expect(csv.map((l) => l.split(';')[0]).sort()).toEqual(['"d-call"', '"d-gironde"']);
      // Confirmed eligible: one more in the funnel's « Éligibles ».
      expect((await (await get('/admin/api/stats', 'gironde')).json()).funnel).toEqual({ ...before, eligible: before.eligible + 1 });

      // Out of the DLA's scope after all: no longer eligible anywhere.
      await decide('d-call', 'gironde', { outcome: 'out_of_scope' });
      expect(await ids('/admin/api/dossiers?outcome=out_of_scope', 'admin')).toEqual(['d-call', 'd-paris']);
      expect(await ids('/admin/api/dossiers?outcome=eligible', 'gironde')).toEqual(['d-gironde']);
      expect(await csvRow('d-call', 'gironde')).toMatchObject({ Éligibilité: 'Hors champ', 'Décision par': 'Gaëlle Gironde', Note: '' });
      expect((await (await get('/admin/api/stats', 'gironde')).json()).funnel).toEqual(before);
    });

    it('keeps the note as data: markup comes back as typed, a formula is neutralised in the CSV', async () => {
      const res = await decide('d-call', 'gironde', { outcome: 'eligible', note: XSS });
      expect((await res.json()).chargeDecision.note).toBe(XSS);
      expect((await (await get('/admin/api/dossiers/d-call', 'gironde')).json()).chargeDecision.note).toBe(XSS);
      expect((await stored('d-call'))!.chargeDecision.note).toBe(XSS);
      await decide('d-call', 'gironde', { outcome: 'eligible', note: '=HYPERLINK("http://evil.example")' });
      const line = (await (await get('/admin/api/export.csv', 'gironde')).text()).split('\r\n').find((l) => l.startsWith('"d-call"'))!;
      expect(line).toContain(';"Gaëlle Gironde";"\'=HYPERLINK(""http://evil.example"")";');
      // The chargé·e's « Éligible », then what the rules said at the accueil, for the operator's report.
      expect(line).toContain(';"Éligible";"À confirmer";"Gaëlle Gironde";');
    });

    it('follows the access rules of the other dossier actions: 403 outside the départements, 401, 404', async () => {
      const outside = await decide('d-dordogne', 'gironde', { outcome: 'eligible' });
      expect([outside.status, await outside.json()]).toEqual([403, { error: { code: 'Forbidden', message: fr('admin.errors.forbidden') } }]);
      expect((await stored('d-dordogne'))!.chargeDecision).toBeUndefined();
      expect((await decide('d-call', undefined, { outcome: 'eligible' })).status).toBe(401);
      const unknown = await decide('nope', 'admin', { outcome: 'eligible' });
      expect([unknown.status, await unknown.json()]).toEqual([404, { error: { code: 'NotFound', message: fr('admin.errors.notFound') } }]);
      // A chargé·e of every département, like an administrator.
      expect((await decide('d-dordogne', 'partout', { outcome: 'eligible' })).status).toBe(200);
      await storedDossiers(db.connection).updateOne({ _id: 'd-dordogne' as never }, { $unset: { chargeDecision: '' } });
    });

    it.each([
      ['no outcome', { note: NOTE }, 'badDecisionOutcome'],
      ['« to be confirmed », which is no decision', { outcome: 'to_confirm' }, 'badDecisionOutcome'],
      ['an unknown outcome', { outcome: 'Éligible' }, 'badDecisionOutcome'],
      ['a note that is not text', { outcome: 'eligible', note: 42 }, 'badDecisionNote'],
      ['a note too long', { outcome: 'eligible', note: 'x'.repeat(2001) }, 'decisionNoteTooLong'],
      ['an array', [{ outcome: 'eligible' }], 'badBody'],
    ])('refuses %s with 400 and a French message', async (_label, body, key) => {
      const res = await decide('d-call', 'gironde', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'BadRequest', message: fr(`admin.errors.${key}`, { max: '2000' }) } });
      expect((await stored('d-call'))!.chargeDecision).toBeUndefined();
    });

    it('says the limits in French', () => {
      expect(asRead(fr('admin.errors.decisionNoteTooLong', { max: '2000' }))).toBe('La note dépasse 2000 caractères : résumez-la.');
      expect(asRead(fr('admin.errors.badDecisionOutcome'))).toContain('« eligible » (éligibilité confirmée) ou « out_of_scope »');
    });
  });

  describe('users', () => {
    it('lets administrators add a chargé·e and hand out a login link; chargé·es cannot', async () => {
      expect((await get('/admin/api/users', 'gironde')).status).toBe(403);
      expect((await call('POST', '/admin/api/users', 'gironde', { email: 'x@dla.test', name: 'X', role: 'admin', departements: [] })).status).toBe(403);
      const bad = await call('POST', '/admin/api/users', 'admin', { email: 'new@dla.test', name: 'Nouvelle', role: 'charge', departements: '33, 99' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toBe(fr('admin.errors.badDepartements', { codes: '99' }));
      // Names as well as codes, as OPERATOR_DEPARTEMENTS and the filters take them; a wrong one named as written.
      const misspelt = await call('POST', '/admin/api/users', 'admin', { email: 'new@dla.test', name: 'Nouvelle', role: 'charge', departements: 'Gironde, Dordognee' });
      expect((await misspelt.json()).error.message).toBe(fr('admin.errors.badDepartements', { codes: 'Dordognee' }));
      const outside = await call('POST', '/admin/api/users', 'admin', { email: 'new@dla.test', name: 'Nouvelle', role: 'charge', departements: 'Hérault' });
      expect([outside.status, asRead((await outside.json()).error.message)]).toEqual([400, expect.stringContaining('Le département 34 n’est pas sur le territoire de ce DLA')]);
      const named = await call('POST', '/admin/api/users', 'admin', { email: 'named@dla.test', name: 'Nommée', role: 'charge', departements: 'Gironde; Dordogne' });
      expect((await named.json()).user).toMatchObject({ departements: ['33', '24'] });
      const res = await call('POST', '/admin/api/users', 'admin', { email: 'New@DLA.test', name: 'Nouvelle', role: 'charge', departements: '33, 24' });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.user).toMatchObject({ email: 'new@dla.test', role: 'charge', departements: ['33', '24'] });
      expect(body.loginUrl).toMatch(/^http:\/\/dla\.test\/admin\/#code=[A-Za-z0-9_-]{43}$/);
      const code = body.loginUrl.split('#code=')[1];
      // The page spends the code for a session token, once: a forwarded link opens nothing more.
      const [signIn, again] = await Promise.all([1, 2].map(() => call('POST', '/admin/api/session', undefined, { code })));
      expect([signIn.status, again.status].sort()).toEqual([200, 401]);
      const spent = signIn.status === 401 ? signIn : again;
      expect((await spent.json()).error.message).toBe(fr('admin.errors.badLoginLink'));
      tokens.newcomer = (await (signIn.status === 200 ? signIn : again).json()).token;
      expect(await ids('/admin/api/dossiers', 'newcomer')).toEqual(['d-dordogne', 'd-gironde', 'd-nowhere']);
      expect((await call('POST', '/admin/api/session', undefined, { code: 'x'.repeat(43) })).status).toBe(401);
      expect((await call('POST', '/admin/api/session', undefined, 'not json')).status).toBe(400);
      const users = (await (await get('/admin/api/users', 'admin')).json()).users;
      expect(users.map((u: { email: string }) => u.email)).toContain('new@dla.test');
      expect(JSON.stringify(users)).not.toMatch(/tokenHash/);
      // Changing her rights keeps her session and sends no new link.
      const changed = await call('POST', '/admin/api/users', 'admin', { email: 'new@dla.test', name: 'Nouvelle', role: 'charge', departements: ['33'] });
      expect(await changed.json()).toMatchObject({ created: false, user: { departements: ['33'] } });
      expect(await ids('/admin/api/dossiers', 'newcomer')).toEqual(['d-gironde', 'd-nowhere']);
      // A new link neither ends the session nor revives the spent one.
      const relink = await call('POST', `/admin/api/users/${encodeURIComponent('new@dla.test')}/token`, 'admin', {});
      expect(relink.status).toBe(200);
      expect((await get('/admin/api/me', 'newcomer')).status).toBe(200);
      expect((await call('POST', '/admin/api/session', undefined, { code })).status).toBe(401);
      expect((await call('POST', '/admin/api/users/nobody%40dla.test/token', 'admin', {})).status).toBe(404);
    });

    it('refuses to give a chargé·e a département outside the operator’s territory (OPERATOR_DEPARTEMENTS 33, 24)', async () => {
      const outside = await call('POST', '/admin/api/users', 'admin', { email: 'paris@dla.test', name: 'Paula', role: 'charge', departements: '33, 75' });
      expect(outside.status).toBe(400);
      expect(asRead((await outside.json()).error.message)).toBe('Le département 75 n’est pas sur le territoire de ce DLA (33, 24) : ses dossiers n’arrivent pas ici. Indiquez un département de ce territoire.');
      expect(await auth.get('paris@dla.test')).toBeUndefined();
      const ok = await call('POST', '/admin/api/users', 'admin', { email: 'paris@dla.test', name: 'Paula', role: 'charge', departements: '24' });
      expect(ok.status).toBe(200);
      await auth.removeUser('paris@dla.test');
    });

    it('refuses to demote the last administrator, and départements that are not a list', async () => {
      const last = await call('POST', '/admin/api/users', 'admin', { email: 'admin@dla.test', name: 'Admin', role: 'charge', departements: 'tous' });
      expect(last.status).toBe(409);
      expect((await last.json()).error.message).toBe(fr('admin.errors.lastAdmin', { email: 'admin@dla.test' }));
      expect((await get('/admin/api/me', 'admin')).status).toBe(200);
      expect(await auth.get('admin@dla.test')).toMatchObject({ role: 'admin' });
      // Structures read the name (« prise en charge par … »): never an address.
      const address = await call('POST', '/admin/api/users', 'admin', { email: 'sophie@dla33.fr', name: 'sophie@dla33.fr', role: 'charge', departements: ['33'] });
      expect(address.status).toBe(400);
      expect((await address.json()).error.message).toBe(fr('admin.errors.nameIsEmail'));
      // A chargé·e's départements left empty by mistake give no access to all: « tous » must be said.
      const empty = await call('POST', '/admin/api/users', 'admin', { email: 'x@dla.test', name: 'X', role: 'charge', departements: '' });
      expect(empty.status).toBe(400);
      expect(asRead((await empty.json()).error.message)).toBe(asRead(fr('admin.errors.departementsRequired')));
      const everywhere = await call('POST', '/admin/api/users', 'admin', { email: 'partout2@dla.test', name: 'Pat', role: 'charge', departements: 'tous' });
      expect((await everywhere.json()).user).toMatchObject({ departements: [] });
      const sneaky = await call('POST', '/admin/api/users', 'admin', { email: 'x@dla.test', name: 'X', role: 'charge', departements: { $ne: 1 } });
      expect(sneaky.status).toBe(400);
      expect(await auth.get('x@dla.test')).toBeUndefined();
    });

    it('removes a chargé·e who leaves: every session ends at once; never the last administrator; administrators only', async () => {
      await auth.upsertUser({ email: 'leaving@dla.test', name: 'Lou Départ', role: 'charge', departements: ['33'] });
      const laptop = (await auth.createUserToken('leaving@dla.test')).token;
      const phone = (await auth.createUserToken('leaving@dla.test')).token;
      const me = (token: string) => fetch(`${app.baseUrl}/admin/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await me(laptop)).status).toBe(200);
      const asCharge = await fetch(`${app.baseUrl}/admin/api/users/${encodeURIComponent('admin@dla.test')}`, { method: 'DELETE', headers: { authorization: `Bearer ${laptop}` } });
      expect(asCharge.status).toBe(403);
      const removed = await call('DELETE', `/admin/api/users/${encodeURIComponent('Leaving@DLA.test')}`, 'admin');
      expect(removed.status).toBe(200);
      expect([(await me(laptop)).status, (await me(phone)).status]).toEqual([401, 401]);
      expect(await auth.get('leaving@dla.test')).toBeUndefined();
      expect((await call('DELETE', `/admin/api/users/${encodeURIComponent('leaving@dla.test')}`, 'admin')).status).toBe(404);
      const last = await call('DELETE', `/admin/api/users/${encodeURIComponent('admin@dla.test')}`, 'admin');
      expect(last.status).toBe(409);
      expect((await last.json()).error.message).toBe(fr('admin.errors.lastAdmin', { email: 'admin@dla.test' }));
      expect((await get('/admin/api/me', 'admin')).status).toBe(200);
    });
  });

  describe('errors', () => {
    const en = translator('en');
    const big = JSON.stringify({ parcours: 'x'.repeat(1024 * 1024 + 10) });
    const cases: [string, string, string, string | undefined, string | undefined, number, (t: typeof fr) => string][] = [
      ['an unknown address', 'GET', '/admin/api/nothing', 'admin', undefined, 404, (t) => t('admin.errors.noRoute', { path: '/admin/api/nothing' })],
      ['an unknown address, signed out', 'POST', '/admin/api/dossiers/d-gironde/nothing', undefined, '{}', 404, (t) => t('admin.errors.noRoute', { path: '/admin/api/dossiers/d-gironde/nothing' })],
      ['a method the address does not take', 'GET', '/admin/api/logout', 'admin', undefined, 405, (t) => t('admin.errors.methodNotAllowed', { method: 'GET' })],
      ['a body that is not JSON', 'POST', '/admin/api/users', 'admin', '{"email": ', 400, (t) => t('admin.errors.badBodyContent')],
      ['a body over 1 MB', 'POST', '/admin/api/dossiers/d-gironde/parcours', 'gironde', big, 413, (t) => t('admin.errors.bodyTooLarge')],
      ['a filter given twice', 'GET', '/admin/api/dossiers?phase=accueil&phase=suivi', 'admin', undefined, 400, (t) => t('admin.errors.repeatedFilter', { name: 'phase' })],
    ];

    it.each(cases)('answer %s in French, as { error: { code, message } }', async (_label, method, url, who, body, status, message) => {
      const res = await call(method, url, who, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const json = await res.json();
      expect(json).toEqual({ error: { code: expect.any(String), message: message(fr) } });
    });

    it('answer in English for an English-speaking operator', async () => {
      register({ config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV, DEFAULT_LOCALE: 'en' }) });
      try {
        for (const [, method, url, who, body, status, message] of cases) {
          const res = await call(method, url, who, body);
          expect([url, res.status, (await res.json()).error.message]).toEqual([url, status, message(en)]);
        }
      } finally {
        register();
      }
    });

    it('answer a failure of the back-office itself in French, without its details', async () => {
      const outbox = app.app.outbox;
      register({ handoffs: { list: () => Promise.reject(new Error('handoffs collection down')), get: (id) => outbox.get(id), claim: (id, by) => outbox.claim(id, by), close: (id, by) => outbox.close(id, by), reopen: (id) => outbox.reopen(id), retry: (id) => outbox.retry(id) } });
      try {
        // A dossier's page reads its handoffs from the outbox (the handoff list reads the dossiers' summaries).
        const res = await get('/admin/api/dossiers/d-gironde', 'admin');
        expect(res.status).toBe(500);
        expect(await res.json()).toEqual({ error: { code: 'InternalError', message: fr('admin.errors.internal') } });
      } finally {
        register();
      }
    });

    it('leave the errors of other addresses alone', async () => {
      const res = await fetch(`${base}/api/nothing`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toBe('/api/nothing does not exist');
    });
  });

  describe('page', () => {
    it('is served at /admin/ in French, with a strict CSP and the texts as JSON', async () => {
      const res = await fetch(`${base}/admin/`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('<title>Back-office du DLA de la Gironde</title>');
      // The only inline script is data (JSON), which the CSP does not execute.
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
      expect(scripts).toEqual([' id="admin-config" type="application/json"', ' src="/admin/admin.js"']);
      const config = JSON.parse(/<script id="admin-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]);
      expect(config.texts.admin.nav.dossiers).toBe('Dossiers');
      expect(config.texts.themes.rh_emploi).toBe(fr('themes.label.rh_emploi'));
      expect(config.operatorDepartements).toEqual(['33', '24']);
      expect((await fetch(`${base}/admin`, { redirect: 'manual' })).headers.get('location')).toBe('/admin/');
      const js = await fetch(`${base}/admin/admin.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect((await fetch(`${base}/admin/admin.css`)).headers.get('content-type')).toMatch(/text\/css/);
    });

    it('never turns data into HTML: no innerHTML or the like in admin.js', () => {
      const js = fs.readFileSync(path.join(PROJECT_ROOT, 'public', 'admin', 'admin.js'), 'utf8');
      expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|createContextualFragment|DOMParser/);
      expect(js).toMatch(/textContent/);
    });

    it('uses only texts that exist in locales/fr/admin.json and locales/en/admin.json', () => {
      const js = fs.readFileSync(path.join(PROJECT_ROOT, 'public', 'admin', 'admin.js'), 'utf8');
      const keys = [...js.matchAll(/\bt\('([a-zA-Z.]+)'[,)]/g)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(50);
      // Keys the page builds from a value: every value has its text.
      const each = (prefix: string, values: readonly string[]) => values.map((v) => `${prefix}.${v}`);
      keys.push(
        ...each('nav', ['dossiers', 'handoffs', 'stats', 'users']), ...each('phase', PHASES), ...each('status', DOSSIER_STATUSES),
        ...each('outcome', OUTCOMES), ...each('handoffStatus', HANDOFF_STATUSES), ...each('role', ADMIN_ROLES),
        ...each('roles', ['user', 'bot', 'unknown']), ...each('urgency', ['normal', 'high']),
        ...each('handoffReason', HANDOFF_REASONS),
        ...each('followup.status', CHECKIN_STATUSES), ...each('followup.send', ['sent', 'error', 'gone']),
        ...each('followup.columns', ['due', 'milestone', 'state', 'sends', 'actions']),
        ...each('stats.steps', ['firstContact', 'eligible', 'diagnosticConfirmed', 'handedOff', 'followupAnswered']),
        ...each('columns', ['structure', 'departement', 'phase', 'status', 'outcome', 'handoff', 'theme', 'createdAt', 'updatedAt']),
        ...each('handoffs', ['received', 'structure', 'reason', 'urgency', 'state', 'actions']),
        ...each('handoffs.due', ['overdue', 'today']), ...each('handoffs.filter', ['waiting', 'all']),
        ...each('users', ['email', 'name', 'role', 'departements', 'lastSeen', 'actions']),
      );
      const resources = loadResources();
      for (const lng of ['fr', 'en'] as const) {
        const admin = resources[lng].translation.admin as Record<string, unknown>;
        const text = (k: string) => k.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p], admin);
        // A counted text has its plural forms (key_one, key_other) instead of the key itself.
        const missing = keys.filter((k) => typeof text(k) !== 'string' && !(typeof text(`${k}_one`) === 'string' && typeof text(`${k}_other`) === 'string'));
        expect([lng, missing]).toEqual([lng, []]);
      }
    });

    it('escapes the operator name in the page', async () => {
      const other = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA </script><script>alert(1)</script>' });
      try {
        registerAdminRoutes(other.app.server, { connection: db.connection, config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), OPERATOR_NAME: 'DLA </script><script>alert(1)</script>' }), handoffs: other.app.outbox });
        const html = await (await fetch(`${other.baseUrl}/admin/`)).text();
        expect(html).not.toContain('<script>alert(1)');
        expect(html).toContain('DLA &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)');
      } finally {
        await other.close();
      }
    });
  });
});
