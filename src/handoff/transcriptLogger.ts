import {
  Activity,
  ActivityEventNames,
  ActivityTypes,
  Attachment,
  BotAdapter,
  ConversationReference,
  Middleware,
  TranscriptLogger,
  TurnContext,
} from 'botbuilder';
import { log } from '../log';
import { SerializedActivity, serialized } from '../store/transcripts';

export interface TranscriptLoggingOptions {
  /** Longest wait for the writes at the end of a turn (they continue in the background). */
  timeoutMs?: number;
}

/**
 * Set in a turn's state by a dialog whose turn must leave no transcript: the structure declined
 * consent (its answers are kept in the dialog only), or has just erased its data.
 */
export const NOT_LOGGED = Symbol('dla.transcript.notLogged');

/** Marks this turn as not to be written to the transcript (see NOT_LOGGED). */
export function doNotLog(context: TurnContext): void {
  context.turnState.set(NOT_LOGGED, true);
}

/** Never in a transcript: not conversation content, or never sent to the channel. */
const SKIPPED_TYPES = new Set<string>([ActivityTypes.Typing, ActivityTypes.Trace, ActivityTypes.InvokeResponse, 'delay']);

/**
 * A file the bot sent inline (« mes données »: the export as a `data:` URL) is named in the
 * transcript, not kept: the transcript would hold one more copy of everything stored about the
 * structure for each export asked.
 */
function withoutInlineFiles(activity: Partial<Activity>): Partial<Activity> {
  const inline = (a: Attachment) => typeof a.contentUrl === 'string' && a.contentUrl.startsWith('data:');
  if (!activity.attachments?.some(inline)) return activity;
  activity.attachments = activity.attachments.map((a) => (inline(a) ? { contentType: a.contentType, name: a.name } : a));
  return activity;
}

function failed(channel: string | undefined, conversation: string | undefined, activities: number, error: unknown): void {
  log.error('Transcript write failed', { channel, conversation, activities, error: error instanceof Error ? error : new Error(String(error)) });
}

function generatedId(): string {
  return `g_${Math.random().toString(36).slice(2, 8)}${Date.now()}`;
}

/**
 * Records every conversation in a transcript store (the chargé·e reads it at handoff).
 *
 * Replaces botbuilder's TranscriptLoggerMiddleware, which writes only after the bot logic
 * returned, without awaiting the writes (they may land after the turn, or never if the process
 * stops), and logs nothing at all of a turn that throws. Here:
 * - the incoming activity is taken (as JSON text) before the bot runs (the SDK mutates it:
 *   mention removal…);
 * - outgoing activities are logged once sent, with the id the channel returned, as they were then;
 * - every write is awaited before the turn's promise resolves, also when the bot throws; what
 *   onTurnError sends afterwards (the apology) goes through the same context hooks and is
 *   awaited inside its own sendActivity;
 * - a write failure is logged and never breaks the user's turn.
 */
/** A store that writes several activities, already in JSON, in one call (MongoTranscriptStore). */
export interface BatchTranscriptLogger extends TranscriptLogger {
  logSerialized(activities: SerializedActivity[]): Promise<void>;
}

export class TranscriptLoggingMiddleware implements Middleware {
  private readonly timeoutMs: number;

  constructor(private readonly store: TranscriptLogger, options: TranscriptLoggingOptions = {}) {
    if (!store) throw new TypeError('TranscriptLoggingMiddleware requires a TranscriptLogger.');
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    let turnEnded = false;
    // Within a turn, what the bot sends is never dated before what it answers (channel clocks drift).
    let lastTime = 0;
    const stamp = (activity: Partial<Activity>): Partial<Activity> => {
      const given = activity.timestamp ? new Date(activity.timestamp).getTime() : NaN;
      const time = Number.isNaN(given) ? Math.max(Date.now(), lastTime) : given;
      lastTime = Math.max(lastTime, time);
      activity.timestamp = new Date(time);
      return activity;
    };
    // During the turn, what is to be logged is buffered and written in one batch at its end
    // (one database round trip a turn, awaited); after the turn (onTurnError's apology), each
    // send awaits its own write. Each activity is turned into JSON at once: the object
    // may change afterwards (and JSON is what the store keeps).
    const buffer: SerializedActivity[] = [];
    const record = async (activities: Partial<Activity>[]): Promise<void> => {
      if (context.turnState.get(NOT_LOGGED)) return;
      let taken: SerializedActivity[];
      try {
        taken = activities.map(serialized);
      } catch (error) {
        return failed(activities[0]?.channelId, activities[0]?.conversation?.id, activities.length, error); // not JSON (a cycle)
      }
      if (turnEnded) await this.bounded(this.write(taken), context);
      else buffer.push(...taken);
    };

    const incoming = context.activity;
    if (incoming && !SKIPPED_TYPES.has(incoming.type)
      && !(incoming.type === ActivityTypes.Event && incoming.name === ActivityEventNames.ContinueConversation)) {
      const copy = stamp({ ...incoming });
      copy.from = { ...(copy.from ?? { id: '', name: '' }), role: copy.from?.role || 'user' };
      void record([copy]);
    }

    context.onSendActivities(async (_ctx, activities, nextSend) => {
      const responses = await nextSend();
      const sent = activities.map((activity, i) => ({ activity, response: responses?.[i] }))
        .filter(({ activity }) => !SKIPPED_TYPES.has(activity.type ?? ActivityTypes.Message))
        // The handoff.initiate event carries the transcript itself: logging it would duplicate it.
        .filter(({ activity }) => !(activity.type === ActivityTypes.Event && activity.name === 'handoff.initiate'))
        .map(({ activity, response }) => {
          const copy = this.asBot({ ...activity }, context);
          copy.id = response?.id || activity.id || generatedId();
          return stamp(copy);
        });
      if (sent.length) await record(sent);
      return responses;
    });

    context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
      const response = await nextUpdate();
      const copy = this.asBot({ ...activity }, context);
      copy.type = ActivityTypes.MessageUpdate;
      delete copy.timestamp; // the time of the update, not of the original message
      await record([stamp(copy)]);
      return response;
    });

    context.onDeleteActivity(async (_ctx, reference, nextDelete) => {
      await nextDelete();
      const deletion = TurnContext.applyConversationReference(
        { type: ActivityTypes.MessageDelete, id: reference.activityId },
        { ...reference } as Partial<ConversationReference>,
        false,
      );
      await record([stamp(this.asBot(deletion, context))]);
    });

    try {
      await next();
    } finally {
      turnEnded = true;
      if (context.turnState.get(NOT_LOGGED)) buffer.length = 0;
      if (buffer.length) await this.bounded(this.write(buffer.splice(0)), context);
    }
  }

  private asBot(activity: Partial<Activity>, context: TurnContext): Partial<Activity> {
    const from = activity.from ?? context.activity?.recipient ?? { id: '', name: '' };
    activity.from = { ...from, role: 'bot' };
    return withoutInlineFiles(activity);
  }

  /** Never throws: a transcript write must not break the user's turn. Batched when the store can. */
  private async write(activities: SerializedActivity[]): Promise<void> {
    const batch = (this.store as Partial<BatchTranscriptLogger>).logSerialized;
    try {
      if (batch) await batch.call(this.store, activities);
      else await Promise.all(activities.map((a) => this.store.logActivity({ ...JSON.parse(a.json), timestamp: a.timestamp } as Activity)));
    } catch (error) {
      failed(activities[0]?.channelId, activities[0]?.conversationId, activities.length, error);
    }
  }

  private async bounded(work: Promise<unknown>, context: TurnContext): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.timeoutMs); });
    try {
      if (await Promise.race([work.then(() => 'done' as const), timeout]) === 'timeout') {
        log.warn('Transcript writes still pending at the end of the turn; continuing without them', {
          conversation: context.activity?.conversation?.id, timeoutMs: this.timeoutMs,
        });
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Adds transcript logging to an adapter (call it for every adapter that runs turns). */
export function useTranscripts(adapter: BotAdapter, store: TranscriptLogger, options?: TranscriptLoggingOptions): TranscriptLoggingMiddleware {
  const middleware = new TranscriptLoggingMiddleware(store, options);
  adapter.use(middleware);
  return middleware;
}
