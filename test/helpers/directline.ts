import { asRead } from './asRead';
import { DirectLine, ConnectionStatus, Activity as DlActivity } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
// rxjs' ajax (what directlinejs uses in the browser) needs XMLHttpRequest: xhr2 provides it in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require('xhr2');

export { ConnectionStatus };
export type { DlActivity };

/** Every client opened, so that a failed test cannot leave one polling (the run would never end). */
const opened = new Set<DirectLine>();

/** Ends the clients a test left open (call it in afterEach). */
export function endOpenClients(): void {
  for (const client of opened) client.end();
  opened.clear();
}

function track(client: DirectLine): DirectLine {
  opened.add(client);
  return client;
}

/** The client Web Chat uses, pointed at a local Direct Line, polling (no WebSocket). */
export function directLineClient(baseUrl: string, token: string, conversationId?: string, startLocale?: string): DirectLine {
  // Node 20 has no global WebSocket, which directlinejs references even when polling.
  return track(new DirectLine({
    token, conversationId, domain: `${baseUrl}/v3/directline`, webSocket: false, pollingInterval: 200, WebSocket: class {},
    ...(startLocale ? { conversationStartProperties: { locale: startLocale } } : {}),
  } as unknown as ConstructorParameters<typeof DirectLine>[0]));
}

/** The same client reading the conversation's WebSocket stream (`streamUrl`), as Web Chat does by default. */
export function directLineStreamClient(baseUrl: string, token: string, conversationId?: string): DirectLine {
  // directlinejs uses a WebSocket only when the global one exists (Node 20 has none): the ws package's.
  (globalThis as Record<string, unknown>).WebSocket ??= WebSocket;
  return track(new DirectLine({ token, conversationId, domain: `${baseUrl}/v3/directline`, webSocket: true, WebSocket } as unknown as ConstructorParameters<typeof DirectLine>[0]));
}

/** Collects the bot's messages; `next(n)` waits for n more. */
export class BotMessages {
  readonly texts: string[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(client: DirectLine, botId = 'dla-assistant') {
    client.activity$.subscribe((a: DlActivity) => {
      if (a.type === 'message' && a.from.id === botId) {
        this.texts.push(asRead((a as { text?: string }).text ?? ''));
        this.waiters = this.waiters.filter((w) => (this.texts.length >= w.count ? (w.resolve(), false) : true));
      }
    }, ignoreEnd);
  }

  /** Resolves with the bot messages received since `since` once at least `n` arrived. */
  async after(since: number, n = 1, timeoutMs = 10000): Promise<string> {
    const count = since + n;
    if (this.texts.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited for ${n} bot message(s) after #${since}; got ${JSON.stringify(this.texts.slice(since))}`)), timeoutMs);
        this.waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    }
    return this.texts.slice(since).join('\n');
  }
}

/** `client.end()` errors every stream with "conversation ended": expected, not a failure. */
export function ignoreEnd(err: Error): void {
  if (err?.message !== 'conversation ended') throw err;
}
