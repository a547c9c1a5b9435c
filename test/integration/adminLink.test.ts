import { asRead } from '../helpers/asRead';
import { AdminAuth } from '../../src/admin/auth';
import { main } from '../../scripts/admin-link';
import { RunningApp, startTestApp } from '../helpers/app';
import { openTestDb, TestDb } from '../helpers/db';

/** `npm run admin:link -- EMAIL` against the test database (MONGODB_URI), its link spent over HTTP. */
describe('npm run admin:link: a way back into the back-office', () => {
  let db: TestDb;
  let app: RunningApp;
  const saved = { MONGODB_URI: process.env.MONGODB_URI, PUBLIC_URL: process.env.PUBLIC_URL };

  beforeAll(async () => {
    db = await openTestDb('admin_link');
    app = await startTestApp(db.connection);
    process.env.MONGODB_URI = db.uri;
    process.env.PUBLIC_URL = 'https://dla.example.org';
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await app?.close();
    await db?.close();
  });

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(asRead(l)), err: (l) => err.push(asRead(l)) });
    return { code, out, err };
  };
  const signIn = (url: string) => fetch(`${app.baseUrl}/admin/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: url.split('#code=')[1] }),
  });

  it('makes the first administrator when there is none, with a link that signs in once', async () => {
    const { code, out } = await run('Marie.Dupont@DLA.test');
    expect(code).toBe(0);
    expect(out).toContain('marie.dupont@dla.test est maintenant administrateur·rice du back-office.');
    const url = out[out.length - 1];
    expect(url).toMatch(/^https:\/\/dla\.example\.org\/admin\/#code=[A-Za-z0-9_-]{43}$/);
    expect((await signIn(url)).status).toBe(200);
    expect((await signIn(url)).status).toBe(401);
    expect((await new AdminAuth(db.connection).get('marie.dupont@dla.test'))?.role).toBe('admin');
  });

  it('gives an existing user, locked out, a new link; an unknown address gets none, and the administrators are named', async () => {
    const again = await run('marie.dupont@dla.test');
    expect(again.code).toBe(0);
    expect(again.out.join('\n')).not.toContain('maintenant administrateur');
    expect((await signIn(again.out[again.out.length - 1])).status).toBe(200);

    const unknown = await run('personne@dla.test');
    expect(unknown.code).toBe(1);
    expect(unknown.out.join('\n')).not.toContain('#code=');
    expect(unknown.err.join('\n')).toContain('Aucun·e utilisateur·rice du back-office n’a l’adresse personne@dla.test. Administrateur·rices : marie.dupont@dla.test.');
    expect(await new AdminAuth(db.connection).get('personne@dla.test')).toBeUndefined();
  });

  it('says how to use it', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('a@b.test', 'c@d.test')).code).toBe(2);
    expect((await run('--help')).out[0]).toMatch(/^Utilisation : npm run admin:link -- E-MAIL/);
  });
});
