import { Connection, Model, Schema } from 'mongoose';
import { bulkWriteInChunks } from './bulkWrite';
import { LocalResource, NATIONAL_RESOURCES, Resource } from '../domain/resources';
import { log } from '../log';

/**
 * The resource directory: the national entries (code, src/domain/resources.ts) plus the local
 * entries an operator imported (collection `local_resources`, one document per entry, id as
 * `_id`). The directory is small (hundreds of entries), so the local entries are read whole
 * and kept in memory: FerretDB v1 answers anything but `_id` equality with a full scan anyway.
 *
 * Imports are expected one at a time (the CLI): FerretDB has no transactions, so a replace is
 * "write every entry, then delete the ones no longer in the file" — if it stops halfway, the
 * directory holds the new entries plus some old ones, never fewer, and running it again fixes it.
 */

interface LocalResourceDoc {
  _id: string;
  name: string;
  needs: string[];
  departements: string[];
  url?: string;
  contact?: string;
  checkedBy: string;
  checkedAt: string;
  /** Row position in the file the entry came from: keeps the operator's order (ties in matchResources). */
  position: number;
  importedAt: Date;
  /** File name the entry was imported from. */
  source: string;
}

const localResourceSchema = new Schema<LocalResourceDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    needs: { type: [String], default: undefined },
    departements: { type: [String], default: undefined },
    url: { type: String },
    contact: { type: String },
    checkedBy: { type: String, required: true },
    checkedAt: { type: String, required: true },
    position: { type: Number, required: true },
    importedAt: { type: Date, required: true },
    source: { type: String, required: true },
  },
  { versionKey: false, collection: 'local_resources' },
);

export interface ImportResult {
  /** Entries written from the import (new or replacing the stored entry with the same id). */
  inserted: number;
  /** Stored entries deleted because the file no longer has them (always 0 when merging). */
  removed: number;
}

interface Snapshot {
  local: LocalResource[];
  all: Resource[];
  loadedAt: number;
}

export type ImportMode = 'replace' | 'merge';

export interface ResourceDirectoryOptions {
  /**
   * How long the in-memory copy of the local entries is trusted before the next read reloads it,
   * so that a running assistant sees an import made by another process (default 5 minutes).
   * This instance's own imports refresh it at once.
   */
  maxAgeMs?: number;
}

const toResource = (d: LocalResourceDoc): LocalResource => ({
  id: d._id,
  name: d.name,
  needs: [...(d.needs ?? [])],
  scope: 'local',
  departements: [...(d.departements ?? [])],
  ...(d.url ? { url: d.url } : {}),
  ...(d.contact ? { contact: d.contact } : {}),
  checkedBy: d.checkedBy,
  checkedAt: d.checkedAt,
});

export class ResourceDirectory {
  private readonly model: Model<LocalResourceDoc>;
  private readonly maxAgeMs: number;
  private cache?: Snapshot;
  private loading?: { generation: number; done: Promise<void> };
  /** Bumped by every write: a load started before it must not fill the cache. */
  private generation = 0;
  /** Imports of this instance run one after the other. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(connection: Connection, options: ResourceDirectoryOptions = {}) {
    this.model = connection.models.LocalResource as Model<LocalResourceDoc>
      ?? connection.model<LocalResourceDoc>('LocalResource', localResourceSchema, 'local_resources');
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  }

  /** National entries first (their order breaks ties), then the local ones in import order. */
  async all(): Promise<Resource[]> {
    return [...(await this.cached()).all];
  }

  async local(): Promise<LocalResource[]> {
    return [...(await this.cached()).local];
  }

  /** Reloads the local entries now. */
  async refresh(): Promise<void> {
    // Concurrent readers share one load; a load started before the last write is not reused.
    if (this.loading?.generation !== this.generation) {
      const generation = this.generation;
      const done: Promise<void> = (async () => {
        const docs = await this.model.find().lean<LocalResourceDoc[]>();
        if (generation !== this.generation) return; // a write happened meanwhile: its own refresh wins
        const local = docs.sort((a, b) => a.position - b.position || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).map(toResource);
        this.cache = { local, all: [...NATIONAL_RESOURCES, ...local], loadedAt: Date.now() };
      })().finally(() => { if (this.loading?.done === done) this.loading = undefined; });
      this.loading = { generation, done };
    }
    await this.loading!.done;
  }

  /** What an import would do, without writing anything (for --dry-run). */
  async preview(entries: readonly LocalResource[], mode: ImportMode): Promise<ImportResult> {
    assertUniqueIds(entries);
    if (mode === 'merge') return { inserted: entries.length, removed: 0 };
    const keep = new Set(entries.map((e) => e.id));
    const stored = await this.storedIds();
    return { inserted: entries.length, removed: stored.filter((id) => !keep.has(id)).length };
  }

  /** The operator's file becomes the local directory: entries it does not have are deleted. */
  replaceLocal(entries: readonly LocalResource[], source: string): Promise<ImportResult> {
    return this.serialised(async () => {
      assertUniqueIds(entries);
      const stored = await this.storedIds();
      await this.write(entries, source);
      const keep = new Set(entries.map((e) => e.id));
      const gone = stored.filter((id) => !keep.has(id));
      // One scan for all of them (FerretDB scans for any delete, `_id` or not).
      const removed = gone.length > 0 ? (await this.model.deleteMany({ _id: { $in: gone } })).deletedCount : 0;
      return { inserted: entries.length, removed };
    });
  }

  /** Adds the entries and replaces stored ones with the same id; keeps every other entry. */
  upsertLocal(entries: readonly LocalResource[], source: string): Promise<ImportResult> {
    return this.serialised(async () => {
      assertUniqueIds(entries);
      await this.write(entries, source);
      return { inserted: entries.length, removed: 0 };
    });
  }

  private async cached(): Promise<Snapshot> {
    if (this.cache && Date.now() - this.cache.loadedAt < this.maxAgeMs) return this.cache;
    try {
      await this.refresh();
    } catch (err) {
      // Suggesting resources must not fail a conversation while an older copy is at hand.
      if (!this.cache) throw err;
      log.warn('Resource directory: reload failed; using the copy in memory', { err });
      return this.cache;
    }
    return this.cache ?? this.cached();
  }

  private async storedIds(): Promise<string[]> {
    return (await this.model.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id);
  }

  private async write(entries: readonly LocalResource[], source: string): Promise<void> {
    if (entries.length === 0) return;
    const importedAt = new Date();
    // In chunks: one command replacing ~100 entries or more hangs FerretDB v1.24 (bulkWrite.ts).
    await bulkWriteInChunks(this.model, entries.map((e, position) => ({
      replaceOne: {
        filter: { _id: e.id },
        replacement: {
          _id: e.id,
          name: e.name,
          needs: [...e.needs],
          departements: [...e.departements],
          ...(e.url ? { url: e.url } : {}),
          ...(e.contact ? { contact: e.contact } : {}),
          checkedBy: e.checkedBy,
          checkedAt: e.checkedAt,
          position,
          importedAt,
          source,
        },
        upsert: true,
      },
    })), { ordered: true });
  }

  private serialised(work: () => Promise<ImportResult>): Promise<ImportResult> {
    const run = this.writes.then(async () => {
      try {
        return await work();
      } finally {
        this.generation++;
        this.cache = undefined;
        await this.refresh().catch((err: unknown) => log.warn('Resource directory: reload after import failed', { err }));
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}

function assertUniqueIds(entries: readonly LocalResource[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) throw new Error(`Resource directory: id "${e.id}" appears twice in one import`);
    seen.add(e.id);
  }
}
