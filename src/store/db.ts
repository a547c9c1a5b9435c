import { exponentialBackoff } from '../async';
import mongoose, { Connection } from 'mongoose';
import { redactUri } from '../config';
import { log } from '../log';

export interface ConnectOptions {
  /** Give up after this many attempts (default: never, the process keeps retrying). */
  maxAttempts?: number;
  /** First delay between attempts; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  serverSelectionTimeoutMS?: number;
  /** Emit the driver's command monitoring events (the bench counts database commands per turn). */
  monitorCommands?: boolean;
}

/** The one line we print when the database cannot be reached: which URI, what failed. */
export function describeDbError(uri: string, err: unknown): string {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `Database unreachable at ${redactUri(uri)}: ${reason}`;
}

/** The database the assistant uses when MONGODB_URI names none (the embedded one is "dla" too). */
export const DEFAULT_DATABASE = 'dla';

/** The database a connection string names ("mongodb://h:27017/dla?…" → "dla"); undefined when it names none. */
export function uriDatabase(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?#]*)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * Opens a mongoose connection, retrying with exponential backoff. Each failure is logged as
 * one readable line instead of a stack trace. Once connected, the driver reconnects by itself.
 */
export async function connectWithRetry(uri: string, opts: ConnectOptions = {}): Promise<Connection> {
  const { maxAttempts = Infinity, initialDelayMs = 1000, maxDelayMs = 30000, serverSelectionTimeoutMS = 5000, monitorCommands = false } = opts;
  for (let attempt = 1; ; attempt++) {
    // A database that stops answering (frozen, network cut) is noticed within ~8 s, not the
    // driver's default 30 s + heartbeat: turns then fail in time for an apology the user sees.
    // A URI without a database (as Atlas gives it) would otherwise write to the driver's "test".
    const conn = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS, connectTimeoutMS: 5_000, heartbeatFrequencyMS: 3_000, autoIndex: true, monitorCommands,
      ...(uriDatabase(uri) ? {} : { dbName: DEFAULT_DATABASE }),
    });
    try {
      await conn.asPromise();
      const lost = () => log.warn('Database connection lost; the driver is reconnecting', { uri: redactUri(uri) });
      conn.on('disconnected', lost);
      // A deliberate close is not a lost connection: stop saying so before closing.
      const close = conn.close.bind(conn);
      conn.close = ((force?: boolean) => { conn.off('disconnected', lost); return close(force); }) as typeof conn.close;
      conn.on('reconnected', () => log.info('Database connection restored', { uri: redactUri(uri) }));
      return conn;
    } catch (err) {
      await conn.close().catch(() => undefined);
      if (attempt >= maxAttempts) throw new Error(describeDbError(uri, err));
      const delay = exponentialBackoff(attempt, initialDelayMs, 2, maxDelayMs);
      log.warn(`${describeDbError(uri, err)} — retrying in ${Math.round(delay / 1000)} s (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

const conditional = new WeakMap<Connection, Promise<boolean>>();

/**
 * true on MongoDB, false on FerretDB (its buildInfo names its version), once per connection.
 * MongoDB applies a conditional update atomically per document, and answers its filter by index;
 * FerretDB v1 does neither (see KeyedMutex): there, any filter but `_id` alone reads the collection
 * until it matches (all of it when nothing does), and a process's own locks order its writers.
 */
export function conditionalUpdates(connection: Connection): Promise<boolean> {
  let known = conditional.get(connection);
  if (!known) {
    known = connection.asPromise()
      .then((c) => c.db!.admin().command({ buildInfo: 1 }))
      .then((info) => !('ferretdbVersion' in info))
      .catch(() => false);
    conditional.set(connection, known);
  }
  return known;
}

/** Says what conditionalUpdates() answers for `connection` (a test that plays two instances on FerretDB as on MongoDB, the one server where they can share a database). */
export function setConditionalUpdates(connection: Connection, atomic: boolean): void {
  conditional.set(connection, Promise.resolve(atomic));
}

export type DbStatus = 'up' | 'down' | 'connecting';

export function dbStatus(conn: Connection | undefined): DbStatus {
  if (!conn) return 'connecting';
  switch (conn.readyState) {
    case mongoose.ConnectionStates.connected: return 'up';
    case mongoose.ConnectionStates.connecting: return 'connecting';
    default: return 'down';
  }
}

/** A real round trip to the database (not just the driver's idea of its state). */
export async function pingDb(conn: Connection | undefined, timeoutMs = 2000): Promise<boolean> {
  if (!conn?.db || conn.readyState !== mongoose.ConnectionStates.connected) return false;
  try {
    await Promise.race([
      conn.db.admin().command({ ping: 1 }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}
