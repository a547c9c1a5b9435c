/**
 * Back-office bench: `count` dossiers seeded as the app stores them (accueil answers, rules'
 * decision, a confirmed diagnostic for most, a chargé·e's decision for some, one or two handoffs,
 * follow-up check-ins, a transcript per conversation), then the page's API calls timed as an
 * administrator and as a chargé·e of one département: the dossier list (default filters, its
 * next page, filtered), one dossier, the handoff list (default, its next page, filtered), the
 * statistics, the CSV export (everything, filtered).
 *
 * Embedded FerretDB (like bench/bench.ts) unless MONGODB_URI is set (a fresh database is created on it
 * and dropped, as bench/followup.ts does). Alone: `node dist/bench/admin.js`;
 * env BENCH_DOSSIERS (2000), BENCH_ADMIN_RUNS (5, the median is shown).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import type { Connection, mongo } from 'mongoose';
import restify from 'restify';
import { AdminAuth } from '../src/admin/auth';
import { registerAdminRoutes } from '../src/admin/routes';
import { loadConfig } from '../src/config';
import { HandoffOutbox } from '../src/handoff/outbox';
import { setLogLevel } from '../src/log';
import { PROJECT_ROOT } from '../src/paths';
import { connectWithRetry } from '../src/store/db';
import { ensureFerretDb, startFerretDb } from '../src/store/ferretdb';
import { upgradeLookups } from '../src/store/lookups';
import { refreshHandoffState, upgradeSummaries } from '../src/store/summaries';
import { MongoTranscriptStore, TRANSCRIPTS_COLLECTION } from '../src/store/transcripts';
import { THEMES } from '../src/domain/themes';
import { withDatabase } from './followup';

export interface BenchAdminOptions { count?: number; runs?: number; uri?: string; print?: (line: string) => void }
export interface BenchAdminRow { call: string; 'median ms': string; 'max ms': string; 'KB': number; rows: number | string }

const DEPARTEMENTS = ['33', '24', '40', '47', '64'];
const DAY = 86_400_000;

/**
 * Documents shaped as the app writes them (see test/integration/admin.test.ts), deterministic but
 * for their dates: every change in the past (by default), or one dated after the list is read would
 * come again with each next page (its `changed` rows).
 */
export function seedDocuments(count: number, start = new Date(Date.now() - (count * 3 / 4 + 40) * DAY)) {
  const dossiers: Record<string, unknown>[] = [];
  const handoffs: Record<string, unknown>[] = [];
  const checkins: Record<string, unknown>[] = [];
  const activities: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = `bench-d-${String(i).padStart(5, '0')}`;
    const departement = i % 17 === 0 ? undefined : DEPARTEMENTS[i % DEPARTEMENTS.length];
    const createdAt = new Date(start.getTime() + i * (3 * DAY / 4));
    const updatedAt = new Date(createdAt.getTime() + (i % 40) * DAY);
    const conversation = `conv-${i}`;
    const diagnosed = i % 4 !== 0;
    const theme = THEMES[i % THEMES.length];
    const siret = String(73282932000000 + i);
    const outcome = i % 10 === 0 ? 'to_confirm' : i % 13 === 0 ? 'out_of_scope' : 'eligible';
    dossiers.push({
      _id: id, phase: diagnosed ? (i % 3 === 0 ? 'parcours' : 'diagnostic') : 'accueil', status: 'submitted',
      channelUsers: [`directline:user-${i}`], conversations: [`directline|${conversation}`],
      consent: { given: true, at: createdAt, retentionMonths: 36 }, siret, ...(departement ? { departement } : {}),
      answers: {
        name: `Association numéro ${i} pour l'emploi solidaire`, identifiers: { siret },
        legalForm: { result: { form: 'association' }, text: 'association loi 1901' },
        employees: { etp: (i % 20) + 0.5, text: `${(i % 20) + 0.5} ETP` },
        location: { postalCode: `${departement ?? '99'}000`, ...(departement ? { departement } : {}), text: departement ? undefined : 'quelque part' },
        request: 'Consolider nos emplois et structurer notre modèle économique après une année difficile. '.repeat(2),
        contact: { name: `Camille ${i}`, email: `contact${i}@example.org`, phone: '05 56 00 00 00' },
      },
      decision: {
        outcome, rulesVersion: '2026-11-26.1', decidedAt: createdAt,
        reasons: [
          { code: 'legal_form_in_scope', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 1' },
          { code: 'employer', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 3' },
        ],
      },
      ...(i % 5 === 0 ? { chargeDecision: { outcome: 'eligible', note: 'Appel fait, structure motivée.', by: 'Claire Martin', byEmail: 'claire@dla.test', at: updatedAt } } : {}),
      ...(diagnosed ? {
        diagnostic: {
          answers: {
            activity: 'Atelier vélo solidaire, réparation et insertion', budget: { euros: 180000 + i, text: '180 k€' },
            finance_situation: 'Trésorerie tendue depuis la fin d’une subvention', finance_urgency: 4,
            rh_situation: 'Pas de fiches de poste, turnover des bénévoles', rh_urgency: 3,
            strategy_situation: 'Projet associatif à réécrire', strategy_urgency: 2, staff: { etp: (i % 20) + 0.5 },
          },
          themes: [theme, THEMES[(i + 1) % THEMES.length]], ranking: [theme, THEMES[(i + 1) % THEMES.length]],
          version: 2, confirmedAt: updatedAt, year: updatedAt.getUTCFullYear(), primaryTheme: theme, startedAt: createdAt,
        },
      } : {}),
      ...(i % 3 === 0 && diagnosed ? { parcours: { text: 'Accompagnement individuel, 4 jours de prestation.', recordedAt: updatedAt, miseEnOeuvreStartedAt: updatedAt } } : {}),
      createdAt, updatedAt,
    });
    for (let k = 0; k < (i % 3 === 0 ? 2 : 1); k++) {
      const status = k === 0 && i % 2 === 0 ? 'closed' : i % 7 === 0 ? 'claimed' : 'open';
      handoffs.push({
        _id: `bench-h-${i}-${k}`, dossierId: id, reason: 'user_request', urgency: 'normal', consent: true, status,
        ...(departement ? { departement } : {}), structureName: `Association numéro ${i}`,
        contact: { name: `Camille ${i}`, phone: '05 56 00 00 00' }, message: 'Merci de me rappeler.',
        transcript: { channelId: 'directline', conversationId: conversation },
        deliveries: [{ notifier: 'email', event: 'created', status: 'sent', attempts: 1, sentAt: createdAt, nextAttemptAt: createdAt }],
        ...(status !== 'open' ? { claimedBy: 'claire@dla.test', claimedByName: 'Claire Martin', claimedAt: updatedAt } : {}),
        ...(status === 'closed' ? { closedBy: 'claire@dla.test', closedByName: 'Claire Martin', closedAt: updatedAt } : {}),
        createdAt: new Date(createdAt.getTime() + k * DAY), updatedAt,
      });
    }
    if (i % 3 === 0 && diagnosed) {
      const answered = i % 2 === 0;
      checkins.push({
        _id: `${id}|after:mise_en_oeuvre_started:6:month`, dossierId: id, milestone: 'after:mise_en_oeuvre_started:6:month',
        dueAt: new Date(updatedAt.getTime() + 180 * DAY), nextAttemptAt: new Date(updatedAt.getTime() + 180 * DAY),
        status: answered ? 'answered' : 'planned', attempts: answered ? 1 : 0, sends: answered ? [{ at: updatedAt, instance: 'bench', outcome: 'sent' }] : [],
        ...(answered ? { answeredAt: updatedAt, answers: { satisfaction: 4, jobs: '2 emplois créés', comment: 'Très utile' } } : {}),
        createdAt: updatedAt, updatedAt,
      });
    }
    for (let a = 0; a < 20; a++) {
      const timestamp = new Date(createdAt.getTime() + a * 60_000);
      const user = a % 2 === 0;
      activities.push({
        _id: `directline|${conversation}|${String(a).padStart(6, '0')}`, channelId: 'directline', conversationId: conversation, timestamp,
        participants: [`user-${i}`, 'dla-assistant'],
        activity: JSON.stringify({
          type: 'message', timestamp, channelId: 'directline', conversation: { id: conversation },
          from: user ? { id: `user-${i}`, role: 'user' } : { id: 'dla-assistant', role: 'bot' },
          text: user ? 'Nous avons 3 salariés et un besoin sur la trésorerie.' : 'Merci. Quelle est la situation de votre structure sur ce point ?',
        }),
      });
    }
  }
  return { dossiers, handoffs, checkins, activities };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * A fresh database named `prefix` and a random suffix, on `uri`'s server or on an embedded FerretDB
 * started here; `close()` drops it (never the one MONGODB_URI names: the assistant's) and stops what was started.
 */
export async function benchDatabase(prefix: string, uri: string, ferretdbBin: string, print: (line: string) => void): Promise<{ connection: Connection; close: () => Promise<void> }> {
  let stop = async () => undefined as void;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `dla-${prefix}-`));
  if (!uri) {
    const ferret = await startFerretDb(await ensureFerretDb(path.join(PROJECT_ROOT, '.tools'), ferretdbBin, print), dataDir);
    uri = ferret.uri;
    stop = () => ferret.stop();
  }
  const connection = await connectWithRetry(withDatabase(uri, `${prefix}_${randomBytes(4).toString('hex')}`), { maxAttempts: 3 });
  return {
    connection,
    close: async () => {
      await connection.db?.dropDatabase();
      await connection.close();
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Inserts `rows` into `name`, 500 at a time. */
export async function insertRows(db: mongo.Db, name: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.collection(name).insertMany(rows.slice(i, i + 500) as never[], { ordered: false });
}

export async function benchAdmin(options: BenchAdminOptions = {}): Promise<BenchAdminRow[]> {
  const count = options.count ?? 2000;
  const runs = options.runs ?? 5;
  const print = options.print ?? ((line: string) => console.log(line));
  const config = loadConfig({ ...process.env, PORT: '0', OPERATOR_DEPARTEMENTS: DEPARTEMENTS.join(',') });
  const { connection, close } = await benchDatabase('bench_admin', options.uri ?? config.mongoUri, config.ferretdbBin, print);
  const server = restify.createServer();
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const outbox = new HandoffOutbox(connection, [], { maxAttempts: 3, stateChanged: (dossierId) => refreshHandoffState(connection, dossierId) });
  const transcripts = new MongoTranscriptStore(connection);
  registerAdminRoutes(server, { connection, config, transcripts, handoffs: outbox });
  try {
    const seedStarted = performance.now();
    const docs = seedDocuments(count);
    const db = connection.db!;
    const insert = (name: string, rows: Record<string, unknown>[]) => insertRows(db, name, rows);
    await insert('dossiers', docs.dossiers);
    await insert('handoffs', docs.handoffs);
    await insert('checkins', docs.checkins);
    // As the assistant stored them before transcripts were filed by conversation: filed at start, as after an upgrade.
    await insert(TRANSCRIPTS_COLLECTION, docs.activities);
    const migrateStarted = performance.now();
    await transcripts.migrate();
    const migrated = ((performance.now() - migrateStarted) / 1000).toFixed(1);
    // Dossiers by SIRET and handoffs by dossier: listed at start, as after an upgrade.
    const listStarted = performance.now();
    await upgradeLookups(connection);
    const listedIn = ((performance.now() - listStarted) / 1000).toFixed(1);
    // The back-office's summaries of the dossiers: built at start, as after an upgrade.
    const summariesStarted = performance.now();
    await upgradeSummaries(connection);
    const summarisedIn = ((performance.now() - summariesStarted) / 1000).toFixed(1);
    const auth = new AdminAuth(connection);
    await auth.upsertUser({ email: 'admin@bench.test', name: 'Alex Admin', role: 'admin', departements: [] });
    await auth.upsertUser({ email: 'claire@bench.test', name: 'Claire Martin', role: 'charge', departements: ['33'] });
    const tokens = {
      admin: (await auth.createUserToken('admin@bench.test')).token,
      charge: (await auth.createUserToken('claire@bench.test')).token,
    };
    print(`Back-office bench: ${count} dossiers, ${docs.handoffs.length} handoffs, ${docs.checkins.length} check-ins, ${docs.activities.length} transcript activities seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (the upgrades: transcripts ${migrated} s, lookup lists ${listedIn} s, dossier summaries ${summarisedIn} s)`);

    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const one = (docs.dossiers[Math.floor(count / 3) * 3] as { _id: string })._id;
    const get = (url: string, who: keyof typeof tokens) => fetch(`${base}${url}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    // « Afficher plus »: the page after the first one (its cursor; none when one page holds every dossier).
    const { cursor } = await (await get('/admin/api/dossiers', 'admin')).json() as { cursor: string | null };
    const handoffCursor = (await (await get('/admin/api/handoffs?status=waiting', 'admin')).json() as { cursor?: string | null }).cursor;
    type Call = [string, keyof typeof tokens, string, (body: string) => number | string];
    const calls: Call[] = [
      ['dossier list (admin, default filters)', 'admin', '/admin/api/dossiers', (b) => JSON.parse(b).dossiers.length],
      ['dossier list (admin, next page)', 'admin', `/admin/api/dossiers?cursor=${cursor ?? ''}`, (b) => JSON.parse(b).dossiers.length],
      ['dossier list (chargé·e 33, default)', 'charge', '/admin/api/dossiers', (b) => JSON.parse(b).dossiers.length],
      ['dossier list (phase=diagnostic, outcome=eligible)', 'admin', '/admin/api/dossiers?phase=diagnostic&outcome=eligible', (b) => JSON.parse(b).dossiers.length],
      ['dossier list (departement=24, theme)', 'admin', `/admin/api/dossiers?departement=24&theme=${THEMES[1]}`, (b) => JSON.parse(b).dossiers.length],
      ['one dossier', 'admin', `/admin/api/dossiers/${one}`, (b) => JSON.parse(b).handoffs.length],
      ['handoff list (waiting)', 'admin', '/admin/api/handoffs?status=waiting', (b) => JSON.parse(b).handoffs.length],
      // Its next page (« Afficher plus »), when the list comes by pages.
      ...(handoffCursor ? [['handoff list (waiting, next page)', 'admin', `/admin/api/handoffs?status=waiting&cursor=${handoffCursor}`, (b) => JSON.parse(b).handoffs.length] as Call] : []),
      ['handoff list (chargé·e 33, waiting)', 'charge', '/admin/api/handoffs?status=waiting', (b) => JSON.parse(b).handoffs.length],
      ['handoff list (departement=24, every status)', 'admin', '/admin/api/handoffs?departement=24', (b) => JSON.parse(b).handoffs.length],
      ['handoff list (closed, « Rechercher » Camille)', 'admin', '/admin/api/handoffs?status=closed&q=Camille', (b) => JSON.parse(b).handoffs.length],
      ['statistics (admin)', 'admin', '/admin/api/stats', () => '-'],
      ['statistics (chargé·e 33)', 'charge', '/admin/api/stats', () => '-'],
      ['CSV export (admin, everything)', 'admin', '/admin/api/export.csv', (b) => b.split('\r\n').length - 2],
      ['CSV export (chargé·e 33)', 'charge', '/admin/api/export.csv', (b) => b.split('\r\n').length - 2],
      ['CSV export (departement=24, theme)', 'admin', `/admin/api/export.csv?departement=24&theme=${THEMES[1]}`, (b) => b.split('\r\n').length - 2],
    ];
    const rows: BenchAdminRow[] = [];
    for (const [call, who, url, countRows] of calls) {
      const times: number[] = [];
      let body = '';
      for (let r = 0; r < runs + 1; r++) {
        const t0 = performance.now();
        const res = await get(url, who);
        body = await res.text();
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
        if (r > 0) times.push(performance.now() - t0); // the first run warms up
      }
      rows.push({ call, 'median ms': median(times).toFixed(0), 'max ms': Math.max(...times).toFixed(0), KB: Math.round(Buffer.byteLength(body) / 1024), rows: countRows(body) });
    }
    console.table(rows);
    return rows;
  } finally {
    server.close();
    await close();
  }
}

if (require.main === module) {
  setLogLevel('warn');
  benchAdmin({ count: Number(process.env.BENCH_DOSSIERS ?? 2000), runs: Number(process.env.BENCH_ADMIN_RUNS ?? 5) })
    .then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
