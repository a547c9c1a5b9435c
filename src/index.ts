import path from 'node:path';
import { Connection } from 'mongoose';
import { createApp, stopServing } from './app';
import { assertServerConfig, colourWarnings, Config, ConfigError, describeListenError, loadConfig, loadDotEnv, redactUri, unknownSettings } from './config';
import { log, setLogLevel } from './log';
import cron from 'node-cron';
import { connectWithRetry, DEFAULT_DATABASE, uriDatabase } from './store/db';
import { upgradeLookups } from './store/lookups';
import { upgradeSummaries } from './store/summaries';
import { MongoStorage } from './store/mongoStorage';
import { purgeExpired, retentionCutoff } from './store/retention';
import { adminLoginUrl, ensureAdmin } from './admin/auth';
import { announcedFerretDb, ensureFerretDb, RunningFerretDb, startFerretDb } from './store/ferretdb';

/** Process shell: config → database (embedded or not) → server; graceful shutdown. */
async function main(): Promise<void> {
  const dotEnvKeys = loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
    assertServerConfig(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every key and its default.\n`);
      process.exit(2);
    }
    throw err;
  }
  setLogLevel(config.logLevel);
  for (const line of [...unknownSettings(dotEnvKeys), ...colourWarnings(config)]) log.warn(line);
  if (config.handoff.teams.conversationId && !config.handoff.teams.tenantId) {
    log.warn('HANDOFF_TEAMS_CONVERSATION_ID is set without HANDOFF_TEAMS_TENANT_ID: Teams may refuse the chargé·es\' cards (set the tenant of their team)');
  }

  let ferret: RunningFerretDb | undefined;
  let uri = config.mongoUri;
  if (!uri) {
    const dataDir = path.join(config.dataDir, 'ferretdb');
    // Two FerretDB on the same SQLite files would each cache its own view of them.
    const other = await announcedFerretDb(dataDir);
    if (other) {
      process.stderr.write(`DATA_DIR ${config.dataDir} is already used by another running assistant (process ${other.pid}): stop it, or set another DATA_DIR.\n`);
      process.exit(2);
    }
    const bin = await ensureFerretDb(config.toolsDir, config.ferretdbBin, (m) => log.info(m));
    ferret = await startFerretDb(bin, dataDir, undefined, {
      announce: true,
      // PORT or PUBLIC_URL set only in this process's shell: admin:link run beside it prints links to it.
      publicUrl: config.publicUrl,
      restartOnCrash: true,
      log: (level, message) => log[level](message),
    });
    uri = ferret.uri;
    log.info('Embedded database started (FerretDB, SQLite backend)', { uri, data: dataDir });
  }

  let connection: Connection | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal} received: finishing in-flight turns, then stopping`);
    const force = setTimeout(() => {
      log.warn('Shutdown timed out; exiting');
      void (app?.inFlight.answerUnanswered() ?? Promise.resolve()).finally(() => process.exit(1));
    }, config.shutdownTimeoutMs);
    stopJobs();
    if (app) {
      await stopServing(app);
      await app.localDirectLine?.store.flushed(); // what the database has not taken yet (outage)
    }
    await connection?.close().catch(() => undefined);
    await ferret?.stop();
    clearTimeout(force);
    log.info('Stopped cleanly');
    process.exit(0);
  };
  let app: ReturnType<typeof createApp> | undefined;
  let stopJobs = (): void => undefined;
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  log.info('Connecting to the database', { uri: redactUri(uri), database: uriDatabase(uri) ?? DEFAULT_DATABASE });
  connection = await connectWithRetry(uri);
  app = createApp(config, connection, !config.mongoUri);
  // Transcripts written before they were filed by conversation (once; nothing to do after).
  await app.transcripts.migrate();
  // Dossiers and handoffs stored before their lists by SIRET and by dossier (once; nothing to do after).
  await upgradeLookups(connection);
  // The back-office's summaries of the dossiers stored before they existed (once; then kept at each write).
  const summarising = Date.now();
  const summarised = await upgradeSummaries(connection);
  if (summarised) log.info('Dossiers summarised for the back-office (once, after an upgrade)', { dossiers: summarised, ms: Date.now() - summarising });
  await new Promise<void>((resolve, reject) => {
    app!.server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(describeListenError(err, config.host, config.port))));
    app!.server.listen(config.port, config.host, () => resolve());
  });
  // Personal data is kept no longer than DATA_RETENTION_MONTHS: purge at start, then nightly.
  const purge = () => purgeExpired(connection!, new Date(), config.dataRetentionMonths, app!.privacy)
    .then(() => app!.transcripts.purgeBefore(retentionCutoff(new Date(), config.dataRetentionMonths)))
    // The purge deleted bot state and Direct Line history behind their caches' backs.
    .then(() => {
      if (app!.storage instanceof MongoStorage) app!.storage.clearCache();
      app!.localDirectLine?.store.clearCache();
    })
    .catch((err: Error) => log.error('Retention purge failed; it runs again tomorrow', { error: err }));
  void purge();
  const nightly = cron.schedule('30 3 * * *', () => void purge(), { timezone: config.operator.timeZone });
  // Conversations without consent (declined, or never given) keep nothing past DIRECT_LINE_NO_CONSENT_HOURS: a lighter sweep, hourly.
  const hourly = cron.schedule('15 * * * *', () => void app!.forgetWithoutConsent()
    .catch((err: Error) => log.error('Sweep of conversations without consent failed; it runs again in an hour', { error: err })));
  app.outbox.start();
  app.scheduler.start(config.followup.cron);
  stopJobs = () => { void nightly.stop(); void hourly.stop(); void app?.outbox.stop(); void app?.scheduler.stop(); };
  // The back-office is never open: a first administrator gets a login link that works once.
  const adminToken = await ensureAdmin(connection, log, { tokenTtlHours: config.admin.tokenTtlHours });
  if (adminToken) log.info(`Back-office (one-time login link, keep it private): ${adminLoginUrl(config.publicUrl, adminToken)}`);
  log.info(`dla-assistant listening on ${config.publicUrl}`, {
    messages: `${config.publicUrl}/api/messages`,
    auth: config.appId ? 'Bot Framework (MicrosoftAppId set)' : 'off (no MicrosoftAppId: local use only)',
  });
}

main().catch((err: Error) => {
  log.error(`Start-up failed: ${err.message}`);
  process.exit(1);
});
