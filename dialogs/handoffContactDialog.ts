import { ComponentDialog, DialogContext, DialogTurnResult, PromptValidatorContext, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { AccueilAnswers, CONTACT_SLOTS } from '../src/domain/accueilForm';
import { contactText } from '../src/domain/contact';
import { inertMarkdown, normalize } from '../src/domain/text';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { parsedAnswer, setParsedAnswer, slotValidator } from './formSupport';
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
  /**
   * Passes the request on once the contact is stored (MainDialog's handOver); `reachable` false:
   * no e-mail nor phone could be read, so no call back is promised.
   */
  handOver(dc: DialogContext, reason: HandOverReason, dossier: Dossier | undefined, misunderstood: string | undefined, reachable: boolean): Promise<void>;
}

/** « Finalement non »: the structure backs out of its request at the contact question. */
const CANCEL = /^(annuler|annule|laissez tomber|laisse tomber|non|non merci|finalement non|non finalement|rien|tant pis|plus besoin|cancel|never mind|nevermind|no|no thanks)\b/;

/**
 * A chargé·e is asked for before the structure left a way to reach it (at the SIRET question, or
 * after three misunderstood answers): its name and e-mail or phone first, then the handoff, so
 * that no one is promised a call back nobody can make. « annuler » backs out; an answer kept
 * after the retries without an e-mail or phone passes the request on without that promise. The
 * question beneath is asked again after.
 */
export class HandoffContactDialog extends ComponentDialog {
  constructor(private readonly deps: HandoffContactDeps) {
    super(HANDOFF_CONTACT_DIALOG);
    const contactSlot = slotValidator(() => CONTACT_SLOTS);
    this.addDialog(new LocalizedTextPrompt(CONTACT_PROMPT, (pc: PromptValidatorContext<string>) => {
      if (CANCEL.test(normalize(pc.recognized.value ?? ''))) {
        setParsedAnswer(pc.context, { cancel: true });
        return Promise.resolve(true);
      }
      return contactSlot(pc);
    }));
    this.addDialog(new WaterfallDialog(STEPS, [this.ask.bind(this), this.handOver.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { reason } = step.options as HandoffContactOptions;
    return step.prompt(CONTACT_PROMPT, LocalizedTextPrompt.options(`handoffUser.contact.${reason}`, undefined, { slot: 'contact' }));
  }

  private async handOver(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { dossierId, reason, misunderstood } = step.options as HandoffContactOptions;
    const t = tr(step.context);
    const answer = parsedAnswer<AccueilAnswers['contact'] | { cancel: true }>(step.context);
    if (answer && 'cancel' in answer) {
      await step.context.sendActivity(t('handoffUser.contact.cancelled'));
      return step.endDialog();
    }
    const reachable = Boolean(answer?.email || answer?.phone);
    const dossier = await this.deps.dossiers.get(dossierId);
    if (dossier && answer) {
      dossier.answers = { ...dossier.answers, contact: answer };
      await this.deps.dossiers.save(dossier, step.context);
      if (reachable) await step.context.sendActivity(t('accueil.contact.noted', { contact: inertMarkdown(contactText(answer)) }));
    }
    await this.deps.handOver(step, reason, dossier, misunderstood, reachable);
    return step.endDialog();
  }
}
