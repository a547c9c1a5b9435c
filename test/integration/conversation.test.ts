import fs from 'node:fs';
import { asRead } from '../helpers/asRead';
import os from 'node:os';
import path from 'node:path';
import { connectWithRetry } from '../../src/store/db';
import { DossierRepository } from '../../src/store/dossiers';
import { freePort, startFerretDb, RunningFerretDb } from '../../src/store/ferretdb';
import { FakeConnector } from '../helpers/connector';
import { freeze, until } from '../helpers/wait';
import { Channel, post, RunningApp, startTestApp, TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';

/** Sends each message in turn; returns what the bot answered to each one. */
async function converse(app: RunningApp, connector: FakeConnector, channel: Channel, messages: string[]): Promise<string[]> {
  const answers: string[] = [];
  for (const text of messages) {
    const before = connector.messages(channel.conversationId).length;
    const res = await post(app.baseUrl, channel.say(text));
    expect(res.status).toBe(200);
    answers.push(connector.messages(channel.conversationId).slice(before).join('\n'));
  }
  return answers;
}

describe('a conversation through /api/messages', () => {
  const fx = useAssistant('conversation', { OPERATOR_NAME: 'DLA de la Gironde' });

  it('two messages sent at once (a double click, a quick typist) are answered one after the other, none lost', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    await converse(fx.app, fx.connector, channel, ['Vérifier si ma structure peut être accompagnée', 'J’accepte']);
    // The name and the SIRET leave together; the second must be read as the answer to the second question.
    // The connector holds the bot's replies: turn 1 stays mid-flight (blocked on its first reply)
    // while message 2 arrives, so the two turns overlap whatever the machine's speed.
    const release = fx.connector.hold();
    let first: Promise<Response>;
    let second: Promise<Response>;
    try {
      const sent = fx.connector.activities.length;
      first = post(fx.app.baseUrl, channel.say('Les Amis du Quartier'));
      await fx.connector.waitFor(() => fx.connector.activities.slice(sent).some((a) => a.conversation?.id === channel.conversationId));
      second = post(fx.app.baseUrl, channel.say('732 829 320 00074'));
      await until(() => fx.app.app.inFlight.size === 2); // message 2 is being processed too
      await new Promise((r) => setTimeout(r, 100)); // time for turn 2 to run, were it not queued behind turn 1
      // Turn 2 waits for turn 1: nothing from it yet, only turn 1's first (held) reply.
      expect(fx.connector.activities.slice(sent).filter((a) => a.conversation?.id === channel.conversationId)).toHaveLength(1);
    } finally {
      release();
    }
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [answer] = await converse(fx.app, fx.connector, channel, ['association loi 1901']);
    expect(answer).toContain('salarié·es'); // the legal form was the question pending: both earlier answers were taken
    const dossier = await new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', channel.userId));
    expect(dossier?.answers).toMatchObject({ name: 'Les Amis du Quartier', identifiers: { siret: '73282932000074' }, legalForm: { result: { form: 'association' } } });
  });

  it('reads a choice by its number or rank, but not a number that merely appears in the message', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const [script, second, menu, third] = await converse(fx.app, fx.connector, channel, ['<script>alert(1)</script>', 'le deuxième', 'menu', 'option 3 svp']);
    expect(script).toContain('Je n’ai pas compris');
    expect(script).not.toContain('Acceptez-vous');
    expect(second).toContain('Un accompagnement DLA se déroule en cinq étapes'); // 2: Découvrir le DLA
    expect(menu).toContain('Que souhaitez-vous faire ?');
    expect(third).toContain('Le DLA s’adresse aux structures d’utilité sociale'); // 3: Qui peut être accompagné ?
  });

  it('welcomes in French by default when the user joins, with the operator name and the menu', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const said = fx.connector.messages(channel.conversationId);
    expect(said[0]).toContain('Bonjour et bienvenue');
    expect(said[0]).toContain('DLA de la Gironde');
    expect(said.join('\n')).toContain('Que souhaitez-vous faire ?');
    const menu = fx.connector.activities.filter((a) => a.conversation?.id === channel.conversationId).pop();
    expect(menu?.suggestedActions?.actions.map((a) => asRead(a.title))).toEqual(['Vérifier si ma structure peut être accompagnée', 'Découvrir le DLA', 'Qui peut être accompagné ?', 'Aide']);
  });

  it('a first message that tells the need starts the eligibility check (not the help text its « aide » looks like)', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const [reply] = await converse(fx.app, fx.connector, channel, ['bonjour, je suis directrice d une asso employeuse, on cherche de l aide pour diversifier nos financements']);
    expect(reply).toContain('Acceptez-vous que ces informations soient conservées ?');
    expect(reply).not.toContain('Commandes utilisables à tout moment');
  });

  it('« c’est qui qui va m’appeler ? » at the menu is not the « Qui peut être accompagné ? » page: a newcomer is told it has no request yet', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    for (const question of ['et c’est qui qui va m’appeler ?', 'qui va m’appeler ?']) {
      const [reply] = await converse(fx.app, fx.connector, channel, [question]);
      expect(asRead(reply)).not.toContain('Le DLA s’adresse aux structures d’utilité sociale');
      // Nobody has its request yet: said so, with how to make one, then the menu (not « je n'ai pas compris »).
      expect(asRead(reply)).toContain('Je n’ai pas de demande en cours à votre nom');
      expect(asRead(reply)).toContain('Que souhaitez-vous faire ?');
    }
  });

  it('welcomes in English when the channel locale is English', async () => {
    const channel = new Channel(fx.connector.url, 'en-US');
    await post(fx.app.baseUrl, channel.join());
    const said = fx.connector.messages(channel.conversationId).join('\n');
    expect(said).toContain('Hello and welcome');
    expect(said).toContain('What would you like to do?');
    expect(said).not.toContain('Bonjour');
  });

  it('welcomes in French when the channel sends no locale', async () => {
    const channel = new Channel(fx.connector.url, '');
    await post(fx.app.baseUrl, channel.say('salut'));
    expect(fx.connector.messages(channel.conversationId)[0]).toContain('Bonjour et bienvenue');
  });

  it('walks through the DLA phases and honours aide, English, français and recommencer at any step', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const [discover, help, english, next, french, restart, who] = await converse(fx.app, fx.connector, channel, [
      'Découvrir le DLA', 'aide', 'English', 'next', 'français', 'recommencer', '3',
    ]);
    expect(discover).toContain('Étape 1 · Accueil');
    expect(discover).toContain('Voulez-vous voir l’étape suivante ?');
    expect(help).toContain('« recommencer »');
    expect(help).toContain('Voulez-vous voir l’étape suivante ?'); // the same question again
    expect(english).toContain('I will continue in English');
    expect(english).toContain('Would you like to see the next step?');
    expect(next).toContain('Step 2 · Shared diagnosis');
    expect(french).toContain('je continue en français');
    expect(french).toContain('Voulez-vous voir l’étape suivante ?');
    expect(restart).toContain('retour au menu');
    expect(restart).not.toContain('sont gardées'); // nothing was answered: nothing to keep
    expect(restart).toContain('Que souhaitez-vous faire ?');
    expect(who).toContain('SCOP, SCIC, CAE');
  });

  it('re-prompts on nonsense instead of failing or staying silent', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const [answer] = await converse(fx.app, fx.connector, channel, ['qsdfghjk']);
    expect(answer).toContain('Je n’ai pas compris');
  });

  it('remembers an explicit language choice for the user across conversations', async () => {
    const first = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, first.join());
    await converse(fx.app, fx.connector, first, ['English']);
    const second = new Channel(fx.connector.url, 'fr-FR');
    Object.assign(second, { userId: first.userId });
    await post(fx.app.baseUrl, second.join());
    expect(fx.connector.messages(second.conversationId)[0]).toContain('Hello and welcome');
  });

  it('keeps the conversation state when the assistant restarts', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    await converse(fx.app, fx.connector, channel, ['2', 'suite']); // phases 1 and 2 shown
    await fx.restart();
    const [after] = await converse(fx.app, fx.connector, channel, ['suite']);
    expect(after).toContain('Étape 3 · Construction du parcours');
  });
});

describe('a turn that does not finish (a channel or database that stops answering mid-turn)', () => {
  // Long enough for the turn to reach its first reply (held below) on a loaded machine: at 1 s, once,
  // the deadline came before it and the apology was said first.
  const fx = useAssistant('turn-deadline', {}, { turnDeadlineMs: 3000 });

  it('gives the apology at its deadline and frees the conversation, which resumes from the state before that turn', async () => {
    const channel = new Channel(fx.connector.url, 'fr-FR');
    await post(fx.app.baseUrl, channel.join());
    const release = fx.connector.hold(); // the channel takes the bot's replies but never answers
    let settled = false;
    try {
      const sending = post(fx.app.baseUrl, channel.say('Découvrir le DLA'));
      void sending.then(() => { settled = true; });
      await fx.connector.waitFor(() => fx.connector.messages(channel.conversationId).some((m) => m.includes('Désolé, un problème technique')), 15000);
      // Turn 1 is stuck on its first reply: the apology came at the deadline, and the channel's
      // call returns (at most one more deadline for the apology's own send) while still held.
      await until(() => settled, 10000);
      expect((await sending).status).toBe(200);
    } finally {
      release();
    }
    // Once the channel answers, the late turn sends nothing more and saved nothing: the structure
    // saw the first reply and the apology, and its message sent again is taken from the menu.
    const [again] = await converse(fx.app, fx.connector, channel, ['Découvrir le DLA']);
    expect(again).toContain('Étape 1 · Accueil');
    expect(again).toContain('Voulez-vous voir l’étape suivante ?');
    const said = fx.connector.messages(channel.conversationId);
    expect(said.filter((m) => m.includes('Étape 1 · Accueil'))).toHaveLength(1);
    expect(said.slice(-5, -3)).toEqual([
      expect.stringContaining('Un accompagnement DLA se déroule en cinq étapes'),
      expect.stringContaining('Désolé, un problème technique'),
    ]);
  });
});

describe('a database outage', () => {
  let ferret: RunningFerretDb;
  let dataDir: string;
  let port: number;
  let app: RunningApp;
  let connector: FakeConnector;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-outage-'));
    port = await freePort();
    ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, dataDir, port);
    connector = await new FakeConnector().start();
  });
  afterAll(async () => {
    await app?.close();
    await connector.stop();
    await ferret.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets a localized apology, then the conversation resumes where it was once the database is back', async () => {
    const connection = await connectWithRetry(`mongodb://127.0.0.1:${port}/outage`, { maxAttempts: 3, serverSelectionTimeoutMS: 1500 });
    app = await startTestApp(connection);
    const channel = new Channel(connector.url, 'fr-FR');
    await post(app.baseUrl, channel.join());
    await converse(app, connector, channel, ['Découvrir le DLA']);

    await ferret.stop();
    const [apology] = await converse(app, connector, channel, ['suite']);
    expect(apology).toContain('Désolé, un problème technique');
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect((await health.json()).database.status).toBe('down');

    ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, dataDir, port);
    let resumed = '';
    for (let i = 0; i < 20 && !resumed.includes('Étape 2 · Diagnostic partagé'); i++) {
      [resumed] = await converse(app, connector, channel, ['suite']);
      if (!resumed.includes('Étape 2 · Diagnostic partagé')) await new Promise((r) => setTimeout(r, 500));
    }
    expect(resumed).toContain('Étape 2 · Diagnostic partagé');
    await connection.close();
  }, 60000);
});

describe('a database that stops answering, in the web chat (local Direct Line)', () => {
  it('gives the apology on the chat at once, keeps every message, and resumes once the database answers again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-freeze-'));
    const ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, dataDir, await freePort());
    const connection = await connectWithRetry(`${ferret.uri.replace(/\/dla$/, '')}/freeze`, { maxAttempts: 3, serverSelectionTimeoutMS: 1500 });
    const app = await startTestApp(connection);
    const call = async (method: string, url: string, auth: string, body?: unknown) => {
      const res = await fetch(`${app.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() as any };
    };
    let frozen = false;
    try {
      const { body: { token } } = await call('POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
      const { body: { conversationId } } = await call('POST', '/v3/directline/conversations', token);
      const path_ = `/v3/directline/conversations/${conversationId}/activities`;
      const botTexts = async () => ((await call('GET', path_, token)).body.activities as { from: { role: string }; text?: string }[])
        .filter((a) => a.from.role === 'bot').map((a) => a.text ?? '');
      await call('POST', path_, token, { type: 'message', text: 'Découvrir le DLA' });
      expect((await botTexts()).join('\n')).toContain('Étape 1 · Accueil');

      await freeze(ferret.pid); // frozen: connections stay open, nothing answers
      frozen = true;
      const started = Date.now();
      const sending = call('POST', path_, token, { type: 'message', text: 'suite' });
      // The apology is on the chat (history served from memory) well before Web Chat's 20 s.
      let said = '';
      while (!said.includes('Désolé, un problème technique') && Date.now() - started < 30_000) {
        said = (await botTexts()).join('\n');
        if (!said.includes('Désolé, un problème technique')) await new Promise((r) => setTimeout(r, 250));
      }
      // On failure, what the chat showed and when: the apology missing is not the same as late.
      expect({ said, ms: Date.now() - started }).toEqual({ said: expect.stringContaining('Désolé, un problème technique'), ms: expect.any(Number) });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect((await sending).status).toBe(200);

      process.kill(ferret.pid, 'SIGCONT');
      frozen = false;
      let texts: string[] = [];
      for (let i = 0; i < 30 && !texts.join('\n').includes('Étape 2 · Diagnostic partagé'); i++) {
        await call('POST', path_, token, { type: 'message', text: 'suite' });
        texts = await botTexts();
        if (!texts.join('\n').includes('Étape 2')) await new Promise((r) => setTimeout(r, 500));
      }
      expect(texts.join('\n')).toContain('Étape 2 · Diagnostic partagé');
      // What was said during the freeze reached the database once it answered.
      await app.app.localDirectLine!.store.flushed();
      const stored = (await connection.db!.collection('directline_activities').find({ conversationId }).sort({ seq: 1 }).toArray()).map((d) => JSON.parse(d.activity).text as string);
      expect(stored.join('\n')).toContain('Désolé, un problème technique');
      expect(stored.filter((t) => t === 'suite').length).toBeGreaterThanOrEqual(2);
    } finally {
      if (frozen) process.kill(ferret.pid, 'SIGCONT');
      await app.close();
      await connection.close();
      await ferret.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);
});

describe('the embedded database crashing while the assistant runs', () => {
  it('is started again on the same port and data, and the assistant finds its data again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-crash-'));
    const events: string[] = [];
    const ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, dataDir, undefined, { restartOnCrash: true, log: (level, message) => events.push(`${level}: ${message}`) });
    const connection = await connectWithRetry(`${ferret.uri.replace(/\/dla$/, '')}/crash`, { maxAttempts: 3, serverSelectionTimeoutMS: 1500 });
    try {
      await connection.db!.collection('probe').insertOne({ _id: 'kept' as never, v: 1 });
      const first = ferret.pid;
      process.kill(first, 'SIGKILL'); // a crash, not a stop
      await until(() => ferret.pid !== first && events.some((e) => e.startsWith('info')), 20000, () => `not restarted: ${events.join(' / ')}`);
      // The signal, not an unrelated warning FerretDB wrote at start-up.
      expect(events[0]).toBe('error: The embedded database (FerretDB) stopped unexpectedly (killed by SIGKILL); restarting it in 1 s');
      let doc: unknown;
      for (let i = 0; i < 40 && !doc; i++) {
        doc = await connection.db!.collection('probe').findOne({ _id: 'kept' as never }).catch(() => undefined);
        if (!doc) await new Promise((r) => setTimeout(r, 250));
      }
      expect(doc).toMatchObject({ v: 1 });
    } finally {
      await connection.close();
      await ferret.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60000);
});

