import { activityShapeProblem } from './channels/activityShape';
import restify, { Request, Response, Server } from 'restify';
import { CloudAdapter } from 'botbuilder';
import { DlaBot } from './bot';
import { log } from './log';

export interface HealthReport {
  status: 'ok' | 'degraded';
  uptimeSeconds: number;
  database: { status: 'up' | 'down'; embedded: boolean };
}

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: DlaBot;
  health: () => Promise<HealthReport>;
}

/** Counts requests being processed, so shutdown can let in-flight turns finish. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  /** Set at shutdown: new turns are refused (503) while those in flight finish. */
  draining = false;
  get size(): number { return this.count; }
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      if (this.count === 0) this.waiters.splice(0).forEach((w) => w());
    }
  }
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
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

/** restify routes only: each route validates its input and hands over to a module. */
export function createServer(deps: ServerDeps, inFlight = new InFlight()): Server {
  const server = restify.createServer({ name: 'dla-assistant', handleUncaughtExceptions: false });
  // Shutting down: turns in flight finish, and their replies still reach the local Direct Line
  // through its Connector routes (/v3/conversations/…), so the server keeps listening; new
  // messages get 503 and a Retry-After (Web Chat and Bot Framework channels send them again).
  server.pre((req: Request, res: Response, next: (arg?: false) => void) => {
    if (!inFlight.draining || req.method === 'GET' || req.url?.startsWith('/v3/conversations/')) return next();
    res.header('retry-after', '10');
    sendError(res, 503, 'ShuttingDown', 'The assistant is restarting; send this again in a few seconds.');
    return next(false);
  });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const problem = activityShapeProblem(req.body, true);
    if (problem) return sendError(res, 400, 'BadRequest', problem);
    await inFlight.track(() => deps.adapter.process(req, res, (context) => deps.bot.run(context)));
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503);
    res.json(report);
  });

  server.on('restifyError', (req: Request, _res: Response, err: Error & { body?: { code?: string; message?: string }; toJSON?: () => unknown }, callback: () => void) => {
    // restify's own errors (malformed JSON, unknown route, wrong method…) keep their status and
    // get the same body shape as ours: { error: { code, message } }.
    log.debug('HTTP error', { method: req.method, url: req.url, error: err });
    err.toJSON = () => ({ error: { code: err.body?.code ?? err.name, message: err.body?.message ?? err.message } });
    callback();
  });
  return server;
}
