import { ConversationState, Storage, UserState } from 'botbuilder';
import { Connection } from 'mongoose';
import { Server } from 'restify';
import { MainDialog } from '../dialogs/mainDialog';
import { createAccessors } from '../dialogs/state';
import { createAdapter } from './adapter';
import { DlaBot, onTurnError } from './bot';
import { Config } from './config';
import { createServer, HealthReport, InFlight } from './server';
import { pingDb } from './store/db';
import { MongoStorage } from './store/mongoStorage';

export interface App {
  server: Server;
  inFlight: InFlight;
  bot: DlaBot;
}

/** Wires the assistant on an open database connection (the process shell lives in index.ts). */
export function createApp(config: Config, connection: Connection, embedded: boolean, storage: Storage = new MongoStorage(connection)): App {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const accessors = createAccessors(conversationState, userState);
  const bot = new DlaBot(conversationState, userState, accessors,
    new MainDialog(accessors, { operatorName: config.operator.name }), config.defaultLocale);

  const adapter = createAdapter(config);
  adapter.onTurnError = onTurnError;

  const started = Date.now();
  const health = async (): Promise<HealthReport> => {
    const up = await pingDb(connection);
    return {
      status: up ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      database: { status: up ? 'up' : 'down', embedded },
    };
  };
  const inFlight = new InFlight();
  const server = createServer({ adapter, bot, health }, inFlight);
  return { server, inFlight, bot };
}
