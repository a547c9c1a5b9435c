import { Request, Response, Server } from 'restify';
import { log } from '../../log';
import { jsonBodyOnly, sendError } from '../../server';
import { LocalConnector } from './localAdapter';
import { DirectLineError, LocalDirectLine } from './localDirectLine';
import { callerKey, RateLimiter } from './rateLimit';
import { bearer, TokenSigner } from './tokens';

type Handler = (req: Request) => Promise<{ status: number; body: unknown }>;

/** Maps errors to `{ error: { code, message } }` with their status; hides internal ones. */
function handle(work: Handler) {
  return async (req: Request, res: Response) => {
    try {
      const { status, body } = await work(req);
      res.status(status);
      res.json(body);
    } catch (err) {
      if (err instanceof DirectLineError) {
        if (err.retryAfterSeconds) res.header('Retry-After', String(err.retryAfterSeconds));
        return sendError(res, err.status, err.code, err.message);
      }
      log.error('Direct Line request failed', { method: req.method, url: req.url, error: err as Error });
      sendError(res, 500, 'ServiceError', 'The request could not be processed; try again.');
    }
  };
}

/** Local Direct Line 3.0 and the Connector routes its bot replies to. Thin: LocalDirectLine decides. */
export function registerDirectLineRoutes(server: Server, dl: LocalDirectLine, connector: LocalConnector, signer: TokenSigner, limiter: RateLimiter, publicUrl?: string, proxyHops = 0): void {
  const limited = (work: Handler): Handler => async (req) => {
    const value = bearer(req.headers.authorization);
    const check = signer.verify(value);
    const wait = limiter.hit(callerKey(check, req, proxyHops));
    if (wait > 0) throw new DirectLineError(429, 'TooManyRequests', `Too many requests: retry in ${wait} s.`, wait);
    return work(req);
  };
  const auth = (req: Request) => bearer(req.headers.authorization);
  // ws(s)://host: PUBLIC_URL's when given (a proxy may not pass the Host on), else as the client reached us.
  const configured = publicUrl ? publicUrl.replace(/^http/, 'ws').replace(/\/+$/, '') : undefined;
  const streamBase = (req: Request): string | undefined => {
    if (configured) return configured;
    const host = req.headers.host;
    if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return undefined;
    const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() || (req.isSecure() ? 'https' : 'http');
    return `${proto === 'https' ? 'wss' : 'ws'}://${host}`;
  };
  const route = (work: Handler) => handle(limited(work));

  server.post('/v3/directline/tokens/generate', route(async (req) => ({
    status: 200, body: dl.generateToken(auth(req), (req.body as { user?: { id?: unknown } } | undefined)?.user),
  })));
  server.post('/v3/directline/tokens/refresh', route(async (req) => ({ status: 200, body: dl.refreshToken(auth(req)) })));
  server.post('/v3/directline/conversations', jsonBodyOnly, route(async (req) => {
    const { grant, created } = await dl.startConversation(auth(req), streamBase(req), req.body);
    return { status: created ? 201 : 200, body: grant };
  }));
  server.get('/v3/directline/conversations/:conversationId', route(async (req) => ({
    status: 200, body: await dl.reconnect(auth(req), req.params.conversationId, streamBase(req), (req.query as Record<string, unknown>)?.watermark),
  })));
  server.post('/v3/directline/conversations/:conversationId/activities', jsonBodyOnly, route(async (req) => ({
    status: 200, body: await dl.postActivity(auth(req), req.params.conversationId, req.body),
  })));
  server.get('/v3/directline/conversations/:conversationId/activities', route(async (req) => ({
    status: 200, body: await dl.getActivities(auth(req), req.params.conversationId, (req.query as Record<string, unknown>)?.watermark),
  })));

  // Connector API: where the bot's replies arrive (serviceUrl of local Direct Line activities).
  const fromBot: Handler = async (req) => {
    if (!connector.isTrusted(req.headers.authorization)) throw new DirectLineError(401, 'Unauthorized', 'Only this assistant may post as the bot.');
    return { status: 200, body: await dl.botActivity(req.params.conversationId, req.body, req.params.activityId) };
  };
  server.post('/v3/conversations/:conversationId/activities', handle(fromBot));
  server.post('/v3/conversations/:conversationId/activities/:activityId', handle(fromBot));
}
