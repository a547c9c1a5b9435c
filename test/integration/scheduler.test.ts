import { Connection } from 'mongoose';
import { planCheckins } from '../../src/domain/checkinPlan';
import { Checkin, CheckinError, CheckinRepository, newCheckin } from '../../src/followup/checkins';
import { CheckinSender, FollowupScheduler, FollowupSchedulerOptions } from '../../src/followup/scheduler';
import { setLogLevel } from '../../src/log';
import { connectWithRetry } from '../../src/store/db';
import { openTestDb, TestDb } from '../helpers/db';
import { until } from '../helpers/wait';

/** Records every send; `behaviour` decides each outcome (default: delivered). */
class RecordingSender implements CheckinSender {
  readonly calls: string[] = [];
  constructor(public behaviour: (checkin: Checkin) => Promise<'sent' | 'gone'> = async () => 'sent') {}
  async send(checkin: Checkin): Promise<'sent' | 'gone'> {
    this.calls.push(checkin._id);
    return this.behaviour(checkin);
  }
  count(id: string): number {
    return this.calls.filter((c) => c === id).length;
  }
}

/** A send that never finishes until the test says so (a process frozen or killed mid-dispatch). */
class HangingSender implements CheckinSender {
  readonly started: string[] = [];
  private readonly pending: ((err: Error) => void)[] = [];
  send(checkin: Checkin): Promise<'sent' | 'gone'> {
    this.started.push(checkin._id);
    return new Promise((_, reject) => this.pending.push(reject));
  }
  kill(): void {
    this.pending.splice(0).forEach((reject) => reject(new Error('process killed')));
  }
}

// A Wednesday, 10:00 in Paris (UTC+1 in January): inside the allowed hours.
const WED_10H = new Date('2025-01-15T09:00:00.000Z');
const MIN = 60_000;

describe('FollowupScheduler', () => {
  let db: TestDb;
  let other: Connection;
  let clock: Date;
  const now = () => clock;
  let repo: CheckinRepository;
  let n = 0;
  const dossier = () => `dossier-${++n}`;

  const scheduler = (sender: CheckinSender, options: FollowupSchedulerOptions = {}, connection: Connection = db.connection) =>
    new FollowupScheduler(connection, sender, { instanceId: 'A', now, ...options });

  beforeAll(async () => {
    setLogLevel('error');
    db = await openTestDb('scheduler');
    // A second connection: a second process on the same database.
    other = await connectWithRetry(db.uri, { maxAttempts: 3, initialDelayMs: 200 });
    repo = new CheckinRepository(db.connection, now);
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
    setLogLevel('info');
  });
  beforeEach(async () => {
    clock = WED_10H;
    // Each test starts from empty collections (and is not fooled by another test's leftovers).
    await Promise.all(['checkins', 'checkin_leases', 'checkin_optouts'].map((c) => db.connection.collection(c).deleteMany({})));
  });

  test('a check-in fires at its due time, not before, and once', async () => {
    const id = dossier();
    await repo.plan(id, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    const sender = new RecordingSender();
    const s = scheduler(sender);

    clock = new Date(WED_10H.getTime() - 1);
    expect(await s.tick()).toMatchObject({ due: 0, claimed: 0, sent: 0 });
    expect(sender.calls).toEqual([]);

    clock = WED_10H;
    expect(await s.tick()).toMatchObject({ due: 1, claimed: 1, sent: 1 });
    expect(sender.calls).toEqual([`${id}|after_diagnostic_15m`]);
    const stored = await repo.get(`${id}|after_diagnostic_15m`);
    expect(stored).toMatchObject({ status: 'sent', attempts: 0 });
    expect(stored!.sends).toEqual([{ at: WED_10H, instance: 'A', outcome: 'sent' }]);

    clock = new Date(WED_10H.getTime() + 10 * MIN);
    expect(await s.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(sender.calls).toHaveLength(1);
  });

  test('quiet hours: due Saturday 10:00 in Paris, sent Monday 09:00', async () => {
    const id = `${dossier()}|after_mise_en_oeuvre_6m`;
    const saturday10h = new Date('2025-01-18T09:00:00.000Z');
    const monday9h = new Date('2025-01-20T08:00:00.000Z');
    await repo.plan(id.split('|')[0], [{ milestone: 'after_mise_en_oeuvre_6m', dueAt: saturday10h }]);
    const sender = new RecordingSender();
    const s = scheduler(sender);

    clock = saturday10h;
    expect(await s.tick()).toMatchObject({ due: 1, skippedQuiet: 1, claimed: 0, sent: 0 });
    expect(await repo.get(id)).toMatchObject({ status: 'planned', dueAt: saturday10h, nextAttemptAt: monday9h, attempts: 0 });

    clock = new Date('2025-01-19T20:00:00.000Z'); // Sunday 21:00
    expect(await s.tick()).toMatchObject({ due: 0, sent: 0 });
    clock = new Date(monday9h.getTime() - 1);
    expect(await s.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(sender.calls).toEqual([]);

    clock = monday9h;
    expect(await s.tick()).toMatchObject({ sent: 1 });
    expect(sender.calls).toEqual([id]);
  });

  test('two instances ticking concurrently on one database never send a check-in twice (300 check-ins)', async () => {
    const ids: string[] = [];
    const docs = Array.from({ length: 300 }, (_, i) => {
      const c = newCheckin(dossier(), 'after_diagnostic_15m', new Date(WED_10H.getTime() - i * 1000), WED_10H);
      ids.push(c._id);
      return c;
    });
    await db.connection.collection('checkins').insertMany(docs as never[]);
    // One sender shared by both instances: it sees every delivery, whoever makes it.
    const sender = new RecordingSender(() => new Promise((r) => setTimeout(() => r('sent'), Math.random() * 4)));
    const a = scheduler(sender, { instanceId: 'A', batchSize: 20 });
    const b = scheduler(sender, { instanceId: 'B', batchSize: 20 }, other);
    const totals = { A: 0, B: 0, busy: 0 };

    for (let round = 0; round < 40; round++) {
      const results = await Promise.all([a, b, a, b, a, b, a, b].map((s) => s.tick().then((r) => ({ r, who: s.instanceId as 'A' | 'B' }))));
      for (const { r, who } of results) {
        totals[who] += r.sent;
        totals.busy += r.busy;
      }
      if (results.every(({ r }) => r.due === 0)) break;
    }

    const perId = new Map<string, number>();
    for (const id of sender.calls) perId.set(id, (perId.get(id) ?? 0) + 1);
    expect([...perId.values()].filter((count) => count > 1)).toEqual([]); // no duplicate
    expect(ids.filter((id) => !perId.has(id))).toEqual([]); // no loss
    expect(sender.calls).toHaveLength(300);
    expect(totals.A + totals.B).toBe(300);
    // The test did exercise the race: both instances sent, and claims collided.
    expect(totals.A).toBeGreaterThan(0);
    expect(totals.B).toBeGreaterThan(0);
    expect(totals.busy).toBeGreaterThan(0);
    const stored = await repo.getMany(ids);
    expect(stored.filter((c) => c.status !== 'sent' || c.sends.length !== 1)).toEqual([]);
  });

  test('an instance killed mid-dispatch loses nothing: after leaseMs another instance sends its check-ins, once', async () => {
    const leaseMs = 120_000;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = dossier();
      await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
      ids.push(`${d}|after_diagnostic_15m`);
    }
    const frozen = new HangingSender();
    const survivor = new RecordingSender();
    const a = scheduler(frozen, { instanceId: 'A', leaseMs });
    const b = scheduler(survivor, { instanceId: 'B', leaseMs }, other);

    const aTick = a.tick();
    await until(() => frozen.started.length === 3, 10_000);

    // A holds live leases: B must leave them alone, up to the last millisecond of the lease.
    expect(await b.tick()).toMatchObject({ due: 3, claimed: 0, busy: 3, sent: 0 });
    clock = new Date(WED_10H.getTime() + leaseMs - 1);
    expect(await b.tick()).toMatchObject({ claimed: 0, sent: 0 });
    expect(survivor.calls).toEqual([]);

    clock = new Date(WED_10H.getTime() + leaseMs);
    expect(await b.tick()).toMatchObject({ claimed: 3, sent: 3 });
    expect([...survivor.calls].sort()).toEqual([...ids].sort());

    // A dies: its sends fail, too late to write anything over B's outcome.
    frozen.kill();
    expect(await aTick).toMatchObject({ claimed: 3, sent: 0, retried: 0, failed: 0 });
    for (const c of await repo.getMany(ids)) {
      expect(c).toMatchObject({ status: 'sent', attempts: 0 });
      expect(c.sends.map((s) => s.instance)).toEqual(['B']);
    }
    const leases = await db.connection.collection('checkin_leases').find({}).sort({ _id: 1 }).toArray();
    expect(leases.map((l) => `${l._id} ${l.instance}`).sort()).toEqual(ids.flatMap((id) => [`${id}#0#0 A`, `${id}#0#1 B`]).sort());

    clock = new Date(WED_10H.getTime() + 3 * leaseMs);
    expect(await b.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(survivor.calls).toHaveLength(3);
  });

  test('an instance that stopped right after claiming: once its lease expires, a fresh instance takes the attempt over in one tick', async () => {
    const d = dossier();
    const id = `${d}|after_diagnostic_15m`;
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    // The lease a crashed process left behind (inserted, then nothing).
    await db.connection.collection('checkin_leases').insertOne({
      _id: `${id}#0#0` as never, checkinId: id, attempt: 0, generation: 0, instance: 'crashed', expiresAt: new Date(WED_10H.getTime() + 30_000), createdAt: WED_10H,
    });
    const sender = new RecordingSender();
    expect(await scheduler(sender, { instanceId: 'B' }).tick()).toMatchObject({ claimed: 0, busy: 1 });
    clock = new Date(WED_10H.getTime() + 30_000);
    // C has never seen that lease: it learns of it from the E11000, reads it, and inserts generation 1.
    expect(await scheduler(sender, { instanceId: 'C' }, other).tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sender.calls).toEqual([id]);
    expect((await repo.get(id))!.sends.map((x) => x.instance)).toEqual(['C']);
  });

  test('a takeover re-reads its check-in: a stale read of a check-in already sent does not send it again', async () => {
    const d = dossier();
    const id = `${d}|after_diagnostic_15m`;
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    const stale = (await repo.get(id))!;
    const sender = new RecordingSender();
    expect(await scheduler(sender, { instanceId: 'A' }).tick()).toMatchObject({ sent: 1 });

    // B read the check-in before A recorded it, and claims only after A's lease expired.
    clock = new Date(WED_10H.getTime() + 120_000);
    const b = scheduler(sender, { instanceId: 'B' }, other);
    jest.spyOn(b.checkins, 'due').mockResolvedValueOnce([stale]);
    expect(await b.tick()).toMatchObject({ due: 1, claimed: 0, sent: 0 });
    expect(sender.calls).toEqual([id]);
  });

  test('opt-out stops further pings (and later plans of the dossier)', async () => {
    const d = dossier();
    const planned = planCheckins({ miseEnOeuvreEndedAt: new Date('2024-07-15T08:00:00Z'), diagnosticConfirmedAt: new Date('2024-01-15T09:00:00Z') });
    expect(planned.map((p) => p.dueAt)).toEqual([WED_10H, new Date('2025-04-15T08:00:00Z')]);
    await repo.plan(d, planned);
    const sender = new RecordingSender();
    const s = scheduler(sender);

    expect(await s.tick()).toMatchObject({ sent: 1 });
    expect(await repo.optOut(d)).toBe(2); // the sent one (unanswered) and the planned one
    clock = new Date('2025-04-15T08:00:00Z');
    expect(await s.tick()).toMatchObject({ due: 0, sent: 0 });
    expect(sender.calls).toHaveLength(1);
    expect((await repo.list(d)).map((c) => c.status)).toEqual(['opted_out', 'opted_out']);

    // A plan made later (the back-office records a new date) does not bring check-ins back.
    await repo.plan(d, [{ milestone: 'after_mise_en_oeuvre_12m', dueAt: clock }]);
    expect(await repo.get(`${d}|after_mise_en_oeuvre_12m`)).toMatchObject({ status: 'opted_out' });
    expect(await s.tick()).toMatchObject({ sent: 0 });
    expect(sender.calls).toHaveLength(1);
  });

  test('lifting the opt-out plans again the check-ins never sent (a past one at the next allowed time), and later plans are planned', async () => {
    const d = dossier();
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }, { milestone: 'after_mise_en_oeuvre_6m', dueAt: new Date('2025-04-15T07:00:00Z') }]);
    const sender = new RecordingSender();
    const s = scheduler(sender);
    expect(await s.tick()).toMatchObject({ sent: 1 });
    clock = new Date('2025-02-10T09:00:00Z');
    expect(await repo.optOut(d)).toBe(2);

    clock = new Date('2025-04-20T10:00:00Z'); // Easter Sunday: the 6-month one's day has passed
    expect(await repo.optIn(d, { minGapDays: 90 })).toBe(true);
    expect((await repo.list(d)).map((c) => [c.milestone, c.status, new Date(c.nextAttemptAt).toISOString()])).toEqual([
      ['after_diagnostic_15m', 'opted_out', WED_10H.toISOString()], // sent before the opt-out: left as it was
      ['after_mise_en_oeuvre_6m', 'planned', '2025-04-22T07:00:00.000Z'], // Tuesday 09:00 in Paris, after Easter Monday
    ]);
    clock = new Date('2025-04-22T07:00:00Z');
    expect(await s.tick()).toMatchObject({ sent: 1 });
    expect(sender.calls).toEqual([`${d}|after_diagnostic_15m`, `${d}|after_mise_en_oeuvre_6m`]);

    // A later plan is not stopped by the check-in left opted_out.
    await repo.plan(d, [{ milestone: 'after_mise_en_oeuvre_12m', dueAt: new Date('2025-10-15T07:00:00Z') }], 90);
    expect(await repo.get(`${d}|after_mise_en_oeuvre_12m`)).toMatchObject({ status: 'planned' });
    expect(await repo.optIn(d)).toBe(false); // nothing to lift
  });

  test('check-ins planned again after an opt-out keep the minimum gap between automatic ones; one a chargé·e added is kept', async () => {
    const d = dossier();
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: new Date('2025-02-03T08:00:00Z') }, { milestone: 'after_mise_en_oeuvre_6m', dueAt: new Date('2025-05-05T07:00:00Z') }], 90);
    await repo.add(d, 'manual_20250310', new Date('2025-03-10T08:00:00Z'));
    await repo.optOut(d);
    clock = new Date('2025-03-03T09:00:00Z'); // a Monday, 10:00 in Paris
    await repo.optIn(d, { minGapDays: 90 });
    expect((await repo.list(d)).map((c) => [c.milestone, c.status, new Date(c.nextAttemptAt).toISOString(), c.supersededBy ?? null])).toEqual([
      ['after_diagnostic_15m', 'planned', '2025-03-03T09:00:00.000Z', null], // due a month ago: now
      ['manual_20250310', 'planned', '2025-03-10T08:00:00.000Z', null],
      // Within 90 days of those two (the nearest): not sent, as a plan would have decided.
      ['after_mise_en_oeuvre_6m', 'cancelled', '2025-05-05T07:00:00.000Z', `${d}|manual_20250310`],
    ]);
  });

  test('an opt-out at the moment a plan runs, through another repository of the same process: no check-in stays planned', async () => {
    const planned = planCheckins({ miseEnOeuvreEndedAt: new Date('2024-07-15T08:00:00Z'), diagnosticConfirmedAt: new Date('2024-01-15T09:00:00Z') });
    // The conversation's and the back-office's repositories, as two parts of the app could build them.
    const conversation = new CheckinRepository(db.connection, now);
    let optOutWhilePlanning = 0;
    for (let round = 0; round < 40; round++) {
      const d = dossier();
      let planDone = false;
      await Promise.all([repo.plan(d, planned).then(() => { planDone = true; }), (async () => {
        for (let i = 0; i < round % 8; i++) await new Promise((resolve) => setImmediate(resolve));
        if (!planDone) optOutWhilePlanning++;
        await conversation.optOut(d);
      })()]);
      // Every check-in of the plan is there, and stopped: none left planned.
      expect([round, (await repo.list(d)).map((c) => c.status)]).toEqual([round, planned.map(() => 'opted_out')]);
    }
    expect(optOutWhilePlanning).toBeGreaterThan(0); // the two did run at the same time
  });

  test('a check-in a chargé·e moves while a new plan of the dossier runs keeps the day it was moved to', async () => {
    const moved = new Date('2025-06-02T08:00:00Z');
    let moveWhilePlanning = 0;
    for (let round = 0; round < 20; round++) {
      const d = dossier();
      await repo.plan(d, planCheckins({ diagnosticConfirmedAt: new Date('2024-01-15T09:00:00Z') }));
      const id = `${d}|after_diagnostic_15m`;
      // The diagnostic confirmed again a month later (a new date for the plan) while a chargé·e moves its check-in.
      let planDone = false;
      await Promise.all([
        repo.plan(d, planCheckins({ diagnosticConfirmedAt: new Date('2024-02-15T09:00:00Z') })).then(() => { planDone = true; }),
        (async () => {
          for (let i = 0; i < round % 6; i++) await new Promise((resolve) => setImmediate(resolve));
          if (!planDone) moveWhilePlanning++;
          await new CheckinRepository(db.connection, now).move(id, moved, 'Gaëlle');
        })(),
      ]);
      expect([round, await repo.get(id)]).toEqual([round, expect.objectContaining({ dueAt: moved, nextAttemptAt: moved, manual: true })]);
    }
    expect(moveWhilePlanning).toBeGreaterThan(0); // the two did run at the same time
  });

  test('an opt-out recorded between the read and the send stops that send', async () => {
    const d = dossier();
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    // Only the dossier marker: as if optOut() ran while the tick was already past its read.
    await db.connection.collection('checkin_optouts').insertOne({ _id: d as never, at: WED_10H });
    const sender = new RecordingSender();
    expect(await scheduler(sender).tick()).toMatchObject({ claimed: 1, optedOut: 1, sent: 0 });
    expect(sender.calls).toEqual([]);
    expect(await repo.get(`${d}|after_diagnostic_15m`)).toMatchObject({ status: 'opted_out' });
  });

  test('a failing sender is retried with backoff, then given up after maxAttempts; onGiveUp is called once', async () => {
    const d = dossier();
    const id = `${d}|after_diagnostic_15m`;
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    const sender = new RecordingSender(async () => { throw new Error('connector answered 502'); });
    const gaveUp: [string, string][] = [];
    const s = scheduler(sender, { maxAttempts: 3, backoff: (attempts) => attempts * MIN, onGiveUp: async (c, err) => { gaveUp.push([c._id, err]); } });

    expect(await s.tick()).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(await repo.get(id)).toMatchObject({ status: 'planned', attempts: 1, nextAttemptAt: new Date(WED_10H.getTime() + MIN), lastError: 'connector answered 502' });

    clock = new Date(WED_10H.getTime() + MIN - 1);
    expect(await s.tick()).toMatchObject({ due: 0, claimed: 0 });
    clock = new Date(WED_10H.getTime() + MIN);
    expect(await s.tick()).toMatchObject({ retried: 1 });
    expect(await repo.get(id)).toMatchObject({ attempts: 2, nextAttemptAt: new Date(WED_10H.getTime() + 3 * MIN) });
    clock = new Date(WED_10H.getTime() + 2 * MIN);
    expect(await s.tick()).toMatchObject({ due: 0 });
    clock = new Date(WED_10H.getTime() + 3 * MIN);
    expect(await s.tick()).toMatchObject({ retried: 0, failed: 1 });

    const stored = await repo.get(id);
    expect(stored).toMatchObject({ status: 'failed', failureReason: 'max_attempts', attempts: 3 });
    expect(stored!.sends.map((x) => [x.outcome, x.error])).toEqual(Array(3).fill(['error', 'connector answered 502']));
    expect(gaveUp).toEqual([[id, 'connector answered 502']]);

    clock = new Date(WED_10H.getTime() + 60 * MIN);
    expect(await s.tick()).toMatchObject({ due: 0 });
    expect(sender.calls).toHaveLength(3);
    expect(gaveUp).toHaveLength(1);
  });

  test('a retry never lands in quiet hours: a failure at 18:55 is retried the next morning at 09:00', async () => {
    const d = dossier();
    const wed1855 = new Date('2025-01-15T17:55:00.000Z');
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: wed1855 }]);
    clock = wed1855;
    const s = scheduler(new RecordingSender(async () => { throw new Error('timeout'); }), { backoff: () => 10 * MIN });
    expect(await s.tick()).toMatchObject({ retried: 1 });
    expect(await repo.get(`${d}|after_diagnostic_15m`)).toMatchObject({ nextAttemptAt: new Date('2025-01-16T08:00:00.000Z') });
  });

  test("'gone': failed with its reason at once, and onGiveUp is called", async () => {
    const d = dossier();
    const id = `${d}|after_diagnostic_15m`;
    await repo.plan(d, [{ milestone: 'after_diagnostic_15m', dueAt: WED_10H }]);
    const gaveUp: string[] = [];
    const sender = new RecordingSender(async () => 'gone');
    const s = scheduler(sender, { onGiveUp: async (c, err) => { gaveUp.push(`${c._id}: ${err}`); } });
    expect(await s.tick()).toMatchObject({ sent: 0, failed: 1, retried: 0 });
    const stored = await repo.get(id);
    expect(stored).toMatchObject({ status: 'failed', failureReason: 'gone', attempts: 0 });
    expect(stored!.sends.map((x) => x.outcome)).toEqual(['gone']);
    expect(gaveUp).toEqual([`${id}: gone: no conversation reaches this structure any more`]);
    clock = new Date(WED_10H.getTime() + 24 * 60 * MIN);
    await s.tick();
    expect(sender.calls).toHaveLength(1);
  });

  test('plan is idempotent; a new date moves a check-in never attempted nor moved by hand', async () => {
    const d = dossier();
    const first = planCheckins({ diagnosticConfirmedAt: new Date('2024-01-15T09:00:00Z') });
    expect(await repo.plan(d, first)).toEqual({ created: [`${d}|after_diagnostic_15m`], rescheduled: [], unchanged: [], superseded: [], withdrawn: [], restored: [] });
    expect(await repo.plan(d, first)).toEqual({ created: [], rescheduled: [], unchanged: [`${d}|after_diagnostic_15m`], superseded: [], withdrawn: [], restored: [] });
    // Two plans at once (two turns saving the dossier): still one check-in.
    const both = planCheckins({ diagnosticConfirmedAt: new Date('2024-01-15T09:00:00Z'), miseEnOeuvreEndedAt: new Date('2024-03-01T09:00:00Z') });
    await Promise.all([repo.plan(d, both), new CheckinRepository(other, now).plan(d, both)]);
    expect((await repo.list(d)).map((c) => c._id)).toEqual([`${d}|after_mise_en_oeuvre_6m`, `${d}|after_diagnostic_15m`]);

    const later = planCheckins({ diagnosticConfirmedAt: new Date('2024-02-15T09:00:00Z'), miseEnOeuvreEndedAt: new Date('2024-03-01T09:00:00Z') });
    expect(await repo.plan(d, later)).toMatchObject({ rescheduled: [`${d}|after_diagnostic_15m`] });
    expect(await repo.get(`${d}|after_diagnostic_15m`)).toMatchObject({ dueAt: new Date('2025-05-15T08:00:00Z'), nextAttemptAt: new Date('2025-05-15T08:00:00Z') });

    // Moved by a chargé·e: a plan does not move it back.
    await repo.move(`${d}|after_diagnostic_15m`, new Date('2025-06-02T08:00:00Z'));
    expect(await repo.plan(d, first)).toMatchObject({ rescheduled: [] });
    expect(await repo.get(`${d}|after_diagnostic_15m`)).toMatchObject({ dueAt: new Date('2025-06-02T08:00:00Z'), manual: true });
  });

  test('back-office: add, move and cancel', async () => {
    const d = dossier();
    const added = await repo.add(d, 'manual_point', new Date(WED_10H.getTime() + 60 * MIN));
    expect(added).toMatchObject({ _id: `${d}|manual_point`, status: 'planned', manual: true });
    await expect(repo.add(d, 'manual_point', WED_10H)).rejects.toMatchObject({ code: 'exists' });
    await expect(repo.add(d, 'Bad Id', WED_10H)).rejects.toBeInstanceOf(CheckinError);
    await repo.add(d, 'to_cancel', WED_10H);
    expect(await repo.cancel(`${d}|to_cancel`)).toMatchObject({ status: 'cancelled' });
    await expect(repo.cancel(`${d}|to_cancel`)).rejects.toMatchObject({ code: 'not_planned' });
    await expect(repo.move(`${d}|nothing`, WED_10H)).rejects.toMatchObject({ code: 'not_found' });
    await repo.move(`${d}|manual_point`, WED_10H);

    const sender = new RecordingSender();
    expect(await scheduler(sender).tick()).toMatchObject({ sent: 1 });
    expect(sender.calls).toEqual([`${d}|manual_point`]);
  });

  test('recording 150 outcomes at once completes (one FerretDB command of ~100 updates would never return)', async () => {
    const docs = Array.from({ length: 150 }, () => newCheckin(dossier(), 'after_diagnostic_15m', WED_10H, WED_10H));
    await db.connection.collection('checkins').insertMany(docs as never[]);
    await repo.record(docs.map((checkin) => ({ kind: 'sent' as const, checkin, at: WED_10H, instance: 'A' })));
    expect((await repo.getMany(docs.map((d) => d._id))).filter((c) => c.status === 'sent')).toHaveLength(150);
  }, 15_000);

  test('start(): node-cron is the clock that calls tick(); stop() ends it', async () => {
    const s = scheduler(new RecordingSender());
    const tick = jest.spyOn(s, 'tick');
    expect(() => s.start('not a cron')).toThrow(/invalid cron expression/);
    s.start('* * * * * *'); // every second
    await until(() => tick.mock.calls.length > 0, 5000);
    await s.stop();
    const calls = tick.mock.calls.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(tick.mock.calls.length).toBe(calls);
  });
});
