import { errorText, exponentialBackoff, withTimeout } from '../async';
import { Connection } from 'mongoose';
import cron, { ScheduledTask } from 'node-cron';
import { DEFAULT_QUIET, QuietHours, nextAllowedTime } from '../domain/checkinPlan';
import { log } from '../log';
import { defaultInstanceId, Lease, Leases } from '../store/leases';
import { Checkin, CheckinOutcome, CheckinRepository } from './checkins';

/**
 * Sends the due check-ins: several instances (processes) may run against one database and
 * never send the same attempt twice while they are alive.
 *
 * The clock: node-cron calls tick() (every minute by default); tests call tick() themselves
 * with a fake `now`.
 *
 * A tick:
 *  1. reads at most 4 × batchSize due check-ins (planned, nextAttemptAt ≤ now): the tick's only
 *     scan of `checkins`. In quiet hours (domain/checkinPlan) nothing is sent: the due ones get
 *     nextAttemptAt = the next allowed time, and the tick ends.
 *  2. claims up to batchSize of them by inserting leases (src/store/leases.ts)
 *     `{ _id: "<checkinId>#<attempts>#<generation>", instance, expiresAt }` into
 *     `checkin_leases`, in one insertMany (ordered: false): exactly one instance claims an
 *     attempt, another takes it over once the lease expired (its holder died). The lease
 *     conflicts seen are remembered (instance memory) so that the next ticks skip the
 *     check-ins others hold without asking the database again.
 *  3. sends each claimed check-in through the CheckinSender (sendConcurrency at a time, each
 *     within sendTimeoutMs), and records the outcome on the check-in (one serial writer per
 *     instance: FerretDB serialises writes anyway, and concurrent writers there wait on locks):
 *       'sent'  → status sent;
 *       error   → attempts + 1, nextAttemptAt = next allowed time after now + backoff(attempts);
 *                 at maxAttempts: status failed (max_attempts) and onGiveUp;
 *       'gone'  → status failed (gone: no conversation reaches the structure) and onGiveUp.
 *     A dossier that opted out (CheckinRepository.optOut) is checked just before sending; its
 *     check-in becomes opted_out and is not sent.
 *
 * What remains possible (at-least-once, never at-most-once):
 *  - an instance killed (or stalled past its lease) after the sender delivered and before the
 *    outcome is recorded: once the lease expires another instance takes the attempt over and
 *    sends it again. Only an idempotent sender (keyed on checkin._id + attempts) avoids that.
 *  - a send that outlives sendTimeoutMs is recorded as an error and retried, though the
 *    message may have arrived.
 *  - onGiveUp is called before the failure is recorded: a crash in between calls it again after
 *    the takeover (give the handoff a deterministic `_id` to make it idempotent).
 *  - a back-office change or an opt-out written through another path (not
 *    CheckinRepository.optOut) in the second between a tick's read and its send does not stop
 *    that send; on FerretDB the outcome's update (filtered on `_id` only, see
 *    CheckinRepository) then overwrites that status with the send's.
 *  - leases are kept leaseRetentionMs (7 days) and then purged; a tick does not wait that long.
 */

export interface CheckinSender {
  /** 'gone': the conversation no longer exists and could not be re-created. Throws on any other failure (retried). */
  send(checkin: Checkin): Promise<'sent' | 'gone'>;
}

export interface FollowupSchedulerOptions {
  /** Names this process in leases and in each check-in's sends (default host:pid:random). */
  instanceId?: string;
  /** How long a claim protects an attempt (default 120 s); a dead holder's attempt is taken over after it. */
  leaseMs?: number;
  /** Attempts before a check-in is failed (default 5). */
  maxAttempts?: number;
  /** Delay before the next attempt, in ms, given the failed attempts so far (1 after the first failure). */
  backoff?: (attempts: number) => number;
  /** Quiet hours, weekends and time zone (default 19:00–09:00, no weekends, Europe/Paris). */
  quiet?: Partial<QuietHours>;
  now?: () => Date;
  /** Check-ins claimed per tick (default 50). */
  batchSize?: number;
  /** Sends in flight at once per tick (default 8). */
  sendConcurrency?: number;
  /** A send still running after this is an error (default leaseMs / 2, so that the outcome is recorded within the lease). */
  sendTimeoutMs?: number;
  /** Called once when a check-in is failed (max attempts, or 'gone'): the app alerts the chargé·e. */
  onGiveUp?: (checkin: Checkin, lastError: string) => Promise<void>;
  /** See CheckinRepositoryOptions.conditionalUpdates (default: detected). */
  conditionalUpdates?: boolean;
  /** Leases older than this are purged, at most once an hour (default 7 days). */
  leaseRetentionMs?: number;
  /** Ticks run back to back by one cron run while each claims a full batch (default 20). */
  maxTicksPerRun?: number;
}

export interface TickResult {
  /** Due check-ins this tick read (at most 4 × batchSize). */
  due: number;
  /** Attempts this instance claimed (lease inserted). */
  claimed: number;
  sent: number;
  /** Failed attempts that will be retried. */
  retried: number;
  /** Check-ins failed now (max attempts, or 'gone'). */
  failed: number;
  /** Due check-ins moved out of quiet hours. */
  skippedQuiet: number;
  /** Claimed check-ins whose dossier had opted out: marked opted_out, not sent. */
  optedOut: number;
  /** Due check-ins held by another live lease (or lost to another instance this tick). */
  busy: number;
}

/** 10 min, 30 min, 1 h 30, 4 h 30…, at most 12 h. */
export function defaultCheckinBackoff(attempts: number): number {
  return exponentialBackoff(attempts, 600_000, 3, 12 * 3_600_000);
}

/** A claimed check-in attempt. */
type Claim = Lease<Checkin>;

const HOUR = 3_600_000;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export class FollowupScheduler {
  readonly checkins: CheckinRepository;
  readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: (attempts: number) => number;
  private readonly quiet: QuietHours;
  private readonly now: () => Date;
  private readonly batchSize: number;
  private readonly sendConcurrency: number;
  private readonly sendTimeoutMs: number;
  private readonly maxTicksPerRun: number;
  private readonly leases: Leases;
  private task?: ScheduledTask;
  private running?: Promise<void>;
  private stopping = false;
  private writeQueue: { outcome: CheckinOutcome; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writer?: Promise<void>;

  constructor(connection: Connection, private readonly sender: CheckinSender, private readonly options: FollowupSchedulerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.checkins = new CheckinRepository(connection, this.now, { conditionalUpdates: options.conditionalUpdates });
    this.instanceId = options.instanceId ?? defaultInstanceId();
    this.leaseMs = options.leaseMs ?? 120_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? defaultCheckinBackoff;
    this.quiet = { ...DEFAULT_QUIET, ...options.quiet };
    this.batchSize = options.batchSize ?? 50;
    this.sendConcurrency = options.sendConcurrency ?? 8;
    this.sendTimeoutMs = options.sendTimeoutMs ?? Math.floor(this.leaseMs / 2);
    this.maxTicksPerRun = options.maxTicksPerRun ?? 20;
    if (!(this.maxAttempts >= 1)) throw new RangeError('FollowupScheduler: maxAttempts must be at least 1');
    if (!(this.leaseMs > 0) || !(this.batchSize >= 1) || !(this.sendConcurrency >= 1)) throw new RangeError('FollowupScheduler: leaseMs, batchSize and sendConcurrency must be positive');
    if (!(this.sendTimeoutMs > 0 && this.sendTimeoutMs < this.leaseMs)) throw new RangeError('FollowupScheduler: sendTimeoutMs must be positive and shorter than leaseMs');
    nextAllowedTime(new Date(0), this.quiet); // fails now on bad quiet hours, not at the first tick
    this.leases = new Leases(() => connection.db!.collection('checkin_leases'), {
      instanceId: this.instanceId, leaseMs: this.leaseMs, retentionMs: options.leaseRetentionMs ?? 7 * 24 * HOUR, what: 'Follow-up', now: this.now,
    });
  }

  /** One pass: read the due check-ins, claim, send, record (see the class note). */
  async tick(): Promise<TickResult> {
    const result: TickResult = { due: 0, claimed: 0, sent: 0, retried: 0, failed: 0, skippedQuiet: 0, optedOut: 0, busy: 0 };
    const now = this.now();
    await this.leases.housekeeping(now.getTime());

    const allowed = nextAllowedTime(now, this.quiet);
    if (allowed.getTime() > now.getTime()) {
      const due = await this.checkins.due(now, this.batchSize);
      result.due = due.length;
      await this.write(due.map((checkin) => ({ kind: 'deferred' as const, checkin, at: now, nextAttemptAt: allowed })));
      result.skippedQuiet = due.length;
      return result;
    }

    const due = await this.checkins.due(now, this.batchSize * 4);
    result.due = due.length;
    const t = now.getTime();
    const candidates: Checkin[] = [];
    for (const checkin of shuffle(due)) {
      if (this.leases.busy(this.attemptKey(checkin), t)) {
        result.busy++;
        continue;
      }
      if (candidates.length < this.batchSize) candidates.push(checkin);
    }

    const claims = await this.claim(candidates, now);
    result.claimed = claims.length;
    result.busy += candidates.length - claims.length;
    if (!claims.length) return result;

    const optedOut = await this.checkins.optedOutAmong(claims.map((c) => c.item.dossierId));
    const toSend = claims.filter((c) => !optedOut.has(c.item.dossierId));
    const stopped = claims.filter((c) => optedOut.has(c.item.dossierId));
    result.optedOut = stopped.length;
    const writes: Promise<void>[] = [];
    // A write's failure is reported by the allSettled below, not as an unhandled rejection meanwhile.
    const track = (p: Promise<void>) => { p.catch(() => undefined); writes.push(p); };
    stopped.forEach((c) => track(this.write([{ kind: 'opted_out', checkin: c.item, at: now }])));

    // The sends, sendConcurrency at a time; each outcome goes to the writer as soon as it is known.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < toSend.length) {
        const claim = toSend[next++];
        const outcome = await this.attempt(claim);
        if (!outcome) continue;
        if (outcome.kind === 'sent') result.sent++;
        else if (outcome.kind === 'retry') result.retried++;
        else if (outcome.kind === 'failed') result.failed++;
        track(this.write([outcome]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.sendConcurrency, toSend.length) }, worker));
    const settled = await Promise.allSettled(writes);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return result;
  }

  /** Starts the clock: each cron run ticks, again while a tick claims a full batch. */
  start(cronExpression = '* * * * *'): void {
    if (this.task) return;
    if (!cron.validate(cronExpression)) throw new RangeError(`FollowupScheduler: invalid cron expression "${cronExpression}"`);
    this.stopping = false;
    this.task = cron.schedule(cronExpression, () => this.runInBackground(), { name: `followup:${this.instanceId}`, noOverlap: true });
  }

  /** Stops the clock and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.running;
  }

  private runInBackground(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        for (let i = 0; i < this.maxTicksPerRun && !this.stopping; i++) {
          const r = await this.tick();
          if (r.claimed < this.batchSize) break;
        }
      } catch (err) {
        log.error('Follow-up tick failed; the next one retries', { instance: this.instanceId, error: err as Error });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private attemptKey(checkin: Checkin): string {
    return `${checkin._id}#${checkin.attempts}`;
  }

  /**
   * Claims the attempts (Leases.claim). Takeovers (generation > 0) re-read their check-in before
   * sending: it may have been recorded by the instance that held the attempt.
   */
  private async claim(candidates: Checkin[], now: Date): Promise<Claim[]> {
    const t = now.getTime();
    const claims = await this.leases.claim(candidates.map((checkin) => ({
      key: this.attemptKey(checkin), item: checkin, fields: { checkinId: checkin._id, attempt: checkin.attempts },
    })), now);
    const takeovers = claims.filter((c) => c.generation > 0);
    if (!takeovers.length) return claims;
    const fresh = new Map((await this.checkins.getMany(takeovers.map((c) => c.item._id))).map((c) => [c._id, c]));
    return claims.filter((c) => {
      if (c.generation === 0) return true;
      const current = fresh.get(c.item._id);
      const still = current && current.status === 'planned' && current.attempts === c.item.attempts && new Date(current.nextAttemptAt).getTime() <= t;
      if (still) {
        log.warn('Follow-up: taking over a check-in whose previous lease expired', { checkin: c.item._id, attempt: c.item.attempts, generation: c.generation, instance: this.instanceId });
        c.item = current;
      }
      return still;
    });
  }

  /** Sends one claimed check-in; returns what to record, or nothing when the lease ran out first. */
  private async attempt(claim: Claim): Promise<CheckinOutcome | undefined> {
    const checkin = claim.item;
    if (this.now().getTime() + this.sendTimeoutMs > claim.expiresAt) {
      // Too late to finish within the lease: leave it to the next claim (generation + 1).
      log.warn('Follow-up: lease too short to send now; left for a takeover', { checkin: checkin._id, instance: this.instanceId });
      return undefined;
    }
    let outcome: 'sent' | 'gone' | undefined;
    let error = '';
    try {
      outcome = await withTimeout(this.sender.send(checkin), this.sendTimeoutMs, 'check-in send');
    } catch (err) {
      error = errorText(err);
    }
    const at = this.now();
    if (outcome === 'sent') {
      log.info('Check-in sent', { checkin: checkin._id, attempt: checkin.attempts + 1, instance: this.instanceId });
      return { kind: 'sent', checkin, at, instance: this.instanceId };
    }
    if (outcome === 'gone') {
      error = 'gone: no conversation reaches this structure any more';
      await this.giveUp(checkin, error);
      return { kind: 'failed', checkin, at, instance: this.instanceId, error, reason: 'gone' };
    }
    if (!this.leases.live(claim, at.getTime())) {
      // Another instance may already own this attempt: do not touch the check-in.
      log.warn('Follow-up send failed after its lease expired; not recorded', { checkin: checkin._id, instance: this.instanceId, error });
      return undefined;
    }
    const attempts = checkin.attempts + 1;
    if (attempts >= this.maxAttempts) {
      log.error('Check-in given up', { checkin: checkin._id, attempts, error });
      await this.giveUp(checkin, error);
      return { kind: 'failed', checkin, at, instance: this.instanceId, error, reason: 'max_attempts' };
    }
    const nextAttemptAt = nextAllowedTime(new Date(at.getTime() + this.backoff(attempts)), this.quiet);
    log.warn('Check-in send failed; will retry', { checkin: checkin._id, attempts, nextAttemptAt: nextAttemptAt.toISOString(), error });
    return { kind: 'retry', checkin, at, instance: this.instanceId, error, nextAttemptAt };
  }

  private async giveUp(checkin: Checkin, error: string): Promise<void> {
    if (!this.options.onGiveUp) return;
    try {
      await withTimeout(this.options.onGiveUp(checkin, error), this.sendTimeoutMs, 'onGiveUp');
    } catch (err) {
      log.error('Follow-up onGiveUp failed', { checkin: checkin._id, error: err as Error });
    }
  }

  /**
   * The instance's one writer: outcomes queue up and are recorded 200 at a time (record()
   * splits them into small bulkWrites), one after the other; a failed write is retried twice,
   * then reported to its tick.
   */
  private write(outcomes: CheckinOutcome[]): Promise<void> {
    if (!outcomes.length) return Promise.resolve();
    const done = outcomes.map((outcome) => new Promise<void>((resolve, reject) => this.writeQueue.push({ outcome, resolve, reject })));
    this.writer ??= this.drainWrites();
    return Promise.all(done).then(() => undefined);
  }

  private async drainWrites(): Promise<void> {
    while (this.writeQueue.length) {
      const chunk = this.writeQueue.splice(0, 200);
      for (let attempt = 1; ; attempt++) {
        try {
          await this.checkins.record(chunk.map((w) => w.outcome));
          chunk.forEach((w) => w.resolve());
          break;
        } catch (err) {
          if (attempt < 3) {
            await new Promise((r) => setTimeout(r, 200 * attempt));
            continue;
          }
          log.error('Follow-up: recording outcomes failed', { count: chunk.length, error: err as Error });
          chunk.forEach((w) => w.reject(err));
          break;
        }
      }
    }
    this.writer = undefined;
  }
}
