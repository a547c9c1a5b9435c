import { AsyncLocalStorage } from 'node:async_hooks';
import { Middleware, TurnContext } from 'botbuilder';
import { KeyedMutex } from './store/keyedMutex';

/**
 * One turn at a time per conversation, in this process. Two messages sent at once (a double
 * click on a suggested action, a quick typist) otherwise run as two turns that both load the
 * dialog state before either saves it: the second answer is read against the wrong question or
 * lost. A proactive turn (a check-in) waits its turn too; a turn that starts another in the same
 * conversation (re-entrant) runs at once rather than waiting for itself.
 */
export class OneTurnAtATime implements Middleware {
  private readonly lock = new KeyedMutex();
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return next();
    const key = `${context.activity.channelId}|${conversationId}`;
    const held = this.held.getStore();
    if (held?.has(key)) return next();
    return this.lock.run(key, () => this.held.run(new Set([...(held ?? []), key]), next));
  }
}
