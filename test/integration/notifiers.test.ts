import { asRead } from '../helpers/asRead';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import { ConfigError, loadConfig } from '../../src/config';
import { HandoffService, type HandoffStore } from '../../src/handoff/service';
import { translator } from '../../src/i18n';
import { log } from '../../src/log';
import { EmailNotifier, createNotifiers, Notifier, TeamsNotifier, WebhookNotifier } from '../../src/handoff/notifiers';
import { defaultBackoff, FULL_SCAN_MS, HandoffOutbox, HandoffOutboxOptions, HandoffStateError, NewHandoff } from '../../src/handoff/outbox';
import { backOfficeUrl, renderUpdateSubject, renderHtml, renderSubject, renderText, teamsCard } from '../../src/handoff/render';
import type { Handoff } from '../../src/handoff/types';
import { cardText, FakeConnector } from '../helpers/connector';
import { Connection } from 'mongoose';
import { connectWithRetry } from '../../src/store/db';
import { openTestDb, TestDb } from '../helpers/db';
import { until } from '../helpers/wait';
import { WebhookSink } from '../helpers/webhookSink';
import { SmtpSink } from '../helpers/smtpSink';

const t = translator('fr');
const PUBLIC_URL = 'https://assistant.dla-gironde.example';
const SECRET = 'webhook-test-secret';
const TEAMS_CHANNEL = '19:2f1c8e0a6b7d4c3e9f00aa11bb22cc33@thread.tacv2';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function packet(over: Partial<NewHandoff> = {}): NewHandoff {
  return {
    dossierId: 'dossier-42',
    reason: 'eligibility_to_confirm',
    urgency: 'normal',
    departement: '33',
    structureName: 'Les Jardins de Bègles <script>alert(1)</script>',
    contact: { name: 'Camille Martin', email: 'camille@jardins.example', phone: '05 56 00 00 00' },
    eligibility: {
      outcome: 'to_confirm',
      rulesVersion: '2026-11-26.1',
      reasons: [
        { code: 'employer', text: 'Votre structure emploie au moins une personne salariée.' },
        { code: 'need_to_check', text: 'Un·e chargé·e verra avec vous si le DLA est le bon appui.' },
      ],
    },
    diagnostic: {
      version: 2,
      facts: [{ label: 'Activité', value: 'Maraîchage d’insertion' }, { label: 'Budget annuel', value: '420 000 € <img src=x onerror=alert(2)>' }],
      axes: ['Modèle économique', 'Ressources humaines'],
    },
    message: 'Bonjour,\nnous voulons <b>consolider</b> nos emplois.',
    consent: true,
    transcript: { channelId: 'webchat', conversationId: 'conv-42' },
    ...over,
  };
}

function full(over: Partial<NewHandoff> = {}): Handoff {
  const at = new Date('2026-03-02T09:00:00Z');
  return { ...packet(over), _id: 'handoff-1', status: 'open', deliveries: [], createdAt: at, updatedAt: at };
}

// ---------------------------------------------------------------- local counterparts

/** An adapter whose Connector calls go unauthenticated to whatever serviceUrl the reference names. */
function localAdapter(): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
}

// ---------------------------------------------------------------- the tests

describe('handoff rendering (French, for the chargé·es)', () => {
  it('dates are in the operator’s time zone (Paris by default, Réunion for the DLA there)', () => {
    expect(renderText(full(), t, { publicUrl: PUBLIC_URL })).toContain('Reçue le : 02/03/2026 10:00');
    expect(renderText(full(), t, { publicUrl: PUBLIC_URL, timeZone: 'Indian/Reunion' })).toContain('Reçue le : 02/03/2026 13:00');
  });

  it('the text body holds everything a chargé·e needs, and the back-office link', () => {
    const text = renderText(full(), t, { publicUrl: PUBLIC_URL });
    for (const expected of [
      'Motif : éligibilité à confirmer',
      'Urgence : normale',
      'Structure : Les Jardins de Bègles <script>alert(1)</script>',
      'Département : 33',
      'Reçue le : 02/03/2026 10:00',
      '- Nom : Camille Martin',
      '- E-mail : camille@jardins.example',
      '- Téléphone : 05 56 00 00 00',
      'Éligibilité : à confirmer (règles 2026-11-26.1)',
      '- Votre structure emploie au moins une personne salariée.',
      '- Un·e chargé·e verra avec vous si le DLA est le bon appui.',
      'Diagnostic préparatoire (version 2)', // the structure's, before the diagnostic partagé with a chargé·e
      '- Activité : Maraîchage d’insertion',
      '1. Modèle économique',
      '2. Ressources humaines',
      '> nous voulons <b>consolider</b> nos emplois.',
      'Conversation : chat du site — à lire dans le dossier, sur le back-office', // no channel id nor conversation id: jargon to a chargé·e
      `${PUBLIC_URL}/admin/#/dossiers/dossier-42`,
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('the HTML body escapes what the structure wrote', () => {
    const html = renderHtml(full(), t, { publicUrl: PUBLIC_URL });
    expect(html).not.toMatch(/<script|<img|<b>consolider/i);
    expect(html).toContain('Les Jardins de Bègles &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('420 000 € &lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain(`<a href="${PUBLIC_URL}/admin/#/dossiers/dossier-42">Ouvrir le dossier dans le back-office</a>`);
    expect(html).toContain('<li>Un·e chargé·e verra avec vous si le DLA est le bon appui.</li>');
    // Whom to call, one tap away on a phone's mail app.
    expect(html).toContain('<a href="mailto:camille@jardins.example">camille@jardins.example</a>');
    expect(html).toContain('<a href="tel:0556000000">05 56 00 00 00</a>');
  });

  it('the HTML body links only a well-formed e-mail and a phone with digits, escaped', () => {
    const html = renderHtml({ ...full(), contact: { name: 'X', email: 'a"><script>@x', phone: 'demain' } }, t, { publicUrl: PUBLIC_URL });
    expect(html).not.toContain('mailto:');
    expect(html).not.toContain('tel:');
    expect(html).toContain('a&quot;&gt;&lt;script&gt;@x');
    expect(renderHtml({ ...full(), contact: { name: 'X', phone: '+33 6 12 34 56 78' } }, t, { publicUrl: PUBLIC_URL })).toContain('<a href="tel:+33612345678">+33 6 12 34 56 78</a>');
  });

  it('the subject says who and why, on one line, and flags urgency', () => {
    expect(asRead(renderSubject(full({ structureName: 'Asso\r\nBcc: x@evil.example' }), t))).toBe('[DLA] Nouvelle demande : Asso Bcc: x@evil.example (éligibilité à confirmer)');
    expect(asRead(renderSubject(full({ urgency: 'high', reason: 'user_request', structureName: undefined, contact: undefined }), t)))
      .toBe('[DLA] URGENT · Nouvelle demande : structure non renseignée (demande à parler à un·e chargé·e)');
  });

  it('a structure with no name yet is called by its contact’s name, as in the back-office', () => {
    const unnamed = full({ reason: 'user_request', structureName: undefined, contact: { name: 'Léa Martin', email: 'lea@example.org' } });
    expect(asRead(renderSubject(unnamed, t))).toBe('[DLA] Nouvelle demande : Léa Martin (contact) (demande à parler à un·e chargé·e)');
    expect(renderText(unnamed, t, { publicUrl: PUBLIC_URL })).toContain('Structure : Léa Martin (contact)');
    expect(renderHtml(unnamed, t, { publicUrl: PUBLIC_URL })).toContain('Léa Martin (contact)');
    expect(JSON.stringify(teamsCard(unnamed, t, { publicUrl: PUBLIC_URL }))).toContain('Léa Martin (contact)');
    expect(JSON.stringify(teamsCard(unnamed, t, { publicUrl: PUBLIC_URL }))).not.toContain('structure non renseignée');
    expect(asRead(renderUpdateSubject(unnamed, t))).toContain('Léa Martin (contact)');
  });

  it('links a handoff without dossier to the handoff itself, id encoded', () => {
    expect(backOfficeUrl({ _id: 'a/b c', dossierId: undefined }, `${PUBLIC_URL}/`)).toBe(`${PUBLIC_URL}/admin/#/handoffs/a%2Fb%20c`);
  });

  it('the Teams card is an Adaptive Card 1.4 with FactSets and an Action.OpenUrl to the back-office', () => {
    const card = teamsCard(full(), t, { publicUrl: PUBLIC_URL }) as { version: string; type: string; body: { type: string; facts?: { title: string; value: string }[]; text?: string }[]; actions: { type: string; url: string; title: string }[] };
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.4');
    const facts = card.body.filter((b) => b.type === 'FactSet').flatMap((b) => b.facts ?? []);
    expect(facts).toEqual(expect.arrayContaining([
      { title: 'Motif', value: 'éligibilité à confirmer' },
      { title: 'Département', value: '33' },
      { title: 'E-mail', value: 'camille@jardins.example' },
      { title: 'Activité', value: 'Maraîchage d’insertion' },
    ]));
    expect(card.body.map((b) => b.text ?? '').join('\n')).toContain('1. Modèle économique\n2. Ressources humaines');
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Je m’en occupe', data: { dlaAction: 'handoff.claim', handoffId: full()._id } },
      { type: 'Action.OpenUrl', title: 'Ouvrir le dossier dans le back-office', url: `${PUBLIC_URL}/admin/#/dossiers/dossier-42` },
    ]);
  });

  it('the Teams card of a handoff taken up says who took it up, or who closed it, without « Je m’en occupe »', () => {
    const at = new Date('2026-11-27T14:05:00Z');
    const of = (h: Partial<Handoff>) => teamsCard({ ...full(), ...h }, t, { publicUrl: PUBLIC_URL }) as { body: unknown[]; actions: { type: string }[] };
    const claimed = of({ status: 'claimed', claimedBy: 'marie@dla.example', claimedByName: 'Marie Dupont', claimedAt: at });
    expect(asRead(cardText(claimed))).toContain('Prise en charge par Marie Dupont le 27/11/2026 15:05.');
    expect(claimed.actions.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    const closed = of({ status: 'closed', claimedBy: 'marie@dla.example', claimedByName: 'Marie Dupont', claimedAt: at, closedBy: 'paul@dla.example', closedByName: 'Paul Martin', closedAt: at });
    expect(asRead(cardText(closed))).toContain('Close par Paul Martin le 27/11/2026 15:05.');
    expect(closed.actions.map((a) => a.type)).toEqual(['Action.OpenUrl']);
  });

  it('the Teams card shows what a structure typed as text: no disguised link, no formatting', () => {
    const card = JSON.stringify(teamsCard({ ...full(), structureName: '[Votre dossier](http://evil.example) **urgent**', message: 'voir __ici__ [clic](http://evil.example)' }, t, { publicUrl: PUBLIC_URL }));
    // Escaped the Markdown way (in the JSON text, a backslash is written twice).
    expect(card).not.toMatch(/[^\\]\](\(http)/);
    expect(card).toContain('\\\\*\\\\*urgent\\\\*\\\\*');
    expect(card).toContain('voir \\\\_\\\\_ici_\\\\_');
    expect(card).toContain('Votre dossier'); // the words are all there
  });

  it('backs off 30 s, 1 min, 2 min… up to 1 h', () => {
    expect([1, 2, 3, 4, 8, 20].map(defaultBackoff)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});

describe('handoff notifiers and outbox, against local SMTP, webhook and Teams services', () => {
  let db: TestDb;
  let smtp: SmtpSink;
  let hook: WebhookSink;
  let teams: FakeConnector;
  let clock: Date;
  const now = () => new Date(clock);
  const advance = (ms: number) => { clock = new Date(clock.getTime() + ms); };

  const email = (over: Partial<ConstructorParameters<typeof EmailNotifier>[0]> = {}) => new EmailNotifier({
    smtpUrl: smtp.url, from: 'Assistant DLA <assistant@dla-gironde.example>', publicUrl: PUBLIC_URL,
    emailTo: ['accueil@dla-gironde.example'],
    routes: { '33': ['gironde@dla.example', 'cheffe@dla.example'], '2A': ['corse@dla.example'] },
    timeoutMs: 2000, contactDelayWorkingDays: 3, ...over,
  });
  const webhook = (over: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) => new WebhookNotifier({ url: hook.url, secret: SECRET, contactDelayWorkingDays: 3, ...over });
  const teamsNotifier = (adapter = localAdapter(), serviceUrl = teams.url) =>
    new TeamsNotifier(adapter, { appId: '', conversationId: TEAMS_CHANNEL, serviceUrl, tenantId: TENANT, publicUrl: PUBLIC_URL, contactDelayWorkingDays: 3 });
  const outbox = (notifiers: Notifier[], options: Partial<HandoffOutboxOptions> = {}) =>
    new HandoffOutbox(db.connection, notifiers, { maxAttempts: 5, now, ...options });
  const delivery = (h: Handoff | undefined, kind: string) => h?.deliveries.find((d) => d.notifier === kind);

  beforeAll(async () => {
    db = await openTestDb('notifiers');
    smtp = await new SmtpSink().start();
    hook = await new WebhookSink(SECRET).start();
    teams = await new FakeConnector().start();
  });

  afterAll(async () => {
    await smtp.stop();
    await hook.stop();
    await teams.stop();
    await db.close();
  });

  beforeEach(async () => {
    clock = new Date('2026-03-02T09:00:00Z');
    smtp.mails.length = 0;
    hook.reset();
    teams.activities.length = 0;
    await db.connection.collection('handoffs').deleteMany({});
  });

  it('stores the handoff with one pending delivery per notifier, recipients included', async () => {
    const box = outbox([email(), webhook(), teamsNotifier()]);
    const created = await box.create(packet());
    const stored = await box.get(created._id);
    expect(stored?.status).toBe('open');
    expect(stored?.structureName).toBe('Les Jardins de Bègles <script>alert(1)</script>');
    expect(stored?.deliveries.map((d) => [d.notifier, d.status, d.attempts, d.recipients])).toEqual([
      ['email', 'pending', 0, ['gironde@dla.example', 'cheffe@dla.example']],
      ['webhook', 'pending', 0, [hook.url]],
      ['teams', 'pending', 0, [`msteams:${TEAMS_CHANNEL}`]],
    ]);
    expect(stored).not.toHaveProperty('nextDeliveryAt');
    // Typed as the dialogs' HandoffStore: the outbox is what HandoffService writes to.
    const store: HandoffStore = box;
    expect((await store.list({ dossierId: 'dossier-42' })).map((h) => h._id)).toEqual([created._id]);
  });

  it('e-mails are signed with the operator’s name (OPERATOR_NAME), in the text and the HTML, a contact update too', async () => {
    const [notifier] = createNotifiers(loadConfig({ SMTP_URL: smtp.url, HANDOFF_EMAIL_TO: 'accueil@dla-gironde.example', OPERATOR_NAME: 'DLA de la Gironde' }));
    const box = outbox([notifier]);
    const created = await box.create(packet({ contact: { name: 'Léa' } }));
    await box.drain();
    await box.addContact(created._id, { name: 'Léa Martin', email: 'lea@jardins.example' });
    await box.drain();
    expect(smtp.mails).toHaveLength(2);
    for (const mail of smtp.mails) {
      expect(mail.text).toContain('Message envoyé automatiquement par l’assistant numérique du DLA de la Gironde.');
      expect(mail.html).toContain('l’assistant numérique du DLA de la Gironde.');
    }
  });

  it('a new handoff says by when the structure was promised a call back: e-mail, webhook and Teams card; not without a way to reach it, nor from outside the territory', async () => {
    const config = loadConfig({
      SMTP_URL: smtp.url, HANDOFF_EMAIL_TO: 'accueil@dla-gironde.example', HANDOFF_WEBHOOK_URL: hook.url, HANDOFF_WEBHOOK_SECRET: SECRET,
      OPERATOR_DEPARTEMENTS: '33,24', CONTACT_DELAY_WORKING_DAYS: '5',
    });
    const { timeZone, departements, level } = config.operator;
    const card = new TeamsNotifier(localAdapter(), {
      appId: '', conversationId: TEAMS_CHANNEL, serviceUrl: teams.url, tenantId: TENANT, publicUrl: PUBLIC_URL,
      timeZone, contactDelayWorkingDays: 5, territory: { departements, level },
    });
    const box = outbox([...createNotifiers(config), card]);
    // Monday 2 March 2026, 10:00 in Paris: told « sous 5 jours ouvrés », so by Monday 9 March.
    await box.create(packet({ urgency: 'high', reason: 'user_request' }));
    await box.create(packet({ dossierId: 'd-name-only', structureName: 'Sans coordonnées', contact: { name: 'Léa' } }));
    await box.create(packet({ dossierId: 'd-landes', structureName: 'Asso des Landes', departement: '40' }));
    expect(await box.drain()).toEqual({ sent: 9, failed: 0, pending: 0 });

    const mailOf = (name: string) => smtp.mails.find((m) => m.subject.includes(name))!;
    const hookOf = (name: string) => hook.accepted.map((r) => JSON.parse(r.body) as { structure: string; callBackBy?: string }).find((b) => b.structure.includes(name))!;
    const cardOf = (name: string) => asRead(cardText(teams.activities.find((a) => (a.summary ?? '').includes(name))?.attachments?.[0]?.content));
    const urgent = mailOf('Les Jardins de Bègles');
    expect(asRead(urgent.text)).toMatch(/Reçue le : 02\/03\/2026 10:00\r?\nÀ rappeler au plus tard le : 09\/03\/2026\r?\n/);
    expect(asRead(urgent.html)).toContain('À rappeler au plus tard le</th><td>09/03/2026</td>');
    expect(hookOf('Les Jardins de Bègles').callBackBy).toBe('2026-03-09');
    expect(cardOf('Les Jardins de Bègles')).toContain('À rappeler au plus tard le : 09/03/2026');

    // Nobody can call back (a name alone), or its own DLA will (outside 33 and 24): no day promised.
    for (const name of ['Sans coordonnées', 'Asso des Landes']) {
      expect(mailOf(name).text).not.toContain('À rappeler');
      expect(hookOf(name)).not.toHaveProperty('callBackBy');
      expect(cardOf(name)).not.toContain('À rappeler');
    }
  });

  it('e-mails the chargé·es of the département (routes, else HANDOFF_EMAIL_TO), text and escaped HTML', async () => {
    const box = outbox([email()]);
    const gironde = await box.create(packet());
    const dordogne = await box.create(packet({ departement: '24', structureName: 'Ressourcerie du Périgord', dossierId: 'dossier-24' }));
    const corse = await box.create(packet({ departement: '2a', structureName: 'Cooperativa Corsa', dossierId: 'dossier-2a' }));
    expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(smtp.mails).toHaveLength(3);
    const mailFor = (structure: string) => smtp.mails.find((m) => m.subject.includes(structure))!;

    const g = mailFor('Les Jardins de Bègles');
    expect(asRead(g.subject)).toBe('[DLA] Nouvelle demande : Les Jardins de Bègles <script>alert(1)</script> (éligibilité à confirmer)');
    expect(g.envelopeTo.sort()).toEqual(['cheffe@dla.example', 'gironde@dla.example']);
    expect(g.headers.from).toContain('assistant@dla-gironde.example');
    expect(g.headers['x-dla-handoff']).toBe(gironde._id);
    expect(g.text).toContain('Structure : Les Jardins de Bègles');
    expect(g.text).toContain('- Votre structure emploie au moins une personne salariée.');
    expect(g.text).toContain('- Un·e chargé·e verra avec vous si le DLA est le bon appui.');
    expect(g.text).toContain(`${PUBLIC_URL}/admin/#/dossiers/dossier-42`);
    expect(g.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(g.html).not.toMatch(/<script/i);

    expect(mailFor('Ressourcerie du Périgord').envelopeTo).toEqual(['accueil@dla-gironde.example']);
    expect(mailFor('Cooperativa Corsa').envelopeTo).toEqual(['corse@dla.example']);

    const sent = delivery(await box.get(dordogne._id), 'email');
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, recipients: ['accueil@dla-gironde.example'] });
    expect(sent?.sentAt).toEqual(clock);
    expect(delivery(await box.get(corse._id), 'email')?.status).toBe('sent');
    expect(delivery(await box.get(gironde._id), 'email')?.status).toBe('sent');
  });

  it('a value of several lines in the text e-mail (a situation in paragraphs, a chargé·e’s note, a message added) goes on indented under its label: none of its lines reads as a label of its own', async () => {
    const box = outbox([email()]);
    const situation = 'Deux salariées à mi-temps.\n\nLe CA ne se réunit plus : personne ne veut être président.\nBénévoles : 12, en baisse';
    const note = 'Appel du 02/03.\nTrésorerie : 2 mois d’avance.';
    const message = 'Nouveau numéro : 07 88 99 00 11\nJoignable le matin';
    const created = await box.create(packet({
      answers: [{ label: 'Salarié·es', value: '3 ETP' }, { label: 'Projet d’embauche', value: 'Un·e coordinateur·rice\nen 2027 : à temps plein' }],
      diagnostic: { version: 1, facts: [{ label: 'Organisation', value: situation }], axes: ['Gouvernance'] },
      chargeDecision: { outcome: 'eligible', by: 'Claire Martin', at: new Date('2026-03-02T10:00:00Z'), note },
    }));
    await box.addMessage(created._id, message);
    await box.drain();
    const lines = smtp.mails[0].text.split(/\r?\n/);
    for (const value of [situation, note, message, 'Un·e coordinateur·rice\nen 2027 : à temps plein']) {
      const [first, ...rest] = value.split('\n');
      expect(lines.some((l) => l.endsWith(`: ${first}`) || l === `> ${first}`)).toBe(true);
      for (const line of rest.filter(Boolean)) {
        expect(lines).not.toContain(line);
        expect(lines.some((l) => l !== line && l.trim().replace(/^> /, '') === line && /^(?:\s+|> )/.test(l))).toBe(true);
      }
    }
  });

  it('gives up at once on an e-mail with no recipient for the département (nothing to retry)', async () => {
    const box = outbox([email({ emailTo: [], routes: { '33': ['gironde@dla.example'] } })]);
    const h = await box.create(packet({ departement: '47' }));
    expect(await box.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
    expect(delivery(await box.get(h._id), 'email')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('no e-mail recipient for département 47') });
    expect(smtp.mails).toHaveLength(0);
  });

  it('POSTs a signed webhook that the receiver verifies', async () => {
    const box = outbox([webhook()]);
    const h = await box.create(packet());
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(hook.requests).toHaveLength(1);
    const [req] = hook.requests;
    expect(req.verified).toBe(true);
    expect(req.headers['x-dla-delivery']).toBe(h._id);
    expect(req.headers['content-type']).toContain('application/json');
    const body = JSON.parse(req.body) as { event: string; structure: string | null; handoff: Handoff };
    expect(body.event).toBe('handoff.created');
    expect(body.structure).toBe('Les Jardins de Bègles <script>alert(1)</script>');
    expect(body.handoff).toMatchObject({ _id: h._id, reason: 'eligibility_to_confirm', departement: '33', structureName: 'Les Jardins de Bègles <script>alert(1)</script>' });
    expect(body.handoff).not.toHaveProperty('deliveries');
  });

  it('names the structure in the webhook as the e-mail does: its name, else its contact’s marked « (contact) », else null', async () => {
    const box = outbox([webhook(), email()]);
    await box.create(packet({ structureName: undefined, contact: { name: 'Léa Martin', email: 'lea@example.org' } }));
    await box.create(packet({ structureName: '  ', contact: undefined }));
    await box.drain();
    expect(hook.requests.map((r) => (JSON.parse(r.body) as { structure: string | null }).structure).sort()).toEqual(['Léa Martin (contact)', null].sort());
    expect(smtp.mails.map((m) => asRead(String(m.subject)))).toEqual(expect.arrayContaining([expect.stringContaining('Léa Martin (contact)')]));
  });

  it('counts a webhook signed with another secret as refused by the receiver (and retries it)', async () => {
    const box = outbox([webhook({ secret: 'not-the-receivers-secret' })]);
    const h = await box.create(packet());
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(hook.requests.map((r) => r.verified)).toEqual([false]);
    expect(delivery(await box.get(h._id), 'webhook')?.lastError).toBe('webhook answered HTTP 401 Unauthorized');
  });

  it('treats a webhook that does not answer in time as failed', async () => {
    hook.hang = true;
    const box = outbox([webhook({ timeoutMs: 300 })]);
    const h = await box.create(packet());
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(delivery(await box.get(h._id), 'webhook')?.lastError).toBe('webhook did not answer within 300 ms');
  });

  it('posts the card proactively into the chargé·es’ Teams channel', async () => {
    const box = outbox([teamsNotifier()]);
    const h = await box.create(packet({ urgency: 'high' }));
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    const posted = teams.activities.filter((a) => a.conversation?.id === TEAMS_CHANNEL);
    expect(posted).toHaveLength(1);
    const [activity] = posted;
    expect(activity.type).toBe('message');
    expect(activity.channelId).toBe('msteams');
    expect(activity.conversation).toMatchObject({ id: TEAMS_CHANNEL, conversationType: 'channel', tenantId: TENANT });
    expect(activity.channelData).toEqual({ tenant: { id: TENANT } });
    expect(asRead(activity.summary!)).toBe('[DLA] URGENT · Nouvelle demande : Les Jardins de Bègles <script>alert(1)</script> (éligibilité à confirmer)');
    const attachment = activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment?.content as { version: string; body: { type: string; facts?: { title: string; value: string }[] }[]; actions: { type: string; url: string }[] };
    expect(card.version).toBe('1.4');
    expect(card.body.find((b) => b.type === 'FactSet')?.facts).toEqual(expect.arrayContaining([{ title: 'Urgence', value: 'haute' }]));
    expect(card.actions.at(-1)).toMatchObject({ type: 'Action.OpenUrl', url: `${PUBLIC_URL}/admin/#/dossiers/dossier-42` });
    // The card's activity id, for the card to be updated in place once claimed.
    expect(delivery(await box.get(h._id), 'teams')).toMatchObject({ status: 'sent', recipients: [`msteams:${TEAMS_CHANNEL}`], messageId: /^reply-\d+$/ });
  });

  it('keeps a Teams delivery pending when the connector is down, even behind an adapter with onTurnError', async () => {
    const adapter = localAdapter();
    const onTurnError = jest.fn(async (context: TurnContext) => { await context.sendActivity('Désolé, un problème technique…').catch(() => undefined); });
    adapter.onTurnError = onTurnError;
    const closed = await new FakeConnector().start();
    await closed.stop(); // a port where nothing listens any more
    const box = outbox([teamsNotifier(adapter, closed.url)]);
    const h = await box.create(packet());
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    const d = delivery(await box.get(h._id), 'teams');
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d?.lastError).toMatch(/^Teams connector refused the card: .*ECONNREFUSED/);
    expect(onTurnError).not.toHaveBeenCalled();
  });

  it('webhook down then up: retried after the backoff, delivered once, the other notifiers unaffected', async () => {
    hook.status = 500;
    const box = outbox([email(), webhook()]);
    const h = await box.create(packet());

    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 });
    let stored = await box.get(h._id);
    expect(stored?.status).toBe('open');
    expect(delivery(stored, 'email')?.status).toBe('sent');
    expect(delivery(stored, 'webhook')).toMatchObject({
      status: 'pending', attempts: 1, lastError: 'webhook answered HTTP 500 Internal Server Error', nextAttemptAt: new Date(clock.getTime() + 30_000),
    });

    hook.status = 200;
    advance(29_000);
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 }); // not due yet
    expect(hook.requests).toHaveLength(1);

    advance(1_000);
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    stored = await box.get(h._id);
    expect(delivery(stored, 'webhook')).toMatchObject({ status: 'sent', attempts: 2, sentAt: clock });
    expect(hook.requests.map((r) => r.answered)).toEqual([500, 200]);
    expect(hook.accepted).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect((await box.list()).map((x) => x._id)).toEqual([h._id]);
  });

  it('SMTP server stopped then back: the e-mail waits, then goes out exactly once', async () => {
    const port = smtp.port;
    await smtp.stop();
    try {
      const box = outbox([email(), webhook()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 });
      const waiting = delivery(await box.get(h._id), 'email');
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
      expect(waiting?.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());

      await smtp.start(port);
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(smtp.mails).toHaveLength(1);
      expect(hook.accepted).toHaveLength(1);
      expect(delivery(await box.get(h._id), 'email')).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      if (!smtp.running) await smtp.start(port); // the tests after this one mail to the same sink
    }
  });

  it('two concurrent drains, and a drain during a drain, send once', async () => {
    hook.delayMs = 300;
    const box = outbox([webhook()]);
    await box.create(packet());
    const firstRequest = hook.nextRequest();
    const both = Promise.all([box.drain(), box.drain()]);
    await firstRequest; // the first drain is sending now
    const during = box.drain();
    const [a, b] = await both;
    const c = await during;
    expect(hook.requests).toHaveLength(1);
    expect(a.sent + c.sent).toBe(1);
    expect(b.sent).toBeLessThanOrEqual(1);
    expect(c).toEqual({ sent: 0, failed: 0, pending: 0 });
  });

  it('a handoff due that the list of those due lost (a restore, a hand edit) is delivered by the drain\'s full scan within 10 minutes, once; a message added too', async () => {
    const box = outbox([webhook()]);
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 }); // its full scan at start
    const h = await box.create(packet());
    await db.connection.collection('handoffs_due').deleteMany({});
    advance(FULL_SCAN_MS);
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    expect(hook.accepted).toHaveLength(1);

    advance(60_000);
    await box.addMessage(h._id, 'Trésorerie tendue');
    await db.connection.collection('handoffs_due').deleteMany({});
    advance(FULL_SCAN_MS);
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    expect(hook.accepted.map((r) => JSON.parse(r.body).event)).toEqual(['handoff.created', 'handoff.messageAdded']);
  });

  it('marks a delivery failed after maxAttempts, then stops trying; retry() puts it back', async () => {
    hook.status = 503;
    const box = outbox([webhook()], { maxAttempts: 3 });
    const h = await box.create(packet());
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    advance(3_600_000);
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    advance(3_600_000);
    expect(await box.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
    expect(delivery(await box.get(h._id), 'webhook')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'webhook answered HTTP 503 Service Unavailable' });
    advance(3_600_000);
    expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
    expect(hook.requests).toHaveLength(3);
    expect((await box.get(h._id))?.status).toBe('open'); // the handoff itself is kept

    hook.status = 200;
    await box.retry(h._id);
    expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(delivery(await box.get(h._id), 'webhook')).toMatchObject({ status: 'sent', attempts: 1 });
    // Nothing failed any more: nothing to put back.
    await expect(box.retry(h._id)).rejects.toMatchObject({ code: 'nothing_to_retry' });
    await expect(box.retry('nope')).rejects.toMatchObject({ code: 'not_found' });
    expect(hook.accepted).toHaveLength(1);
  });

  describe('several instances (processes) on one database', () => {
    const LEASE_MS = 120_000;
    let second: Connection;
    beforeAll(async () => {
      // A second connection: a second process on the same database.
      second = await connectWithRetry(db.uri, { maxAttempts: 3, initialDelayMs: 200 });
    });
    afterAll(async () => {
      await second?.close();
    });
    beforeEach(async () => {
      await db.connection.collection('handoff_leases').deleteMany({});
    });
    const instance = (id: string, notifiers: Notifier[], connection = db.connection) =>
      new HandoffOutbox(connection, notifiers, { maxAttempts: 5, now, instanceId: id, leaseMs: LEASE_MS });
    /** How many messages each handoff got at a receiver, by the structure named in each. */
    const perStructure = (texts: string[]) => texts.map((x) => /Structure \d+/.exec(asRead(x))?.[0] ?? x)
      .reduce<Record<string, number>>((n, name) => ({ ...n, [name]: (n[name] ?? 0) + 1 }), {});

    it('two instances draining concurrently: the SMTP server, the webhook and the Teams channel each get each handoff exactly once', async () => {
      hook.delayMs = 40; // sends take a while: the instances' drains overlap
      const a = instance('A', [email(), webhook(), teamsNotifier()]);
      const b = instance('B', [email(), webhook(), teamsNotifier()], second);
      const names = Array.from({ length: 8 }, (_, i) => `Structure ${i + 1}`);
      const made = [];
      for (const [i, name] of names.entries()) made.push(await (i % 2 ? a : b).create(packet({ structureName: name, dossierId: `dossier-${i + 1}` })));
      const results = [];
      for (let round = 0; round < 3; round++) results.push(...await Promise.all([a.drain(), b.drain()]));

      const once = Object.fromEntries(names.map((n) => [n, 1]));
      expect(perStructure(smtp.mails.map((m) => m.subject))).toEqual(once);
      expect(perStructure(hook.requests.map((r) => r.body))).toEqual(once);
      expect(perStructure(teams.activities.map((x) => String(x.summary)))).toEqual(once);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(24);
      // Both took part (A's drains are the even ones).
      expect(results.filter((_, i) => i % 2 === 0).some((r) => r.sent) && results.filter((_, i) => i % 2 === 1).some((r) => r.sent)).toBe(true);
      for (const h of made) expect((await a.get(h._id))?.deliveries.map((d) => [d.status, d.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
    });

    it('an instance that dies holding a lease: the other sends after the lease expires, once; the dead one, if it wakes, records nothing over it', async () => {
      // A freezes before its request leaves (killed, or stalled): its send never ends until the test says so.
      const kills: ((err: Error) => void)[] = [];
      const frozen: Notifier = { kind: 'webhook', recipients: () => [hook.url], send: () => new Promise((_, reject) => kills.push(reject)) };
      const a = instance('A', [frozen]);
      const b = instance('B', [webhook()], second);
      const h = await a.create(packet());
      const aDrain = a.drain();
      await until(() => kills.length === 1);

      expect(await b.drain()).toEqual({ sent: 0, failed: 0, pending: 0 }); // A's lease is live
      advance(LEASE_MS - 1);
      expect(await b.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(hook.requests).toHaveLength(0);
      advance(1);
      expect(await b.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(hook.accepted).toHaveLength(1);

      // A wakes up with a failure: too late, its lease is gone; B's record stands.
      kills[0](new Error('process killed'));
      expect(await aDrain).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(delivery(await b.get(h._id), 'webhook')).toMatchObject({ status: 'sent', attempts: 1 });
      advance(LEASE_MS);
      expect(await a.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(await b.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(hook.requests).toHaveLength(1);
    });

    it('retry() while another instance is sending the handoff is refused as busy, and accepted once that is recorded', async () => {
      hook.status = 500;
      const noRecipient = () => email({ emailTo: [], routes: {} });
      const a = instance('A', [noRecipient(), webhook()]);
      const b = instance('B', [noRecipient(), webhook()], second);
      const h = await a.create(packet());
      expect(await a.drain()).toEqual({ sent: 0, failed: 1, pending: 1 });
      hook.status = 200;
      hook.delayMs = 300;
      advance(30_000);
      const arrived = hook.nextRequest();
      const sending = a.drain();
      await arrived; // A holds the handoff's lease, its webhook on the way
      await expect(b.retry(h._id)).rejects.toMatchObject({ code: 'busy' });
      expect(await sending).toEqual({ sent: 1, failed: 0, pending: 0 });
      const retried = await b.retry(h._id);
      expect(retried.deliveries.map((d) => [d.notifier, d.status, d.attempts])).toEqual([['email', 'pending', 0], ['webhook', 'sent', 2]]);
      expect(delivery(await a.get(h._id), 'email')).toMatchObject({ status: 'pending', attempts: 0 });
      expect(hook.accepted).toHaveLength(1);
    });
  });

  it('the timer-driven loop delivers a new handoff without an explicit drain, and stops', async () => {
    const box = outbox([webhook()]);
    box.start(60_000);
    try {
      const arrived = hook.nextRequest();
      await box.create(packet());
      await arrived;
    } finally {
      await box.stop();
    }
    expect(hook.accepted).toHaveLength(1);
    const [h] = await box.list();
    expect(delivery(h, 'webhook')?.status).toBe('sent');
  });

  it('claims and closes: open → claimed → closed, an open one can be closed, invalid moves throw', async () => {
    const box = outbox([]);
    const h = await box.create(packet());
    advance(60_000);
    const claimed = await box.claim(h._id, 'Lucie (chargée Gironde)');
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: 'Lucie (chargée Gironde)', claimedAt: clock });
    await expect(box.claim(h._id, 'Marc')).rejects.toMatchObject({ name: 'HandoffStateError', code: 'invalid_transition', from: 'claimed', to: 'claimed' });
    advance(60_000);
    expect(await box.close(h._id, 'Lucie (chargée Gironde)')).toMatchObject({ status: 'closed', closedAt: clock });
    expect(await box.get(h._id)).toMatchObject({ status: 'closed', claimedBy: 'Lucie (chargée Gironde)', closedAt: clock });
    await expect(box.claim(h._id, 'Marc')).rejects.toBeInstanceOf(HandoffStateError);
    // Closed by mistake: reopened, it forgets who took it up and closed it; then claimed again, by name.
    const reopened = await box.reopen(h._id);
    expect(reopened.status).toBe('open');
    for (const key of ['claimedBy', 'claimedAt', 'closedBy', 'closedAt']) expect(await box.get(h._id)).not.toHaveProperty(key);
    expect(await box.claim(h._id, 'marc@dla.test', 'Marc Dupuis')).toMatchObject({ status: 'claimed', claimedBy: 'marc@dla.test', claimedByName: 'Marc Dupuis' });

    const other = await box.create(packet({ dossierId: 'dossier-43' }));
    expect(await box.close(other._id, 'Marc')).toMatchObject({ status: 'closed', claimedBy: 'Marc' });
    await expect(box.close(other._id, 'Marc')).rejects.toMatchObject({ code: 'invalid_transition' });

    const third = await box.create(packet({ dossierId: 'dossier-44' }));
    await box.claim(third._id, 'Marc');
    const released = await box.setStatus(third._id, 'open');
    expect(released.status).toBe('open');
    expect(await box.get(third._id)).not.toHaveProperty('claimedBy');

    await expect(box.claim('no-such-handoff', 'Marc')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists by status and département, newest first; create with an existing id returns the stored one', async () => {
    const box = outbox([]);
    const a = await box.create(packet({ _id: 'h-a', departement: '33' }));
    advance(1000);
    const b = await box.create(packet({ _id: 'h-b', departement: '24' }));
    advance(1000);
    const c = await box.create(packet({ _id: 'h-c', departement: '33' }));
    await box.claim(c._id, 'Lucie');
    expect((await box.list()).map((h) => h._id)).toEqual(['h-c', 'h-b', 'h-a']);
    expect((await box.list({ departement: '33' })).map((h) => h._id)).toEqual(['h-c', 'h-a']);
    expect((await box.list({ status: 'open' })).map((h) => h._id)).toEqual(['h-b', 'h-a']);
    expect((await box.list({ status: 'claimed', departement: '24' }))).toEqual([]);
    const again = await box.create(packet({ _id: 'h-a', departement: '47' }));
    expect(again).toMatchObject({ _id: 'h-a', departement: '33', createdAt: a.createdAt });
    expect(await box.list()).toHaveLength(3);
    expect(b.departement).toBe('24');
  });

  describe('a contact left after the handoff went out without one', () => {
    const NONE = { sent: 0, failed: 0, pending: 0 };
    /** Passed on with a name alone: nobody can call back. */
    const unreachable = () => packet({ contact: { name: 'Camille' } });
    const contact = { name: 'Camille [Martin](https://evil.example) <i>', email: 'camille@jardins.example', phone: '05 56 00 00 00' };
    const updates = (h: Handoff | undefined, kind: string) => h?.deliveries.filter((d) => d.notifier === kind && d.event === 'contactAdded') ?? [];
    const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { event: string; id?: string; callBackBy?: string; handoff: Handoff };

    it('every notifier that delivered the handoff sends one update: the contact and the new call-back day', async () => {
      const box = outbox([email(), webhook(), teamsNotifier()]);
      const h = await box.create(unreachable());
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      advance(27 * 3_600_000); // Tuesday 3 March, 13:00 in Paris
      await box.addContact(h._id, contact);
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);

      // The e-mail: to the same chargé·es (routed by département), an answer to the first message.
      expect(smtp.mails).toHaveLength(2);
      const [first, update] = smtp.mails;
      expect(asRead(update.subject)).toBe('[DLA] Coordonnées reçues : Les Jardins de Bègles <script>alert(1)</script>');
      expect(update.envelopeTo.sort()).toEqual(['cheffe@dla.example', 'gironde@dla.example']);
      expect(update.headers['in-reply-to']).toBe(first.headers['message-id']);
      expect(update.headers['message-id']).not.toBe(first.headers['message-id']);
      const text = asRead(update.text);
      expect(text).toContain('- E-mail : camille@jardins.example');
      expect(text).toContain('- Téléphone : 05 56 00 00 00');
      expect(text).toContain('Rappel promis à la structure au plus tard le 06/03/2026 (coordonnées laissées le 03/03/2026).');
      expect(text).toContain(`${PUBLIC_URL}/admin/#/dossiers/dossier-42`);
      expect(update.html).toContain('Camille [Martin](https://evil.example) &lt;i&gt;');
      expect(update.html).not.toMatch(/<script|<i>/i);

      // The webhook: its own event, signed, with an id of its own for the receiver to drop a duplicate.
      expect(hook.accepted).toHaveLength(2);
      const [created, added] = hook.accepted;
      expect(added.verified).toBe(true);
      expect(added.headers['x-dla-event']).toBe('handoff.contactAdded');
      expect(added.headers['x-dla-delivery']).not.toBe(created.headers['x-dla-delivery']);
      const body = bodyOf(added);
      expect(body).toMatchObject({ event: 'handoff.contactAdded', id: added.headers['x-dla-delivery'], callBackBy: '2026-03-06', handoff: { _id: h._id, contact } });
      expect(body.handoff).not.toHaveProperty('deliveries');

      // The Teams channel: a second card, no disguised link in it.
      expect(teams.activities).toHaveLength(2);
      expect(asRead(teams.activities[1].summary!)).toBe('[DLA] Coordonnées reçues : Les Jardins de Bègles <script>alert(1)</script>');
      const card = asRead(cardText(teams.activities[1].attachments?.[0]?.content));
      expect(card).toContain('Téléphone : 05 56 00 00 00');
      expect(card).toContain('au plus tard le 06/03/2026');
      expect(card).toContain('Camille \\[Martin\\](https://evil.example)');

      // Stored with the handoff, as the back-office shows each delivery.
      expect((await box.get(h._id))?.deliveries.map((d) => [d.notifier, d.event ?? 'created', d.status, d.attempts])).toEqual([
        ['email', 'created', 'sent', 1], ['webhook', 'created', 'sent', 1], ['teams', 'created', 'sent', 1],
        ['email', 'contactAdded', 'sent', 1], ['webhook', 'contactAdded', 'sent', 1], ['teams', 'contactAdded', 'sent', 1],
      ]);
    });

    it('the webhook down when the contact comes: its update waits for the backoff, then goes once; the e-mail does not wait', async () => {
      const box = outbox([email(), webhook()]);
      const h = await box.create(unreachable());
      await box.drain();
      hook.status = 500;
      await box.addContact(h._id, contact);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 });
      expect(updates(await box.get(h._id), 'webhook')).toMatchObject([{ status: 'pending', attempts: 1, lastError: 'webhook answered HTTP 500 Internal Server Error' }]);

      hook.status = 200;
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      expect(hook.requests.map((r) => [bodyOf(r).event, r.answered])).toEqual([['handoff.created', 200], ['handoff.contactAdded', 500], ['handoff.contactAdded', 200]]);
      expect(hook.requests[2].headers['x-dla-delivery']).toBe(hook.requests[1].headers['x-dla-delivery']);
      expect(updates(await box.get(h._id), 'webhook')).toMatchObject([{ status: 'sent', attempts: 2 }]);
      expect(smtp.mails).toHaveLength(2);
    });

    it('a notifier that has not delivered the handoff yet sends the contact in its first message, and no update', async () => {
      hook.status = 500;
      const box = outbox([email(), webhook()]);
      const h = await box.create(unreachable());
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 }); // the e-mail went, without a contact
      await box.addContact(h._id, contact);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 }); // the e-mail's update; the webhook is not due yet
      hook.status = 200;
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      expect(hook.accepted.map((r) => [bodyOf(r).event, bodyOf(r).handoff.contact])).toEqual([['handoff.created', contact]]);
      expect(smtp.mails.map((m) => asRead(m.subject).split(' : ')[0])).toEqual(['[DLA] Nouvelle demande', '[DLA] Coordonnées reçues']);
      expect(updates(await box.get(h._id), 'webhook')).toEqual([]);
    });

    it('a contact added while the first message is on its way: the update follows it', async () => {
      hook.delayMs = 300;
      const box = outbox([webhook()]);
      const h = await box.create(unreachable());
      const arrived = hook.nextRequest();
      const draining = box.drain();
      await arrived; // sent without the contact, not recorded yet
      await box.addContact(h._id, contact);
      expect(await draining).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      expect(hook.accepted.map((r) => [bodyOf(r).event, bodyOf(r).handoff.contact?.phone])).toEqual([['handoff.created', undefined], ['handoff.contactAdded', '05 56 00 00 00']]);
    });

    it('concurrent drains send the update once; queued again after a crash before its record, by this or another instance, it keeps its id', async () => {
      hook.delayMs = 200;
      const box = outbox([email(), webhook()]);
      const h = await box.create(unreachable());
      await box.drain();
      await box.addContact(h._id, contact);
      const handoffs = db.connection.collection('handoffs');
      const beforeRecord = await handoffs.findOne({ _id: h._id as never });
      const firstRequest = hook.nextRequest();
      const both = Promise.all([box.drain(), box.drain()]);
      await firstRequest;
      const during = box.drain();
      await both;
      expect(await during).toEqual(NONE);
      expect(hook.accepted).toHaveLength(2);
      expect(smtp.mails).toHaveLength(2);

      // The sends happened, their record was lost (a crash): once the crashed instance's lease has
      // expired, another instance sends them again, under the same ids.
      await handoffs.replaceOne({ _id: h._id as never }, beforeRecord!);
      const other = outbox([email(), webhook()]);
      expect(await other.drain()).toEqual(NONE);
      advance(120_000);
      expect(await other.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
      expect(hook.accepted.map((r) => bodyOf(r).event)).toEqual(['handoff.created', 'handoff.contactAdded', 'handoff.contactAdded']);
      expect(hook.accepted[2].headers['x-dla-delivery']).toBe(hook.accepted[1].headers['x-dla-delivery']);
      expect(smtp.mails[2].headers['message-id']).toBe(smtp.mails[1].headers['message-id']);
      expect(updates(await box.get(h._id), 'webhook')).toHaveLength(1);
    });

    it('a closed handoff gets no update (nobody is to call), not even once reopened', async () => {
      const box = outbox([webhook()]);
      const h = await box.create(unreachable());
      await box.drain();
      await box.close(h._id, 'lea.bernard@dla33.example', 'Léa Bernard');
      await box.addContact(h._id, contact);
      expect(await box.drain()).toEqual(NONE);
      await box.reopen(h._id, 'lea.bernard@dla33.example', 'Léa Bernard');
      expect(await box.drain()).toEqual(NONE);
      expect(hook.requests).toHaveLength(1);
      expect(updates(await box.get(h._id), 'webhook')).toEqual([]);
    });
  });

  describe('a contact corrected by the structure after the handoff went out', () => {
    const NONE = { sent: 0, failed: 0, pending: 0 };
    const corrected = { name: 'Camille Martin', email: 'camille@jardins.example', phone: '05 56 11 11 11' };
    const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { event: string; id?: string; callBackBy?: string; handoff: Handoff };

    it('every notifier that delivered it sends « Coordonnées corrigées » with the new contact only (the old one said replaced, not shown); the call-back day stays', async () => {
      const box = outbox([email(), webhook(), teamsNotifier()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      advance(27 * 3_600_000); // Tuesday 3 March, 13:00 in Paris
      await box.updateContact(h._id, corrected);
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);

      const [first, update] = smtp.mails;
      expect(smtp.mails).toHaveLength(2);
      expect(asRead(update.subject)).toBe('[DLA] Coordonnées corrigées : Les Jardins de Bègles <script>alert(1)</script>');
      expect(update.headers['in-reply-to']).toBe(first.headers['message-id']);
      const text = asRead(update.text);
      expect(text).toContain('La structure a corrigé ses coordonnées le 03/03/2026');
      expect(text).toContain('celles ci-dessous remplacent celles transmises auparavant');
      expect(text).toContain('- Téléphone : 05 56 11 11 11');
      expect(text).not.toContain('05 56 00 00 00');
      expect(update.html).not.toContain('05 56 00 00 00');
      expect(text).not.toContain('Rappel promis'); // the promise made when the request went out stands

      const [, changed] = hook.accepted;
      expect(hook.accepted).toHaveLength(2);
      expect(changed.verified).toBe(true);
      expect(changed.headers['x-dla-event']).toBe('handoff.contactUpdated');
      const body = bodyOf(changed);
      expect(body).toMatchObject({ event: 'handoff.contactUpdated', id: changed.headers['x-dla-delivery'], handoff: { _id: h._id, contact: corrected } });
      expect(body).not.toHaveProperty('callBackBy');
      expect(body.handoff.contactUpdatedAt).toBeDefined();

      expect(asRead(teams.activities[1].summary!)).toBe('[DLA] Coordonnées corrigées : Les Jardins de Bègles <script>alert(1)</script>');
      const card = asRead(cardText(teams.activities[1].attachments?.[0]?.content));
      expect(card).toContain('Téléphone : 05 56 11 11 11');
      expect(card).not.toContain('05 56 00 00 00');

      expect((await box.get(h._id))?.deliveries.map((d) => [d.notifier, d.event ?? 'created', d.status])).toEqual([
        ['email', 'created', 'sent'], ['webhook', 'created', 'sent'], ['teams', 'created', 'sent'],
        ['email', 'contactUpdated', 'sent'], ['webhook', 'contactUpdated', 'sent'], ['teams', 'contactUpdated', 'sent'],
      ]);

      // Corrected again: one more update, with an id of its own.
      advance(60_000);
      await box.updateContact(h._id, { ...corrected, phone: '05 56 22 22 22' });
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      expect(hook.accepted.map((r) => [bodyOf(r).event, bodyOf(r).handoff.contact?.phone])).toEqual([
        ['handoff.created', '05 56 00 00 00'], ['handoff.contactUpdated', '05 56 11 11 11'], ['handoff.contactUpdated', '05 56 22 22 22'],
      ]);
      expect(hook.accepted[2].headers['x-dla-delivery']).not.toBe(hook.accepted[1].headers['x-dla-delivery']);
    });

    it('not delivered yet: the first message carries the corrected contact, and no update; a closed handoff is left as it is', async () => {
      hook.status = 500;
      const box = outbox([webhook()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
      await box.updateContact(h._id, corrected);
      hook.status = 200;
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      expect(hook.accepted.map((r) => [bodyOf(r).event, bodyOf(r).handoff.contact?.phone])).toEqual([['handoff.created', '05 56 11 11 11']]);

      await box.close(h._id, 'lea.bernard@dla33.example', 'Léa Bernard');
      expect(await box.updateContact(h._id, { ...corrected, phone: '05 56 22 22 22' })).toBeUndefined();
      expect(await box.drain()).toEqual(NONE);
      expect((await box.get(h._id))?.contact?.phone).toBe('05 56 11 11 11');
    });
  });

  describe('a message added by the structure after the handoff went out', () => {
    const NONE = { sent: 0, failed: 0, pending: 0 };
    const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { event: string; id?: string; handoff: Handoff };
    const messageUpdates = (h: Handoff | undefined) => h?.deliveries.filter((d) => d.event === 'messageAdded') ?? [];

    it('each notifier that delivered it gets one « Message de la structure » with every message, newest last (escaped); a second message is one more update', async () => {
      const box = outbox([email(), webhook(), teamsNotifier()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      advance(3_600_000);
      const added = await box.addMessage(h._id, 'Trésorerie tendue <b>urgente</b>');
      expect(added).toMatchObject({ handoff: { messages: [{ text: 'Trésorerie tendue <b>urgente</b>' }] } });
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);

      const [first, update] = smtp.mails;
      expect(smtp.mails).toHaveLength(2);
      expect(asRead(update.subject)).toBe('[DLA] Message de la structure : Les Jardins de Bègles <script>alert(1)</script>');
      expect(update.headers['in-reply-to']).toBe(first.headers['message-id']);
      const text = asRead(update.text);
      expect(text).toContain('La structure a ajouté un message à sa demande reçue le 02/03/2026');
      expect(text).toContain('Messages ajoutés par la structure :');
      expect(update.text).toMatch(/Le 02\/03\/2026\s11:00 :\r?\n> Trésorerie tendue <b>urgente<\/b>/);
      expect(update.html).toContain('Trésorerie tendue &lt;b&gt;urgente&lt;/b&gt;');
      expect(update.html).not.toContain('<b>urgente</b>');

      const [, hooked] = hook.accepted;
      expect(hook.accepted).toHaveLength(2);
      expect(hooked.verified).toBe(true);
      expect(hooked.headers['x-dla-event']).toBe('handoff.messageAdded');
      expect(hooked.headers['x-dla-delivery']).not.toBe(h._id);
      expect(bodyOf(hooked)).toMatchObject({ event: 'handoff.messageAdded', id: hooked.headers['x-dla-delivery'], handoff: { _id: h._id, messages: [{ text: 'Trésorerie tendue <b>urgente</b>' }] } });

      expect(asRead(teams.activities[1].summary!)).toBe('[DLA] Message de la structure : Les Jardins de Bègles <script>alert(1)</script>');
      expect(asRead(cardText(teams.activities[1].attachments?.[0]?.content))).toContain('Trésorerie tendue <b>urgente</b>');

      advance(60_000);
      await box.addMessage(h._id, 'j’oubliais : nos 3 contrats aidés finissent en juin');
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      const last = bodyOf(hook.accepted[2]);
      expect(last.handoff.messages?.map((m) => m.text)).toEqual(['Trésorerie tendue <b>urgente</b>', 'j’oubliais : nos 3 contrats aidés finissent en juin']);
      expect(hook.accepted[2].headers['x-dla-delivery']).not.toBe(hooked.headers['x-dla-delivery']);
      expect(asRead(smtp.mails[2].text)).toMatch(/Trésorerie tendue[\s\S]*nos 3 contrats aidés/);
      expect((await box.get(h._id))?.deliveries.map((d) => [d.notifier, d.event ?? 'created', d.status])).toEqual([
        ['email', 'created', 'sent'], ['webhook', 'created', 'sent'], ['teams', 'created', 'sent'],
        ['email', 'messageAdded', 'sent'], ['webhook', 'messageAdded', 'sent'], ['teams', 'messageAdded', 'sent'],
        ['email', 'messageAdded', 'sent'], ['webhook', 'messageAdded', 'sent'], ['teams', 'messageAdded', 'sent'],
      ]);
    });

    it('a notifier down then up: one update, retried under one id, carrying the messages added meanwhile — no duplicate; the others are not held', async () => {
      const box = outbox([email(), webhook()]);
      const h = await box.create(packet());
      await box.drain();
      hook.status = 503;
      await box.addMessage(h._id, 'Trésorerie tendue');
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 });
      await box.addMessage(h._id, 'on a aussi un souci avec notre local');
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 1 }); // the e-mail: one more update; the webhook: still down
      hook.status = 200;
      advance(60_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      const events = hook.requests.filter((r) => r.headers['x-dla-event'] === 'handoff.messageAdded');
      expect(events).toHaveLength(3); // two refused, one accepted
      expect(new Set(events.map((r) => r.headers['x-dla-delivery'])).size).toBe(1);
      expect(hook.accepted.map((r) => bodyOf(r).event)).toEqual(['handoff.created', 'handoff.messageAdded']);
      expect(bodyOf(hook.accepted[1]).handoff.messages?.map((m) => m.text)).toEqual(['Trésorerie tendue', 'on a aussi un souci avec notre local']);
      expect(messageUpdates(await box.get(h._id)).map((d) => [d.notifier, d.status])).toEqual([['email', 'sent'], ['webhook', 'sent'], ['email', 'sent']]);
    });

    it('withdrawn by the structure: each notifier that delivered it says so — « Demande retirée par la structure » by e-mail and on a Teams card, the webhook’s status `withdrawn` — with its words; its cards show it closed by the structure, named in the reader’s language', async () => {
      const box = outbox([email(), webhook(), teamsNotifier()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
      const updatedBefore = teams.updates.length;
      advance(3_600_000);
      const service = new HandoffService(box, { operatorName: 'DLA de la Gironde', contactDelayWorkingDays: 3 });
      expect(await service.withdraw(h._id, 'je voudrais annuler ma demande')).toMatchObject({ status: 'closed', closedBy: 'structure' });
      // Who closed it is stored as a code, never as a sentence in one language.
      const stored = (await box.get(h._id))!;
      expect(stored).not.toHaveProperty('closedByName');
      // The update of each notifier, and the Teams card shown closed.
      expect(await box.drain()).toEqual({ sent: 4, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);

      const mail = smtp.mails[1];
      expect(smtp.mails).toHaveLength(2);
      expect(asRead(mail.subject)).toBe('[DLA] Demande retirée par la structure : Les Jardins de Bègles <script>alert(1)</script>');
      expect(asRead(mail.text)).toContain('La structure a retiré le 02/03/2026 11:00 sa demande reçue le 02/03/2026 10:00 : personne n’a plus à la rappeler.');
      expect(mail.text).toMatch(/> je voudrais annuler ma demande/);
      expect(bodyOf(hook.accepted[1])).toMatchObject({ event: 'handoff.messageAdded', status: 'withdrawn', handoff: { _id: h._id, status: 'closed', closedBy: 'structure', messages: [{ text: 'je voudrais annuler ma demande' }] } });
      expect((JSON.parse(hook.accepted[0].body) as { status: string }).status).toBe('open');

      expect(asRead(teams.activities[1].summary!)).toBe('[DLA] Demande retirée par la structure : Les Jardins de Bègles <script>alert(1)</script>');
      const posted = asRead(cardText(teams.activities[1].attachments?.[0]?.content));
      expect(posted).toContain('Demande retirée par la structure : Les Jardins de Bègles');
      expect(posted).toContain('je voudrais annuler ma demande');
      expect(posted).toContain('Close par la structure (demande retirée) le 02/03/2026 11:00.');
      // The handoff's own card, updated in place.
      const [updated] = teams.updates.slice(updatedBefore);
      expect(updated.id).toBe(delivery(stored, 'teams')?.messageId);
      expect(asRead(cardText(updated.attachments?.[0]?.content))).toContain('Close par la structure (demande retirée) le 02/03/2026 11:00.');

      // In English for English-speaking chargé·es — and a handoff withdrawn before, which holds the French name, too.
      const en = translator('en');
      for (const withdrawn of [stored, { ...stored, claimedByName: 'la structure (demande retirée)', closedByName: 'la structure (demande retirée)' }]) {
        const card = asRead(cardText(teamsCard(withdrawn, en, { publicUrl: PUBLIC_URL })));
        expect(card).toContain('Request withdrawn by the organisation');
        expect(card).toContain('Closed by the organisation (request withdrawn) on');
        expect(card).not.toContain('demande retirée');
        expect(asRead(renderUpdateSubject(withdrawn, en, 'messageAdded'))).toBe('[DLA] Request withdrawn by the organisation: Les Jardins de Bègles <script>alert(1)</script>');
      }
    });

    it('not delivered yet: the first message carries it, no update; closed: refused, nobody told; full: refused beyond the cap', async () => {
      hook.status = 500;
      const box = outbox([webhook()]);
      const h = await box.create(packet());
      expect(await box.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
      await box.addMessage(h._id, 'Trésorerie tendue');
      hook.status = 200;
      advance(30_000);
      expect(await box.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(await box.drain()).toEqual(NONE);
      expect(hook.accepted.map((r) => [bodyOf(r).event, bodyOf(r).handoff.messages?.length])).toEqual([['handoff.created', 1]]);

      await box.close(h._id, 'lea.bernard@dla33.example', 'Léa Bernard');
      expect(await box.addMessage(h._id, 'encore une chose')).toEqual({ refused: 'closed' });
      expect(await box.drain()).toEqual(NONE);
      expect((await box.get(h._id))?.messages).toHaveLength(1);

      const other = await box.create(packet());
      for (let i = 1; i <= 20; i++) expect(await box.addMessage(other._id, `détail ${i}`)).toHaveProperty('handoff');
      expect(await box.addMessage(other._id, 'détail 21')).toEqual({ refused: 'full' });
      expect((await box.get(other._id))?.messages?.map((m) => m.text).at(-1)).toBe('détail 20');
    });
  });

  it('says at start-up that handoff e-mails cannot go out when recipients are set without SMTP_URL (SMTP_URL without recipients e-mails no handoff: it may be there for the check-in e-mails; routes without a default)', () => {
    const warnings = jest.spyOn(log, 'warn').mockImplementation(() => undefined);
    try {
      expect(createNotifiers(loadConfig({ HANDOFF_EMAIL_TO: 'accueil@dla.example' }))).toEqual([]);
      expect(createNotifiers(loadConfig({ HANDOFF_ROUTES: '33:a@dla.example' }))).toEqual([]);
      expect(warnings.mock.calls.map(([message]) => message)).toEqual([
        'HANDOFF_EMAIL_TO or HANDOFF_ROUTES is set but SMTP_URL is empty: no handoff e-mail will be sent',
        'HANDOFF_EMAIL_TO or HANDOFF_ROUTES is set but SMTP_URL is empty: no handoff e-mail will be sent',
      ]);
      warnings.mockClear();
      expect(createNotifiers(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }))).toEqual([]);
      expect(warnings.mock.calls.map(([message]) => message)).toEqual([
        'SMTP_URL is set but neither HANDOFF_EMAIL_TO nor HANDOFF_ROUTES: it sends check-in e-mails to structures only, handoffs are not e-mailed',
      ]);
      warnings.mockClear();
      createNotifiers(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', HANDOFF_ROUTES: '33:a@dla.example;24:b@dla.example' }));
      expect(warnings.mock.calls).toEqual([[
        'HANDOFF_ROUTES is set without HANDOFF_EMAIL_TO: a handoff without a département, or from one without a route, gets no e-mail', { routed: '24,33' },
      ]]);
      warnings.mockClear();
      createNotifiers(loadConfig({}));
      createNotifiers(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', HANDOFF_EMAIL_TO: 'accueil@dla.example' }));
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });

  it('builds the notifiers the configuration asks for', () => {
    const adapter = localAdapter();
    expect(createNotifiers(loadConfig({}), { adapter })).toEqual([]);
    const config = loadConfig({
      SMTP_URL: 'smtp://127.0.0.1:2525', HANDOFF_EMAIL_TO: 'accueil@dla.example', HANDOFF_ROUTES: '33:a@dla.example|b@dla.example',
      HANDOFF_WEBHOOK_URL: 'https://crm.example/hooks/dla', HANDOFF_WEBHOOK_SECRET: 's3cret',
      HANDOFF_TEAMS_CONVERSATION_ID: TEAMS_CHANNEL, MicrosoftAppId: '00000000-0000-0000-0000-0000000000b0', MicrosoftAppPassword: 'x',
    });
    const notifiers = createNotifiers(config, { adapter });
    expect(notifiers.map((n) => n.kind)).toEqual(['email', 'webhook', 'teams']);
    const h = full({ departement: '33' });
    expect(notifiers.map((n) => n.recipients(h))).toEqual([['a@dla.example', 'b@dla.example'], ['https://crm.example/hooks/dla'], [`msteams:${TEAMS_CHANNEL}`]]);
    expect(() => createNotifiers(loadConfig({ HANDOFF_WEBHOOK_URL: 'https://crm.example/hooks/dla' }))).toThrow(ConfigError);
  });
});
