import { asRead } from './asRead';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Activity } from 'botbuilder';

/** What a person reads on an Adaptive Card: its text blocks and facts, in order. */
export function cardText(card: unknown): string {
  if (!card || typeof card !== 'object') return '';
  const c = card as { type?: string; text?: string; facts?: { title: string; value: string }[]; body?: unknown[]; items?: unknown[]; columns?: unknown[] };
  if (c.type === 'TextBlock') return c.text ?? '';
  if (c.type === 'FactSet') return (c.facts ?? []).map((f) => `${f.title} : ${f.value}`).join('\n');
  return [...(c.body ?? []), ...(c.items ?? []), ...(c.columns ?? [])].map(cardText).filter(Boolean).join('\n');
}

/**
 * A local Bot Connector endpoint (the true boundary of a bot): records every activity the bot
 * sends to `serviceUrl`, as Azure Bot Service or Teams would receive it.
 */
export class FakeConnector {
  readonly activities: Partial<Activity>[] = [];
  /** Activities the bot replaced (updateActivity: PUT …/activities/<id>), in order. */
  readonly updates: Partial<Activity>[] = [];
  /** Who Teams says a member is (TeamsInfo.getMember: GET …/members/<id>), by member id; others are unknown (404). */
  readonly members = new Map<string, { name: string; email?: string; userPrincipalName?: string }>();
  /** How many times the bot asked who a member is. */
  memberLookups = 0;
  /** While set, an update (PUT) is answered with this HTTP status and not recorded: the service is down. */
  updateStatus?: number;
  private server?: http.Server;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  private counter = 0;
  /** Responses held back while hold() is in force. */
  private held?: (() => void)[];
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(req.url ?? '');
        if (req.method === 'GET' && member) {
          this.memberLookups++;
          const id = decodeURIComponent(member[1]);
          const known = this.members.get(id);
          res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(known ? { id, objectId: id, ...known } : { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found' } }));
          return;
        }
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (req.method === 'PUT' && match?.[2] && this.updateStatus) {
          res.writeHead(this.updateStatus, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The service is unavailable' } }));
          return;
        }
        if (req.method === 'PUT' && match?.[2]) {
          this.updates.push({ ...(JSON.parse(body) as Partial<Activity>), id: decodeURIComponent(match[2]) });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: decodeURIComponent(match[2]) }));
          return;
        }
        if (req.method === 'POST' && match) {
          const activity = JSON.parse(body) as Partial<Activity>;
          activity.conversation = activity.conversation ?? ({ id: decodeURIComponent(match[1]) } as Activity['conversation']);
          this.activities.push(activity);
          this.waiters = this.waiters.filter((w) => (w.predicate() ? (w.resolve(), false) : true));
          const respond = (): void => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ id: `reply-${++this.counter}` }));
          };
          if (this.held) this.held.push(respond);
          else respond();
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * Records the bot's activities as usual but holds back the HTTP responses, so the turn that
   * sent one stays blocked on it, until the returned function is called.
   */
  hold(): () => void {
    const held: (() => void)[] = [];
    this.held = held;
    return () => {
      if (this.held === held) this.held = undefined;
      held.splice(0).forEach((respond) => respond());
    };
  }

  /** Messages sent to one conversation, in order, as read (asRead). */
  messages(conversationId: string): string[] {
    return this.activities
      .filter((a) => a.conversation?.id === conversationId && a.type === 'message')
      .map((a) => asRead([a.text ?? '', ...(a.attachments ?? []).map((x) => cardText(x.content))].filter(Boolean).join('\n')));
  }

  /** Resolves when the predicate holds (checked on every new activity), or fails after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs = 10000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`FakeConnector: condition not met in ${timeoutMs} ms; got ${JSON.stringify(this.activities.map((a) => a.text))}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  async stop(): Promise<void> {
    this.held?.splice(0).forEach((respond) => respond());
    this.held = undefined;
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
