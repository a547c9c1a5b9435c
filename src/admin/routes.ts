/**
 * The back-office over HTTP: the page at /admin/ and its JSON API under /admin/api/. Routes only
 * authenticate, read the request and hand over to AdminService (service.ts) / AdminAuth (auth.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { ADMIN_ROLES, AdminAuth, AdminAuthError, AdminRole, AdminUser, adminLoginUrl } from './auth';
import { AdminDeps, AdminError, AdminService, DECISION_NOTE_MAX_CHARS, DOSSIER_STATUSES, NO_DEPARTEMENT, OUTCOMES, PHASES } from './service';
import { HANDOFF_STATUSES } from '../handoff/types';
import { loadResources } from '../i18n';
import { log } from '../log';
import { PROJECT_ROOT } from '../paths';
import { escapeHtml } from '../html';
import { sendError } from '../server';
import { localDay } from '../domain/checkinPlan';
import { THEMES } from '../domain/themes';
import { isPlaceholderName } from '../domain/staffNames';
import { departementItems } from '../domain/territory';
import { EXPORT_PAGE_CSP } from '../privacy/exportHtml';

export type { AdminDeps, HandoffPort, TranscriptReader } from './service';

const ADMIN_PUBLIC = path.join(PROJECT_ROOT, 'public', 'admin');

export const ADMIN_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface State {
  deps: AdminDeps;
  auth: AdminAuth;
  service: AdminService;
  page: string;
}

/** One set of routes per server; registering again swaps the dependencies (tests inject theirs). */
const registered = new WeakMap<Server, State>();

/** The page's texts and settings, embedded as JSON (`<` escaped so no text can close the script). */
export function pageConfig(deps: AdminDeps): Record<string, unknown> {
  const lang = deps.config.defaultLocale;
  const resources = loadResources();
  const tr = resources[lang].translation as Record<string, Record<string, unknown>>;
  const fr = resources.fr.translation as Record<string, Record<string, unknown>>;
  const pick = (ns: string, key?: string) => {
    const from = (bundle: Record<string, Record<string, unknown>>) => (key ? (bundle[ns]?.[key] as Record<string, unknown>) : bundle[ns]);
    return from(tr) ?? from(fr);
  };
  return {
    lang,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    operator: deps.config.operator.name,
    // Dates and times are shown in the operator's time zone, whatever the browser's.
    timeZone: deps.config.operator.timeZone,
    primaryColor: deps.config.operator.primaryColor,
    accentColor: deps.config.operator.accentColor,
    operatorDepartements: deps.config.operator.departements,
    // The département filter's value for the records without one (« Département non renseigné »).
    noDepartement: NO_DEPARTEMENT,
    phases: PHASES,
    statuses: DOSSIER_STATUSES,
    outcomes: OUTCOMES,
    decisionNoteMaxChars: DECISION_NOTE_MAX_CHARS,
    themes: THEMES,
    handoffStatuses: HANDOFF_STATUSES,
    roles: ADMIN_ROLES,
    // A structure's data can be exported and erased here, and erasures are registered (deps.privacy).
    privacy: Boolean(deps.privacy),
    texts: {
      admin: pick('admin'),
      themes: pick('themes', 'label'),
    },
  };
}

function renderPage(deps: AdminDeps): string {
  const template = fs.readFileSync(path.join(ADMIN_PUBLIC, 'index.html'), 'utf8');
  const config = pageConfig(deps);
  const admin = (config.texts as { admin: Record<string, Record<string, string>> }).admin;
  const title = String(admin.page.title).replace(/{{operator}}/g, deps.config.operator.name);
  const values: Record<string, string> = {
    lang: deps.config.defaultLocale,
    title: escapeHtml(title),
    skip: escapeHtml(String(admin.page.skip)),
    loading: escapeHtml(String(admin.common.loading)),
    noscript: escapeHtml(String(admin.page.noscript)),
    configJson: JSON.stringify(config).replace(/</g, '\\u003c'),
  };
  return template.replace(/{{(\w+)}}/g, (_, key: string) => values[key] ?? '');
}

/** A file the page downloads (attachment), never cached, with the security headers. */
function sendFile(res: Response, name: string, type: string, body: string, headers: Record<string, string> = {}): undefined {
  res.writeHead(200, { 'content-type': type, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  res.end(body);
  return undefined;
}

/** Every answer of the API: never cached, with the security headers. */
function apiHeaders(res: Response): void {
  res.header('cache-control', 'no-store');
  Object.entries(SECURITY_HEADERS).forEach(([k, v]) => res.header(k, v));
}

function sendAdminError(res: Response, err: unknown, s: State): void {
  if (err instanceof AdminError) return sendError(res, err.status, err.code, err.message);
  if (err instanceof AdminAuthError) return sendError(res, err.status, err.code, s.service.t(err.key, err.vars));
  log.error('Back-office request failed', { error: err as Error });
  sendError(res, 500, 'InternalError', s.service.t('admin.errors.internal'));
}

type RestifyError = Error & { statusCode?: number; body?: { code?: string; message?: string } };

/** restify's own error (unknown address, wrong method, body refused by the body parser), in the operator's language. */
function restifyErrorText(s: State, req: Request, err: RestifyError): string {
  const t = s.service.t;
  switch (err.statusCode) {
    case 400: return t('admin.errors.badBodyContent');
    case 404: return t('admin.errors.noRoute', { path: req.getPath() });
    case 405: return t('admin.errors.methodNotAllowed', { method: req.method });
    case 413: return t('admin.errors.bodyTooLarge');
    case 415: return t('admin.errors.unsupportedMediaType');
    default: return t('admin.errors.requestFailed', { status: String(err.statusCode ?? 500) });
  }
}

function build(deps: AdminDeps): State {
  const service = new AdminService(deps);
  const auth = new AdminAuth(deps.connection, { now: deps.now, tokenTtlHours: deps.config.admin.tokenTtlHours });
  return { deps, auth, service, page: renderPage(deps) };
}

/**
 * The back-office: GET /admin/ (page), /admin/admin.js, /admin/admin.css, and the JSON API under
 * /admin/api/ (Bearer token of an admin_users user on every call; 401 without, 403 outside the
 * user's départements). Without deps.transcripts, dossiers show no conversation. Returns the
 * service and the users behind the routes (the Teams card's claim acts through them too).
 */
export function registerAdminRoutes(server: Server, deps: AdminDeps): Pick<State, 'service' | 'auth'> {
  const first = !registered.has(server);
  const built = build(deps);
  registered.set(server, built);
  if (!first) return built;
  const state = () => registered.get(server)!;

  // restify answers some requests itself: an unknown /admin/api/ address (404), a method the
  // address does not take (405), and what the body parser refuses before any route runs (400
  // unreadable JSON, 413 too large, 415). Their message is put in the operator's language here;
  // server.ts's restifyError listener, which runs after this one, gives the { error: { code,
  // message } } body and calls back (this one calls back only if it is alone).
  server.prependListener('restifyError', (req: Request, res: Response, err: RestifyError, callback: () => void) => {
    const apiPath = req.getPath();
    if (apiPath === '/admin/api' || apiPath.startsWith('/admin/api/')) {
      err.body = { code: err.body?.code ?? err.name, message: restifyErrorText(state(), req, err) };
      apiHeaders(res);
    }
    if (server.listenerCount('restifyError') === 1) callback();
  });

  /** An API route: JSON, no caching, an authenticated user (admins only when asked). */
  const api = (handler: (req: Request, res: Response, user: AdminUser, s: State) => Promise<unknown>, opts: { adminOnly?: boolean } = {}) =>
    async (req: Request, res: Response) => {
      apiHeaders(res);
      const s = state();
      try {
        const user = await s.auth.authenticate(req.headers.authorization);
        if (!user) {
          res.header('www-authenticate', 'Bearer realm="dla-admin"');
          return sendError(res, 401, 'Unauthorized', s.service.t('admin.errors.unauthorized'));
        }
        if (opts.adminOnly && user.role !== 'admin') return sendError(res, 403, 'Forbidden', s.service.t('admin.errors.adminOnly'));
        const body = await handler(req, res, user, s);
        if (body !== undefined) res.json(body);
      } catch (err) {
        sendAdminError(res, err, s);
      }
    };
  const query = (req: Request) => (req.query ?? {}) as Record<string, unknown>;
  // The operator's day, for a file's name (at 00:35 in Paris on the 27th, the file is of the 27th).
  const today = (s: State) => localDay(s.deps.now?.() ?? new Date(), s.deps.config.operator.timeZone);

  const asset = (file: string, type: string) => async (_req: Request, res: Response) => {
    try {
      const data = await fs.promises.readFile(path.join(ADMIN_PUBLIC, file));
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      res.end(data);
    } catch {
      sendError(res, 404, 'NotFound', 'No such file.');
    }
  };
  server.get('/admin', async (_req: Request, res: Response) => {
    res.writeHead(301, { location: '/admin/' });
    res.end();
  });
  server.get('/admin/', async (_req: Request, res: Response) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8', 'content-security-policy': ADMIN_CSP, 'cache-control': 'no-store', ...SECURITY_HEADERS,
    });
    res.end(state().page);
  });
  server.get('/admin/admin.js', asset('admin.js', 'text/javascript; charset=utf-8'));
  server.get('/admin/admin.css', asset('admin.css', 'text/css; charset=utf-8'));

  // A login link's code, spent once for a session token (no Bearer token yet: this is how one is got).
  server.post('/admin/api/session', async (req: Request, res: Response) => {
    apiHeaders(res);
    const s = state();
    try {
      const code = (req.body as { code?: unknown } | undefined)?.code;
      const session = typeof code === 'string' ? await s.auth.signIn(code.trim()) : undefined;
      if (!session) return sendError(res, 401, 'Unauthorized', s.service.t('admin.errors.badLoginLink'));
      log.info('Back-office sign-in', { user: session.user._id });
      res.json({ token: session.token, expiresAt: session.expiresAt });
    } catch (err) {
      sendAdminError(res, err, s);
    }
  });

  // nameToSet: a placeholder name (the first administrator's « Administrateur »): the page asks for the person's own.
  const meView = (user: AdminUser) => ({ email: user._id, name: user.name, nameToSet: isPlaceholderName(user.name), role: user.role, departements: user.departements });
  server.get('/admin/api/me', api(async (_req, _res, user) => meView(user)));
  server.patch('/admin/api/me', api(async (req, _res, user, s) => meView(await s.auth.setOwnName(user._id, (req.body as { name?: unknown } | undefined)?.name))));
  server.post('/admin/api/logout', api(async (req, _res, _user, s) => {
    await s.auth.revoke(req.headers.authorization);
    return { ok: true };
  }));

  server.get('/admin/api/dossiers', api(async (req, _res, user, s) => s.service.listDossiers(user, s.service.parseFilters(query(req)), s.service.parsePage(query(req)))));
  server.get('/admin/api/dossiers/:id', api(async (req, _res, user, s) => s.service.getDossier(user, String(req.params.id))));
  server.post('/admin/api/dossiers/:id/parcours', api(async (req, _res, user, s) => s.service.recordParcours(user, String(req.params.id), req.body)));
  server.post('/admin/api/dossiers/:id/decision', api(async (req, _res, user, s) => s.service.recordDecision(user, String(req.params.id), req.body)));
  server.post('/admin/api/dossiers/:id/checkins', api(async (req, res, user, s) => {
    const checkin = await s.service.followup.add(user, String(req.params.id), req.body);
    res.status(201);
    return checkin;
  }));
  server.post('/admin/api/dossiers/:id/followup/resume', api(async (req, _res, user, s) => s.service.followup.resume(user, String(req.params.id))));
  server.post('/admin/api/checkins/:id/move', api(async (req, _res, user, s) => s.service.followup.move(user, String(req.params.id), req.body)));
  server.post('/admin/api/checkins/:id/cancel', api(async (req, _res, user, s) => s.service.followup.cancel(user, String(req.params.id))));

  server.get('/admin/api/handoffs', api(async (req, _res, user, s) => s.service.listHandoffs(user, query(req))));
  server.post('/admin/api/handoffs/:id/claim', api(async (req, _res, user, s) => s.service.actOnHandoff(user, String(req.params.id), 'claim')));
  server.post('/admin/api/handoffs/:id/close', api(async (req, _res, user, s) => s.service.actOnHandoff(user, String(req.params.id), 'close')));
  server.post('/admin/api/handoffs/:id/reopen', api(async (req, _res, user, s) => s.service.actOnHandoff(user, String(req.params.id), 'reopen')));
  server.post('/admin/api/handoffs/:id/retry', api(async (req, _res, user, s) => s.service.actOnHandoff(user, String(req.params.id), 'retry')));

  server.get('/admin/api/export.csv', api(async (req, res, user, s) => {
    const csv = await s.service.exportCsv(user, s.service.parseFilters(query(req)));
    return sendFile(res, `${s.service.t('admin.csv.filename')}-${today(s)}.csv`, 'text/csv; charset=utf-8', csv);
  }));

  // « mes données » for a request received by e-mail, letter or phone: the same files, downloaded to send on.
  server.get('/admin/api/dossiers/:id/export', api(async (req, res, user, s) => {
    const file = await s.service.exportDossier(user, String(req.params.id), query(req).format);
    const name = s.service.t('handoffUser.myData.fileName');
    return file.json
      ? sendFile(res, `${name}.json`, 'application/json; charset=utf-8', file.body)
      : sendFile(res, `${name}.html`, 'text/html; charset=utf-8', file.body, { 'content-security-policy': EXPORT_PAGE_CSP });
  }));
  server.post('/admin/api/dossiers/:id/erase', api(async (req, _res, user, s) => s.service.eraseDossier(user, String(req.params.id), req.body), { adminOnly: true }));
  // The erasure register; `format=json`: the file a restore reapplies (npm run db:restore -- FILE --reapply REGISTER.json).
  server.get('/admin/api/erasures', api(async (req, res, _user, s) => (query(req).format === 'json'
    ? sendFile(res, `${s.service.t('admin.privacy.registerFile')}-${today(s)}.json`, 'application/json; charset=utf-8', await s.service.erasuresFile())
    : s.service.listErasures()), { adminOnly: true }));

  server.get('/admin/api/stats', api(async (_req, _res, user, s) => s.service.stats(user)));

  // Users: administrators create chargé·es and hand them a login link.
  const userView = (u: AdminUser) => ({
    email: u._id, name: u.name, role: u.role, departements: u.departements ?? [],
    lastSeenAt: u.lastSeenAt ?? null, createdAt: u.createdAt,
  });
  const withLink = async (s: State, email: string) => {
    const { code, expiresAt } = await s.auth.createLoginCode(email);
    return { loginUrl: adminLoginUrl(s.deps.config.publicUrl, code), expiresAt };
  };
  server.get('/admin/api/users', api(async (_req, _res, _user, s) => ({ users: (await s.auth.list()).map(userView) }), { adminOnly: true }));
  server.post('/admin/api/users', api(async (req, _res, _user, s) => {
    const body = (req.body ?? {}) as { email?: unknown; name?: unknown; role?: unknown; departements?: unknown };
    // A list or a text of codes; « tous » (or *) for every département. Anything else is refused, not read as "all".
    const listed = Array.isArray(body.departements) ? body.departements
      : typeof body.departements === 'string' ? departementItems(body.departements)
        : body.departements === undefined || body.departements === null ? [] : undefined;
    if (typeof body.email !== 'string' || typeof body.name !== 'string' || typeof body.role !== 'string' || !listed || listed.some((d) => typeof d !== 'string')) {
      throw new AdminError(400, 'BadRequest', s.service.t('admin.errors.badUser'));
    }
    const all = listed.length === 1 && /^(tous|toutes|all|\*)$/i.test(String(listed[0]).trim());
    // A chargé·e sees every dossier only when said so: a field left empty by mistake opens nothing.
    if (body.role === 'charge' && !listed.length) throw new AdminError(400, 'BadRequest', s.service.t('admin.errors.departementsRequired'));
    const departements = all ? [] : listed;
    s.service.checkOperatorDepartements(departements as string[]);
    const existed = await s.auth.get(body.email);
    const user = await s.auth.upsertUser({ email: body.email, name: body.name, role: body.role as AdminRole, departements: departements as string[] });
    // A new user gets a login link; a changed one keeps its session and any link already sent.
    return { user: userView(user), created: !existed, ...(existed ? {} : await withLink(s, user._id)) };
  }, { adminOnly: true }));
  server.del('/admin/api/users/:email', api(async (req, _res, _user, s) => {
    await s.auth.removeUser(String(req.params.email));
    return { removed: true };
  }, { adminOnly: true }));
  server.post('/admin/api/users/:email/token', api(async (req, _res, _user, s) => {
    const email = String(req.params.email);
    return { ...(await withLink(s, email)) };
  }, { adminOnly: true }));
  return built;
}
