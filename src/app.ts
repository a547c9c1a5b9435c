import { Storage } from 'botbuilder';
import { Connection } from 'mongoose';
import { Server } from 'restify';
import { MainDialog } from '../dialogs/mainDialog';
import { createAccessors } from '../dialogs/state';
import { createAdapter } from './adapter';
import { milestoneLabel } from './admin/followup';
import { DataExports } from './privacy/exports';
import { ErasureRegister, TurnErasures } from './privacy/erasures';
import { registerDataExportRoute } from './privacy/exportRoute';
import { translator } from './i18n';
import { registerAdminRoutes } from './admin/routes';
import { TeamsClaims } from './admin/teamsClaim';
import { LocalDirectLineSetup, setUpLocalDirectLine } from './channels/directline';
import { allowOperatorOrigins, registerWebChatRoutes, WebChatTokens } from './channels/webchat';
import { DlaBot, onTurnError, tellErasedDuringTurn } from './bot';
import { Config } from './config';
import { createNotifiers, TeamsNotifier } from './handoff/notifiers';
import { HandoffOutbox } from './handoff/outbox';
import { HandoffService } from './handoff/service';
import { refreshHandoffState } from './store/summaries';
import { useTranscripts } from './handoff/transcriptLogger';
import { OneTurnAtATime, TURN_DEADLINE_MS } from './turnQueue';
import { milestonesWithoutDate, planCheckins } from './domain/checkinPlan';
import { explainedFailure } from './domain/deliveryFailure';
import { CheckinAnswers } from './followup/checkinAnswers';
import { CheckinLinks } from './followup/checkinLinks';
import { CheckinMailer } from './followup/checkinMail';
import { registerCheckinStopRoutes } from './followup/stopRoutes';
import { CheckinRepository, type PlanResult } from './followup/checkins';
import { FollowupScheduler } from './followup/scheduler';
import { ProactiveCheckinSender } from './followup/proactive';
import { ConversationReferences } from './followup/references';
import { createServer, HealthReport, InFlight } from './server';
import { pingDb } from './store/db';
import { DossierRepository } from './store/dossiers';
import { JsonConversationState, JsonUserState } from './store/botState';
import { botStateStorage } from './store/mongoStorage';
import { NoConsentConversations } from './store/noConsent';
import { PrivacyService } from './store/privacy';
import { ResourceDirectory } from './store/resourceDirectory';
import { MongoTranscriptStore } from './store/transcripts';

export interface App {
  server: Server;
  inFlight: InFlight;
  bot: DlaBot;
  /** Delivers handoffs to the chargé·es (index.ts starts and stops its loop). */
  outbox: HandoffOutbox;
  transcripts: MongoTranscriptStore;
  /** Sends a check-in proactively (the follow-up scheduler's sender). */
  checkinSender: ProactiveCheckinSender;
  /** Dispatches due check-ins (index.ts starts its clock). */
  scheduler: FollowupScheduler;
  checkinRepository: CheckinRepository;
  /** The embedded local Direct Line (absent when DIRECT_LINE_SECRET points to Azure). */
  localDirectLine?: LocalDirectLineSetup;
  /** Bot state (conversation and user). */
  storage: Storage;
  /**
   * Erases what conversations without consent hold, DIRECT_LINE_NO_CONSENT_HOURS after the refusal,
   * or after their last message when consent was never given (index.ts runs it hourly).
   */
  forgetWithoutConsent: () => Promise<number>;
  /** « Mes données » and the erasures (the retention purge erases expired dossiers through it). */
  privacy: PrivacyService;
}

export interface AppOptions {
  /** Replaces the storage of bot state (the bench counts calls through it). */
  storage?: Storage;
  /** Clock for tokens, rate limits and dossier dates (tests move it). */
  now?: () => number;
  /** Replaces TURN_DEADLINE_MS (tests shorten it). */
  turnDeadlineMs?: number;
}

/** Wires the assistant on an open database connection (the process shell lives in index.ts). */
export function createApp(config: Config, connection: Connection, embedded: boolean, options: AppOptions = {}): App {
  // The embedded database has one writer, this process: bot state can be read from memory.
  const storage = options.storage ?? botStateStorage(connection, embedded);
  const conversationState = new JsonConversationState(storage);
  const userState = new JsonUserState(storage);
  const accessors = createAccessors(conversationState, userState);
  const nowDate = () => new Date(options.now ? options.now() : Date.now());

  const adapter = createAdapter(config);
  adapter.onTurnError = onTurnError;
  const transcripts = new MongoTranscriptStore(connection, { soleWriter: embedded });
  const oneTurnAtATime = new OneTurnAtATime({ deadlineMs: options.turnDeadlineMs ?? TURN_DEADLINE_MS, onDeadline: onTurnError });
  // A turn in flight while its structure's data are erased keeps nothing (read in memory on the embedded default):
  // checked once it has written everything, its transcript too (the middleware outside the transcript's).
  const erasures = new ErasureRegister(connection, nowDate, { soleWriter: embedded });
  const turnErasures = new TurnErasures(erasures, nowDate, {
    eraseAgain: ({ activity }) => privacy.eraseAgain(activity.channelId, activity.from?.id ?? '', activity.conversation.id),
    tell: tellErasedDuringTurn,
  });
  adapter.use(oneTurnAtATime);
  adapter.use(turnErasures);
  useTranscripts(adapter, transcripts);

  const notifiers = createNotifiers(config, { adapter });
  // A handoff created or moved (the chat, a hub, the follow-up, the back-office) shows in the back-office's lists at once.
  const outbox = new HandoffOutbox(connection, notifiers, {
    maxAttempts: config.handoff.maxAttempts, now: nowDate, stateChanged: (dossierId) => refreshHandoffState(connection, dossierId),
    erased: (handoff) => erasures.handoffErased(handoff),
  });
  const handoffs = new HandoffService(outbox, { operatorName: config.operator.name, contactDelayWorkingDays: config.contactDelayWorkingDays }, transcripts, turnErasures);
  const dossiers = new DossierRepository(connection, nowDate);
  let localDirectLine: LocalDirectLineSetup | undefined;
  const references = new ConversationReferences(connection);
  const dataExports = new DataExports(connection, nowDate);
  const eraseChannelHistory = async (channelId: string, conversationId: string): Promise<number> =>
    (channelId === 'directline' && localDirectLine ? localDirectLine.store.erase(conversationId) : 0);
  const privacy = new PrivacyService({
    connection, dossiers, storage, transcripts, references, exports: dataExports, publicUrl: config.publicUrl, now: nowDate,
    eraseChannelHistory,
  });

  const noConsent = new NoConsentConversations(connection, nowDate);
  const checkins = new CheckinAnswers(connection, nowDate);
  /** Plans (idempotently) the dossier's check-ins from its confirmed diagnostic and its end of mise en œuvre. */
  const planFollowup = async (dossierId: string): Promise<PlanResult | undefined> => {
    const d = await dossiers.get(dossierId);
    if (!d || (await scheduler.checkins.isOptedOut(dossierId))) return undefined;
    // Found out of scope after the call: nothing to follow up, the automatic check-ins are withdrawn
    // (planned again if the decision changes).
    const outOfScope = d.chargeDecision?.outcome === 'out_of_scope';
    const dates = outOfScope ? {} : { diagnosticConfirmedAt: d.diagnostic?.confirmedAt, miseEnOeuvreEndedAt: d.parcours?.miseEnOeuvreEndedAt };
    const { milestones, quiet, minGapDays } = config.followup;
    // The scheduler's own repository: plans, additions and opt-outs of a dossier take its lock in turn.
    return scheduler.checkins.plan(dossierId, planCheckins(dates, milestones, quiet.timeZone, quiet), minGapDays, milestonesWithoutDate(dates, milestones),
      outOfScope ? 'out_of_scope' : 'source_removed');
  };
  const main = new MainDialog(accessors, { operatorName: config.operator.name }, {
    dossiers,
    handoffs,
    privacy,
    checkins,
    // The scheduler is created below: its repository is read when a structure asks.
    followup: {
      optOut: (dossierId) => scheduler.checkins.optOut(dossierId),
      isOptedOut: (dossierId) => scheduler.checkins.isOptedOut(dossierId),
      nextCheckin: async (dossierId) => (await scheduler.checkins.nextPlanned(dossierId))?.dueAt,
    },
    onDiagnosticConfirmed: async (dossierId) => { await planFollowup(dossierId); },
    forgetConversation: (channelId, conversationId) => transcripts.deleteTranscript(channelId, conversationId),
    noConsent,
    now: nowDate,
    resources: new ResourceDirectory(connection),
    settings: {
      operatorName: config.operator.name,
      operatorContact: config.operator.contact,
      territory: { departements: config.operator.departements, level: config.operator.level },
      contactDelayWorkingDays: config.contactDelayWorkingDays,
      retentionMonths: config.dataRetentionMonths,
      noConsentHours: config.directLine.noConsentHours,
      timeZone: config.operator.timeZone,
    },
  });
  // « Je m’en occupe » on the handoff cards of the chargé·es' channel: the back-office's own claim (its routes are registered below).
  const teamsNotifier = notifiers.find((n): n is TeamsNotifier => n instanceof TeamsNotifier);
  const teamsClaims = teamsNotifier && new TeamsClaims({
    conversationId: config.handoff.teams.conversationId,
    serviceUrl: config.handoff.teams.serviceUrl,
    authenticated: Boolean(config.appId),
    users: { get: (email) => admin.auth.get(email) },
    claim: (user, id) => admin.service.actOnHandoff(user, id, 'claim'),
    handoffs: outbox,
    updateCards: (context, handoff, clicked) => teamsNotifier.updateCards(context, handoff, clicked),
    timeZone: config.operator.timeZone,
  });
  const bot = new DlaBot({
    conversationState, userState, accessors, rootDialog: main, defaultLanguage: config.defaultLocale,
    handoffs: outbox, references, teamsClaims, erasures: turnErasures,
  });
  const checkinLinks = new CheckinLinks(connection, config.followup.linkDays, nowDate);
  const checkinSender = new ProactiveCheckinSender({
    dossiers, references, appId: config.appId, now: nowDate,
    // A reference to this server's own Connector routes is a local Direct Line conversation.
    adapterFor: (reference) => (localDirectLine && reference.serviceUrl === localDirectLine.serviceUrl() ? localDirectLine.adapter : adapter),
    startCheckin: (context, checkinId) => bot.startCheckin(context, checkinId),
    checkins: { note: (id, set) => scheduler.checkins.note(id, set) },
    mailer: config.handoff.smtpUrl ? new CheckinMailer({
      smtpUrl: config.handoff.smtpUrl, from: config.handoff.smtpFrom, publicUrl: config.publicUrl, operatorName: config.operator.name,
      operatorContact: config.operator.contact, timeZone: config.operator.timeZone, linkDays: config.followup.linkDays, links: checkinLinks,
    }) : undefined,
  });

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
  localDirectLine = config.directLine.azureSecret
    ? undefined
    : setUpLocalDirectLine(server, config, connection, (context) => bot.run(context), {
      onTurnError, track: (work) => inFlight.track(work), now: options.now,
      configureAdapter: (local) => {
        local.use(oneTurnAtATime);
        local.use(turnErasures);
        useTranscripts(local, transcripts);
      },
    });
  registerWebChatRoutes(server, config, new WebChatTokens(config, localDirectLine, checkinLinks));
  registerDataExportRoute(server, dataExports, config.defaultLocale);

  // node-cron is only the clock; claims are leases in MongoDB (any number of instances).
  const fr = translator('fr'); // what the chargé·es read
  const scheduler: FollowupScheduler = new FollowupScheduler(connection, checkinSender, {
    now: nowDate,
    quiet: config.followup.quiet,
    maxAttempts: config.followup.maxAttempts,
    // After the last attempt, the chargé·es are told through the handoff notifiers.
    onGiveUp: async (checkin, lastError) => {
      const d = await dossiers.get(checkin.dossierId);
      await outbox.create({
        _id: `followup-failed:${checkin._id}`, // onGiveUp is at-least-once: one handoff whatever the repeats
        dossierId: checkin.dossierId, reason: 'followup_unreachable', urgency: 'normal', departement: d?.departement,
        structureName: d?.answers.name, contact: d?.answers.contact, consent: d?.consent?.given === true,
        message: fr('admin.followup.unreachable', { milestone: milestoneLabel(checkin.milestone, fr), error: explainedFailure(fr, lastError) ?? lastError }),
        transcript: { channelId: '', conversationId: '' },
      });
    },
  });
  registerCheckinStopRoutes(server, config, checkinLinks, scheduler.checkins);
  const admin = registerAdminRoutes(server, { connection, config, transcripts, handoffs: outbox, now: nowDate, onParcoursRecorded: planFollowup, checkins: scheduler.checkins, privacy });
  const sweepDeps = {
    connection, storage, eraseChannelHistory, deleteTranscript: (channelId: string, conversationId: string) => transcripts.deleteTranscript(channelId, conversationId),
  };
  const forgetWithoutConsent = async () => (await noConsent.forgetDeclined(sweepDeps, config.directLine.noConsentHours))
    + (await noConsent.forgetNeverConsented(sweepDeps, config.directLine.noConsentHours));
  return { server, inFlight, bot, outbox, transcripts, checkinSender, scheduler, checkinRepository: scheduler.checkins, localDirectLine, storage, forgetWithoutConsent, privacy };
}

/**
 * Stops serving: new messages get 503 while the turns in flight finish — their replies reach the
 * local Direct Line through this same server — then the listener closes (streams get 1001).
 */
export async function stopServing(app: Pick<App, 'server' | 'inFlight'>): Promise<void> {
  app.inFlight.draining = true;
  await app.inFlight.idle();
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
}
