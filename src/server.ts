import type { DlaAdapter } from './adapter';
import { activityShapeProblem } from './channels/activityShape';
import restify, { Request, Response, Server } from 'restify';
import { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { DlaBot } from './bot';
import { log } from './log';

export interface HealthReport {
  status: 'ok' | 'degraded';
  uptimeSeconds: number;
  database: { status: 'up' | 'down'; embedded: boolean };
}

export interface ServerDeps {
  adapter: DlaAdapter;
  bot: DlaBot;
  health: () => Promise<HealthReport>;
}

/** Counts requests being processed, so shutdown can let in-flight turns finish. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  /** Every request whose response is not sent yet (see answerUnanswered). */
  private readonly unanswered = new Set<Response>();
  /** Set at shutdown: new turns are refused (503) while those in flight finish. */
  draining = false;
  get size(): number { return this.count; }
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      this.settle();
    }
  }
  /**
   * Resolves when no turn runs and no request is being answered: a message accepted just before
   * draining began may not have reached its turn yet, and its replies need the server listening.
   */
  idle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
  /** Remembers a request until its response is sent or its client leaves. */
  watch(res: Response): void {
    this.unanswered.add(res);
    res.once('close', () => {
      this.unanswered.delete(res);
      this.settle();
    });
  }
  private isIdle(): boolean {
    return this.count === 0 && this.unanswered.size === 0;
  }
  private settle(): void {
    if (this.isIdle()) this.waiters.splice(0).forEach((w) => w());
  }
  /**
   * The shutdown ran out of time (a turn waits on a database that does not answer): each request
   * still waiting gets a 503 to send again, rather than a reset connection when the process
   * exits. Resolves once the answers are written, or after `writeMs`.
   */
  async answerUnanswered(writeMs = 1000): Promise<void> {
    const waiting = [...this.unanswered].filter((res) => !res.headersSent);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(waiting.map((res) => new Promise((resolve) => {
        res.once('finish', resolve);
        res.header('connection', 'close');
        sendShuttingDown(res);
      }))),
      new Promise((resolve) => { timer = setTimeout(resolve, writeMs); }),
    ]);
    clearTimeout(timer);
  }
}

/** An error a route turns into `{ error: { code, message } }` with its status (sendError). */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
}

/** 503 while the assistant stops: Web Chat and Bot Framework channels send the request again. */
function sendShuttingDown(res: Response): void {
  res.header('retry-after', '10');
  sendError(res, 503, 'ShuttingDown', 'The assistant is restarting; send this again in a few seconds.');
}

/** What restify's bodyParser reads as JSON: application/json and application/…+json. */
const JSON_TYPE = /^application\/(?:json|[a-z.]+\+json)$/;

/**
 * Route handler for the routes that read an activity: a body must be JSON (Web Chat, Direct Line
 * clients and Bot Framework channels send it so). A form or a text body would otherwise be parsed
 * into something else (a form's fields become an "activity") or refused as if it were not one.
 * An empty body passes (starting a conversation needs none).
 */
export function jsonBodyOnly(req: Request, res: Response, next: (arg?: false) => void): void {
  const hasBody = Number(req.contentLength() || 0) > 0 || req.isChunked();
  if (!hasBody || JSON_TYPE.test(req.contentType().toLowerCase())) return next();
  sendError(res, 415, 'UnsupportedMediaType', 'Send the activity as JSON (Content-Type: application/json).');
  return next(false);
}

/**
 * CloudAdapter.process, with our error shape: an unauthenticated request is one warning line and
 * a JSON 401 (the adapter prints a stack trace per request and answers a bare string).
 */
async function processActivity(deps: ServerDeps, req: Request, res: Response): Promise<void> {
  try {
    const invoke = await deps.adapter.authenticateAndProcess(req.headers.authorization ?? '', req.body as Activity, (context) => deps.bot.run(context));
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.json(invoke.body);
    else res.end();
  } catch (err) {
    if (err instanceof AuthenticationError) {
      log.warn('Refused a /api/messages request: Bot Framework authentication failed', { reason: (err as Error).message });
      return sendError(res, 401, 'Unauthorized', 'Bot Framework authentication failed: a valid signed token from the Bot Connector is required.');
    }
    log.error('/api/messages failed', { error: err as Error });
    if (!res.headersSent) sendError(res, 500, 'InternalError', 'The activity could not be processed; see the server log.');
  }
}

/** restify routes only: each route validates its input and hands over to a module. */
export function createServer(deps: ServerDeps, inFlight = new InFlight()): Server {
  // maxParamLength reaches the router (find-my-way, 100 by default): a long id or link token is
  // then answered by its route (« lien expiré ») instead of restify's "does not exist".
  const server = restify.createServer({ name: 'dla-assistant', handleUncaughtExceptions: false, maxParamLength: 1000 } as restify.ServerOptions);
  // Shutting down: turns in flight finish, and their replies still reach the local Direct Line
  // through its Connector routes (/v3/conversations/…), so the server keeps listening; new
  // messages get 503 and a Retry-After (Web Chat and Bot Framework channels send them again).
  server.pre((req: Request, res: Response, next: (arg?: false) => void) => {
    inFlight.watch(res);
    if (!inFlight.draining || req.method === 'GET' || req.url?.startsWith('/v3/conversations/')) return next();
    sendShuttingDown(res);
    return next(false);
  });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', jsonBodyOnly, async (req: Request, res: Response) => {
    const problem = activityShapeProblem(req.body, true);
    if (problem) return sendError(res, 400, 'BadRequest', problem);
    await inFlight.track(() => processActivity(deps, req, res));
  });

  const healthz = async (_req: Request, res: Response) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503);
    res.json(report);
  };
  server.get('/healthz', healthz);
  server.head('/healthz', healthz);

  server.on('restifyError', (req: Request, _res: Response, err: Error & { body?: { code?: string; message?: string }; toJSON?: () => unknown }, callback: () => void) => {
    // restify's own errors (malformed JSON, unknown route, wrong method…) keep their status and
    // get the same body shape as ours: { error: { code, message } }.
    log.debug('HTTP error', { method: req.method, url: req.url, error: err });
    err.toJSON = () => ({ error: { code: err.body?.code ?? err.name, message: err.body?.message ?? err.message } });
    callback();
  });
  return server;
}
