import { AdminAuth } from '../../src/admin/auth';
import { DossierRepository } from '../../src/store/dossiers';
import { purgeExpired, retentionCutoff } from '../../src/store/retention';
import { asRead } from '../helpers/asRead';
import { post, TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';
import { SmtpSink } from '../helpers/smtpSink';
import { WebhookSink } from '../helpers/webhookSink';
import { collectionsHolding } from '../helpers/dbScan';
import { teams } from '../helpers/teams';

const SECRET = 'erasure-scan-webhook-secret';

/** A SIRET of one SIREN (a valid one), its establishment different for each `seed`. */
function siret(seed: number): string {
  const base = `73282932000${String(seed).padStart(2, '0')}`;
  for (let check = 0; check < 10; check++) {
    const digits = `${base}${check}`;
    const sum = [...digits].reverse().reduce((s, d, i) => { const n = Number(d) * (i % 2 ? 2 : 1); return s + (n > 9 ? n - 9 : n); }, 0);
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

interface Exported {
  readable: string[];
  dossier?: { _id: string; answers: Record<string, unknown> };
  handoffs: { _id: string; contact?: unknown }[];
  checkins: { _id: string; answers?: Record<string, unknown> }[];
  conversations: { channelId: string; conversationId: string; messages: { text?: string }[] }[];
}

/**
 * What an erasure leaves, collection by collection: a structure goes through every flow that writes
 * about it (consent, accueil, diagnostic, its request delivered by e-mail and webhook, a check-in
 * answered, all in a web chat on the local Direct Line), « mes données » shows each part, and once
 * erased — in the chat, in the back-office, or by the retention purge — no collection of the
 * database holds its name, e-mail, phone, SIRET nor any of its ids, but the erasure register its
 * dossier's id.
 */
describe('erasure, collection by collection', () => {
  const smtp = new SmtpSink();
  const hook = new WebhookSink(SECRET);
  const env: Record<string, string> = {
    OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33', PUBLIC_URL: 'http://dla.test', FOLLOWUP_QUIET_HOURS: '00:00-00:00', FOLLOWUP_WEEKENDS: 'true',
  };
  beforeAll(async () => {
    await smtp.start();
    await hook.start();
    Object.assign(env, { SMTP_URL: smtp.url, HANDOFF_EMAIL_TO: 'accueil@dla-gironde.example', HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await smtp.stop();
    await hook.stop();
  });
  const fx = useAssistant('erasure_scan', env);
  const db = () => fx.db.connection.db!;
  let adminToken = '';
  beforeAll(async () => {
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    adminToken = (await auth.createUserToken('admin@dla.test')).token;
  });

  const headers = (auth: string) => ({ authorization: `Bearer ${auth}`, 'content-type': 'application/json' });

  /** A web chat on the local Direct Line: what its user types (each answered before it resolves), and its whole history as Web Chat reloads it. */
  async function webChat(userId?: string) {
    const gen = await (await fetch(`${fx.app.baseUrl}/v3/directline/tokens/generate`, { method: 'POST', headers: headers(TEST_DIRECT_LINE_SECRET), body: JSON.stringify(userId ? { user: { id: userId } } : {}) })).json();
    await fetch(`${fx.app.baseUrl}/v3/directline/conversations`, { method: 'POST', headers: headers(gen.token), body: '{}' });
    const url = `${fx.app.baseUrl}/v3/directline/conversations/${gen.conversationId}/activities`;
    const history = async (): Promise<{ text?: string; from: { role?: string }; attachments?: { name?: string; contentUrl?: string }[] }[]> =>
      (await (await fetch(url, { headers: headers(gen.token) })).json()).activities;
    return {
      conversationId: gen.conversationId as string,
      userId: gen.userId as string,
      say: async (text: string) => {
        expect((await fetch(url, { method: 'POST', headers: headers(gen.token), body: JSON.stringify({ type: 'message', text, from: { id: gen.userId } }) })).status).toBe(200);
      },
      history,
      /** The bot's answer to the latest message, as read. */
      last: async () => {
        const all = await history();
        return all.slice(all.map((a) => a.from.role).lastIndexOf('user') + 1).map((a) => asRead(a.text ?? '')).join('\n');
      },
    };
  }

  const holding = (marks: string[]) => collectionsHolding(db(), marks);

  const AREAS = ['Les rôles ne sont pas clairs entre bénévoles et salarié·es', '2', 'Deux départs cette année, difficile de recruter', '4',
    'Le projet associatif date de 2012', 'urgent', 'Trop dépendants des subventions de la ville', 'très urgent', 'Trésorerie tendue en fin d’année', '3'];

  /** A structure through every flow that writes about it; what identifies it. */
  async function structure(name: string, seed: number) {
    // A first visit, consent declined, its name typed all the same.
    const declined = await webChat();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', `${name}, on cherche un financement`]) await declined.say(text);
    const chat = await webChat(declined.userId);
    const email = `dominique.${seed}@bassins.example`;
    const number = siret(seed);
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, number, 'association loi 1901', '4', '33300',
      'Consolider nos emplois', 'C’est correct', `Dominique Martin, ${email}, 06 12 34 56 ${String(seed).padStart(2, '0')}`]) await chat.say(text);
    if (!(await chat.last()).includes('On commence ?')) throw new Error((await chat.history()).map((a) => `${a.from.role}: ${asRead(a.text ?? '')}`).join('\n'));
    for (const text of ['Commencer', 'Épicerie solidaire, secteur social', '200 000 €', 'subventions 60 %, ventes 40 %', '4 salariés et 20 bénévoles',
      'un conseil d’administration de 9 membres', ...AREAS, 'Non, jamais', 'La présidente, les mardis', 'Diversifier nos financements', 'Oui', 'Oui', 'Je confirme']) await chat.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', chat.userId)))!;
    expect(dossier.diagnostic?.confirmedAt).toBeDefined();
    // Its request delivered to the chargé·es: e-mail and webhook.
    await fx.app.app.outbox.drain();
    expect(smtp.mails.some((m) => m.text.includes(name))).toBe(true);
    expect(hook.accepted.some((r) => r.body.includes(name))).toBe(true);
    // A check-in sent in its web chat (and by e-mail), answered.
    await fx.app.app.checkinRepository.add(dossier._id, 'manual_test', new Date(Date.now() - 60_000));
    expect(await fx.app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    await chat.say('2 emplois maintenus');
    expect((await fx.app.app.checkinRepository.get(`${dossier._id}|manual_test`))?.answers).toMatchObject({ jobs: '2 emplois maintenus' });
    const handoffs = await db().collection<{ _id: string }>('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs.length).toBeGreaterThan(0);
    // The phone as typed, and its digits (0612345601, +33612345601).
    const phone = `6123456${String(seed).padStart(2, '0')}`;
    const personal = [name, email, number, phone, `6 12 34 56 ${String(seed).padStart(2, '0')}`, ...handoffs.map((h) => h._id)];
    return { chat, declined, dossierId: dossier._id, name, email, siret: number, personal, marks: [...personal, dossier._id, chat.userId, chat.conversationId, declined.conversationId] };
  }

  /** The JSON file « mes données » gives in the chat. */
  async function chatExport(chat: Awaited<ReturnType<typeof webChat>>): Promise<Exported> {
    await chat.say('mes données');
    await chat.say('Recevoir mes données');
    const file = (await chat.history()).flatMap((a) => a.attachments ?? []).filter((x) => x.name === 'mes-donnees-dla.json').pop();
    return JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as Exported;
  }

  it.each([
    ['in the chat (« mes données »)', 1],
    ['in the back-office', 2],
    ['by the retention purge', 3],
  ])('erased %s: « mes données » showed each part stored, and no collection holds anything of it after', async (how, seed) => {
    const s = await structure(`Ressourcerie des Bassins n°${seed}`, seed);
    // Where the structure is, before: each collection either shown by « mes données » or derived from what it shows.
    const before = await holding(s.marks);
    const exported = await chatExport(s.chat);
    expect(exported.dossier?.answers).toMatchObject({ name: s.name, identifiers: { siret: s.siret }, contact: expect.objectContaining({ email: s.email }) });
    expect(exported.handoffs.map((h) => h._id).sort()).toEqual((await db().collection('handoffs').find({ dossierId: s.dossierId }).toArray()).map((h) => h._id).sort());
    expect(exported.checkins).toContainEqual(expect.objectContaining({ answers: expect.objectContaining({ jobs: '2 emplois maintenus' }) }));
    expect(exported.conversations.map((c) => c.conversationId)).toEqual([s.chat.conversationId]);
    expect(exported.conversations[0].messages.map((m) => m.text)).toEqual(expect.arrayContaining([s.name, '2 emplois maintenus']));
    expect(Object.keys(before).sort()).toEqual([
      'botstate', // dialog state and profile: what the dossier and the transcript show
      'checkin_leases', // the check-in's send (its id)
      'checkin_links', // the check-in e-mail's links (the dossier's id)
      'checkins', // « checkins »
      'conversation_refs', // where to reach the user (the check-in)
      'directline_activities', // the web chat's history: the transcript's messages (« conversations »)
      'directline_conversations',
      'dossier_checkins', 'dossier_handoffs', 'dossier_keys', 'dossier_summaries', // lists and the back-office's summary of the dossier
      'dossiers', // « dossier »
      'handoff_leases', // the handoff's sends (its id)
      'handoffs', // « handoffs »
      'no_consent_conversations', // the visit that declined consent (its web chat history, not transcribed, goes within DIRECT_LINE_NO_CONSENT_HOURS)
      'siret_dossiers',
      'transcript_activities', 'transcript_conversations', // « conversations »
    ]);

    if (seed === 1) {
      await s.chat.say('mes données');
      await s.chat.say('Effacer mes données');
      await s.chat.say('Oui, tout effacer');
      expect(await s.chat.last()).toContain('ont été effacés');
    } else if (seed === 2) {
      const erased = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${s.dossierId}/erase`, { method: 'POST', headers: headers(adminToken), body: JSON.stringify({ confirm: s.name }) });
      expect(erased.status).toBe(200);
    } else {
      await db().collection('dossiers').updateOne({ _id: s.dossierId as never }, { $set: { createdAt: new Date('2022-01-10T10:00:00Z') } });
      const now = new Date();
      await purgeExpired(fx.db.connection, now, 36, fx.app.app.privacy);
      await fx.app.app.transcripts.purgeBefore(retentionCutoff(now, 36));
    }
    await fx.app.app.localDirectLine!.store.flushed();
    // Nothing of the structure anywhere: its name, e-mail, phone, SIRET, its handoffs' ids; its dossier's id in the erasure register only.
    expect([how, await holding(s.personal)]).toEqual([how, {}]);
    expect([how, await holding([s.dossierId])]).toEqual([how, { erasures: 1 }]);
    // Its web chat may go on (a page still open): the conversation's record — its id, its user's, its date, how many
    // activities went — and, erased in the chat, the answer to « Oui, tout effacer » and the menu's state after it.
    expect([how, await holding([s.chat.userId, s.chat.conversationId, s.declined.conversationId])])
      .toEqual([how, seed === 1 ? { directline_conversations: 2, directline_activities: 2, botstate: 1 } : { directline_conversations: 2 }]);
    expect(await s.declined.history()).toEqual([]);
    expect(await db().collection('directline_conversations').findOne({ _id: s.chat.conversationId as never }))
      .toEqual({ _id: s.chat.conversationId, userId: s.chat.userId, createdAt: expect.any(Date), erased: expect.any(Number) });
    expect((await s.chat.history()).map((a) => asRead(a.text ?? '')))
      .toEqual(seed === 1 ? ['C’est fait : votre dossier, vos réponses, nos échanges et vos demandes ont été effacés.', 'Que souhaitez-vous faire ?'] : []);
  }, 120_000); // a whole parcours and a scan of the database: long on a loaded machine

  /** What the chargé·es received naming `mark`: e-mails and webhook calls. */
  const received = (mark: string) => [...smtp.mails.filter((m) => m.text.includes(mark)), ...hook.requests.filter((r) => r.body.includes(mark))];

  it('erased at the moment its request is passed on (the turn checked, the handoff not stored yet): nothing reaches the chargé·es — no e-mail, no webhook — and nothing of it stays', async () => {
    const name = 'Épicerie solidaire des Capucins';
    const email = 'sam@capucins.example';
    const chat = await webChat();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await chat.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', chat.userId)))!;
    const outbox = fx.app.app.outbox;
    const create = outbox.create.bind(outbox);
    // The delivery loop runs, as in production: a handoff stored is sent at once.
    outbox.start(60_000);
    const erasing = jest.spyOn(outbox, 'create').mockImplementationOnce(async (handoff) => {
      const erased = await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/erase`, { method: 'POST', headers: headers(adminToken), body: JSON.stringify({ confirm: name }) });
      expect(erased.status).toBe(200);
      return create(handoff);
    });
    try {
      await chat.say(`Sam, ${email}`);
      expect(erasing).toHaveBeenCalled();
      expect(await chat.last()).toContain('Les données de votre structure viennent d’être effacées');
      await outbox.drain();
    } finally {
      erasing.mockRestore();
      await outbox.stop();
    }
    expect(received(name)).toEqual([]);
    expect(received(email)).toEqual([]);
    expect(await holding([name, email, dossier._id])).toEqual({ erasures: 1 });
    expect(await fx.app.app.outbox.list({ conversationId: chat.conversationId })).toEqual([]);
  });

  it('a handoff of a structure erased before it was stored (its dossier in the register) is not delivered: the outbox checks right before each send, and forgets it', async () => {
    const name = 'Tiers-Lieu du Bassin';
    const chat = await webChat();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await chat.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', chat.userId)))!;
    expect((await fetch(`${fx.app.baseUrl}/admin/api/dossiers/${dossier._id}/erase`, { method: 'POST', headers: headers(adminToken), body: JSON.stringify({ confirm: name }) })).status).toBe(200);
    // Stored after the erasure took its handoffs (another instance's turn, a check-in given up read before it).
    const late = await fx.app.app.outbox.create({
      dossierId: dossier._id, reason: 'followup_unreachable', urgency: 'normal', departement: '33', structureName: name,
      contact: { name: 'Sam', phone: '0611223344' }, consent: true, transcript: { channelId: 'directline', conversationId: chat.conversationId },
    });
    expect(await fx.app.app.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    expect(received(name)).toEqual([]);
    expect(await fx.app.app.outbox.get(late._id)).toBeUndefined();
    expect(await holding([name, '0611223344', late._id])).toEqual({});
  });

  it('erased in a Teams chat: its other Teams conversation that declined consent goes at once too (found by its Teams user), not hours later by the no-consent sweep', async () => {
    const name = 'Recyclerie des Chartrons';
    const declined = teams(fx.connector.url);
    const say = async (t: ReturnType<typeof teams>, text: string) => expect((await post(fx.app.baseUrl, t.say(text))).status).toBe(200);
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', `${name}, on cherche un financement`]) await say(declined, text);
    // The same person in another conversation: consent given, then its data erased.
    const chat = teams(fx.connector.url, 'personal', declined.user);
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'mes données', 'Effacer mes données', 'Oui, tout effacer']) await say(chat, text);
    const answers = fx.connector.activities.filter((a) => a.conversation?.id === chat.conversationId).map((a) => asRead(a.text ?? ''));
    expect(answers.join('\n')).toContain('ont été effacés');
    // What the declined conversation held (its dialog state, with the name typed; its no-consent entry) went with the rest.
    expect(await holding([name, declined.conversationId])).toEqual({});
  });
});
