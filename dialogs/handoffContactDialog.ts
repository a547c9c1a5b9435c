import { contactText } from '../src/domain/contact';
import { inertMarkdown } from '../src/domain/text';
import { ComponentDialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { AccueilAnswers, CONTACT_SLOTS } from '../src/domain/accueilForm';
import { DossierRepository } from '../src/store/dossiers';
import { parsedAnswer, slotValidator } from './formSupport';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { tr } from './turnLocale';

export const HANDOFF_CONTACT_DIALOG = 'handoffContact';
const STEPS = 'handoffContact.steps';
const CONTACT_PROMPT = 'handoffContact.prompt';

export type HandOverReason = 'user_request' | 'not_understood';

export interface HandoffContactOptions {
  dossierId: string;
  reason: HandOverReason;
  /** What the structure said that was not understood (not_understood). */
  misunderstood?: string;
}

export interface HandoffContactDeps {
  dossiers: DossierRepository;
  /** Passes the request on once the contact is stored (MainDialog's handOver). */
  handOver(dc: DialogContext, reason: HandOverReason, misunderstood?: string): Promise<void>;
}

/**
 * A chargé·e is asked for before the structure left a way to reach it (at the SIRET question, or
 * after three misunderstood answers): its name and e-mail or phone first, then the handoff, so
 * that no one is promised a call back nobody can make. The question beneath is asked again after.
 */
export class HandoffContactDialog extends ComponentDialog {
  constructor(private readonly deps: HandoffContactDeps) {
    super(HANDOFF_CONTACT_DIALOG);
    this.addDialog(new LocalizedTextPrompt(CONTACT_PROMPT, slotValidator(() => CONTACT_SLOTS)));
    this.addDialog(new WaterfallDialog(STEPS, [this.ask.bind(this), this.handOver.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { reason } = step.options as HandoffContactOptions;
    return step.prompt(CONTACT_PROMPT, LocalizedTextPrompt.options(`handoffUser.contact.${reason}`, undefined, { slot: 'contact' }));
  }

  private async handOver(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { dossierId, reason, misunderstood } = step.options as HandoffContactOptions;
    const contact = parsedAnswer<AccueilAnswers['contact']>(step.context);
    const dossier = await this.deps.dossiers.get(dossierId);
    if (dossier && contact) {
      dossier.answers = { ...dossier.answers, contact };
      await this.deps.dossiers.save(dossier, step.context);
      await step.context.sendActivity(tr(step.context)('accueil.contact.noted', { contact: inertMarkdown(contactText(contact)) }));
    }
    await this.deps.handOver(step, reason, misunderstood);
    return step.endDialog();
  }
}
