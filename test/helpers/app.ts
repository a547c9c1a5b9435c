import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Connection } from 'mongoose';
import os from 'node:os';
import { App, AppOptions, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FakeConnector } from './connector';
import { openTestDb, TestDb } from './db';

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

export interface AssistantFixture {
  db: TestDb;
  app: RunningApp;
  connector: FakeConnector;
  /** Stops the server and starts a new one on the same database (a process restart). */
  restart(): Promise<void>;
}

/**
 * For a describe block: its own database on the run's FerretDB, a local connector endpoint
 * for the bot's replies, and the real server configured from `env`.
 */
export function useAssistant(label: string, env: Record<string, string> = {}, options: AppOptions = {}): AssistantFixture {
  const fx = {} as AssistantFixture;
  beforeAll(async () => {
    fx.db = await openTestDb(label);
    fx.connector = await new FakeConnector().start();
    fx.app = await startTestApp(fx.db.connection, env, options);
  });
  afterAll(async () => {
    await fx.app?.close();
    await fx.connector?.stop();
    await fx.db?.close();
  });
  fx.restart = async () => {
    await fx.app.close();
    fx.app = await startTestApp(fx.db.connection, env, options);
  };
  return fx;
}
