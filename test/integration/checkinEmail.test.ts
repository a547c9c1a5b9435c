import { AdminAuth } from '../../src/admin/auth';
import { PrivacyService } from '../../src/store/privacy';
import { purgeExpired } from '../../src/store/retention';
import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';
import { BotMessages, directLineClient, endOpenClients } from '../helpers/directline';
import { Mail, SmtpSink } from '../helpers/smtpSink';
import { until } from '../helpers/wait';

afterEach(endOpenClients);

const PUBLIC_URL = 'https://assistant.dla-gironde.example';
const DAY = 86_400_000;

describe('a check-in posted in a web chat also reaches the structure by e-mail', () => {
  let offset = 0;
  const smtp = new SmtpSink();
  // No quiet hours: the check-ins go whenever this runs; SMTP_URL is set once the sink listens.
  const env: Record<string, string> = {
    OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_CONTACT: '05 56 00 00 00', PUBLIC_URL,
    FOLLOWUP_QUIET_HOURS: '00:00-00:00', FOLLOWUP_WEEKENDS: 'true', FOLLOWUP_LINK_DAYS: '30',
  };
  beforeAll(async () => {
    await smtp.start();
    env.SMTP_URL = smtp.url;
  });
  afterAll(() => smtp.stop());
  const fx = useAssistant('checkin_email', env, { now: () => Date.now() + offset });
  let admin: string;
  beforeAll(async () => {
    const auth = new AdminAuth(fx.db.connection, { now: () => new Date(Date.now() + offset), tokenTtlHours: 24 * 365 });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle', role: 'charge', departements: [] });
    admin = (await auth.createUserToken('gironde@dla.test')).token;
  });
  beforeEach(() => { smtp.mails.length = 0; });

  const tokenFor = async (body: unknown) => (await fetch(`${fx.app.baseUrl}/api/webchat/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  })).json() as Promise<{ token: string; userId: string; userProof: string; suivi?: string; locale?: string }>;
  const say = (client: ReturnType<typeof directLineClient>, userId: string, text: string) =>
    new Promise((resolve, reject) => client.postActivity({ type: 'message', from: { id: userId }, text } as never).subscribe(resolve, reject));

  /** A dossier in follow-up for `channelUser`, with a check-in due now (6 months after the mise en œuvre). */
  async function dossierWithCheckin(channelUser: string, contact?: { name: string; email?: string; phone?: string }): Promise<{ dossierId: string; checkinId: string }> {
    const dossiers = new DossierRepository(fx.db.connection);
    const dossier = await dossiers.create(channelUser, 36);
    dossier.answers = { name: 'Ressourcerie du Port', location: { postalCode: '33000', departement: '33' }, ...(contact ? { contact } : {}) };
    dossier.phase = 'suivi';
    await dossiers.save(dossier);
    const checkin = await fx.app.app.checkinRepository.add(dossier._id, 'after_mise_en_oeuvre_6m', new Date(Date.now() + offset - 60_000));
    return { dossierId: dossier._id, checkinId: checkin._id };
  }

  /** A structure that used the web chat page (a Direct Line conversation), with its check-in due. */
  async function webChatStructure(contact?: { name: string; email?: string }) {
    const first = await tokenFor({});
    const client = directLineClient(fx.app.baseUrl, first.token);
    const bot = new BotMessages(client);
    await bot.after(0, 3);
    await say(client, first.userId, 'bonjour'); // where to reach it is remembered
    // Its answer ends with the menu's question: the messages after `seen` are the check-in's.
    await until(() => bot.texts.slice(3).some((text) => text.includes('Que souhaitez-vous faire')), 10000, () => JSON.stringify(bot.texts));
    return { ...first, client, bot, seen: bot.texts.length, ...(await dossierWithCheckin(`directline:${first.userId}`, contact)) };
  }

  const linkToken = (mail: Mail, path: string) => {
    const match = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}${path.replace('?', '\\?')}([A-Za-z0-9_-]{43})`).exec(mail.text);
    expect(match).not.toBeNull();
    return match![1];
  };
  const checkinView = async (dossierId: string) => {
    const res = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${encodeURIComponent(dossierId)}`, { headers: { authorization: `Bearer ${admin}` } });
    return ((await res.json()) as { followup: { checkins: { email: { outcome: string; label: string } | null; sends: { outcome: string }[] }[] } }).followup.checkins[0];
  };

  it('posts it in the conversation and e-mails the contact both links; the answer link opens the check-in in a new conversation, on any browser until it expires', async () => {
    const s = await webChatStructure({ name: 'Camille Martin', email: 'camille@ressourcerie.example' });
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    await until(() => /des emplois ont-ils été créés/.test(s.bot.texts.slice(s.seen).join('\n')), 10000, () => JSON.stringify(s.bot.texts)); // still posted in the chat
    s.client.end();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.envelopeTo).toEqual(['camille@ressourcerie.example']);
    expect(asRead(mail.subject)).toBe('Point de suivi du DLA de la Gironde : qu’a changé l’accompagnement ?');
    const text = asRead(mail.text);
    expect(text).toContain('Bonjour Camille Martin,');
    expect(text).toContain('Ici l’assistant numérique du DLA de la Gironde');
    expect(text).toContain('L’accompagnement DLA de votre structure s’est terminé il y a 6 mois');
    expect(text).toMatch(/Ce lien fonctionne jusqu’au \d{1,2} \S+ \d{4} \(30 jours\)/);
    expect(text).toContain('Ne plus recevoir ces relances : ');
    expect(text).toContain('Une question ? Contactez le DLA de la Gironde (05 56 00 00 00).');
    const answer = linkToken(mail, '/?suivi=');
    expect(linkToken(mail, '/ne-plus-relancer/')).toBe(answer);
    expect(mail.html).toContain(`href="${PUBLIC_URL}/?suivi=${answer}"`);
    expect((await checkinView(s.dossierId)).email).toMatchObject({ outcome: 'sent', label: 'e-mail envoyé à la structure, avec un lien vers sa conversation' });
    // Only its hash is stored.
    expect(JSON.stringify(await fx.db.connection.db!.collection('checkin_links').find({}).toArray())).not.toContain(answer);

    // The link, on a phone that never saw the chat: signed in as the structure, a new conversation offers the check-in.
    const phone = await tokenFor({ suivi: answer });
    expect(phone).toMatchObject({ userId: s.userId, suivi: 'opened', locale: 'fr-FR' });
    const client = directLineClient(fx.app.baseUrl, phone.token);
    const bot = new BotMessages(client);
    const welcome = await bot.after(0, 4);
    expect(welcome).toContain('Bon retour !');
    expect(welcome).toContain('Un point de suivi du DLA de la Gironde vous attend');
    await say(client, phone.userId, 'oui');
    // « Reprenons le point de suivi… », then its first question.
    expect(await bot.after(4, 2)).toMatch(/Reprenons le point de suivi[^]*des emplois ont-ils été créés/);
    // Then on a laptop: the link works until it expires.
    expect(await tokenFor({ suivi: answer })).toMatchObject({ userId: s.userId, suivi: 'opened' });
  });

  it('an English structure gets its e-mail in English, and its link opens the chat in English', async () => {
    const s = await webChatStructure({ name: 'Sam Taylor', email: 'sam@port.example' });
    await say(s.client, s.userId, 'English');
    await s.bot.after(s.seen, 1);
    await fx.app.app.scheduler.tick();
    await until(() => smtp.mails.length > 0);
    const mail = smtp.mails[0];
    expect(asRead(mail.subject)).toBe('Follow-up from the DLA de la Gironde: what did the support change?');
    expect(asRead(mail.text)).toContain('Hello Sam Taylor,');
    expect(asRead(mail.text)).toContain('Stop these reminders: ');
    const grant = await tokenFor({ suivi: linkToken(mail, '/?suivi=') });
    expect(grant).toMatchObject({ userId: s.userId, suivi: 'opened', locale: 'en-US' });
    // The stop link's page speaks the e-mail's language too.
    const stop = asRead(await (await fetch(`${fx.app.baseUrl}/ne-plus-relancer/${linkToken(mail, '/ne-plus-relancer/')}`)).text());
    expect(stop).toContain('<html lang="en">');
    expect(stop).toContain('Would you rather not receive the DLA de la Gironde’s follow-up check-ins');
  });

  it('an expired, unknown or malformed answer link opens a normal chat and says the link expired; the page has the words', async () => {
    const s = await webChatStructure({ name: 'Camille', email: 'camille@port.example' });
    await fx.app.app.scheduler.tick();
    const answer = linkToken(smtp.mails[0], '/?suivi=');
    offset += 31 * DAY;
    try {
      for (const suivi of [answer, 'A'.repeat(43), '../x']) {
        const grant = await tokenFor({ suivi });
        expect(grant.suivi).toBe('expired');
        expect(grant.userId).not.toBe(s.userId);
      }
      // A browser that already knew the structure keeps its own identity.
      expect(await tokenFor({ suivi: answer, userId: s.userId, userProof: s.userProof })).toMatchObject({ userId: s.userId, suivi: 'expired' });
      const page = await (await fetch(fx.app.baseUrl)).text();
      expect(page).toContain('Ce lien vers le point de suivi a expiré');
      // The stop link too: a page saying how to stop the check-ins otherwise, never a raw error.
      const stop = await fetch(`${fx.app.baseUrl}/ne-plus-relancer/${answer}`);
      expect(stop.status).toBe(404);
      expect(stop.headers.get('content-type')).toContain('text/html');
      const body = asRead(await stop.text());
      expect(body).toContain('Ce lien n’est plus valable');
      expect(body).toContain('écrivez « ne plus me relancer » à l’assistant, ou contactez le DLA de la Gironde (05 56 00 00 00)');
      const malformed = await fetch(`${fx.app.baseUrl}/ne-plus-relancer/%3Cscript%3E`, { method: 'POST', headers: { 'accept-language': 'en-GB,en' } });
      expect(malformed.status).toBe(404);
      expect(await malformed.text()).toContain('This link is no longer valid');
      // The retention purge removes the expired links.
      await purgeExpired(fx.db.connection, new Date(Date.now() + offset), 36, fx.app.app.privacy);
      expect(await fx.db.connection.db!.collection('checkin_links').countDocuments({ dossierId: s.dossierId })).toBe(0);
    } finally {
      offset -= 31 * DAY;
    }
  });

  it('the stop link: its GET only shows a button (mail scanners fetch links), its POST stops the check-ins', async () => {
    const s = await webChatStructure({ name: 'Camille', email: 'camille@stop.example' });
    await fx.app.app.scheduler.tick();
    const stopUrl = `${fx.app.baseUrl}/ne-plus-relancer/${linkToken(smtp.mails[0], '/ne-plus-relancer/')}`;
    const get = await fetch(stopUrl);
    expect(get.status).toBe(200);
    const page = asRead(await get.text());
    expect(page).toContain('<form method="post"><button type="submit">Ne plus recevoir ces relances</button></form>');
    expect(await fx.app.app.checkinRepository.isOptedOut(s.dossierId)).toBe(false);

    const post = await fetch(stopUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(post.status).toBe(200);
    const done = asRead(await post.text());
    expect(done).toContain('C’est noté : vous ne recevrez plus de relances de suivi.');
    expect(done).toContain('contactez le DLA de la Gironde (05 56 00 00 00)');
    expect(await fx.app.app.checkinRepository.isOptedOut(s.dossierId)).toBe(true);
    expect((await fx.app.app.checkinRepository.get(s.checkinId))?.status).toBe('opted_out');
    // No further check-in goes out, nor any e-mail.
    smtp.mails.length = 0;
    const later = await fx.app.app.checkinRepository.add(s.dossierId, 'manual_later', new Date(Date.now() + offset - 1000));
    await fx.app.app.scheduler.tick();
    expect((await fx.app.app.checkinRepository.get(later._id))?.status).toBe('opted_out');
    expect(smtp.mails).toHaveLength(0);
    // Asked again: already noted.
    expect(asRead(await (await fetch(stopUrl, { method: 'POST' })).text())).toContain('C’est déjà noté');
  });

  it('a Teams structure gets no e-mail (Teams notifies it); a web-chat one without an e-mail on its dossier neither, and the back-office says so', async () => {
    const teams = new Persona(() => fx.app, fx.connector, 'fr-FR', undefined, 'msteams');
    await teams.join();
    await teams.say('bonjour');
    const t = await dossierWithCheckin(`msteams:${teams.userId}`, { name: 'Léa', email: 'lea@teams.example' });
    const web = new Persona(() => fx.app, fx.connector);
    await web.join();
    await web.say('bonjour');
    const w = await dossierWithCheckin(`directline:${web.userId}`, { name: 'Paul', phone: '06 12 34 56 78' });
    await fx.app.app.scheduler.tick();
    expect((await fx.app.app.checkinRepository.get(t.checkinId))?.status).toBe('sent');
    expect((await fx.app.app.checkinRepository.get(w.checkinId))?.status).toBe('sent');
    expect(smtp.mails).toHaveLength(0);
    expect((await checkinView(t.dossierId)).email).toBeNull();
    const view = await checkinView(w.dossierId);
    expect(view.email?.outcome).toBe('no_address');
    expect(asRead(view.email!.label)).toContain('pas d’e-mail : aucune adresse e-mail sur le dossier');
  });

  it('SMTP down: the attempt fails and is retried; once it is up, one e-mail goes and the chat got the check-in once', async () => {
    const p = new Persona(() => fx.app, fx.connector);
    await p.join();
    await p.say('bonjour');
    const d = await dossierWithCheckin(`directline:${p.userId}`, { name: 'Inès', email: 'ines@down.example' });
    const port = smtp.port;
    await smtp.stop();
    try {
      expect(await fx.app.app.scheduler.tick()).toMatchObject({ retried: 1 });
    } finally {
      await smtp.start(port);
    }
    const posted = () => fx.connector.messages(p.channel.conversationId).filter((m) => /des emplois ont-ils été créés/.test(m)).length;
    expect(posted()).toBe(1);
    expect((await fx.app.app.checkinRepository.get(d.checkinId))).toMatchObject({ status: 'planned', attempts: 1 });
    expect(await fx.db.connection.db!.collection('checkin_links').countDocuments({ dossierId: d.dossierId })).toBe(0); // no link nobody received
    offset += 11 * 60_000; // past the first backoff
    try {
      expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    } finally {
      offset -= 11 * 60_000;
    }
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('ines@down.example'))).toHaveLength(1);
    expect(posted()).toBe(1);
    const view = await checkinView(d.dossierId);
    expect(view.sends.map((x) => x.outcome)).toEqual(['error', 'sent']);
    expect(view.email?.outcome).toBe('sent');
  });

  it('erasure (« mes données ») removes the links: the answer link no longer signs in', async () => {
    const s = await webChatStructure({ name: 'Camille', email: 'camille@erase.example' });
    await fx.app.app.scheduler.tick();
    const answer = linkToken(smtp.mails[0], '/?suivi=');
    s.client.end();
    const privacy = new PrivacyService({ connection: fx.db.connection, dossiers: new DossierRepository(fx.db.connection), storage: fx.app.app.storage });
    await privacy.eraseFor('directline', s.userId, 'any');
    expect(await fx.db.connection.db!.collection('checkin_links').countDocuments({ dossierId: s.dossierId })).toBe(0);
    expect(await tokenFor({ suivi: answer })).toMatchObject({ suivi: 'expired' });
    expect((await fetch(`${fx.app.baseUrl}/ne-plus-relancer/${answer}`)).status).toBe(404);
  });
});

describe('without SMTP_URL, a web-chat structure’s check-in is only posted, and the back-office says why no e-mail went', () => {
  const fx = useAssistant('checkin_email_no_smtp', { FOLLOWUP_QUIET_HOURS: '00:00-00:00', FOLLOWUP_WEEKENDS: 'true' });

  it('notes no_smtp on the check-in', async () => {
    const p = new Persona(() => fx.app, fx.connector);
    await p.join();
    await p.say('bonjour');
    const dossiers = new DossierRepository(fx.db.connection);
    const dossier = await dossiers.create(`directline:${p.userId}`, 36);
    dossier.answers = { name: 'Atelier', contact: { name: 'Jo', email: 'jo@atelier.example' } };
    await dossiers.save(dossier);
    const checkin = await fx.app.app.checkinRepository.add(dossier._id, 'manual_now', new Date(Date.now() - 1000));
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    await until(() => fx.connector.messages(p.channel.conversationId).some((m) => /des emplois ont-ils été créés/.test(m)));
    expect((await fx.app.app.checkinRepository.get(checkin._id))?.email?.outcome).toBe('no_smtp');
  });
});
