import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Connection } from 'mongoose';
import os from 'node:os';
import { App, AppOptions, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';

export interface RunningApp {
  app: App;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real server on a free port, wired on the given connection, configured from `env`. */
export const TEST_DIRECT_LINE_SECRET = 'test-local-direct-line-secret';

export async function startTestApp(connection: Connection, env: Record<string, string> = {}, options: AppOptions = {}): Promise<RunningApp> {
  const config = loadConfig({ PORT: '0', LOCAL_DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET, DATA_DIR: os.tmpdir(), ...env });
  const app = createApp(config, connection, true, options);
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, baseUrl, close: () => new Promise<void>((r) => app.server.close(() => r())) };
}

export interface Activityish {
  type: string;
  [key: string]: unknown;
}

/** Builds activities as a channel (Web Chat via Direct Line, Emulator…) would post them. */
export class Channel {
  readonly conversationId = `conv-${randomUUID()}`;
  readonly userId = `user-${randomUUID()}`;
  constructor(private readonly serviceUrl: string, private readonly locale = 'fr-FR', private readonly channelId = 'directline') {}

  private base(type: string): Activityish {
    return {
      type,
      id: randomUUID(),
      channelId: this.channelId,
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      locale: this.locale,
      conversation: { id: this.conversationId },
      from: { id: this.userId, name: 'Structure', role: 'user' },
      recipient: { id: 'dla-bot', name: 'DLA', role: 'bot' },
    };
  }

  join(): Activityish {
    return { ...this.base('conversationUpdate'), membersAdded: [{ id: this.userId }, { id: 'dla-bot' }] };
  }

  say(text: string): Activityish {
    return { ...this.base('message'), text };
  }
}

export async function post(baseUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
}
