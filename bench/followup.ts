/**
 * Follow-up scheduler bench: `count` check-ins all due, `instances` schedulers (one database
 * connection each, as separate processes would have) ticking side by side until nothing is
 * due, each check-in POSTed by the sender to a local fake Bot Connector that counts the POSTs
 * per check-in. Prints the time to drain, sends/s, duplicates and losses (both must be 0),
 * and the database's per-operation costs at the end, which bound the drain time.
 *
 * Embedded FerretDB (like bench/bench.ts) unless MONGODB_URI is set (a fresh database is
 * created on it and dropped). Alone: `node dist/bench/followup.js`;
 * env BENCH_CHECKINS (10000), BENCH_INSTANCES (2), BENCH_BATCH (250).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Connection } from 'mongoose';
import { Checkin, newCheckin } from '../src/followup/checkins';
import { CheckinSender, FollowupScheduler } from '../src/followup/scheduler';
import { setLogLevel } from '../src/log';
import { PROJECT_ROOT } from '../src/paths';
import { connectWithRetry } from '../src/store/db';
import { ensureFerretDb, startFerretDb } from '../src/store/ferretdb';

export interface BenchFollowupOptions {
  count?: number;
  instances?: number;
  /** Check-ins claimed per tick and instance. */
  batchSize?: number;
  sendConcurrency?: number;
  /** A MongoDB URI (default: MONGODB_URI, else an embedded FerretDB). */
  uri?: string;
  print?: (line: string) => void;
}

export interface BenchFollowupResult {
  count: number;
  instances: number;
  batchSize: number;
  database: string;
  seconds: number;
  sendsPerSecond: number;
  /** POSTs beyond the first for a check-in. */
  duplicates: number;
  /** Check-ins never POSTed, or not recorded as sent. */
  losses: number;
  ticks: number;
  /** Per-operation costs on the drained collection (ms). */
  costs: { findById: number; updateById: number; scan: number };
}

/** A local Bot Connector endpoint: counts the check-in activities POSTed for each check-in. */
class FakeConnectorEndpoint {
  readonly posts = new Map<string, number>();
  total = 0;
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    let seq = 0;
    this.server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities$/.test(req.url ?? '')) {
          res.statusCode = 404; // not writeHead(…).end(): restify, loaded by the turn bench, makes writeHead return nothing
          res.end();
          return;
        }
        const id = (JSON.parse(body) as { value?: { checkinId?: string } }).value?.checkinId ?? '?';
        this.posts.set(id, (this.posts.get(id) ?? 0) + 1);
        this.total++;
        res.statusCode = 201;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `activity-${++seq}` }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** What the real sender does, reduced to its HTTP: one small activity per check-in. */
class ConnectorSender implements CheckinSender {
  constructor(private readonly url: string) {}

  async send(checkin: Checkin): Promise<'sent' | 'gone'> {
    const res = await fetch(`${this.url}/v3/conversations/${encodeURIComponent(`bench-${checkin.dossierId}`)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'event', name: 'checkin', value: { checkinId: checkin._id, attempt: checkin.attempts + 1 } }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`connector answered ${res.status}`);
    return 'sent';
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** `uri` naming the database `name` instead of its own (a bench works in a fresh one, dropped after). */
export function withDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function benchFollowup(options: BenchFollowupOptions = {}): Promise<BenchFollowupResult> {
  const count = options.count ?? 10_000;
  const instances = options.instances ?? 2;
  const batchSize = options.batchSize ?? 250;
  const print = options.print ?? ((line: string) => console.log(line));
  setLogLevel('warn'); // one info line per check-in sent would drown the figures

  let baseUri = options.uri ?? process.env.MONGODB_URI ?? '';
  let stopFerret = async (): Promise<void> => undefined;
  let dataDir = '';
  if (!baseUri) {
    const bin = await ensureFerretDb(path.join(PROJECT_ROOT, '.tools'), process.env.FERRETDB_BIN ?? '', print);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-bench-followup-'));
    const ferret = await startFerretDb(bin, dataDir);
    baseUri = ferret.uri;
    stopFerret = () => ferret.stop();
  }
  const database = options.uri || process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded FerretDB';
  const uri = withDatabase(baseUri, `bench_followup_${randomBytes(4).toString('hex')}`);
  const connector = await new FakeConnectorEndpoint().start();
  const connections: Connection[] = [];
  try {
    for (let i = 0; i < instances; i++) connections.push(await connectWithRetry(uri, { maxAttempts: 3 }));
    const sender = new ConnectorSender(connector.url);
    const schedulers = connections.map((c, i) => new FollowupScheduler(c, sender, {
      instanceId: `bench-${i + 1}`,
      batchSize,
      sendConcurrency: options.sendConcurrency ?? 16,
      // The bench runs at any hour: no quiet hours.
      quiet: { quietStart: '00:00', quietEnd: '00:00', weekends: true },
    }));
    await schedulers[0].checkins.conditionalUpdates();
    await connections[0].model('Checkin').init(); // indexes built before the clock starts

    const seededAt = new Date(Date.now() - 60_000);
    const ids: string[] = [];
    const seedTime = await timed(async () => {
      for (let i = 0; i < count; i += 1000) {
        const docs = Array.from({ length: Math.min(1000, count - i) }, (_, k) => {
          const c = newCheckin(`bench-dossier-${String(i + k).padStart(6, '0')}`, 'after_diagnostic_15m', seededAt, seededAt);
          ids.push(c._id);
          return c;
        });
        await connections[0].collection('checkins').insertMany(docs as never[]);
      }
    });
    print(`Follow-up bench: ${count} due check-ins (seeded in ${(seedTime / 1000).toFixed(1)} s), ${instances} scheduler instance(s), batch ${batchSize}, ` +
      `${os.cpus().length} CPU cores, Node ${process.version}, database ${database}`);

    let ticks = 0;
    let tickMs = 0;
    const started = performance.now();
    const progress = setInterval(() => {
      const s = (performance.now() - started) / 1000;
      print(`  … ${s.toFixed(0)} s: ${connector.total} sent (${(connector.total / s).toFixed(0)}/s)`);
    }, 15_000);
    progress.unref();
    try {
      await Promise.all(schedulers.map(async (s) => {
        for (;;) {
          const t0 = performance.now();
          const r = await s.tick();
          tickMs += performance.now() - t0;
          ticks++;
          if (r.due === 0) return;
          // Everything due is held by the other instances: look again shortly.
          if (r.claimed === 0) await new Promise((res) => setTimeout(res, 50));
        }
      }));
    } finally {
      clearInterval(progress);
    }
    const seconds = (performance.now() - started) / 1000;

    let duplicates = 0;
    for (const n of connector.posts.values()) duplicates += Math.max(0, n - 1);
    const checkins = connections[0].collection('checkins');
    const notRecorded = await checkins.countDocuments({ status: { $ne: 'sent' } });
    const losses = ids.filter((id) => !connector.posts.has(id)).length + notRecorded;

    // What the database costs per operation now that it holds `count` check-ins (median of 5).
    const sample = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => ids[Math.floor(f * (ids.length - 1))] as never);
    const median = async (op: (id: never) => Promise<unknown>) => {
      const times: number[] = [];
      for (const id of sample) times.push(await timed(() => op(id)));
      return times.sort((x, y) => x - y)[2];
    };
    const costs = {
      findById: await median((id) => checkins.findOne({ _id: id })),
      updateById: await median((id) => checkins.updateOne({ _id: id }, { $set: { updatedAt: new Date() } })),
      scan: await median(() => checkins.find({ status: 'planned', nextAttemptAt: { $lte: new Date() } }).limit(1).toArray()),
    };

    const result: BenchFollowupResult = {
      count, instances, batchSize, database, seconds, sendsPerSecond: connector.total / seconds, duplicates, losses, ticks, costs,
    };
    console.table([{
      'check-ins': count,
      instances,
      batch: batchSize,
      'drain s': seconds.toFixed(1),
      'sends/s': Math.round(result.sendsPerSecond),
      duplicates,
      losses,
      ticks,
      'avg tick ms': Math.round(tickMs / Math.max(1, ticks)),
    }]);
    print(`database costs at ${count} check-ins: read by _id ${costs.findById.toFixed(1)} ms, update by _id ${costs.updateById.toFixed(1)} ms, ` +
      `scan for due check-ins ${costs.scan.toFixed(0)} ms; one update per check-in sent ⇒ at least ${(count * costs.updateById / 1000).toFixed(0)} s of writes`);
    return result;
  } finally {
    for (const c of connections.slice(0, 1)) await c.db?.dropDatabase().catch(() => undefined);
    for (const c of connections) await c.close().catch(() => undefined);
    await connector.stop();
    await stopFerret();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchFollowup({
    count: Number(process.env.BENCH_CHECKINS ?? 10_000),
    instances: Number(process.env.BENCH_INSTANCES ?? 2),
    batchSize: Number(process.env.BENCH_BATCH ?? 250),
  }).then((r) => process.exit(r.duplicates + r.losses > 0 ? 1 : 0), (err) => {
    console.error(err);
    process.exit(1);
  });
}
