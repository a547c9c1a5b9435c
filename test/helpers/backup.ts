import { main } from '../../scripts/backup';
import { asRead } from './asRead';

/**
 * `npm run db:backup` / `npm run db:restore` (scripts/backup.ts) on the database at `uri`, given
 * as MONGODB_URI (the caller puts the variable back): its exit code and what it printed, as read.
 */
export async function runBackupScript(uri: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env.MONGODB_URI = uri;
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(asRead(l)), err: (l) => err.push(asRead(l)) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
