import { randomBytes } from 'node:crypto';
import { Connection } from 'mongoose';
import { connectWithRetry } from '../../src/store/db';

export interface TestDb {
  uri: string;
  connection: Connection;
  /** Drops the database and closes the connection. */
  close(): Promise<void>;
}

export function testDbUri(label: string): string {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup starts FerretDB)');
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database on the run's FerretDB, for one test file. */
export async function openTestDb(label: string): Promise<TestDb> {
  const uri = testDbUri(label);
  const connection = await connectWithRetry(uri, { maxAttempts: 3, initialDelayMs: 200 });
  return {
    uri,
    connection,
    async close() {
      await connection.db?.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}
