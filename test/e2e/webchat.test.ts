import path from 'node:path';
import { asRead } from '../helpers/asRead';
import { Browser, Page, WebSocketRoute } from 'playwright-core';
import { ARTEFACTS, closeAll, describeWithChromium, launchChromium, sayInWebChat } from '../helpers/browser';
import { openTestDb, TestDb } from '../helpers/db';
import { RunningApp, startTestApp } from '../helpers/app';
import { CheckinLinks } from '../../src/followup/checkinLinks';
import { DossierRepository } from '../../src/store/dossiers';
import { addToList, DOSSIER_CHECKINS } from '../../src/store/lookups';



describeWithChromium('web chat page in headless Chromium', () => {
  let db: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const sockets: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('webchat');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_PRIMARY_COLOR: '#0b6e4f' });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 900, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('websocket', (ws) => sockets.push(ws.url()));
  }, 60000);

  afterAll(() => closeAll(browser, app, db));

  const sendBox = () => page.locator('#webchat [data-id="webchat-sendbox-input"], #webchat input[type="text"], #webchat textarea').first();

  /** A new visitor (own storage) at the menu, with `say` waiting for the assistant's next reply. */
  async function asNewVisitor(run: (visitor: Page, say: (text: string) => Promise<void>) => Promise<void>, height = 900): Promise<void> {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 900, height } });
    const visitor = await context.newPage();
    try {
      await visitor.goto(app.baseUrl);
      await visitor.getByText('Que souhaitez-vous faire ?').first().waitFor({ timeout: 20000 });
      await run(visitor, sayInWebChat(visitor));
    } finally {
      await context.close();
    }
  }

  it('opens in French with the operator name, a privacy link and the welcome', async () => {
    await page.goto(app.baseUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.title()).resolves.toBe('Assistant du DLA de la Gironde');
    await page.getByText('Bonjour et bienvenue', { exact: false }).first().waitFor({ timeout: 20000 });
    await page.getByText('Que souhaitez-vous faire ?').first().waitFor();
    expect(await page.getByRole('link', { name: 'Confidentialité et données personnelles' }).getAttribute('href')).toBe('/confidentialite');
    // The send box is labelled for screen readers and takes focus with the keyboard.
    const label = await sendBox().getAttribute('aria-label');
    expect(label && label.length).toBeTruthy();
  }, 60000);

  it('holds a French conversation typed at the keyboard and by clicking a suggested action', async () => {
    await sendBox().click();
    await page.keyboard.type('Découvrir le DLA');
    await page.keyboard.press('Enter');
    await page.getByText('Étape 1 · Accueil', { exact: false }).first().waitFor({ timeout: 15000 });
    await page.getByRole('button', { name: 'Suite' }).last().click();
    await page.getByText('Étape 2 · Diagnostic partagé', { exact: false }).first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(ARTEFACTS, 'webchat.png'), fullPage: true });
    expect(await page.locator('#webchat').innerText()).toContain('Découvrir le DLA'); // the user's own message is shown
  }, 60000);

  it('continues the same conversation after a page reload', async () => {
    const conversationOf = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('dla.conversation') ?? '{}').conversationId as string);
    // In the transcript: Web Chat's screen-reader live region repeats activities for a while (counted
    // there, the welcome came out 3 times once under load — the history restored being announced).
    const welcomes = () => page.locator('.webchat__basic-transcript__activity', { hasText: 'Bonjour et bienvenue' }).count();
    const before = { conversation: await conversationOf(), welcomes: await welcomes() };
    expect(before.conversation).toEqual(expect.any(String));
    await page.reload();
    await page.getByText('Étape 2 · Diagnostic partagé', { exact: false }).first().waitFor({ timeout: 20000 });
    await sendBox().click();
    await page.keyboard.type('suite');
    await page.keyboard.press('Enter');
    await page.getByText('Étape 3 · Construction du parcours', { exact: false }).first().waitFor({ timeout: 15000 });
    // Same conversation, history restored, and the welcome was not sent again.
    expect(await conversationOf()).toBe(before.conversation);
    expect(await welcomes()).toBe(before.welcomes);
    expect(await page.locator('#webchat').innerText()).toContain('Découvrir le DLA');
    await page.screenshot({ path: path.join(ARTEFACTS, 'webchat-after-reload.png'), fullPage: true });
  }, 60000);

  it('« mes données »: a readable page downloads first, then the JSON file; the erasure is confirmed on screen', async () => {
    const say = async (text: string) => {
      await sendBox().click();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    };
    await say('<script>document.title="pwned"</script> bonjour');
    await say('mes données');
    await page.getByRole('button', { name: 'Recevoir mes données' }).last().click();
    // Both files come in two messages: click once the second has arrived, or the transcript
    // scrolling to it can move the first link between Playwright's aim and its click (seen in CI).
    await page.locator('#webchat a', { hasText: 'mes-donnees-dla.json' }).last().waitFor({ timeout: 15000 });
    const download = async (name: string) => {
      const link = page.locator('#webchat a', { hasText: name }).last();
      const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(file.suggestedFilename()).toBe(name);
      return (await file.path())!;
    };
    const fs = await import('node:fs');

    // The page, opened from the disk as the person would: readable, printable, nothing run nor fetched.
    const html = await download('mes-donnees-dla.html');
    const reader = await browser.newPage({ locale: 'fr-FR' });
    const requests: string[] = [];
    reader.on('request', (r) => requests.push(r.url()));
    const local = path.join(ARTEFACTS, 'mes-donnees-dla.html');
    fs.copyFileSync(html, local);
    await reader.goto(`file://${local}`);
    expect(await reader.title()).toBe('Mes données — DLA de la Gironde');
    expect(await reader.locator('script').count()).toBe(0);
    expect((await reader.locator('h2').allInnerTexts()).map(asRead)).toContain('Vos conversations avec l’assistant');
    await reader.getByRole('cell', { name: '<script>document.title="pwned"</script> bonjour' }).waitFor({ timeout: 5000 });
    expect(requests).toEqual([`file://${local}`]);
    await reader.emulateMedia({ media: 'print' });
    await reader.screenshot({ path: path.join(ARTEFACTS, 'mes-donnees-print.png'), fullPage: true });
    await reader.close();

    const exported = JSON.parse(fs.readFileSync(await download('mes-donnees-dla.json'), 'utf8')) as { conversations: { messages: { text?: string }[] }[] };
    expect(exported.conversations.flatMap((c) => c.messages.map((m) => m.text))).toContain('Découvrir le DLA');

    await say('mes données');
    await page.getByRole('button', { name: 'Effacer mes données' }).last().click();
    await page.getByRole('button', { name: 'Oui, tout effacer' }).last().click();
    await page.getByText('ont été effacés', { exact: false }).first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(ARTEFACTS, 'webchat-erased.png'), fullPage: true });
  }, 60000);

  it('the diagnostic’s area form renders as a card in Web Chat, and answering it moves on', async () => {
    await asNewVisitor(async (visitor, say) => {
      const cardWarnings: string[] = [];
      visitor.on('console', (m) => { if (/Adaptive Card/i.test(m.text())) cardWarnings.push(m.text()); });
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'La Recyclerie', '732 829 320 00074', 'asso loi 1901',
        'trois salariés', '33000', 'Consolider nos emplois', 'C’est correct', 'Camille Martin, camille@example.org', 'Commencer',
        'Recyclerie', 'deux cent mille euros', 'ventes 60 %, subventions 40 %', '4 salariés', 'Bureau de 5 personnes']) await say(text);
      const card = visitor.locator('#webchat .ac-adaptiveCard').last();
      await card.getByText('Organisation interne').waitFor({ timeout: 15000 });
      await card.getByLabel('La situation, avec vos mots').fill('Pas de fiches de poste');
      await card.getByLabel('3 · urgent').check();
      // At the keyboard: the focus then moves to the next card's first field, not left on the old card.
      await card.getByRole('button', { name: 'Valider' }).focus();
      await visitor.keyboard.press('Enter');
      const next = visitor.locator('#webchat .ac-adaptiveCard').filter({ hasText: 'Ressources humaines' });
      await next.waitFor({ timeout: 15000 });
      await visitor.waitForFunction(() => document.activeElement?.closest('.ac-adaptiveCard')?.textContent?.includes('Ressources humaines') ?? false, undefined, { timeout: 5000 });
      expect(await next.getByLabel('La situation, avec vos mots').evaluate((e) => e === document.activeElement)).toBe(true);
      await visitor.keyboard.type('Deux départs cette année');
      expect(await next.getByLabel('La situation, avec vos mots').inputValue()).toBe('Deux départs cette année');
      await visitor.screenshot({ path: path.join(ARTEFACTS, 'webchat-diagnostic-card.png'), fullPage: true });
      expect(cardWarnings).toEqual([]);
    }, 1100);
  }, 90000);

  it('« English » switches Web Chat’s own texts too, and they stay English after a reload', async () => {
    await asNewVisitor(async (visitor, say) => {
      const box = visitor.locator('#webchat [data-id="webchat-sendbox-input"]');
      expect(await box.getAttribute('placeholder')).toBe('Tapez votre message');
      await say('English');
      await visitor.getByText('What would you like to do?').first().waitFor({ timeout: 15000 });
      await visitor.waitForFunction(() => document.querySelector('#webchat [data-id="webchat-sendbox-input"]')?.getAttribute('placeholder') === 'Type your message', undefined, { timeout: 15000 });
      // The page around the chat follows: language, header, footer, privacy notice.
      const chrome = () => visitor.evaluate(() => ({
        lang: document.documentElement.lang, title: document.title, heading: document.querySelector('h1')!.textContent,
        region: document.getElementById('webchat')!.getAttribute('aria-label'),
        privacy: document.querySelector('footer a')!.textContent, privacyHref: document.querySelector('footer a')!.getAttribute('href'),
        restart: document.getElementById('new-conversation')!.textContent,
      }));
      const english = {
        lang: 'en', title: 'DLA de la Gironde assistant', heading: 'DLA de la Gironde assistant', region: 'Conversation with the DLA assistant',
        privacy: 'Privacy and personal data', privacyHref: '/confidentialite?lang=en', restart: 'New conversation',
      };
      expect(await chrome()).toEqual(english);
      // Each message keeps its own language for screen readers: the French welcome above the switch
      // is still French, the replies after it English.
      const languageOf = (start: string) => visitor.evaluate((text) => Array.from(document.querySelectorAll('#webchat .webchat__bubble__content'))
        .filter((bubble) => bubble.textContent!.trim().startsWith(text)).map((bubble) => bubble.closest('[lang]')!.getAttribute('lang')), start);
      expect(await languageOf('Bonjour et bienvenue')).toEqual(['fr']);
      expect(await languageOf('What would you like to do?')).toEqual(['en']);
      await visitor.reload();
      await visitor.getByText('What would you like to do?').first().waitFor({ timeout: 20000 });
      expect(await box.getAttribute('placeholder')).toBe('Type your message');
      expect(await chrome()).toEqual(english);
      await say('help');
      await visitor.getByText('Commands you can use at any time', { exact: false }).first().waitFor({ timeout: 15000 });
      // The user's avatar initials follow too (« Vous » → « You »).
      await visitor.locator('#webchat .webchat__initialsAvatar', { hasText: /^You$/ }).first().waitFor({ timeout: 5000 });
      await visitor.screenshot({ path: path.join(ARTEFACTS, 'webchat-english.png'), fullPage: true });
      // A new conversation of the same visitor: the assistant and the page both stay in English.
      await visitor.getByRole('button', { name: 'New conversation' }).click();
      await visitor.getByText('Hello and welcome!', { exact: false }).first().waitFor({ timeout: 20000 });
      expect(await chrome()).toEqual(english);
      expect(await box.getAttribute('placeholder')).toBe('Type your message');
      await visitor.locator('footer a').click();
      await expect(visitor.locator('h1').innerText()).resolves.toBe('Your data in the DLA de la Gironde assistant');
      expect(await visitor.evaluate(() => document.documentElement.lang)).toBe('en');
    });
  }, 60000);

  it('shows HTML a structure typed as text, in its own message and when the assistant repeats it', async () => {
    await asNewVisitor(async (visitor, say) => {
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier <img src="/x-injected.png"> <b>gras</b> **Asso** [clic](http://evil.example)',
        'je ne sais pas', 'association', 'deux salariés', '33000', 'Consolider nos emplois']) await say(text);
      const recap = visitor.locator('#webchat .webchat__bubble', { hasText: 'Structure : Atelier <img' }).last();
      await recap.waitFor({ timeout: 15000 });
      // As typed, Markdown and all (Web Chat puts zero-width spaces around a bare address).
      expect((await recap.innerText()).replace(/\u200B/g, '')).toContain('**Asso** [clic](http://evil.example)');
      expect(await visitor.locator('#webchat img[src*="x-injected"]').count()).toBe(0);
      // No disguised link (« clic » pointing elsewhere); a bare address may be linked, showing itself.
      expect(await visitor.locator('#webchat a', { hasText: /^clic$/ }).count()).toBe(0);
      expect(await recap.locator('b, strong').count()).toBe(0);
    });
  }, 60000);

  it('fits a 360 px phone: a one-line header, no sideways scroll, suggested actions wrap, the send box shows its focus', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
    const phone = await context.newPage();
    try {
      await phone.goto(app.baseUrl);
      await phone.getByText('Que souhaitez-vous faire ?').first().waitFor({ timeout: 20000 });
      const layout = await phone.evaluate(() => ({
        header: document.querySelector('header')!.getBoundingClientRect().height,
        scrollWidth: document.documentElement.scrollWidth,
        cut: Array.from(document.querySelectorAll('#webchat .webchat__suggested-action__text')).filter((e) => e.scrollWidth > e.clientWidth + 1).length,
      }));
      expect(layout.header).toBeLessThan(60); // room for the conversation when the keyboard opens
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.cut).toBe(0);
      await phone.locator('#webchat [data-id="webchat-sendbox-input"]').focus();
      // Around the send box, clear of the text (an inner outline on the input covered its first letter).
      const focus = await phone.evaluate(() => {
        const box = document.querySelector('#webchat .webchat__send-box__main')!.getBoundingClientRect();
        const input = document.activeElement!.getBoundingClientRect();
        return { outline: getComputedStyle(document.querySelector('#webchat .webchat__send-box__main')!).outlineStyle, inputInside: input.left - box.left >= 3 };
      });
      expect(focus).toEqual({ outline: 'solid', inputInside: true });
      await phone.screenshot({ path: path.join(ARTEFACTS, 'webchat-phone.png') });
    } finally {
      await context.close();
    }
  }, 60000);

  it('the connection drops: the page says it is reconnecting, in French; what was typed meanwhile is sent once it is back, not marked failed', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 900, height: 900 } });
    // The assistant unreachable while `down`: its stream cut, its requests refused.
    let down = false;
    const streams: WebSocketRoute[] = [];
    await context.routeWebSocket(/\/stream\?/, (ws) => { ws.connectToServer(); streams.push(ws); });
    await context.route(/\/(healthz|v3\/directline\/)/, (route) => (down ? route.abort('connectionrefused') : route.continue()));
    const visitor = await context.newPage();
    const banner = visitor.locator('#connection');
    const box = visitor.locator('#webchat [data-id="webchat-sendbox-input"]');
    const bannerSays = async (text: string) => {
      await banner.filter({ hasText: text.split(' ')[0] }).waitFor({ timeout: 15000 });
      expect(asRead(await banner.innerText())).toBe(text);
    };
    try {
      await visitor.goto(app.baseUrl);
      await visitor.getByText('Que souhaitez-vous faire ?').first().waitFor({ timeout: 20000 });
      expect(await banner.isVisible()).toBe(false);
      down = true;
      await Promise.all(streams.map((ws) => ws.close()));
      await bannerSays('Connexion interrompue : reconnexion en cours… Ce que vous écrivez partira dès qu’elle sera rétablie.');
      expect(await banner.getAttribute('role')).toBe('status');
      await box.fill('Découvrir le DLA');
      await box.press('Enter');
      await visitor.waitForTimeout(3000);
      await visitor.screenshot({ path: path.join(ARTEFACTS, 'webchat-offline.png') });
      down = false;
      await visitor.getByText('Étape 1 · Accueil', { exact: false }).first().waitFor({ timeout: 15000 });
      await bannerSays('Connexion rétablie.');
      const transcript = asRead(await visitor.locator('#webchat').innerText());
      expect(transcript).not.toContain('Échec de l');
      expect(transcript.match(/Vous avez dit : Découvrir le DLA/g)).toHaveLength(1);
      await visitor.locator('#connection[hidden]').waitFor({ state: 'attached', timeout: 10000 }); // the « back » notice goes away
    } finally {
      await context.close();
    }
  }, 90000);

  it('shows the privacy notice in French', async () => {
    await page.goto(`${app.baseUrl}/confidentialite`);
    await expect(page.locator('h1').innerText()).resolves.toContain('Vos données');
    // What the consent asks for, for how long, and « mes données »: the same as in the conversation.
    const notice = await page.locator('main').innerText();
    expect(notice).toContain('numéro SIRET ou RNA');
    expect(notice).toContain('36 mois au plus');
    expect(asRead(notice)).toContain('« mes données »');
  });

  it('a check-in e-mail’s link opens the chat on another browser as the structure, offering the check-in; an expired one says so', async () => {
    const first = await browser.newContext({ locale: 'fr-FR' });
    const laptop = await first.newPage();
    await laptop.goto(app.baseUrl);
    await laptop.getByText('Que souhaitez-vous faire ?').first().waitFor({ timeout: 20000 });
    const { userId } = await laptop.evaluate(() => JSON.parse(localStorage.getItem('dla.identity')!));
    await first.close();
    // Its dossier, whose check-in was sent (and e-mailed with this link).
    const dossiers = new DossierRepository(db.connection);
    const dossier = await dossiers.create(`directline:${userId}`, 36);
    dossier.answers = { name: 'Ressourcerie du Port', location: { postalCode: '33000', departement: '33' } };
    await dossiers.save(dossier);
    const checkinId = `${dossier._id}|after_mise_en_oeuvre_6m`;
    await addToList(db.connection, DOSSIER_CHECKINS, dossier._id, checkinId);
    await db.connection.db!.collection<{ _id: string; dossierId: string; milestone: string; status: string }>('checkins').insertOne({ _id: checkinId, dossierId: dossier._id, milestone: 'after_mise_en_oeuvre_6m', status: 'sent' });
    const { token } = await new CheckinLinks(db.connection, 30).create({ dossierId: dossier._id, checkinId, channelUser: `directline:${userId}`, language: 'fr' });

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 400, height: 800 } });
    try {
      const phone = await context.newPage();
      await phone.goto(`${app.baseUrl}/?suivi=${token}`);
      await phone.getByText('Un point de suivi du DLA de la Gironde vous attend', { exact: false }).first().waitFor({ timeout: 20000 });
      expect(asRead(await phone.locator('#webchat').innerText())).toContain('Bon retour !');
      expect(phone.url()).not.toContain('suivi'); // taken out of the address once exchanged
      const box = phone.locator('#webchat [data-id="webchat-sendbox-input"]');
      await box.fill('oui');
      await box.press('Enter');
      await phone.getByText('des emplois ont-ils été créés', { exact: false }).first().waitFor({ timeout: 15000 });
      await phone.screenshot({ path: path.join(ARTEFACTS, 'webchat-suivi-link.png') });

      const other = await context.newPage();
      await other.goto(`${app.baseUrl}/?suivi=${'x'.repeat(43)}`);
      await other.getByText('Que souhaitez-vous faire ?').first().waitFor({ timeout: 20000 });
      expect(asRead(await other.locator('#notice').innerText())).toContain('Ce lien vers le point de suivi a expiré');
    } finally {
      await context.close();
    }
  });

  it('loaded without script or security-policy errors', () => {
    expect(consoleErrors).toEqual([]);
    // Replies came through the Direct Line WebSocket stream (allowed by the page's CSP), not polling.
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((url) => /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?/.test(url))).toBe(true);
  });
});
