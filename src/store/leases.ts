import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { mongo } from 'mongoose';
import { log } from '../log';

/**
 * Leases by insertion, so that several instances (processes) on one database never do the same
 * piece of work twice while they are alive (the follow-up scheduler's check-in attempts, the
 * handoff outbox's deliveries).
 *
 * A piece of work has a key that changes once its outcome is recorded (a check-in's id and
 * attempts, a handoff's id and delivery version). Claiming it INSERTS a lease document
 * `{ _id: "<key>#<generation>", instance, expiresAt }`: inserting a given `_id` succeeds once
 * (E11000 for everyone else) on FerretDB as on MongoDB, where a conditional update does not
 * (FerretDB v1 applies `updateOne({_id, status})` and findOneAndUpdate non-atomically).
 * Generation 0 first; when a lease's expiresAt has passed (its holder died), generation + 1 is
 * inserted, so exactly one instance takes the work over. The leases seen are remembered
 * (instance memory) so that the next rounds skip the keys others hold without asking the
 * database again. The holder records its outcome only while its lease runs (see `live`).
 */
export interface LeaseDoc {
  _id: string;
  generation: number;
  instance: string;
  expiresAt: Date;
  createdAt: Date;
  [field: string]: unknown;
}

export interface LeaseCandidate<T> {
  key: string;
  item: T;
  /** Stored with the lease, for whoever reads the collection. */
  fields?: Record<string, unknown>;
}

export interface Lease<T> {
  key: string;
  item: T;
  generation: number;
  /** Epoch ms. */
  expiresAt: number;
}

interface KnownLease {
  generation: number;
  instance: string;
  expiresAt: number;
}

const HOUR = 3_600_000;

/** A process's name in its leases: host:pid:random. */
export function defaultInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function duplicateIndexes(err: unknown): Set<number> | undefined {
  const e = err as { code?: number; writeErrors?: unknown };
  if (e?.writeErrors === undefined) return e?.code === 11000 ? new Set([0]) : undefined;
  const list = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]) as { index: number; code: number }[];
  if (list.some((w) => w.code !== 11000)) return undefined;
  return new Set(list.map((w) => w.index));
}

/**
 * Inserts documents, ordered:false; returns the indexes refused as duplicate `_id`s (E11000).
 * Any other error is thrown.
 */
export async function insertIgnoringDuplicates(collection: { insertMany(docs: any[], options: { ordered: boolean }): Promise<unknown> }, docs: object[]): Promise<Set<number>> {
  if (!docs.length) return new Set();
  try {
    await collection.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const dup = duplicateIndexes(err);
    if (!dup) throw err;
    return dup;
  }
}

export interface LeasesOptions {
  /** Names this process in its leases. */
  instanceId: string;
  /** How long a claim protects a piece of work. */
  leaseMs: number;
  /** Leases older than this are purged, at most once an hour. */
  retentionMs: number;
  /** For the logs ("Follow-up", "Handoff outbox"). */
  what: string;
  now: () => Date;
}

export class Leases {
  /** Latest lease known for each key, ours or another instance's. */
  private readonly known = new Map<string, KnownLease>();
  private lastPurge: number;

  constructor(private readonly collection: () => mongo.Collection<LeaseDoc>, private readonly options: LeasesOptions) {
    this.lastPurge = options.now().getTime();
  }

  /** Held by a live lease, as far as this instance knows (no database read). */
  busy(key: string, t: number): boolean {
    const known = this.known.get(key);
    return known !== undefined && known.expiresAt > t;
  }

  /** The lease still protects its work at `t`: its holder may record the outcome. */
  live(lease: Lease<unknown>, t: number): boolean {
    return t < lease.expiresAt;
  }

  /**
   * Inserts the leases (generation 0, or the one after the last known; none for a key known to be
   * busy); on E11000 reads the lease that won and, when it has expired, tries the next generation
   * (a few rounds at most). Returns the candidates claimed. A takeover (generation > 0) must re-read its work before doing it:
   * the instance that held it may have recorded it.
   */
  async claim<T>(candidates: LeaseCandidate<T>[], now: Date): Promise<Lease<T>[]> {
    const t = now.getTime();
    const expiresAt = t + this.options.leaseMs;
    const claims: Lease<T>[] = [];
    let pending = candidates.filter((c) => !this.busy(c.key, t))
      .map((c) => ({ ...c, generation: this.known.has(c.key) ? this.known.get(c.key)!.generation + 1 : 0 }));
    for (let round = 0; pending.length && round < 4; round++) {
      const docs: LeaseDoc[] = pending.map(({ key, generation, fields }) => ({
        ...fields, _id: `${key}#${generation}`, generation, instance: this.options.instanceId, expiresAt: new Date(expiresAt), createdAt: now,
      }));
      const lost = await insertIgnoringDuplicates(this.collection(), docs);
      const conflicts: typeof pending = [];
      pending.forEach((p, i) => {
        if (lost.has(i)) {
          conflicts.push(p);
        } else {
          claims.push({ key: p.key, item: p.item, generation: p.generation, expiresAt });
          this.known.set(p.key, { generation: p.generation, instance: this.options.instanceId, expiresAt });
        }
      });
      if (!conflicts.length) break;
      const winners = new Map((await this.collection().find({ _id: { $in: conflicts.map((c) => `${c.key}#${c.generation}`) } }).toArray())
        .map((l) => [l._id, l]));
      pending = [];
      for (const c of conflicts) {
        const lease = winners.get(`${c.key}#${c.generation}`);
        if (!lease) continue; // purged meanwhile: the next round tries again
        const leaseExpires = new Date(lease.expiresAt).getTime();
        this.known.set(c.key, { generation: lease.generation, instance: lease.instance, expiresAt: leaseExpires });
        if (leaseExpires <= t) pending.push({ ...c, generation: lease.generation + 1 });
      }
    }
    return claims;
  }

  /** Forgets old lease memories; purges old leases from the database at most once an hour. */
  async housekeeping(t: number): Promise<void> {
    const { leaseMs, retentionMs, what } = this.options;
    if (this.known.size > 50_000 || t - this.lastPurge >= HOUR) {
      for (const [key, lease] of this.known) if (lease.expiresAt < t - 10 * leaseMs) this.known.delete(key);
    }
    if (t - this.lastPurge < HOUR) return;
    this.lastPurge = t;
    try {
      const res = await this.collection().deleteMany({ expiresAt: { $lt: new Date(t - retentionMs) } });
      if (res.deletedCount) log.info(`${what}: old leases purged`, { count: res.deletedCount });
    } catch (err) {
      log.warn(`${what}: lease purge failed; retried in an hour`, { error: err as Error });
    }
  }
}
