import { randomUUID } from 'node:crypto';
import { asRead } from '../helpers/asRead';
import { DossierRepository } from '../../src/store/dossiers';
import { purgeExpired } from '../../src/store/retention';
import { openTestDb, TestDb } from '../helpers/db';
import { until } from '../helpers/wait';
import { RunningApp, startTestApp, TEST_DIRECT_LINE_SECRET } from '../helpers/app';
import { WebSocket } from 'ws';
import { BotMessages, ConnectionStatus, directLineClient, directLineStreamClient, endOpenClients, ignoreEnd } from '../helpers/directline';

afterEach(endOpenClients);

/** Opens a raw stream: the messages it gets, or the HTTP refusal of the upgrade (status and JSON body). */
function openStream(url: string): Promise<{ ws?: WebSocket; messages: any[]; refused?: { status: number; body: any } }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ messages, refused: { status: res.statusCode ?? 0, body: JSON.parse(body) } }));
    });
  });
}

async function call(app: RunningApp, method: string, path: string, auth?: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function newConversation(app: RunningApp, userId?: string): Promise<{ conversationId: string; token: string }> {
  const gen = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, userId ? { user: { id: userId } } : {});
  const start = await call(app, 'POST', '/v3/directline/conversations', gen.body.token);
  expect(start.status).toBe(201);
  return { conversationId: start.body.conversationId, token: gen.body.token };
}

describe('local Direct Line with botframework-directlinejs (the client Web Chat uses)', () => {
  let db: TestDb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await openTestDb('directline');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('holds a French conversation over HTTP, and the user activity is echoed with id, timestamp and clientActivityID', async () => {
    const { body: { token } } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, { user: { id: 'dl_structure_amis_du_quartier' } });
    const client = directLineClient(app.baseUrl, token);
    const bot = new BotMessages(client);
    const echoes: any[] = [];
    client.activity$.subscribe((a) => { if (a.from.id === 'dl_structure_amis_du_quartier') echoes.push(a); }, ignoreEnd);

    const welcome = await bot.after(0, 3);
    expect(welcome).toContain('Bonjour et bienvenue');
    expect(welcome).toContain('DLA de la Gironde');
    expect(welcome).toContain('Que souhaitez-vous faire ?');

    const clientActivityID = randomUUID();
    const id = await new Promise<string>((resolve, reject) => client.postActivity({
      type: 'message', from: { id: 'dl_structure_amis_du_quartier', name: 'Camille' }, text: 'Découvrir le DLA', locale: 'fr-FR',
      channelData: { clientActivityID },
    } as never).subscribe(resolve, reject));
    expect(id).toMatch(/\|\d{7}$/);
    const phases = await bot.after(3, 3);
    expect(phases).toContain('Étape 1 · Accueil');
    expect(phases).toContain('Voulez-vous voir l’étape suivante ?');

    const echo = echoes.find((a) => a.id === id);
    expect(echo).toBeDefined();
    expect(echo.channelData.clientActivityID).toBe(clientActivityID);
    expect(new Date(echo.timestamp).getTime()).toBeGreaterThan(Date.now() - 60000);

    await new Promise((resolve, reject) => client.postActivity({ type: 'message', from: { id: 'dl_structure_amis_du_quartier' }, text: 'suite' } as never).subscribe(resolve, reject));
    expect(await bot.after(6, 2)).toContain('Étape 2 · Diagnostic partagé');
    client.end();
  });

  it('welcomes in the language the client starts the conversation in (conversationStartProperties.locale), before any message', async () => {
    const english = directLineClient(app.baseUrl, (await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {})).body.token, undefined, 'en-US');
    const bot = new BotMessages(english);
    const welcome = await bot.after(0, 3);
    expect(welcome).toContain('Hello and welcome');
    expect(welcome).not.toContain('Bonjour');
    // Its messages carry no locale of their own: the conversation stays in the language it started in.
    await new Promise((resolve, reject) => english.postActivity({ type: 'message', from: { id: 'x' }, text: 'Discover the DLA' } as never).subscribe(resolve, reject));
    const phases = await bot.after(3, 2);
    expect(phases).toContain('Step 1');
    expect(phases).not.toContain('Étape');
    english.end();

    // A locale that is not a language tag is ignored: the operator's language.
    const gen = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
    expect((await call(app, 'POST', '/v3/directline/conversations', gen.body.token, { locale: '<script>' })).status).toBe(201);
    const french = directLineClient(app.baseUrl, gen.body.token, gen.body.conversationId);
    expect(await new BotMessages(french).after(0, 3)).toContain('Bonjour et bienvenue');
    french.end();
  });

  it('reconnects to a conversation with its history after the assistant restarts', async () => {
    const { body: { token, conversationId } } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
    const first = directLineClient(app.baseUrl, token);
    const bot1 = new BotMessages(first);
    await bot1.after(0, 3);
    await new Promise((resolve, reject) => first.postActivity({ type: 'message', from: { id: 'x' }, text: '2' } as never).subscribe(resolve, reject));
    await bot1.after(3, 3);
    first.end();

    // A restart ends open streams with "going away" (1001), and does not wait for them.
    const { ws: open } = await openStream(`${app.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${conversationId}/stream?t=${token}`);
    const closed = new Promise<number>((resolve) => open!.on('close', (code) => resolve(code)));
    await app.close();
    expect(await closed).toBe(1001);
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde' });

    const again = directLineClient(app.baseUrl, token, conversationId);
    const statuses: ConnectionStatus[] = [];
    again.connectionStatus$.subscribe((s) => statuses.push(s), ignoreEnd);
    const bot2 = new BotMessages(again);
    const history = await bot2.after(0, 6); // the whole history comes back (watermark from 0)
    expect(history).toContain('Étape 1 · Accueil');
    await new Promise((resolve, reject) => again.postActivity({ type: 'message', from: { id: 'x' }, text: 'suite' } as never).subscribe(resolve, reject));
    expect(await bot2.after(6, 2)).toContain('Étape 2 · Diagnostic partagé');
    expect(statuses).toContain(ConnectionStatus.Online);
    again.end();
  });

  it('streams the conversation over the WebSocket streamUrl, as Web Chat reads it by default', async () => {
    const { body: { token } } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
    const client = directLineStreamClient(app.baseUrl, token);
    const bot = new BotMessages(client);
    expect(await bot.after(0, 3)).toContain('Bonjour et bienvenue');
    await new Promise((resolve, reject) => client.postActivity({ type: 'message', from: { id: 'x' }, text: 'Découvrir le DLA' } as never).subscribe(resolve, reject));
    expect(await bot.after(3, 3)).toContain('Étape 1 · Accueil');
    expect((client as unknown as { webSocket: boolean }).webSocket).toBe(true);
    expect((client as unknown as { streamUrl: string }).streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/[^/]+/stream\\?t=`));
    client.end();
  });

  it('gives the stream URL on PUBLIC_URL when it is set (behind a proxy), else as the client reached the server', async () => {
    const proxied = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', PUBLIC_URL: 'https://dla.example.org' });
    try {
      const gen = await call(proxied, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
      const start = await call(proxied, 'POST', '/v3/directline/conversations', gen.body.token);
      expect(start.body.streamUrl).toMatch(/^wss:\/\/dla\.example\.org\/v3\/directline\/conversations\/[^/]+\/stream\?t=/);
    } finally {
      await proxied.close();
    }
    const direct = await fetch(`${app.baseUrl}/v3/directline/conversations`, {
      method: 'POST', headers: { authorization: `Bearer ${(await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {})).body.token}`, 'x-forwarded-proto': 'https' },
    });
    expect((await direct.json()).streamUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\//);
  });

  it('a stream sends what follows its watermark, then each new activity as it comes', async () => {
    const { conversationId, token } = await newConversation(app);
    const reconnect = await call(app, 'GET', `/v3/directline/conversations/${conversationId}?watermark=2`, token);
    expect(reconnect.body.streamUrl).toContain('watermark=2');
    const all = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const { ws, messages } = await openStream(reconnect.body.streamUrl);
    await until(() => messages.length > 0);
    expect(messages[0].activities.map((a: any) => a.id)).toEqual(all.body.activities.slice(2).map((a: any) => a.id));
    expect(messages[0].watermark).toBe(all.body.watermark);

    await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text: 'aide', from: { id: 'u' } });
    await until(() => messages.flatMap((m) => m.activities).some((a: any) => a.from.id === 'dla-assistant' && /recommencer/.test(a.text ?? '')));
    const streamed = messages.flatMap((m) => m.activities);
    expect(streamed.filter((a: any) => a.text === 'aide')).toHaveLength(1); // the user's echo, once
    expect(new Set(streamed.map((a: any) => a.id)).size).toBe(streamed.length); // nothing twice
    const polled = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=2`, token);
    expect(streamed.map((a: any) => a.id)).toEqual(polled.body.activities.map((a: any) => a.id));
    ws!.close();
  });

  it('after « mes données » erases the conversation, its next messages still reach the client', async () => {
    const { conversationId, token } = await newConversation(app);
    const say = (text: string) => call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text, from: { id: 'u' } });
    const { ws, messages } = await openStream(`${app.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${conversationId}/stream?t=${token}`);
    await say('Découvrir le DLA');
    await say('mes données');
    await say('Effacer mes données');
    let watermark = (await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token)).body.watermark;
    await say('Oui, tout effacer');
    const polled = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, token);
    expect(polled.body.activities.map((a: any) => a.text).join('\n')).toContain('ont été effacés');
    expect(Number(polled.body.watermark)).toBeGreaterThan(Number(watermark));
    await until(() => messages.flatMap((m) => m.activities).some((a: any) => /ont été effacés/.test(a.text ?? '')));
    // Nothing from before the erasure can be read again.
    const all = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(all.body.activities.map((a: any) => a.text)).not.toContain('Découvrir le DLA');
    watermark = all.body.watermark;
    await say('aide');
    const after = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, token);
    expect(after.body.activities[0].text).toBe('aide');
    ws!.close();
  });

  it('refreshes a token for the same conversation', async () => {
    const { conversationId, token } = await newConversation(app);
    const refreshed = await call(app, 'POST', '/v3/directline/tokens/refresh', token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(conversationId);
    expect(refreshed.body.token).not.toBe(token);
    const read = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=0`, refreshed.body.token);
    expect(read.status).toBe(200);
    expect(read.body.activities.length).toBeGreaterThan(0);
  });

  it('a message posted while its conversation is starting waits for the start: never lost, answered after the welcome', async () => {
    for (let i = 0; i < 8; i++) {
      const { body: { token, conversationId } } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
      const path = `/v3/directline/conversations/${conversationId}/activities`;
      const [start, sent, again] = await Promise.all([
        call(app, 'POST', '/v3/directline/conversations', token),
        call(app, 'POST', path, token, { type: 'message', text: 'aide' }),
        call(app, 'POST', '/v3/directline/conversations', token), // a client retrying its start
      ]);
      expect([start.status, again.status].sort()).toEqual([200, 201]);
      expect(sent.status).toBe(200);
      const activities: any[] = (await call(app, 'GET', path, token)).body.activities;
      const asked = activities.findIndex((a) => a.id === sent.body.id);
      // The whole welcome first (once), then the message, then only its answers.
      expect(asRead(activities.slice(0, asked).map((a) => a.text).join('\n'))).toMatch(/^Bonjour et bienvenue[^]*Que souhaitez-vous faire \?$/);
      expect(activities.slice(asked + 1).map((a) => a.replyToId)).toEqual(expect.arrayContaining([sent.body.id]));
      expect(activities.slice(asked + 1).every((a) => a.replyToId === sent.body.id)).toBe(true);
    }
  });

  it('a message posted again with the same client id (its first answer lost on the network) is kept and answered once', async () => {
    const { conversationId, token } = await newConversation(app);
    const path = `/v3/directline/conversations/${conversationId}/activities`;
    const message = { type: 'message', text: 'Vérifier si ma structure peut être accompagnée', channelData: { clientActivityID: 'client-1' } };
    const first = await call(app, 'POST', path, token, message);
    const again = await call(app, 'POST', path, token, message);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    const texts = (await call(app, 'GET', path, token)).body.activities.map((a: any) => a.text as string);
    expect(texts.filter((t: string) => t === message.text)).toHaveLength(1);
    expect(texts.filter((t: string) => t?.includes('Acceptez-vous que ces informations soient conservées'))).toHaveLength(1);
    // Another message with its own id is a new message.
    const other = await call(app, 'POST', path, token, { ...message, text: 'J’accepte', channelData: { clientActivityID: 'client-2' } });
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('returns activities after a watermark only', async () => {
    const { conversationId, token } = await newConversation(app);
    const all = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const mark = all.body.watermark;
    await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text: 'aide', from: { id: 'u' } });
    const after = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${mark}`, token);
    expect(after.body.activities[0].text).toBe('aide');
    expect(asRead(after.body.activities.slice(1).map((a: any) => a.text).join('\n'))).toContain('« recommencer »');
    expect(Number(after.body.watermark)).toBe(Number(mark) + after.body.activities.length);
  });
});

describe('local Direct Line security', () => {
  let db: TestDb;
  let app: RunningApp;
  let clock = Date.now();

  beforeAll(async () => {
    db = await openTestDb('directline_sec');
    app = await startTestApp(db.connection, { DIRECT_LINE_TOKEN_TTL_SECONDS: '120', DIRECT_LINE_RATE_LIMIT_PER_MINUTE: '20' }, { now: () => clock });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  // Each test in a new rate-limit window: calls with the secret or without a valid token all
  // count against one bucket (the client's address), which would otherwise carry over.
  beforeEach(() => {
    clock += 61_000;
  });

  it('tokens/generate needs the secret: 401 without, 403 with a wrong one', async () => {
    expect((await call(app, 'POST', '/v3/directline/tokens/generate')).status).toBe(401);
    const wrong = await call(app, 'POST', '/v3/directline/tokens/generate', 'not-the-secret');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/secret/);
  });

  it("a token reads and writes only its own conversation (403 on another's)", async () => {
    const a = await newConversation(app);
    const b = await newConversation(app);
    const read = await call(app, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, a.token);
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('Forbidden');
    const write = await call(app, 'POST', `/v3/directline/conversations/${b.conversationId}/activities`, a.token, { type: 'message', text: 'intrus' });
    expect(write.status).toBe(403);
    const reconnect = await call(app, 'GET', `/v3/directline/conversations/${b.conversationId}`, a.token);
    expect(reconnect.status).toBe(403);
    const own = await call(app, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, b.token);
    expect(own.body.activities.map((x: any) => x.text)).not.toContain('intrus');
  });

  it('a token speaks for its own user, whatever "from" the client claims', async () => {
    const { body: gen } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, { user: { id: 'dl_the_real_user' } });
    await call(app, 'POST', '/v3/directline/conversations', gen.token);
    await call(app, 'POST', `/v3/directline/conversations/${gen.conversationId}/activities`, gen.token, { type: 'message', text: 'aide', from: { id: 'dl_someone_else' } });
    const read = await call(app, 'GET', `/v3/directline/conversations/${gen.conversationId}/activities`, gen.token);
    const mine = read.body.activities.find((x: any) => x.text === 'aide');
    expect(mine.from.id).toBe('dl_the_real_user');
  });

  it('a stream opens only with a valid token of its own conversation', async () => {
    const a = await newConversation(app);
    const b = await newConversation(app);
    const stream = (conversationId: string, query: string) => openStream(`${app.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${conversationId}/stream${query}`);
    const other = await stream(b.conversationId, `?t=${a.token}`);
    expect(other.refused).toEqual({ status: 403, body: { error: { code: 'Forbidden', message: 'This token belongs to another conversation.' } } });
    expect((await stream(a.conversationId, '')).refused?.status).toBe(401);
    expect((await stream(a.conversationId, '?t=not-a-token')).refused?.status).toBe(403);
    expect((await stream('unknown', `?t=${TEST_DIRECT_LINE_SECRET}`)).refused?.status).toBe(404);
    expect((await openStream(`${app.baseUrl.replace('http', 'ws')}/elsewhere`)).refused?.status).toBe(404);
    const own = await stream(a.conversationId, `?t=${a.token}`);
    expect(own.refused).toBeUndefined();
    own.ws!.close();
  });

  it('an expired token gets 403 TokenExpired; a tampered one 403', async () => {
    const { conversationId, token } = await newConversation(app);
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url')}.${sig}`;
    expect((await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, tampered)).status).toBe(403);

    clock += 121_000;
    const expired = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(expired.status).toBe(403);
    expect(expired.body.error.code).toBe('TokenExpired');
    expect((await call(app, 'POST', '/v3/directline/tokens/refresh', token)).status).toBe(403);
  });

  it('an unknown conversation gets 404 (with the secret), and a bad watermark 400', async () => {
    const missing = await call(app, 'GET', '/v3/directline/conversations/does-not-exist/activities', TEST_DIRECT_LINE_SECRET);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/Unknown conversation/);
    const { conversationId, token } = await newConversation(app);
    const bad = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=abc`, token);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { code: 'BadArgument', message: 'The watermark must be a whole number returned by an earlier call.' } });
  });

  it('malformed activities get 400 with a message', async () => {
    const { conversationId, token } = await newConversation(app);
    for (const [body, message] of [
      [{ text: 'no type' }, 'The activity has no "type" (expected "message", "conversationUpdate", …).'],
      [[], 'The body must be an activity (a JSON object).'],
      [{ type: 'message', text: 'salut', from: 'evil' }, '"from" must be an object.'],
      [{ type: 'message', text: 'salut', entities: 'x' }, '"entities" must be a list of objects.'],
      [{ type: 'conversationUpdate', membersAdded: 'x' }, '"membersAdded" must be a list of { "id": … }.'],
      [{ type: 'message' }, 'A message needs "text", "attachments" or "value".'],
    ] as const) {
      const res = await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'BadArgument', message } });
    }
    const broken = await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, '{"type":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('InvalidContent');
    expect(broken.body.error.message).toMatch(/^Invalid JSON: /); // then the parser's own words
  });

  it('a deeply nested activity, or a long text in a card answer, gets 400 before anything is stored or answered', async () => {
    const { conversationId, token } = await newConversation(app);
    const path = `/v3/directline/conversations/${conversationId}/activities`;
    const before = await call(app, 'GET', path, token);
    const nested = 'The activity is nested more than 32 levels deep (objects and arrays).';
    for (const [body, message] of [
      [`{"type":"message","value":${'['.repeat(5000)}${']'.repeat(5000)}}`, nested],
      [`{"type":"message","value":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`, nested],
      [{ type: 'message', value: { area: 'people', situation: `Nous manquons de bénévoles ${'y'.repeat(500_000)}`, urgency: '4' } }, 'A text in "value" is longer than 20000 characters.'],
    ] as const) {
      const res = await call(app, 'POST', path, token, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'BadArgument', message } });
    }
    const after = await call(app, 'GET', path, token);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body); // nothing appended, nothing answered
    const { ws, messages } = await openStream(`${app.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${conversationId}/stream?t=${token}`);
    await until(() => messages.length > 0);
    expect(messages[0]).toEqual(before.body); // the stream still sends the history
    ws!.close();
  });

  it('a body that is not JSON gets 415 with a message (a form, text, no content type), and nothing is answered', async () => {
    const { conversationId, token } = await newConversation(app);
    const path = `/v3/directline/conversations/${conversationId}/activities`;
    const before = await call(app, 'GET', path, token);
    const json = JSON.stringify({ type: 'message', text: 'bonjour' });
    for (const [url, type, body] of [
      [path, 'application/x-www-form-urlencoded', 'type=message&text=bonjour'],
      [path, 'text/plain', json],
      [path, undefined, json],
      ['/v3/directline/conversations', 'application/x-www-form-urlencoded', 'type=message&text=bonjour'],
    ] as const) {
      const res = await fetch(`${app.baseUrl}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
        body: type ? body : Buffer.from(body), // a Buffer gets no content type
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'UnsupportedMediaType', message: 'Send the activity as JSON (Content-Type: application/json).' } });
    }
    expect(await call(app, 'GET', path, token)).toMatchObject({ status: 200, body: before.body });
  });

  it('nobody but the assistant can post into a conversation as the bot (Connector routes)', async () => {
    const { conversationId, token } = await newConversation(app);
    const forged = await call(app, 'POST', `/v3/conversations/${conversationId}/activities`, undefined, { type: 'message', text: 'Votre dossier est refusé' });
    expect(forged.status).toBe(401);
    const withToken = await call(app, 'POST', `/v3/conversations/${conversationId}/activities`, token, { type: 'message', text: 'Votre dossier est refusé' });
    expect(withToken.status).toBe(401);
    const read = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(read.body.activities.map((x: any) => x.text)).not.toContain('Votre dossier est refusé');
  });

  it('rate-limits requests per token with 429 and Retry-After', async () => {
    const { conversationId, token } = await newConversation(app);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    clock += 61_000; // a new window, the token still valid (120 s): the same token is served again
    const again = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(again.status).toBe(200);
  });

  it('a refreshed token shares its conversation’s budget (refreshing does not reset it)', async () => {
    const { conversationId, token } = await newConversation(app);
    // Starting the conversation was its first call; 18 reads, then the refresh is the 20th.
    for (let i = 0; i < 18; i++) await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const refreshed = await call(app, 'POST', '/v3/directline/tokens/refresh', token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token).not.toBe(token);
    expect((await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, refreshed.body.token)).status).toBe(429);
  });

  it('without TRUST_PROXY_HOPS, X-Forwarded-For cannot buy a fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await fetch(`${app.baseUrl}/v3/directline/conversations/x/activities`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});

describe('a follow-up check-in reaches a Web Chat user through the local Direct Line', () => {
  let db: TestDb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await openTestDb('directline_checkin');
    // No quiet hours: the check-in goes whenever this test runs.
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', FOLLOWUP_QUIET_HOURS: '00:00-00:00', FOLLOWUP_WEEKENDS: 'true' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('the scheduler sends it into the structure’s conversation: the open stream shows it, and the answer is recorded', async () => {
    const gen = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
    const { conversationId, userId, token } = gen.body;
    await call(app, 'POST', '/v3/directline/conversations', token);
    const say = (text: string) => call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text, from: { id: userId } });
    await say('bonjour'); // where to reach this user is remembered
    const dossiers = new DossierRepository(db.connection);
    const dossier = await dossiers.create(`directline:${userId}`, 36);
    dossier.answers = { name: 'Ressourcerie du Port', location: { postalCode: '33000', departement: '33' } };
    await dossiers.save(dossier);
    await app.app.checkinRepository.add(dossier._id, 'manual_test', new Date(Date.now() - 60_000));

    const { ws, messages } = await openStream(`${app.baseUrl.replace('http', 'ws')}/v3/directline/conversations/${conversationId}/stream?t=${token}`);
    const streamed = () => messages.flatMap((m) => m.activities).map((a: any) => a.text ?? '');
    expect(await app.app.scheduler.tick()).toMatchObject({ sent: 1 });
    await until(() => streamed().some((text) => /des emplois ont-ils été créés/.test(text)));
    await say('2 emplois maintenus');
    await until(() => streamed().some((text) => /santé économique/.test(text)));
    expect((await app.app.checkinRepository.get(`${dossier._id}|manual_test`))).toMatchObject({ status: 'sent', answers: { jobs: '2 emplois maintenus' } });
    ws!.close();
  });
});

describe('a conversation without consent keeps no history past DIRECT_LINE_NO_CONSENT_HOURS', () => {
  let db: TestDb;
  let app: RunningApp;
  let clock = Date.now();
  const HOUR = 3_600_000;

  beforeAll(async () => {
    db = await openTestDb('directline_no_consent');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde', DIRECT_LINE_NO_CONSENT_HOURS: '24' }, { now: () => clock });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  /** A conversation where `texts` were said (by `userId`, else a user of its own); what the assistant answered to each. */
  async function conversation(texts: string[], userId?: string): Promise<{ conversationId: string; said: string[]; say(text: string): Promise<string> }> {
    const { conversationId } = await newConversation(app, userId);
    const from = userId ?? `u-${conversationId}`;
    const token = TEST_DIRECT_LINE_SECRET; // a token expires as the clock moves on
    const say = async (text: string) => {
      const before = (await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token)).body.watermark;
      await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text, from: { id: from } });
      const got = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${before}`, token);
      return got.body.activities.filter((a: any) => a.from.role === 'bot' || a.from.id !== from).map((a: any) => asRead(a.text ?? '')).join('\n');
    };
    const said: string[] = [];
    for (const text of texts) said.push(await say(text));
    return { conversationId, said, say };
  }

  /** The texts the local Direct Line would redraw on reload, as stored. */
  async function history(conversationId: string): Promise<string[]> {
    await app.app.localDirectLine!.store.flushed();
    const rows = await db.connection.db!.collection('directline_activities').find({ conversationId }).toArray();
    return rows.map((r) => JSON.parse(r.activity as string).text as string);
  }

  it('declined: the refusal says when, and after that delay its messages and typed answers are gone; consented (at once or later): kept', async () => {
    const declined = await conversation(['Vérifier si ma structure peut être accompagnée', 'Je refuse', '732 829 320 00074']);
    expect(declined.said[1]).toContain('je ne conserve rien sur vous ni sur votre structure');
    expect(declined.said[1]).toContain('effacés sous 24 heures');
    const consented = await conversation(['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier']);
    const later = await conversation(['Vérifier si ma structure peut être accompagnée', 'Je refuse', 'c’est bon j’accepte', 'Les Jardins du Médoc']);
    expect(later.said[2]).toContain('je conserve désormais vos réponses');

    clock += 23 * HOUR;
    await app.app.forgetWithoutConsent();
    expect(await history(declined.conversationId)).toContain('732 829 320 00074'); // not yet
    const stateOf = async (id: string) => JSON.stringify(await db.connection.db!.collection('botstate').findOne({ _id: `directline/conversations/${id}/` as never }) ?? {});
    expect(await stateOf(declined.conversationId)).toContain('73282932000074'); // the answer, asked without consent, in the dialog state

    clock += 2 * HOUR;
    expect(await app.app.forgetWithoutConsent()).toBe(1);
    expect(await history(declined.conversationId)).toEqual([]);
    // Nor can Web Chat redraw it on reload.
    const reload = await call(app, 'GET', `/v3/directline/conversations/${declined.conversationId}/activities`, TEST_DIRECT_LINE_SECRET);
    expect(reload.body.activities).toEqual([]);
    // The bot state kept no trace of the answers asked without consent.
    expect(await stateOf(declined.conversationId)).not.toContain('73282932000074');
    expect(await stateOf(declined.conversationId)).toContain('consentDeclined'); // what follows is still not logged
    expect(await history(consented.conversationId)).toEqual(expect.arrayContaining(['Les Amis du Quartier']));
    expect(await history(later.conversationId)).toEqual(expect.arrayContaining(['Les Jardins du Médoc']));
    // A sweep with nothing new to forget touches nothing.
    expect(await app.app.forgetWithoutConsent()).toBe(0);
  });

  it('never asked for consent (a visit to the presentation, the FAQ): forgotten that long after its last message; a consenting user’s, or an active one, kept', async () => {
    const transcriptOf = async (id: string) => (await app.app.transcripts.getTranscriptActivities('directline', id)).items.map((a) => a.text ?? '');
    const visit = await conversation(['Découvrir le DLA', 'c’est payant ?']);
    expect(visit.said[1]).toContain('gratuit');
    // A structure that consented, then comes back in a new conversation and only reads the FAQ.
    const userId = `dl_returning_${randomUUID()}`;
    await conversation(['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier'], userId);
    const returning = await conversation(['c’est payant ?'], userId);
    const active = await conversation(['Découvrir le DLA']);
    expect(await history(visit.conversationId)).toContain('c’est payant ?');
    expect(await transcriptOf(visit.conversationId)).toContain('c’est payant ?');

    clock += 20 * HOUR;
    await active.say('c’est payant ?'); // still reading, 20 hours later
    clock += 5 * HOUR;
    await app.app.forgetWithoutConsent();
    expect(await history(visit.conversationId)).toEqual([]);
    expect(await transcriptOf(visit.conversationId)).toEqual([]);
    expect(await history(returning.conversationId)).toContain('c’est payant ?');
    expect(await transcriptOf(returning.conversationId)).toContain('c’est payant ?');
    expect(await history(active.conversationId)).toContain('c’est payant ?');

    clock += 20 * HOUR;
    await app.app.forgetWithoutConsent();
    expect(await history(active.conversationId)).toEqual([]);
    expect(await history(returning.conversationId)).toContain('c’est payant ?');
  });

  it('/confidentialite says how soon the messages of a refusal are erased', async () => {
    const page = await (await fetch(`${app.baseUrl}/confidentialite`)).text();
    expect(page).toContain('effacés sous 24 heures');
    expect(page).toContain('ou après votre dernier message si la question ne vous a pas été posée');
  });
});

describe('the retention purge and a local Direct Line conversation: its record and its history go together', () => {
  let db: TestDb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await openTestDb('directline_retention');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA de la Gironde' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  /** The nightly purge (36 months), then the caches it deleted behind, as index.ts runs it. */
  async function purge(): Promise<void> {
    await purgeExpired(db.connection, new Date(), 36, app.app.privacy);
    app.app.localDirectLine!.store.clearCache();
  }
  const OLD = new Date('2022-01-10T10:00:00Z');

  it('a conversation begun before the cutoff and still going on keeps its record and its recent history, at the same positions: Web Chat reconnects and goes on', async () => {
    const { conversationId, token } = await newConversation(app);
    const say = (text: string) => call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text, from: { id: 'x' } });
    expect((await say('c’est payant le DLA ?')).status).toBe(200);
    await app.app.localDirectLine!.store.flushed();
    const old = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const cut = old.body.activities.length; // what it said 37 months ago
    expect((await say('et pour une coopérative ?')).status).toBe(200);
    await app.app.localDirectLine!.store.flushed();
    const before = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const d = db.connection.db!;
    await d.collection('directline_conversations').updateOne({ _id: conversationId as never }, { $set: { createdAt: OLD } });
    await d.collection('directline_activities').updateMany({ conversationId, seq: { $lt: cut } }, { $set: { createdAt: OLD } });

    await purge();

    // Reconnecting (Web Chat after a reload, the token still valid): the conversation is there.
    expect((await call(app, 'GET', `/v3/directline/conversations/${conversationId}`, token)).status).toBe(200);
    const after = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    expect(after.status).toBe(200);
    // Only the recent part, with the ids and the watermark it had: nothing of the old part.
    const seen = (activities: any[]) => activities.map((a) => [a.id, a.text]);
    expect(seen(after.body.activities)).toEqual(seen(before.body.activities.slice(cut)));
    expect(after.body.watermark).toBe(before.body.watermark);
    expect(JSON.stringify(after.body)).not.toContain('payant');
    // It goes on: what comes next follows, and is stored (a restart reads it back in order).
    expect((await say('merci')).status).toBe(200);
    await app.app.localDirectLine!.store.flushed();
    const next = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${before.body.watermark}`, token);
    expect(next.body.activities.map((a: any) => a.text)[0]).toBe('merci');
    expect(next.body.activities[0].id).toBe(`${conversationId}|${before.body.watermark.padStart(7, '0')}`);
    app.app.localDirectLine!.store.clearCache();
    expect(seen((await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token)).body.activities))
      .toEqual(seen([...after.body.activities, ...next.body.activities]));
  });

  it('a conversation whose whole history is past the cutoff goes with it: record and activities', async () => {
    const { conversationId, token } = await newConversation(app);
    expect((await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text: 'bonjour', from: { id: 'x' } })).status).toBe(200);
    await app.app.localDirectLine!.store.flushed();
    const d = db.connection.db!;
    await d.collection('directline_conversations').updateOne({ _id: conversationId as never }, { $set: { createdAt: OLD } });
    await d.collection('directline_activities').updateMany({ conversationId }, { $set: { createdAt: OLD } });

    await purge();

    expect(await d.collection('directline_conversations').countDocuments({ _id: conversationId as never })).toBe(0);
    expect(await d.collection('directline_activities').countDocuments({ conversationId })).toBe(0);
    expect((await call(app, 'GET', `/v3/directline/conversations/${conversationId}`, token)).status).toBe(404);
  });
});
