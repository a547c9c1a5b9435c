import { ConversationState, Storage, UserState } from 'botbuilder';
import { Connection } from 'mongoose';
import { Server } from 'restify';
import { MainDialog } from '../dialogs/mainDialog';
import { createAccessors } from '../dialogs/state';
import { createAdapter } from './adapter';
import { LocalDirectLineSetup, setUpLocalDirectLine } from './channels/directline';
import { allowOperatorOrigins, registerWebChatRoutes, WebChatTokens } from './channels/webchat';
import { DlaBot, onTurnError } from './bot';
import { Config } from './config';
import { createServer, HealthReport, InFlight } from './server';
import { pingDb } from './store/db';
import { DossierRepository } from './store/dossiers';
import { ResourceDirectory } from './store/resourceDirectory';
import { MongoStorage } from './store/mongoStorage';

export interface App {
  server: Server;
  inFlight: InFlight;
  bot: DlaBot;
  /** The embedded local Direct Line (absent when DIRECT_LINE_SECRET points to Azure). */
  localDirectLine?: LocalDirectLineSetup;
}

/** Wires the assistant on an open database connection (the process shell lives in index.ts). */
export interface AppOptions {
  /** Replaces the storage of bot state (the bench counts calls through it). */
  storage?: Storage;
  /** Clock for tokens and rate limits (tests move it). */
  now?: () => number;
}

export function createApp(config: Config, connection: Connection, embedded: boolean, options: AppOptions = {}): App {
  const storage = options.storage ?? new MongoStorage(connection);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const accessors = createAccessors(conversationState, userState);
  const nowDate = () => new Date(options.now ? options.now() : Date.now());
  const main = new MainDialog(accessors, { operatorName: config.operator.name }, {
    dossiers: new DossierRepository(connection, nowDate),
    now: nowDate,
    resources: new ResourceDirectory(connection),
    settings: {
      operatorName: config.operator.name,
      operatorContact: config.operator.contact,
      territory: { departements: config.operator.departements, level: config.operator.level },
      contactDelayWorkingDays: config.contactDelayWorkingDays,
      retentionMonths: config.dataRetentionMonths,
    },
  });
  const bot = new DlaBot(conversationState, userState, accessors, main, config.defaultLocale);

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
  allowOperatorOrigins(server, config.directLine.allowedOrigins);
  const localDirectLine = config.directLine.azureSecret
    ? undefined
    : setUpLocalDirectLine(server, config, connection, (context) => bot.run(context), {
      onTurnError, track: (work) => inFlight.track(work), now: options.now,
    });
  registerWebChatRoutes(server, config, new WebChatTokens(config, localDirectLine));
  return { server, inFlight, bot, localDirectLine };
}
