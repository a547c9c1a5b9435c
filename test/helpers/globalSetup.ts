import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDb, startFerretDb } from '../../src/store/ferretdb';
import { PROJECT_ROOT } from '../../src/paths';

/** One FerretDB per jest run; each test file then opens its own database on it. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) return; // run against a MongoDB of your own
  const bin = await ensureFerretDb(path.join(PROJECT_ROOT, '.tools'), process.env.FERRETDB_BIN ?? '', (m) => process.stderr.write(`\n${m}\n`));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-test-ferretdb-'));
  const ferret = await startFerretDb(bin, dataDir);
  process.env.TEST_MONGODB_URI = `mongodb://127.0.0.1:${ferret.port}`;
  process.env.TEST_FERRETDB_BIN = bin;
  (globalThis as Record<string, unknown>).__ferret = { ferret, dataDir };
}
