import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { AdminAuth } from '../../src/admin/auth';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium, signedInAdminPage } from '../helpers/browser';
import { listExisting } from '../../src/store/lookups';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

const DAY = 24 * 3600 * 1000;
const LONG_NAME = 'Association intercommunale pour l’insertion par l’activité économique et la solidarité des Hauts-de-Garonne et de l’Entre-deux-Mers';
const LONG_URL = 'https://www.ressourcerie-solidaire-de-l-entre-deux-mers.example.org/documents/rapport-activite-2025-version-definitive-validee-par-le-conseil.pdf';
const LONG_REQUEST = `Nous avons besoin d’être accompagnés pour consolider nos emplois : nos trois contrats aidés se terminent en juin, la subvention départementale a baissé de 30 % et notre trésorerie ne couvre plus que deux mois de salaires. ${LONG_URL} — notre rapport d’activité. Nous voudrions aussi revoir notre gouvernance, le bureau s’est épuisé et personne ne veut reprendre la présidence.`;
/** A name typed as one long word (its site's address): it wraps too. */
const URL_NAME = 'www.ressourceriedelalunebordeauxbastide.example.org';
const SHOTS = path.join(ARTEFACTS, 'admin-mobile');

describeWithChromium('back-office on a phone: the call backs first', () => {
  let db: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('admin_mobile_e2e');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
    // Whole days ago, at 8:00 UTC: the screenshots of two runs compare.
    const today = new Date();
    today.setUTCHours(8, 0, 0, 0);
    const at = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY);
    const consent = { given: true, at: at(40), retentionMonths: 36 };
    const dossier = (id: string, daysAgo: number, answers: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      _id: id, phase: 'accueil', status: 'submitted', departement: '33', channelUsers: [], consent, createdAt: at(daysAgo), updatedAt: at(daysAgo), answers, ...extra,
    });
    await storedDossiers(db.connection).insertMany([
      dossier('d-late', 30, {
        name: LONG_NAME, location: { postalCode: '33500', departement: '33' }, request: LONG_REQUEST,
        contact: { name: 'Marie-Bernadette Delacroix-Fontaine', phone: '06 12 34 56 78', email: 'marie-bernadette.delacroix-fontaine@ressourcerie-solidaire-entre-deux-mers.example.org' },
      }, { decision: { outcome: 'to_confirm', rulesVersion: 'r1', decidedAt: at(30), reasons: [] } }),
      dossier('d-soon', 1, { name: 'Les Jardins du Lien', location: { postalCode: '33000', departement: '33' }, request: 'Structurer notre bénévolat', contact: { name: 'Karim Benali', phone: '07 98 76 54 32', email: 'karim@jardins.example.org' } }),
      dossier('d-none', 2, { name: 'Scop du Lac', location: { postalCode: '33120', departement: '33' }, request: 'Parler à quelqu’un' }),
      dossier('d-claimed', 3, { name: URL_NAME, location: { postalCode: '33300', departement: '33' }, contact: { name: 'Léa', email: 'lea@port.example.org' } }),
      // Not passed on: whom to call is in its answers only.
      dossier('d-quiet', 5, { name: LONG_NAME, location: { postalCode: '33500', departement: '33' }, request: LONG_REQUEST, contact: { name: 'Paul', phone: '05 56 00 11 22' } }),
      ...Array.from({ length: 6 }, (_, i) => dossier(`d-more-${i}`, 10 + i, { name: `Association numéro ${i + 1}`, location: { postalCode: '33000', departement: '33' } })),
    ] as never[]);
    const handoff = (id: string, dossierId: string, daysAgo: number, extra: Record<string, unknown>) => ({
      _id: id, dossierId, departement: '33', reason: 'user_request', urgency: 'normal', consent: true, status: 'open', deliveries: [],
      transcript: { channelId: 'directline', conversationId: `conv-${id}` }, createdAt: at(daysAgo), updatedAt: at(daysAgo), ...extra,
    });
    await storedHandoffs(db.connection).insertMany([
      // Past the day the structure was told: « en retard », the first to call.
      handoff('h-late', 'd-late', 30, {
        structureName: LONG_NAME, urgency: 'high', reason: 'eligibility_to_confirm', message: LONG_REQUEST,
        messages: [{ text: `J’oubliais : ${LONG_URL}`, at: at(20) }],
        contact: { name: 'Marie-Bernadette Delacroix-Fontaine', phone: '06 12 34 56 78', email: 'marie-bernadette.delacroix-fontaine@ressourcerie-solidaire-entre-deux-mers.example.org' },
      }),
      handoff('h-soon', 'd-soon', 1, { structureName: 'Les Jardins du Lien', contact: { name: 'Karim Benali', phone: '07 98 76 54 32', email: 'karim@jardins.example.org' } }),
      // Nobody to call: no e-mail nor phone.
      handoff('h-none', 'd-none', 2, { structureName: 'Scop du Lac', message: 'Parler à quelqu’un' }),
      handoff('h-claimed', 'd-claimed', 3, { structureName: URL_NAME, status: 'claimed', claimedBy: 'admin@dla.test', claimedByName: 'Alex Admin', claimedAt: at(1), contact: { name: 'Léa', email: 'lea@port.example.org' } }),
    ] as never[]);
    // Inserted as they are stored: each handoff listed under its dossier, as the upgrade at start does.
    await listExisting(db.connection);
    const auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    const { code } = await auth.createLoginCode('admin@dla.test');
    browser = await launchChromium();
    ({ context, page } = await signedInAdminPage(browser, app.baseUrl, code, errors, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 }));
    context.setDefaultTimeout(5000); // a failing wait says what it waited for, within the test's time
    await page.locator('#main h2').waitFor();
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60000);

  afterAll(() => closeAll(browser, app, db));

  /** For the review: the three pages at a phone's, a tablet's and a laptop's sizes, the first screen, then the whole page. */
  it('takes screenshots of the list, the handoffs and a dossier at 390, 768 and 1280 px', async () => {
    const base = `${app.baseUrl}/admin/`;
    for (const [width, height] of [[390, 844], [768, 1024], [1280, 800]]) {
      await atSize(width, height, async () => {
        for (const [name, hash, ready] of [['dossiers', '#/dossiers', '#dossiers-table'], ['handoffs', '#/handoffs', 'table.handoffs'], ['dossier', '#/dossiers/d-late', 'table.handoffs']]) {
          await page.goto(base + hash);
          await page.locator(ready).waitFor();
          await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
          await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-full.png`), fullPage: true });
        }
      });
    }
  }, 60000);

  it('opens on the handoffs to call back: the first one’s name, phone, e-mail, day and « en retard » on the first screen, the filters behind « Filtres »', async () => {
    await page.goto(`${app.baseUrl}/admin/`);
    const first = page.locator('table.handoffs tbody tr').first();
    await first.waitFor();
    expect(await page.locator('#nav a[aria-current="page"]').textContent()).toBe('Transmissions');
    expect(await first.getAttribute('data-handoff')).toBe('h-late');
    for (const target of [
      first.getByRole('link', { name: LONG_NAME }),
      first.locator('a[href="tel:0612345678"]'),
      first.locator('a[href^="mailto:marie-bernadette.delacroix-fontaine@"]'),
      first.getByText('à rappeler au plus tard le'),
      first.getByText('en retard', { exact: true }),
      first.getByRole('button', { name: `Prendre en charge la transmission d’${LONG_NAME}` }),
    ]) await inFirstScreen(target);
    // Still a table for a screen reader, its cells in the columns' order: the structure is the row's header.
    const row = page.getByRole('table').getByRole('row').nth(1);
    await row.getByRole('rowheader').getByRole('link', { name: LONG_NAME }).waitFor();
    expect(await row.getByRole('cell').count()).toBe(6);
    expect(await page.getByRole('table').getByRole('columnheader').allTextContents()).toEqual(['Reçue', 'Structure', 'À rappeler', 'Motif', 'Urgence', 'État', 'Actions']);
    await filtersFold('Filtrer les transmissions', 'Département');
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
  }, 30000);

  it('folds the dossiers’ filters too, and says how many are in force', async () => {
    await page.goto(`${app.baseUrl}/admin/#/dossiers`);
    await page.locator('#dossiers-table').waitFor();
    await filtersFold('Filtrer les dossiers', 'Phase');
    await page.getByRole('button', { name: 'Filtres', exact: true }).press('Enter');
    await page.getByLabel('Phase').selectOption('accueil');
    await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
    await page.getByRole('button', { name: 'Filtres (1 actif)' }).waitFor();
    expect(await page.getByRole('group', { name: 'Filtrer les dossiers', includeHidden: true }).isVisible()).toBe(false);
    await inFirstScreen(page.locator('#dossiers-table tbody tr').first().getByRole('link'));
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    // « Rechercher » is no filter: in view, and Enter searches with the filters folded.
    const search = page.getByRole('searchbox', { name: 'Rechercher' });
    await inFirstScreen(search);
    await search.fill('jardins');
    await search.press('Enter');
    await page.getByRole('table', { name: /^1 dossier/ }).getByRole('link', { name: 'Les Jardins du Lien' }).waitFor();
    expect(await page.getByRole('button', { name: 'Filtres (1 actif)' }).getAttribute('aria-expanded')).toBe('false');
  }, 30000);

  it('puts whom to call and the handoff’s buttons at the top of a dossier', async () => {
    await page.goto(`${app.baseUrl}/admin/#/dossiers/d-late`);
    await page.locator('table.handoffs').waitFor();
    for (const target of [
      page.locator('table.handoffs a[href="tel:0612345678"]'),
      page.locator('table.handoffs').getByText('en retard', { exact: true }),
      page.getByRole('button', { name: `Prendre en charge la transmission d’${LONG_NAME}` }),
      page.getByRole('button', { name: `Clore la transmission d’${LONG_NAME}` }),
    ]) await inFirstScreen(target);
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    // Not passed on: the contact heads its answers.
    await page.goto(`${app.baseUrl}/admin/#/dossiers/d-quiet`);
    await page.getByText('Aucune transmission pour ce dossier.').waitFor();
    await inFirstScreen(page.locator('dl.facts a[href="tel:0556001122"]'));
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    await page.goto(`${app.baseUrl}/admin/#/dossiers/d-claimed`);
    await page.getByRole('heading', { name: `Dossier : ${URL_NAME}` }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  }, 30000);

  it('changes nothing on a laptop’s screen: the filters shown, no « Filtres » button, the answers before the handoffs', () => atSize(1280, 800, async () => {
    await page.goto(`${app.baseUrl}/admin/#/handoffs`);
    await page.locator('table.handoffs').waitFor();
    expect(await page.getByRole('group', { name: 'Filtrer les transmissions' }).isVisible()).toBe(true);
    expect(await page.locator('.filters-toggle').isVisible()).toBe(false);
    // The buttons inside the table's box, whatever the message's length: not scrolled out of it sideways.
    const claim = page.getByRole('button', { name: `Prendre en charge la transmission d’${LONG_NAME}` });
    const [box, table] = [await claim.boundingBox(), await page.locator('.table-wrap, table.handoffs').first().boundingBox()];
    expect(box!.x + box!.width).toBeLessThanOrEqual(table!.x + table!.width);
    expect(await page.locator('table.handoffs').evaluate((t) => (t.parentElement!.scrollWidth <= t.parentElement!.clientWidth))).toBe(true);
    await page.goto(`${app.baseUrl}/admin/#/dossiers/d-late`);
    await page.locator('table.handoffs').waitFor();
    expect((await page.locator('section.panel h3').allTextContents()).slice(0, 2)).toEqual(['Réponses à l’accueil', 'Transmissions']);
  }), 30000);

  it('shows the handoffs as cards on a tablet held upright: « Prendre en charge » in view, not scrolled out of the table’s box', () => atSize(768, 1024, async () => {
    await page.goto(`${app.baseUrl}/admin/#/handoffs`);
    await page.locator('table.handoffs').waitFor();
    await inFirstScreen(page.getByRole('button', { name: `Prendre en charge la transmission d’${LONG_NAME}` }));
    expect(await scrollWidth()).toBeLessThanOrEqual(768);
  }), 30000);

  /** Runs `body` on a screen of that size, then back to the phone's. */
  async function atSize(width: number, height: number, body: () => Promise<void>): Promise<void> {
    await page.setViewportSize({ width, height });
    try {
      await body();
    } finally {
      await page.setViewportSize({ width: 390, height: 844 });
    }
  }

  /** Inside the first screen of the page, scrolled to its top: seen without scrolling. */
  async function inFirstScreen(target: Locator): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await target.boundingBox();
    const { width, height } = page.viewportSize()!;
    expect({ target: String(target), box: box && box.x >= 0 && box.x + box.width <= width && box.y >= 0 && box.y + box.height <= height })
      .toEqual({ target: String(target), box: true });
  }

  /** How wide the page is: at most the screen's width, the cards' boxes (.scroll) not scrolling sideways either. */
  function scrollWidth(): Promise<number> {
    return page.evaluate(() => Math.max(document.documentElement.scrollWidth,
      ...Array.from(document.querySelectorAll('.scroll')).map((box) => box.scrollWidth - box.clientWidth + document.documentElement.clientWidth)));
  }

  /** The list's filters are hidden until « Filtres » is pressed (keyboard), and hidden again when it is pressed again. */
  async function filtersFold(legend: string, label: string): Promise<void> {
    const filters = page.getByRole('group', { name: legend, includeHidden: true });
    const toggle = page.getByRole('button', { name: 'Filtres', exact: true });
    expect(await filters.isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.getAttribute('aria-controls')).toBe(await filters.getAttribute('id'));
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await filters.getByLabel(label).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('fieldset')?.querySelector('legend')?.textContent)).toBe(legend);
    await toggle.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await filters.isVisible()).toBe(false);
  }
});
