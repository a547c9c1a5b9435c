import { Middleware, TurnContext } from 'botbuilder';
import { KeyedMutex } from './store/keyedMutex';

/**
 * One turn at a time per conversation, in this process. Two messages sent at once (a double
 * click on a suggested action, a quick typist) otherwise run as two turns that both load the
 * dialog state before either saves it: the second answer is read against the wrong question or
 * lost. A proactive turn (a check-in) waits its turn too.
 *
 * A turn must therefore never await another turn of its own conversation: it would wait for
 * itself. None does — the handoff notifiers run in the outbox's background drain, check-ins on
 * the scheduler's clock. No AsyncLocalStorage tells a nested turn from a concurrent one: it
 * turns on Node's promise hooks for the whole process, which cost about 0.4 ms of CPU a turn
 * (measured in the bench, (b) and the echo floor (a) alike).
 */
export class OneTurnAtATime implements Middleware {
  private readonly lock = new KeyedMutex();

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return next();
    return this.lock.run(`${context.activity.channelId}|${conversationId}`, next);
  }
}
