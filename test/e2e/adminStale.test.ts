import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { AdminAuth } from '../../src/admin/auth';
import { listExisting } from '../../src/store/lookups';
import { asRead } from '../helpers/asRead';
import { RunningApp, startTestApp } from '../helpers/app';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium, signedInAdminPage } from '../helpers/browser';
import { openTestDb, TestDb } from '../helpers/db';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

/**
 * Two chargé·es on the same dossier, each with a page opened before the other acted, and a session
 * that ends while a call's note is being typed: what each of them reads, and that nothing typed or
 * recorded is lost.
 */
describeWithChromium('back-office: a page opened before someone else acted, a session ending mid-action', () => {
  let db: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let auth: AdminAuth;
  let marie: Page;
  let anne: Page;
  const errors: string[] = [];
  const dossiers = () => storedDossiers(db.connection);

  beforeAll(async () => {
    db = await openTestDb('admin_stale_e2e');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
    const at = new Date();
    await dossiers().insertOne({
      _id: 'd-jardins', phase: 'diagnostic', status: 'submitted', departement: '33', channelUsers: [], consent: { given: true, at, retentionMonths: 36 },
      answers: { name: 'Les Jardins du Lien', location: { postalCode: '33000', departement: '33' }, contact: { name: 'Claire Martin', phone: '06 12 34 56 78' } },
      createdAt: at, updatedAt: at,
    } as never);
    await storedHandoffs(db.connection).insertOne({
      _id: 'h-jardins', dossierId: 'd-jardins', departement: '33', structureName: 'Les Jardins du Lien', reason: 'diagnostic_confirmed', urgency: 'normal',
      consent: true, status: 'open', deliveries: [], transcript: { channelId: 'directline', conversationId: 'conv-jardins' },
      contact: { name: 'Claire Martin', phone: '06 12 34 56 78' }, createdAt: at, updatedAt: at,
    } as never);
    await listExisting(db.connection);
    auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'anne@dla.test', name: 'Anne Directrice', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'marie@dla.test', name: 'Marie Dupont', role: 'charge', departements: ['33'] });
    browser = await launchChromium();
    const options = { viewport: { width: 1200, height: 900 } };
    ({ page: marie } = await signedInAdminPage(browser, app.baseUrl, (await auth.createLoginCode('marie@dla.test')).code, errors, options));
    ({ page: anne } = await signedInAdminPage(browser, app.baseUrl, (await auth.createLoginCode('anne@dla.test')).code, errors, options));
    await marie.locator('#dossiers-table').waitFor();
    await anne.locator('#dossiers-table').waitFor();
  }, 60000);

  afterAll(() => closeAll(browser, app, db));

  /** The dossier's page, opened from its address (read again, as a reload does, when already there). */
  async function openDossier(page: Page): Promise<void> {
    const url = `${app.baseUrl}/admin/#/dossiers/d-jardins`;
    if (page.url() === url) await page.reload(); else await page.goto(url);
    await page.getByRole('heading', { name: 'Dossier : Les Jardins du Lien' }).waitFor();
  }

  it('a claim refused because someone took it up meanwhile: the row then shows who, and offers no claim any more', async () => {
    for (const page of [marie, anne]) {
      await page.goto(`${app.baseUrl}/admin/#/handoffs`);
      await page.locator('tr[data-handoff="h-jardins"]').waitFor();
    }
    await marie.getByRole('button', { name: 'Prendre en charge la transmission des Jardins du Lien' }).click();
    await marie.getByRole('button', { name: 'Clore la transmission des Jardins du Lien' }).waitFor();

    // Anne's list, opened before: it still offers the claim.
    await anne.getByRole('button', { name: 'Prendre en charge la transmission des Jardins du Lien' }).click();
    const row = anne.locator('tr[data-handoff="h-jardins"]');
    await row.getByRole('alert').filter({ hasText: 'déjà prise en charge (Marie Dupont)' }).waitFor();
    expect(asRead(await row.locator('td[data-label="État"]').innerText())).toMatch(/^Prise en charge par Marie Dupont le /);
    expect(await row.getByRole('button', { name: /^Prendre en charge/ }).count()).toBe(0);
    await anne.screenshot({ path: path.join(ARTEFACTS, 'admin-stale-claim.png'), fullPage: true });
  }, 30000);

  it('a parcours recorded from a page opened before another one was recorded: refused, the other kept, what was typed still there', async () => {
    await openDossier(marie);
    await openDossier(anne);
    await anne.getByLabel('Parcours construit avec la structure').fill('1. Consultant·e RH, 3 jours.');
    await anne.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    await anne.getByText('Parcours enregistré par Anne Directrice').waitFor();

    const mine = '1. Plan de financement avec France Active.';
    await marie.getByLabel('Parcours construit avec la structure').fill(mine);
    await marie.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    const alert = marie.locator('form.parcours').getByRole('alert');
    await alert.waitFor();
    expect(asRead(await alert.innerText())).toMatch(/^Le parcours a été enregistré par Anne Directrice le \d\d\/\d\d\/\d{4}, après l’ouverture de cette page : le vôtre n’est pas enregistré, pour ne pas effacer le sien\./);
    expect(await marie.getByLabel('Parcours construit avec la structure').inputValue()).toBe(mine);
    expect((await dossiers().findOne({ _id: 'd-jardins' as never }))!.parcours).toMatchObject({ text: '1. Consultant·e RH, 3 jours.', recordedByName: 'Anne Directrice' });

    // Reloaded, her page shows Anne's parcours: completed, it is recorded.
    await openDossier(marie);
    await marie.getByLabel('Parcours construit avec la structure').fill(`1. Consultant·e RH, 3 jours.\n2. ${mine.slice(3)}`);
    await marie.getByRole('button', { name: 'Enregistrer le parcours' }).click();
    await marie.getByText('Parcours enregistré par Marie Dupont').waitFor();
  }, 30000);

  it('a session ending while a call’s note is typed: signed in again, the note is back on the dossier, not yet recorded', async () => {
    await openDossier(marie);
    const note = 'Appelée ce matin : 4 ETP confirmés, deux contrats aidés finissent en juin. RDV diagnostic le 10/12.';
    await marie.getByLabel('Note de l’appel (facultatif)').fill(note);
    // Her session ends (its 12 hours are over) before she records the decision.
    await db.connection.db!.collection('admin_sessions').updateMany({ user: 'marie@dla.test' } as never, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await marie.getByRole('button', { name: 'Confirmer l’éligibilité' }).click();
    await marie.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(asRead(await marie.getByRole('alert').innerText()))
      .toBe('Votre session a pris fin. Reconnectez-vous avec un nouveau lien : ce que vous aviez saisi sur le dossier sera remis en place.');
    expect((await dossiers().findOne({ _id: 'd-jardins' as never }))!.chargeDecision).toBeUndefined();

    // A new link, pasted in the login form: back on the dossier, the note in its field.
    await marie.getByLabel('Lien de connexion').fill(`${app.baseUrl}/admin/#code=${(await auth.createLoginCode('marie@dla.test')).code}`);
    await marie.getByRole('button', { name: 'Se connecter' }).click();
    await marie.getByRole('heading', { name: 'Dossier : Les Jardins du Lien' }).waitFor();
    expect(await marie.getByLabel('Note de l’appel (facultatif)').inputValue()).toBe(note);
    expect(asRead(await marie.locator('.draft-restored').innerText())).toBe('Votre session avait pris fin : ce que vous aviez saisi est remis en place ci-dessous, mais rien n’est encore enregistré. Vérifiez-le, puis enregistrez.');
    await marie.screenshot({ path: path.join(ARTEFACTS, 'admin-draft-restored.png'), fullPage: true });
    await marie.getByRole('button', { name: 'Confirmer l’éligibilité' }).click();
    await marie.getByText(`Note : ${note}`).waitFor();
    // Put back once: opened again, the form is empty.
    await openDossier(marie);
    expect(await marie.getByLabel('Note de l’appel (facultatif)').inputValue()).toBe('');
    expect(await marie.locator('.draft-restored').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30000);
});
