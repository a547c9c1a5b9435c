import { ActivityTypes, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogContext, DialogTurnResult, FoundChoice, PromptValidatorContext, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Translate } from '../src/i18n';
import type { AccueilSettings } from './accueilDialog';
import { askConsent, CONSENT_PROMPTS, ConsentDeps, keepAnswersGivenBefore, recordConsent } from './consent';
import { LocalizedChoicePrompt } from './localizedChoicePrompt';
import { AccueilAnswers, CONTACT_SLOTS } from '../src/domain/accueilForm';
import { reachable } from '../src/domain/callBack';
import { contactText } from '../src/domain/contact';
import { parseRequestSubject } from '../src/domain/request';
import type { HandoffService } from '../src/handoff/service';
import { inertMarkdown, normalize } from '../src/domain/text';
import { Dossier } from '../src/store/dossiers';
import { parsedAnswer, setParsedAnswer, slotValidator } from './formSupport';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { handsOverIfMisunderstood, tr } from './turnLocale';

export const HANDOFF_CONTACT_DIALOG = 'handoffContact';
const STEPS = 'handoffContact.steps';
const CONTACT_PROMPT = 'handoffContact.prompt';
const CONSENT_PROMPT = CONSENT_PROMPTS.handoffContact;
/** « … c'est à quel sujet ? »: a simple question asked there is answered, then it is asked again (MainDialog). */
export const SUBJECT_PROMPT = 'handoffContact.subject';
const SUBJECT_SLOT = { key: 'subject', parse: parseRequestSubject };

export type HandOverReason = 'user_request' | 'not_understood';

export type HandoffContactOptions = {
  /** Without a dossier, consent is asked first (and a dossier created when given). */
  dossierId?: string;
  reason: HandOverReason;
  /** What the structure said that was not understood (not_understood). */
  misunderstood?: string;
  /**
   * A request with no context yet (no answer, no request in its words, not in the accueil nor a
   * check-in): its subject is asked first (optional, askSubject), the handoff's message.
   */
  askSubject?: boolean;
  /**
   * Consent declined at this request, then given later (« ok j'accepte »): recorded at once, with
   * the accueil's answers given meanwhile, and the request goes on (its subject, its contact).
   */
  consentGiven?: { answers?: AccueilAnswers };
  /** The accueil's answers given without consent, beneath this request: kept once consent is given here. */
  answers?: AccueilAnswers;
} | {
  /**
   * New needs said in a check-in: only the contact is asked (and stored), the check-in passes
   * the needs on itself. The dialog ends with ContactAsked.
   */
  dossierId: string;
  reason: 'followup_new_needs';
};

/** How a contact asked for a caller that passes the request on itself ended (reason followup_new_needs). */
export interface ContactAsked {
  /** « annuler »: nothing is to be passed on. */
  cancelled?: true;
  /** An e-mail or a phone was given: a chargé·e can call back. */
  reachable?: boolean;
}

export interface HandoffContactDeps extends ConsentDeps {
  settings: Pick<AccueilSettings, 'operatorName' | 'operatorContact' | 'retentionMonths' | 'noConsentHours'>;
  /**
   * Passes the request on once the contact is stored (MainDialog's handOver); `reachable` false:
   * no e-mail nor phone could be read, so no call back is promised.
   */
  handOver(dc: DialogContext, reason: HandOverReason, dossier: Dossier | undefined, misunderstood: string | undefined, reachable: boolean, subject?: string): Promise<void>;
  /**
   * The contact question starts: a new question, asked because the structure wants a chargé·e —
   * answers misunderstood before it no longer count towards passing the request on unheard.
   */
  contactAsked?(context: TurnContext): Promise<void>;
}

function asksSubject(options: HandoffContactOptions): boolean {
  return 'askSubject' in options && options.askSubject === true;
}

const WITHOUT_CONTACT = Symbol('handoffContact.withoutContact');
/** The contact question skipped: an e-mail or a phone is already on the dossier. */
const CONTACT_KNOWN = Symbol('handoffContact.contactKnown');

/**
 * This turn answers the contact question without a contact (« ne plus me relancer » at the
 * contact asked for a check-in's new needs): the request is passed on as when none could be read.
 */
export function passOnWithoutContact(context: TurnContext): void {
  context.turnState.set(WITHOUT_CONTACT, true);
}

/** « Finalement non »: the structure backs out of its request at the contact question. */
const CANCEL = /^(annuler|annule|laissez tomber|laisse tomber|non|non merci|finalement non|non finalement|rien|tant pis|plus besoin|cancel|never mind|nevermind|no|no thanks)\b/;

/**
 * A chargé·e is asked for before the structure left a way to reach it (at the SIRET question,
 * after three misunderstood answers, or new needs said in a check-in): its name and e-mail or
 * phone first, then the handoff, so that no one is promised a call back nobody can make. « annuler » backs out; an answer kept
 * after the retries without an e-mail or phone passes the request on without that promise. The
 * question beneath is asked again after.
 */
export class HandoffContactDialog extends ComponentDialog {
  constructor(private readonly deps: HandoffContactDeps) {
    super(HANDOFF_CONTACT_DIALOG);
    this.addDialog(new LocalizedTextPrompt(CONTACT_PROMPT, contactValidator()));
    this.addDialog(new LocalizedChoicePrompt(CONSENT_PROMPT));
    this.addDialog(new LocalizedTextPrompt(SUBJECT_PROMPT, slotValidator(() => [SUBJECT_SLOT])));
    this.addDialog(new WaterfallDialog(STEPS, [this.askConsent.bind(this), this.afterConsent.bind(this), this.askSubject.bind(this), this.ask.bind(this), this.afterContact.bind(this), this.handOver.bind(this)]));
    this.initialDialogId = STEPS;
  }

  /** No dossier yet (a chargé·e asked for first thing): what is kept and why, in short, then the choice. */
  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffContactOptions;
    if (options.dossierId) return step.next();
    if ('consentGiven' in options && options.consentGiven) {
      const dossier = (await recordConsent(step.context, true, this.deps, 'handoffContact'))!;
      await step.context.sendActivity(tr(step.context)('handoffUser.consent.givenLater', { months: this.deps.settings.retentionMonths }));
      // A SIRET among them: a structure already known by it is recognised, as at the accueil.
      const { answers } = options.consentGiven;
      if (answers) await keepAnswersGivenBefore(step.context, this.deps, dossier, answers);
      return step.replaceDialog(STEPS, { ...options, consentGiven: undefined, dossierId: dossier._id } satisfies HandoffContactOptions);
    }
    return askConsent(step, CONSENT_PROMPT, 'handoffUser.consent.intro', this.deps);
  }

  private async afterConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffContactOptions;
    if (options.dossierId) return step.next();
    const dossier = await recordConsent(step.context, (step.result as FoundChoice).value === 'accept', this.deps, 'handoffContact');
    if (dossier) {
      if ('answers' in options && options.answers) await keepAnswersGivenBefore(step.context, this.deps, dossier, options.answers);
      return step.replaceDialog(STEPS, { ...options, dossierId: dossier._id } satisfies HandoffContactOptions);
    }
    const t = tr(step.context);
    await step.context.sendActivity(t('handoffUser.consent.declined', { ...operatorReach(t, this.deps.settings), hours: this.deps.settings.noConsentHours ?? 24 }));
    return step.endDialog();
  }

  /**
   * A request with nothing of the structure's yet: what it is about, in a few words (optional),
   * asked before the contact — a structure that leaves at this question has passed nothing on yet,
   * where one that leaves after giving its contact would expect its request to be on its way.
   */
  private async askSubject(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!asksSubject(step.options as HandoffContactOptions)) return step.next();
    return step.prompt(SUBJECT_PROMPT, LocalizedTextPrompt.options('handoffUser.subject.ask', undefined, { slot: SUBJECT_SLOT.key }));
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffContactOptions;
    if (asksSubject(options)) {
      (step.values as { subject?: string }).subject = parsedAnswer<{ subject?: string }>(step.context)?.subject;
      // The contact given while the subject was asked (« je me suis trompée de numéro, c'est le 06… »): not asked again.
      if (reachable((await this.deps.dossiers.get(options.dossierId ?? ''))?.answers?.contact)) return step.next(CONTACT_KNOWN);
    }
    await this.deps.contactAsked?.(step.context);
    return step.prompt(CONTACT_PROMPT, LocalizedTextPrompt.options(`handoffUser.contact.${options.reason}`, undefined, { slot: 'contact' }));
  }

  private async afterContact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffContactOptions;
    const { dossierId = '' } = options;
    if (step.result === CONTACT_KNOWN) {
      (step.values as { reachable?: boolean }).reachable = true;
      return step.next();
    }
    const t = tr(step.context);
    const said = parsedAnswer<AccueilAnswers['contact'] | { cancel: true } | { none: true }>(step.context);
    if (said && 'cancel' in said) {
      await step.context.sendActivity(t('handoffUser.contact.cancelled'));
      return step.endDialog({ cancelled: true } satisfies ContactAsked);
    }
    const answer = said && 'none' in said ? undefined : said;
    const canCallBack = reachable(answer);
    const dossier = await this.deps.dossiers.get(dossierId);
    if (dossier && answer) {
      dossier.answers = { ...dossier.answers, contact: answer };
      await this.deps.dossiers.save(dossier, step.context);
      if (canCallBack) await step.context.sendActivity(t('accueil.contact.noted', { contact: inertMarkdown(contactText(answer)) }));
    }
    if (options.reason === 'followup_new_needs') return step.endDialog({ reachable: canCallBack } satisfies ContactAsked);
    (step.values as { reachable?: boolean }).reachable = canCallBack;
    return step.next();
  }

  private async handOver(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as Extract<HandoffContactOptions, { reason: HandOverReason }>;
    const { subject, reachable: canCallBack = false } = step.values as { subject?: string; reachable?: boolean };
    const dossier = await this.deps.dossiers.get(options.dossierId ?? '');
    await this.deps.handOver(step, options.reason, dossier, options.misunderstood, canCallBack, subject);
    return step.endDialog();
  }
}

/**
 * The contact question's validator (its slot `contact`): « annuler » backs out ({ cancel: true }),
 * an e-mail or a phone is read (CONTACT_SLOTS), and a turn that answers without a contact
 * (passOnWithoutContact) or the third nonsense in a row there gives { none: true }.
 */
export function contactValidator(): (pc: PromptValidatorContext<string>) => Promise<boolean> {
  const contactSlot = slotValidator(() => CONTACT_SLOTS);
  return (pc) => {
    if (CANCEL.test(normalize(pc.recognized.value ?? ''))) {
      setParsedAnswer(pc.context, { cancel: true });
      return Promise.resolve(true);
    }
    if (pc.context.turnState.get(WITHOUT_CONTACT) === true) {
      setParsedAnswer(pc.context, { none: true });
      return Promise.resolve(true);
    }
    // The third misunderstanding in a row (« ??? », a keyboard mash) at this very question:
    // asking for the contact again would go round in circles — the request is passed on
    // without it (no call back promised), nothing of it kept as a name.
    if (gaveUpOnContact(pc)) {
      setParsedAnswer(pc.context, { none: true });
      return Promise.resolve(true);
    }
    return contactSlot(pc);
  };
}

/**
 * New needs passed on to a chargé·e (a check-in's, or told at the menu): with an e-mail or a phone
 * on the dossier, `handedOffKey` and who calls back when; without, no call back promised — the
 * operator's contact instead. `tell` false: the caller says it (a request passed on with them).
 */
export async function passOnNewNeeds(
  context: TurnContext,
  deps: { handoffs: HandoffService; settings: Pick<AccueilSettings, 'operatorName' | 'operatorContact'> },
  dossier: Dossier, needs: string, handedOffKey: string, tell = true,
): Promise<void> {
  const t = tr(context);
  await deps.handoffs.trigger(context, 'followup_new_needs', dossier, needs);
  if (!tell) return;
  if (reachable(dossier.answers?.contact)) {
    await context.sendActivity(t(handedOffKey));
    await context.sendActivity(deps.handoffs.whatNext(t));
  } else {
    await context.sendActivity(t('handoffUser.requestedUnreachable', operatorReach(t, deps.settings)));
  }
}

/**
 * The third misunderstanding in a row (« ??? », a keyboard mash) at a contact question: asking
 * again would go round in circles — the caller goes on without a contact.
 */
export function gaveUpOnContact(pc: PromptValidatorContext<string>): boolean {
  if (pc.context.activity.type !== ActivityTypes.Message || !handsOverIfMisunderstood(pc.context)) return false;
  const parsed = CONTACT_SLOTS[0].parse(pc.recognized.value ?? '', pc.attemptCount);
  return !parsed.ok && parsed.notUnderstood === true;
}

/** How the structure reaches the operator itself: its contact, or else the national directory of DLA. */
export function operatorReach(t: Translate, settings: Pick<AccueilSettings, 'operatorName' | 'operatorContact'>): { operator: string; contact: string } {
  const contact = settings.operatorContact;
  return { operator: settings.operatorName, contact: contact ? t('accueil.next.contactSuffix', { contact }) : t('handoffUser.directorySuffix') };
}
