import { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { log } from '../log';
import { DossierRepository } from '../store/dossiers';
import { ConversationReferences } from './references';

export interface CheckinToSend {
  _id: string;
  dossierId: string;
}

export interface ProactiveDeps {
  dossiers: DossierRepository;
  references: ConversationReferences;
  /** The adapter for a reference (the local Direct Line has its own, credential-less). */
  adapterFor: (reference: Partial<ConversationReference>) => CloudAdapter;
  appId: string;
  startCheckin: (context: TurnContext, checkinId: string) => Promise<void>;
}

/**
 * Runs `logic` in the turn `run` opens, and throws what it threw. The adapter hands an error of
 * the turn to its onTurnError (which logs it and apologises to the user) and resolves: a check-in
 * whose message the connector refused would be recorded as sent, never retried nor reported.
 */
async function inTurn(run: (logic: (context: TurnContext) => Promise<void>) => Promise<void>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  await run(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}

/**
 * Sends a check-in through the stored ConversationReference of the dossier's people
 * (`continueConversationAsync`). A Teams 1:1 conversation that no longer exists is re-created
 * with `createConversationAsync` where the tenant allows it. 'gone': nobody can be reached.
 * Errors propagate: the scheduler retries with backoff.
 */
export class ProactiveCheckinSender {
  constructor(private readonly deps: ProactiveDeps) {}

  async send(checkin: CheckinToSend): Promise<'sent' | 'gone'> {
    const dossier = await this.deps.dossiers.get(checkin.dossierId);
    if (!dossier) return 'gone';
    for (const user of [...dossier.channelUsers].reverse()) {
      const reference = await this.deps.references.get(user);
      if (!reference) continue;
      const adapter = this.deps.adapterFor(reference);
      try {
        await inTurn((logic) => adapter.continueConversationAsync(this.deps.appId, reference, logic), (context) => this.deps.startCheckin(context, checkin._id));
        return 'sent';
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        const tenantId = reference.conversation?.tenantId;
        if (reference.channelId !== 'msteams' || (status !== 403 && status !== 404) || !tenantId || !reference.user) throw err;
        log.info('Teams conversation gone: re-creating it for the check-in', { checkin: checkin._id });
        await inTurn((logic) => adapter.createConversationAsync(this.deps.appId, 'msteams', reference.serviceUrl!, '', {
          isGroup: false, bot: reference.bot!, members: [reference.user], tenantId, channelData: { tenant: { id: tenantId } },
        } as never, logic), (context) => this.deps.startCheckin(context, checkin._id));
        return 'sent';
      }
    }
    return 'gone';
  }
}
