import http from 'node:http';
import { AddressInfo } from 'node:net';
import { openTestDb, TestDb } from '../helpers/db';
import { RunningApp, startTestApp, TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';

const tokenOf = async (app: RunningApp, body: unknown = {}) => {
  const res = await fetch(`${app.baseUrl}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
};

describe('web chat page and its token endpoint (embedded default)', () => {
  let db: TestDb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await openTestDb('webchat_token');
    app = await startTestApp(db.connection, { OPERATOR_NAME: 'DLA <33> & Co', OPERATOR_PRIMARY_COLOR: '#0b6e4f' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('serves the page with the operator name escaped, its colour, French locale, and the bundle locally', async () => {
    const res = await fetch(app.baseUrl);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Assistant du DLA &lt;33&gt; &amp; Co');
    expect(html).not.toContain('DLA <33>');
    expect(html).toContain('--dla-primary: #0b6e4f');
    expect(html).toContain('"locale":"fr-FR"');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    expect(html).not.toContain(TEST_DIRECT_LINE_SECRET);
    const bundle = await fetch(`${app.baseUrl}/static/webchat.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
  });

  it('issues a local token bound to a new conversation, never the secret', async () => {
    const { status, body } = await tokenOf(app);
    expect(status).toBe(200);
    expect(body).toMatchObject({ domain: '/v3/directline', conversationId: expect.any(String), userId: expect.stringMatching(/^dl_/) });
    expect(JSON.stringify(body)).not.toContain(TEST_DIRECT_LINE_SECRET);
    const start = await fetch(`${app.baseUrl}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${body.token}` } });
    expect(start.status).toBe(201);
    expect((await start.json()).conversationId).toBe(body.conversationId);
  });

  it('keeps a returning browser’s user id only with its proof', async () => {
    const first = (await tokenOf(app)).body;
    const again = (await tokenOf(app, { userId: first.userId, userProof: first.userProof })).body;
    expect(again.userId).toBe(first.userId);
    expect(again.conversationId).not.toBe(first.conversationId);
    const impostor = (await tokenOf(app, { userId: first.userId, userProof: 'forged' })).body;
    expect(impostor.userId).not.toBe(first.userId);
  });
});

describe('embedding on the operator’s own site (WEBCHAT_ALLOWED_ORIGINS)', () => {
  let db: TestDb;
  let app: RunningApp;
  const site = 'https://www.dla-gironde.example';

  beforeAll(async () => {
    db = await openTestDb('webchat_cors');
    app = await startTestApp(db.connection, { WEBCHAT_ALLOWED_ORIGINS: site });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('lets the operator’s site frame the page, and no other', async () => {
    const csp = (await fetch(app.baseUrl)).headers.get('content-security-policy');
    expect(csp).toContain(`frame-ancestors 'self' ${site}`);
  });

  it('answers the operator’s site with CORS (preflight included), and not other sites', async () => {
    const preflight = await fetch(`${app.baseUrl}/v3/directline/conversations`, {
      method: 'OPTIONS', headers: { origin: site, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(site);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const token = await fetch(`${app.baseUrl}/api/webchat/token`, { method: 'POST', headers: { origin: site, 'content-type': 'application/json' }, body: '{}' });
    expect(token.headers.get('access-control-allow-origin')).toBe(site);
    const other = await fetch(`${app.baseUrl}/api/webchat/token`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('web chat token endpoint in production (Azure Direct Line)', () => {
  let db: TestDb;
  let app: RunningApp;
  let azure: http.Server;
  const seen: { authorization?: string; body: any }[] = [];
  let azureStatus = 200;

  beforeAll(async () => {
    // A stand-in for https://directline.botframework.com (the true boundary).
    azure = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ authorization: req.headers.authorization, body: JSON.parse(body || '{}') });
        res.writeHead(azureStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify(azureStatus === 200 ? { conversationId: 'AzureConv-eu', token: 'azure-token', expires_in: 3600 } : { error: { code: 'Forbidden' } }));
      });
    });
    await new Promise<void>((r) => azure.listen(0, '127.0.0.1', r));
    db = await openTestDb('webchat_azure');
    app = await startTestApp(db.connection, {
      DIRECT_LINE_SECRET: 'azure-secret-value',
      DIRECT_LINE_ENDPOINT: `http://127.0.0.1:${(azure.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    azure.close();
  });

  it('exchanges the secret server-side; the browser only gets the token', async () => {
    const { status, body } = await tokenOf(app);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token: 'azure-token', conversationId: 'AzureConv-eu' });
    expect(body.domain).toMatch(/\/v3\/directline$/);
    expect(JSON.stringify(body)).not.toContain('azure-secret-value');
    expect(seen[0].authorization).toBe('Bearer azure-secret-value');
    expect(seen[0].body.user.id).toBe(body.userId);
    const page = await (await fetch(app.baseUrl)).text();
    expect(page).not.toContain('azure-secret-value');
  });

  it('does not run the local Direct Line when Azure is configured', async () => {
    const res = await fetch(`${app.baseUrl}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: 'Bearer azure-secret-value' } });
    expect(res.status).toBe(404);
  });

  it('says so with 502 when Azure refuses the secret', async () => {
    azureStatus = 403;
    const { status, body } = await tokenOf(app);
    expect(status).toBe(502);
    expect(body.error.message).toMatch(/DIRECT_LINE_SECRET/);
    azureStatus = 200;
  });
});

describe('new chats behind a reverse proxy (TRUST_PROXY_HOPS=1)', () => {
  const fx = useAssistant('webchat_proxy', { TRUST_PROXY_HOPS: '1' });

  const open = (visitor: string) => fetch(`${fx.app.baseUrl}/api/webchat/token`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': visitor }, body: '{}',
  });

  it('counts the 30 new chats a minute per visitor, not for the whole site behind the proxy', async () => {
    const first = [];
    for (let i = 0; i < 31; i++) first.push((await open('203.0.113.7')).status);
    expect(first.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(first[30]).toBe(429);
    // Another visitor through the same proxy is not blocked by the first one.
    expect((await open('198.51.100.20')).status).toBe(200);
  }, 30000);
});
