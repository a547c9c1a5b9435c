import { staleCardSubmit } from '../../dialogs/cards';
import { asRead } from '../helpers/asRead';
import { post as postActivity, useAssistant } from '../helpers/app';
import { teams } from '../helpers/teams';

describe('Microsoft Teams activities through the real adapter', () => {
  const fx = useAssistant('teams', { OPERATOR_NAME: 'DLA de la Gironde' });
  const sent = (conversationId: string) => fx.connector.activities.filter((a) => a.conversation?.id === conversationId);
  const post = (activity: unknown) => postActivity(fx.app.baseUrl, activity);

  it('welcomes on installationUpdate in personal scope, with an Adaptive Card of Action.Submit choices', async () => {
    const t = teams(fx.connector.url);
    expect((await post(t.install())).status).toBe(200);
    const out = sent(t.conversationId);
    expect(out[0].text).toContain('Bonjour et bienvenue');
    const card = out.find((a) => a.attachments?.length)?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const actions = (card?.content as { actions: { type: string; title: string; data: { choice: string } }[] }).actions;
    expect(actions.map((a) => [a.type, asRead(a.title), a.data.choice])).toEqual([
      ['Action.Submit', 'Vérifier si ma structure peut être accompagnée', 'eligibility'],
      ['Action.Submit', 'Découvrir le DLA', 'discover'],
      ['Action.Submit', 'Qui peut être accompagné ?', 'who'],
      ['Action.Submit', 'Aide', 'help'],
    ]);
  });

  it('does not welcome twice when Teams also announces the bot joining', async () => {
    const t = teams(fx.connector.url);
    expect((await post(t.install())).status).toBe(200);
    const afterInstall = sent(t.conversationId).length;
    expect((await post(t.botAdded())).status).toBe(200);
    expect(sent(t.conversationId)).toHaveLength(afterInstall); // nothing more for the bot joining
    expect(sent(t.conversationId).filter((a) => a.text?.includes('Bonjour et bienvenue'))).toHaveLength(1);
  });

  it('installed again in the same conversation (removed, then added) welcomes again with what waits, and « oui » resumes it', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Régie des Bastides']) await post(t.say(text));
    expect(sent(t.conversationId).at(-1)?.text).toContain('SIRET');
    expect((await post({ ...t.install(), action: 'remove' })).status).toBe(200);
    const before = sent(t.conversationId).length;
    expect((await post(t.install())).status).toBe(200);
    const again = sent(t.conversationId).slice(before);
    const said = again.map((a) => a.text ?? '').join('\n') + JSON.stringify(again.map((a) => a.attachments));
    expect(said).toContain('Bon retour'); // its first answers are kept
    expect(said).toContain('Reprendre les premières questions');
    await post(t.say('oui'));
    expect(sent(t.conversationId).at(-1)?.text).toContain('SIRET'); // where it stopped, the name kept
    expect(sent(t.conversationId).at(-1)?.text).not.toContain('Bon retour'); // greeted once
  });

  it('a first message without any install event is answered, not swallowed by the welcome', async () => {
    const t = teams(fx.connector.url);
    expect((await post(t.say('Vérifier si ma structure peut être accompagnée'))).status).toBe(200);
    const texts = sent(t.conversationId).map((a) => a.text ?? '').join('\n');
    expect(texts).toContain('Bonjour et bienvenue');
    expect(texts).toContain('Avant de commencer'); // the consent notice: the choice was taken
  });

  it('answers a card submit (value only, no text), as Teams posts it', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    const before = sent(t.conversationId).length;
    await post(t.submit({ choice: 'discover' }));
    expect(sent(t.conversationId).slice(before).map((a) => a.text).join('\n')).toContain('Étape 1 · Accueil');
  });

  it('strips the bot @mention before reading the text (team channel)', async () => {
    const t = teams(fx.connector.url, 'channel');
    await post(t.say('bonjour', true));
    const before = sent(t.conversationId).length;
    await post(t.say('aide', true));
    expect(asRead(sent(t.conversationId).slice(before).map((a) => a.text).join('\n'))).toContain('« recommencer »');
  });

  it('replies in the same Teams conversation, to the activity it answers', async () => {
    const t = teams(fx.connector.url);
    const install = t.install();
    await post(install);
    const reply = sent(t.conversationId)[0];
    expect(reply.replyToId).toBe(install.id);
    expect(reply.conversation?.id).toBe(t.conversationId);
  });

  it('an old card clicked after the conversation moved on is said to answer an earlier question, the current one asked again, never counted as misunderstood', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    /** The submit data of the button titled `title` on the latest card that has it, as Teams posts it back (messageBack: its text too). */
    const button = (title: string) => {
      const cards = sent(t.conversationId).flatMap((a) => a.attachments ?? []).map((x) => x.content as { actions?: { title: string; data: Record<string, unknown> }[] });
      const data = cards.flatMap((c) => c.actions ?? []).reverse().find((a) => asRead(a.title) === title)!.data;
      return t.submit(data, (data.msteams as { text: string }).text);
    };
    const welcomeDiscover = button('Découvrir le DLA');
    await post(button('Vérifier si ma structure peut être accompagnée'));
    const consentDecline = button('Je refuse');
    await post(button('J’accepte'));
    await post(t.say('Jardins de la Jalle'));
    for (const old of [consentDecline, welcomeDiscover, consentDecline]) {
      const before = sent(t.conversationId).length;
      await post(old);
      const said = asRead(sent(t.conversationId).slice(before).map((a) => a.text ?? '').join('\n'));
      expect(said).toContain('Ce bouton répondait à une question précédente');
      expect(said).toContain('numéro SIRET'); // the question waiting, asked again
      expect(said).not.toContain('Je n’ai trouvé ni SIRET');
    }
    // Three old clicks in a row are no three misunderstandings: nothing was passed on to a chargé·e.
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ 'transcript.conversationId': t.conversationId })).toBe(0);
    // The same choice offered by another question (« Oui » of an earlier one) answers only its own.
    await post(t.say('je ne sais pas'));
    await post(t.say('association'));
    await post(t.say('3'));
    await post(t.say('33000'));
    await post(t.say('on veut consolider nos emplois'));
    const correct = button('C’est correct');
    expect((correct.value as { prompt?: string }).prompt).toBeDefined();
    expect(staleCardSubmit(correct.value, { promptKey: 'diagnostic.summary.prompt', choices: [{ id: 'yes' }, { id: 'fix' }] })).toBe(true);
    expect(staleCardSubmit(correct.value, { promptKey: (correct.value as { prompt: string }).prompt, choices: [{ id: 'yes' }, { id: 'fix' }] })).toBe(false);
    await post(correct);
    expect(asRead(sent(t.conversationId).map((a) => a.text ?? '').join('\n'))).toContain('quelques points restent à vérifier'); // the outcome: no SIRET
  });

  it('asking for a chargé·e hands off without sending the handoff.initiate event into the person’s chat', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier Bois', 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct', 'Sam, sam.bois@example.org']) await post(t.say(text));
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ 'transcript.conversationId': t.conversationId }).toArray();
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm']);
    // Nothing listens for it in a Teams chat, and its transcript nears Teams' message size cap.
    expect(sent(t.conversationId).filter((a) => a.type === 'event')).toEqual([]);
  });
});

describe('« mes données » in Microsoft Teams', () => {
  // Teams takes files from a bot only through its file-consent flow: the export comes as a link.
  let clock = Date.parse('2026-11-26T10:00:00Z');
  const fx = useAssistant('teams_mydata', { OPERATOR_NAME: 'DLA de la Gironde' }, { now: () => clock });
  const post = (activity: unknown) => postActivity(fx.app.baseUrl, activity);
  const lastText = (conversationId: string) => fx.connector.activities.filter((a) => a.conversation?.id === conversationId).map((a) => a.text ?? '').join('\n');

  it('sends a short-lived link to a readable page, with the JSON file on it; both stop working after 15 minutes or an erasure', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    await post(t.say('Je m’appelle Camille, je voulais juste voir <b>ça</b>'));
    await post(t.say('mes données'));
    await post(t.say('Recevoir mes données'));
    const text = lastText(t.conversationId);
    const url = /https?:\/\/\S+\/mes-donnees\/([A-Za-z0-9_-]{43})/.exec(text);
    expect(url).not.toBeNull();
    expect(text).toContain('lien valable 15 minutes');
    expect(fx.connector.activities.flatMap((a) => a.attachments ?? []).some((x) => x.contentType === 'application/json')).toBe(false);
    const link = `${fx.app.baseUrl}/mes-donnees/${url![1]}`;

    // The link opens the readable page, in the person's language, nothing loaded from elsewhere.
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('<h2>Vos conversations avec l’assistant</h2>');
    expect(page).toContain('Je m’appelle Camille, je voulais juste voir &lt;b&gt;ça&lt;/b&gt;');
    // On it, the JSON file: the same token, the same expiry.
    const jsonHref = /<a href="([^"]+)" download="mes-donnees-dla.json">Télécharger les mêmes données au complet/.exec(page)?.[1];
    expect(jsonHref).toBe('?format=json');
    const file = await fetch(new URL(jsonHref!, link));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="mes-donnees-dla.json"');
    expect(file.headers.get('cache-control')).toBe('no-store');
    const exported = await file.json() as { conversations: { messages: { text?: string }[] }[] };
    expect(exported.conversations.flatMap((c) => c.messages.map((m) => m.text))).toContain('Je m’appelle Camille, je voulais juste voir <b>ça</b>');
    // Only the token opens it, and never the token as stored.
    const wrong = await fetch(`${fx.app.baseUrl}/mes-donnees/${'A'.repeat(43)}`);
    expect(wrong.status).toBe(404);
    const english = await fetch(`${fx.app.baseUrl}/mes-donnees/${'A'.repeat(43)}`, { headers: { 'accept-language': 'en-GB,en;q=0.8' } });
    expect((await english.json()).error.message).toMatch(/^This download link/);
    const tooLong = await fetch(`${fx.app.baseUrl}/mes-donnees/${'A'.repeat(150)}`);
    expect(tooLong.status).toBe(404);
    expect(await tooLong.text()).toBe(await wrong.text()); // the same localized page, not a routing error
    // Clicked in a browser, an unknown link opens a small page in the person's language, not raw JSON.
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const clicked = await fetch(`${fx.app.baseUrl}/mes-donnees/${'A'.repeat(43)}`, { headers: browser });
    expect(clicked.status).toBe(404);
    expect(clicked.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(clicked.headers.get('content-security-policy')).toContain("default-src 'none'");
    const clickedPage = asRead(await clicked.text());
    expect(clickedPage).toContain('<h1>Lien indisponible</h1>');
    expect(clickedPage).toContain('Ce lien de téléchargement n’existe pas ou a expiré : redemandez « mes données » à l’assistant.');
    const clickedEn = await fetch(`${fx.app.baseUrl}/mes-donnees/${'A'.repeat(43)}`, { headers: { ...browser, 'accept-language': 'en-GB,en;q=0.8' } });
    expect(await clickedEn.text()).toContain('<h1>Link unavailable</h1>');
    expect(await fx.db.connection.db!.collection('data_exports').countDocuments({ _id: url![1] as never })).toBe(0);

    clock += 14 * 60_000;
    expect((await fetch(link)).status).toBe(200);
    clock += 2 * 60_000;
    const expired = await fetch(link);
    expect(expired.status).toBe(404);
    expect((await expired.json()).error.message).toContain('a expiré');
    const expiredInBrowser = await fetch(link, { headers: browser });
    expect(expiredInBrowser.status).toBe(404);
    expect(await expiredInBrowser.text()).toContain('<h1>Lien indisponible</h1>');
    expect((await fetch(`${link}?format=json`)).status).toBe(404);

    // A new link, then « effacer »: the link goes with the data.
    await post(t.say('mes données'));
    await post(t.say('Recevoir mes données'));
    const second = [...lastText(t.conversationId).matchAll(/\/mes-donnees\/([A-Za-z0-9_-]{43})/g)].pop()![1];
    expect((await fetch(`${fx.app.baseUrl}/mes-donnees/${second}`)).status).toBe(200);
    await post(t.say('mes données'));
    await post(t.say('Effacer mes données'));
    await post(t.say('Oui, tout effacer'));
    expect((await fetch(`${fx.app.baseUrl}/mes-donnees/${second}`)).status).toBe(404);
    expect((await fetch(`${fx.app.baseUrl}/mes-donnees/${second}?format=json`)).status).toBe(404);
  });
});
