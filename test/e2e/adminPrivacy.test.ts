import fs from 'node:fs';
import { Browser } from 'playwright-core';
import { AdminAuth } from '../../src/admin/auth';
import { listExisting } from '../../src/store/lookups';
import { asRead } from '../helpers/asRead';
import { RunningApp, startTestApp } from '../helpers/app';
import { closeAll, describeWithChromium, launchChromium, signedInAdminPage } from '../helpers/browser';
import { openTestDb, TestDb } from '../helpers/db';
import { storedDossiers } from '../helpers/storedDossiers';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' };

describeWithChromium('back-office page: the structure’s data, in headless Chromium', () => {
  let db: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let auth: AdminAuth;

  beforeAll(async () => {
    db = await openTestDb('admin_privacy_e2e');
    app = await startTestApp(db.connection, ENV);
    const at = new Date('2026-01-10T10:00:00Z');
    await storedDossiers(db.connection).insertOne({
      _id: 'd-velo', phase: 'accueil', status: 'submitted', departement: '33', channelUsers: ['directline:u-velo'], conversations: [],
      consent: { given: true, at, retentionMonths: 36 }, createdAt: at, updatedAt: at,
      answers: { name: 'Les Amis du Vélo', location: { postalCode: '33000', departement: '33' }, contact: { name: 'Camille Martin', email: 'camille@example.org' } },
    } as never);
    await db.connection.db!.collection('dossier_keys').insertOne({ _id: 'user:directline:u-velo', dossierId: 'd-velo' } as never);
    await listExisting(db.connection);
    auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle Gironde', role: 'charge', departements: ['33'] });
    browser = await launchChromium();
  }, 60000);

  afterAll(() => closeAll(browser, app, db));

  it('a chargé·e downloads the export « mes données » gives, and is offered no erasure', async () => {
    const errors: string[] = [];
    const { context, page } = await signedInAdminPage(browser, app.baseUrl, (await auth.createLoginCode('gironde@dla.test')).code, errors, { acceptDownloads: true });
    try {
      await page.locator('#dossiers-table').waitFor();
      await page.goto(`${app.baseUrl}/admin/#/dossiers/d-velo`);
      await page.getByRole('heading', { name: 'Données de la structure (RGPD)' }).waitFor();
      const save = async (button: string) => {
        const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
        return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
      };
      const html = await save('Exporter les données de la structure');
      expect(html.name).toBe('mes-donnees-dla.html');
      expect(html.text).toContain('Les Amis du Vélo');
      await page.locator('#status.toast', { hasText: 'Données de la structure téléchargées' }).waitFor();
      const json = await save('Fichier complet (JSON)');
      expect(json.name).toBe('mes-donnees-dla.json');
      expect(JSON.parse(json.text).dossier.answers.contact.email).toBe('camille@example.org');
      expect(await page.getByRole('button', { name: 'Effacer les données de la structure' }).count()).toBe(0);
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  }, 60000);

  it('an administrator erases only once the name is typed, then finds the erasure in the register and downloads it', async () => {
    const errors: string[] = [];
    const { context, page } = await signedInAdminPage(browser, app.baseUrl, (await auth.createLoginCode('admin@dla.test')).code, errors, { acceptDownloads: true });
    try {
      await page.locator('#dossiers-table').waitFor();
      await page.goto(`${app.baseUrl}/admin/#/dossiers/d-velo`);
      const open = page.getByRole('button', { name: 'Effacer les données de la structure' });
      await open.click();
      expect(await open.getAttribute('aria-expanded')).toBe('true');
      const confirm = page.getByLabel('Pour confirmer, tapez « Les Amis du Vélo »');
      expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
      await confirm.fill('Les Amis');
      await page.getByRole('button', { name: 'Effacer définitivement' }).click();
      await page.getByRole('alert').filter({ hasText: 'Pour effacer, tapez exactement « Les Amis du Vélo ». Rien n’a été effacé.' }).waitFor();
      expect(await db.connection.db!.collection('dossiers').countDocuments({ _id: 'd-velo' as never })).toBe(1);

      await confirm.fill('Les Amis du Vélo');
      await page.getByRole('button', { name: 'Effacer définitivement' }).click();
      await page.getByRole('heading', { name: 'Données effacées' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('view-heading');
      expect(asRead(await page.locator('p.erased').innerText())).toMatch(/^Les données des Amis du Vélo ont été effacées \(\d+ documents\)\.$/);
      await page.getByRole('link', { name: 'Retour aux dossiers' }).click();
      await page.locator('#dossiers-table, .results p').first().waitFor();
      expect(await db.connection.db!.collection('dossiers').countDocuments({ _id: 'd-velo' as never })).toBe(0);

      await page.goto(`${app.baseUrl}/admin/#/users`);
      const row = page.locator('table.erasures tbody tr');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(asRead(await row.innerText())).toMatch(/d-velo\s+admin@dla\.test\s+\d+/);
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le registre (JSON)' }).click()]);
      expect(file.suggestedFilename()).toMatch(/^registre-effacements-\d{4}-\d\d-\d\d\.json$/);
      const register = JSON.parse(fs.readFileSync((await file.path())!, 'utf8'));
      expect(register).toMatchObject({ format: 'dla-assistant-erasures', version: 1, erasures: [{ dossierId: 'd-velo', by: 'admin@dla.test' }] });
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  }, 60000);
});
