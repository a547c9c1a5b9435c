import fs from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { AdminAuth } from '../../src/admin/auth';
import { contrastRatio } from '../../src/domain/contrast';
import { listExisting } from '../../src/store/lookups';
import { RunningApp, startTestApp } from '../helpers/app';
import { AllowedViolation, axeBlockers, faintFocusRings } from '../helpers/accessibility';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium, sayInWebChat, signedInAdminPage } from '../helpers/browser';
import { openTestDb, TestDb } from '../helpers/db';
import { WebhookSink } from '../helpers/webhookSink';
import { storedDossiers, storedHandoffs } from '../helpers/storedDossiers';

/**
 * Violations let through in the Web Chat bundle's own markup (botframework-webchat 4.18.1), which
 * the page cannot change. Empty: axe-core 4.14 finds none there in the states below (the welcome,
 * an answer card with links, suggested actions, the send box) with the page's style options.
 * An entry: { rule, inside: a selector of Web Chat's elements, reason }.
 */
const WEB_CHAT_ALLOWED: AllowedViolation[] = [];

const WEBHOOK_SECRET = 'a11y-webhook-secret';
const DAY = 24 * 3600 * 1000;

describeWithChromium('accessibility (axe-core, WCAG 2.1 A and AA): the web chat page and the back-office, in the default colours', () => {
  let db: TestDb;
  let app: RunningApp;
  let hook: WebhookSink;
  let browser: Browser;
  /** A one-time login link's code for the administrator (each sign-in spends one). */
  let loginCode: () => Promise<string>;

  beforeAll(async () => {
    db = await openTestDb('a11y_e2e');
    // A webhook that refuses: a handoff « Non transmis » shows its failure and its retry button.
    hook = await new WebhookSink(WEBHOOK_SECRET).start();
    hook.status = 500;
    // The operator's default colours: no OPERATOR_PRIMARY_COLOR nor OPERATOR_ACCENT_COLOR.
    app = await startTestApp(db.connection, {
      OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: WEBHOOK_SECRET, HANDOFF_MAX_ATTEMPTS: '1',
    });
    const today = new Date();
    today.setUTCHours(8, 0, 0, 0);
    const at = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY);
    const consent = { given: true, at: at(60), retentionMonths: 36 };
    await storedDossiers(db.connection).insertMany([
      {
        _id: 'd-velo', phase: 'suivi', status: 'submitted', departement: '33', siret: '73282932000074', channelUsers: [], consent, createdAt: at(60), updatedAt: at(2),
        answers: { name: 'Les Amis du Vélo', location: { postalCode: '33000', departement: '33' }, request: 'Consolider nos emplois', contact: { name: 'Camille Martin', phone: '06 12 34 56 78', email: 'camille@example.org' } },
        decision: { outcome: 'eligible', rulesVersion: 'r1', decidedAt: at(60), reasons: [{ code: 'employer', outcome: 'eligible', source: 'x' }] },
        diagnostic: { answers: { activity: 'Atelier vélo' }, themes: ['rh_emploi'], ranking: ['rh_emploi', 'projet_strategie'], version: 1, confirmedAt: at(50), year: today.getUTCFullYear(), primaryTheme: 'rh_emploi' },
        parcours: { text: 'Appui RH', recordedBy: 'admin@dla.test', recordedByName: 'Alex Admin', recordedAt: at(40) },
      },
      {
        _id: 'd-lac', phase: 'accueil', status: 'submitted', departement: '33', channelUsers: [], consent, createdAt: at(3), updatedAt: at(3),
        answers: { name: 'Scop du Lac', location: { postalCode: '33120', departement: '33' }, request: 'Parler à quelqu’un' },
        decision: { outcome: 'to_confirm', rulesVersion: 'r1', decidedAt: at(3), reasons: [] },
      },
    ] as never[]);
    // The follow-up: a check-in answered (its jobs counted), another planned.
    const checkin = (due: Date) => ({ _id: `d-velo|manual:${due.toISOString().slice(0, 10)}`, milestone: `manual:${due.toISOString().slice(0, 10)}`, dossierId: 'd-velo',
      attempts: 0, dueAt: due, nextAttemptAt: due, createdAt: at(40), updatedAt: at(5) });
    await db.connection.db!.collection('checkins').insertMany([
      { ...checkin(at(5)), status: 'answered', sends: [{ at: at(5), instance: 'x', outcome: 'sent' }], answeredAt: at(4), answers: { jobs: 'on a embauché 2 personnes', satisfaction: 4 }, jobCounts: { created: 2, kept: 3, unsure: false } },
      { ...checkin(at(-30)), status: 'planned', sends: [] },
    ] as never[]);
    await storedHandoffs(db.connection).insertOne({
      _id: 'h-velo', dossierId: 'd-velo', departement: '33', structureName: 'Les Amis du Vélo', reason: 'diagnostic_confirmed', urgency: 'high', consent: true, status: 'claimed',
      claimedBy: 'admin@dla.test', claimedByName: 'Alex Admin', claimedAt: at(1), deliveries: [], transcript: { channelId: 'directline', conversationId: 'conv-velo' },
      contact: { name: 'Camille Martin', phone: '06 12 34 56 78', email: 'camille@example.org' }, messages: [{ text: 'Trésorerie tendue', at: at(2) }], createdAt: at(10), updatedAt: at(1),
    } as never);
    await listExisting(db.connection);
    // Not delivered (the webhook answers 500): « Non transmis », its reason, « Réessayer l’envoi ».
    await app.app.outbox.create({
      dossierId: 'd-lac', departement: '33', structureName: 'Scop du Lac', reason: 'eligibility_to_confirm', urgency: 'normal', consent: true, message: 'Parler à quelqu’un',
      contact: { name: 'Dominique', phone: '05 56 11 22 33' }, transcript: { channelId: 'directline', conversationId: 'conv-lac' },
    });
    await app.app.outbox.drain();
    const auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'chargee@dla.test', name: 'Claude Chargée', role: 'charge', departements: ['33'] });
    loginCode = async () => (await auth.createLoginCode('admin@dla.test')).code;
    browser = await launchChromium();
  }, 60000);

  afterAll(() => closeAll(browser, app, hook, db));

  it('the web chat page: at the welcome, with an answer card and suggested actions, the « mes données » page, and the privacy notice', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1000, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const say = sayInWebChat(page);
    const found: Record<string, string[]> = {};
    try {
      await page.goto(app.baseUrl);
      await page.locator('#webchat .webchat__suggested-action').first().waitFor({ timeout: 20000 });
      found.welcome = await axeBlockers(page, 'webchat-welcome', { allowed: WEB_CHAT_ALLOWED });

      // Out of the DLA's scope: the orientation card (links), then the menu's suggested actions.
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Boulangerie Martin', 'je ne sais pas', 'SARL', 'non',
        '3 salariés', '33000', 'Développer notre activité', 'C’est correct']) await say(text);
      await page.locator('#webchat .ac-adaptiveCard', { hasText: 'France Active' }).waitFor({ timeout: 15000 });
      await page.getByText('Que souhaitez-vous faire ?').last().waitFor({ timeout: 15000 });
      await page.locator('#webchat .webchat__suggested-action').first().waitFor({ timeout: 15000 });
      await page.waitForTimeout(500); // the last activity's entrance
      await page.screenshot({ path: path.join(ARTEFACTS, 'axe', 'webchat-card.png') });
      found.card = await axeBlockers(page, 'webchat-card', { allowed: WEB_CHAT_ALLOWED });

      // « Mes données »: the readable page, opened from the disk as the person would.
      await say('mes données');
      await page.getByRole('button', { name: 'Recevoir mes données' }).last().click();
      // Once the second file's message is in, or the transcript scrolling to it can move the link under the click.
      await page.locator('#webchat a', { hasText: 'mes-donnees-dla.json' }).last().waitFor({ timeout: 15000 });
      const link = page.locator('#webchat a', { hasText: 'mes-donnees-dla.html' }).last();
      const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const local = path.join(ARTEFACTS, 'axe', 'mes-donnees-dla.html');
      fs.copyFileSync((await file.path())!, local);
      const reader = await context.newPage();
      await reader.goto(`file://${local}`);
      found.myData = await axeBlockers(reader, 'mes-donnees', { anyImpact: true });

      await page.goto(`${app.baseUrl}/confidentialite`);
      found.privacy = await axeBlockers(page, 'confidentialite', { anyImpact: true });
    } finally {
      await context.close();
    }
    expect(found).toEqual({ welcome: [], card: [], myData: [], privacy: [] });
  }, 120000);

  it('the back-office: its login, the dossiers, a dossier with its follow-up, the handoffs, the statistics and the users, on a laptop and on a 320 px phone', async () => {
    const found: Record<string, string[]> = {};
    const login = await browser.newPage({ locale: 'fr-FR' });
    try {
      await login.goto(`${app.baseUrl}/admin/`);
      await login.getByRole('heading', { name: 'Connexion' }).waitFor();
      found.login = await axeBlockers(login, 'admin-login', { anyImpact: true });
    } finally {
      await login.close();
    }
    const errors: string[] = [];
    const { context, page } = await signedInAdminPage(browser, app.baseUrl, await loginCode(), errors, { viewport: { width: 1200, height: 900 } });
    const base = `${app.baseUrl}/admin/`;
    const views: [string, string, string][] = [
      ['dossiers', '#/dossiers', '#dossiers-table tbody tr'],
      ['dossier', '#/dossiers/d-velo', 'table.checkins'],
      ['handoffs', '#/handoffs', 'tr[data-handoff] .badge.delivery-failed'],
      ['stats', '#/stats', 'table.job-totals'],
      ['users', '#/users', 'table.users, #main table'],
    ];
    try {
      await page.locator('#dossiers-table').waitFor();
      // A laptop, and the narrowest phone WCAG asks to reflow for (1.4.10): nothing scrolls sideways there.
      for (const width of [1200, 320]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, hash, ready] of views) {
          await page.goto(base + hash);
          await page.locator(ready).first().waitFor({ timeout: 10000 });
          found[`${name}-${width}`] = await axeBlockers(page, `admin-${name}-${width}`);
          await page.screenshot({ path: path.join(ARTEFACTS, 'axe', `admin-${name}-${width}.png`), fullPage: true });
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scrollWidth > width) found[`${name}-${width}`].push(`scrolls sideways: ${scrollWidth} px wide`);
        }
      }
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
  }, 120000);

  it('the statistics chart: each share written on its segment reads at 4.5:1 at least (black on the palette’s light colours, where white was 2.3:1 on light blue)', async () => {
    const errors: string[] = [];
    const { context, page } = await signedInAdminPage(browser, app.baseUrl, await loginCode(), errors, { viewport: { width: 1200, height: 900 } });
    try {
      await page.locator('#dossiers-table').waitFor();
      await page.goto(`${app.baseUrl}/admin/#/stats`);
      await page.locator('svg.chart .segment-label').first().waitFor();
      const labels = await page.locator('svg.chart .segment-label').evaluateAll((texts) => texts.map((text) => ({
        text: text.textContent, fill: getComputedStyle(text).fill, on: text.previousElementSibling!.getAttribute('fill')!,
      })));
      expect(labels.filter((l) => contrastRatio(l.fill, l.on) < 4.5)).toEqual([]);
      expect(labels.length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  }, 60000);

  it('reflows to a 320 px wide phone (WCAG 1.4.10): nothing scrolls sideways, and the privacy notice and the terms read top to bottom (they were a row of narrow columns, the heading cut off)', async () => {
    const phone = await browser.newPage({ locale: 'fr-FR', viewport: { width: 320, height: 640 } });
    const layout = () => phone.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      // Each block of the notice starts at the same left edge, below the one before.
      column: Array.from(document.querySelectorAll('main > *')).map((e) => e.getBoundingClientRect())
        .every((box, i, all) => box.left >= 0 && (i === 0 || (box.left === all[0].left && box.top >= all[i - 1].bottom))),
    }));
    try {
      await phone.goto(app.baseUrl);
      await phone.locator('#webchat .webchat__suggested-action').first().waitFor({ timeout: 20000 });
      expect((await layout()).scrollWidth).toBeLessThanOrEqual(320);
      for (const notice of ['/confidentialite', '/conditions-utilisation']) {
        await phone.goto(app.baseUrl + notice);
        expect(await layout()).toEqual({ scrollWidth: 320, column: true });
      }
      await phone.screenshot({ path: path.join(ARTEFACTS, 'axe', 'conditions-320.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  }, 60000);

  it('shows where the keyboard is: at every Tab stop of the pages’ own markup, a focus ring of 3:1 at least against the page (the default accent alone is 2.2:1)', async () => {
    const faint: Record<string, string[]> = {};
    const chat = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1000, height: 900 } });
    try {
      await chat.goto(app.baseUrl);
      await chat.locator('#webchat .webchat__suggested-action').first().waitFor({ timeout: 20000 });
      // From the send box (focused at load): the send button, the footer, then around to the skip link and into the chat.
      faint.webchat = await faintFocusRings(chat, 12);
      await chat.goto(`${app.baseUrl}/confidentialite`);
      faint.privacy = await faintFocusRings(chat, 2);
    } finally {
      await chat.close();
    }
    const errors: string[] = [];
    const { context, page } = await signedInAdminPage(browser, app.baseUrl, await loginCode(), errors, { viewport: { width: 1200, height: 900 } });
    try {
      await page.locator('#dossiers-table').waitFor();
      faint.dossiers = await faintFocusRings(page, 20);
      await page.goto(`${app.baseUrl}/admin/#/dossiers/d-velo`);
      await page.locator('table.checkins').waitFor();
      faint.dossier = await faintFocusRings(page, 40);
    } finally {
      await context.close();
    }
    expect(faint).toEqual({ webchat: [], privacy: [], dossiers: [], dossier: [] });
  }, 60000);
});
