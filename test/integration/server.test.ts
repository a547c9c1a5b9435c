import { Channel, post, useAssistant } from '../helpers/app';

describe('HTTP server', () => {
  const fx = useAssistant('server');

  it('GET /healthz reports the process and a database round trip', async () => {
    const res = await fetch(`${fx.app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { status: 'up' }, uptimeSeconds: expect.any(Number) });
  });

  it.each(['/healthz', '/', '/confidentialite', '/conditions-utilisation'])('HEAD %s answers 200 without a body (uptime monitors)', async (path) => {
    const res = await fetch(`${fx.app.baseUrl}${path}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('serves the terms of use the Teams manifest links to (termsOfUseUrl), in French and in English', async () => {
    const fr = await fetch(`${fx.app.baseUrl}/conditions-utilisation`);
    expect(fr.status).toBe(200);
    const page = await fr.text();
    expect(page).toContain('<h1>Conditions d’utilisation de l’assistant du DLA</h1>');
    expect(page).toContain('la décision d’accompagner votre structure revient à l’équipe du DLA');
    expect(page).toContain('<a href="/confidentialite">Confidentialité et données personnelles</a>');
    const en = await (await fetch(`${fx.app.baseUrl}/conditions-utilisation?lang=en`)).text();
    expect(en).toContain('<h1>Terms of use of the DLA assistant</h1>');
    expect(en).toContain('<a href="/confidentialite?lang=en">Privacy and personal data</a>');
  });

  it('malformed JSON gets 400 with a message', async () => {
    const res = await post(fx.app.baseUrl, '{"type": "message", ');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('InvalidContent');
    expect(body.error.message).toMatch(/^Invalid JSON: /); // then the parser's own words
  });

  it.each([
    ['an activity without type', { type: undefined }, 'The activity has no "type" (expected "message", "conversationUpdate", …).'],
    ['an empty type', { type: '' }, 'The activity has no "type" (expected "message", "conversationUpdate", …).'],
    ['an array', [], 'The body must be an activity (a JSON object).'],
    ['no conversation', { conversation: undefined }, 'The activity needs "conversation": { "id": … }.'],
    ['no from', { from: undefined }, 'The activity needs "from": { "id": … }.'],
    ['no recipient', { recipient: { name: 'DLA' } }, 'The activity needs "recipient": { "id": … }.'],
    ['membersAdded not a list', { type: 'conversationUpdate', membersAdded: 'x' }, '"membersAdded" must be a list of { "id": … }.'],
    ['a mention of nobody', { entities: [{ type: 'mention', mentioned: null }] }, 'A "mention" entity needs "mentioned": { "id": … }.'],
    ['entities null', { entities: null }, '"entities" must be a list of objects.'],
    ['a text of 20,001 characters', { text: 'a'.repeat(20_001) }, '"text" is longer than 20000 characters.'],
  ])('%s gets 400 with a message', async (_label, fields, message) => {
    const activity = Array.isArray(fields) ? fields : { ...new Channel(fx.connector.url).say('bonjour'), ...fields };
    const res = await post(fx.app.baseUrl, JSON.parse(JSON.stringify(activity)));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BadRequest', message } });
  });

  // Raw JSON text: JSON.stringify overflows the stack on such a value (what made the 500).
  it.each([
    ['5,000 nested lists in "value"', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'The activity is nested more than 32 levels deep (objects and arrays).'],
    ['100,000 nested objects in "value"', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 'The activity is nested more than 32 levels deep (objects and arrays).'],
    ['a card answer of 500,000 characters', JSON.stringify({ area: 'people', situation: `Nous manquons de bénévoles ${'y'.repeat(500_000)}`, urgency: '4' }), 'A text in "value" is longer than 20000 characters.'],
    ['a card answer with a key of 20,001 characters', JSON.stringify({ ['k'.repeat(20_001)]: 'x' }), 'A text in "value" is longer than 20000 characters.'],
  ])('%s gets 400 with a message, and nothing is processed', async (_label, value, message) => {
    const channel = new Channel(fx.connector.url);
    const res = await post(fx.app.baseUrl, JSON.stringify({ ...channel.say('bonjour'), value: '§' }).replace('"§"', value));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BadRequest', message } });
    expect(fx.connector.messages(channel.conversationId)).toEqual([]);
  });

  it('a card answer of 32 levels and 20,000 characters is read', async () => {
    const channel = new Channel(fx.connector.url);
    let value: unknown = 'y'.repeat(20_000);
    for (let depth = 1; depth < 32; depth++) value = { a: value }; // "value" is level 1, its text level 32
    const res = await post(fx.app.baseUrl, { ...channel.say('bonjour'), value });
    expect(res.status).toBe(200);
    expect(fx.connector.messages(channel.conversationId).length).toBeGreaterThan(0);
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'type=message&text=bonjour'],
    ['JSON sent as text/plain', 'text/plain', 'json'],
    ['JSON without a content type', undefined, 'json'],
  ])('%s gets 415 with a message, and nothing is processed', async (_label, type, body) => {
    const channel = new Channel(fx.connector.url);
    const raw = body === 'json' ? JSON.stringify(channel.say('bonjour')) : `${body}&conversation[id]=${channel.conversationId}`;
    const res = await fetch(`${fx.app.baseUrl}/api/messages`, {
      method: 'POST', headers: type ? { 'content-type': type } : {}, body: type ? raw : Buffer.from(raw), // a Buffer gets no content type
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: 'UnsupportedMediaType', message: 'Send the activity as JSON (Content-Type: application/json).' } });
    expect(fx.connector.messages(channel.conversationId)).toEqual([]);
  });

  it('an unknown route gets 404 with a JSON message', async () => {
    const res = await fetch(`${fx.app.baseUrl}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'ResourceNotFound', message: '/nope does not exist' } });
  });

  it('a valid activity gets 200 and the reply reaches the connector', async () => {
    const channel = new Channel(fx.connector.url);
    const res = await post(fx.app.baseUrl, channel.say('bonjour'));
    expect(res.status).toBe(200);
    expect(fx.connector.messages(channel.conversationId).join('\n')).toContain('Bonjour et bienvenue');
  });
});

describe('Bot Framework authentication', () => {
  const fx = useAssistant('auth', { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });

  it('rejects an unsigned activity with 401 when an app id is configured, and the bot does not answer', async () => {
    const channel = new Channel(fx.connector.url);
    const errors = jest.spyOn(console, 'error');
    const res = await post(fx.app.baseUrl, channel.say('bonjour'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'Unauthorized', message: expect.stringContaining('Bot Framework authentication failed') } });
    expect(errors).not.toHaveBeenCalled(); // one warning line, not a stack trace per request
    errors.mockRestore();
    expect(fx.connector.messages(channel.conversationId)).toEqual([]);
  });

  it('rejects a forged bearer token with 401', async () => {
    const channel = new Channel(fx.connector.url);
    const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"aud":"00000000-0000-0000-0000-000000000001"}').toString('base64url')}.`;
    const res = await post(fx.app.baseUrl, channel.say('bonjour'), { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
    expect(fx.connector.messages(channel.conversationId)).toEqual([]);
  });
});
