import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { asRead } from '../helpers/asRead';
import { announcedFerretDb, RunningFerretDb, startFerretDb } from '../../src/store/ferretdb';
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

/** The embedded default: the tool uses the running assistant's database, never a second FerretDB on its files. */
describe('npm run admin:link on the embedded database while the assistant runs', () => {
  const keys = ['MONGODB_URI', 'DATA_DIR', 'FERRETDB_BIN', 'PUBLIC_URL', 'PORT'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  let dataDir: string;
  let ferret: RunningFerretDb;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-admin-link-'));
    ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, path.join(dataDir, 'ferretdb'), undefined, { announce: true });
    Object.assign(process.env, { MONGODB_URI: '', DATA_DIR: dataDir, FERRETDB_BIN: process.env.TEST_FERRETDB_BIN, PUBLIC_URL: 'https://dla.example.org' });
  }, 30_000);
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await ferret?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('links to the running assistant’s own address, even when its PORT was set only in its shell', async () => {
    const announced = await startFerretDb(process.env.TEST_FERRETDB_BIN!, path.join(dataDir, 'elsewhere', 'ferretdb'), undefined, { announce: true, publicUrl: 'http://localhost:4321' });
    const env = { DATA_DIR: process.env.DATA_DIR, PUBLIC_URL: process.env.PUBLIC_URL, PORT: process.env.PORT };
    try {
      Object.assign(process.env, { DATA_DIR: path.join(dataDir, 'elsewhere') });
      delete process.env.PUBLIC_URL;
      delete process.env.PORT;
      const out: string[] = [];
      expect(await main(['camille@dla.test'], { out: (l) => out.push(asRead(l)), err: () => undefined })).toBe(0);
      expect(out[out.length - 1]).toMatch(/^http:\/\/localhost:4321\/admin\/#code=/);
    } finally {
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      await announced.stop();
    }
  }, 30_000);

  it('writes the link into the running assistant’s database and says so; stopped, the assistant no longer announces it', async () => {
    const out: string[] = [];
    expect(await main(['camille@dla.test'], { out: (l) => out.push(asRead(l)), err: () => undefined })).toBe(0);
    expect(out[0]).toBe(`Base intégrée : ${path.join(dataDir, 'ferretdb')}, celle de l’assistant en marche.`);
    // What the assistant's own server holds: the administrator the tool just made.
    const assistant = await mongoose.createConnection(ferret.uri).asPromise();
    try {
      expect((await new AdminAuth(assistant).get('camille@dla.test'))?.role).toBe('admin');
    } finally {
      await assistant.close();
    }
    await ferret.stop();
    expect(fs.existsSync(path.join(dataDir, 'ferretdb', 'running.json'))).toBe(false);
    expect(await announcedFerretDb(path.join(dataDir, 'ferretdb'))).toBeUndefined();
  }, 30_000);

  it('ignores what a killed assistant left behind', async () => {
    const dead = Number(execFileSync('sh', ['-c', 'echo $$']).toString().trim()); // a process that has exited
    fs.writeFileSync(path.join(dataDir, 'ferretdb', 'running.json'), JSON.stringify({ pid: dead, port: ferret.port }));
    expect(await announcedFerretDb(path.join(dataDir, 'ferretdb'))).toBeUndefined();
    const out: string[] = [];
    expect(await main(['camille@dla.test'], { out: (l) => out.push(asRead(l)), err: () => undefined })).toBe(0);
    expect(out[0]).toBe(`Base intégrée : ${path.join(dataDir, 'ferretdb')}.`);
  }, 60_000);
});
