import fs from 'node:fs';
import { asRead } from '../helpers/asRead';
import os from 'node:os';
import path from 'node:path';
import { isFrenchPublicHoliday } from '../../src/domain/checkinPlan';
import { Browser, Page } from 'playwright-core';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium } from '../helpers/browser';
import { AdminAuth } from '../../src/admin/auth';
import { registerAdminRoutes, TranscriptReader } from '../../src/admin/routes';
import { loadConfig } from '../../src/config';
import { listExisting } from '../../src/store/lookups';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { until } from '../helpers/wait';
import { WebhookSink } from '../helpers/webhookSink';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' };
const WEBHOOK_SECRET = 'e2e-webhook-secret';
const XSS = '<script>alert(1)</script><img src=x onerror="window.__xss=1">';
const XSS_NAME = '<b>Gras</b><img src=x onerror="window.__xss=2">';
// The assistant's summaries are written in a little markdown; a structure may type asterisks around HTML.
const SUMMARY = 'Voici le résumé :\n- **Quoi** : atelier *vélo*\n- **Budget** : 180 k€, _à confirmer_\nEst-ce bien cela ?';
const XSS_BOLD = '**<img src=x onerror="window.__xss=3">** et rh_emploi';

const transcripts: TranscriptReader = {
  async getTranscriptActivities() {
    return {
      items: [
        { type: 'message', text: 'Bonjour', from: { id: 'u', role: 'user' }, timestamp: '2026-01-10T09:00:01Z' },
        { type: 'message', text: 'Bonjour et bienvenue !', from: { id: 'b', role: 'bot' }, timestamp: '2026-01-10T09:00:02Z' },
        { type: 'message', text: XSS, from: { id: 'u', role: 'user' }, timestamp: '2026-01-10T09:00:03Z' },
        { type: 'message', text: SUMMARY, from: { id: 'b', role: 'bot' }, timestamp: '2026-01-10T09:00:04Z' },
        { type: 'message', text: XSS_BOLD, from: { id: 'u', role: 'user' }, timestamp: '2026-01-10T09:00:05Z' },
        { type: 'message', text: '', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'Finances' }, { type: 'TextBlock', text: '**Budget annuel** : 180 000 €' }] } }], from: { id: 'b', role: 'bot' }, timestamp: '2026-01-10T09:00:06Z' },
        { type: 'message', value: { area: 'finance', situation: XSS, urgency: '4' }, from: { id: 'u', role: 'user' }, timestamp: '2026-01-10T09:00:07Z' },
      ],
    };
  },
};

/** The visible status line (what an action did): its text once shown on screen, not only to screen readers. */
async function shownStatus(page: Page, text: string): Promise<void> {
  const status = page.locator('#status.toast', { hasText: text });
  await status.waitFor();
  const box = await status.boundingBox();
  expect(box && box.width > 100 && box.height > 16).toBe(true);
  expect(await status.getAttribute('role')).toBe('status');
}

/** The page never scrolls sideways, nor does the table's own box (.scroll): everything is in reach. */
async function fitsWithoutScrolling(page: Page, table: string): Promise<void> {
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await page.locator(table).evaluate((el) => { const box = el.closest('.scroll')!; return box.scrollWidth <= box.clientWidth; })).toBe(true);
}

/** The focused element, by its accessible name (aria-label, or its text), once the page has put the focus there. */
async function focusedIs(page: Page, name: string): Promise<void> {
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el && el !== document.body ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : '(body)';
  });
  await page.waitForFunction((n) => {
    const el = document.activeElement;
    return el && el !== document.body && (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() === n;
  }, name, { timeout: 5000 }).catch(() => undefined);
  expect(await focused()).toBe(name);
}

/** Every button with an accessible name of its own: that name starts with the text it shows (WCAG 2.5.3). */
async function labelsStartWithTheirText(page: Page): Promise<void> {
  const mismatched = await page.evaluate(() => Array.from(document.querySelectorAll('main button[aria-label]'))
    .map((b) => [b.textContent!.trim(), b.getAttribute('aria-label')!] as const)
    .filter(([text, label]) => !label.toLowerCase().startsWith(text.toLowerCase())));
  expect(mismatched).toEqual([]);
}

describeWithChromium('back-office page in headless Chromium', () => {
  let db: TestDb;
  let app: RunningApp;
  /** The chargé·es' webhook receiver (their CRM); the outbox gives a delivery up at its first failure. */
  let hook: WebhookSink;
  let browser: Browser;
  let page: Page;
  let adminCode: string;
  let sessionToken: string;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  /** How the page's confirm() dialogs are answered (an alert from injected markup would be recorded too). */
  let confirmAnswer = false;

  beforeAll(async () => {
    db = await openTestDb('admin_e2e');
    hook = await new WebhookSink(WEBHOOK_SECRET).start();
    app = await startTestApp(db.connection, { ...ENV, HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: WEBHOOK_SECRET, HANDOFF_MAX_ATTEMPTS: '1' });
    registerAdminRoutes(app.app.server, { connection: db.connection, config: loadConfig({ PORT: '0', DATA_DIR: os.tmpdir(), ...ENV }), transcripts, handoffs: app.app.outbox });
    const at = new Date('2025-06-01T10:00:00Z');
    const base = { status: 'submitted', channelUsers: [], consent: { given: true, at, retentionMonths: 36 }, createdAt: at };
    await storedDossiers(db.connection).insertMany([
      {
        ...base, _id: 'd-velo', phase: 'diagnostic', departement: '33', siret: '73282932000074', updatedAt: new Date('2025-09-01'),
        answers: { name: 'Les Amis du Vélo', location: { postalCode: '33000', departement: '33' }, request: 'Consolider nos emplois', contact: { name: 'Camille Martin', phone: '06 12 34 56 78', otherPhone: '05 56 00 00 00', email: 'camille@example.org' } },
        decision: { outcome: 'eligible', rulesVersion: 'r1', decidedAt: at, reasons: [{ code: 'employer', outcome: 'eligible', source: 'x' }] },
        diagnostic: { answers: { activity: 'Atelier vélo' }, themes: ['rh_emploi'], ranking: ['rh_emploi', 'projet_strategie'], version: 1, confirmedAt: new Date('2025-09-01'), year: 2025, primaryTheme: 'rh_emploi' },
      },
      {
        ...base, _id: 'd-xss', phase: 'accueil', departement: '24', siret: '73282932000074', updatedAt: new Date('2025-08-01'), answers: { name: XSS_NAME },
        decision: { outcome: 'to_confirm', rulesVersion: 'r1', decidedAt: at, reasons: [] },
      },
      {
        ...base, _id: 'd-2026', phase: 'parcours', departement: '33', updatedAt: new Date('2026-02-01'), answers: { name: 'Scop du Lac' },
        diagnostic: { answers: {}, themes: [], ranking: ['projet_strategie'], version: 1, confirmedAt: new Date('2026-01-15'), year: 2026, primaryTheme: 'projet_strategie' },
      },
      { ...base, _id: 'd-new', phase: 'accueil', status: 'in_progress', departement: '33', updatedAt: new Date('2025-07-01'), answers: { name: 'Asso Neuve' } },
    ] as never[]);
    await storedHandoffs(db.connection).insertOne({
      _id: 'h-velo', dossierId: 'd-velo', departement: '33', structureName: 'Les Amis du Vélo', reason: 'diagnostic_confirmed', urgency: 'high',
      consent: true, status: 'open', deliveries: [], transcript: { channelId: 'directline', conversationId: 'conv-velo' },
      contact: { name: 'Camille Martin', phone: '06 12 34 56 78', email: 'camille@example.org' },
      createdAt: new Date('2026-01-10T10:00:00Z'), updatedAt: new Date('2026-01-10T10:00:00Z'),
    } as never);
    // Stored as by an earlier version: listed by SIRET and by dossier as the upgrade at start does.
    await listExisting(db.connection);
    const auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    adminCode = (await auth.createLoginCode('admin@dla.test')).code;

    browser = await launchChromium();
    // A context of its own, so that a second tab of the same browser can be opened (sign-out test).
    page = await (await browser.newContext({ locale: 'fr-FR', viewport: { width: 1200, height: 900 }, acceptDownloads: true })).newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('dialog', (d) => { dialogs.push(d.message()); void (confirmAnswer ? d.accept() : d.dismiss()); });
  }, 60000);

  afterAll(() => closeAll(browser, app, hook, db));

  it('asks for a login link when there is no token, and refuses a wrong one', async () => {
    await page.goto(`${app.baseUrl}/admin/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    // The first Tab reaches the skip link; the link field is labelled.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.getByLabel('Lien de connexion').fill('http://x/admin/#code=' + 'A'.repeat(43));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'n’est pas valide' }).waitFor();
  }, 30000);

  it('spends the link’s code for a session, hides it, and lists the dossiers', async () => {
    await page.goto(`${app.baseUrl}/admin/#code=${adminCode}`);
    await page.locator('#dossiers-table').waitFor();
    expect(page.url()).not.toContain(adminCode);
    expect(page.url()).toMatch(/\/admin\/#\/dossiers$/);
    sessionToken = (await page.evaluate(() => localStorage.getItem('dla.admin.token')))!;
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionToken).not.toBe(adminCode);
    expect(await page.locator('#dossiers-table caption').textContent()).toMatch(/^4 dossiers, du plus récemment modifié/);
    expect(await page.locator('#dossiers-table tbody tr').count()).toBe(4);
    // What needs someone shows in the list: the open handoff of Les Amis du Vélo.
    expect(await page.locator('#dossiers-table tbody tr', { hasText: 'Les Amis du Vélo' }).locator('.badge.handoff-open').innerText()).toBe('Ouverte');
    expect(await page.locator('#dossiers-table .badge.handoff-open').count()).toBe(1);
    // A structure name made of HTML is shown as typed.
    await page.getByRole('link', { name: XSS_NAME }).waitFor();
    expect(await page.locator('#dossiers-table b').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-dossiers.png'), fullPage: true });
  }, 30000);

  it('names a dossier made by a handoff before the accueil by its contact, marked as such and shown as typed', async () => {
    const dossiers = storedDossiers(db.connection);
    const at = new Date('2025-06-01T10:00:00Z');
    await dossiers.insertOne({
      _id: 'd-sophie', phase: 'accueil', status: 'in_progress', channelUsers: [], consent: { given: true, at, retentionMonths: 36 },
      createdAt: at, updatedAt: new Date('2025-06-02'), answers: { contact: { name: 'Sophie <i>B</i>', phone: '06 12 34 56 78' } },
    } as never);
    try {
      await page.reload();
      await page.locator('#dossiers-table').waitFor();
      await page.getByRole('link', { name: 'Sophie <i>B</i> (contact)', exact: true }).waitFor();
      expect(await page.locator('#dossiers-table i').count()).toBe(0);
      expect(await page.locator('#dossiers-table', { hasText: '(structure sans nom)' }).count()).toBe(0);
      // No postal code given before the handoff: said so, not « département — ».
      await page.getByRole('link', { name: 'Sophie <i>B</i> (contact)', exact: true }).click();
      expect(asRead(await page.locator('p.summary').innerText())).toBe('Phase Accueil · Accueil en cours · département non renseigné · premier contact le 1er juin 2025');
      // Its handoff is named the same way in the Transmissions list and on its buttons.
      await storedHandoffs(db.connection).insertOne({
        _id: 'h-sophie', dossierId: 'd-sophie', departement: '33', reason: 'user_request', urgency: 'normal', consent: true, status: 'open',
        deliveries: [], transcript: { channelId: 'directline', conversationId: 'conv-sophie' }, contact: { name: 'Sophie <i>B</i>', phone: '06 12 34 56 78' },
        // Words the structure added since: shown as typed, newest last.
        messages: [{ text: 'Trésorerie <b>tendue</b>', at: new Date('2025-06-03T09:00:00Z') }, { text: 'on a aussi un souci avec notre local', at: new Date('2025-06-04T09:00:00Z') }],
        createdAt: at, updatedAt: at,
      } as never);
      await page.getByRole('link', { name: 'Transmissions' }).click();
      const row = page.locator('tr[data-handoff="h-sophie"]');
      await row.waitFor();
      expect(await row.locator('th').innerText()).toContain('Sophie <i>B</i> (contact)');
      expect(asRead(await row.locator('.added-messages p').innerText())).toBe('2 messages ajoutés par la structure après la transmission :');
      const added = (await row.locator('.added-messages li').allInnerTexts()).map(asRead);
      expect(added).toEqual([expect.stringMatching(/^le 3 juin 2025.* : Trésorerie <b>tendue<\/b>$/), expect.stringMatching(/^le 4 juin 2025.* : on a aussi un souci avec notre local$/)]);
      expect(await row.locator('b').count()).toBe(0);
      await row.getByRole('button', { name: 'Clore la transmission de Sophie <i>B</i> (contact)' }).waitFor();
      expect(await page.locator('table.handoffs', { hasText: '(structure sans nom)' }).count()).toBe(0);
    } finally {
      await storedHandoffs(db.connection).deleteOne({ _id: 'h-sophie' as never });
      await dossiers.deleteOne({ _id: 'd-sophie' as never });
      await page.goto(page.url().replace(/#.*$/, '#/dossiers'));
      await page.reload();
      await page.locator('#dossiers-table').waitFor();
    }
  }, 30000);

  it('shows a long list a page at a time: « Afficher plus » by keyboard, with the filters kept', async () => {
    const dossiers = storedDossiers(db.connection);
    const at = new Date('2024-01-01T10:00:00Z');
    await dossiers.insertMany(Array.from({ length: 150 }, (_, i) => ({
      _id: `d-long-${String(i).padStart(3, '0')}`, phase: 'suivi', status: 'submitted', departement: '24', channelUsers: [],
      consent: { given: true, at, retentionMonths: 36 }, createdAt: at, updatedAt: new Date(at.getTime() + i * 3_600_000), answers: { name: `Structure longue ${i}` },
    })) as never[]);
    try {
      await page.goto(`${page.url().split('#')[0]}#/dossiers?phase=suivi`);
      const caption = page.locator('#dossiers-table caption');
      await caption.waitFor();
      expect(await caption.textContent()).toBe('100 dossiers affichés sur 150, du plus récemment modifié au plus ancien');
      expect(await page.locator('#dossiers-table tbody tr').count()).toBe(100);
      const more = page.getByRole('button', { name: 'Afficher les 50 dossiers suivants (50 restants)' });
      await more.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('#dossiers-table tbody tr').length === 150);
      expect(await caption.textContent()).toBe('150 dossiers, du plus récemment modifié au plus ancien');
      // The keyboard goes on from the first row brought, the oldest change (the 51st structure) last; nothing more to show.
      await focusedIs(page, 'Structure longue 49');
      expect(await page.locator('#dossiers-table tbody tr').last().locator('a').textContent()).toBe('Structure longue 0');
      expect(await page.locator('#more-dossiers').isHidden()).toBe(true);
      // Every row of the filter, once: the filter is kept from page to page.
      expect(new Set(await page.locator('#dossiers-table tbody th a').allTextContents()).size).toBe(150);
      expect(await page.getByLabel('Phase').inputValue()).toBe('suivi');
      // Back from a dossier of the second page, the list shows it again, focused.
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /Structure longue 49/ }).waitFor();
      await page.goBack();
      await caption.waitFor();
      await focusedIs(page, 'Structure longue 49');
      expect(await page.locator('#dossiers-table tbody tr').count()).toBe(150);
    } finally {
      await dossiers.deleteMany({ _id: { $in: Array.from({ length: 150 }, (_, i) => `d-long-${String(i).padStart(3, '0')}`) } } as never);
      await page.goto(page.url().replace(/#.*$/, '#/dossiers'));
      await page.locator('#dossiers-table').waitFor();
    }
  }, 60000);

  it('fits a 390 px wide phone: nothing but the tables scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const overflow = () => page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        // What sticks out, for the failure message (inside .scroll, the table scrolls in its box).
        wide: Array.from(document.querySelectorAll('body *')).filter((el) => !el.closest('.scroll') && el.getBoundingClientRect().right > 390.5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className : ''}`),
      }));
      await page.goto(`${page.url().split('#')[0]}#/dossiers`);
      await page.locator('#dossiers-table').waitFor();
      expect(await overflow()).toEqual({ scrollWidth: 390, wide: [] });
      // The page's title, who is signed in and the table's caption wrap instead of being cut.
      for (const selector of ['#heading', '#session .who', '#dossiers-table caption']) {
        expect(await page.locator(selector).evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= 390)).toBe(true);
      }
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-dossiers-390.png'), fullPage: true });
      await page.getByRole('link', { name: 'Les Amis du Vélo' }).click();
      await page.getByRole('heading', { name: 'Dossier : Les Amis du Vélo' }).waitFor();
      await page.locator('ol.transcript').waitFor();
      expect(await overflow()).toEqual({ scrollWidth: 390, wide: [] });
      // The handoffs: one card per handoff, its buttons on screen (no sideways scrolling to reach them).
      await page.getByRole('link', { name: 'Transmissions' }).click();
      await page.locator('table.handoffs').waitFor();
      expect(await overflow()).toEqual({ scrollWidth: 390, wide: [] });
      expect(await page.locator('table.handoffs').evaluate((el) => { const box = el.closest('.scroll')!; return box.scrollWidth <= box.clientWidth; })).toBe(true);
      for (const name of ['Prendre en charge la transmission des Amis du Vélo', 'Clore la transmission des Amis du Vélo']) {
        const box = (await page.getByRole('button', { name }).boundingBox())!;
        expect(box.x >= 0 && box.x + box.width <= 390).toBe(true);
      }
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-handoffs-390.png'), fullPage: true });
      await page.getByRole('link', { name: 'Statistiques' }).click();
      await page.locator('svg.funnel').waitFor();
      expect(await overflow()).toEqual({ scrollWidth: 390, wide: [] });
      // The charts are drawn for the phone: text of a readable size, the whole figure in view (values included).
      const smallest = await page.evaluate(() => Math.min(...Array.from(document.querySelectorAll('svg.chart text')).map((el) => el.getBoundingClientRect().height).filter((h) => h > 0)));
      expect(smallest).toBeGreaterThanOrEqual(13);
      const cut = await page.evaluate(() => Array.from(document.querySelectorAll('svg.chart text')).filter((el) => {
        const figure = el.closest('figure')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.left < figure.left - 0.5 || r.right > figure.right + 0.5;
      }).map((el) => el.textContent));
      expect(cut).toEqual([]);
      expect(await page.evaluate(() => Array.from(document.querySelectorAll('figure.chart-figure')).every((f) => f.scrollWidth <= f.clientWidth))).toBe(true);
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-stats-390.png'), fullPage: true });
      // The users: one card per user, its buttons on screen (the table was cut at « administra »).
      await page.getByRole('link', { name: 'Utilisateurs' }).click();
      await page.locator('table.users').waitFor();
      expect(await overflow()).toEqual({ scrollWidth: 390, wide: [] });
      await fitsWithoutScrolling(page, 'table.users');
      const newLink = (await page.getByRole('button', { name: /^Nouveau lien de connexion/ }).first().boundingBox())!;
      expect(newLink.x >= 0 && newLink.x + newLink.width <= 390).toBe(true);
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-users-390.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${page.url().split('#')[0]}#/dossiers`);
      await page.locator('#dossiers-table').waitFor();
    }
  }, 30000);

  it('names the « Accueil » column and filter for what they are, and filters on a département typed by name', async () => {
    expect(await page.locator('#dossiers-table thead th').allTextContents()).toContain('Accueil');
    expect(await page.locator('#dossiers-table thead th').allTextContents()).not.toContain('Statut');
    expect(await page.getByLabel('Accueil', { exact: true }).locator('option').allTextContents()).toEqual(['Tous', 'Accueil en cours', 'Accueil terminé']);
    await page.getByLabel('Département').fill('Gironde');
    expect(await page.getByLabel('Département').inputValue()).toBe('Gironde'); // not cut to « Gir »
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.locator('#dossiers-table caption', { hasText: /^3 dossiers, du plus/ }).waitFor();
    await page.getByLabel('Département').fill('Girond');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    expect(asRead(await page.getByRole('alert').innerText())).toBe('Département inconnu : « Girond ». Indiquez un code, par exemple 33, ou un nom, par exemple Gironde.');
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await page.locator('#dossiers-table caption', { hasText: /^4 dossiers, du plus/ }).waitFor();
  }, 30000);

  it('offers « Département non renseigné » in the département list, and it filters the dossiers without one', async () => {
    const dossiers = storedDossiers(db.connection);
    const at = new Date('2025-06-01T10:00:00Z');
    await dossiers.insertOne({
      _id: 'd-sans-cp', phase: 'accueil', status: 'in_progress', channelUsers: [], consent: { given: true, at, retentionMonths: 36 },
      createdAt: at, updatedAt: at, answers: { name: 'Asso sans code postal' },
    } as never);
    try {
      await page.reload();
      await page.locator('#dossiers-table caption', { hasText: /^5 dossiers, du plus/ }).waitFor();
      const field = page.getByLabel('Département');
      const offered = await page.locator(`#${await field.getAttribute('list')} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toEqual(['33', '24', 'Département non renseigné']);
      expect(asRead((await page.locator(`#${await field.getAttribute('aria-describedby')}`).textContent())!)).toContain('« Département non renseigné » pour les dossiers sans code postal');
      await field.fill('Département non renseigné');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/departement=none/);
      await page.locator('#dossiers-table caption', { hasText: /^1 dossier, du plus/ }).waitFor();
      expect(await page.locator('#dossiers-table tbody th').allTextContents()).toEqual(['Asso sans code postal']);
      // Opened from the address (a bookmark, a reload), the field says it in words.
      await page.reload();
      await page.locator('#dossiers-table caption', { hasText: /^1 dossier, du plus/ }).waitFor();
      expect(await page.getByLabel('Département').inputValue()).toBe('Département non renseigné');
      await page.getByRole('button', { name: 'Effacer les filtres' }).click();
      await page.locator('#dossiers-table caption', { hasText: /^5 dossiers, du plus/ }).waitFor();
    } finally {
      await dossiers.deleteOne({ _id: 'd-sans-cp' as never });
    }
    await page.reload();
    await page.locator('#dossiers-table caption', { hasText: /^4 dossiers, du plus/ }).waitFor();
  }, 30000);

  it('finds the structure on the phone by what it says — its number — typed in « Rechercher » then Enter', async () => {
    await page.goto(`${page.url().split('#')[0]}#/dossiers`);
    await page.locator('#dossiers-table caption', { hasText: /^4 dossiers, du plus/ }).waitFor();
    await page.getByLabel('Rechercher').fill('06 12 34 56 78');
    await page.getByLabel('Rechercher').press('Enter');
    await page.waitForURL(/q=06/);
    await page.locator('#dossiers-table caption', { hasText: /^1 dossier, du plus/ }).waitFor();
    expect(await page.locator('#dossiers-table tbody tr').innerText()).toContain('Les Amis du Vélo');
    expect(await page.getByLabel('Rechercher').inputValue()).toBe('06 12 34 56 78');
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await page.locator('#dossiers-table caption', { hasText: /^4 dossiers, du plus/ }).waitFor();
    expect(await page.getByLabel('Rechercher').inputValue()).toBe('');
  }, 30000);

  it('filters with the keyboard', async () => {
    await page.getByLabel('Phase').focus();
    await page.getByLabel('Phase').selectOption('diagnostic');
    await page.getByRole('button', { name: 'Filtrer' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/phase=diagnostic/);
    await page.locator('#dossiers-table caption', { hasText: /^1 dossier, du plus/ }).waitFor();
    expect(await page.locator('#dossiers-table tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Phase').inputValue()).toBe('diagnostic');
  }, 30000);

  it('downloads the CSV of the filtered list', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger en CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dossiers-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const bytes = fs.readFileSync(file!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"Les Amis du Vélo"');
  }, 30000);

  it('shows a dossier; the transcript is text, never markup', async () => {
    await page.getByRole('link', { name: 'Les Amis du Vélo' }).click();
    await page.getByRole('heading', { name: 'Dossier : Les Amis du Vélo' }).waitFor();
    // Reasons written about the structure, for the chargé·e.
    await page.getByText('La structure emploie au moins une personne salariée', { exact: false }).waitFor();
    // Whom to call: a tap on the phone or the e-mail calls or writes.
    const answers = page.locator('section', { has: page.getByRole('heading', { name: 'Réponses à l’accueil' }) });
    expect(await answers.getByRole('link', { name: '06 12 34 56 78' }).getAttribute('href')).toBe('tel:0612345678');
    expect(await answers.getByRole('link', { name: 'camille@example.org' }).getAttribute('href')).toBe('mailto:camille@example.org');
    // Its other phone (« Autre téléphone »), said so, after the first.
    expect(await answers.getByRole('link', { name: '05 56 00 00 00' }).getAttribute('href')).toBe('tel:0556000000');
    expect(asRead((await answers.getByText('autre téléphone :', { exact: false }).textContent())!)).toBe('autre téléphone : 05 56 00 00 00');
    // The channel as chargé·es know it.
    await page.getByRole('heading', { name: 'Conversation web chat · 7 messages' }).waitFor();
    expect(await page.locator('ol.ranking li').allTextContents()).toEqual(['Emploi et ressources humaines (salarié·es, bénévoles)', 'Projet et stratégie']);
    const texts = await page.locator('ol.transcript .text').allTextContents();
    expect(texts.slice(0, 3)).toEqual(['Bonjour', 'Bonjour et bienvenue !', XSS]);
    expect(texts).toHaveLength(7);
    // A card and what the structure submitted in it: read, as text.
    // One line per text of the card, its Markdown shown as bold, not as asterisks.
    const card = page.locator('ol.transcript .card');
    expect((await card.innerText()).split('\n')).toEqual(['[carte] Finances', 'Budget annuel : 180 000 €']);
    expect(await card.locator('strong').allTextContents()).toEqual(['Budget annuel']);
    expect((await page.locator('ol.transcript .answer').allTextContents()).map(asRead)).toEqual([`Réponse au formulaire : ${XSS} (urgence 4/4)`]);
    // The summary's markdown is shown as bold, italics, a list and line breaks, not as asterisks.
    const summary = page.locator('ol.transcript .text').nth(3);
    expect(await summary.innerText()).not.toMatch(/[*_]/);
    expect(await summary.locator('ul > li').allTextContents()).toEqual(['Quoi : atelier vélo', 'Budget : 180 k€, à confirmer']);
    expect(await summary.locator('strong').allTextContents()).toEqual(['Quoi', 'Budget']);
    expect(await summary.locator('em').allTextContents()).toEqual(['vélo', 'à confirmer']);
    expect((await summary.innerText()).split('\n').map((l) => l.trim()).filter(Boolean)).toEqual([
      'Voici le résumé :', 'Quoi : atelier vélo', 'Budget : 180 k€, à confirmer', 'Est-ce bien cela ?',
    ]);
    // HTML between asterisks is bold text; an underscore inside a word stays.
    const bold = page.locator('ol.transcript .text').nth(4);
    expect(await bold.locator('strong').allTextContents()).toEqual(['<img src=x onerror="window.__xss=3">']);
    expect(await bold.textContent()).toBe('<img src=x onerror="window.__xss=3"> et rh_emploi');
    expect(await page.locator('ol.transcript script, ol.transcript img').count()).toBe(0);
    expect(await page.getByText(XSS, { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-dossier.png'), fullPage: true });
  }, 30000);

  it('validates and records the parcours', async () => {
    await page.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    await page.getByRole('alert').filter({ hasText: 'Décrivez le parcours' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('parcours');
    await page.getByLabel('Parcours construit avec la structure').fill('Consultant·e RH, 3 jours');
    await page.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    // Who recorded it, by name (as handoffs say who took them up); what it did, on screen.
    await shownStatus(page, 'Parcours enregistré : le dossier est en phase « Parcours »');
    await page.getByText('Parcours enregistré par Alex Admin le', { exact: false }).waitFor();
    expect(await page.locator('.parcours-text').textContent()).toBe('Consultant·e RH, 3 jours');
    await focusedIs(page, 'Enregistrer le parcours');
  }, 30000);

  it('adds, moves and cancels a follow-up check-in from the dossier', async () => {
    /** A weekday `days` from now, as the date field takes it, and as the page shows it. */
    const weekday = (days: number) => {
      const d = new Date(Date.now() + days * 86_400_000);
      while (d.getUTCDay() === 0 || d.getUTCDay() === 6 || isFrenchPublicHoliday(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) d.setUTCDate(d.getUTCDate() + 1);
      const value = d.toISOString().slice(0, 10);
      return { value, shown: new Date(`${value}T12:00:00Z`).toLocaleDateString('fr-FR', { year: 'numeric', month: 'short', day: 'numeric' }) };
    };
    await page.getByText('Aucune relance prévue', { exact: false }).waitFor();
    // A day already past is refused, with the reason, and the field gets the focus.
    await page.getByLabel('Date de la relance').fill('2020-01-06');
    await page.getByRole('button', { name: 'Ajouter la relance' }).click();
    await page.getByRole('alert').filter({ hasText: 'déjà passée' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('date');
    // Another action starts: the earlier error box goes, only the new one is shown.
    await page.getByLabel('Parcours construit avec la structure').fill('');
    await page.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    await page.getByRole('alert').filter({ hasText: 'Décrivez le parcours' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(1);

    const first = weekday(40);
    await page.getByLabel('Date de la relance').fill(first.value);
    await page.getByRole('button', { name: 'Ajouter la relance' }).click();
    const row = page.locator('table.checkins tbody tr');
    await row.filter({ hasText: 'Ajoutée par Alex Admin' }).waitFor();
    // Done: said on screen, and the error of the earlier attempt is gone.
    await shownStatus(page, 'Relance ajoutée pour le');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').first().textContent()).toContain(first.shown);
    expect(await row.textContent()).toContain('Prévue');
    // Redrawn: the focus goes back to the follow-up's heading (Tab goes on into its check-ins), not the page's top.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H3');
    expect(asRead(await page.evaluate(() => document.activeElement!.textContent!))).toBe('Suivi : relances de la structure');

    const second = weekday(60);
    await page.getByLabel('Nouvelle date de la relance « Ajoutée par Alex Admin »').fill(second.value);
    await page.getByRole('button', { name: 'Déplacer' }).click();
    await row.locator('td', { hasText: second.shown }).waitFor();
    // The date field shows the check-in's own day (in the operator's time zone).
    expect(await page.getByLabel('Nouvelle date de la relance « Ajoutée par Alex Admin »').inputValue()).toBe(second.value);

    // A Saturday is no sending day: the page says so, and the check-in goes to the Monday.
    const saturday = new Date(Date.now() + 20 * 86_400_000);
    while (saturday.getUTCDay() !== 6) saturday.setUTCDate(saturday.getUTCDate() + 1);
    await page.getByLabel('Date de la relance', { exact: true }).fill(saturday.toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Ajouter la relance' }).click();
    await shownStatus(page, 'n’est pas un jour d’envoi');
    await row.nth(1).waitFor();
    // Still on screen a moment later: time to read it.
    await page.waitForTimeout(1500);
    await shownStatus(page, 'n’est pas un jour d’envoi');

    // Cancelling asks first; « Annuler » in the dialog keeps the check-in.
    const cancel = page.getByRole('button', { name: `Annuler la relance « Ajoutée par Alex Admin » du ${second.shown}` });
    await cancel.click();
    expect(asRead(dialogs.pop()!)).toBe(`Annuler la relance « Ajoutée par Alex Admin » du ${second.shown} ? Elle ne sera pas envoyée à la structure.`);
    expect(await row.filter({ hasText: 'Annulée' }).count()).toBe(0);
    confirmAnswer = true;
    try {
      await cancel.click();
      await row.filter({ hasText: 'Annulée' }).waitFor();
    } finally {
      confirmAnswer = false;
    }
    dialogs.pop();
    await shownStatus(page, 'Relance annulée.');
    expect(await row.filter({ hasText: 'Annulée' }).locator('button').count()).toBe(0);
    // Who cancelled it, and when.
    expect(await row.filter({ hasText: 'Annulée' }).innerText()).toMatch(/par Alex Admin le \d+/);
    await labelsStartWithTheirText(page);
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-followup.png'), fullPage: true });
  }, 30000);

  it('claims then closes a handoff', async () => {
    await page.getByRole('link', { name: 'Transmissions' }).click();
    await page.getByRole('heading', { name: 'Transmissions aux chargé·es' }).waitFor();
    expect(await page.getByRole('link', { name: 'Transmissions' }).getAttribute('aria-current')).toBe('page');
    // Whom to call back, how, and by when (made Saturday 10 January 2026: five working days later is Friday 16).
    const velo = page.locator('tr[data-handoff="h-velo"]');
    expect(await velo.getByRole('link', { name: '06 12 34 56 78' }).getAttribute('href')).toBe('tel:0612345678');
    expect(await velo.getByRole('link', { name: 'camille@example.org' }).getAttribute('href')).toBe('mailto:camille@example.org');
    expect(await velo.innerText()).toContain('Camille Martin');
    // Long past (the test runs later): marked overdue, on screen and in the words read out.
    expect(asRead(await velo.locator('.call-back').innerText())).toBe('à rappeler au plus tard le 16 janv. 2026 en retard');
    expect(await velo.locator('.badge.due-overdue').isVisible()).toBe(true);
    expect(asRead(await page.locator('.due-summary').innerText())).toBe('1 transmission en retard');
    // By default, the handoffs someone must still call.
    expect(await page.getByLabel('État').inputValue()).toBe('waiting');
    expect(await page.getByLabel('État').locator('option:checked').innerText()).toBe('À traiter (ouvertes ou prises en charge)');
    await page.getByRole('button', { name: 'Prendre en charge la transmission des Amis du Vélo' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Prise en charge par Alex Admin' }).waitFor();
    await shownStatus(page, 'Transmission prise en charge.');
    // The keyboard user's place is kept: the focus is on the row's next action, and Tab goes on from there.
    await focusedIs(page, 'Clore la transmission des Amis du Vélo');
    await page.keyboard.press('Tab');
    await focusedIs(page, 'Remettre en attente la transmission des Amis du Vélo');
    // Closing asks first (the structure will read that its request was dealt with): « Annuler » keeps it.
    await page.getByRole('button', { name: 'Clore la transmission des Amis du Vélo' }).click();
    expect(asRead(dialogs.pop()!)).toBe('Clore la transmission « Les Amis du Vélo » ? La structure lira que sa demande a été traitée.');
    expect(await page.locator('tr[data-handoff="h-velo"]').innerText()).toContain('Prise en charge par');
    confirmAnswer = true;
    try {
      await page.getByRole('button', { name: 'Clore la transmission des Amis du Vélo' }).click();
      // Dealt with: no longer among those to call; « Toutes » shows it.
      await page.locator('tr[data-handoff="h-velo"]').waitFor({ state: 'detached' });
    } finally {
      confirmAnswer = false;
    }
    // The row left the list: the focus is on the list's heading (not lost on the page's body).
    await focusedIs(page, 'Transmissions aux chargé·es');
    await shownStatus(page, 'Transmission close.');
    await page.getByLabel('État').selectOption('all');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Close par Alex Admin le' }).waitFor();
    // Closed by mistake: reopened, back in the queue for anyone to take up; the row says who did it.
    await labelsStartWithTheirText(page);
    await page.getByRole('button', { name: 'Rouvrir la transmission des Amis du Vélo' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Ouverte · rouverte par Alex Admin le' }).waitFor();
    await focusedIs(page, 'Prendre en charge la transmission des Amis du Vélo');
    await page.getByRole('button', { name: 'Prendre en charge la transmission des Amis du Vélo' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Prise en charge par' }).waitFor();
    await labelsStartWithTheirText(page);
    // Released: back in the queue, and the row says who released it.
    await page.getByRole('button', { name: 'Remettre en attente la transmission des Amis du Vélo' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Ouverte · remise en attente par Alex Admin le' }).waitFor();
    await page.getByRole('button', { name: 'Prendre en charge la transmission des Amis du Vélo' }).click();
    await page.locator('tr[data-handoff="h-velo"]', { hasText: 'Prise en charge par' }).waitFor();
  }, 30000);

  it('shows how each handoff reached the chargé·es; a failed webhook stands out, and « Réessayer l’envoi » delivers it once', async () => {
    const outbox = app.app.outbox;
    hook.reset();
    hook.status = 500;
    const made = await outbox.create({
      dossierId: 'd-2026', departement: '33', structureName: 'Scop du Lac', reason: 'user_request', urgency: 'normal', consent: true,
      contact: { name: 'Dominique', phone: '05 56 11 22 33' }, transcript: { channelId: 'directline', conversationId: 'conv-lac' },
    });
    // Another, not delivered either, then closed (dealt with): nothing to send again.
    const closed = await outbox.create({
      dossierId: 'd-2026-closed', departement: '33', structureName: 'Régie de Quartier', reason: 'user_request', urgency: 'normal', consent: true,
      contact: { name: 'Yannick', phone: '05 56 44 55 66' }, transcript: { channelId: 'directline', conversationId: 'conv-regie' },
    });
    try {
      expect(await outbox.drain()).toEqual({ sent: 0, failed: 2, pending: 0 });
      await outbox.close(closed._id, 'admin@dla.test', 'Alex Admin');
      await page.getByRole('link', { name: 'Transmissions' }).click();
      await page.getByRole('heading', { name: 'Transmissions aux chargé·es' }).waitFor();
      const row = page.locator(`tr[data-handoff="${made._id}"]`);
      // Not passed on: marked so in the list, with which notifier, after how many attempts, and why.
      expect(await row.locator('.badge.delivery-failed').innerText()).toBe('Non transmis');
      expect(asRead(await row.locator('ul.deliveries').innerText())).toBe('Échec par webhook après 1 essai\nmotif : le destinataire a répondu par une erreur HTTP 500 (webhook answered HTTP 500 Internal Server Error)');
      // A handoff made when no notifier was configured says so.
      expect(asRead(await page.locator('tr[data-handoff="h-velo"] ul.deliveries').innerText())).toBe('Aucun envoi : aucun canal configuré (e-mail, webhook ou Teams), elle n’est visible qu’ici.');
      expect(await page.locator('tr[data-handoff="h-velo"] .badge.delivery-failed').count()).toBe(0);
      expect(await page.locator('tr[data-handoff="h-velo"] button[data-action="retry"]').count()).toBe(0);
      await page.getByLabel('État').selectOption('all');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      const closedRow = page.locator(`tr[data-handoff="${closed._id}"]`, { hasText: 'Close par Alex Admin le' });
      await closedRow.waitFor();
      expect(await closedRow.locator('.badge.delivery-failed').innerText()).toBe('Non transmis');
      expect(await closedRow.locator('button[data-action="retry"]').count()).toBe(0);
      await labelsStartWithTheirText(page);
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-handoff-not-delivered.png'), fullPage: true });

      // The receiver is back; the outbox's loop runs (as in production), and the retry wakes it up.
      hook.status = 200;
      outbox.start(3_600_000);
      await row.getByRole('button', { name: 'Réessayer l’envoi de la transmission de Scop du Lac' }).click();
      await shownStatus(page, 'Envoi relancé : la transmission repart vers les chargé·es.');
      await until(() => hook.accepted.length === 1, 10_000);
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await row.locator('ul.deliveries', { hasText: 'Envoyé par webhook le' }).waitFor();
      expect(await row.locator('.badge.delivery-failed').count()).toBe(0);
      expect(await row.locator('button[data-action="retry"]').count()).toBe(0);
      // The dossier's page says the same.
      await page.getByRole('link', { name: 'Scop du Lac' }).click();
      await page.getByRole('heading', { name: 'Dossier : Scop du Lac' }).waitFor();
      expect(asRead(await page.locator(`tr[data-handoff="${made._id}"] ul.deliveries`).innerText())).toMatch(/^Envoyé par webhook le \d+ \S+ \d{4}/);
      await new Promise((r) => setTimeout(r, 300));
      expect(hook.requests.map((r) => [r.headers['x-dla-delivery'], r.answered]).filter(([id]) => id === made._id)).toEqual([[made._id, 500], [made._id, 200]]);
      expect(hook.requests.filter((r) => r.headers['x-dla-delivery'] === closed._id)).toHaveLength(1); // the closed one: never sent again
      await page.getByRole('link', { name: 'Transmissions' }).click(); // where the next test starts
      await page.getByRole('heading', { name: 'Transmissions aux chargé·es' }).waitFor();
    } finally {
      await outbox.stop();
      await storedHandoffs(db.connection).deleteOne({ _id: made._id as never });
    }
  }, 30000);

  it('gives the focus back to the dossier’s link when going back to the list', async () => {
    await page.getByRole('link', { name: 'Dossiers' }).click();
    await page.locator('#dossiers-table').waitFor();
    await page.getByRole('link', { name: 'Scop du Lac' }).click();
    await page.getByRole('heading', { name: 'Dossier : Scop du Lac' }).waitFor();
    await page.goBack();
    await page.locator('#dossiers-table').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Scop du Lac');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#/dossiers/d-2026');
    // Through the page's own « Retour aux dossiers » link too.
    await page.getByRole('link', { name: 'Asso Neuve' }).click();
    // Still at the accueil: no check-in can be added (it would tell the structure it was accompanied), and the page says why.
    await page.getByText('Une relance de suivi pourra être ajoutée une fois le diagnostic confirmé ou le parcours enregistré', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Ajouter la relance' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Retour aux dossiers' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Asso Neuve');
  }, 30000);

  it('records the chargé·e’s decision after the call, with its note shown as text', async () => {
    await page.getByRole('link', { name: XSS_NAME }).click();
    const eligibility = page.locator('section', { has: page.getByRole('heading', { name: 'Pré-qualification de l’éligibilité' }) });
    await eligibility.getByText('Pas encore de décision d’un·e chargé·e', { exact: false }).waitFor();
    expect(asRead(await eligibility.locator('p').first().innerText())).toMatch(/^Décision des règles : À confirmer/);
    await eligibility.getByLabel('Note de l’appel (facultatif)').fill(`Pas de salarié ni de projet d’embauche ${XSS}`);
    await eligibility.getByRole('button', { name: 'Hors du champ du DLA' }).click();
    await shownStatus(page, 'Décision enregistrée : Hors champ.');
    // Both decisions: the rules' one, as it was, and the chargé·e's, with the note as typed (never markup).
    const decided = page.locator('section', { has: page.getByRole('heading', { name: 'Pré-qualification de l’éligibilité' }) });
    await decided.getByText('Décision prise par Alex Admin le', { exact: false }).waitFor();
    expect(asRead(await decided.locator('.charge-decision .badge').innerText())).toBe('Hors champ');
    // The page is redrawn with the decision: the focus (and the view) stay on the button pressed, not the page's top.
    await focusedIs(page, 'Hors du champ du DLA');
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(asRead((await decided.locator('.decision-note').textContent())!)).toBe(`Note : Pas de salarié ni de projet d’embauche ${XSS}`);
    expect(await decided.locator('.decision-note img, .decision-note script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(asRead(await decided.locator('p').first().innerText())).toMatch(/^Décision des règles : À confirmer/);
    await decided.screenshot({ path: path.join(ARTEFACTS, 'admin-decision.png') });
    // The list says what the chargé·e decided.
    await page.getByRole('link', { name: 'Retour aux dossiers' }).click();
    const row = page.locator('#dossiers-table tr', { has: page.getByRole('link', { name: XSS_NAME }) });
    expect(await row.locator('.badge.outcome-out_of_scope').innerText()).toBe('Hors champ');
  }, 30000);

  it('keeps the earlier decisions with their notes and authors under the one in force, newest first', async () => {
    await page.getByRole('link', { name: XSS_NAME }).click();
    const section = () => page.locator('section', { has: page.getByRole('heading', { name: 'Pré-qualification de l’éligibilité' }) });
    await section().getByText('Décision prise par Alex Admin le', { exact: false }).waitFor();
    // A new decision comes with the note of its own call: the field is empty, the earlier note stays above.
    expect(await section().getByLabel('Note de l’appel (facultatif)').inputValue()).toBe('');
    await section().getByLabel('Note de l’appel (facultatif)').fill('Embauche signée en mars');
    await section().getByRole('button', { name: 'Confirmer l’éligibilité' }).click();
    await shownStatus(page, 'Décision enregistrée : Éligible.');
    await section().getByRole('heading', { name: 'Décision précédente' }).waitFor();
    await section().getByLabel('Note de l’appel (facultatif)').fill('Embauche annulée');
    await section().getByRole('button', { name: 'Hors du champ du DLA' }).click();
    await shownStatus(page, 'Décision enregistrée : Hors champ.');
    await section().getByRole('heading', { name: '2 décisions précédentes, de la plus récente à la plus ancienne' }).waitFor();
    expect(asRead((await section().locator('.charge-decision .decision-note').textContent())!)).toBe('Note : Embauche annulée');
    const earlier = section().locator('.decision-history > li');
    expect((await earlier.allInnerTexts()).map((x) => asRead(x).split('\n').map((l) => l.trim()).filter(Boolean))).toEqual([
      [expect.stringMatching(/^Alex Admin, le .+ à \d\d:\d\d : Éligible$/), 'Note : Embauche signée en mars'],
      [expect.stringMatching(/^Alex Admin, le .+ à \d\d:\d\d : Hors champ$/), `Note : Pas de salarié ni de projet d’embauche ${XSS}`],
    ]);
    expect(await section().locator('.decision-history img, .decision-history script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await section().screenshot({ path: path.join(ARTEFACTS, 'admin-decision-history.png') });
    await page.getByRole('link', { name: 'Retour aux dossiers' }).click();
    const row = page.locator('#dossiers-table tr', { has: page.getByRole('link', { name: XSS_NAME }) });
    expect(await row.locator('.badge.outcome-out_of_scope').innerText()).toBe('Hors champ');
  }, 30000);

  it('warns before a parcours is recorded on a dossier out of the DLA’s scope, and records it only once confirmed', async () => {
    await page.getByRole('link', { name: XSS_NAME }).click();
    const parcours = page.locator('section', { has: page.getByRole('heading', { name: 'Parcours' }) });
    // Said before anything is typed: who found it out of scope, and what follows.
    const warning = parcours.locator('.parcours-warning');
    expect(asRead(await warning.innerText())).toMatch(/^Attention : Alex Admin a conclu le \d\d\/\d\d\/\d{4}, après l’appel, que ce dossier est hors du champ du DLA\. Aucune relance automatique n’est prévue .* une confirmation vous sera demandée\.$/);
    await parcours.getByLabel('Parcours construit avec la structure').fill('Orientation vers France Active');
    const asked = dialogs.length;
    confirmAnswer = false;
    await parcours.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    await shownStatus(page, 'Parcours non enregistré.');
    expect(dialogs.slice(asked).map(asRead)).toEqual([expect.stringMatching(/^Attention : Alex Admin a conclu .* Enregistrer le parcours quand même \?$/)]);
    expect(await parcours.getByText('Pas encore de parcours enregistré.').count()).toBe(1);
    confirmAnswer = true;
    try {
      await parcours.getByRole('button', { name: 'Enregistrer le parcours' }).click();
      await shownStatus(page, 'Parcours enregistré : le dossier est en phase « Parcours »');
    } finally {
      confirmAnswer = false;
    }
    expect(await page.locator('.parcours-text').textContent()).toBe('Orientation vers France Active');
    expect(dialogs.length).toBe(asked + 2);
    await page.getByRole('link', { name: 'Retour aux dossiers' }).click();
    await page.locator('#dossiers-table').waitFor();
  }, 30000);

  it('draws the charts: themes per year as stacked bars, and the funnel with counts and percentages', async () => {
    await page.getByRole('link', { name: 'Statistiques' }).click();
    await page.locator('svg.funnel').waitFor();
    expect(await page.locator('svg.chart rect.segment').count()).toBe(2);
    expect((await page.locator('ul.legend li').allTextContents()).map((s) => s.trim())).toEqual(['Projet et stratégie', 'Emploi et ressources humaines (salarié·es, bénévoles)']);
    const value = (step: string) => page.locator(`svg.funnel text.value-label[data-step="${step}"]`).textContent();
    expect(await page.locator('#stats-scope').textContent()).toMatch(/^Tous départements confondus, au /);
    expect(await value('firstContact')).toBe('4 · 100 %');
    expect(await value('eligible')).toBe('1 · 25 %');
    // Each step within the one before: the other confirmed diagnostic was not eligible first.
    expect(await value('diagnosticConfirmed')).toBe('1 · 25 %');
    expect(await value('handedOff')).toBe('1 · 25 %');
    expect(await value('followupAnswered')).toBe('0 · 0 %');
    // Each step says what it counts: the « transmis » are those whose diagnostic was confirmed first.
    expect(await page.locator('svg.funnel text.axis-label').allTextContents())
      .toEqual(['Premier contact', 'Éligibles', 'Éligibles, diagnostic confirmé', 'Diagnostic confirmé puis transmis', 'Transmis, puis suivi répondu']);
    const width = async (step: string) => Number(await page.locator(`svg.funnel rect[data-step="${step}"]`).getAttribute('width'));
    expect(await width('firstContact')).toBeGreaterThan(await width('eligible'));
    expect(await width('eligible')).toBe(await width('handedOff'));
    expect(await width('followupAnswered')).toBe(0);
    expect(await page.locator('svg.funnel').getAttribute('role')).toBe('img');
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-stats.png'), fullPage: true });
  }, 30000);

  it('lets an administrator add a chargé·e and shows the login link once', async () => {
    await page.getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('heading', { name: 'Utilisateurs du back-office' }).waitFor();
    await page.getByLabel('E-mail').fill('camille@dla.test');
    await page.getByLabel('Nom', { exact: true }).fill('Camille');
    await page.getByLabel('Rôle').selectOption('charge');
    await page.getByLabel('Départements').fill('33');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    const link = page.getByLabel('Lien de connexion', { exact: true });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(new RegExp(`^${app.baseUrl}/admin/#code=[A-Za-z0-9_-]{43}$`));
    // The form is empty for the next chargé·e.
    expect([await page.getByLabel('E-mail').inputValue(), await page.getByLabel('Nom', { exact: true }).inputValue(), await page.getByLabel('Départements').inputValue()]).toEqual(['', '', '']);
    // The link works: a fresh tab signs in as Camille, limited to the Gironde.
    const other = await browser.newPage({ locale: 'fr-FR' });
    try {
      await other.goto(url);
      await other.locator('#dossiers-table').waitFor();
      expect(await other.locator('#session').textContent()).toContain('Camille (chargé·e d’accompagnement, départements 33)');
      expect(await other.locator('#dossiers-table tbody tr').count()).toBe(3);
      expect(await other.getByRole('link', { name: 'Utilisateurs' }).count()).toBe(0);
      // The same structure also has a dossier in the Dordogne: she is told it exists, and where, not what it says.
      await other.getByRole('link', { name: 'Les Amis du Vélo' }).click();
      const sameStructure = other.locator('section', { has: other.getByRole('heading', { name: 'Autres dossiers de cette structure' }) });
      expect(asRead(await sameStructure.locator('.notice').innerText()))
        .toBe('1 autre dossier de cette structure est dans un département qui ne vous est pas attribué : Dordogne (24). Vous n’en voyez pas le contenu.');
      expect(await sameStructure.getByRole('link').count()).toBe(0);
      await other.getByRole('link', { name: 'Retour aux dossiers' }).click();
      await other.locator('#dossiers-table').waitFor();
      // Her statistics are those of the Gironde (three dossiers, not four), and say so.
      await other.getByRole('link', { name: 'Statistiques' }).click();
      await other.locator('svg.funnel').waitFor();
      expect(await other.locator('#stats-scope').textContent()).toMatch(/^Dossiers de vos départements \(33\) et ceux dont le département n’est pas renseigné, au /);
      expect(await other.locator('svg.funnel text.value-label[data-step="firstContact"]').textContent()).toBe('3 · 100 %');
    } finally {
      await other.close();
    }
    // Forwarded or opened again, the link opens nothing: it has been used.
    const again = await browser.newPage({ locale: 'fr-FR' });
    try {
      await again.goto(url);
      await again.getByRole('alert').filter({ hasText: 'il a déjà servi' }).waitFor();
      expect(await again.locator('#dossiers-table').count()).toBe(0);
    } finally {
      await again.close();
    }
    await page.locator('table.data tbody tr', { hasText: 'camille@dla.test' }).waitFor();
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-users.png'), fullPage: true });
    // She leaves: her access is removed, after a confirmation.
    confirmAnswer = true;
    try {
      await page.getByRole('button', { name: 'Retirer l’accès de camille@dla.test' }).click();
      await page.locator('table.data tbody tr', { hasText: 'camille@dla.test' }).waitFor({ state: 'detached' });
    } finally {
      confirmAnswer = false;
    }
    expect(asRead(dialogs.pop()!)).toContain('Retirer l’accès de camille@dla.test au back-office ?');
  }, 30000);

  it('wraps a long check-in state in its cell on a desktop: « Annuler la relance » stays inside the table', async () => {
    const day = 86_400_000;
    const later = new Date(Date.now() + 400 * day);
    await db.connection.db!.collection('checkins').insertMany([
      // Withdrawn when the end of the mise en œuvre was cleared: the longest state there is.
      { _id: 'd-2026|after_mise_en_oeuvre_6m', dossierId: 'd-2026', milestone: 'after_mise_en_oeuvre_6m', dueAt: later, nextAttemptAt: later, status: 'cancelled',
        cancelReason: 'source_removed', attempts: 0, sends: [], createdAt: new Date(), updatedAt: new Date() },
      { _id: 'd-2026|after_diagnostic_15m', dossierId: 'd-2026', milestone: 'after_diagnostic_15m', dueAt: later, nextAttemptAt: later, status: 'planned',
        attempts: 0, sends: [], createdAt: new Date(), updatedAt: new Date() },
    ] as never[]);
    await listExisting(db.connection);
    const base = page.url().split('#')[0];
    try {
      // A desktop: the long state wraps in its cell; « Annuler la relance » stays inside the table.
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}#/dossiers/d-2026`);
      const cancelled = page.locator('table.checkins tbody tr', { hasText: 'Annulée : la fin de la mise en œuvre a été retirée' });
      await cancelled.waitFor();
      const scroll = (await page.locator('table.checkins').evaluate((el) => { const r = el.closest('.scroll')!.getBoundingClientRect(); return { left: r.left, right: r.right }; }));
      const cancel = (await page.getByRole('button', { name: /^Annuler la relance/ }).boundingBox())!;
      expect(cancel.x + cancel.width).toBeLessThanOrEqual(scroll.right);
      await fitsWithoutScrolling(page, 'table.checkins');
      expect(await cancelled.locator('.badge').evaluate((el) => el.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(el).lineHeight))).toBe(true);
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-checkins-1280.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
    }
  }, 30000);

  it('shows the dossiers and the check-ins as cards on a phone, buttons and links in view, nothing scrolling sideways', async () => {
    const base = page.url().split('#')[0];
    const inView = async (name: string | RegExp, role: 'button' | 'link' = 'button') => {
      const box = (await page.getByRole(role, { name }).first().boundingBox())!;
      expect({ name: String(name), inside: box.x >= 0 && box.x + box.width <= 390 }).toEqual({ name: String(name), inside: true });
    };
    const cancelled = page.locator('table.checkins tbody tr', { hasText: 'Annulée : la fin de la mise en œuvre a été retirée' });
    try {
      // A phone: each row a card, cells under their column's name, the buttons and links on screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}#/dossiers`);
      await page.locator('#dossiers-table').waitFor();
      await fitsWithoutScrolling(page, '#dossiers-table');
      for (const name of ['Les Amis du Vélo', 'Scop du Lac', 'Asso Neuve', XSS_NAME]) await inView(name, 'link');
      const labelOf = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el, '::before').content);
      expect(await labelOf('#dossiers-table tbody td')).toBe('"Département"');
      // Each value beside its column's name, on one line: a card is a few lines, not two a field.
      const cellHeight = await page.locator('#dossiers-table tbody td').first().evaluate((el) => el.getBoundingClientRect().height);
      expect(cellHeight).toBeLessThan(36);
      // Still a table for screen readers: its column headers (visually hidden, not display: none), rows and cells.
      const table = page.getByRole('table', { name: /^4 dossiers/ });
      expect(await table.getByRole('columnheader').allTextContents()).toContain('Département');
      expect(await table.getByRole('row', { name: /^Scop du Lac/ }).getByRole('cell').count()).toBe(8);
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-dossiers-cards-390.png'), fullPage: true });
      await page.getByRole('link', { name: 'Scop du Lac' }).click();
      await cancelled.waitFor();
      await fitsWithoutScrolling(page, 'table.checkins');
      await inView('Déplacer');
      await inView(/^Annuler la relance/);
      // The date field keeps its label.
      const date = page.locator('table.checkins input[type="date"]');
      expect(asRead((await date.evaluate((el) => (el as HTMLInputElement).labels![0].textContent))!)).toBe('Nouvelle date de la relance « 15 mois après le diagnostic confirmé »');
      const dateBox = (await date.boundingBox())!;
      expect(dateBox.x >= 0 && dateBox.x + dateBox.width <= 390).toBe(true);
      expect(await labelOf('table.checkins td.actions')).toBe('"Actions"');
      await page.screenshot({ path: path.join(ARTEFACTS, 'admin-checkins-390.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${base}#/dossiers`);
      await page.locator('#dossiers-table').waitFor();
    }
  }, 30000);

  it('shows a dossier’s handoffs (when to call, what the structure added) right after the answers, before the eligibility, diagnostic and parcours', async () => {
    await storedHandoffs(db.connection).insertOne({
      _id: 'h-neuve', dossierId: 'd-new', departement: '33', structureName: 'Asso Neuve', reason: 'user_request', urgency: 'high',
      consent: true, status: 'open', deliveries: [], message: 'Maison des Associations, Julie Roux',
      messages: [{ text: 'Trésorerie tendue', at: new Date('2026-01-11T09:00:00Z') }],
      contact: { name: 'Julie Roux', phone: '+33 6 12 34 56 78', email: 'julie.roux@maison-des-associations.example' },
      createdAt: new Date('2026-01-10T10:00:00Z'), updatedAt: new Date('2026-01-10T10:00:00Z'),
    } as never);
    await page.goto(`${page.url().split('#')[0]}#/dossiers/d-new`);
    await page.getByRole('heading', { name: 'Dossier : Asso Neuve' }).waitFor();
    const headings = await page.locator('main section > h3').allInnerTexts();
    expect(headings.slice(0, 2)).toEqual(['Réponses à l’accueil', 'Transmissions']);
    expect(headings.indexOf('Transmissions')).toBeLessThan(headings.indexOf('Pré-qualification de l’éligibilité'));
  });

  it('shows a long handoff list a page at a time: « Afficher plus » by keyboard, the late ones counted over the whole list', async () => {
    const handoffs = storedHandoffs(db.connection);
    const at = new Date('2026-01-05T10:00:00Z');
    await handoffs.insertMany(Array.from({ length: 130 }, (_, i) => ({
      _id: `h-long-${String(i).padStart(3, '0')}`, departement: '24', structureName: `Longue attente ${i}`, reason: 'user_request', urgency: 'normal',
      consent: true, status: 'open', deliveries: [], contact: { name: `Contact ${i}`, phone: '05 56 00 00 00' },
      createdAt: new Date(at.getTime() + i * 60_000), updatedAt: new Date(at.getTime() + i * 60_000),
    })) as never[]);
    try {
      await page.goto(`${page.url().split('#')[0]}#/handoffs?q=longue%20attente`);
      const caption = page.locator('table.handoffs caption');
      await caption.waitFor();
      const captionText = async () => (await caption.textContent())!.replace(/[\u00a0\u202f]/g, ' ');
      expect(await captionText()).toMatch(/^100 transmissions affichées sur 130 : /);
      // Every one of them is late, not only those shown.
      expect(await page.locator('.due-summary').textContent()).toBe('130 transmissions en retard');
      const more = page.getByRole('button', { name: 'Afficher les 30 transmissions suivantes (30 restantes)' });
      await more.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('tr[data-handoff]').length === 130);
      expect(await captionText()).toMatch(/^130 transmissions : /);
      // The keyboard goes on from the first row brought (the oldest first: the 101st made); nothing more to show.
      expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-handoff'))).toBe('h-long-100');
      expect(await page.locator('#more-handoffs').isHidden()).toBe(true);
      expect(new Set(await page.locator('tr[data-handoff]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-handoff')))).size).toBe(130);
      // Taken up on the second page: the list is drawn again with as many rows, the row in its place.
      await page.locator('tr[data-handoff="h-long-120"] button[data-action="claim"]').click();
      await page.locator('tr[data-handoff="h-long-120"] button[data-action="close"]').waitFor();
      expect(await page.locator('tr[data-handoff]').count()).toBe(130);
    } finally {
      await handoffs.deleteMany({ _id: { $regex: /^h-long-/ } } as never);
    }
  }, 30000);

  it('labels on screen what the structure wrote when it asked to be called back, not only for screen readers', async () => {
    await page.goto(`${page.url().split('#')[0]}#/handoffs`);
    const row = page.locator('tr[data-handoff="h-neuve"]');
    await row.waitFor();
    expect(await row.locator('.message-text').first().innerText()).toBe('Message de la structure\u00a0: Maison des Associations, Julie Roux');
  });

  it('finds the handoff of the structure on the phone by its name, typed in « Rechercher » then Enter', async () => {
    await page.goto(`${page.url().split('#')[0]}#/handoffs`);
    await page.locator('tr[data-handoff="h-neuve"]').waitFor();
    await page.getByLabel('Rechercher').fill('asso neuve');
    await page.getByLabel('Rechercher').press('Enter');
    await page.waitForURL(/q=/);
    // The unfiltered list still shows the row while the search is read: wait for the list drawn again, with one row.
    await page.waitForFunction(() => document.querySelectorAll('tr[data-handoff]').length === 1, undefined, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.locator('tr[data-handoff]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-handoff')))).toEqual(['h-neuve']);
    expect(await page.getByLabel('Rechercher').inputValue()).toBe('asso neuve');
  });

  it('names the buttons of a structure whose name starts with a vowel in proper French: « la transmission d’Asso Neuve »', async () => {
    await page.goto(`${page.url().split('#')[0]}#/handoffs`);
    const row = page.locator('tr[data-handoff="h-neuve"]');
    await row.waitFor();
    expect(await row.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label'))))
      .toEqual(['Prendre en charge la transmission d’Asso Neuve', 'Clore la transmission d’Asso Neuve']);
  });

  it('keeps a phone number to dial on one line, at desktop and phone widths', async () => {
    for (const width of [1200, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${page.url().split('#')[0]}#/handoffs`);
      const phone = page.locator('tr[data-handoff="h-neuve"]').getByRole('link', { name: '+33 6 12 34 56 78' });
      await phone.waitFor();
      expect([width, await phone.evaluate((a) => a.getClientRects().length)]).toEqual([width, 1]);
    }
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('shows a check-in stored without its milestone or its day (older data) as « — », one a chargé·e added as theirs', async () => {
    const at = new Date('2026-01-10T10:00:00Z');
    await db.connection.db!.collection('checkins').insertMany([
      { _id: 'd-new|old', dossierId: 'd-new', status: 'sent', dueAt: at, answers: { jobs: '2 embauches' }, createdAt: at, updatedAt: at },
      { _id: 'd-new|by-hand', dossierId: 'd-new', status: 'planned', manual: true, changedBy: 'Gaëlle', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at },
    ] as never[]);
    await listExisting(db.connection); // as the upgrade at start lists older data
    await page.goto(`${page.url().split('#')[0]}#/dossiers/d-new`);
    const row = (id: string) => page.locator(`tr[data-checkin="${id}"]`);
    await row('d-new|old').waitFor();
    expect(await row('d-new|old').locator('th').innerText()).toBe('—');
    expect([await row('d-new|by-hand').locator('th').innerText(), await row('d-new|by-hand').locator('td').first().innerText()]).toEqual(['Ajoutée par Gaëlle', '—']);
    // Its answers under it, as for any check-in.
    expect(asRead(await page.locator('h4', { hasText: 'Réponses à la relance' }).innerText())).toBe('Réponses à la relance « — » (1/7)');
  });

  it('signs out: the token is forgotten and stops working, in every tab', async () => {
    // Another tab of the same browser (a dossier opened with a middle click) is signed in too.
    const tab = await page.context().newPage();
    try {
      await tab.goto(`${app.baseUrl}/admin/#/dossiers`);
      await tab.locator('#dossiers-table').waitFor();
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.getByRole('heading', { name: 'Connexion' }).waitFor();
      await tab.getByRole('heading', { name: 'Connexion' }).waitFor();
    } finally {
      await tab.close();
    }
    expect(await page.evaluate(() => localStorage.getItem('dla.admin.token'))).toBeNull();
    const res = await fetch(`${app.baseUrl}/admin/api/me`, { headers: { authorization: `Bearer ${sessionToken}` } });
    expect(res.status).toBe(401);
  }, 30000);

  it('ran without script errors or security-policy violations', () => {
    // The refused token (401), the refused parcours (400) and the parcours out of scope, to confirm (409), were deliberate; nothing else.
    expect(consoleErrors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[019]/.test(e))).toEqual([]);
  });
});
