/**
 * npm run admin:link -- EMAIL
 *
 * A way back into the back-office: prints a one-time login link for an existing back-office user
 * (sessions end after ADMIN_TOKEN_TTL_HOURS, and the start-up link is printed only until the
 * first sign-in). When the back-office has no administrator yet, EMAIL becomes the first one.
 * Database: MONGODB_URI, or the embedded FerretDB on DATA_DIR/ferretdb (scripts/database.ts); the
 * link points to the running assistant's public base URL when it announces one, else PUBLIC_URL.
 * Every text the operator reads comes from locales/<lng>/adminLink.json.
 * Exit codes: 0 link printed, 1 unknown user or database unreachable, 2 usage or configuration.
 */
import { Connection } from 'mongoose';
import { AdminAuth, AdminAuthError, adminLoginUrl, normalizeEmail } from '../src/admin/auth';
import { Translate, translator } from '../src/i18n';
import { openToolDatabase, toolConfig } from './database';
import type { Output } from './resources-import';

export type AdminLinkResult =
  | { kind: 'link' | 'created'; email: string; loginUrl: string; expiresAt: Date }
  /** No such user, and administrators exist: they can add it (or ask for their own link). */
  | { kind: 'unknown'; email: string; admins: string[] };

/**
 * A login link for `email`: an existing user gets a new one (a pending link stops working, open
 * sessions go on); with no administrator at all, `email` becomes the first administrator.
 */
export async function issueAdminLink(connection: Connection, email: string, publicUrl: string, t: Translate): Promise<AdminLinkResult> {
  const auth = new AdminAuth(connection);
  const id = normalizeEmail(email);
  let kind: 'link' | 'created' = 'link';
  if (!(await auth.get(id))) {
    const admins = (await auth.list()).filter((u) => u.role === 'admin').map((u) => u._id);
    if (admins.length) return { kind: 'unknown', email: id, admins };
    await auth.upsertUser({ email: id, name: t('adminLink.firstAdminName'), role: 'admin', departements: [] });
    kind = 'created';
  }
  const { code, expiresAt } = await auth.createLoginCode(id);
  return { kind, email: id, loginUrl: adminLoginUrl(publicUrl, code), expiresAt };
}

export async function main(argv: string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const t = translator('fr');
  if (argv.some((a) => a === '--help' || a === '-h')) {
    io.out(t('adminLink.help'));
    return 0;
  }
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    io.err(t('adminLink.usage'));
    return 2;
  }
  const config = toolConfig(io);
  if (!config) return 2;
  const db = await openToolDatabase(config, io, t, 'adminLink');
  if (!db) return 1;
  try {
    // The running assistant's address (its PORT or PUBLIC_URL may be set only in its own shell).
    const result = await issueAdminLink(db.connection, argv[0], db.publicUrl ?? config.publicUrl, t);
    if (result.kind === 'unknown') {
      io.err(t('adminLink.unknown', { email: result.email, admins: result.admins.join(', ') }));
      return 1;
    }
    if (result.kind === 'created') io.out(t('adminLink.created', { email: result.email }));
    io.out(t('adminLink.link', { email: result.email, date: result.expiresAt.toLocaleString('fr-FR', { timeZone: config.operator.timeZone, dateStyle: 'long', timeStyle: 'short' }) }));
    io.out(result.loginUrl);
    return 0;
  } catch (err) {
    if (!(err instanceof AdminAuthError)) throw err;
    io.err(t(err.key, err.vars));
    return 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: Error) => { console.error(err.stack ?? err.message); process.exit(1); });
}
