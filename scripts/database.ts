/**
 * The database a command-line tool works on: MONGODB_URI, or the assistant's embedded FerretDB on
 * DATA_DIR/ferretdb — the running assistant's when it runs, else started for the tool and stopped
 * with it (as src/index.ts starts it).
 */
import path from 'node:path';
import { Connection } from 'mongoose';
import { Config, ConfigError, loadConfig, loadDotEnv, redactUri, unknownSettings } from '../src/config';
import type { Translate } from '../src/i18n';
import { connectWithRetry } from '../src/store/db';
import { announcedFerretDb, ensureFerretDb, RunningFerretDb, startFerretDb } from '../src/store/ferretdb';

export interface OpenedDatabase {
  connection: Connection;
  /** The embedded database's folder; undefined with MONGODB_URI. */
  embeddedDir?: string;
  /** The embedded database is the running assistant's (used, not started, by the tool). */
  shared?: boolean;
  /** The running assistant's public base URL, when it announced one (shared). */
  publicUrl?: string;
  close(): Promise<void>;
}

/** The configuration a tool runs with (.env, then the environment); undefined after saying what is wrong with it. */
export function toolConfig(io: { err(line: string): void }): Config | undefined {
  try {
    const dotEnvKeys = loadDotEnv();
    const config = loadConfig();
    for (const line of unknownSettings(dotEnvKeys)) io.err(line);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return undefined;
  }
}

/** `progress` gets the messages of a first FerretDB build. */
export async function openConfiguredDatabase(config: Config, progress: (message: string) => void): Promise<OpenedDatabase> {
  let ferret: RunningFerretDb | undefined;
  let connection: Connection | undefined;
  try {
    let uri = config.mongoUri;
    let embeddedDir: string | undefined;
    let shared = false;
    let publicUrl: string | undefined;
    if (!uri) {
      embeddedDir = path.join(config.dataDir, 'ferretdb');
      // The assistant is running: its database is used, never a second server on the same files.
      const running = await announcedFerretDb(embeddedDir);
      shared = Boolean(running);
      if (running) ({ uri, publicUrl } = running);
      else {
        const bin = await ensureFerretDb(config.toolsDir, config.ferretdbBin, progress);
        ferret = await startFerretDb(bin, embeddedDir);
        uri = ferret.uri;
      }
    }
    // A command-line tool gives up after a few attempts instead of retrying for ever.
    connection = await connectWithRetry(uri, { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 2000 });
    const conn = connection;
    const running = ferret;
    return {
      connection: conn,
      embeddedDir,
      shared,
      publicUrl,
      async close() {
        conn.removeAllListeners('disconnected'); // a deliberate close is not a lost connection
        await conn.close().catch(() => undefined);
        await running?.stop();
      },
    };
  } catch (err) {
    await connection?.close().catch(() => undefined);
    await ferret?.stop();
    throw err;
  }
}

/** Which database a tool works on, in its own words (`texts`: `<texts>.embedded`, `.shared` — the running assistant's —, `.uri`). */
export function describeDatabase(db: OpenedDatabase, config: Config, t: Translate, texts: string): string {
  return db.embeddedDir ? t(db.shared ? `${texts}.shared` : `${texts}.embedded`, { dir: db.embeddedDir }) : t(`${texts}.uri`, { uri: redactUri(config.mongoUri) });
}

/**
 * The tool's database opened and said (describeDatabase); undefined after saying in one line why it
 * could not be (`<texts>.unreachable`, with {{detail}}).
 */
export async function openToolDatabase(config: Config, io: { out(line: string): void; err(line: string): void }, t: Translate, texts: string): Promise<OpenedDatabase | undefined> {
  let db: OpenedDatabase;
  try {
    db = await openConfiguredDatabase(config, (m) => io.err(m));
  } catch (err) {
    io.err(t(`${texts}.unreachable`, { detail: (err as Error).message }));
    return undefined;
  }
  io.out(describeDatabase(db, config, t, texts));
  return db;
}
