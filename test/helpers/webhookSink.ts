import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
  answered: number;
}

/**
 * A local receiver of the handoff webhook (the operator's CRM, n8n…): verifies each call's
 * signature with its secret (401 when it does not match), answers `status` (200 by default).
 */
export class WebhookSink {
  readonly requests: Received[] = [];
  status = 200;
  delayMs = 0;
  hang = false;
  url = '';
  private server?: http.Server;
  private waiters: (() => void)[] = [];

  constructor(private readonly secret: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-dla-signature'] ?? ''));
        const verified = given.length === expected.length && timingSafeEqual(given, expected);
        const answered = verified ? this.status : 401;
        const record: Received = { headers: req.headers, body, verified, answered };
        this.requests.push(record);
        this.waiters.splice(0).forEach((w) => w());
        if (this.hang) return;
        setTimeout(() => {
          res.writeHead(answered, { 'content-type': 'application/json' });
          res.end('{}');
        }, this.delayMs);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/dla`;
    return this;
  }

  /** Requests answered 2xx: what the receiving system accepted. */
  get accepted(): Received[] {
    return this.requests.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  nextRequest(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  reset(): void {
    this.requests.length = 0;
    this.status = 200;
    this.delayMs = 0;
    this.hang = false;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/**
 * A receiver for a describe block's assistant: started before it (call this before useAssistant),
 * its URL and secret written into the assistant's `env`, stopped after.
 */
export function useWebhookSink(secret: string, env: Record<string, string>): WebhookSink {
  const hook = new WebhookSink(secret);
  env.HANDOFF_WEBHOOK_SECRET = secret;
  beforeAll(async () => {
    await hook.start();
    env.HANDOFF_WEBHOOK_URL = hook.url;
  });
  afterAll(() => hook.stop());
  return hook;
}
