import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { Connection } from 'mongoose';
import { Server } from 'restify';
import { Config } from '../../config';
import { log } from '../../log';
import { createLocalConnector } from './localAdapter';
import { LocalDirectLine } from './localDirectLine';
import { RateLimiter } from './rateLimit';
import { registerDirectLineRoutes } from './routes';
import { DirectLineStore } from './store';
import { attachDirectLineStreams } from './stream';
import { TokenSigner } from './tokens';

export interface LocalDirectLineSetup {
  directLine: LocalDirectLine;
  store: DirectLineStore;
  /** Runs turns (and proactive messages) for local Direct Line conversations. */
  adapter: CloudAdapter;
  /** The serviceUrl its activities carry (this server's Connector routes). */
  serviceUrl: () => string;
  signer: TokenSigner;
  secret: string;
  limiter: RateLimiter;
}

/** LOCAL_DIRECT_LINE_SECRET, or a random one generated once and kept in DATA_DIR (mode 600). */
export function localDirectLineSecret(config: Pick<Config, 'directLine' | 'dataDir'>): string {
  if (config.directLine.localSecret) return config.directLine.localSecret;
  const file = path.join(config.dataDir, 'directline.secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  log.info('Generated the local Direct Line secret', { file });
  return secret;
}

/** Wires the local Direct Line on the server: turns run through an adapter without app credentials. */
export function setUpLocalDirectLine(
  server: Server,
  config: Config,
  connection: Connection,
  runTurn: (context: TurnContext) => Promise<void>,
  options: {
    onTurnError: (context: TurnContext, error: Error) => Promise<void>;
    track: <T>(work: () => Promise<T>) => Promise<T>;
    now?: () => number;
    /** Adds middleware (transcripts) to the adapter that runs the local Direct Line's turns. */
    configureAdapter?: (adapter: CloudAdapter) => void;
  },
): LocalDirectLineSetup {
  const secret = localDirectLineSecret(config);
  const signer = new TokenSigner(createHmac('sha256', secret).update('dla-directline-token-v1').digest(), options.now);
  const limiter = new RateLimiter(config.directLine.rateLimitPerMinute, 60_000, options.now);
  const connector = createLocalConnector();
  connector.adapter.onTurnError = options.onTurnError;
  options.configureAdapter?.(connector.adapter);
  const store = new DirectLineStore(connection);
  const serviceUrl = (): string => {
    const address = server.address() as { address: string; port: number } | null;
    const host = !address || address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address?.port ?? config.port}`;
  };
  const directLine = new LocalDirectLine({
    store,
    signer,
    secret,
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    serviceUrl,
    bot: { id: 'dla-assistant', name: config.operator.name },
    deliver: (activity) => options.track(() => connector.adapter.processActivityDirect('', activity as Activity, runTurn)),
    now: options.now,
  });
  registerDirectLineRoutes(server, directLine, connector, signer, limiter, config.publicUrlConfigured ? config.publicUrl : undefined, config.directLine.trustProxyHops);
  attachDirectLineStreams(server.server, directLine, signer, limiter, config.directLine.trustProxyHops);
  return { directLine, store, adapter: connector.adapter, serviceUrl, signer, secret, limiter };
}
