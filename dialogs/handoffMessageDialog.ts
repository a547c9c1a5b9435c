import { ComponentDialog, DialogTurnResult, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { parseContactPoint } from '../src/domain/contact';
import { MESSAGES_MAX } from '../src/domain/handoffMessage';
import { inertMarkdown } from '../src/domain/text';
import type { HandoffService } from '../src/handoff/service';
import { staffName } from '../src/privacy/staffRedaction';
import type { DossierRepository } from '../src/store/dossiers';
import { CONTACT_CHANGE_DIALOG, ContactChangeDialog, ContactChangeOptions } from './contactChangeDialog';
import { LocalizedChoicePrompt, NO, NOTHING, YES } from './localizedChoicePrompt';
import { tr } from './turnLocale';

export const HANDOFF_MESSAGE_DIALOG = 'handoffMessage';
const STEPS = 'handoffMessage.steps';
const CONFIRM_PROMPT = 'handoffMessage.confirm';

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
    if (cut) await step.context.sendActivity(tr(step.context)('handoffUser.addMessage.cut'));
    return step.prompt(CONFIRM_PROMPT, LocalizedChoicePrompt.options('handoffUser.addMessage.prompt', 'handoffUser.addMessage.retry', [
      { id: 'yes', key: 'handoffUser.addMessage.yes', synonyms: [...YES, 'transmettre', 'envoyer', 'confirmer', 'valider', 'send it', 'pass it on', 'confirm'] },
      { id: 'no', key: 'handoffUser.addMessage.no', synonyms: [...NO, ...NOTHING, 'ne rien transmettre', 'do not send'] },
    ], { message: inertMarkdown(text) }));
  }

  private async keep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { handoffId, text } = step.options as HandoffMessageOptions;
    if ((step.result as FoundChoice | undefined)?.value !== 'yes') {
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
