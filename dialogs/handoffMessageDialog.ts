import { ComponentDialog, DialogTurnResult, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { parseContactPoint } from '../src/domain/contact';
import { MESSAGES_MAX, readsAsWithdrawal } from '../src/domain/handoffMessage';
import { inertMarkdown } from '../src/domain/text';
import type { HandoffService } from '../src/handoff/service';
import { staffName } from '../src/privacy/staffRedaction';
import type { DossierRepository } from '../src/store/dossiers';
import { CONTACT_CHANGE_DIALOG, ContactChangeDialog, ContactChangeOptions } from './contactChangeDialog';
import { LocalizedChoicePrompt, NO, NOTHING, YES } from './localizedChoicePrompt';
import { tr } from './turnLocale';

export const HANDOFF_MESSAGE_DIALOG = 'handoffMessage';
const STEPS = 'handoffMessage.steps';
/** « Je joins ce message… ? »: a simple question asked there (« c'est payant ? ») is answered, then this asked again (dialogStack.ts). */
export const CONFIRM_PROMPT = 'handoffMessage.confirm';

export interface HandoffMessageOptions {
  handoffId: string;
  /** The structure's words as they would be kept (messageText: trimmed, cut). */
  text: string;
  /** The words were longer than a message may be: said with the read-back. */
  cut?: boolean;
}

/** What the dialog ends with: the request was closed meanwhile, the menu offers a new need or a new request. */
export interface HandoffMessageResult {
  offerNewRequest?: boolean;
}

export interface HandoffMessageDeps {
  handoffs: HandoffService;
  settings: { operatorName: string };
  dossiers: DossierRepository;
  now?: () => Date;
}

/**
 * A detail the structure adds in its own words at the menu once its request was passed on
 * (« Trésorerie tendue », « j'oubliais : nos 3 contrats aidés finissent en juin »): read back,
 * and with « oui » kept on the request (HandoffService.addMessage: the chargé·es already notified
 * get an update), the structure told who will read it. « non » (« annuler ») keeps nothing.
 * A new e-mail or phone in it (« je suis joignable le matin au 07… ») is offered as the contact too.
 * Words that withdraw the request (« je voudrais annuler ma demande »: readsAsWithdrawal) are
 * confirmed, then the request closed as withdrawn by the structure (HandoffService.withdraw).
 */
export class HandoffMessageDialog extends ComponentDialog {
  constructor(private readonly deps: HandoffMessageDeps) {
    super(HANDOFF_MESSAGE_DIALOG);
    this.addDialog(new LocalizedChoicePrompt(CONFIRM_PROMPT));
    this.addDialog(new ContactChangeDialog(deps));
    this.addDialog(new WaterfallDialog(STEPS, [this.sayBack.bind(this), this.keep.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async sayBack(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { text, cut } = step.options as HandoffMessageOptions;
    // « je voudrais annuler ma demande »: a withdrawal, confirmed first — not words for the chargé·e.
    if (readsAsWithdrawal(text)) {
      return step.prompt(CONFIRM_PROMPT, LocalizedChoicePrompt.options('handoffUser.withdraw.prompt', 'handoffUser.withdraw.retry', [
        { id: 'withdraw', key: 'handoffUser.withdraw.yes', synonyms: [...YES, 'retirer', 'annuler', 'withdraw', 'cancel it'] },
        { id: 'no', key: 'handoffUser.withdraw.no', synonyms: [...NO, 'garder', 'la garder', 'keep', 'keep it'] },
      ], { operator: this.deps.settings.operatorName }));
    }
    if (cut) await step.context.sendActivity(tr(step.context)('handoffUser.addMessage.cut'));
    return step.prompt(CONFIRM_PROMPT, LocalizedChoicePrompt.options('handoffUser.addMessage.prompt', 'handoffUser.addMessage.retry', [
      { id: 'yes', key: 'handoffUser.addMessage.yes', synonyms: [...YES, 'transmettre', 'envoyer', 'confirmer', 'valider', 'send it', 'pass it on', 'confirm'] },
      { id: 'no', key: 'handoffUser.addMessage.no', synonyms: [...NO, ...NOTHING, 'ne rien transmettre', 'do not send'] },
    ], { message: inertMarkdown(text) }));
  }

  private async keep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { handoffId, text } = step.options as HandoffMessageOptions;
    const chosen = (step.result as FoundChoice | undefined)?.value;
    if (readsAsWithdrawal(text)) {
      if (chosen !== 'withdraw') {
        await step.context.sendActivity(t('handoffUser.withdraw.kept'));
        return step.endDialog();
      }
      // Closed meanwhile: nothing to withdraw, a new need or a new request offered as for a message.
      const withdrawn = await this.deps.handoffs.withdraw(handoffId, text);
      await step.context.sendActivity(t(withdrawn ? 'handoffUser.withdraw.done' : 'handoffUser.withdraw.closed', { operator: this.deps.settings.operatorName }));
      return step.endDialog({ offerNewRequest: true } satisfies HandoffMessageResult);
    }
    if (chosen !== 'yes') {
      await step.context.sendActivity(t('handoffUser.addMessage.cancelled'));
      return step.endDialog();
    }
    const added = await this.deps.handoffs.addMessage(handoffId, text);
    if ('handoff' in added) {
      const who = staffName(added.handoff.claimedByName);
      await step.context.sendActivity(who ? t('handoffUser.addMessage.addedClaimed', { who }) : t('handoffUser.addMessage.added', { operator: this.deps.settings.operatorName }));
      // The chargé·e reads the number in the message, but would call the old one: offered as the contact, confirmed first.
      const point = parseContactPoint(text);
      const held = added.handoff.contact;
      const dossierId = added.handoff.dossierId;
      if (dossierId && point && ((point.email && point.email !== held?.email) || (point.phone && point.phone !== held?.phone))) {
        return step.beginDialog(CONTACT_CHANGE_DIALOG, { dossierId, point, confirm: true } satisfies ContactChangeOptions);
      }
      return step.endDialog();
    }
    if (added.refused === 'full') {
      await step.context.sendActivity(t('handoffUser.addMessage.full', { count: MESSAGES_MAX }));
      return step.endDialog();
    }
    // Closed meanwhile (or gone): nothing kept, a new need or a new request offered instead.
    await step.context.sendActivity(t('handoffUser.addMessage.closed'));
    return step.endDialog({ offerNewRequest: true } satisfies HandoffMessageResult);
  }
}
