import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopServing } from '../../src/app';
import { PROJECT_ROOT } from '../../src/paths';
import { freePort, startFerretDb } from '../../src/store/ferretdb';
import { TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';
import { freeze, until } from '../helpers/wait';

/** What index.ts does on SIGTERM/SIGINT before closing the database. */
describe('stopping while structures are mid-turn (local Direct Line)', () => {
  const fx = useAssistant('shutdown', { OPERATOR_NAME: 'DLA de la Gironde' });

  const post = (path: string, token: string, body?: unknown) => fetch(`${fx.app.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

  it('lets every accepted message get its reply before closing, and refuses new ones with 503', async () => {
    const conversations = await Promise.all([1, 2, 3, 4, 5].map(async () => {
      const { token } = await (await post('/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET)).json();
      const { conversationId } = await (await post('/v3/directline/conversations', token)).json();
      return { token, conversationId };
    }));
    const sends = conversations.map((c) => post(`/v3/directline/conversations/${c.conversationId}/activities`, c.token, { type: 'message', text: 'aide', from: { id: 'x' } }));
    await until(() => fx.app.app.inFlight.size > 0, 10_000);
    const stopped = stopServing(fx.app.app);
    const late = await post(`/v3/directline/conversations/${conversations[0].conversationId}/activities`, conversations[0].token, { type: 'message', text: 'aide' });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('10');
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    await stopped;

    // Every message the server took (200) was answered, in the stored history, before it closed.
    const store = fx.app.app.localDirectLine!.store;
    const accepted = conversations.filter((_, i) => statuses[i] === 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const c of accepted) {
      const history = (await store.get(c.conversationId))!.activities;
      const asked = history.findIndex((a) => a.text === 'aide');
      expect(history.slice(asked + 1).some((a) => a.from?.role === 'bot' && /Je peux vous présenter le DLA/.test(a.text ?? ''))).toBe(true);
    }
  }, 30000);
});

describe('SIGTERM while the embedded database hangs (the real process: node dist/src/index.js)', () => {
  const build = path.join(PROJECT_ROOT, 'artefacts', 'shutdown-build'); // not dist/: another test file builds there

  beforeAll(async () => {
    const tsc = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', build], { cwd: PROJECT_ROOT });
    let output = '';
    tsc.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    const code = await new Promise((resolve) => tsc.on('close', resolve));
    if (code !== 0) throw new Error(`tsc failed:\n${output}`);
  }, 300_000); // a whole tsc build: over 2 minutes on a loaded 2-core machine

  it('refuses to start on a DATA_DIR another running assistant uses, in one line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-twice-'));
    const ferret = await startFerretDb(process.env.TEST_FERRETDB_BIN!, path.join(dataDir, 'ferretdb'), undefined, { announce: true });
    try {
      const child = spawn(process.execPath, [path.join(build, 'src', 'index.js')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', PUBLIC_URL: '', MONGODB_URI: '', DATA_DIR: dataDir, FERRETDB_BIN: process.env.TEST_FERRETDB_BIN },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2);
      // Its last line (node's own deprecation notices may come first): no stack trace.
      expect(stderr.trim().split('\n').pop()).toBe(`DATA_DIR ${dataDir} is already used by another running assistant (process ${process.pid}): stop it, or set another DATA_DIR.`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await ferret.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('answers a request still waiting with 503 and Retry-After when the shutdown time runs out, then exits', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-sigterm-'));
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(build, 'src', 'index.js')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: '', MONGODB_URI: '', DATA_DIR: dataDir, FERRETDB_BIN: process.env.TEST_FERRETDB_BIN,
        LOCAL_DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET, SHUTDOWN_TIMEOUT_MS: '2000', LOG_LEVEL: 'info',
      },
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { log += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let ferretPid = 0;
    try {
      await until(() => log.includes('dla-assistant listening on'), 30_000, () => log);
      const base = `http://127.0.0.1:${port}/v3/directline`;
      const post = (url: string, token: string, body?: unknown) => fetch(`${base}${url}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
      });
      const { token, conversationId } = await (await post('/tokens/generate', TEST_DIRECT_LINE_SECRET)).json();
      expect((await post('/conversations', token)).status).toBe(201);

      ferretPid = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      await freeze(ferretPid); // frozen: connections stay open, nothing answers
      const sending = post(`/conversations/${conversationId}/activities`, token, { type: 'message', text: 'Découvrir le DLA' })
        .then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }));
      await new Promise((r) => setTimeout(r, 300)); // the message is being processed
      child.kill('SIGTERM');

      expect(await sending).toEqual({
        status: 503, retryAfter: '10',
        body: { error: { code: 'ShuttingDown', message: 'The assistant is restarting; send this again in a few seconds.' } },
      });
      expect(await exited).toBe(1);
      expect(log).toContain('Shutdown timed out; exiting');
    } finally {
      if (ferretPid) try { process.kill(ferretPid, 'SIGKILL'); } catch { /* gone with the assistant */ }
      child.kill('SIGKILL');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
