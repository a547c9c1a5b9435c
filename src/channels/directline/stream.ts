import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { log } from '../../log';
import { DirectLineError, LocalDirectLine } from './localDirectLine';
import { callerKey, RateLimiter } from './rateLimit';
import { bearer, TokenSigner } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/?]+)\/stream$/;
/** A ping every so often: proxies close silent connections, and a dead client is noticed. */
const PING_MS = 30_000;

/**
 * Direct Line's WebSocket stream, locally: GET /v3/directline/conversations/:id/stream
 * (`streamUrl` of a conversation start or reconnect), token in `t` or the Authorization header.
 * It sends `{ activities, watermark }` with what is already there after `watermark`, then each
 * new activity as it is appended — what botframework-directlinejs (Web Chat) reads by default.
 * The client posts its own activities over HTTP, as with Azure; its empty "" pings are ignored.
 */
export function attachDirectLineStreams(http: HttpServer, dl: LocalDirectLine, signer: TokenSigner, limiter: RateLimiter, proxyHops = 0): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return refuse(socket, new DirectLineError(404, 'NotFound', 'No WebSocket here.'));
    const conversationId = decodeURIComponent(match[1]);
    const token = url.searchParams.get('t') ?? bearer(req.headers.authorization);
    const check = signer.verify(token);
    const wait = limiter.hit(callerKey(check, req, proxyHops));
    if (wait > 0) return refuse(socket, new DirectLineError(429, 'TooManyRequests', `Too many requests: retry in ${wait} s.`, wait));
    // The same checks as a GET of the activities: a valid token of this very conversation.
    dl.getActivities(token, conversationId, url.searchParams.get('watermark') ?? undefined).then(
      (set) => wss.handleUpgrade(req, socket, head, (ws) => stream(ws, dl, conversationId, Number(set.watermark) - set.activities.length)),
      (err: unknown) => refuse(socket, err instanceof DirectLineError ? err : new DirectLineError(500, 'ServiceError', 'The stream could not be opened; try again.')),
    );
  });

  // Closing the server ends the streams ("going away"): clients reconnect to the next process.
  const close = http.close.bind(http);
  http.close = ((callback?: (err?: Error) => void) => {
    for (const client of wss.clients) client.close(1001, 'server shutting down');
    return close(callback);
  }) as typeof http.close;
}

function stream(ws: WebSocket, dl: LocalDirectLine, conversationId: string, from: number): void {
  let watermark = from;
  let sending = Promise.resolve();
  // Each append is announced; reads are chained so that batches go out in order, none twice.
  const pump = () => {
    sending = sending
      .then(async () => {
        const set = await dl.activitiesAfter(conversationId, watermark);
        if (ws.readyState !== WebSocket.OPEN) return;
        watermark = Number(set.watermark);
        if (set.activities.length) ws.send(JSON.stringify(set));
      })
      .catch((err: Error) => log.warn('Direct Line stream: could not send activities', { conversation: conversationId, error: err }));
  };
  const unsubscribe = dl.onActivity(conversationId, pump);
  pump(); // what is already there (subscribed first: nothing appended meanwhile is missed)
  let alive = true;
  const ping = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, PING_MS);
  ping.unref();
  ws.on('pong', () => { alive = true; });
  ws.on('message', () => { alive = true; }); // the client's "" keep-alives; activities are posted over HTTP
  ws.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
  ws.on('error', () => ws.terminate());
}

/** An HTTP error on the upgrade request: status line, JSON body like every Direct Line error. */
function refuse(socket: Duplex, err: DirectLineError): void {
  const body = JSON.stringify({ error: { code: err.code, message: err.message } });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[err.status] ?? 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${err.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `${err.retryAfterSeconds ? `Retry-After: ${err.retryAfterSeconds}\r\n` : ''}Connection: close\r\n\r\n${body}`,
  );
}
