import { clientAddress } from './clientAddress';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { Config } from '../config';
import { Language, LANGUAGES, languageFromLocale, translator, webChatLocale } from '../i18n';
import { log } from '../log';
import { PROJECT_ROOT } from '../paths';
import { escapeHtml } from '../html';
import { HttpError, sendError } from '../server';
import { LocalDirectLineSetup } from './directline';
import { WEB_CHAT_CHANNEL_IDS } from '../domain/checkinEmail';
import type { CheckinLinks } from '../followup/checkinLinks';
import { DossierRepository } from '../store/dossiers';
import { RateLimiter } from './directline/rateLimit';

const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
// botframework-webchat's own UMD bundle, served from node_modules: no CDN.
const WEBCHAT_BUNDLE = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');

export interface TokenGrant {
  token: string;
  conversationId: string;
  userId: string;
  /** Lets the browser keep its user id across visits without anyone else claiming it. */
  userProof: string;
  /** Direct Line base URL for the page (relative for the local one). */
  domain: string;
  expires_in: number;
  /** Asked with a check-in e-mail's link (`suivi`): 'opened' signed in as its structure's user; 'expired' not (the page says so). */
  suivi?: 'opened' | 'expired';
  /** With `suivi: 'opened'`: the Web Chat locale of the e-mail, that the conversation opens in. */
  locale?: string;
}

/** What the page sends for a token: its remembered identity, and a check-in e-mail's link token. */
type TokenRequest = { userId?: unknown; userProof?: unknown; suivi?: unknown } | undefined;


/**
 * The page's token endpoint. Embedded default: a local Direct Line token. Production
 * (DIRECT_LINE_SECRET): the secret is exchanged with Azure Direct Line here, server-side.
 */
export class WebChatTokens {
  private readonly proofKey: Buffer;

  constructor(private readonly config: Config, private readonly local?: LocalDirectLineSetup, private readonly checkinLinks?: Pick<CheckinLinks, 'find'>) {
    this.proofKey = createHmac('sha256', local?.secret ?? config.directLine.azureSecret).update('dla-webchat-user-v1').digest();
  }

  async issue(body: TokenRequest): Promise<TokenGrant> {
    const linked = body?.suivi === undefined ? undefined : await this.linkedUser(body.suivi);
    const userId = linked?.userId ?? this.knownUser(body) ?? `dl_${randomBytes(12).toString('base64url')}`;
    const userProof = this.proof(userId);
    const suivi = body?.suivi === undefined ? {} : linked ? { suivi: 'opened' as const, locale: webChatLocale(linked.language) } : { suivi: 'expired' as const };
    if (this.local) {
      const grant = this.local.directLine.generateToken(this.local.secret, { id: userId });
      return { token: grant.token, conversationId: grant.conversationId, userId, userProof, domain: '/v3/directline', expires_in: grant.expires_in, ...suivi };
    }
    const endpoint = this.config.directLine.azureEndpoint;
    let res: globalThis.Response;
    try {
      res = await fetch(`${endpoint}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.config.directLine.azureSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: userId } }),
        signal: AbortSignal.timeout(10000),
      });
    } catch (err) {
      log.error('Azure Direct Line unreachable', { endpoint, error: err as Error });
      throw new HttpError(502, 'DirectLineUnreachable', 'The chat service cannot be reached; try again in a moment.');
    }
    if (!res.ok) {
      log.error('Azure Direct Line refused the token request', { endpoint, status: res.status });
      throw new HttpError(502, 'DirectLineRefused', 'The chat service refused the request; the operator must check DIRECT_LINE_SECRET.');
    }
    const grant = await res.json() as { token: string; conversationId: string; expires_in: number };
    return { token: grant.token, conversationId: grant.conversationId, userId, userProof, domain: `${endpoint}/v3/directline`, expires_in: grant.expires_in, ...suivi };
  }

  /** The web-chat user a check-in e-mail's link signs in as (the browser becomes that structure's), while the link works. */
  private async linkedUser(token: unknown): Promise<{ userId: string; language: Language } | undefined> {
    const link = await this.checkinLinks?.find(token);
    if (!link) return undefined;
    const { channelId, userId } = DossierRepository.channelUserParts(link.channelUser);
    return WEB_CHAT_CHANNEL_IDS.has(channelId) ? { userId, language: link.language } : undefined;
  }

  private proof(userId: string): string {
    return createHmac('sha256', this.proofKey).update(userId).digest('base64url');
  }

  private knownUser(body: TokenRequest): string | undefined {
    const { userId, userProof } = body ?? {};
    if (typeof userId !== 'string' || typeof userProof !== 'string' || !/^dl_[A-Za-z0-9_-]{8,64}$/.test(userId)) return undefined;
    const expected = Buffer.from(this.proof(userId));
    const given = Buffer.from(userProof);
    return expected.length === given.length && timingSafeEqual(expected, given) ? userId : undefined;
  }
}


function fill(template: string, values: Record<string, string>): string {
  return template.replace(/{{(\w+)}}/g, (_, key: string) => values[key] ?? '');
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export function sendHtml(res: Response, html: string, csp: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, ...SECURITY_HEADERS });
  res.end(html);
}

/** The CSP of the assistant's pages: its own scripts, styles and Direct Line; framed by the operator's sites only. */
export function pageCsp(config: Config): string {
  // Azure Direct Line: its REST origin and its WebSocket streams. Locally, 'self' covers both (ws: included).
  const azure = config.directLine.azureSecret ? new URL(config.directLine.azureEndpoint) : undefined;
  const connect = azure ? ` ${azure.origin} wss://${azure.host}` : '';
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
    `font-src 'self' data:; connect-src 'self'${connect}; frame-ancestors ${['\'self\'', ...config.directLine.allowedOrigins].join(' ')}; ` +
    "base-uri 'none'; form-action 'self'";
}

/** A small page of the assistant in the operator's colours (privacy notice, terms, the check-in stop link): `body` is HTML. */
export function textPage(config: Config, language: Language, title: string, heading: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/static/page.css">` +
    `<style>:root { --dla-primary: ${config.operator.primaryColor}; --dla-accent: ${config.operator.accentColor}; }</style></head><body>` +
    `<main class="privacy"><h1>${escapeHtml(heading)}</h1>${body}</main></body></html>`;
}

/**
 * CORS for the operator's own sites (WEBCHAT_ALLOWED_ORIGINS): the page token endpoint and the
 * local Direct Line answer them, preflight included. Other origins get no CORS headers.
 */
export function allowOperatorOrigins(server: Server, origins: string[]): void {
  if (origins.length === 0) return;
  server.pre((req: Request, res: Response, next: (stop?: false) => void) => {
    const origin = req.headers.origin;
    const path = req.getPath();
    if (!origin || !origins.includes(origin) || !(path === '/api/webchat/token' || path.startsWith('/v3/directline/'))) return next();
    res.header('Access-Control-Allow-Origin', origin);
    res.header('Vary', 'Origin');
    if (req.method !== 'OPTIONS') return next();
    res.writeHead(204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'authorization, content-type',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    });
    res.end();
    return next(false);
  });
}

/** The privacy notice's address for a language: the assistant's own notice takes ?lang=, an operator's page is left as it is. */
function privacyUrl(url: string, language: Language, pageLanguage: Language): string {
  return url === '/confidentialite' && language !== pageLanguage ? `${url}?lang=${language}` : url;
}

/** The web chat page, its assets, its token endpoint and the privacy notice. */
export function registerWebChatRoutes(server: Server, config: Config, tokens: WebChatTokens): void {
  const lang: Language = config.defaultLocale;
  const operator = config.operator.name;
  const csp = pageCsp(config);
  const pageTemplate = fs.readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8');
  // The page's own texts, per language: the page switches when the user does (« English »).
  const pageTexts = (l: Language) => {
    const tl = translator(l);
    return {
      title: tl('webchat.title', { operator }), heading: tl('webchat.heading', { operator }), intro: tl('webchat.intro'),
      skip: tl('webchat.skip'), chatLabel: tl('webchat.chatLabel'), loading: tl('webchat.loading'),
      privacyLink: tl('webchat.privacyLink'), newConversation: tl('webchat.newConversation'),
      connectionError: tl('webchat.connectionError'), reconnecting: tl('webchat.reconnecting'), reconnected: tl('webchat.reconnected'),
      userInitials: tl('webchat.userInitials'), linkExpired: tl('webchat.linkExpired'),
      privacyUrl: privacyUrl(config.operator.privacyUrl, l, lang),
    };
  };
  const pageConfig = {
    locale: webChatLocale(lang),
    primaryColor: config.operator.primaryColor,
    texts: Object.fromEntries(LANGUAGES.map((l) => [l, pageTexts(l)])),
  };
  const texts = pageTexts(lang);
  const page = fill(pageTemplate, {
    lang,
    ...Object.fromEntries(['title', 'heading', 'intro', 'skip', 'chatLabel', 'loading', 'privacyLink', 'privacyUrl', 'newConversation']
      .map((k) => [k, escapeHtml(texts[k as keyof typeof texts])])),
    primaryColor: config.operator.primaryColor,
    accentColor: config.operator.accentColor,
    configJson: JSON.stringify(pageConfig).replace(/</g, '\\u003c'),
  });
  const privacyHtml = (l: Language) => {
    const tl = translator(l);
    return textPage(config, l, tl('webchat.privacy.title', { operator }), tl('webchat.privacy.heading', { operator }),
      ['what', 'why', 'how_long', 'who', 'rights'].map((k) => `<p>${escapeHtml(tl(`webchat.privacy.${k}`, {
        operator, months: config.dataRetentionMonths, hours: config.directLine.noConsentHours, contact: config.operator.contact ? ` (${config.operator.contact})` : '',
      }))}</p>`).join('') +
      `<p><a href="/">${escapeHtml(tl('webchat.privacy.back'))}</a></p>`);
  };
  const privacyPages = Object.fromEntries(LANGUAGES.map((l) => [l, privacyHtml(l)])) as Record<Language, string>;
  // The terms of use the Teams manifest links to (termsOfUseUrl): what the assistant is and is not.
  const termsHtml = (l: Language) => {
    const tl = translator(l);
    const vars = { operator, contact: config.operator.contact ? ` (${config.operator.contact})` : '' };
    return textPage(config, l, tl('webchat.terms.title', vars), tl('webchat.terms.heading', vars),
      ['service', 'decision', 'conduct', 'contact'].map((k) => `<p>${escapeHtml(tl(`webchat.terms.${k}`, vars))}</p>`).join('') +
      `<p><a href="${escapeHtml(privacyUrl(config.operator.privacyUrl, l, lang))}">${escapeHtml(tl('webchat.privacyLink'))}</a></p>` +
      `<p><a href="/">${escapeHtml(tl('webchat.privacy.back'))}</a></p>`);
  };
  const termsPages = Object.fromEntries(LANGUAGES.map((l) => [l, termsHtml(l)])) as Record<Language, string>;
  const pageLanguage = (req: Request) => languageFromLocale(typeof req.query?.lang === 'string' ? req.query.lang : undefined) ?? lang;

  const asset = (file: string, type: string) => async (_req: Request, res: Response) => {
    try {
      const data = await fs.promises.readFile(file);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=3600', ...SECURITY_HEADERS });
      res.end(data);
    } catch {
      sendError(res, 404, 'NotFound', 'No such file.');
    }
  };

  // HEAD too: uptime monitors often probe with it (Node sends the headers only).
  for (const method of ['get', 'head'] as const) {
    server[method]('/', async (_req: Request, res: Response) => sendHtml(res, page, csp));
    server[method]('/confidentialite', async (req: Request, res: Response) => sendHtml(res, privacyPages[pageLanguage(req)], csp));
    server[method]('/conditions-utilisation', async (req: Request, res: Response) => sendHtml(res, termsPages[pageLanguage(req)], csp));
  }
  server.get('/static/webchat.js', asset(WEBCHAT_BUNDLE, 'text/javascript; charset=utf-8'));
  server.get('/static/page.js', asset(path.join(PUBLIC_DIR, 'page.js'), 'text/javascript; charset=utf-8'));
  server.get('/static/page.css', asset(path.join(PUBLIC_DIR, 'page.css'), 'text/css; charset=utf-8'));
  server.get('/favicon.ico', asset(path.join(PROJECT_ROOT, 'teams', 'color.png'), 'image/png'));

  const limiter = new RateLimiter(30);
  server.post('/api/webchat/token', async (req: Request, res: Response) => {
    const wait = limiter.hit(`addr:${clientAddress(req, config.directLine.trustProxyHops)}`);
    if (wait > 0) {
      res.header('Retry-After', String(wait));
      return sendError(res, 429, 'TooManyRequests', `Too many requests: retry in ${wait} s.`);
    }
    try {
      res.header('cache-control', 'no-store');
      res.json(await tokens.issue(req.body as TokenRequest));
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
      throw err;
    }
  });
}
