import { ActivityEventNames, ActivityTypes, Middleware, TurnContext } from 'botbuilder';
import { withTimeout } from './async';
import { log } from './log';
import { KeyedMutex } from './store/keyedMutex';

/**
 * How long a turn may run before the user is given the apology and its conversation is freed.
 * Azure Bot Service gives up on a bot call after 15 s, and Web Chat marks a message « not sent »
 * after 20 s: a turn still running then is lost to the user anyway.
 */
export const TURN_DEADLINE_MS = 14_000;

/** A turn that did not finish by its deadline. */
export class TurnDeadlineError extends Error {
  constructor(ms: number) {
    super(`The turn did not finish within ${ms} ms: the user got the apology and the conversation takes new messages`);
    this.name = 'TurnDeadlineError';
  }
}

export interface TurnQueueOptions {
  /** See TURN_DEADLINE_MS (0: no deadline). */
  deadlineMs?: number;
  /** Tells the user (onTurnError's apology); awaited at most deadlineMs more. */
  onDeadline?: (context: TurnContext, error: Error) => Promise<void>;
}

/**
 * One turn at a time per conversation, in this process. Two messages sent at once (a double
 * click on a suggested action, a quick typist) otherwise run as two turns that both load the
 * dialog state before either saves it: the second answer is read against the wrong question or
 * lost. A proactive turn (a check-in) waits its turn too.
 *
 * And no turn holds its conversation for ever: each database or channel call has its own
 * timeout, but a turn makes several in a row (measured: a frozen database held one turn past
 * 30 s, state write, transcript write and retries one after the other). At the deadline the user
 * gets the apology and the next message is taken. The late turn stops at its next use of the
 * context, which the adapter revokes once the turn's call returns: it sends nothing more and saves
 * no state, as any failed turn, so the next message is read from the state before it (a state
 * write already sent may still land: an eTag conflict then keeps either turn from overwriting
 * the other's).
 *
 * A turn must therefore never await another turn of its own conversation: it would wait for
 * itself (until the deadline). None does — the handoff notifiers run in the outbox's background
 * drain, check-ins on the scheduler's clock. No AsyncLocalStorage tells a nested turn from a
 * concurrent one: it turns on Node's promise hooks for the whole process, which cost about
 * 0.4 ms of CPU a turn (measured in the bench, (b) and the echo floor (a) alike).
 */
export class OneTurnAtATime implements Middleware {
  private readonly lock = new KeyedMutex();

  constructor(private readonly options: TurnQueueOptions = {}) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return next();
    return this.lock.run(`${context.activity.channelId}|${conversationId}`, () => this.withinDeadline(context, next));
  }

  private async withinDeadline(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { deadlineMs = 0, onDeadline } = this.options;
    // A check-in opened by the scheduler is bounded and retried by it: no apology nobody asked for.
    if (!deadlineMs || isProactive(context)) return next();
    const turn = next();
    const late = new TurnDeadlineError(deadlineMs);
    try {
      await withTimeout(turn, deadlineMs, 'turn', () => late);
    } catch (error) {
      if (error !== late) throw error;
      const where = { channel: context.activity.channelId, conversation: context.activity.conversation.id, activityId: context.activity.id };
      turn.then(
        () => log.info('A turn past its deadline has finished', where),
        (failure: unknown) => log.warn('A turn past its deadline has failed', { ...where, error: failure instanceof Error ? failure : new Error(String(failure)) }),
      );
      if (onDeadline) await withTimeout(onDeadline(context, late), deadlineMs, 'apology').catch(() => undefined);
    }
  }
}

function isProactive(context: TurnContext): boolean {
  const { type, name } = context.activity;
  return type === ActivityTypes.Event && (name === ActivityEventNames.ContinueConversation || name === ActivityEventNames.CreateConversation);
}
