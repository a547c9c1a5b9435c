import { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { log } from '../log';
import { DossierRepository } from '../store/dossiers';
import { checkinEmailDecision } from '../domain/checkinEmail';
import type { Language } from '../i18n';
import type { CheckinMailer } from './checkinMail';
import type { CheckinPosted, CheckinRepository } from './checkins';
import { ConversationReferences } from './references';

export interface CheckinToSend {
  _id: string;
  dossierId: string;
  milestone: string;
  /** Set once posted in a web chat (its e-mail then follows): a retry does not post again. */
  posted?: CheckinPosted;
}

export interface ProactiveDeps {
  dossiers: DossierRepository;
  references: ConversationReferences;
  /** The adapter for a reference (the local Direct Line has its own, credential-less). */
  adapterFor: (reference: Partial<ConversationReference>) => CloudAdapter;
  appId: string;
  /** Opens the check-in in the turn; returns the conversation's language. */
  startCheckin: (context: TurnContext, checkinId: string) => Promise<Language>;
  /** Where a send notes what it did on the way (CheckinRepository.note). */
  checkins: Pick<CheckinRepository, 'note'>;
  /** E-mails web-chat structures their check-in; absent without SMTP_URL. */
  mailer?: Pick<CheckinMailer, 'send'>;
  now?: () => Date;
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
 * A web-chat conversation (Direct Line) notifies nobody: the structure is also e-mailed, when it
 * gave an address with its consent and SMTP is configured (checkinEmailDecision); the check-in
 * notes the e-mail, or why none went. A failed e-mail fails the attempt; its retry e-mails again
 * without posting in the conversation twice.
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
      const email = checkinEmailDecision({
        channelId: reference.channelId, consentGiven: dossier.consent?.given === true, email: dossier.answers.contact?.email, smtpConfigured: Boolean(this.deps.mailer),
      });
      if (email.kind === 'not_needed') {
        await this.post(reference, checkin);
        return 'sent';
      }
      let posted = checkin.posted;
      if (!posted) {
        posted = { at: this.now(), language: await this.post(reference, checkin) };
        await this.deps.checkins.note(checkin._id, { posted });
      }
      if (email.kind === 'send') {
        await this.deps.mailer!.send({
          checkinId: checkin._id, milestone: checkin.milestone, dossierId: dossier._id,
          channelUser: user, to: email.to, name: dossier.answers.contact?.name || undefined, language: posted.language,
        });
      }
      await this.deps.checkins.note(checkin._id, { email: { outcome: email.kind === 'send' ? 'sent' : email.reason, at: this.now() } });
      return 'sent';
    }
    return 'gone';
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Opens the check-in in the conversation of `reference`; returns its language. */
  private async post(reference: Partial<ConversationReference>, checkin: CheckinToSend): Promise<Language> {
    const adapter = this.deps.adapterFor(reference);
    let language: Language | undefined;
    const start = async (context: TurnContext) => { language = await this.deps.startCheckin(context, checkin._id); };
    try {
      await inTurn((logic) => adapter.continueConversationAsync(this.deps.appId, reference, logic), start);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      const tenantId = reference.conversation?.tenantId;
      if (reference.channelId !== 'msteams' || (status !== 403 && status !== 404) || !tenantId || !reference.user) throw err;
      log.info('Teams conversation gone: re-creating it for the check-in', { checkin: checkin._id });
      await inTurn((logic) => adapter.createConversationAsync(this.deps.appId, 'msteams', reference.serviceUrl!, '', {
        isGroup: false, bot: reference.bot!, members: [reference.user], tenantId, channelData: { tenant: { id: tenantId } },
      } as never, logic), start);
    }
    return language!;
  }
}
