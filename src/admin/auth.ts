/**
 * Who may use the back-office. Chargé·es and administrators are documents of `admin_users`
 * ({ _id: e-mail, name, departements, role, loginCodeHash, …, createdAt }). There is no
 * password: an administrator (or the start-up bootstrap) issues a login link carrying a random
 * 32-byte code, shown once. The page exchanges the code, once, for a session token (the code is
 * then spent: a forwarded or leaked link opens nothing), one `admin_sessions` document per
 * signed-in device. Requests carry
 * `Authorization: Bearer <token>` until it expires. Only SHA-256 hashes of codes and tokens are
 * stored. Nothing is ever open by default.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Connection, mongo } from 'mongoose';
import { normalizeDepartementCode, territoryCodeOf } from '../domain/territory';
import { isPlaceholderName } from '../domain/staffNames';
import { bearer } from '../channels/directline/tokens';

export type AdminRole = 'charge' | 'admin';

/** A signed-in device: `admin_sessions` ({ _id: SHA-256 of the token, user, expiresAt }). */
interface AdminSession {
  _id: string;
  user: string;
  expiresAt: Date;
  createdAt: Date;
}
export const ADMIN_ROLES: readonly AdminRole[] = ['charge', 'admin'];

export interface AdminUser {
  /** The e-mail address, lower case. */
  _id: string;
  name: string;
  /** Départements the user may see; empty: all of them. Administrators always see all. */
  departements: string[];
  role: AdminRole;
  /** The pending login link's code (hash), until it is used or expires. */
  loginCodeHash?: string;
  loginCodeExpiresAt?: Date;
  /** Last authenticated request (written at most every few minutes). */
  lastSeenAt?: Date;
  createdAt: Date;
}

/** The bootstrap administrator created when there is none. */
export const BOOTSTRAP_ADMIN = 'admin@localhost';
export const DEFAULT_TOKEN_TTL_HOURS = 12;
/** A login link waits this long for its first use (it is often sent by e-mail). */
export const LOGIN_LINK_TTL_HOURS = 72;
const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export interface AuthOptions {
  now?: () => Date;
  /** Lifetime of a login token (config.admin.tokenTtlHours). */
  tokenTtlHours?: number;
}

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}

/** A refused user change; `key` names its text in locales/<lng>/admin.json (admin.errors.*). */
export class AdminAuthError extends Error {
  constructor(readonly status: 400 | 404 | 409, readonly code: string, message: string, readonly key: string, readonly vars: Record<string, string> = {}) {
    super(message);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when the user sees every département (administrators, or an empty list). */
export function seesAllDepartements(user: Pick<AdminUser, 'role' | 'departements'>): boolean {
  return user.role === 'admin' || user.departements.length === 0;
}

/**
 * May this user see a record of that département? Records without a département (the structure
 * asked for a chargé·e before giving its postal code, or gave none that could be read) are for
 * every chargé·e: they came to this operator, and would otherwise wait for an administrator.
 */
export function canSeeDepartement(user: Pick<AdminUser, 'role' | 'departements'>, departement: string | undefined | null): boolean {
  if (seesAllDepartements(user)) return true;
  if (!departement) return true;
  return user.departements.map(normalizeDepartementCode).includes(normalizeDepartementCode(departement));
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AdminAuth {
  private readonly now: () => Date;
  private readonly ttlMs: number;

  constructor(private readonly connection: Connection, options: AuthOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = (options.tokenTtlHours ?? DEFAULT_TOKEN_TTL_HOURS) * 3600 * 1000;
  }

  private get users(): mongo.Collection<AdminUser> {
    return this.connection.db!.collection<AdminUser>('admin_users');
  }

  async get(email: string): Promise<AdminUser | undefined> {
    return (await this.users.findOne({ _id: normalizeEmail(email) })) ?? undefined;
  }

  async list(): Promise<AdminUser[]> {
    const users = await this.users.find({}).toArray();
    return users.sort((a, b) => a._id.localeCompare(b._id));
  }

  /** Creates a user, or updates the name, role and départements of an existing one. */
  async upsertUser(input: { email: string; name: string; role: AdminRole; departements: string[] }): Promise<AdminUser> {
    const email = normalizeEmail(input.email);
    if (!email) throw new AdminAuthError(400, 'BadRequest', 'An e-mail address is required.', 'admin.errors.emailRequired');
    if (!EMAIL_SHAPE.test(email) || email.length > 254) throw new AdminAuthError(400, 'BadRequest', `"${input.email}" is not an e-mail address.`, 'admin.errors.badEmail', { email: input.email });
    const name = checkedName(input.name);
    if (!ADMIN_ROLES.includes(input.role)) throw new AdminAuthError(400, 'BadRequest', `The role must be one of ${ADMIN_ROLES.join(', ')}.`, 'admin.errors.badRole');
    // Codes or names (« Gironde »), as OPERATOR_DEPARTEMENTS; an unknown one is named as written.
    const bad = input.departements.filter((d) => !territoryCodeOf(d));
    if (bad.length) throw new AdminAuthError(400, 'BadRequest', `Unknown département code(s): ${bad.join(', ')}.`, 'admin.errors.badDepartements', { codes: bad.join(', ') });
    const departements = [...new Set(input.departements.map((d) => territoryCodeOf(d)!))];
    const existing = await this.get(email);
    if (existing && input.role !== 'admin') await this.refuseLastAdmin(existing);
    if (existing) {
      await this.users.updateOne({ _id: email }, { $set: { name, role: input.role, departements } });
      return { ...existing, name, role: input.role, departements };
    }
    const user: AdminUser = { _id: email, name, role: input.role, departements, createdAt: this.now() };
    await this.users.insertOne(user);
    return user;
  }

  /**
   * A user gives their own name (the first administrator is created as « Administrateur »):
   * structures read it from then on. A placeholder is refused, as any name upsertUser refuses.
   */
  async setOwnName(email: string, input: unknown): Promise<AdminUser> {
    const user = await this.get(email);
    if (!user) throw new AdminAuthError(404, 'NotFound', `No back-office user "${email}".`, 'admin.errors.userNotFound', { email });
    const name = checkedName(typeof input === 'string' ? input : '');
    if (isPlaceholderName(name)) throw new AdminAuthError(400, 'BadRequest', 'The name must be the person\'s own name, not a role.', 'admin.errors.namePlaceholder');
    await this.users.updateOne({ _id: user._id }, { $set: { name } });
    return { ...user, name };
  }

  /**
   * Removes a user who leaves: the account, its pending link and every session end at once (what
   * it did stays: a handoff keeps who took it up). The last administrator cannot be removed.
   */
  async removeUser(email: string): Promise<void> {
    const id = normalizeEmail(email);
    const existing = await this.get(id);
    if (!existing) throw new AdminAuthError(404, 'NotFound', `No back-office user "${id}".`, 'admin.errors.userNotFound', { email: id });
    await this.refuseLastAdmin(existing);
    await this.sessions.deleteMany({ user: id });
    await this.users.deleteOne({ _id: id });
  }

  /** Someone must stay able to manage the back-office: the last administrator keeps the role. */
  private async refuseLastAdmin(user: AdminUser): Promise<void> {
    if (user.role === 'admin' && (await this.users.countDocuments({ role: 'admin' })) <= 1) {
      throw new AdminAuthError(409, 'Conflict', `${user._id} is the last administrator.`, 'admin.errors.lastAdmin', { email: user._id });
    }
  }

  /**
   * A new login link's code for this user, returned once in clear (only its hash is kept). It
   * replaces a pending one; the user's current session, if any, goes on.
   */
  async createLoginCode(email: string): Promise<{ code: string; expiresAt: Date }> {
    const id = normalizeEmail(email);
    const code = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + LOGIN_LINK_TTL_HOURS * 3600 * 1000);
    const result = await this.users.updateOne({ _id: id }, { $set: { loginCodeHash: hashToken(code), loginCodeExpiresAt: expiresAt } });
    if (result.matchedCount === 0) throw new AdminAuthError(404, 'NotFound', `No back-office user "${id}".`, 'admin.errors.userNotFound', { email: id });
    return { code, expiresAt };
  }

  /**
   * Spends a login code for a session token: the first request with the code wins, later ones
   * get nothing. The win is an insert keyed on the code's hash: FerretDB v1 runs findAndModify
   * as a read then a write, so two requests at once could both "update" the same code.
   * Undefined for an unknown, used or expired code.
   */
  async signIn(code: string): Promise<{ token: string; expiresAt: Date; user: AdminUser } | undefined> {
    if (!TOKEN_SHAPE.test(code)) return undefined;
    const now = this.now();
    const hash = hashToken(code);
    const user = await this.users.findOne({ loginCodeHash: hash, loginCodeExpiresAt: { $gt: now } });
    if (!user) return undefined;
    const used = this.connection.db!.collection<{ _id: string; at: Date }>('admin_login_codes_used');
    try {
      await used.insertOne({ _id: hash, at: now });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return undefined;
      throw err;
    }
    await this.users.updateOne({ _id: user._id, loginCodeHash: hash }, { $unset: { loginCodeHash: '', loginCodeExpiresAt: '' } });
    // A used code matters only while it could still be valid.
    await used.deleteMany({ at: { $lt: new Date(now.getTime() - LOGIN_LINK_TTL_HOURS * 3600 * 1000) } });
    return { ...(await this.createUserToken(user._id)), user };
  }

  private get sessions(): mongo.Collection<AdminSession> {
    return this.connection.db!.collection<AdminSession>('admin_sessions');
  }

  /**
   * A new session for this user (one per device: a laptop and a phone each have theirs), its
   * token returned once in clear; only its hash is kept. Expired sessions are swept meanwhile.
   */
  async createUserToken(email: string): Promise<{ token: string; expiresAt: Date }> {
    const id = normalizeEmail(email);
    if (!(await this.get(id))) throw new AdminAuthError(404, 'NotFound', `No back-office user "${id}".`, 'admin.errors.userNotFound', { email: id });
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.sessions.insertOne({ _id: hashToken(token), user: id, expiresAt, createdAt: now });
    await this.sessions.deleteMany({ expiresAt: { $lte: now } });
    return { token, expiresAt };
  }

  /** Ends the session of this token (« Se déconnecter »): the user's other devices stay signed in. */
  async revoke(authorization: string | undefined): Promise<void> {
    const token = bearer(authorization);
    if (token) await this.sessions.deleteOne({ _id: hashToken(token) });
  }

  /** The user behind an `Authorization: Bearer <token>` header, if the token is known and not expired. */
  async authenticate(authorization: string | undefined): Promise<AdminUser | undefined> {
    const token = bearer(authorization);
    if (!token || !TOKEN_SHAPE.test(token)) return undefined;
    const now = this.now();
    const session = await this.sessions.findOne({ _id: hashToken(token) });
    if (!session || new Date(session.expiresAt).getTime() <= now.getTime()) return undefined;
    const user = await this.users.findOne({ _id: session.user });
    if (!user) return undefined;
    if (!user.lastSeenAt || now.getTime() - new Date(user.lastSeenAt).getTime() > LAST_SEEN_EVERY_MS) {
      await this.users.updateOne({ _id: user._id }, { $set: { lastSeenAt: now } });
      user.lastSeenAt = now;
    }
    return { ...user, departements: user.departements ?? [] };
  }
}

/** A person's name as structures may read it (« prise en charge par … »): 1 to 200 characters, never an address. */
function checkedName(input: string): string {
  const name = input.trim();
  if (!name || name.length > 200) throw new AdminAuthError(400, 'BadRequest', 'The name must have 1 to 200 characters.', 'admin.errors.badName');
  if (name.includes('@')) throw new AdminAuthError(400, 'BadRequest', 'The name must be a person\'s name, not an e-mail address.', 'admin.errors.nameIsEmail');
  return name;
}

/** The module-level form: a new login token for `email` (see AdminAuth.createUserToken). */
export async function createUserToken(connection: Connection, email: string, options: AuthOptions = {}): Promise<string> {
  return (await new AdminAuth(connection, options).createUserToken(email)).token;
}

/**
 * Start-up bootstrap. When no administrator exists, creates `admin@localhost` and returns a
 * login code for it; while that bootstrap administrator has never signed in, each start
 * issues a fresh code (the previous link stops working), so a missed or expired link is not a
 * dead end. Otherwise returns undefined and prints nothing.
 */
export async function ensureAdmin(connection: Connection, log: Logger, options: AuthOptions = {}): Promise<string | undefined> {
  const auth = new AdminAuth(connection, options);
  const admins = await connection.db!.collection<AdminUser>('admin_users').find({ role: 'admin' }).toArray();
  if (admins.length === 0) {
    await auth.upsertUser({ email: BOOTSTRAP_ADMIN, name: 'Administrateur', role: 'admin', departements: [] });
    log.info('Back-office: created the administrator admin@localhost (use the login link printed once)');
    return (await auth.createLoginCode(BOOTSTRAP_ADMIN)).code;
  }
  if (admins.length === 1 && admins[0]._id === BOOTSTRAP_ADMIN && !admins[0].lastSeenAt) {
    return (await auth.createLoginCode(BOOTSTRAP_ADMIN)).code;
  }
  return undefined;
}

/** A login link: the code travels in the fragment (never in a server log); the page spends it. */
export function adminLoginUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/admin/#code=${code}`;
}
