import { ActivityTypes, ConversationState, TeamsActivityHandler, TurnContext, UserState } from 'botbuilder';
import { Dialog, DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { DATA_ERASED, StateAccessors } from '../dialogs/state';
import { setTurnLanguage, tr, turnLanguage } from '../dialogs/turnLocale';
import { Language, languageFromLocale, webChatLocale } from './i18n';
import type { Handoff, HandoffStatus } from './handoff/types';
import { USER_CHANNELS } from './channels/userChannels';
import { log } from './log';
import type { ConversationReferences } from './followup/references';
import type { TeamsClaims } from './admin/teamsClaim';
import type { JsonConversationState } from './store/botState';
import { StateErasedError } from './store/mongoStorage';
import { TurnErasures } from './privacy/erasures';

/** What the bot is built from; the optional parts are the handoff, check-in, Teams and privacy services the app wires in. */
export interface DlaBotParts {
  conversationState: ConversationState;
  userState: UserState;
  accessors: StateAccessors;
  rootDialog: Dialog;
  defaultLanguage: Language;
  /** The handoffs a hub reports on (handoff.status events). */
  handoffs?: HandoffStatusPort;
  /** Where to reach each user for a check-in (the latest conversation it wrote in). */
  references?: ConversationReferences;
  /** « Je m’en occupe » on a handoff card in the chargé·es' Teams channel. */
  teamsClaims?: Pick<TeamsClaims, 'handle'>;
  /** Whether the structure's data were erased while a turn ran (its rule: TurnErasures). */
  erasures?: Pick<TurnErasures, 'begin' | 'erased'>;
}

/**
 * Teams-aware activity handler: resolves the turn's language, runs the root dialog, and saves
 * state once at the end of the turn (one read and one write per state object).
 */
export class DlaBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  /**
   * The memory scopes and path resolvers botbuilder-dialogs builds for each turn (the first
   * DialogStateManager of a turn, then kept in turnState): stateless, so built once and handed
   * to every turn, as its DialogManager does.
   */
  private stateManagerConfiguration?: unknown;

  private readonly conversationState: ConversationState;
  private readonly userState: UserState;
  private readonly accessors: StateAccessors;
  private readonly rootDialog: Dialog;
  private readonly defaultLanguage: Language;
  private readonly handoffs?: HandoffStatusPort;
  private readonly references?: ConversationReferences;
  private readonly teamsClaims?: Pick<TeamsClaims, 'handle'>;
  private readonly erasures?: Pick<TurnErasures, 'begin' | 'erased'>;

  constructor(parts: DlaBotParts) {
    super();
    this.conversationState = parts.conversationState;
    this.userState = parts.userState;
    this.accessors = parts.accessors;
    this.rootDialog = parts.rootDialog;
    this.defaultLanguage = parts.defaultLanguage;
    this.handoffs = parts.handoffs;
    this.references = parts.references;
    this.teamsClaims = parts.teamsClaims;
    this.erasures = parts.erasures;
    this.dialogs = new DialogSet(this.accessors.dialogState).add(this.rootDialog);

    this.onMessage(async (context, next) => {
      // « Je m’en occupe » on a handoff's card in the chargé·es' channel; anything else is the dialogs'.
      if (!(await this.teamsClaims?.handle(context))) await this.runDialog(context);
      await next();
    });

    // Web Chat / Direct Line: the user joins the conversation. Teams personal scope announces
    // the bot only (and sends installationUpdate), so bot-only additions are ignored here.
    this.onMembersAdded(async (context, next) => {
      const others = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient.id);
      if (others.length > 0) await this.runDialog(context);
      await next();
    });

    // A hub that took up a handoff reports on it (the Bot Framework handoff protocol).
    this.onEvent(async (context, next) => {
      if (context.activity.name === 'handoff.status' && this.handoffs) await this.onHandoffStatus(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.conversation.conversationType === 'personal' || !context.activity.conversation.conversationType) {
        // Installed again in the same conversation: welcomed again, with what waits (the question
        // it was at is offered by the welcome: its answers are on the dossier).
        await this.accessors.dialogState.delete(context);
        await this.accessors.flags.set(context, { ...(await this.accessors.flags.get(context, {})), welcomed: false });
        await this.runDialog(context);
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await this.prepare(context);
    if (context.activity.type === ActivityTypes.Message) {
      stripMentions(context);
      // Where to reach this user for a check-in: the latest conversation it wrote in.
      await this.references?.remember(context.activity);
    }
    try {
      await super.run(context);
    } catch (err) {
      // Erased meanwhile, the turn may fail on what it no longer finds (its dossier), or be
      // refused a write (a handoff: ErasedDuringTurnError): the structure is told, not apologised to.
      if (!(await this.erasures?.erased(context).catch(() => false))) throw err;
      return this.erasedMeanwhile(context, err as Error);
    }
    await this.tellWebChatLanguage(context);
    await this.save(context);
  }

  /**
   * Web Chat writes its own texts (send box, timestamps, screen-reader labels) in the locale the
   * page gave it, and sends that locale with each message: when the user's language differs
   * (they said « English », or chose it in an earlier conversation), the page is told to switch.
   */
  private async tellWebChatLanguage(context: TurnContext): Promise<void> {
    const { type, channelId, locale } = context.activity;
    if (type !== ActivityTypes.Message || !WEB_CHAT_CHANNELS.has(channelId) || !locale) return;
    const language = turnLanguage(context);
    if (languageFromLocale(locale) === language) return;
    await context.sendActivity({ type: ActivityTypes.Event, name: WEB_CHAT_LANGUAGE_EVENT, value: webChatLocale(language) });
  }

  /** Proactive turn (continueConversationAsync): opens the check-in in the user's conversation; returns the language it is written in. */
  async startCheckin(context: TurnContext, checkinId: string): Promise<Language> {
    await this.prepare(context);
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(this.rootDialog.id, { checkin: { checkinId } });
    await this.save(context);
    return turnLanguage(context);
  }

  /**
   * Loads both state objects in parallel (one read each) and resolves the turn's language; replies
   * then say the language they are written in (not the one the message came with).
   */
  private async prepare(context: TurnContext): Promise<void> {
    context.onSendActivities(async (ctx, activities, next) => {
      const locale = webChatLocale(turnLanguage(ctx));
      for (const a of activities) a.locale = locale;
      return next();
    });
    if (this.stateManagerConfiguration) context.turnState.set(STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
    this.erasures?.begin(context);
    await Promise.all([this.conversationState.load(context), this.userState.load(context)]);
    const profile = await this.accessors.profile.get(context, {});
    const flags = await this.accessors.flags.get(context, {});
    // A conversation started in a language (Direct Line's conversationStartProperties.locale) stays
    // in it when a client's messages carry no locale of their own.
    const { type, locale } = context.activity;
    if (type === ActivityTypes.ConversationUpdate && languageFromLocale(locale) && !flags.startLanguage) {
      await this.accessors.flags.set(context, { ...flags, startLanguage: languageFromLocale(locale) });
    }
    setTurnLanguage(context, profile.language ?? flags.language ?? languageFromLocale(locale) ?? flags.startLanguage ?? this.defaultLanguage);
  }

  private async save(context: TurnContext): Promise<void> {
    // After « mes données » erased the user's state, this conversation goes on in the language
    // chosen by hand: kept with the conversation only (saved afresh, over the state this turn
    // erased), the user's state stays erased. (Erased by another meanwhile: TurnErasures erases
    // what this writes once the turn is done.)
    const erasedHere = context.turnState.get(DATA_ERASED) === true;
    this.stateManagerConfiguration ??= context.turnState.get(STATE_MANAGER_CONFIGURATION);
    const language = erasedHere ? (await this.accessors.profile.get(context, {})).language : undefined;
    if (language) await this.accessors.flags.set(context, { ...(await this.accessors.flags.get(context, {})), language });
    if (erasedHere) (this.conversationState as Partial<JsonConversationState>).afresh?.(context);
    try {
      await this.conversationState.saveChanges(context, false);
      await this.userState.saveChanges(context, false);
    } catch (err) {
      // Deleted since it was read (an erasure under way).
      if (!(err instanceof StateErasedError)) throw err;
      await this.erasedMeanwhile(context, err);
    }
  }

  /**
   * The structure's data were erased while this turn ran (the back-office, the retention purge,
   * « mes données » in another conversation): the turn ends there, and TurnErasures erases what it
   * wrote and tells the structure that it can start again.
   */
  private erasedMeanwhile(context: TurnContext, error: Error): void {
    log.info('Data erased during the turn: it stops', { channel: context.activity.channelId, conversation: context.activity.conversation?.id, error });
    TurnErasures.noticed(context);
  }

  /**
   * A hub reports on a handoff of this conversation. Structures can post events themselves on
   * the channels they chat in (Web Chat, Direct Line, Teams): there the event is ignored, or a
   * structure could close its own request. The handoff is always one of this conversation's.
   */
  private async onHandoffStatus(context: TurnContext): Promise<void> {
    const { channelId, conversation } = context.activity;
    const value = (context.activity.value ?? {}) as { state?: unknown; handoffId?: unknown; message?: unknown };
    if (USER_CHANNELS.has(channelId)) {
      log.warn('handoff.status ignored: it came from a channel structures write in', { channel: channelId, conversation: conversation.id });
      return;
    }
    const to = value.state === 'accepted' ? 'claimed' : value.state === 'completed' ? 'closed' : undefined;
    const ofConversation = await this.handoffs!.list({ conversationId: conversation.id });
    const id = (typeof value.handoffId === 'string' ? ofConversation.find((h) => h._id === value.handoffId) : ofConversation.find((h) => h.status !== 'closed'))?._id;
    if (!to || !id) {
      log.warn('handoff.status not applied', { state: value.state, handoff: id, conversation: context.activity.conversation.id, message: value.message });
      return;
    }
    await this.handoffs!.setStatus(id, to, 'hub');
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.rootDialog.id);
  }
}

/** Where botbuilder-dialogs' DialogStateManager keeps its configuration in turnState. */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/** Channels whose client is Bot Framework Web Chat (the operator's page, or Azure's web chat). */
const WEB_CHAT_CHANNELS = new Set(['directline', 'webchat']);
/** The event public/page.js listens for; its value is a Web Chat locale ("en-US", "fr-FR"). */
export const WEB_CHAT_LANGUAGE_EVENT = 'dla.language';

/** What the bot needs of the handoff outbox to apply `handoff.status` events. */
export interface HandoffStatusPort {
  list(query: { conversationId: string }): Promise<Handoff[]>;
  setStatus(id: string, to: HandoffStatus, by?: string): Promise<unknown>;
}

/** Teams puts "<at>Bot</at>" in the text when the bot is @mentioned: read what follows. */
function stripMentions(context: TurnContext): void {
  if (context.activity.text) {
    TurnContext.removeRecipientMention(context.activity);
    context.activity.text = context.activity.text.replace(/<at>[^<]*<\/at>/g, '').trim();
  }
}

/** Tells the structure that its data were erased while its turn ran: nothing of it was kept, it can start again (TurnErasures). */
export async function tellErasedDuringTurn(context: TurnContext): Promise<void> {
  await context.sendActivity(tr(context)('handoffUser.myData.erasedDuringTurn'));
}

/** Logs with context and apologises in the user's language; state is not cleared (resumable). */
export async function onTurnError(context: TurnContext, error: Error): Promise<void> {
  const { activity } = context;
  log.error('Turn failed', {
    channel: activity.channelId,
    conversation: activity.conversation?.id,
    activityType: activity.type,
    activityId: activity.id,
    error,
  });
  try {
    await context.sendActivity(tr(context)('error'));
  } catch (sendError) {
    log.error('Could not send the apology', { conversation: activity.conversation?.id, error: sendError as Error });
  }
}
