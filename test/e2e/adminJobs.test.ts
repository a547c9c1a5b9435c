import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { AdminAuth } from '../../src/admin/auth';
import { asRead } from '../helpers/asRead';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium, signedInAdminPage } from '../helpers/browser';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';
import { listExisting } from '../../src/store/lookups';
import { storedDossiers } from '../helpers/storedDossiers';

/** What a structure may type: markup, which the page shows as text. */
const WORDS = 'on a embauché 2 personnes <img src=x onerror="window.__xss=1"> et on a gardé les 3 autres';

describeWithChromium('back-office page: the jobs counts of a check-in, next to the structure’s words', () => {
  let db: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('admin_jobs_e2e');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde' });
    const at = new Date('2026-03-01T10:00:00Z');
    await storedDossiers(db.connection).insertOne({
      _id: 'd-jobs', phase: 'suivi', status: 'submitted', departement: '33', channelUsers: [], consent: { given: true, at, retentionMonths: 36 },
      answers: { name: 'Ressourcerie du Port', location: { postalCode: '33000', departement: '33' } }, createdAt: at, updatedAt: at,
      parcours: { text: 'Appui RH', recordedBy: 'a@dla.test', recordedByName: 'Alex', recordedAt: at },
    } as never);
    const before = new Date('2025-09-01T10:00:00Z');
    const checkin = { dossierId: 'd-jobs', dueAt: at, attempts: 0, nextAttemptAt: at, sends: [{ at, instance: 'x', outcome: 'sent' }], createdAt: at, updatedAt: at, answeredAt: at };
    await db.connection.db!.collection('checkins').insertMany([
      // Stored with its counts, and a second one answered before counts were stored (its words only).
      { ...checkin, _id: 'd-jobs|manual:2026-03-01', milestone: 'manual:2026-03-01', status: 'answered', answers: { jobs: WORDS, satisfaction: 4 }, jobCounts: { created: 2, kept: 3, unsure: false } },
      { ...checkin, _id: 'd-jobs|manual:2025-09-01', milestone: 'manual:2025-09-01', status: 'answered', answers: { jobs: 'on a embauché, <b>je crois</b>' }, dueAt: before, answeredAt: before, updatedAt: before },
    ] as never[]);
    await listExisting(db.connection);
    const auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    const { code } = await auth.createLoginCode('admin@dla.test');
    browser = await launchChromium();
    ({ page } = await signedInAdminPage(browser, app.baseUrl, code, errors, { viewport: { width: 1200, height: 900 } }));
    await page.locator('#dossiers-table').waitFor();
  }, 60000);

  afterAll(() => closeAll(browser, app, db));

  it('shows the numbers read, then the structure’s words as text, never as markup', async () => {
    await page.getByRole('link', { name: 'Ressourcerie du Port' }).click();
    await page.getByRole('heading', { name: 'Dossier : Ressourcerie du Port' }).waitFor();
    const counts = page.locator('dd .job-counts');
    await counts.first().waitFor();
    // The check-ins in the order of their due dates: the one answered before counts were stored reads its words.
    expect((await counts.allTextContents()).map(asRead)).toEqual([
      'Aucun nombre lu dans la réponse (à vérifier dans ses mots)',
      'Nombres lus : 2 emplois créés, 3 maintenus ; non dits : améliorés, perdus',
    ]);
    expect((await page.locator('dd .job-words').allTextContents()).map(asRead)).toEqual([
      'Ses mots : « on a embauché, <b>je crois</b> »',
      `Ses mots : « ${WORDS} »`,
    ]);
    // Under the question it answers.
    expect(asRead(await page.locator('dt', { hasText: 'Emplois créés, maintenus ou améliorés' }).last().locator('xpath=following-sibling::dd[1]').innerText()))
      .toContain('Nombres lus : 2 emplois créés');
    expect(await page.locator('dd img, dd b, dd script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.screenshot({ path: path.join(ARTEFACTS, 'admin-jobs.png'), fullPage: true });
  }, 30000);

  it('adds up the jobs of each dossier’s latest check-in on the statistics page', async () => {
    await page.getByRole('link', { name: 'Statistiques' }).click();
    const totals = page.locator('table.job-totals');
    await totals.waitFor();
    expect(await totals.locator('td[data-kind="created"]').textContent()).toBe('2');
    expect(await totals.locator('td[data-kind="kept"]').textContent()).toBe('3');
    expect(await totals.locator('td[data-kind="lost"]').textContent()).toBe('0');
    await page.getByText('1 dossier a répondu à la question sur les emplois.', { exact: false }).waitFor();
    expect(errors).toEqual([]);
  }, 30000);
});
