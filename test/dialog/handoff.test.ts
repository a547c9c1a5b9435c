import { AdminAuth, BOOTSTRAP_ADMIN, createUserToken, ensureAdmin } from '../../src/admin/auth';
import { addWorkingDays } from '../../src/domain/checkinPlan';
import { renderText, teamsCard } from '../../src/handoff/render';
import { translator } from '../../src/i18n';
import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { AssistantFixture, post, useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';
import { useWebhookSink } from '../helpers/webhookSink';

const fr = translator('fr');

/** A message's lines as Web Chat shows them: its Markdown rendered as Web Chat does (markdown-it, single line breaks joined). */
function webChatLines(text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MarkdownIt = require('markdown-it') as new (options: object) => { render(markdown: string): string };
  return new MarkdownIt({ breaks: false, html: false, typographer: false }).render(text)
    .replace(/\n/g, ' ').replace(/<br\s*\/?>|<\/p>|<\/li>/g, '\n').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
    .split('\n').map((line) => line.replace(/[\u00a0\u202f]/g, ' ').trim()).filter(Boolean);
}

describe('handoff triggers, status, and « mes données »', () => {
  const fx = useAssistant('handoff', {
    OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33', OPERATOR_CONTACT: 'dla@gironde.example', CONTACT_DELAY_WORKING_DAYS: '3',
  });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = async (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();

  const email = (name: string) => `sam.${name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@example.org`;

  /** « mes données » → erase → confirm; what the assistant answers last. */
  async function eraseEverything(p: Persona): Promise<string> {
    await p.say('mes données');
    await p.say('Effacer mes données');
    return p.say('Oui, tout effacer');
  }

  /** Three answers in a row the assistant cannot read; what it says to the third. */
  async function misunderstandThrice(p: Persona): Promise<string> {
    await p.say('xkcd');
    await p.say('qwerty');
    return p.say('azerty');
  }

  /** A structure whose eligibility is to be confirmed (no employee yet, a hiring plan). */
  async function toConfirm(name: string): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await p.say(text);
    await p.say(`Sam, ${email(name)}`);
    return p;
  }

  it('a chargé·e asked for as the very first message: consent, its subject (optional, nonsense asked again once, commands answered), the contact, then the request is passed on with it', async () => {
    const p = persona();
    const consent = await p.say('parler à un chargé');
    expect(consent).toContain('Acceptez-vous que ces informations soient conservées ?');
    expect(consent).not.toContain('info-dla.fr');
    const asked = asRead(await p.say('J’accepte'));
    expect(asked).toContain('Pour préparer votre demande à un·e chargé·e d’accompagnement : en quelques mots, c’est à quel sujet ? (ou « passer »)');
    expect(asked).not.toContain('votre nom, et votre e-mail ou votre téléphone');
    // Global commands still work there: answered, then the same question.
    expect(asRead(await p.say('English'))).toContain('To prepare your request for an advisor: in a few words, what is it about? (or “skip”)');
    expect(asRead(await p.say('français'))).toContain('en quelques mots, c’est à quel sujet ?');
    expect(asRead(await p.say('???'))).toContain('Je n’ai pas compris. En quelques mots, c’est à quel sujet ?');
    expect(await p.say('Trésorerie tendue, on ne sait pas payer les salaires de mars')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const dossier = (await dossierOf(p))!;
    expect(await handoffsOf(dossier._id)).toEqual([]); // not passed on before its contact
    const passed = await p.say('Léa Martin, lea@atelier.example');
    expect(passed).toContain('je transmets votre demande');
    expect(passed).toContain('vous recontacte sous 3 jours ouvrés');
    expect((await dossierOf(p))!.consent?.given).toBe(true);
    const handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => [h.reason, h.contact?.email, h.message])).toEqual([['user_request', 'lea@atelier.example', 'Trésorerie tendue, on ne sait pas payer les salaires de mars']]);
    // The chargé·es' e-mail and Teams card carry it.
    const ctx = { publicUrl: 'https://dla.example' };
    expect(renderText(handoffs[0] as never, fr, ctx)).toContain('> Trésorerie tendue, on ne sait pas payer les salaires de mars');
    expect(JSON.stringify(teamsCard(handoffs[0] as never, fr, ctx))).toContain('Trésorerie tendue, on ne sait pas payer les salaires de mars');

    // Nonsense twice: skipped, the contact asked, the request passed on without a message; « passer » skips at once.
    for (const [i, answers] of [['asdfgh', '???'], ['passer']].entries()) {
      const q = persona();
      await q.say('parler à un chargé');
      await q.say('J’accepte');
      let last = '';
      for (const answer of answers) last = await q.say(answer);
      expect(last).toContain('votre nom, et votre e-mail ou votre téléphone');
      expect(await q.say(`Sam ${i}, 06 12 34 56 7${i}`)).toContain('je transmets votre demande');
      const [h] = await handoffsOf((await dossierOf(q))!._id);
      expect(h.message).toBeUndefined();
    }
  });

  it('a chargé·e asked for in the middle of the accueil (no answer yet) or once answers give context: no subject asked, passed on after the contact', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    expect(await p.say('parler à un chargé')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const passed = asRead(await p.say('Léa Martin, lea@atelier.example'));
    expect(passed).toContain('je transmets votre demande');
    expect(passed).not.toContain('à quel sujet');

    // Its name answered, then a pause: the chargé·e has the dossier's answers to go on.
    const q = persona();
    await q.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier du Canal', 'pause']) await q.say(text);
    expect(await q.say('parler à un chargé')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const sent = asRead(await q.say('Noé, noe@canal.example'));
    expect(sent).toContain('je transmets votre demande');
    expect(sent).not.toContain('à quel sujet');
  });

  it('after a chargé·e asked for before any accueil answer, the next visit says the first questions have not started and offers them', async () => {
    const p = persona();
    await p.say('parler à un chargé');
    await p.say('J’accepte');
    await p.say('passer');
    await p.say('Inès Moreau, 06 12 34 56 78');
    const later = persona(p.userId); // a new tab: same user, new conversation
    const welcome = await later.join();
    expect(welcome).toMatch(/Votre demande a été transmise le \d{2}\/\d{2}\/\d{4} au DLA de la Gironde\./);
    expect(welcome).toContain('Vous n’avez pas encore répondu aux premières questions');
    expect(welcome).not.toContain('sont gardées');
    expect(welcome).not.toContain('il reste');
    const started = await later.say('oui');
    expect(started).toContain('C’est parti pour les premières questions.');
    expect(started).not.toContain('Bon retour');
  });

  it('after a call back asked for in the middle of the accueil, the next visit welcomes back, says where the request stands and offers to finish the first questions', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier du Canal']) await p.say(text);
    expect(await p.say('pouvez vous me rappeler')).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(await p.say('Noé, noe@canal.example')).toContain('je transmets votre demande');
    const welcome = await persona(p.userId).join(); // a new tab: same user, new conversation
    expect(welcome).toContain('Bon retour !');
    expect(welcome).not.toContain('Bonjour et bienvenue');
    expect(welcome).toMatch(/Votre demande a été transmise le \d{2}\/\d{2}\/\d{4} au DLA de la Gironde\./);
    expect(welcome).toContain('Vos réponses aux premières questions sont gardées : il reste');
  });

  it('a chargé·e asked for without a dossier, consent declined: how to reach the operator, and nothing stored', async () => {
    const p = persona();
    await p.join();
    await p.say('Parler à un·e chargé·e');
    const answer = await p.say('Je refuse');
    expect(answer).toContain('dla@gironde.example');
    expect(answer).toContain('Que souhaitez-vous faire ?');
    expect(await dossierOf(p)).toBeFalsy();
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ 'transcript.conversationId': p.channel.conversationId })).toBe(0);
    expect(await fx.db.connection.db!.collection('transcript_activities').countDocuments({ conversationId: p.channel.conversationId })).toBe(0);
  });

  it('consent declined at a request for a chargé·e, then « ok j’accepte »: the request goes on (its subject, its contact, then the handoff), not the accueil', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('bjr je veux parler a un conseiller svp')).toContain('Acceptez-vous que ces informations soient conservées ?');
    expect(await p.say('non')).toContain('écrivez « j’accepte »');
    const given = asRead(await p.say('ok j’accepte'));
    expect(given).toContain('Merci, c’est noté');
    expect(given).toContain('en quelques mots, c’est à quel sujet ?');
    expect(given).not.toContain('Quel est le nom de votre structure ?');
    expect(await p.say('passer')).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(await p.say('Léa Martin, lea@atelier.example')).toContain('je transmets votre demande');
    const dossier = (await dossierOf(p))!;
    expect(dossier.consent?.given).toBe(true);
    expect((await handoffsOf(dossier._id)).map((h) => [h.reason, h.contact?.email])).toEqual([['user_request', 'lea@atelier.example']]);

    // Declined at the accueil: « j’accepte » later still starts the accueil.
    const q = persona();
    await q.join();
    await q.say('Vérifier si ma structure peut être accompagnée');
    await q.say('Je refuse');
    expect(await q.say('ok j’accepte')).toContain('Quel est le nom de votre structure ?');
  });

  it('a SIRET typed without consent, then consent given at a request for a chargé·e: a structure already known by that SIRET is recognised, as at the accueil', async () => {
    const known = persona();
    await known.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', '732 829 320 00074']) await known.say(text);
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    await p.say('Je refuse');
    expect(await p.say('732 829 320 00074')).toContain('forme juridique');
    expect(await p.say('parler à un chargé')).toContain('Acceptez-vous que ces informations soient conservées ?');
    await p.say('non');
    const given = asRead(await p.say('ok j’accepte'));
    expect(given).toContain('Cette structure a déjà une demande auprès du DLA de la Gironde : votre chargé·e verra les deux et fera le lien.');
    expect(given).not.toContain('Les Amis du Quartier');
    const dossier = (await dossierOf(p))!;
    expect(dossier).toMatchObject({ siret: '73282932000074', answers: { identifiers: { siret: '73282932000074' } } });
    expect((await new DossierRepository(fx.db.connection).withSiret('73282932000074')).map((d) => d._id)).toContain(dossier._id);
  });

  it('to_confirm hands off with the reasons; asking for a human hands off again (no handoff.initiate event in the structure’s own Web Chat); the status is told', async () => {
    const p = await toConfirm('Les Petits Débrouillards du Quai');
    const dossier = (await dossierOf(p))!;
    let handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm']);
    expect(handoffs[0]).toMatchObject({
      structureName: 'Les Petits Débrouillards du Quai', departement: '33', consent: true, status: 'open',
      contact: { email: email('Les Petits Débrouillards du Quai') }, transcript: { channelId: 'directline', conversationId: p.channel.conversationId },
    });
    expect(handoffs[0].eligibility.reasons.map((r: { code: string }) => r.code)).toContain('first_hire');
    // The reasons as written for the chargé·es (the structure is « elle »), not as told to the structure (« Votre structure… »).
    expect(asRead(renderText(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' }))).toContain('- Pas encore de salarié·e, mais une première embauche en préparation : certains DLA accompagnent cette étape, à confirmer avec elle.\n');
    expect(handoffs[0].eligibility.reasons.map((r: { text: string }) => r.text).join('\n')).not.toMatch(/\b(Votre|vous)\b/);
    expect(handoffs[0].deliveries).toEqual([]); // no notifier configured here: nothing to deliver
    // What the structure comes for, in its words, is in the chargé·es' e-mail and card, not only in the back-office.
    expect(handoffs[0].request).toBe('Créer un premier emploi');
    expect(renderText(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' })).toContain('Demande exprimée à l’accueil :\n> Créer un premier emploi\n');
    // What the call is about, from the accueil, in the e-mail and the card: the form, the staff with its first hire, the seat.
    expect(asRead(renderText(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' })))
      .toContain('Structure : Les Petits Débrouillards du Quai\nDépartement : 33\nReçue le : ');
    expect(asRead(renderText(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' })))
      .toContain('SIRET / RNA : non connu\nForme juridique : association\nSalarié·es : 0 ETP, projet d’embauche\nSiège : 33000 — Gironde (33)\n');
    const facts = (teamsCard(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' }) as { body: { type: string; facts?: { title: string; value: string }[] }[] })
      .body.find((b) => b.type === 'FactSet')!.facts!;
    expect(facts.map((f) => [f.title, asRead(f.value)])).toEqual(expect.arrayContaining([['Salarié·es', '0 ETP, projet d’embauche'], ['Forme juridique', 'association']]));
    expect(JSON.stringify(teamsCard(handoffs[0] as never, fr, { publicUrl: 'https://dla.example' }))).toContain('Créer un premier emploi');

    const human = await p.say('un humain');
    expect(human).toContain('je transmets votre demande');
    expect(human).toContain('sous 3 jours ouvrés');
    handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => h.reason).sort()).toEqual(['eligibility_to_confirm', 'user_request']);
    // Its message is the structure's request in its own words, not « un humain ».
    expect(handoffs.find((h) => h.reason === 'user_request')?.message).toBe('Créer un premier emploi');
    expect(handoffs.find((h) => h.reason === 'user_request')).not.toHaveProperty('request'); // not quoted twice
    // The structure's own Web Chat never receives the handoff.initiate event (the transcript, internal ids): no hub listens there.
    expect(fx.connector.activities.filter((a) => a.conversation?.id === p.channel.conversationId && a.type === 'event')
      .map((a) => a.name)).not.toContain('handoff.initiate');

    const status = await p.say('Où en est ma demande ?');
    expect(status).toMatch(/transmise le \d{2}\/\d{2}\/\d{4}/);
  });

  it('what is typed after consent was declined is stored nowhere, commands included; a chargé·e asked for then asks consent again', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    await p.say('Je refuse');
    expect(await p.say('ok quand même un humain svp')).toContain('Acceptez-vous que ces informations soient conservées ?');
    await p.say('jaccepte');
    expect(await p.say('Léa, lea@ateliers.example')).toContain('je transmets votre demande');
    const db = fx.db.connection.db!;
    const [handoff] = await handoffsOf((await dossierOf(p))!._id);
    expect(handoff).toMatchObject({ reason: 'user_request', contact: { email: 'lea@ateliers.example' } });
    const stored = JSON.stringify([handoff, await db.collection('transcript_activities').find({ conversationId: p.channel.conversationId }).toArray()]);
    expect(stored).not.toContain('conseiller svp');
    expect(stored).toContain('lea@ateliers.example'); // once consent is given, the conversation is kept again
  });

  it('applies handoff.status events from a hub: accepted → claimed, completed → closed', async () => {
    const p = await toConfirm('Ludothèque des Chartrons');
    const dossier = (await dossierOf(p))!;
    const [handoff] = await handoffsOf(dossier._id);
    // A hub is its own channel on the same conversation (e.g. Omnichannel); the structure's channel is not trusted.
    const event = (state: string, channelId = 'omnichannel', handoffId = String(handoff._id)) =>
      ({ ...p.channel.say(''), channelId, type: 'event', name: 'handoff.status', text: undefined, value: { state, handoffId } });
    expect((await post(fx.app.baseUrl, event('completed', 'directline'))).status).toBe(200);
    expect((await handoffsOf(dossier._id))[0]).toMatchObject({ status: 'open' });
    const other = await toConfirm('Épicerie du Lac');
    const [otherHandoff] = await handoffsOf((await dossierOf(other))!._id);
    await post(fx.app.baseUrl, event('completed', 'omnichannel', String(otherHandoff._id))); // not this conversation's handoff
    expect((await handoffsOf((await dossierOf(other))!._id))[0]).toMatchObject({ status: 'open' });
    expect((await post(fx.app.baseUrl, event('accepted'))).status).toBe(200);
    expect((await handoffsOf(dossier._id))[0]).toMatchObject({ status: 'claimed', claimedBy: 'hub' });
    await post(fx.app.baseUrl, event('completed'));
    expect((await handoffsOf(dossier._id))[0].status).toBe('closed');
    expect(await p.say('Où en est ma demande ?')).toContain('a été traitée le');
  });

  it('a handoff.status event without handoffId applies to the open handoff of its conversation, however many others exist', async () => {
    const p = await toConfirm('Repair Café de Bègles');
    const dossier = (await dossierOf(p))!;
    const [handoff] = await handoffsOf(dossier._id);
    // More recent handoffs of other conversations than a "latest 200" list would show.
    const later = new Date(Date.now() + 60_000);
    await fx.db.connection.db!.collection('handoffs').insertMany(Array.from({ length: 210 }, (_, i) => ({
      _id: `other-${i}`, reason: 'user_request', urgency: 'normal', consent: false, status: 'open', deliveries: [], nextDeliveryAt: null,
      transcript: { channelId: 'directline', conversationId: `other-conversation-${i}` }, createdAt: later, updatedAt: later,
    })) as never[]);
    const event = { ...p.channel.say(''), channelId: 'omnichannel', type: 'event', name: 'handoff.status', text: undefined, value: { state: 'accepted' } };
    expect((await post(fx.app.baseUrl, event)).status).toBe(200);
    expect((await handoffsOf(dossier._id)).find((h) => h._id === handoff._id)).toMatchObject({ status: 'claimed', claimedBy: 'hub' });
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ _id: /^other-/ as never, status: 'open' })).toBe(210);
  });

  it('back at the menu once its request is passed on, what may come next is offered first — not « Vérifier si ma structure… » it has just done', async () => {
    const p = await toConfirm('La Fabrique du Quai');
    const titles = () => (p.last()[0]?.suggestedActions?.actions ?? []).map((a) => asRead(String(a.title)));
    expect(titles().slice(0, 3)).toEqual(['J’ai un nouveau besoin', 'Parler à un·e chargé·e', 'Mes données']);
    // The same menu after a question answered there (« c'est payant ? »), and « aide ».
    await p.say('c’est payant ?');
    expect(titles()[0]).toBe('J’ai un nouveau besoin');
  });

  it('a SIRET found after the request was passed on (« notre siret c’est … » at the menu) is kept on the dossier and added to the request', async () => {
    const p = await toConfirm('La Cantine du Parc');
    const reply = asRead(await p.say('notre siret c’est 443 061 841 00047'));
    expect(reply).toContain('je note le numéro de votre structure : SIRET 443 061 841 00047');
    expect(reply).toContain('Que souhaitez-vous faire ?');
    expect(reply).not.toContain('déjà fait cette vérification');
    const dossier = (await dossierOf(p))!;
    expect(dossier.siret).toBe('44306184100047');
    const [handoff] = await handoffsOf(dossier._id);
    expect(handoff.messages?.map((m: { text: string }) => m.text)).toEqual(['notre siret c’est 443 061 841 00047']);
  });

  it('« et maintenant ? », « quand est-ce qu’on va m’appeler ? » after the request was passed on: where it stands, never « je n’ai pas compris » nor a second handoff', async () => {
    const p = await toConfirm('La Ressourcerie du Port');
    const dossier = (await dossierOf(p))!;
    const before = (await handoffsOf(dossier._id)).length;
    for (const question of ['et maintenant ?', 'c’est quoi la suite ?', 'quand est-ce qu’on va m’appeler ?', 'qui va m’appeler ?', 'vous allez me rappeler quand ?']) {
      const reply = await p.say(question);
      expect(reply).toMatch(/Votre demande a été transmise le \d{2}\/\d{2}\/\d{4} au DLA de la Gironde\. Un·e chargé·e vous recontacte au plus tard le/);
      expect(reply).not.toContain('Je n’ai pas compris');
    }
    expect((await handoffsOf(dossier._id)).length).toBe(before);
  });

  it('the structure reads the name of the chargé·e who took its request up, never an e-mail address; a hub stays « un·e chargé·e »', async () => {
    const p = await toConfirm('Épicerie du Coin');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    await fx.app.app.outbox.claim(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    const status = await p.say('où en est ma demande ?');
    expect(status).toMatch(/par Sophie Bernard, qui va vous recontacter au plus tard le \d{2}\/\d{2}\/\d{4}\./); // the day promised stays
    expect(status).not.toContain('@');
    await fx.app.app.outbox.reopen(id);
    await fx.app.app.outbox.claim(id, 'hub');
    expect(await p.say('où en est ma demande ?')).toContain('par un·e chargé·e d’accompagnement du DLA de la Gironde, qui va vous recontacter');
  });

  it('the first administrator, still named « Administrateur », is never named to a structure; the back-office asks their own name, then structures read it', async () => {
    const p = await toConfirm('Les Jardins du Lien');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    await ensureAdmin(fx.db.connection, { info: () => undefined, warn: () => undefined }); // as at start-up: « Administrateur »
    const token = await createUserToken(fx.db.connection, BOOTSTRAP_ADMIN);
    const api = (method: string, path: string, body?: unknown) => fetch(`${fx.app.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(await (await api('GET', '/admin/api/me')).json()).toMatchObject({ name: 'Administrateur', nameToSet: true });
    expect((await api('POST', `/admin/api/handoffs/${id}/claim`)).status).toBe(200);
    const claimed = await p.say('où en est ma demande ?');
    expect(claimed).toMatch(/prise en charge le \d{2}\/\d{2}\/\d{4} par un·e chargé·e d’accompagnement du DLA de la Gironde, qui va vous recontacter/);
    expect(claimed).not.toContain('Administrat');

    // Their own name: a person's, never a role, an address, nothing or too long.
    for (const name of ['Administrateur·rice', 'admin@localhost', '  ', 'x'.repeat(201), 42]) {
      const refused = await api('PATCH', '/admin/api/me', { name });
      expect(refused.status).toBe(400);
    }
    expect(asRead((await (await api('PATCH', '/admin/api/me', { name: 'Administrateur' })).json()).error.message)).toContain('pas un rôle');
    expect(await (await api('PATCH', '/admin/api/me', { name: ' Sophie Martin ' })).json()).toMatchObject({ name: 'Sophie Martin', nameToSet: false });
    expect(await (await api('GET', '/admin/api/me')).json()).toMatchObject({ name: 'Sophie Martin', nameToSet: false });
    expect((await api('POST', `/admin/api/dossiers/${encodeURIComponent(dossier._id)}/decision`, { outcome: 'eligible' })).status).toBe(200);
    const decided = await p.say('où en est ma demande ?');
    expect(decided).toContain('Sophie Martin a confirmé que le DLA peut accompagner votre structure');
    expect(decided).not.toContain('Administrat');
  });

  it('« où en est ma demande ? » tells what the chargé·e decided after the call and how the parcours goes, never the call’s note', async () => {
    const p = await toConfirm('Ressourcerie des Chartrons');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    await fx.app.app.outbox.claim(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    const dossiers = fx.db.connection.db!.collection('dossiers');
    // As the back-office records it: the decision in force, and every decision with its note.
    const latest = { outcome: 'eligible', note: 'Trésorerie tendue, à surveiller', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date() };
    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { chargeDecision: latest, chargeDecisions: [
      { outcome: 'out_of_scope', note: 'Aucun salarié pour l’instant', by: 'Léa Bernard', byEmail: 'lea.bernard@dla33.example', at: new Date(Date.now() - 3600_000) }, latest,
    ] } });
    const decided = await p.say('où en est ma demande ?');
    expect(decided).toMatch(/^Votre demande a été transmise le (\d{2}\/\d{2}\/\d{4}) au DLA de la Gironde\. Après votre échange du \1, Sophie Bernard a confirmé que le DLA peut accompagner votre structure\./);
    expect(decided).not.toContain('recontacter'); // the call took place: no call back promised any more
    expect(decided).not.toContain('Trésorerie');
    expect(decided).not.toContain('Aucun salarié'); // nor an earlier decision's note

    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { parcours: {
      text: 'Consultant·e RH, 3 jours', recordedBy: 'sophie.bernard@dla33.example', recordedAt: new Date('2026-04-02T09:00:00Z'), miseEnOeuvreStartedAt: new Date('2026-05-04T00:00:00Z'),
    } } });
    const started = await p.say('où en est ma demande ?');
    // The parcours as the chargé·e wrote it, then how far the mise en œuvre went; never who recorded it (an e-mail) nor the call's note.
    expect(started).toContain('Votre parcours d’accompagnement, défini le 02/04/2026 : « Consultant·e RH, 3 jours ». La mise en œuvre de votre accompagnement a commencé le 04/05/2026.');
    expect(started).not.toContain('@');
    expect(started).not.toContain('Trésorerie');

    // Written on several lines: as many lines in Web Chat, whose Markdown joins a single line break.
    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { 'parcours.text': '1. Diagnostic partagé (2 rdv)\n2. Ingénierie RH, 3 jours\r\n3. Suivi à 12 mois' } });
    await p.say('où en est ma demande ?');
    const lines = webChatLines(p.last(2).map((a) => a.text ?? '').find((text) => text.includes('Votre parcours')) ?? '');
    expect(lines).toEqual(expect.arrayContaining(['2. Ingénierie RH, 3 jours']));
    expect(lines.find((l) => l.includes('Votre parcours'))).toMatch(/« 1\. Diagnostic partagé \(2 rdv\)$/);
    expect(lines.find((l) => l.startsWith('3.'))).toMatch(/^3\. Suivi à 12 mois »\. La mise en œuvre/);
    // Its last sentence's full stop is the sentence's after the quote (« … France Active ». — not « … France Active. ». ).
    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { 'parcours.text': 'Consultant·e RH, 3 jours ; prêt d’honneur avec France Active.' } });
    expect(asRead(await p.say('où en est ma demande ?'))).toContain('« Consultant·e RH, 3 jours ; prêt d’honneur avec France Active ». La mise en œuvre');
    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { 'parcours.text': 'Consultant·e RH, 3 jours' } });

    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { 'parcours.miseEnOeuvreEndedAt': new Date('2026-09-30T00:00:00Z') } });
    const ended = await p.say('où en est ma demande ?');
    expect(ended).toContain('« Consultant·e RH, 3 jours ». La mise en œuvre de votre accompagnement s’est terminée le 30/09/2026.');
    expect(ended).not.toContain('@');

    await dossiers.updateOne({ _id: dossier._id as never }, { $set: { 'chargeDecision.outcome': 'out_of_scope', 'chargeDecision.by': 'sophie.bernard@dla33.example' } });
    const refused = await p.say('où en est ma demande ?');
    expect(refused).toContain('un·e chargé·e d’accompagnement du DLA de la Gironde a conclu que votre demande ne relève pas du DLA');
    expect(refused).not.toContain('@');
  });

  it('after « my data » erased everything, the conversation goes on in the language the user chose (their state stays erased)', async () => {
    const p = await toConfirm('Jardin Partagé');
    await p.say('English');
    await p.say('my data');
    await p.say('Erase my data');
    expect(await p.say('Yes, erase everything')).toContain('have been erased');
    expect(await fx.db.connection.db!.collection('botstate').countDocuments({ _id: { $regex: `users/${p.userId}` } as never })).toBe(0);
    expect(await p.say('where is my request?')).toContain('I have no request in progress');
  });

  it('« mes données » gives what the chargé·e recorded about the structure, but none of the chargé·es’ e-mail addresses nor where notifications went', async () => {
    const p = await toConfirm('Atelier du Bois Flotté');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    await fx.app.app.outbox.claim(id, 'lea.bernard@dla33.example', 'Léa Bernard');
    await fx.db.connection.db!.collection('handoffs').updateOne({ _id: id as never }, { $set: { deliveries: [
      { notifier: 'email', status: 'sent', attempts: 1, nextAttemptAt: new Date(), sentAt: new Date(), recipients: ['equipe@dla33.example'] },
      { notifier: 'webhook', status: 'failed', attempts: 3, nextAttemptAt: new Date(), lastError: 'ECONNREFUSED https://hooks.example/secret-path', recipients: ['https://hooks.example/secret-path'] },
    ] } });
    // Every decision with its note, as the back-office keeps them; the first recorded when names could still be e-mail addresses.
    const latest = { outcome: 'eligible', note: 'Premier emploi prévu en mars', by: 'Léa Bernard', byEmail: 'lea.bernard@dla33.example', at: new Date() };
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: {
      chargeDecision: latest,
      chargeDecisions: [
        { outcome: 'out_of_scope', note: 'Pas de projet d’embauche daté', by: 'sophie.bernard@dla33.example', byEmail: 'sophie.bernard@dla33.example', at: new Date(Date.now() - 2 * 86400_000) },
        { outcome: 'out_of_scope', note: 'Embauche envisagée, à rappeler', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date(Date.now() - 86400_000) },
        latest,
      ],
      parcours: { text: 'Consultant·e RH, 3 jours', recordedBy: 'lea.bernard@dla33.example', recordedByName: 'Léa Bernard', recordedAt: new Date() },
    } });
    await p.say('mes données');
    await p.say('Recevoir mes données');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const json = Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8');
    expect(json).toContain(email('Atelier du Bois Flotté')); // the structure's own contact
    expect(json).toContain('Premier emploi prévu en mars'); // what was recorded about it
    expect(json).toContain('Consultant·e RH, 3 jours');
    expect(json).toContain('Léa Bernard');
    expect(json).not.toContain('dla33.example');
    // The summary in words: every note, in the order of the calls, each by the name of who wrote it.
    const readable = (JSON.parse(json).readable as string[]).map(asRead);
    const notes = readable.filter((l) => l.startsWith('Décision') || l.startsWith('Note de l’échange'));
    expect(notes).toEqual([
      expect.stringMatching(/^Décision d’un·e chargé·e d’accompagnement après votre échange : Hors champ/), 'Note de l’échange : Pas de projet d’embauche daté',
      expect.stringMatching(/^Décision de Sophie Bernard après votre échange : Hors champ/), 'Note de l’échange : Embauche envisagée, à rappeler',
      expect.stringMatching(/^Décision de Léa Bernard après votre échange : Éligible/), 'Note de l’échange : Premier emploi prévu en mars',
    ]);
    expect(JSON.parse(json).dossier.chargeDecisions.map((c: { by?: string }) => c.by ?? null)).toEqual([null, 'Sophie Bernard', 'Léa Bernard']);
    expect(json).not.toContain('hooks.example');
  });

  it('« où en est ma demande ? » gives the day of the call back, apologises once it is past, and puts « nouveau besoin » last once dealt with', async () => {
    const p = await toConfirm('Compagnie des Lucioles');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    expect(await p.say('où en est ma demande ?')).toMatch(/Un·e chargé·e vous recontacte au plus tard le \d{2}\/\d{2}\/\d{4}\./);
    // Sent on Monday 2 November 2026: 3 working days later is Thursday 5 November, long past.
    await fx.db.connection.db!.collection('handoffs').updateOne({ _id: id as never }, { $set: { createdAt: new Date('2026-11-02T09:00:00Z') } });
    const late = await p.say('où en est ma demande ?');
    expect(late).toContain('transmise le 02/11/2026');
    expect(late).toContain('aurait dû vous recontacter au plus tard le 05/11/2026 : veuillez nous excuser pour ce retard');
    expect(late).toContain('dla@gironde.example');
    await fx.app.app.outbox.claim(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    await fx.app.app.outbox.close(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: {
      chargeDecision: { outcome: 'eligible', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date('2026-11-20T09:00:00Z') },
    } });
    const closed = await p.say('où en est ma demande ?');
    expect(closed).toMatch(/^Votre demande a été traitée le \d{2}\/\d{2}\/\d{4}\. Après votre échange du 20\/11\/2026, Sophie Bernard a confirmé .*\. Si vous avez un nouveau besoin, dites-le-moi/);
  });

  it('« où en est ma demande ? » from outside the territory promises no call back: its own DLA, through the national directory', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Théâtre du Faubourg', 'je ne sais pas', 'association', '3 salariés', '75011', 'Développer nos partenariats']) await p.say(text);
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('75');
    const before = await p.say('où en est ma demande ?');
    expect(before).toContain('c’est le DLA de ce département qui peut vous accompagner');
    expect(before).not.toContain('ne relève pas du DLA');
    await p.say('parler à un·e chargé·e');
    await p.say(`Sam, ${email('Théâtre du Faubourg')}`);
    const after = await p.say('où en est ma demande ?');
    expect(after).toContain('un·e chargé·e pourra seulement vous orienter, sans délai promis');
    expect(after).not.toContain('recontacte');
  });

  it('three misunderstood answers in a row hand over to a chargé·e', async () => {
    const first = await toConfirm('Amicale du Marché');
    const p = persona(first.userId);
    await p.join();
    await p.say('Découvrir le DLA');
    const third = await misunderstandThrice(p);
    // Handed over at once: not the question asked again first (« Répondez… » then « je passe la main »).
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).toContain('Que souhaitez-vous faire ?');
    const dossier = (await dossierOf(p))!;
    const handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => h.reason)).toContain('not_understood');
    // The chargé·e reads what was not understood, not just the last word.
    expect(handoffs.find((h) => h.reason === 'not_understood')?.message).toBe('xkcd\nqwerty\nazerty');
    // Asking for a human now does not stack another urgent handoff: the structure is told where it stands.
    const again = await p.say('parler à un humain');
    expect(again).toContain('Votre demande a été transmise le');
    expect((await handoffsOf(dossier._id)).filter((h) => h.reason === 'user_request' || h.reason === 'not_understood')).toHaveLength(1);
  });

  it('at the contact question: « annuler » backs out, « pause » says nothing was passed on, no e-mail nor phone after the retries passes it on without promising a call back', async () => {
    const start = async (name: string) => {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name]) await p.say(text);
      expect(await p.say('je voudrais parler à un conseiller svp')).toContain('« annuler » pour ne rien transmettre');
      return p;
    };
    const cancelled = await start('Ressourcerie du Bassin');
    const back = await cancelled.say('non finalement laissez tomber');
    expect(back).toContain('je ne transmets rien');
    expect(back).toContain('SIRET'); // the question it was at
    expect(await handoffsOf((await dossierOf(cancelled))!._id)).toEqual([]);

    const paused = await start('Théâtre du Pont');
    expect(await paused.say('pause')).toContain('Votre demande de chargé·e n’est pas transmise');
    expect(await handoffsOf((await dossierOf(paused))!._id)).toEqual([]);

    const unreachable = await start('Atelier des Mots');
    for (const text of ['appelez le standard', 'demandez à la mairie']) expect(await unreachable.say(text)).toContain('Je n’ai trouvé ni e-mail ni numéro');
    const passed = await unreachable.say('passez par la fédération');
    expect(passed).toContain('personne ne pourra vous rappeler');
    expect(passed).not.toContain('vous recontacte sous');
    expect((await handoffsOf((await dossierOf(unreachable))!._id)).map((h) => h.reason)).toEqual(['user_request']);
  });

  it('a request passed on without an e-mail nor a phone: its status promises no call back and offers to leave one; given, the same request gets it and the promise', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier des Sons', 'je voudrais parler à un conseiller svp',
      'appelez le standard', 'demandez à la mairie']) await p.say(text);
    expect(await p.say('passez par la fédération')).toContain('personne ne pourra vous rappeler');
    const status = asRead(await p.say('où en est ma demande ?'));
    expect(status).toContain('Votre demande a été transmise le');
    expect(status).toContain('sans e-mail ni téléphone personne ne peut vous rappeler');
    expect(status).toContain('dla@gironde.example');
    expect(status).toContain('« parler à un·e chargé·e » pour me laisser votre e-mail ou votre téléphone');
    expect(status).not.toContain('vous recontacte');
    expect(status).not.toContain('au plus tard');
    // « parler à un·e chargé·e » asks the contact (the same question as before a request).
    expect(await p.say('parler à un·e chargé·e')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const given = await p.say('Léa Martin, 06 12 34 56 78');
    expect(given).toContain('vous recontacte sous 3 jours ouvrés');
    const dossier = (await dossierOf(p))!;
    const handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => [h.reason, h.contact?.phone])).toEqual([['user_request', '06 12 34 56 78']]);
    expect(handoffs[0].contactAddedAt).toBeInstanceOf(Date);
    const after = asRead(await p.say('où en est ma demande ?'));
    expect(after).toContain('Un·e chargé·e vous recontacte au plus tard le');
    expect(after).not.toContain('sans e-mail ni téléphone');
  });

  it('three misunderstood answers before any contact was given: the contact first, then the handoff with what was not understood', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins Partagés', 'pause', 'bonjour']) await p.say(text);
    const third = await misunderstandThrice(p);
    expect(third).toContain('Je n’arrive pas à vous comprendre');
    expect(third).toContain('votre nom, et votre e-mail ou votre téléphone');
    const dossier = (await dossierOf(p))!;
    expect(await handoffsOf(dossier._id)).toEqual([]); // nothing promised yet
    const passed = await p.say('Léa, lea@jardins.example');
    expect(passed).toContain('vous recontacte sous');
    expect(passed).toContain('Que souhaitez-vous faire ?');
    expect((await handoffsOf(dossier._id)).map((h) => [h.reason, h.message, h.contact?.email])).toEqual([['not_understood', 'xkcd\nqwerty\nazerty', 'lea@jardins.example']]);
  });

  it('nonsense three times at the accueil’s own contact question: the « to be confirmed » outcome is submitted and passed on with its reasons, the contact not asked a fourth time', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Fournil Solidaire', 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi']) await p.say(text);
    expect(asRead(await p.say('C’est correct'))).toContain('votre nom, et votre e-mail ou votre téléphone');
    for (const text of ['???', 'asdfgh']) expect(await p.say(text)).toContain('Je n’ai trouvé ni e-mail ni numéro');
    const third = asRead(await p.say('qsdfqsdf'));
    expect(third).toContain('Je n’arrive pas à vous comprendre');
    expect(third).toContain('personne ne pourra vous rappeler');
    expect(third).toContain('dla@gironde.example');
    expect(third).not.toContain('votre e-mail ou votre téléphone');
    expect(third).not.toContain('vous recontacte sous');
    expect(third).toContain('Que souhaitez-vous faire ?');
    const dossier = (await dossierOf(p))!;
    expect(dossier).toMatchObject({ status: 'submitted', decision: { outcome: 'to_confirm' } });
    expect(dossier.answers.contact).toBeUndefined();
    const handoffs = await handoffsOf(dossier._id);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm']);
    expect(handoffs[0].eligibility.reasons.map((r: { code: string }) => r.code)).toContain('first_hire');
    // The chargé·e reads what could not be read as a contact.
    expect(handoffs[0].message).toBe('???\nasdfgh\nqsdfqsdf');
    // Where it stands afterwards: passed on.
    expect(await p.say('Où en est ma demande ?')).toMatch(/transmise le \d{2}\/\d{2}\/\d{4}/);
  });

  it('two misread answers, then « parler à un humain »: the count starts again at the contact question — its first nonsense answer is asked again, not passed on', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Cantine Partagée']) await p.say(text);
    for (const text of ['???', 'qsdfgh']) expect(await p.say(text)).toContain('SIRET');
    expect(await p.say('parler à un humain')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const first = await p.say('???');
    expect(first).toContain('Je n’ai trouvé ni e-mail ni numéro');
    expect(first).not.toContain('personne ne pourra vous rappeler');
    const dossier = (await dossierOf(p))!;
    expect(await handoffsOf(dossier._id)).toEqual([]);
    expect(await p.say('asdfgh')).toContain('Je n’ai trouvé ni e-mail ni numéro');
    expect(await p.say('Léa, lea@cantine.example')).toContain('vous recontacte sous');
    expect((await handoffsOf(dossier._id)).map((h) => [h.reason, h.contact?.email])).toEqual([['user_request', 'lea@cantine.example']]);
  });

  it('« mes données » in Web Chat: a readable document first (answers, reasons in words, no rule code nor staff e-mail, what was typed as text), then the complete JSON', async () => {
    const p = await toConfirm('Recyclerie du Quai');
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    // Taken up, put back in waiting (« Remettre en attente »), taken up again: who did it is named, never by e-mail.
    await fx.app.app.outbox.claim(id, 'lea.bernard@dla33.example', 'Léa Bernard');
    await fx.app.app.outbox.reopen(id, 'lea.bernard@dla33.example', 'Léa Bernard');
    await fx.app.app.outbox.claim(id, 'lea.bernard@dla33.example', 'Léa Bernard');
    const decision = { outcome: 'eligible', note: 'Embauche prévue en mars', by: 'Léa Bernard', byEmail: 'lea.bernard@dla33.example', at: new Date() };
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: {
      chargeDecision: decision, chargeDecisions: [decision],
      parcours: { text: 'Consultant·e RH, 3 jours', recordedBy: 'lea.bernard@dla33.example', recordedByName: 'Léa Bernard', recordedAt: new Date() },
    } });
    await p.say('<script>alert("dla")</script> bonjour');
    await p.say('mes données');
    await p.say('Recevoir mes données');
    const sent = p.last(4).slice(0, 3); // then what may come next
    expect(sent.map((a) => (a.attachments ?? []).map((x) => x.name))).toEqual([[], ['mes-donnees-dla.html'], ['mes-donnees-dla.json']]);
    // Each file with a line saying what it is.
    expect(sent[1].text).toContain('Le document lisible, à ouvrir dans votre navigateur');
    expect(sent[2].text).toContain('au format JSON');
    const content = (i: number) => Buffer.from(String(sent[i].attachments![0].contentUrl).split(',')[1], 'base64').toString('utf8');
    expect(sent[1].attachments![0].contentType).toBe('text/html');
    const html = asRead(content(1));

    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    for (const heading of ['Votre structure et vos réponses', 'Votre accord et la durée de conservation', 'Réponse sur l’éligibilité et ses raisons',
      'Vos demandes transmises aux chargé·es d’accompagnement', 'Ce que les chargé·es d’accompagnement ont noté', 'Vos conversations avec l’assistant']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('Structure : Recyclerie du Quai');
    expect(html).toContain(email('Recyclerie du Quai'));
    expect(html).toContain('Votre structure n’a pas encore de salarié·e mais prépare une première embauche.'); // a reason, in words
    expect(html).toContain('Décision de Léa Bernard après votre échange : Éligible');
    expect(html).toContain('Embauche prévue en mars');
    expect(html).toMatch(/Demande transmise le .* : Éligibilité à confirmer — Prise en charge/);
    expect(html).toMatch(/<td>\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}<\/td><td>Vous<\/td><td class="text">Créer un premier emploi<\/td>/);
    // What the structure typed is text, never markup.
    expect(html).toContain('&lt;script&gt;alert(&quot;dla&quot;)&lt;/script&gt; bonjour');
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
    for (const internal of ['DOMAIN.md', 'first_hire', 'existence_to_check', 'rulesVersion', '2026-11-27.2', 'dla33.example', 'directline', p.userId]) {
      expect([internal, html.includes(internal)]).toEqual([internal, false]);
    }

    const json = JSON.parse(content(2));
    expect(json.dossier.decision.reasons).toEqual(expect.arrayContaining([{ code: 'first_hire', outcome: 'to_confirm', source: 'DOMAIN.md § Eligibility 3' }]));
    expect(json.dossier.decision.rulesVersion).toEqual(expect.any(String));
    expect(json.dossier.chargeDecisions).toEqual([expect.objectContaining({ by: 'Léa Bernard', note: 'Embauche prévue en mars' })]);
    expect(json.conversations.flatMap((c: { messages: { text?: string }[] }) => c.messages.map((m) => m.text))).toContain('<script>alert("dla")</script> bonjour');
    expect(json.readable.map(asRead)).toContain('Votre structure n’a pas encore de salarié·e mais prépare une première embauche. Certains DLA accompagnent cette étape : un·e chargé·e d’accompagnement vous le confirmera.');
    expect(JSON.stringify(json)).not.toContain('dla33.example');
    expect(json.handoffs[0]).toMatchObject({ reopenedByName: 'Léa Bernard', reopenedFrom: 'claimed' });

    // The transcript names the files sent, without keeping one more copy of them.
    const logged = await fx.db.connection.db!.collection('transcript_activities').find({ conversationId: p.channel.conversationId }).toArray();
    const files = logged.flatMap((d) => (JSON.parse(String(d.activity)).attachments ?? []) as { name?: string; contentUrl?: string }[]).filter((x) => x.name?.startsWith('mes-donnees'));
    expect(files).toEqual([{ contentType: 'text/html', name: 'mes-donnees-dla.html' }, { contentType: 'application/json', name: 'mes-donnees-dla.json' }]);
    expect(logged.some((d) => String(d.activity).includes('base64'))).toBe(false);
  });

  it('« mes données » exports everything stored, then erases it all', async () => {
    const p = await toConfirm('Collectif Zéro Déchet');
    const dossier = (await dossierOf(p))!;
    expect(await p.say('mes données')).toContain('Que souhaitez-vous faire de vos données ?');
    const exported = await p.say('Recevoir mes données');
    expect(exported).toContain('Voici tout ce que nous conservons');
    expect(exported).toContain('votre dossier (phase « Accueil »)');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    expect(file?.name).toBe('mes-donnees-dla.json');
    const json = Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8');
    expect(json).toContain('Collectif Zéro Déchet');
    expect(json).toContain(email('Collectif Zéro Déchet'));
    // First, in words and in French, what the file holds.
    const readable = (JSON.parse(json) as { readable: string[] }).readable.map(asRead);
    expect(readable[0]).toMatch(/^Export du \d{2}\/\d{2}\/\d{4} : tout ce que l’assistant conserve/);
    expect(readable).toEqual(expect.arrayContaining([
      'Structure : Collectif Zéro Déchet', `Contact : Sam, ${email('Collectif Zéro Déchet')}`,
      expect.stringMatching(/^Réponse sur l’éligibilité : À confirmer/), expect.stringMatching(/^Demande transmise le .* : Éligibilité à confirmer — Ouverte$/),
    ]));

    // Erased from another conversation: the first one's transcript goes too.
    const later = persona(p.userId);
    await later.join();
    await later.say('mes données');
    expect(await later.say('Effacer mes données')).toContain('irréversible');
    expect(await later.say('Oui, tout effacer')).toContain('ont été effacés');
    const refs = fx.db.connection.db!.collection<{ _id: string }>('conversation_refs');
    expect(await refs.countDocuments({ _id: `directline:${p.userId}` })).toBe(0);

    const db = fx.db.connection.db!;
    expect(await new DossierRepository(fx.db.connection).get(dossier._id)).toBeUndefined();
    expect(await db.collection('dossier_keys').countDocuments({ dossierId: dossier._id })).toBe(0);
    expect(await db.collection('handoffs').countDocuments({ dossierId: dossier._id })).toBe(0);
    for (const name of (await db.listCollections().toArray()).map((c) => c.name)) {
      const docs = await db.collection(name).find({}).toArray();
      const leftovers = docs.filter((d) => JSON.stringify(d).includes('Collectif Zéro Déchet') || JSON.stringify(d).includes(email('Collectif Zéro Déchet')));
      expect([name, leftovers.length]).toEqual([name, 0]);
    }
    // Writing again afterwards: where to reach the user is stored again (the erasure went through ConversationReferences.forget).
    await later.say('bonjour');
    expect(await refs.countDocuments({ _id: `directline:${p.userId}` })).toBe(1);
  });

  it('« mes données » also finds and erases conversations where the person only browsed (no dossier)', async () => {
    const browsing = persona();
    await browsing.join();
    await browsing.say('Découvrir le DLA');
    await browsing.say('Je suis Jeanne Grenadine, 06 12 34 56 78');
    const db = fx.db.connection.db!;
    expect(await db.collection('botstate').countDocuments({ _id: `directline/conversations/${browsing.channel.conversationId}/` as never })).toBe(1);
    const mentions = async () => (await db.collection('transcript_activities').find({}).toArray())
      .filter((d) => JSON.stringify(d).includes('Jeanne Grenadine')).length;
    expect(await mentions()).toBeGreaterThan(0);

    // Days later, in a new conversation of the same person.
    const later = persona(browsing.userId);
    await later.join();
    await later.say('mes données');
    expect(await later.say('Recevoir mes données')).toContain('aucun dossier ; demandes transmises : 0');
    const file = later.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const exported = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { conversations: { conversationId: string; messages: { text?: string }[] }[] };
    const first = exported.conversations.find((c) => c.conversationId === browsing.channel.conversationId);
    expect(first?.messages.map((m) => m.text)).toContain('Je suis Jeanne Grenadine, 06 12 34 56 78');

    await later.say('mes données');
    await later.say('Effacer mes données');
    expect(await later.say('Oui, tout effacer')).toContain('ont été effacés');
    expect(await mentions()).toBe(0);
    expect(await db.collection('transcript_activities').countDocuments({ conversationId: browsing.channel.conversationId })).toBe(0);
    expect(await db.collection('botstate').countDocuments({ _id: `directline/conversations/${browsing.channel.conversationId}/` as never })).toBe(0);
    expect(await db.collection('botstate').countDocuments({ _id: `directline/users/${browsing.userId}/` as never })).toBe(0);
  });

  it('commands in the middle of the accueil answer, then ask the same question again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    expect(await p.say('Atelier Vélo Solidaire')).toContain('SIRET');
    const status = await p.say('où en est ma demande ?');
    expect(status).toContain('pas encore complète');
    expect(status).not.toContain('reprendre'); // already in the questions: the next one follows
    expect(status).toContain('SIRET'); // the question again, not the menu
    await p.say('mes données');
    const exported = await p.say('Recevoir mes données');
    expect(exported).toContain('Voici tout ce que nous conservons');
    expect(exported).toContain('SIRET');
    // No way to reach the structure yet: its contact first, then the request goes, then the same question.
    const human = await p.say('parler à un humain');
    expect(human).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(human).not.toContain('vous recontacte sous');
    expect(await p.say('Paul Martin')).toContain('Merci, Paul Martin. Et votre e-mail ou votre téléphone'); // a name alone is no contact
    const passed = await p.say('Paul Martin, 06 12 34 56 78');
    expect(passed).toContain('Merci. Pour vous joindre : Paul Martin, 06 12 34 56 78.'); // read back
    expect(passed).toContain('je transmets votre demande');
    expect(passed).toContain('vous recontacte sous');
    expect(passed).toContain('SIRET');
    expect(passed).not.toContain('Que souhaitez-vous faire ?');
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toMatchObject({ name: 'Paul Martin', phone: expect.stringMatching(/^(0|\+33)6 ?12 ?34 ?56 ?78$/) });
    const [handoff] = await handoffsOf(dossier._id);
    expect(handoff).toMatchObject({ reason: 'user_request', contact: { name: 'Paul Martin' } });
    expect(await p.say('732 829 320 00074')).toContain('forme juridique');
  });

  it.each([
    ['je veux effacer mes donnees', 'irréversible'], // straight to the erasure's confirmation
    ['supprimer mes donnees svp', 'irréversible'],
    ['exporter mes données', 'Voici tout ce que nous conservons'],
    ['bonjour, je reviens, ou en est ma demande ?', 'Je n’ai pas de demande en cours'],
    ['pause, je dois y aller', 'Rien n’est enregistré pour l’instant'],
    ['hello, do you speak english?', 'What would you like to do?'],
  ])('at the menu, « %s » is a command, never a misunderstanding', async (text, expected) => {
    const p = persona();
    await p.join();
    expect(asRead(await p.say(text))).toContain(expected);
  });

  it('« où en est ma demande ? » after an eligible outcome says the diagnostic comes first, as the outcome said', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lac', '443 061 841 00005', 'association',
      'trois salariés', '33000', 'Consolider nos emplois', 'C’est correct']) await p.say(text);
    const next = await p.say(`Sam, ${email('Les Jardins du Lac')}`);
    expect(next).toContain('Dès que vous en aurez confirmé le résumé');
    expect(next).not.toContain('vous recontacte sous');
    await p.say('pause');
    const status = await p.say('où en est ma demande ?');
    expect(status).toContain('Il reste à préparer le diagnostic');
    expect(status).toContain('sous 3 jours ouvrés');
  });

  it('« reprendre » with nothing to resume shows the menu, and the next message is answered', async () => {
    const p = persona();
    await p.join();
    const nothing = await p.say('reprendre');
    expect(nothing).toContain('rien à reprendre');
    expect(nothing).toContain('Que souhaitez-vous faire ?');
    expect(await p.say('Découvrir le DLA')).toContain('Étape 1 · Accueil');
  });

  it('erasing « mes données » in the middle of the accueil ends it; the next message starts afresh', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Brasserie Coopérative']) await p.say(text);
    expect(await eraseEverything(p)).toContain('ont été effacés');
    expect(await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId))).toBeFalsy();
    const after = await p.say('bonjour');
    expect(after).toMatch(/^Bonjour !\nQue souhaitez-vous faire \?$/); // the menu, not the question left
    expect(after).not.toContain('SIRET');
  });

  it('a chargé·e or the status asked for with « bjr », « svp », « pouvez-vous me rappeler », « elle en est où »: answered, never « je n’ai pas compris » nor passed on as not understood', async () => {
    const p = persona();
    await p.join();
    for (const text of ['bjr, ou en est ma demande svp', 'et ma demande elle en est ou']) {
      const said = await p.say(text);
      expect([text, said]).toEqual([text, expect.stringContaining('Je n’ai pas de demande en cours à votre nom')]);
    }
    for (const text of ['bjr je veux parler a un conseiller svp', 'slt je voudrais parler a un conseiller', 'pouvez vous me rappeler', 'vous pouvez me rappeler ?',
      'je veux parler a quelqu\'un svp c\'est urgent', 'rappelez moi vite']) {
      const q = persona();
      await q.join();
      await q.say('xkcd'); // two misread answers before: a third would have handed over
      await q.say('qwerty');
      const said = await q.say(text);
      expect([text, said]).toEqual([text, expect.stringContaining('Acceptez-vous que ces informations soient conservées ?')]);
      expect(said).not.toContain('n’ai pas compris');
      expect(said).not.toContain('n’arrive pas à vous comprendre');
    }
  });

  it('answers simple questions on the DLA at the menu and inside « Découvrir le DLA », then the menu or the tour goes on', async () => {
    const p = persona();
    await p.join();
    const free = await p.say('c’est payant ?');
    expect(free).toContain('L’accompagnement du DLA est gratuit pour votre structure');
    expect(free).toContain('Que souhaitez-vous faire ?');
    expect(free).not.toContain('Je n’ai pas compris');
    const howLong = await p.say('combien de temps ca dure');
    expect(howLong).toContain('dure de 2 mois à 2 ans');
    expect(howLong).not.toContain('Je n’ai pas compris');
    // Naming the DLA (a word of « Découvrir le DLA ») to ask: answered, not the tour.
    const dlaFree = await p.say('c’est payant le DLA ?');
    expect(dlaFree).toMatch(/est gratuit pour votre structure[^]*Que souhaitez-vous faire \?$/);
    expect(dlaFree).not.toContain('Étape 1 · Accueil');
    expect(await p.say('c’est quoi le DLA')).toContain('Étape 1 · Accueil'); // no simple question: the tour
    expect(await p.say('menu')).toContain('Que souhaitez-vous faire ?');
    expect(await p.say('Découvrir le DLA')).toContain('Étape 1 · Accueil');
    for (const [question, answer] of [
      ['qui peut etre accompagné', 'Le DLA s’adresse aux structures d’utilité sociale'],
      ['c\'est payant ?', 'est gratuit pour votre structure'],
      ['comment on commence ?', 'choisissez « Vérifier si ma structure peut être accompagnée »'],
      ['qui sont les chargé·es ?', 'Les chargé·es d’accompagnement (ou chargé·es de mission DLA) sont les professionnel·les du DLA de la Gironde'],
      // What becomes of their data: how long it is kept and who sees it — not how long a DLA lasts.
      ['vous gardez mes données combien de temps ?', 'Ce que vous me confiez est conservé 36 mois au plus'],
      ['qui voit mes réponses ?', 'Seule l’équipe du DLA de la Gironde le voit'],
    ]) {
      const said = await p.say(question);
      expect(said).toContain(answer);
      expect(said).toMatch(/Voulez-vous voir l’étape suivante \?$/); // the tour goes on
      expect(said).not.toContain('Répondez « suite »');
    }
    expect(await p.say('suite')).toContain('Étape 2 · Diagnostic partagé');
    // As the very first message (no welcome yet): answered, then the menu.
    const first = await persona().say('c’est gratuit ?');
    expect(first).toMatch(/est gratuit pour votre structure[^]*Que souhaitez-vous faire \?$/);
    // How to reach the DLA, or the DLA of another département.
    const reach = await p.say('vous pouvez pas transmettre au DLA 17 directement ?');
    expect(reach).toMatch(/Vous pouvez joindre directement le DLA de la Gironde : dla@gironde\.example\.[^]*https:\/\/www\.info-dla\.fr[^]*Voulez-vous voir l’étape suivante \?$/);
    const firstAboutTheDla = await persona().say('combien de temps dure un DLA ?');
    expect(firstAboutTheDla).toMatch(/dure de 2 mois à 2 ans[^]*Que souhaitez-vous faire \?$/);
    expect(firstAboutTheDla).not.toContain('Étape 1 · Accueil');
  });

  it('a consultant asking how to become a DLA provider is told who chooses them and whom to write to, not the tour', async () => {
    const p = persona();
    await p.join();
    const said = await p.say('je suis consultante indépendante, comment devenir prestataire du DLA ?');
    expect(said).toContain('sont choisi·es par le DLA pour chaque parcours');
    expect(said).toContain('adressez-vous directement au DLA de la Gironde : dla@gironde.example');
    expect(said).toMatch(/Que souhaitez-vous faire \?$/);
    expect(said).not.toContain('Étape 1 · Accueil');
  });

  it('a structure that introduces itself or says its need during « Découvrir le DLA » starts its check with it, not « suite ou menu ? »', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('Découvrir le DLA')).toContain('Étape 1 · Accueil');
    expect(await p.say('suite')).toContain('Étape 2 · Diagnostic partagé');
    const introduced = await p.say('on est une petite asso de théatre a Périgueux, 2 salariés');
    expect(introduced).not.toContain('Répondez « suite »');
    expect(introduced).toMatch(/Je note :\n- Forme juridique : association\n- Salarié·es : 2 ETP[^]*Avant de commencer/);
    // A need said in the tour: kept as the request, the check asked for.
    const needing = persona();
    await needing.join();
    await needing.say('Découvrir le DLA');
    const need = await needing.say('on a besoin d’aide pour recruter notre premier salarié');
    expect(need).not.toContain('Répondez « suite »');
    expect(need).toContain('Avant de commencer');
    // The tour's own answers and nonsense still go as before.
    expect(await needing.say('menu')).not.toContain('Étape');
    const touring = persona();
    await touring.join();
    await touring.say('Découvrir le DLA');
    expect(await touring.say('blabla')).toContain('Répondez « suite »');
    expect(await touring.say('oui')).toContain('Étape 2 · Diagnostic partagé');
  });

  it('(en-US) the tour of the five steps reads as English: « support plan » as everywhere else, « That’s all five steps! »', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    expect(await p.say('Discover the DLA')).toContain('Step 1 · Welcome (accueil)');
    expect(await p.say('Next')).toContain('an advisor (chargé·e d’accompagnement) reviews your organisation with your leaders: its internal organisation, people, strategy, economic model and finances.');
    expect(await p.say('Next')).toContain('Step 3 · Building the support plan (parcours) — you rank the areas of change together; the advisor builds a support plan:');
    await p.say('Next');
    expect(await p.say('Next')).toContain('That’s all five steps!');
  });

  it('answers a simple question on the DLA at the accueil’s questions, then asks the question again, never counted as misunderstood', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('faut payer qqch ?')).toContain('L’accompagnement du DLA est gratuit pour votre structure'); // at the menu too
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier']) await p.say(text);
    // Three in a row at the SIRET question: each answered, the question asked again, no handover.
    for (const [question, answer] of [['c’est payant ?', 'est gratuit pour votre structure'], ['ça coûte combien', 'est gratuit pour votre structure'], ['combien de temps ça dure ?', 'dure de 2 mois à 2 ans']]) {
      const said = asRead(await p.say(question));
      expect([question, said]).toEqual([question, expect.stringContaining(answer)]);
      expect(said).toMatch(/Quel est le numéro SIRET[^]*$/);
      expect(said).not.toContain('Je n’ai trouvé ni SIRET');
      expect(said).not.toContain('n’arrive pas à vous comprendre');
    }
    expect(await p.say('xkcd')).toContain('Je n’ai trouvé ni SIRET'); // the count starts from there: one
    expect(await p.say('qwerty')).not.toContain('n’arrive pas à vous comprendre');
    for (const text of ['732 829 320 00074', 'association', '2 salariés']) await p.say(text);
    expect(await p.say('33000')).toContain('qu’est-ce qui vous amène');
    // Where the request is said in the structure's own words: only a question naming the DLA.
    const aboutTheDla = asRead(await p.say('c’est payant le DLA ?'));
    expect(aboutTheDla).toContain('est gratuit pour votre structure');
    expect(aboutTheDla).toMatch(/qu’est-ce qui vous amène[^]*$/);
    const request = asRead(await p.say('formation payante ?'));
    expect(request).not.toContain('est gratuit pour votre structure');
    expect(request).toContain('Votre demande : formation payante ?');
  });

  it('« aide » after two answers not understood starts the count again: the next one is asked again, not handed over', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    for (const text of ['???', '🙂']) expect(await p.say(text)).toContain('Je n’ai pas bien lu ce nom');
    expect(await p.say('aide')).toMatch(/Commandes utilisables à tout moment[^]*Quel est le nom de votre structure \?$/);
    const ok = await p.say('ok');
    expect(ok).toContain('Je n’ai pas bien lu ce nom');
    expect(ok).not.toContain('passer la main');
    expect(await p.say('Les Amis du Quartier')).toContain('SIRET');
  });

  it('« sorry can we speak english? », "I don’t speak French, sorry" at a question switch to English and ask it again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', 'je ne sais pas']) await p.say(text);
    const switched = await p.say('sorry can we speak english?');
    expect(switched).toContain('What is its legal form?');
    expect(switched).not.toContain('Je n’ai pas reconnu cette forme juridique');
    expect(await p.say('français')).toContain('Quelle est sa forme juridique ?');
    expect(await p.say('I don’t speak French, sorry')).toContain('What is its legal form?');
  });

  it('someone writing in English to the French conversation is told once how to switch; what they wrote is still read', async () => {
    const p = persona();
    await p.join();
    const OFFER = 'Vous écrivez en anglais ? Écrivez « English » pour continuer en anglais. — Writing in English? Type “English” to continue in English.';
    const first = await p.say('I’d like to check if we can get support');
    expect(first.startsWith(OFFER)).toBe(true);
    expect(first).toContain('Acceptez-vous que ces informations soient conservées ?'); // the accueil goes on
    expect(await p.say('I agree')).toContain('Quel est le nom de votre structure ?');
    const again = await p.say('we are called Green Gardens and we need help');
    expect(again).not.toContain('Writing in English?'); // once
    expect(await p.say('English')).toContain('SIRET');
    // French chosen by hand: never offered.
    const q = persona();
    await q.join();
    await q.say('français');
    expect(await q.say('what is the DLA about?')).not.toContain('Writing in English?');
  });

  it('« bonjour » alone is greeted back, then the menu or the question again: never « je n’ai pas compris », never kept as an answer', async () => {
    const p = persona();
    await p.join();
    const atMenu = await p.say('bonjour');
    expect(atMenu).toMatch(/^Bonjour !\nQue souhaitez-vous faire \?$/);
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    expect(await p.say('Bonjour madame')).toMatch(/^Bonjour !\nQuel est le nom de votre structure \?$/);
    expect(await p.say('Les Amis du Quartier')).toContain('SIRET');
    for (const text of ['732 829 320 00074', 'association', '2 salariés', '33000']) await p.say(text);
    expect(asRead(await p.say('Consolider nos emplois'))).toContain('Structure : Les Amis du Quartier');
  });

  it('an emoji that thanks is thanked back at the menu; one that frowns is not: « je n’ai pas compris »', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('👍')).toContain('Merci à vous, et à bientôt');
    for (const text of ['😡😡', '🤔']) {
      const said = await p.say(text);
      expect(said).toContain('Je n’ai pas compris');
      expect(said).not.toContain('Merci à vous');
    }
  });

  it('the menu understands natural French, accents and all', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('Bonjour, je voudrais savoir si on peut être accompagnés')).toContain('Avant de commencer');
    // Typed fast, on a phone.
    for (const text of ['bjr je vx savoir si mon asso peu etre acompagnee svp', 'on peut etre acompagné ?? 🙏', 'on voudrait se faire accompagner']) {
      const q = persona();
      await q.join();
      expect([text, await q.say(text)]).toEqual([text, expect.stringContaining('Avant de commencer')]);
    }
  });

  it('after an erasure from the menu, the first choice in the menu is taken', async () => {
    for (const [choice, expected] of [['Découvrir le DLA', 'Étape 1 · Accueil'], ['Vérifier si ma structure peut être accompagnée', 'Avant de commencer']]) {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Ferme du Bocage', 'recommencer']) await p.say(text);
      const erased = await eraseEverything(p);
      expect(erased).toContain('Que souhaitez-vous faire ?');
      expect([choice, await p.say(choice)]).toEqual([choice, expect.stringContaining(expected)]);
    }
  });

  it('« où en est ma demande ? » right after an erasure is answered, not swallowed', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Ferme Collective']) await p.say(text);
    await eraseEverything(p);
    const status = await p.say('où en est ma demande ?');
    expect(status).toContain('Je n’ai pas de demande en cours');
    expect(status).toContain('Que souhaitez-vous faire ?');
  });
  /** A structure called back and decided on: its request closed, the chargé·e's decision recorded. */
  async function decided(name: string): Promise<{ p: Persona; dossierId: string }> {
    const p = await toConfirm(name);
    const dossier = (await dossierOf(p))!;
    const id = String((await handoffsOf(dossier._id))[0]._id);
    await fx.app.app.outbox.claim(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    await fx.app.app.outbox.close(id, 'sophie.bernard@dla33.example', 'Sophie Bernard');
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: {
      chargeDecision: { outcome: 'eligible', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date('2026-11-20T09:00:00Z') },
    } });
    return { p, dossierId: dossier._id };
  }

  it('a new need said right after the status answer is said back with its themes, confirmed, and passed on as new needs with the structure’s words', async () => {
    const { p, dossierId } = await decided('Atelier Vélo Solidaire');
    expect(asRead(await p.say('où en est ma demande ?'))).toContain('Si vous avez un nouveau besoin, dites-le-moi');
    const need = 'on a un nouveau besoin : refaire notre communication et site web';
    const understood = asRead(await p.say(need));
    expect(understood).not.toContain('Je n’ai pas compris');
    expect(understood).toContain('J’ai compris un nouveau besoin : « on a un nouveau besoin : refaire notre communication et site web »');
    expect(understood).toContain('Communication — car vous avez écrit « communication »');
    expect(understood).toContain('Numérique');
    expect(understood).toContain('Je le transmets à un·e chargé·e d’accompagnement du DLA de la Gironde ?');
    expect((await handoffsOf(dossierId)).map((h) => h.reason)).toEqual(['eligibility_to_confirm']); // nothing passed on before « oui »
    const passed = asRead(await p.say('oui'));
    expect(passed).toContain('J’ai transmis votre nouveau besoin à un·e chargé·e d’accompagnement.');
    expect(passed).toContain('vous recontacte sous 3 jours ouvrés');
    expect(passed).toContain('Que souhaitez-vous faire ?');
    const handoffs = await handoffsOf(dossierId);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm', 'followup_new_needs']);
    expect(handoffs[1]).toMatchObject({ message: need, status: 'open', contact: { email: email('Atelier Vélo Solidaire') } });
  });

  it('a new request of a structure a chargé·e decided on carries that decision, in force over the rules’, to the chargé·es’ e-mail and card', async () => {
    const { p, dossierId } = await decided('Garage Associatif des Chartrons');
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossierId as never }, { $set: {
      chargeDecision: { outcome: 'out_of_scope', note: 'Activité commerciale, sans agrément ESUS', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date('2026-11-20T09:00:00Z') },
    } });
    await p.say('on a un nouveau besoin : refaire notre communication et site web');
    await p.say('oui');
    const handoffs = await handoffsOf(dossierId);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm', 'followup_new_needs']);
    expect(handoffs[1].chargeDecision).toEqual({ outcome: 'out_of_scope', by: 'Sophie Bernard', at: new Date('2026-11-20T09:00:00Z'), note: 'Activité commerciale, sans agrément ESUS' });
    const ctx = { publicUrl: 'https://dla.example' };
    const text = renderText(handoffs[1] as never, fr, ctx);
    // Told at the menu, not at a check-in: the reason does not send the chargé·e looking for one.
    expect(asRead(text)).toContain('Motif : nouveaux besoins, au point de suivi ou par message');
    expect(text).toContain('Éligibilité : à confirmer (règles');
    expect(text).toContain('Décision après l’appel : hors du champ du DLA — Sophie Bernard, le 20/11/2026\nNote de l’appel : Activité commerciale, sans agrément ESUS');
    expect(text).not.toContain('dla33.example');
    expect(JSON.stringify(teamsCard(handoffs[1] as never, fr, ctx))).toContain('hors du champ du DLA — Sophie Bernard, le 20/11/2026');
  });

  it('a new need at the welcome menu of a new conversation, the dossier without a contact: the contact is asked first (the handoff contact path), then it is passed on', async () => {
    const { p: first, dossierId } = await decided('Ressourcerie du Lac');
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossierId as never }, { $unset: { 'answers.contact': '' } });
    const p = persona(first.userId);
    expect(await p.join()).toContain('Bon retour');
    const understood = asRead(await p.say('on aurait besoin d’aide sur la trésorerie maintenant'));
    expect(understood).toContain('Restructuration économique et financière — car vous avez écrit « trésorerie »');
    expect(asRead(await p.say('Oui, le transmettre'))).toContain('Pour transmettre vos nouveaux besoins à un·e chargé·e d’accompagnement, il me faut un moyen de vous recontacter');
    const passed = asRead(await p.say('Camille Roux, camille@ressourcerie.example'));
    expect(passed).toContain('J’ai transmis votre nouveau besoin');
    expect(passed).toContain('vous recontacte sous 3 jours ouvrés');
    const handoffs = await handoffsOf(dossierId);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm', 'followup_new_needs']);
    expect(handoffs[1]).toMatchObject({ message: 'on aurait besoin d’aide sur la trésorerie maintenant', contact: { email: 'camille@ressourcerie.example' } });
  });

  it('« Bon retour ! » offers what may come next, not the status it has just told: a new need (asked, said back, passed on), a chargé·e, « mes données »', async () => {
    const { p: first, dossierId } = await decided('Jardin des Possibles');
    const p = persona(first.userId);
    const welcome = asRead(await p.join());
    expect(welcome).toContain('Bon retour');
    expect(welcome).toContain('Votre demande a été traitée le');
    const offered = p.last(1)[0].suggestedActions?.actions.map((a) => asRead(String(a.title)));
    expect(offered).not.toContain('Où en est ma demande ?');
    expect(offered?.slice(0, 3)).toEqual(['J’ai un nouveau besoin', 'Parler à un·e chargé·e', 'Mes données']);
    expect(asRead(await p.say('J’ai un nouveau besoin'))).toContain('Quel est ce nouveau besoin ?');
    const understood = asRead(await p.say('refaire notre site web'));
    expect(understood).toContain('J’ai compris un nouveau besoin : « refaire notre site web »');
    expect(asRead(await p.say('oui'))).toContain('J’ai transmis votre nouveau besoin');
    const handoffs = await handoffsOf(dossierId);
    expect(handoffs.map((h) => h.reason)).toEqual(['eligibility_to_confirm', 'followup_new_needs']);
    expect(handoffs[1]).toMatchObject({ message: 'refaire notre site web' });

    // The other two, chosen by their number as well as by their title.
    const again = persona(first.userId);
    await again.join();
    expect(asRead(await again.say('3'))).toContain('Que souhaitez-vous faire de vos données ?');
    const later = persona(first.userId);
    await later.join();
    expect(asRead(await later.say('2'))).not.toContain('Je n’ai pas compris');
    expect((await handoffsOf(dossierId)).map((h) => h.reason)).toContain('user_request');
  });

  it('« c’est payant ? » at a request’s subject or at the new need question is answered, then the question asked again; a real subject with a word of it is the subject', async () => {
    const p = persona();
    await p.say('parler à un chargé');
    await p.say('J’accepte');
    const answered = asRead(await p.say('c’est payant ?'));
    expect(answered).toContain('L’accompagnement du DLA est gratuit pour votre structure');
    expect(answered).toContain('en quelques mots, c’est à quel sujet ?');
    expect(answered).not.toContain('Je n’ai pas compris');
    expect(asRead(await p.say('on n’arrive plus à payer les salaires'))).toContain('votre nom, et votre e-mail ou votre téléphone');
    await p.say('Léa Martin, lea@atelier.example');
    expect((await handoffsOf((await dossierOf(p))!._id)).map((h) => h.message)).toEqual(['on n’arrive plus à payer les salaires']);

    const { p: known, dossierId } = await decided('Tiers-Lieu des Chartrons');
    const welcome = persona(known.userId);
    await welcome.join();
    expect(asRead(await welcome.say('J’ai un nouveau besoin'))).toContain('Quel est ce nouveau besoin ?');
    const again = asRead(await welcome.say('ça dure combien de temps ?'));
    expect(again).toContain('Un accompagnement DLA dure de 2 mois à 2 ans');
    expect(again).toContain('Quel est ce nouveau besoin ?');
    expect(asRead(await welcome.say('le coût de nos formations ?'))).toContain('J’ai compris un nouveau besoin : « le coût de nos formations ? »');
    await welcome.say('oui');
    expect((await handoffsOf(dossierId)).map((h) => h.message)).toContain('le coût de nos formations ?');
  });

  it('a new need swallows no command nor menu choice; « non » passes nothing on; a first-time visitor’s need still goes through the eligibility questions', async () => {
    const { p, dossierId } = await decided('Café Associatif des Capucins');
    expect(asRead(await p.say('aide'))).not.toContain('nouveau besoin :');
    expect(asRead(await p.say('où en est ma demande'))).toContain('Votre demande a été traitée le');
    expect(asRead(await p.say('Découvrir le DLA'))).not.toContain('J’ai compris un nouveau besoin');
    await p.say('recommencer');
    expect(asRead(await p.say('nouveau besoin : recruter un·e coordinateur·rice'))).toContain('Emploi et ressources humaines');
    expect(asRead(await p.say('recommencer'))).toContain('Que souhaitez-vous faire ?'); // a command at the confirmation too
    expect(asRead(await p.say('mes données'))).not.toContain('J’ai compris un nouveau besoin');
    await p.say('recommencer');
    await p.say('nouveau besoin : recruter un·e coordinateur·rice');
    expect(asRead(await p.say('non'))).toContain('je ne transmets rien');
    expect((await handoffsOf(dossierId)).map((h) => h.reason)).toEqual(['eligibility_to_confirm']);

    const newcomer = persona();
    await newcomer.join();
    const asked = asRead(await newcomer.say('on aurait besoin d’aide sur la trésorerie'));
    expect(asked).not.toContain('J’ai compris un nouveau besoin');
    expect(asked).toContain('Acceptez-vous');
  });
});

/** « parler à un·e chargé·e » as a first message, consent, a subject, then « Anne Roy 06 11 22 33 44 »: passed on and delivered. */
async function passedOnBy(p: Persona, fx: AssistantFixture): Promise<Persona> {
  await p.join();
  for (const text of ['parler à un·e chargé·e', 'J’accepte', 'Trésorerie tendue']) await p.say(text);
  expect(await p.say('Anne Roy 06 11 22 33 44')).toContain('je transmets votre demande');
  await fx.app.app.outbox.drain();
  return p;
}

/** A describe block's assistant (its own database `name`), its handoffs POSTed to a signed webhook receiver started before it. */
function assistantWithWebhook(name: string) {
  const env: Record<string, string> = {
    OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33', OPERATOR_CONTACT: 'dla@gironde.example', CONTACT_DELAY_WORKING_DAYS: '3',
  };
  const hook = useWebhookSink('dialog-webhook-secret', env);
  const fx = useAssistant(name, env);
  /** The back-office API as a chargé·e of the Gironde reads it. */
  const backOffice = async (path: string): Promise<unknown> => {
    const auth = new AdminAuth(fx.db.connection, { tokenTtlHours: 1 });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle', role: 'charge', departements: ['33'] });
    const { token } = await auth.createUserToken('gironde@dla.test');
    return (await fetch(`${fx.app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  };
  return { hook, fx, backOffice };
}

describe('a contact left after the request was passed on without one: the chargé·es are told', () => {
  const { hook, fx, backOffice } = assistantWithWebhook('handoff_contact_update');
  const events = () => hook.accepted.map((r) => JSON.parse(r.body) as { event: string; callBackBy?: string; handoff: { contact?: { phone?: string } } });

  it('« parler à un·e chargé·e » then a phone: the request already delivered is followed by a handoff.contactAdded, shown in the back-office', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier des Sons', 'je voudrais parler à un conseiller svp',
      'appelez le standard', 'demandez à la mairie']) await p.say(text);
    expect(await p.say('passez par la fédération')).toContain('personne ne pourra vous rappeler');
    await fx.app.app.outbox.drain();
    expect(events().map((e) => [e.event, e.handoff.contact?.phone])).toEqual([['handoff.created', undefined]]);

    await p.say('parler à un·e chargé·e');
    expect(await p.say('Léa Martin, 06 12 34 56 78')).toContain('vous recontacte sous 3 jours ouvrés');
    expect((await fx.app.app.outbox.drain()).sent).toBe(1);
    expect(await fx.app.app.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    const [, added] = events();
    expect(events()).toHaveLength(2);
    expect(added).toMatchObject({ event: 'handoff.contactAdded', callBackBy: addWorkingDays(new Date(), 3), handoff: { contact: { name: 'Léa Martin', phone: '06 12 34 56 78' } } });

    // The back-office lists both deliveries of the request, each with its state.
    const dossierId = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId)))!._id;
    const dossier = await backOffice(`/admin/api/dossiers/${encodeURIComponent(dossierId)}`) as { handoffs: { deliveries: { notifier: string; event: string; status: string }[] }[] };
    expect(dossier.handoffs[0].deliveries.map(({ notifier, event, status }) => [notifier, event, status])).toEqual([
      ['webhook', 'created', 'sent'], ['webhook', 'contactAdded', 'sent'],
    ]);
  });
});

describe('contact details corrected at the menu: the dossier, the request and the chargé·es follow', () => {
  const { hook, fx, backOffice } = assistantWithWebhook('handoff_contact_change');
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = async (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
  type Event = { event: string; callBackBy?: string; handoff: { _id: string; contact?: { name?: string; email?: string; phone?: string } } };
  const events = () => hook.accepted.map((r) => JSON.parse(r.body) as Event);

  const passedOn = () => passedOnBy(persona(), fx);

  it('« oups je me suis trompée de numero c’est … » at the menu: read back, on the dossier and the request, the chargé·es told (handoff.contactUpdated), the back-office and « mes données » show it', async () => {
    const p = await passedOn();
    const answer = asRead(await p.say('oups je me suis trompée de numero c’est 06 11 22 33 55'));
    expect(answer).not.toContain('Je n’ai pas compris');
    expect(answer).toContain('C’est corrigé : vos coordonnées sont maintenant Anne Roy, 06 11 22 33 55.');
    expect(answer).toContain('Votre demande porte maintenant ces coordonnées : c’est à elles que l’équipe du DLA vous recontactera.');
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 55' });
    expect(dossier.contactChangedAt).toBeInstanceOf(Date);
    const [handoff] = await handoffsOf(dossier._id);
    expect(handoff.contact).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 55' });
    expect(handoff.contactUpdatedAt).toBeInstanceOf(Date);

    expect((await fx.app.app.outbox.drain()).sent).toBe(1);
    expect(events().map((e) => [e.event, e.handoff.contact?.phone])).toEqual([['handoff.created', '06 11 22 33 44'], ['handoff.contactUpdated', '06 11 22 33 55']]);
    expect(events()[1]).not.toHaveProperty('callBackBy');

    const view = await backOffice(`/admin/api/dossiers/${encodeURIComponent(dossier._id)}`) as {
      contactChangedAt: string | null; answers: { contact: unknown };
      handoffs: { contact: { phone?: string }; contactUpdatedAt: string | null; deliveries: { event: string; status: string }[] }[];
    };
    expect(view.answers.contact).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 55' });
    expect(view.contactChangedAt).not.toBeNull();
    expect(view.handoffs[0]).toMatchObject({ contact: { phone: '06 11 22 33 55' }, contactUpdatedAt: expect.any(String) });
    expect(view.handoffs[0].deliveries.map(({ event, status }) => [event, status])).toEqual([['created', 'sent'], ['contactUpdated', 'sent']]);

    // « mes données »: the current contact.
    await p.say('mes données');
    await p.say('Recevoir mes données');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const json = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { readable: string[]; dossier: { answers: { contact: unknown } } };
    expect(json.dossier.answers.contact).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 55' });
    expect(json.readable.map(asRead).join('\n')).toContain('06 11 22 33 55');
  });

  it('an e-mail or a phone typed alone at the menu is read as new contact details: confirmed before it replaces anything (not kept as a message for the request); « non » changes nothing', async () => {
    const p = await passedOn();
    const asked = asRead(await p.say('anne.roy@asso.example'));
    expect(asked).not.toContain('Je n’ai pas compris');
    expect(asked).not.toContain('Je joins ce message');
    expect(asked).toContain('Vous m’avez donné des coordonnées : je remplace celles que j’ai (Anne Roy, 06 11 22 33 44) ? Elles deviendraient Anne Roy, anne.roy@asso.example, 06 11 22 33 44.');
    expect(asRead(await p.say('oui'))).toContain('C’est corrigé : vos coordonnées sont maintenant Anne Roy, anne.roy@asso.example, 06 11 22 33 44.');
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toEqual({ name: 'Anne Roy', email: 'anne.roy@asso.example', phone: '06 11 22 33 44' });
    const [handoff] = await handoffsOf(dossier._id);
    expect(handoff.contact).toMatchObject({ email: 'anne.roy@asso.example' });
    expect(handoff.messages ?? []).toEqual([]);

    // A phone with a name, then « non »: nothing changes, the menu comes back.
    expect(asRead(await p.say('Marie Roy 06 99 88 77 66'))).toContain('Elles deviendraient Marie Roy, anne.roy@asso.example, 06 99 88 77 66.');
    const kept = asRead(await p.say('non'));
    expect(kept).toContain('Je ne change rien : vos coordonnées restent Anne Roy, anne.roy@asso.example, 06 11 22 33 44.');
    expect(kept).toContain('Que souhaitez-vous faire ?');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ name: 'Anne Roy', phone: '06 11 22 33 44' });
    // Said with what it is for, it is a message for the request, as before.
    expect(asRead(await p.say('anne.roy@asso.example pour le rendez-vous de mardi'))).toContain('Je joins ce message à votre demande');
  });

  it('contact details typed alone by someone the assistant keeps nothing about: said so, with how to leave them — not « je n’ai pas compris »', async () => {
    const p = persona();
    await p.join();
    const said = asRead(await p.say('marie@asso.fr'));
    expect(said).toContain('Je ne conserve aucune donnée personnelle sur vous pour l’instant');
    expect(said).toContain('« parler à un·e chargé·e »');
    expect(said).not.toContain('Je n’ai pas compris');
  });

  it('« changer mes coordonnées » asks for them, showing the current ones; the e-mail given is added, the phone kept; « annuler » changes nothing', async () => {
    const p = await passedOn();
    const asked = asRead(await p.say('changer mes coordonnées'));
    expect(asked).toContain('Vos coordonnées actuelles : Anne Roy, 06 11 22 33 44. Quelles sont les nouvelles');
    expect(asRead(await p.say('annuler'))).toContain('Je ne change rien : vos coordonnées restent Anne Roy, 06 11 22 33 44.');
    expect(asRead(await p.say('corriger mon téléphone'))).toContain('Quelles sont les nouvelles');
    const noted = asRead(await p.say('anne.roy@asso.example'));
    expect(noted).toContain('C’est corrigé : vos coordonnées sont maintenant Anne Roy, anne.roy@asso.example, 06 11 22 33 44.');
    expect((await dossierOf(p))!.answers.contact).toEqual({ name: 'Anne Roy', email: 'anne.roy@asso.example', phone: '06 11 22 33 44' });
    // English too, the new details in the message.
    expect(asRead(await p.say('update my phone number: 06 99 88 77 66'))).toContain('06 99 88 77 66');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ phone: '06 99 88 77 66', email: 'anne.roy@asso.example' });
  });

  it('a closed request is left as it is: only the dossier changes, nobody is notified', async () => {
    const p = await passedOn();
    const dossierId = (await dossierOf(p))!._id;
    const [handoff] = await handoffsOf(dossierId);
    await fx.app.app.outbox.close(String(handoff._id), 'gironde@dla.test', 'Gaëlle');
    const answer = asRead(await p.say('nouvel e-mail : anne@roy.example'));
    expect(answer).toContain('C’est corrigé : vos coordonnées sont maintenant Anne Roy, anne@roy.example, 06 11 22 33 44.');
    expect(answer).not.toContain('prévenu');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ email: 'anne@roy.example' });
    expect((await handoffsOf(dossierId))[0].contact).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 44' });
    expect(await fx.app.app.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
  });

  it('« je me suis trompée de numéro, c’est le 06… » at a request’s subject question: taken as the contact, the subject asked again, then passed on without asking the contact', async () => {
    const p = persona();
    await p.join();
    for (const text of ['parler à un·e chargé·e', 'J’accepte']) await p.say(text);
    const answer = asRead(await p.say('je me suis trompée de numéro, c’est le 06 11 22 33 55'));
    expect(answer).toContain('C’est corrigé : vos coordonnées sont maintenant 06 11 22 33 55.');
    expect(answer).toContain('en quelques mots, c’est à quel sujet ?');
    const passed = asRead(await p.say('Trésorerie tendue'));
    expect(passed).not.toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(passed).toContain('je transmets votre demande');
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toMatchObject({ phone: '06 11 22 33 55' });
    expect((await handoffsOf(dossier._id)).map((h) => [h.reason, h.contact?.phone, h.message])).toEqual([['user_request', '06 11 22 33 55', 'Trésorerie tendue']]);
  });

  it('a contact correction with a name at a request’s subject question, no contact held yet (« Anne Roy, mon numéro c’est le 06… »): read back and kept with the name; the words of the change are no name', async () => {
    for (const [said, readBack, name] of [
      ['Anne Roy, mon numéro c’est le 06 11 22 33 55', 'Anne Roy, 06 11 22 33 55', 'Anne Roy'],
      ['nouveau numéro : 06 11 22 33 55, c’est Anne Roy', 'Anne Roy, 06 11 22 33 55', 'Anne Roy'],
      ['je me suis trompée de numéro, c’est le 06 11 22 33 55', '06 11 22 33 55', ''],
    ]) {
      const p = persona();
      await p.join();
      for (const text of ['parler à un·e chargé·e', 'J’accepte']) await p.say(text);
      expect(asRead(await p.say(said))).toContain(`C’est corrigé : vos coordonnées sont maintenant ${readBack}.`);
      expect((await dossierOf(p))!.answers.contact).toEqual({ name, phone: '06 11 22 33 55' });
    }
  });

  it('without consent nothing is kept: said so, with the way to give it; at the contact question « mon numéro c’est … » is the answer', async () => {
    const first = persona();
    await first.join();
    const said = asRead(await first.say('mon numéro c’est 06 11 22 33 55'));
    expect(said).toContain('Je ne conserve aucune donnée personnelle sur vous pour l’instant');
    expect(said).toContain('« parler à un·e chargé·e »');
    expect(await dossierOf(first)).toBeUndefined();

    const declined = persona();
    await declined.join();
    await declined.say('Vérifier si ma structure peut être accompagnée');
    await declined.say('Je refuse');
    expect(asRead(await declined.say('je me suis trompé de numéro, c’est 06 11 22 33 55'))).toContain('Si vous changez d’avis, écrivez « j’accepte »');
    expect(await dossierOf(declined)).toBeUndefined();

    const p = persona();
    await p.join();
    for (const text of ['parler à un·e chargé·e', 'J’accepte', 'Trésorerie tendue']) await p.say(text);
    expect(await p.say('Anne Roy, mon numéro c’est 06 11 22 33 44')).toContain('je transmets votre demande');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ phone: '06 11 22 33 44' });
  });
});

describe('words added at the menu once the request was passed on: read back, then on the request and with the chargé·es', () => {
  const { hook, fx, backOffice } = assistantWithWebhook('handoff_messages');
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = async (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
  const events = () => hook.accepted.map((r) => JSON.parse(r.body) as { event: string; handoff: { messages?: { text: string }[] } });
  const READ_BACK = 'Je joins ce message à votre demande, pour votre chargé·e d’accompagnement : « ';

  const passedOn = () => passedOnBy(persona(), fx);

  /** The accueil up to an eligibility « à confirmer », passed on with the contact. */
  async function toConfirm(name: string): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await p.say(text);
    expect(await p.say('Sam, sam@example.org')).toContain('votre demande est transmise');
    await fx.app.app.outbox.drain();
    return p;
  }

  it('« j’oubliais : … » after « parler à un·e chargé·e »: read back, « oui » keeps it on the request, the chargé·es get handoff.messageAdded, the back-office and « mes données » show it, an erasure removes it', async () => {
    const p = await passedOn();
    const readBack = asRead(await p.say('j’oubliais : nos 3 contrats aidés finissent en juin'));
    expect(readBack).not.toContain('Je n’ai pas compris');
    expect(readBack).toContain(`${READ_BACK}j’oubliais : nos 3 contrats aidés finissent en juin » ?`);
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['Oui, le transmettre', 'Non']);
    const kept = asRead(await p.say('oui'));
    expect(kept).toContain('C’est transmis : votre message est joint à votre demande. Le ou la chargé·e d’accompagnement du DLA de la Gironde qui la prend en charge le lira avant de vous recontacter.');
    expect(kept).toContain('Que souhaitez-vous faire ?');
    const dossier = (await dossierOf(p))!;
    const [handoff] = await handoffsOf(dossier._id);
    expect(handoff.messages.map((m: { text: string }) => m.text)).toEqual(['j’oubliais : nos 3 contrats aidés finissent en juin']);

    expect((await fx.app.app.outbox.drain()).sent).toBe(1);
    expect(events().map((e) => [e.event, e.handoff.messages?.map((m) => m.text)])).toEqual([
      ['handoff.created', undefined], ['handoff.messageAdded', ['j’oubliais : nos 3 contrats aidés finissent en juin']],
    ]);
    const view = await backOffice(`/admin/api/dossiers/${encodeURIComponent(dossier._id)}`) as {
      handoffs: { messages: { text: string; at: string }[]; deliveries: { event: string; status: string }[] }[];
    };
    expect(view.handoffs[0].messages).toEqual([{ text: 'j’oubliais : nos 3 contrats aidés finissent en juin', at: expect.any(String) }]);
    expect(view.handoffs[0].deliveries.map(({ event, status }) => [event, status])).toEqual([['created', 'sent'], ['messageAdded', 'sent']]);

    await p.say('mes données');
    await p.say('Recevoir mes données');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const json = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { readable: string[] };
    expect(json.readable.map(asRead).join('\n')).toMatch(/Message ajouté le \d{2}\/\d{2}\/\d{4} : « j’oubliais : nos 3 contrats aidés finissent en juin »/);

    await p.say('mes données');
    await p.say('Effacer mes données');
    await p.say('Oui, tout effacer');
    expect(await handoffsOf(dossier._id)).toEqual([]);
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ 'messages.text': 'j’oubliais : nos 3 contrats aidés finissent en juin' })).toBe(0);
  });

  it('nonsense is still re-prompted; « non » and « annuler » keep nothing and bring the menu back; nobody is told', async () => {
    const p = await passedOn();
    expect(asRead(await p.say('qsdfgh'))).toContain('Je n’ai pas compris');
    expect(asRead(await p.say('???'))).toContain('Je n’ai pas compris');
    expect(asRead(await p.say('Trésorerie tendue'))).toContain(`${READ_BACK}Trésorerie tendue » ?`);
    const no = asRead(await p.say('non'));
    expect(no).toContain('D’accord, je ne transmets rien : ce message n’est pas conservé.');
    expect(no).toContain('Que souhaitez-vous faire ?');
    expect(asRead(await p.say('on a aussi un souci avec notre local'))).toContain(READ_BACK);
    expect(asRead(await p.say('annuler'))).toContain('je ne transmets rien');
    const [handoff] = await handoffsOf((await dossierOf(p))!._id);
    expect(handoff.messages).toBeUndefined();
    expect(await fx.app.app.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
  });

  it('after an eligibility « à confirmer » taken up by a chargé·e: the confirmation names who will read it', async () => {
    const p = await toConfirm('Atelier du Canal');
    const dossier = (await dossierOf(p))!;
    const [handoff] = await handoffsOf(dossier._id);
    await fx.app.app.outbox.claim(String(handoff._id), 'sophie.bernard@dla33.example', 'Sophie Bernard');
    expect(asRead(await p.say('Trésorerie tendue'))).toContain(`${READ_BACK}Trésorerie tendue » ?`);
    expect(asRead(await p.say('oui'))).toContain('C’est transmis : votre message est joint à votre demande. Sophie Bernard, qui la suit, le lira avant de vous recontacter.');
    expect((await handoffsOf(dossier._id))[0].messages.map((m: { text: string }) => m.text)).toEqual(['Trésorerie tendue']);
  });

  it('a closed request is not added to: a new need or a chargé·e offered instead, nothing kept, nobody told', async () => {
    const p = await toConfirm('Ferme du Bocage');
    const dossier = (await dossierOf(p))!;
    const [handoff] = await handoffsOf(dossier._id);
    await fx.app.app.outbox.close(String(handoff._id), 'gironde@dla.test', 'Gaëlle');
    const answer = asRead(await p.say('on a aussi un souci avec notre local'));
    expect(answer).not.toContain(READ_BACK);
    expect(answer).toContain('Votre demande a été traitée : je ne peux plus y ajouter de message, et je ne garde pas celui-ci.');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title).slice(0, 2)).toEqual(['J’ai un nouveau besoin', 'Parler à un·e chargé·e']);
    expect((await handoffsOf(dossier._id))[0].messages).toBeUndefined();
    expect(await fx.app.app.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    expect(asRead(await p.say('J’ai un nouveau besoin'))).toContain('Quel est ce nouveau besoin ?');
  });

  it('consent declined: nothing is kept, and it is said so', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    await p.say('Je refuse');
    await p.say('recommencer');
    const answer = asRead(await p.say('Trésorerie tendue'));
    expect(answer).toContain('Vous avez choisi que je ne conserve rien sur vous : je ne garde pas ce message');
    expect(await dossierOf(p)).toBeUndefined();
  });
});
