import { randomUUID } from 'node:crypto';
import { openTestDb, TestDb } from '../helpers/db';
import { RunningApp, startTestApp, TEST_DIRECT_LINE_SECRET } from '../helpers/app';
import { BotMessages, ConnectionStatus, directLineClient, ignoreEnd } from '../helpers/directline';

async function call(app: RunningApp, method: string, path: string, auth?: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function newConversation(app: RunningApp): Promise<{ conversationId: string; token: string }> {
  const gen = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
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

  it('reconnects to a conversation with its history after the assistant restarts', async () => {
    const { body: { token, conversationId } } = await call(app, 'POST', '/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET, {});
    const first = directLineClient(app.baseUrl, token);
    const bot1 = new BotMessages(first);
    await bot1.after(0, 3);
    await new Promise((resolve, reject) => first.postActivity({ type: 'message', from: { id: 'x' }, text: '2' } as never).subscribe(resolve, reject));
    await bot1.after(3, 3);
    first.end();

    await app.close();
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

  it('returns activities after a watermark only', async () => {
    const { conversationId, token } = await newConversation(app);
    const all = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    const mark = all.body.watermark;
    await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text: 'aide', from: { id: 'u' } });
    const after = await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${mark}`, token);
    expect(after.body.activities[0].text).toBe('aide');
    expect(after.body.activities.slice(1).map((a: any) => a.text).join('\n')).toContain('« recommencer »');
    expect(Number(after.body.watermark)).toBe(Number(mark) + after.body.activities.length);
  });
});

describe('local Direct Line security', () => {
  let db: TestDb;
  let app: RunningApp;
  let clock = Date.now();

  beforeAll(async () => {
    db = await openTestDb('directline_sec');
    app = await startTestApp(db.connection, { DIRECT_LINE_TOKEN_TTL_SECONDS: '60', DIRECT_LINE_RATE_LIMIT_PER_MINUTE: '20' }, { now: () => clock });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
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

  it('an expired token gets 403 TokenExpired; a tampered one 403', async () => {
    const { conversationId, token } = await newConversation(app);
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url')}.${sig}`;
    expect((await call(app, 'GET', `/v3/directline/conversations/${conversationId}/activities`, tampered)).status).toBe(403);

    clock += 61_000;
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
  });

  it('malformed activities get 400 with a message', async () => {
    const { conversationId, token } = await newConversation(app);
    for (const body of [{ text: 'no type' }, [], { type: 'message' }]) {
      const res = await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    const broken = await call(app, 'POST', `/v3/directline/conversations/${conversationId}/activities`, token, '{"type":');
    expect(broken.status).toBe(400);
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
    clock += 61_000; // a new window (tokens of 60 s would have expired: use a fresh one)
    const fresh = await call(app, 'POST', '/v3/directline/tokens/refresh', (await newConversation(app)).token);
    expect(fresh.status).toBe(200);
  });
});
