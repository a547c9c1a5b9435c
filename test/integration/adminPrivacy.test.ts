import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdminAuth } from '../../src/admin/auth';
import { traceHash } from '../../src/privacy/erasures';
import { purgeExpired } from '../../src/store/retention';
import { DossierRepository } from '../../src/store/dossiers';
import { GatedStorage } from '../helpers/gatedStorage';
import { asRead } from '../helpers/asRead';
import { TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';
import { runBackupScript } from '../helpers/backup';
import { Persona } from '../helpers/conversation';
import { openTestDb } from '../helpers/db';
import { collectionsHolding, everyDocument } from '../helpers/dbScan';

const ENV = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', PUBLIC_URL: 'http://dla.test' };

interface Exported {
  readable: string[];
  dossier?: { _id: string; answers: { name?: string } };
  handoffs: unknown[];
  checkins: unknown[];
  followupOptOut: unknown;
  conversations: { channelId: string; conversationId: string; messages: { text?: string }[] }[];
}

/**
 * A request received by e-mail, letter or phone: a dossier's export (whoever sees it) and erasure
 * (administrators) in the back-office, the erasure register, and a restore that erases again.
 */
describe('back-office: the structure’s data (export, erasure, register)', () => {
  const storage = new GatedStorage(() => fx.db.connection);
  const fx = useAssistant('admin_privacy', ENV, { storage });
  const tokens: Record<string, string> = {};
  const db = () => fx.db.connection.db!;

  const call = (method: string, url: string, who: string, body?: unknown) => fetch(`${fx.app.baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const email = (name: string) => `sam.${name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}@example.org`;

  /** A structure of the Gironde whose request is passed on (to be confirmed: a handoff open), with a check-in planned. */
  async function structure(name: string): Promise<{ persona: Persona; dossierId: string }> {
    const persona = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await persona.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct', `Sam, ${email(name)}`]) await persona.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId)))!;
    await fx.app.app.checkinRepository.add(dossier._id, 'manual_20270915', new Date('2027-09-15T08:00:00Z'));
    return { persona, dossierId: dossier._id };
  }

  /** What the chat's « mes données » → « Recevoir mes données » gives: the JSON file. */
  async function chatExport(p: Persona): Promise<Exported> {
    await p.say('mes données');
    await p.say('Recevoir mes données');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    return JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as Exported;
  }

  /** The back-office's own sessions and users are not the structure's. */
  const backOffice = (collection: string) => collection.startsWith('admin_');
  const everything = () => everyDocument(db(), backOffice);
  const remaining = (marks: string[]) => collectionsHolding(db(), marks, backOffice);

  beforeAll(async () => {
    const auth = new AdminAuth(fx.db.connection);
    await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle Gironde', role: 'charge', departements: ['33'] });
    await auth.upsertUser({ email: 'dordogne@dla.test', name: 'Dominique Dordogne', role: 'charge', departements: ['24'] });
    for (const who of ['admin', 'gironde', 'dordogne']) tokens[who] = (await auth.createUserToken(`${who}@dla.test`)).token;
  });

  it('exports a dossier for a chargé·e of its département — the readable page and the JSON file « mes données » gives —, not for one of another', async () => {
    const { persona, dossierId } = await structure('Recyclerie des Chartrons');
    const chat = await chatExport(persona);

    const page = await call('GET', `/admin/api/dossiers/${dossierId}/export`, 'gironde');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-disposition')).toBe('attachment; filename="mes-donnees-dla.html"');
    const html = await page.text();
    expect(html).toContain('Recyclerie des Chartrons');
    expect(html).toContain(email('Recyclerie des Chartrons'));
    expect(html).toContain('mes-donnees-dla.json'); // it names the file sent with it

    const file = await call('GET', `/admin/api/dossiers/${dossierId}/export?format=json`, 'gironde');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="mes-donnees-dla.json"');
    const office = (await file.json()) as Exported;
    // The same content as the structure's own « mes données » (the chat's conversation has grown since by the export's own turn).
    expect(office.dossier).toEqual(chat.dossier);
    expect(office.handoffs).toEqual(chat.handoffs);
    expect(office.handoffs).toHaveLength(1);
    expect(office.checkins).toEqual(chat.checkins);
    expect(office.checkins).toHaveLength(1);
    expect(office.followupOptOut).toEqual(chat.followupOptOut);
    expect(office.conversations.map((c) => c.conversationId).sort()).toEqual(chat.conversations.map((c) => c.conversationId).sort());
    for (const c of chat.conversations) {
      const same = office.conversations.find((o) => o.conversationId === c.conversationId)!;
      expect(same.messages.slice(0, c.messages.length)).toEqual(c.messages);
      expect(same.messages.map((m) => m.text)).toContain('Recyclerie des Chartrons');
    }
    const facts = (e: Exported) => e.readable.slice(1).filter((line) => !/message/.test(line)).map(asRead);
    expect(facts(office)).toEqual(facts(chat));
    expect(facts(office)).toEqual(expect.arrayContaining(['Structure : Recyclerie des Chartrons', `Contact : Sam, ${email('Recyclerie des Chartrons')}`]));
    // The page says the same in words (a section's heading ends with « : »).
    for (const fact of facts(office).filter((f) => !f.endsWith(' :'))) expect(asRead(html)).toContain(fact.replace(/^.*? : /, ''));

    // Another département's chargé·e: refused as the dossier itself is, in both formats.
    const dossierRoute = await call('GET', `/admin/api/dossiers/${dossierId}`, 'dordogne');
    expect(dossierRoute.status).toBe(403);
    for (const format of ['', '?format=json']) {
      const refused = await call('GET', `/admin/api/dossiers/${dossierId}/export${format}`, 'dordogne');
      expect(refused.status).toBe(403);
      expect(asRead((await refused.json()).error.message)).toBe('Ce dossier relève d’un département qui ne vous est pas attribué.');
    }
    expect((await call('GET', '/admin/api/dossiers/no-such-dossier/export', 'gironde')).status).toBe(404);
    const badFormat = await call('GET', `/admin/api/dossiers/${dossierId}/export?format=pdf`, 'gironde');
    expect(badFormat.status).toBe(400);
    expect(asRead((await badFormat.json()).error.message)).toBe('Valeur inconnue pour le filtre « format » : « pdf ».');
  });

  it('erases a dossier for an administrator who types its name — not for a chargé·e, not on a wrong confirmation —, all of it, and registers it without personal data', async () => {
    const name = 'L’Atelier Vélo Solidaire';
    const { persona, dossierId } = await structure(name);
    const other = await structure('Jardins du Lien');
    // Taken up by a chargé·e: an open or claimed request goes with the rest, as with « mes données ».
    const [handoff] = await db().collection<{ _id: string }>('handoffs').find({ dossierId }).toArray();
    expect((await call('POST', `/admin/api/handoffs/${handoff._id}/claim`, 'gironde')).status).toBe(200);
    const before = await everything();
    const erase = (who: string, confirm?: unknown) => call('POST', `/admin/api/dossiers/${dossierId}/erase`, who, confirm === undefined ? {} : { confirm });

    const chargee = await erase('gironde', name);
    expect(chargee.status).toBe(403);
    expect(asRead((await chargee.json()).error.message)).toBe('Réservé aux administratrices et administrateurs.');
    // The page offers the chargé·e the export only.
    expect((await (await call('GET', `/admin/api/dossiers/${dossierId}`, 'gironde')).json()).privacy).toEqual({ erasure: null });
    expect((await (await call('GET', `/admin/api/dossiers/${dossierId}`, 'admin')).json()).privacy).toEqual({ erasure: { confirm: name } });

    for (const wrong of [undefined, '', 'EFFACER', 'Atelier Vélo', 42]) {
      const refused = await erase('admin', wrong);
      expect(refused.status).toBe(400);
      expect(asRead((await refused.json()).error.message)).toBe(`Pour effacer, tapez exactement « ${name} ». Rien n’a été effacé.`);
    }
    expect(await everything()).toEqual(before);
    expect(await db().collection('erasures').countDocuments()).toBe(0);

    // Typed without the typographic apostrophe, in small letters: the same name.
    const erased = await erase('admin', "  l'atelier vélo  solidaire ");
    expect(erased.status).toBe(200);
    const { documents } = await erased.json();
    expect(documents).toBeGreaterThan(10);

    expect((await call('GET', `/admin/api/dossiers/${dossierId}`, 'admin')).status).toBe(404);
    expect(await fx.app.app.outbox.get(handoff._id)).toBeUndefined();
    expect(before.transcript_activities.filter((d) => d.includes(persona.channel.conversationId)).length).toBeGreaterThan(0);
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId, handoff._id])).toEqual({});
    // The dossier's id stays in the register only.
    expect(await remaining([dossierId])).toEqual({ erasures: 1 });
    // The other structure is untouched.
    expect(await remaining([other.dossierId])).toEqual(await (async () => {
      const counts: Record<string, number> = {};
      for (const [c, docs] of Object.entries(before)) { const n = docs.filter((d) => d.includes(other.dossierId)).length; if (n) counts[c] = n; }
      return counts;
    })());

    const [entry] = await db().collection('erasures').find({}).toArray();
    // Its chat user and conversations by their SHA-256 only: what a restore needs to erase them again.
    expect(entry).toEqual({
      _id: expect.any(String), dossierId, at: expect.any(Date), by: 'admin@dla.test', documents,
      users: [traceHash(`directline:${persona.userId}`)], conversations: expect.arrayContaining([traceHash(`directline|${persona.channel.conversationId}`)]),
    });
    // Listed for administrators only.
    expect((await call('GET', '/admin/api/erasures', 'gironde')).status).toBe(403);
    const listed = await (await call('GET', '/admin/api/erasures', 'admin')).json();
    expect(listed.erasures).toEqual([{ id: entry._id, dossierId, at: expect.any(String), by: 'admin@dla.test', documents }]);
    // The retention purge keeps it: it holds nothing personal.
    await purgeExpired(fx.db.connection, new Date('2040-01-01T00:00:00Z'), 1, fx.app.app.privacy);
    expect(await db().collection('erasures').countDocuments({ _id: entry._id })).toBe(1);
  });

  it('erased while one of its turns is in flight: that turn writes nothing back — no state, no transcript line', async () => {
    const name = 'Boulangerie du Lien';
    const { persona, dossierId } = await structure(name);
    const held = storage.holdNextWrite();
    // Words added at the menu: read back for confirmation (the turn changes the dialog's state), then held at its save.
    const turn = persona.say('j’oubliais : notre local est rue Sainte-Catherine');
    const release = await held;
    const erased = await call('POST', `/admin/api/dossiers/${dossierId}/erase`, 'admin', { confirm: name });
    expect(erased.status).toBe(200);
    release();
    expect(await turn).toContain('rue Sainte-Catherine'); // it was answered
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId, 'Sainte-Catherine'])).toEqual({});
    // Its next message starts from nothing: welcomed as a newcomer, its dossier not recreated.
    await persona.say('bonjour');
    expect(await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId))).toBeUndefined();
  });

  /**
   * Sends what `send` sends and, once the turn has answered its first words (its state read, the
   * turn still in flight: the connector holds its replies), erases the dossier from the back-office.
   */
  function erasedDuring(persona: Persona, dossierId: string, name: string, send: () => Promise<string>): Promise<string> {
    return erasedDuringWith(persona, async () => {
      expect((await call('POST', `/admin/api/dossiers/${dossierId}/erase`, 'admin', { confirm: name })).status).toBe(200);
    }, send);
  }

  /** The same, with the erasure `erase` makes. */
  async function erasedDuringWith(persona: Persona, erase: () => Promise<unknown>, send: () => Promise<string>): Promise<string> {
    const conversationId = persona.channel.conversationId;
    const before = fx.connector.activities.length;
    const release = fx.connector.hold();
    const turn = send();
    try {
      await fx.connector.waitFor(() => fx.connector.activities.slice(before).some((a) => a.conversation?.id === conversationId && a.type === 'message'));
      await erase();
    } finally {
      release();
    }
    return turn;
  }

  /** The nightly retention purge (36 months), as index.ts runs it. */
  const purge = (now: Date) => purgeExpired(fx.db.connection, now, 36, fx.app.app.privacy);

  it('erased while a turn that changes no state is in flight (« aide »): not one line of that turn is written, and the structure is told', async () => {
    const name = 'Ressourcerie du Lac';
    const { persona, dossierId } = await structure(name);
    const answer = await erasedDuring(persona, dossierId, name, () => persona.say('aide'));
    expect(answer).toContain('« mes données »'); // the help was given
    expect(answer).toContain('Les données de votre structure viennent d’être effacées');
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId])).toEqual({});
  });

  it('erased during the first turn of a new conversation of its user: that conversation is not written at all (no state, no transcript)', async () => {
    const name = 'Jardin partagé de Bacalan';
    const { persona, dossierId } = await structure(name);
    // The same person opens the chat again elsewhere (another conversation, nothing stored of it yet).
    const again = new Persona(() => fx.app, fx.connector, 'fr-FR', persona.userId);
    await erasedDuring(again, dossierId, name, () => again.join());
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId, again.channel.conversationId])).toEqual({});
  });

  it('erased while the turn that passes its request on is in flight: no handoff is created nor delivered, and the structure is told it can start again', async () => {
    const name = 'Épicerie solidaire des Capucins';
    const persona = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await persona.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await persona.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId)))!;
    // The contact read back (first words of the turn), then « votre demande est transmise » would follow: erased in between.
    const answer = await erasedDuring(persona, dossier._id, name, () => persona.say(`Sam, ${email(name)}`));
    expect(answer).toContain('Les données de votre structure viennent d’être effacées');
    expect(answer).toContain('recommencer');
    await fx.app.app.outbox.drain();
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId])).toEqual({});
  });

  /** A local Direct Line conversation (the web chat page's): its token, and what its user types, each answered before it resolves. */
  async function webChat(userId?: string): Promise<{ conversationId: string; token: string; say: (text: string) => Promise<void>; history: () => Promise<{ activities: { text?: string; from: { role?: string } }[]; raw: string }> }> {
    const headers = (auth: string) => ({ authorization: `Bearer ${auth}`, 'content-type': 'application/json' });
    const gen = await (await fetch(`${fx.app.baseUrl}/v3/directline/tokens/generate`, { method: 'POST', headers: headers(TEST_DIRECT_LINE_SECRET), body: JSON.stringify(userId ? { user: { id: userId } } : {}) })).json();
    const start = await (await fetch(`${fx.app.baseUrl}/v3/directline/conversations`, { method: 'POST', headers: headers(gen.token), body: '{}' })).json();
    const url = `${fx.app.baseUrl}/v3/directline/conversations/${start.conversationId}/activities`;
    return {
      conversationId: start.conversationId,
      token: gen.token,
      say: async (text) => { expect((await fetch(url, { method: 'POST', headers: headers(gen.token), body: JSON.stringify({ type: 'message', text, from: { id: 'u' } }) })).status).toBe(200); },
      // What Web Chat loads when it reconnects to the conversation (no watermark): its whole history.
      history: async () => {
        const raw = await (await fetch(url, { headers: headers(gen.token) })).text();
        return { activities: JSON.parse(raw).activities, raw };
      },
    };
  }

  it('erased during a web chat turn (local Direct Line): the conversation’s history keeps nothing of the structure — the replies sent after the erasure neither —, only the notice', async () => {
    const name = 'Atelier Couture de Bègles';
    const chat = await webChat();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct', `Sam, ${email(name)}`]) await chat.say(text);
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', (await fx.app.app.localDirectLine!.store.get(chat.conversationId))!.userId)))!;
    // Read back for confirmation (« … rue des Étrangers »), after the erasure: the turn has begun, its dialog read.
    const held = storage.holdNextRead(/\/users\//);
    const turn = chat.say('j’oubliais : notre local est rue des Étrangers');
    const release = await held;
    expect((await call('POST', `/admin/api/dossiers/${dossier._id}/erase`, 'admin', { confirm: name })).status).toBe(200);
    release();
    await turn;
    await fx.app.app.localDirectLine!.store.flushed();
    const { activities, raw } = await chat.history();
    expect(activities.map((a) => asRead(a.text ?? ''))).toEqual(['Les données de votre structure viennent d’être effacées : rien de cet échange n’a été conservé ni transmis à un·e chargé·e d’accompagnement. Vous pouvez recommencer quand vous le souhaitez, en m’écrivant à nouveau.']);
    expect(await remaining([name, email(name), 'rue des Étrangers'])).toEqual({});
    expect(raw).not.toMatch(/Couture|Étrangers|sam\./);
  });

  it('consent given in a turn whose user was erased meanwhile (« mes données » in another conversation): no dossier is created', async () => {
    const visitor = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await visitor.join();
    await visitor.say('c’est payant le DLA ?');
    // The same person, in another tab, at the consent question.
    const other = new Persona(() => fx.app, fx.connector, 'fr-FR', visitor.userId);
    await other.join();
    await other.say('Vérifier si ma structure peut être accompagnée');
    const held = storage.holdNextRead(/\/users\//);
    const consent = other.say('J’accepte');
    const release = await held; // the turn has begun: its dialog is read (at the consent question), its user's state being read
    await visitor.say('mes données');
    await visitor.say('Effacer mes données');
    expect(await visitor.say('Oui, tout effacer')).toContain('ont été effacés');
    release();
    expect(await consent).toContain('Les données de votre structure viennent d’être effacées');
    expect(await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', visitor.userId))).toBeUndefined();
    expect(await remaining([visitor.userId, other.channel.conversationId])).toEqual({});
  });

  it('erased at the worst moment — after the turn’s last check, before its writes (a new conversation’s first state, its transcript) —: nothing of that turn stays', async () => {
    const name = 'Tiers-Lieu des Chartrons';
    const { persona, dossierId } = await structure(name);
    const again = new Persona(() => fx.app, fx.connector, 'fr-FR', persona.userId);
    const held = storage.holdNextWrite();
    const turn = again.join();
    const release = await held;
    expect((await call('POST', `/admin/api/dossiers/${dossierId}/erase`, 'admin', { confirm: name })).status).toBe(200);
    release();
    await turn;
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId, again.channel.conversationId])).toEqual({});
  });

  it('the retention purge is an erasure: all of an expired structure goes — its recent conversations too —, a turn in flight keeps nothing, it is registered (« retention ») and a restore erases it again', async () => {
    const name = 'Chantier d’insertion du Bourg';
    const { persona, dossierId } = await structure(name);
    await db().collection('dossiers').updateOne({ _id: dossierId as never }, { $set: { createdAt: new Date('2022-01-10T10:00:00Z') } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-purge-'));
    const backup = path.join(dir, 'dla.jsonl.gz');
    const saved = process.env.MONGODB_URI;
    expect((await runBackupScript(fx.db.uri, 'backup', backup)).code).toBe(0);
    const answer = await erasedDuringWith(persona, () => purge(new Date('2026-11-26T03:30:00Z')), () => persona.say('aide'));
    expect(answer).toContain('Les données de votre structure viennent d’être effacées');
    expect(await remaining([name, email(name), persona.userId, persona.channel.conversationId])).toEqual({});
    const entry = await db().collection('erasures').findOne({ dossierId });
    expect(entry).toEqual({
      _id: expect.any(String), dossierId, at: expect.any(Date), by: 'retention', documents: expect.any(Number),
      users: [traceHash(`directline:${persona.userId}`)], conversations: expect.arrayContaining([traceHash(`directline|${persona.channel.conversationId}`)]),
    });
    expect(entry!.documents).toBeGreaterThan(10);
    // The back-office's register says why.
    const listed = await (await call('GET', '/admin/api/erasures', 'admin')).json();
    expect(listed.erasures).toContainEqual(expect.objectContaining({ dossierId, by: 'retention' }));
    // A backup made before the purge, restored with the register: the structure is erased again.
    const register = path.join(dir, 'registre.json');
    fs.writeFileSync(register, await (await call('GET', '/admin/api/erasures?format=json', 'admin')).text());
    const target = await openTestDb('admin_privacy_purged');
    try {
      expect((await runBackupScript(target.uri, 'restore', backup, '--reapply', register)).code).toBe(0);
      for (const { name: collection } of await target.connection.db!.listCollections({}, { nameOnly: true }).toArray()) {
        const docs = (await target.connection.db!.collection(collection).find({}).toArray()).map((d) => JSON.stringify(d));
        expect([collection, docs.filter((d) => [name, persona.userId, dossierId].some((m) => d.includes(m)) && collection !== 'erasures').length]).toEqual([collection, 0]);
      }
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI; else process.env.MONGODB_URI = saved;
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dossier without a name is erased by typing « EFFACER »; « mes données » in the chat registers its erasure too', async () => {
    const persona = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await persona.join();
    await persona.say('parler à un chargé');
    await persona.say('J’accepte');
    await persona.say('Trésorerie tendue');
    await persona.say('Léa Martin, lea@atelier.example');
    const dossier = (await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', persona.userId)))!;
    expect(dossier.answers.name).toBeUndefined();
    expect((await (await call('GET', `/admin/api/dossiers/${dossier._id}`, 'admin')).json()).privacy).toEqual({ erasure: { confirm: 'EFFACER' } });
    expect((await call('POST', `/admin/api/dossiers/${dossier._id}/erase`, 'admin', { confirm: 'effacer' })).status).toBe(200);
    expect(await remaining(['lea@atelier.example', persona.userId])).toEqual({});

    const { persona: chat, dossierId } = await structure('Épicerie Solidaire du Bouscat');
    await chat.say('mes données');
    await chat.say('Effacer mes données');
    expect(await chat.say('Oui, tout effacer')).toContain('ont été effacés');
    const entry = await db().collection('erasures').findOne({ dossierId });
    expect(entry).toEqual({ _id: expect.any(String), dossierId, at: expect.any(Date), by: 'structure', documents: expect.any(Number), users: [traceHash(`directline:${chat.userId}`)], conversations: [traceHash(`directline|${chat.channel.conversationId}`)] });
    expect(entry!.documents).toBeGreaterThan(10);
    expect(JSON.stringify(entry)).not.toContain(chat.userId);
  });

  it('npm run db:restore -- BACKUP --reapply REGISTER.json erases again the dossiers erased after the backup, each registered once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-reapply-'));
    const target = await openTestDb('admin_privacy_target');
    const saved = process.env.MONGODB_URI;
    const run = runBackupScript;
    try {
      const { persona, dossierId } = await structure('Ressourcerie du Médoc');
      const kept = await structure('Café Associatif de Pauillac');
      // A visitor without a dossier: its state and its transcript only.
      const visitor = new Persona(() => fx.app, fx.connector, 'fr-FR');
      await visitor.join();
      await visitor.say('c’est payant le DLA ? on est à Lesparre');
      const visited = await remaining([visitor.userId, visitor.channel.conversationId]);
      expect(visited).toMatchObject({ botstate: expect.any(Number), transcript_activities: expect.any(Number) });
      const backup = path.join(dir, 'dla.jsonl.gz');
      expect((await run(fx.db.uri, 'backup', backup)).code).toBe(0);
      const before = await db().collection('erasures').countDocuments();
      // Erased after the backup, by the back-office; the visitor's by « mes données ».
      expect((await call('POST', `/admin/api/dossiers/${dossierId}/erase`, 'admin', { confirm: 'Ressourcerie du Médoc' })).status).toBe(200);
      await visitor.say('mes données');
      await visitor.say('Effacer mes données');
      expect(await visitor.say('Oui, tout effacer')).toContain('ont été effacés');
      const [visitorEntry] = await db().collection('erasures').find({ dossierId: null }).sort({ at: -1 }).limit(1).toArray();
      // Named by hashes only: neither its user's nor its conversation's id in clear.
      expect(visitorEntry).toMatchObject({ by: 'structure', users: [expect.stringMatching(/^[0-9a-f]{64}$/)], conversations: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
      expect(JSON.stringify(visitorEntry)).not.toMatch(new RegExp(`${visitor.userId}|${visitor.channel.conversationId}`));
      const file = await call('GET', '/admin/api/erasures?format=json', 'admin');
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="registre-effacements-\d{4}-\d\d-\d\d\.json"$/);
      const register = path.join(dir, 'registre.json');
      fs.writeFileSync(register, await file.text());

      // A bad register restores nothing.
      const notARegister = path.join(dir, 'notes.json');
      fs.writeFileSync(notARegister, '{"erasures": []}');
      const refused = await run(target.uri, 'restore', backup, '--reapply', notARegister);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('n’est pas un registre des effacements');
      expect(await target.connection.db!.collection('dossiers').countDocuments()).toBe(0);

      const restored = await run(target.uri, 'restore', backup, '--reapply', register);
      expect(restored.code).toBe(0);
      expect(restored.out).toContain('2 structures que la sauvegarde avait ramenées ont été effacées à nouveau');
      expect(restored.out).not.toContain('sont revenues avec cette sauvegarde');
      const t = target.connection.db!;
      expect(await t.collection('dossiers').countDocuments({ _id: dossierId as never })).toBe(0);
      expect(await t.collection('dossiers').countDocuments({ _id: kept.dossierId as never })).toBe(1);
      for (const { name } of await t.listCollections({}, { nameOnly: true }).toArray()) {
        const docs = (await t.collection(name).find({}).toArray()).map((d) => JSON.stringify(d));
        const marks = ['Ressourcerie du Médoc', persona.userId, visitor.userId, visitor.channel.conversationId, 'Lesparre'];
        expect([name, docs.filter((d) => marks.some((m) => d.includes(m))).length]).toEqual([name, 0]);
      }
      // The register as it is now: the backup's entries and the one made since, once each.
      const entries = await t.collection('erasures').find({}).toArray();
      expect(entries).toHaveLength(before + 2);
      expect(entries.filter((e) => e.dossierId === dossierId)).toEqual([expect.objectContaining({ by: 'admin@dla.test' })]);

      // Without --reapply, the restore says what came back and how to erase it again.
      const empty = await openTestDb('admin_privacy_plain');
      try {
        const plain = await run(empty.uri, 'restore', backup);
        expect(plain.code).toBe(0);
        expect(plain.out).toContain('sont revenues avec cette sauvegarde');
        expect(plain.out).toContain('--reapply');
      } finally {
        await empty.close();
      }
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI; else process.env.MONGODB_URI = saved;
      await target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
