/**
 * npm run bench — turn throughput and latency through POST /api/messages.
 *
 *  (a) floor: a bare echo bot on the same stack (restify + CloudAdapter) with MemoryStorage;
 *  (b) the real assistant on MongoStorage / FerretDB (or MONGODB_URI when set).
 *  (a′) the echo bot again, sending as many activities a turn as (b) did (each is one Connector
 *      call): the floor for the assistant's conversation, not only for its stack;
 *  (c) (b) again, through the local Direct Line (token, start, post, poll), as Web Chat does;
 *  (d) follow-up check-ins drained by two scheduler instances (bench/followup.ts; BENCH_FOLLOWUP=0 skips it);
 *  (e) the back-office's API over 2,000 seeded dossiers (bench/admin.ts; BENCH_ADMIN=0 skips it).
 * N concurrent conversations of M turns each; replies go to a local connector endpoint.
 * Client, server and database share this machine: figures compare (a) and (b), they are not
 * a capacity plan. Env: BENCH_CONVERSATIONS (50), BENCH_TURNS (20).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { AddressInfo } from 'node:net';
import { ActivityHandler, ConversationState, MemoryStorage, Storage, StoreItems } from 'botbuilder';
import restify from 'restify';
import { createAdapter } from '../src/adapter';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { setLogLevel } from '../src/log';
import { PROJECT_ROOT } from '../src/paths';
import { connectWithRetry } from '../src/store/db';
import { ensureFerretDb, startFerretDb } from '../src/store/ferretdb';
import { botStateStorage } from '../src/store/mongoStorage';
import { Channel, post } from '../test/helpers/app';
import { FakeConnector } from '../test/helpers/connector';
import { benchAdmin } from './admin';
import { benchFollowup, withDatabase } from './followup';

const N = Number(process.env.BENCH_CONVERSATIONS ?? 50);
const M = Number(process.env.BENCH_TURNS ?? 20);
const SCRIPT = ['Découvrir le DLA', 'suite', 'suite', 'suite', 'suite', '3', 'aide', 'English', '4', 'français', 'n’importe quoi', 'recommencer'];

interface Result { label: string; turns: number; seconds: number; latencies: number[]; errors: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(label: string, baseUrl: string, connectorUrl: string): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: N }, async () => {
    const channel = new Channel(connectorUrl, 'fr-FR', 'directline');
    const activities = [channel.join(), ...Array.from({ length: M - 1 }, (_, i) => channel.say(SCRIPT[i % SCRIPT.length]))];
    for (const activity of activities) {
      const t0 = performance.now();
      const res = await post(baseUrl, activity);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status >= 300) errors++;
    }
  }));
  return { label, turns: latencies.length, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), errors };
}

/**
 * The same conversations through the local Direct Line, as Web Chat does it: a token, start,
 * then for each turn POST the activity and GET the activities after the watermark. A user
 * POST returns once the bot's turn is done, so one GET brings the replies.
 */
async function driveDirectLine(label: string, baseUrl: string, secret: string): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const json = async (method: string, path: string, auth: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) errors++;
    return res.json() as Promise<any>;
  };
  await Promise.all(Array.from({ length: N }, async () => {
    const t0 = performance.now();
    const { token } = await json('POST', '/v3/directline/tokens/generate', secret, {});
    const { conversationId } = await json('POST', '/v3/directline/conversations', token);
    let { watermark } = await json('GET', `/v3/directline/conversations/${conversationId}/activities`, token);
    latencies.push(performance.now() - t0);
    for (let i = 0; i < M - 1; i++) {
      const t1 = performance.now();
      await json('POST', `/v3/directline/conversations/${conversationId}/activities`, token, { type: 'message', text: SCRIPT[i % SCRIPT.length], from: { id: 'bench' } });
      const page = await json('GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, token);
      watermark = page.watermark;
      if (!page.activities.some((a: { from: { id: string } }) => a.from.id === 'dla-assistant')) errors++;
      latencies.push(performance.now() - t1);
    }
  }));
  return { label, turns: latencies.length, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), errors };
}

function report(r: Result): Record<string, string | number> {
  return {
    bot: r.label,
    turns: r.turns,
    errors: r.errors,
    'turns/s': Math.round(r.turns / r.seconds),
    'p50 ms': percentile(r.latencies, 50).toFixed(1),
    'p95 ms': percentile(r.latencies, 95).toFixed(1),
    'p99 ms': percentile(r.latencies, 99).toFixed(1),
  };
}

/** Counts storage calls, to check "one read and one write per state object per turn". */
class CountingStorage implements Storage {
  reads = 0; writes = 0; keysRead = 0; keysWritten = 0;
  constructor(private readonly inner: Storage) {}
  read(keys: string[]) { this.reads++; this.keysRead += keys.length; return this.inner.read(keys); }
  write(changes: StoreItems) { this.writes++; this.keysWritten += Object.keys(changes).length; return this.inner.write(changes); }
  delete(keys: string[]) { return this.inner.delete(keys); }
}

/** CPU seconds used so far by a process (Linux /proc), 0 when unknown. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/**
 * Runs `work` and returns the Node CPU it took (this process: client, server, connector). With
 * BENCH_PROFILE=prefix, also writes a CPU profile of it to prefix-<name>.cpuprofile (Chrome DevTools).
 */
async function measured<T>(name: string, work: () => Promise<T>): Promise<[T, NodeJS.CpuUsage]> {
  const prefix = process.env.BENCH_PROFILE;
  const profiler = prefix ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.writeFileSync(`${prefix}-${name}.cpuprofile`, JSON.stringify(profile));
    profiler.disconnect();
  }
  return [result, used];
}

async function listen(server: restify.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const connector = await new FakeConnector().start();
  // The bench's 50 clients share one address: the per-token rate limit must not throttle them.
  const config = loadConfig({ ...process.env, PORT: '0', DIRECT_LINE_RATE_LIMIT_PER_MINUTE: '1000000', LOCAL_DIRECT_LINE_SECRET: 'bench-secret' });

  // (a) the floor: echo bot, MemoryStorage, same adapter and HTTP stack.
  const echoState = new ConversationState(new MemoryStorage());
  const echoCount = echoState.createProperty<number>('count');
  const echo = new ActivityHandler();
  // (a′): activities a turn, on average (1 for (a)); the fraction is spread over the turns.
  let perTurn = 1;
  let owed = 0;
  echo.onMessage(async (ctx, next) => {
    await echoCount.set(ctx, (await echoCount.get(ctx, 0)) + 1);
    owed += perTurn;
    for (; owed >= 1; owed--) await ctx.sendActivity(`echo: ${ctx.activity.text}`);
    await next();
  });
  echo.onMembersAdded(async (ctx, next) => { await ctx.sendActivity('hello'); await next(); });
  const echoAdapter = createAdapter(config);
  const echoServer = restify.createServer();
  echoServer.use(restify.plugins.bodyParser({ mapParams: false }));
  echoServer.post('/api/messages', async (req, res) => {
    await echoAdapter.process(req, res, async (ctx) => { await echo.run(ctx); await echoState.saveChanges(ctx); });
  });
  const echoUrl = await listen(echoServer);

  // (b) the real assistant on MongoStorage.
  // A database of its own on MONGODB_URI's server: the one it names is never written to nor dropped.
  let uri = config.mongoUri ? withDatabase(config.mongoUri, `bench_turns_${randomBytes(4).toString('hex')}`) : undefined;
  let stopFerret = async () => undefined as void;
  let ferretPid = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-bench-'));
  if (!uri) {
    const bin = await ensureFerretDb(path.join(PROJECT_ROOT, '.tools'), config.ferretdbBin, (m) => console.log(m));
    const ferret = await startFerretDb(bin, dataDir);
    uri = `${ferret.uri}_bench`;
    stopFerret = () => ferret.stop();
    ferretPid = ferret.pid;
  }
  const connection = await connectWithRetry(uri, { maxAttempts: 3, monitorCommands: true });
  // Database commands by name and collection, counted during (b).
  let commands: Map<string, number> | undefined;
  connection.getClient().on('commandStarted', (e) => {
    if (!commands) return;
    const target = e.command[e.commandName];
    const kind = `${e.commandName}${typeof target === 'string' ? ` ${target}` : ''}`;
    commands.set(kind, (commands.get(kind) ?? 0) + 1);
  });
  // The storage the app builds for itself (reads from memory on the embedded default), counted.
  const counting = new CountingStorage(botStateStorage(connection, !config.mongoUri));
  const real = createApp(config, connection, !config.mongoUri, { storage: counting });
  const secret = real.localDirectLine?.secret ?? '';
  const realUrl = await listen(real.server);

  console.log(`Bench: ${N} concurrent conversations × ${M} turns, ${os.cpus().length} CPU cores, Node ${process.version}, database ${config.mongoUri ? 'MONGODB_URI' : 'embedded FerretDB'}`);
  await drive('warm-up', echoUrl, connector.url);
  await drive('warm-up', realUrl, connector.url);

  const [a, cpuA] = await measured('a', () => drive('(a) echo + MemoryStorage', echoUrl, connector.url));
  const sentBy = (from: number) => connector.activities.length - from;
  const sentBeforeB = connector.activities.length;
  counting.reads = counting.writes = counting.keysRead = counting.keysWritten = 0;
  commands = new Map();
  const ferretBefore = cpuSeconds(ferretPid);
  const [b, nodeCpu] = await measured('b', () => drive('(b) assistant + MongoStorage', realUrl, connector.url));
  const commandsInB = commands;
  commands = undefined;
  const sentInB = sentBy(sentBeforeB);
  const cpu = { node: (nodeCpu.user + nodeCpu.system) / 1e6, ferret: cpuSeconds(ferretPid) - ferretBefore };
  const io = { reads: counting.reads, writes: counting.writes, keysRead: counting.keysRead, keysWritten: counting.keysWritten };
  perTurn = sentInB / b.turns;
  const [a2, cpuA2] = await measured('a2', () => drive(`(a′) echo, ${perTurn.toFixed(2)} activities a turn`, echoUrl, connector.url));
  const c = await driveDirectLine('(c) (b) through local Direct Line', realUrl, secret);
  console.table([report(a), report(b), report(a2), report(c)]);
  const ratio = (x: number, y: number) => (x / y).toFixed(2);
  console.log(`ratio (b)/(a): p50 ${ratio(percentile(b.latencies, 50), percentile(a.latencies, 50))}, ` +
    `p95 ${ratio(percentile(b.latencies, 95), percentile(a.latencies, 95))}, throughput ${ratio(a.turns / a.seconds, b.turns / b.seconds)} (a/b turns/s)`);
  console.log(`ratio (b)/(a′), the same activities a turn: p50 ${ratio(percentile(b.latencies, 50), percentile(a2.latencies, 50))}, ` +
    `p95 ${ratio(percentile(b.latencies, 95), percentile(a2.latencies, 95))}, throughput ${ratio(a2.turns / a2.seconds, b.turns / b.seconds)} (a′/b turns/s)`);
  console.log(`local Direct Line overhead (c)/(b): p50 ${ratio(percentile(c.latencies, 50), percentile(b.latencies, 50))}, ` +
    `p95 ${ratio(percentile(c.latencies, 95), percentile(b.latencies, 95))}, throughput ${ratio(b.turns / b.seconds, c.turns / c.seconds)} (b/c turns/s)`);
  // Each activity the bot sends is one Connector call (HTTP, serialisation): the echo sends one a turn.
  console.log(`activities sent per turn: (a) 1.00, (b) ${(sentInB / b.turns).toFixed(2)} (the assistant's answer, its question, cards, events)`);
  console.log(`CPU during (b): ${cpu.node.toFixed(1)} s in Node (client + server), ${cpu.ferret.toFixed(1)} s in FerretDB, over ${b.seconds.toFixed(1)} s of wall time on ${os.cpus().length} cores`);
  const msPerTurn = (usage: NodeJS.CpuUsage, turns: number) => ((usage.user + usage.system) / 1000 / turns).toFixed(2);
  console.log(`CPU ms per turn: (a) Node ${msPerTurn(cpuA, a.turns)}; (a′) Node ${msPerTurn(cpuA2, a2.turns)}; (b) Node ${msPerTurn(nodeCpu, b.turns)}, FerretDB ${(cpu.ferret * 1000 / b.turns).toFixed(2)}`);
  const byKind = [...commandsInB].sort((x, y) => y[1] - x[1]);
  console.log(`database commands per turn of (b): ${(byKind.reduce((n, [, c]) => n + c, 0) / b.turns).toFixed(2)} — ` +
    byKind.map(([kind, c]) => `${kind} ${(c / b.turns).toFixed(2)}`).join(', '));
  console.log(`state I/O per turn of (b) (conversation + user state; reads served from memory on the embedded database): ${(io.reads / b.turns).toFixed(2)} reads (${(io.keysRead / b.turns).toFixed(2)} keys), ` +
    `${(io.writes / b.turns).toFixed(2)} writes (${(io.keysWritten / b.turns).toFixed(2)} keys)`);

  await connection.db?.dropDatabase();
  await connection.close();
  await stopFerret();
  fs.rmSync(dataDir, { recursive: true, force: true });
  echoServer.close();
  real.server.close();
  await connector.stop();
  // (d) follow-up: due check-ins drained by two scheduler instances (BENCH_CHECKINS, default 10,000).
  let followupOk = true;
  if (process.env.BENCH_FOLLOWUP !== '0') {
    const f = await benchFollowup({ count: Number(process.env.BENCH_CHECKINS ?? 10000), instances: 2 });
    followupOk = f.duplicates === 0 && f.losses === 0;
  }
  // (e) back-office: list, dossier, handoffs, statistics and CSV latency (BENCH_DOSSIERS, default 2,000).
  if (process.env.BENCH_ADMIN !== '0') await benchAdmin({ count: Number(process.env.BENCH_DOSSIERS ?? 2000) });
  process.exit(a.errors + a2.errors + b.errors + c.errors > 0 || !followupOk ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(1); });
