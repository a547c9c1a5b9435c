import { contactText } from '../src/domain/contact';
import { reachable } from '../src/domain/callBack';
import { contactAlone, readContactChange } from '../src/domain/contactChange';
import { inertMarkdown, listItem } from '../src/domain/text';
import { ACCUEIL_FIELD_WORDS } from '../src/domain/fieldWords';
import { valueAfterField } from '../src/domain/form';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogReason, DialogTurnResult, DialogTurnStatus, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { AccueilAnswers, accueilStarted, alsoAnswered, answersInsteadOfIdentifiers, answersInsteadOfLegalForm, answersInsteadOfPostalCode, answersInsteadOfStaff, answersWithNeed, CONTACT_SLOTS, correctionAtQuestion, correctionWithoutName, decide, dependentAnswers, formLabel, identifiersText, nextSlot, outcomeKey, outcomeVars, recap, RecapLine, recapText, sameAnswer, settledOutOfScope, SLOTS, SlotKey, withAnswers } from '../src/domain/accueilForm';
import { firstAnswerAtStart } from '../src/domain/diagnosticForm';
import { decidingReasons, EligibilityResult, OperatorTerritory, outsideTerritory } from '../src/domain/eligibility';
import { Resource } from '../src/domain/resources';
import { HandoffService } from '../src/handoff/service';
import type { Translate } from '../src/i18n';
import { DossierRepository, Dossier } from '../src/store/dossiers';
import { DIAGNOSTIC_DIALOG, DiagnosticDialog, DiagnosticOptions, toldLines } from './diagnosticDialog';
import { KEEP_ANSWER, parsedAnswer, setParsedAnswer, slotValidator } from './formSupport';
import { LocalizedChoicePrompt, NO, NOTHING, YES } from './localizedChoicePrompt';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { askConsent, CONSENT_PROMPTS, ConsentDeps, keepAnswersGivenBefore, noticeKnownStructure, recordConsent } from './consent';
import { orientationCard, resourcesFor } from './orientation';
import { CONTACT_CHANGE_DIALOG, ContactChangeDialog, ContactChangeOptions } from './contactChangeDialog';
import { NextCheckin, statusOf } from './requestStatus';
import { gaveUpOnContact, operatorReach } from './handoffContactDialog';
import { misunderstoodWith, tr } from './turnLocale';

export const ACCUEIL_DIALOG = 'accueil';
const START = 'accueil.start';
const ASK = 'accueil.ask';
const REVIEW = 'accueil.review';
const OUTCOME = 'accueil.outcome';
const DECIDED = 'accueil.decided';
const CONSENT_PROMPT = CONSENT_PROMPTS.accueil;
const ANSWER_PROMPT = 'accueil.answer';
const CHOICE_PROMPT = 'accueil.choice';
const OFFER_PROMPT = 'accueil.diagnosticOffer';
/** The recap's texts (« Est-ce correct ? » is `${RECAP}.prompt`). */
const RECAP = 'accueil.recap';
/** turnState key of contact details typed alone at the recap's question (CHOICE_PROMPT's validator). */
const CONTACT_AT_RECAP = Symbol('accueil.contactAtRecap');
/** A new value typed at the review without its answer's name, neither choice (« 24100 », « SCIC en fait »): read by correctionWithoutName. */
const VALUE_AT_REVIEW = Symbol('accueil.valueAtReview');

export interface AccueilSettings {
  operatorName: string;
  operatorContact: string;
  territory: OperatorTerritory;
  contactDelayWorkingDays: number;
  retentionMonths: number;
  /** Hours before what a conversation without consent holds is erased (told at the refusal). */
  noConsentHours?: number;
  /** The operator's time zone, for dates told to the structure (default Europe/Paris). */
  timeZone?: string;
}

export interface AccueilDeps extends ConsentDeps {
  handoffs: HandoffService;
  /** The confirmed diagnostic plans the follow-up check-ins. */
  onDiagnosticConfirmed?: (dossierId: string) => Promise<void>;
  /** Clock for the dossiers' dates (tests move it). */
  now?: () => Date;
  resources: { all(): Promise<readonly Resource[]> };
  settings: AccueilSettings;
  /** The next follow-up check-in, told with the request's status. */
  followup: NextCheckin;
  /** The answers an outcome was given on without consent: kept with the conversation, for a consent given afterwards (« j'accepte »). */
  answeredWithoutConsent?: (context: TurnContext, answers: AccueilAnswers) => Promise<void>;
}

/** A structure that left during the first questions (or at their review): « reprendre » goes back to them. */
export function accueilToResume(dossier: Dossier): boolean {
  return dossier.status === 'in_progress';
}

/** An eligible structure whose diagnostic is not confirmed (paused, left mid-way, or not begun): « reprendre » goes back to it. */
export function diagnosticToResume(dossier: Dossier): boolean {
  return dossier.decision?.outcome === 'eligible' && !dossier.diagnostic?.confirmedAt;
}

/** How the accueil is begun: « reprendre » (`resume`), with the waiting diagnostic's next question answered at the welcome (`diagnosticAnswer`). */
export interface AccueilOptions {
  resume?: boolean;
  diagnosticAnswer?: DiagnosticOptions['firstAnswer'];
  /** Consent given after it was declined (« c'est bon, j'accepte »): recorded at once, with the answers given meanwhile (anonymousAnswers). */
  consentGiven?: { answers?: AccueilAnswers };
  /** What a first message introducing the structure said (introducedStructure): said back, then taken as answers once consent is answered. */
  introduced?: AccueilAnswers;
  /** An answer to correct at once (« Corriger mon code postal » after being sent to another DLA): asked again, then the outcome anew. */
  fix?: SlotKey;
  /** Its new value, typed at the menu after the outcome (« attendez en fait on a 2 salariés »): kept, and the recap shown. */
  fixValue?: unknown;
  /** « Corriger mes réponses » at the menu once its outcome is given (out of scope): the recap, then the outcome anew. */
  review?: true;
}

/** The answers given without consent to the accueil running in `dc` (or beneath it), if any. */
export function anonymousAnswers(dc: DialogContext): AccueilAnswers | undefined {
  for (let c: DialogContext | undefined = dc; c; c = c.child) {
    const form = c.stack.find((d) => d.id === ASK)?.state?.options as FormState | undefined;
    if (form?.anonymous) return form.anonymous;
  }
  return undefined;
}

/** Where the form stands: with consent, in a stored dossier; without, only in this dialog. */
interface FormState {
  dossierId?: string;
  /** Declined consent: answers kept in the dialog only, and only the non-personal ones asked. */
  anonymous?: AccueilAnswers;
  /**
   * The answer being corrected at review: its recap line, shown with its question, and what it
   * was (`kept`), back as it was when the structure keeps it (« annuler »).
   */
  previous?: { field: SlotKey; line: string; kept?: Partial<AccueilAnswers> };
  /** Back at the contact asked with the outcome (paused there): the outcome was told, only the contact is asked. */
  atContact?: boolean;
}

const ALL_SLOTS = [...SLOTS, ...CONTACT_SLOTS];

/** The new value typed with the name of the answer to correct (« le nom c'est plutôt Union sportive… »), when it reads as one. */
function valueGiven(context: TurnContext, field: SlotKey, answers: AccueilAnswers): { value: unknown } | undefined {
  const text = context.activity.text ?? '';
  const given = DIRECT_FIXES.has(field) ? valueAfterField(text, ACCUEIL_FIELD_WORDS[field] ?? []) : undefined;
  const parsed = given === undefined ? undefined : SLOTS.find((s) => s.key === field)?.parse(given, 1);
  if (parsed?.ok) return { value: parsed.value };
  // "we need help to structure our growth and find funding" (naming the request by « need »): the need typed is the new request.
  const need = field === 'request' ? answersWithNeed(text).request : undefined;
  if (need) return { value: need };
  // « 3 salariés en fait »: the field's word said with its value, in no order valueAfterField reads.
  const typed = correctionWithoutName(text, answers);
  return typed?.field === field ? { value: typed.value } : undefined;
}
/** Answers to other questions typed instead of the one asked (answersInsteadOfPostalCode): kept, and that question asked again. */
const ASIDE = Symbol('accueil.aside');
type Aside = { [ASIDE]: Partial<AccueilAnswers> };
const isAside = (value: unknown): value is Aside => typeof value === 'object' && value !== null && ASIDE in value;
/** The third misunderstanding in a row at the accueil's own contact question: no contact, the accueil finishes without it. */
const NO_CONTACT = Symbol('accueil.noContact');
const FIXABLE: SlotKey[] = ['name', 'identifiers', 'legalForm', 'employees', 'location', 'request'];
/** Answers a structure may correct in one message with their new value (« le siret 443 061 841 00047 »). */
const DIRECT_FIXES = new Set<SlotKey>(['name', 'identifiers', 'legalForm', 'employees', 'location', 'request']);
/** What people call their contact details at the review (« les coordonnées », « le téléphone »): corrected as « changer mes coordonnées » does. */
const CONTACT_WORDS = ['coordonnees', 'les coordonnees', 'contact', 'le contact', 'telephone', 'le telephone', 'tel', 'e mail', 'l e mail', 'email', 'mail', 'contact details', 'phone', 'email address'];

/**
 * Phase 1 (accueil): consent, the first-contact questions, review, eligibility with its reasons,
 * and what happens next (a chargé·e, or orientation). Answers are saved after each question,
 * so a structure can leave and come back (same channel user, or same SIRET).
 */
export class AccueilDialog extends ComponentDialog {
  constructor(private readonly deps: AccueilDeps) {
    super(ACCUEIL_DIALOG);
    // « on est à 33000 » at the consent question: an answer typed early, said back and kept with
    // the first message's (afterConsent), then consent asked again.
    this.addDialog(new LocalizedChoicePrompt(CONSENT_PROMPT, async (pc) => pc.recognized.succeeded || Object.keys(answersWithNeed(pc.context.activity.text ?? '')).length > 0));
    // « Anne Roy, anne@amisduquai.fr » typed at the recap's « Est-ce correct ? »: contact details, not a
    // misunderstood answer — confirmed, then kept, and the recap shown again with them (afterRecap).
    this.addDialog(new LocalizedChoicePrompt(CHOICE_PROMPT, async (pc) => {
      if (pc.recognized.succeeded) return true;
      const promptKey = (pc.options.validations as { promptKey?: string } | undefined)?.promptKey;
      const message = pc.context.activity.type === ActivityTypes.Message;
      const recap = promptKey === `${RECAP}.prompt`;
      const point = recap && message ? contactAlone(pc.context.activity.text) : undefined;
      if (point) pc.context.turnState.set(CONTACT_AT_RECAP, point);
      // « non pardon 24100 » at « Est-ce correct ? » or « Quelle réponse voulez-vous corriger ? »: that answer, corrected.
      const value = !point && message && (recap || promptKey === 'accueil.fix.prompt') && correctionWithoutName(pc.context.activity.text ?? '', {}) !== undefined;
      if (value) pc.context.turnState.set(VALUE_AT_REVIEW, true);
      return !!point || value;
    }));
    // « On commence ? » answered with the first question's answer (« on fait de l'insertion par le
    // maraîchage bio »): a « oui », with that answer kept.
    this.addDialog(new LocalizedChoicePrompt(OFFER_PROMPT, async (pc) => {
      if (pc.recognized.succeeded) return true;
      const first = firstAnswerAtStart(pc.context.activity.text ?? '');
      if (first) setParsedAnswer(pc.context, first);
      return first !== undefined;
    }));
    const validate = slotValidator(() => ALL_SLOTS);
    this.addDialog(new LocalizedTextPrompt(ANSWER_PROMPT, async (pc) => {
      // The third misunderstanding in a row (« ??? », a keyboard mash) at the contact asked before
      // the outcome: handing over through the contact dialog would cancel the accueil (its
      // outcome never submitted, the « to be confirmed » request never passed on) and ask the
      // contact a fourth time — the accueil finishes without a contact instead (afterContact).
      const slot = (pc.options.validations as { data?: { slot?: string } } | undefined)?.data?.slot;
      if (slot === 'contact' && gaveUpOnContact(pc)) {
        setParsedAnswer(pc.context, NO_CONTACT);
        return true;
      }
      // « association loi 1901 » at the postal code question: an answer to another question, kept (storeAnswer), then the postal code asked again.
      // « en fait 5 salariées » at any question: that earlier answer corrected, then the question asked again.
      const typed = pc.context.activity.type === ActivityTypes.Message ? pc.recognized.value ?? '' : undefined;
      // « aci porté par une asso » at the staff question: the legal form, then the staff asked again.
      // (The SIRET question reads other answers itself: answersInsteadOfIdentifiers.)
      const aside = typed === undefined || slot === 'identifiers' || !SLOTS.some((s) => s.key === slot) ? undefined
        : slot === 'location' ? answersInsteadOfPostalCode(typed) : slot === 'employees' ? answersInsteadOfStaff(typed)
          : (slot === 'legalForm' && answersInsteadOfLegalForm(typed)) || correctionAtQuestion(slot!, typed);
      if (aside) {
        setParsedAnswer(pc.context, { [ASIDE]: aside } satisfies Aside);
        return true;
      }
      return validate(pc);
    }));
    this.addDialog(new WaterfallDialog(START, [this.findDossier.bind(this), this.afterConsent.bind(this)]));
    this.addDialog(new WaterfallDialog(ASK, [this.askNext.bind(this), this.storeAnswer.bind(this)]));
    this.addDialog(new WaterfallDialog(REVIEW, [this.showRecap.bind(this), this.afterRecap.bind(this), this.afterFixChoice.bind(this), this.afterContactFix.bind(this)]));
    this.addDialog(new WaterfallDialog(DECIDED, [this.restate.bind(this), this.afterRestate.bind(this)]));
    this.addDialog(new WaterfallDialog(OUTCOME, [this.giveOutcome.bind(this), this.afterContact.bind(this), this.afterDiagnosticOffer.bind(this)]));
    this.addDialog(new ContactChangeDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, now: deps.now }));
    this.addDialog(new DiagnosticDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, settings: deps.settings, now: deps.now, onConfirmed: deps.onDiagnosticConfirmed }));
    this.initialDialogId = START;
  }

  /**
   * Back from a request for a chargé·e made during the questions asked without consent: consent
   * given there (the answers given meanwhile went to its dossier), the questions go on with that dossier.
   */
  override async resumeDialog(outerDc: DialogContext, reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const inner = this.createChildContext(outerDc);
    // « je préfère parler à un conseiller » at the contact asked with the outcome: the request for a
    // chargé·e took the contact and passed the request on — the accueil ends there, submitted,
    // rather than ask the contact again (and again after every « où en est ma demande ? »).
    const outcome = inner.activeDialog?.id === ANSWER_PROMPT ? inner.stack.find((d) => d.id === OUTCOME) : undefined;
    const passedOn = outcome && await this.passedOnAtContact(outerDc.context, outcome.state.options as FormState);
    if (passedOn) {
      await inner.cancelAllDialogs();
      return this.endComponent(outerDc, passedOn);
    }
    const dossier = anonymousAnswers(inner) ? await this.deps.dossiers.findByKey(userKey(outerDc.context)) : undefined;
    if (!dossier || !accueilToResume(dossier)) return super.resumeDialog(outerDc, reason, result);
    await outerDc.context.sendActivity(tr(outerDc.context)('accueil.resumed'));
    await inner.cancelAllDialogs();
    const turn = await inner.beginDialog(ASK, { dossierId: dossier._id } satisfies FormState);
    return turn.status === DialogTurnStatus.waiting ? Dialog.EndOfTurn : this.endComponent(outerDc, turn.result);
  }

  // ——— start: a returning structure picks up where it stopped; a new one is asked for consent ———

  private async findDossier(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { resume = false, diagnosticAnswer, consentGiven, introduced, fix, fixValue, review } = (step.options as AccueilOptions | undefined) ?? {};
    const dossier = await this.deps.dossiers.findByKey(userKey(step.context));
    if (dossier && accueilToResume(dossier)) {
      await step.context.sendActivity(t(accueilStarted(dossier.answers ?? {}) ? 'accueil.resumed' : 'accueil.starting'));
      // Answers typed at the « Bon retour ! » (« 33800 »): said back, kept, and the questions go on from there.
      if (introduced) {
        await sayIntroduced(step.context, introduced);
        await keepAnswersGivenBefore(step.context, this.deps, dossier, introduced);
      }
      // Paused at the contact asked with the outcome: that question again, not the recap and the outcome a second time.
      if (this.awaitsContact(dossier)) return step.replaceDialog(OUTCOME, { dossierId: dossier._id, atContact: true } satisfies FormState);
      return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
    }
    if (dossier && diagnosticToResume(dossier)) {
      return step.replaceDialog(DIAGNOSTIC_DIALOG, { dossierId: dossier._id, ...(diagnosticAnswer ? { firstAnswer: diagnosticAnswer } : { resumed: true }) } satisfies DiagnosticOptions);
    }
    if (dossier && fix) {
      dossier.status = 'in_progress';
      // Typed with its new value at the menu: said, with what it was, then the recap.
      if (fixValue !== undefined) await this.sayReplaced(step.context, fix, dossier.answers, { [fix]: fixValue });
      return this.correct(step, dossier, fix, fixValue !== undefined ? { value: fixValue } : undefined, { dossierId: dossier._id });
    }
    if (dossier?.decision && review) return this.review(step, dossier);
    // « reprendre » once the outcome is given (and its diagnostic, if any, confirmed): nothing waits —
    // said so (the menu follows), not the outcome told again as for « Vérifier si ma structure… ».
    if (dossier && resume) {
      await step.context.sendActivity(t('diagnostic.nothingToResume'));
      return step.endDialog();
    }
    if (dossier) return step.replaceDialog(DECIDED, { dossierId: dossier._id } satisfies FormState);
    if (consentGiven) return this.startWithConsent(step, consentGiven.answers);
    if (resume) {
      await step.context.sendActivity(t('diagnostic.nothingToResume'));
      return step.endDialog();
    }
    // « je veux créer une association pour… », « la mairie voudrait… », « on est une asso de
    // bénévoles, sans salarié »: what the first message says settles it, so the structure is told
    // at once who can help — the orientation it would get after every question — and how to check anyway.
    const settled = introduced && settledOutOfScope(introduced, this.deps.settings.territory);
    if (settled) {
      await step.context.sendActivity(decidingReasons('out_of_scope', settled.reasons).map((r) => t(r.reasonKey)).join('\n\n'));
      await this.orient(step.context, settled, introduced);
      await step.context.sendActivity(t('accueil.settledEarlyCheckAnyway'));
      return step.endDialog();
    }
    // Said back once, before consent: nothing is stored until it is answered (the facts wait in this dialog's options).
    if (introduced) {
      await sayIntroduced(step.context, introduced);
      // « …, 75011, … »: its own DLA named before any question, rather than after all of them.
      if (outsideTerritory(introduced.location?.departement, this.deps.settings.territory)) {
        await step.context.sendActivity(t('accueil.otherDlaEarly', { ...outcomeVars(introduced), operator: this.deps.settings.operatorName }));
      }
    }
    return askConsent(step, CONSENT_PROMPT, 'accueil.consent.intro', this.deps);
  }

  private async afterConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const options = (step.options as AccueilOptions | undefined) ?? {};
    // Accueil answers said with the consent answer (« j'accepte, on est à 33000 ») or instead of it (the notice again).
    const introduced = { ...options.introduced, ...answersWithNeed(step.context.activity.text ?? '') };
    if (!step.result) return step.replaceDialog(START, { ...options, introduced } satisfies AccueilOptions);
    const dossier = await recordConsent(step.context, (step.result as FoundChoice).value === 'accept', this.deps, 'accueil');
    if (dossier) {
      await step.context.sendActivity(t('accueil.consent.accepted'));
      if (Object.keys(introduced).length) await keepAnswersGivenBefore(step.context, this.deps, dossier, introduced);
      return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
    }
    // Nothing kept: only the questions about the structure, answered in this dialog (with what the first message said of it).
    await step.context.sendActivity(t('accueil.consent.declined', { hours: this.deps.settings.noConsentHours ?? 24 }));
    return step.replaceDialog(ASK, { anonymous: impersonal(introduced) } satisfies FormState);
  }

  /** Consent given after a decline: recorded, the answers given meanwhile kept, and the questions go on from there. */
  private async startWithConsent(step: WaterfallStepContext, answers: AccueilAnswers = {}): Promise<DialogTurnResult> {
    const dossier = (await recordConsent(step.context, true, this.deps, 'accueil'))!;
    const kept = Object.keys(answers).length > 0;
    await keepAnswersGivenBefore(step.context, this.deps, dossier, answers);
    await step.context.sendActivity(tr(step.context)(kept ? 'accueil.consent.givenLaterWithAnswers' : 'accueil.consent.givenLater', { months: this.deps.settings.retentionMonths }));
    return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
  }

  // ——— the questions, one at a time, the first unanswered one each time ———

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const { answers, consent } = await this.load(form);
    const slot = nextSlot(answers, consent);
    if (!slot) return step.replaceDialog(consent ? REVIEW : OUTCOME, form);
    values(step).slot = slot.key;
    const previous = form.previous?.field === slot.key ? form.previous : undefined;
    form.previous = undefined;
    if (previous) await step.context.sendActivity(tr(step.context)('accueil.fix.previous', { line: previous.line }));
    values(step).kept = previous?.kept;
    return step.prompt(ANSWER_PROMPT, LocalizedTextPrompt.options(`accueil.${slot.key}.ask`, undefined, { slot: slot.key, keepable: !!previous?.kept },
      slot.suggestions ? { suggestions: slot.suggestions } : {}));
  }

  private async storeAnswer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const key = values(step).slot!;
    const value = parsedAnswer<AccueilAnswers[SlotKey] | typeof KEEP_ANSWER | Aside>(step.context);
    if (isAside(value)) return this.keepAside(step, value[ASIDE]);
    if (value === KEEP_ANSWER) {
      // The answer being corrected stays as it was: back to the recap.
      const dossier = await this.dossier(form);
      dossier.answers = { ...dossier.answers, ...values(step).kept };
      await this.deps.dossiers.save(dossier, step.context);
      return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
    }
    if (form.anonymous) {
      const also = await this.alsoAnswered(step.context, key, form.anonymous);
      return step.replaceDialog(ASK, { anonymous: withAnswers(form.anonymous, { [key]: value, ...also }) } satisfies FormState);
    }
    const dossier = await this.dossier(form);
    const also = await this.alsoAnswered(step.context, key, dossier.answers);
    dossier.answers = withAnswers(dossier.answers, { [key]: value, ...also });
    // The SIRET typed with the name links the dossier as the SIRET question's answer does.
    const siret = key === 'identifiers' || also.identifiers ? dossier.answers.identifiers?.siret : undefined;
    if (siret) await noticeKnownStructure(step.context, this.deps, dossier, siret);
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
  }

  /**
   * Answers to other questions typed instead of the one asked (« association loi 1901 » at the
   * postal code question): those that change what was answered kept and said — as answers given
   * with another one are —, then the question asked again, plainly.
   */
  private async keepAside(step: WaterfallStepContext, aside: Partial<AccueilAnswers>): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const { answers } = await this.load(form);
    // A need typed there is the request only while none is given (its own question, or « Corriger », changes it).
    const changes = Object.fromEntries(Object.entries(aside).filter(([k, v]) => !(k === 'request' && answers.request) && !sameAnswer(k as SlotKey, answers[k as SlotKey], v as AccueilAnswers[SlotKey])));
    await this.sayAlso(step.context, answers, changes);
    // Nothing new (« on est une asso loi 1901 » at the staff question, the form known): why the question is asked again, as for an answer not read.
    const read = Object.keys(changes).length ? undefined : SLOTS.find((s) => s.key === values(step).slot)?.parse(step.context.activity.text ?? '', 1);
    if (read && !read.ok) await step.context.sendActivity(tr(step.context)(read.errorKey, read.vars));
    if (form.anonymous) return step.replaceDialog(ASK, { anonymous: withAnswers(form.anonymous, changes) } satisfies FormState);
    const dossier = await this.dossier(form);
    dossier.answers = withAnswers(dossier.answers, changes);
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(ASK, { dossierId: dossier._id } satisfies FormState);
  }

  /** « Je note le changement : « Salarié·es : 0 ETP » devient « Salarié·es : 2 ETP » ». */
  private async sayReplaced(context: TurnContext, field: SlotKey, answers: AccueilAnswers, changes: Partial<AccueilAnswers>): Promise<void> {
    const t = tr(context);
    const [before, after] = [answers, changes].map((a) => recapLine(t, recap({ [field]: a[field] })[0]));
    await context.sendActivity(t('accueil.fix.replaced', { before, after }));
  }

  /** Later answers given with this one (the postal code with the staff, the SIRET or the legal form with the name): kept, and said. */
  private async alsoAnswered(context: TurnContext, key: string, answers: AccueilAnswers): Promise<Partial<AccueilAnswers>> {
    const t = tr(context);
    const text = context.activity.text ?? '';
    const also = alsoAnswered(key, text, answers);
    // « 12 salariés » at the SIRET question: that answer is kept, the number left for a chargé·e.
    if (key === 'identifiers' && Object.keys(answersInsteadOfIdentifiers(text)).length > 0) await context.sendActivity(t('accueil.identifiers.later'));
    await this.sayAlso(context, answers, also);
    return also;
  }

  /** What answers given with (or instead of) the one asked change, said: each new one noted, each one given before replaced. */
  private async sayAlso(context: TurnContext, given: AccueilAnswers, also: Partial<AccueilAnswers>): Promise<void> {
    const t = tr(context);
    // A legal form not recognised (« je ne sais pas ») is not known yet: a form said now is noted, not « changed ».
    const answers = given.legalForm && !given.legalForm.result ? { ...given, legalForm: undefined } : given;
    // An answer given before, replaced (« 4 salariés » in the first message, « 12 salariés » now): said, with what it was.
    for (const field of (Object.keys(also) as SlotKey[]).filter((k) => answers[k] !== undefined)) await this.sayReplaced(context, field, answers, also);
    const isNew = (field: SlotKey) => also[field] !== undefined && answers[field] === undefined;
    if (isNew('identifiers')) await context.sendActivity(t('accueil.identifiers.noted', { value: identifiersText(also.identifiers!) }));
    if (isNew('legalForm') && also.legalForm!.result) await context.sendActivity(t('accueil.legalForm.noted', { form: formLabel(t, also.legalForm!.result) }));
    if (isNew('employees')) await context.sendActivity(t(also.employees!.headCount ? 'accueil.employees.notedHeadCount' : 'accueil.employees.noted', { etp: also.employees!.etp }));
    if (isNew('location')) await context.sendActivity(t('accueil.location.noted', { postalCode: also.location!.postalCode }));
    if (isNew('request')) await context.sendActivity(t('accueil.request.noted', { request: inertMarkdown(also.request!) }));
    // « 3 salariés, budget 450 000 € »: what the diagnostic will not ask blind.
    const told = also.told && Object.fromEntries(Object.entries(also.told).filter(([k]) => !answers.told?.[k as keyof typeof also.told]));
    if (told && Object.keys(told).length) await context.sendActivity(t('accueil.request.told', { lines: toldLines(t, told).join('\n') }));
  }

  // ——— review: the structure checks its answers and can correct any of them ———

  private async showRecap(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const dossier = await this.dossier(step.options as FormState);
    const lines = recap(dossier.answers).map((l) => listItem(recapLine(t, l)));
    // The contact held (a request for a chargé·e before, or an outcome given): shown, and correctable too.
    const contact = dossier.answers.contact;
    if (contact) lines.push(listItem(t('accueil.recap.contact', { contact: inertMarkdown(contactText(contact)) })));
    await step.context.sendActivity(`${t('accueil.recap.intro')}\n\n${lines.join('\n')}`);
    return step.prompt(CHOICE_PROMPT, LocalizedChoicePrompt.confirmOrFix(RECAP, 'accueil.recap.confirm', 'accueil.recap.correct',
      [...Object.values(ACCUEIL_FIELD_WORDS).flat(), ...(contact ? CONTACT_WORDS : [])]));
  }

  private async afterRecap(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const point = step.context.turnState.get(CONTACT_AT_RECAP) as ContactChangeOptions['point'];
    if (point) return step.next({ value: 'contact', point, confirm: true });
    if (step.context.turnState.get(VALUE_AT_REVIEW)) return this.correctTyped(step);
    if ((step.result as FoundChoice).value === 'yes') return step.replaceDialog(OUTCOME, step.options);
    const dossier = await this.dossier(step.options as FormState);
    const { contact } = dossier.answers;
    const fix = LocalizedChoicePrompt.options('accueil.fix.prompt', 'accueil.fix.retry',
      [...FIXABLE.map((key) => ({ id: key, key: `accueil.fix.${key}`, synonyms: ACCUEIL_FIELD_WORDS[key] })),
        ...(contact ? [{ id: 'contact', key: 'accueil.fix.contact', synonyms: CONTACT_WORDS }] : []),
        // A way out: nothing to correct after all, back to the recap.
        { id: 'nothing', key: 'accueil.fix.nothing', synonyms: NOTHING }]);
    // « le nom c'est plutôt Union sportive… »: the answer named is corrected at once — with the
    // value said when it reads as one, else asked for.
    const named = LocalizedChoicePrompt.match(step.context, fix);
    // « en fait on est une SCIC »: the answer it reads as, corrected at once.
    if (!named && correctionWithoutName(step.context.activity.text ?? '', dossier.answers)) return this.correctTyped(step, dossier);
    if (!named || named.value === 'nothing') return step.prompt(CHOICE_PROMPT, fix);
    if (named.value === 'contact') return step.next(named);
    const field = named.value as SlotKey;
    return this.correct(step, dossier, field, valueGiven(step.context, field, dossier.answers));
  }

  /** A new value typed without its answer's name (correctionWithoutName): that answer corrected, or the recap again when it is the same. */
  private async correctTyped(step: WaterfallStepContext, dossier?: Dossier): Promise<DialogTurnResult> {
    const current = dossier ?? await this.dossier(step.options as FormState);
    const typed = correctionWithoutName(step.context.activity.text ?? '', current.answers);
    return typed ? this.correct(step, current, typed.field, { value: typed.value }) : step.replaceDialog(REVIEW, step.options);
  }

  private async afterFixChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.context.turnState.get(VALUE_AT_REVIEW)) return this.correctTyped(step);
    const choice = (step.result as FoundChoice).value;
    if (choice === 'nothing') return step.replaceDialog(REVIEW, step.options);
    // The contact: asked with the current one shown, corrected as « changer mes coordonnées » does (its request and chargé·es follow).
    // « nouveau tel : 06… »: the number typed is the new one.
    if (choice === 'contact') {
      const typed = step.result as Pick<ContactChangeOptions, 'point' | 'confirm'>;
      const point = typed.point ?? readContactChange(step.context.activity.text)?.point;
      return step.beginDialog(CONTACT_CHANGE_DIALOG, { dossierId: (step.options as FormState).dossierId!, point, confirm: typed.confirm } satisfies ContactChangeOptions);
    }
    // « le siret 443 061 841 00047 »: the value typed with the answer's name is the new one.
    const dossier = await this.dossier(step.options as FormState);
    return this.correct(step, dossier, choice as SlotKey, valueGiven(step.context, choice as SlotKey, dossier.answers));
  }

  /** The contact corrected (or kept): back to the recap. */
  private async afterContactFix(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(REVIEW, step.options);
  }

  /**
   * The answer to `field` corrected: `given`, the new value said with the field's name (the recap
   * comes back), else the question asked again with what it was.
   */
  private async correct(step: WaterfallStepContext, dossier: Dossier, field: SlotKey, given?: { value: unknown }, form = step.options as FormState): Promise<DialogTurnResult> {
    const answers = dossier.answers;
    const before = given ? undefined : recap(answers).find((l) => l.field === field);
    // A new legal form asks again whether a company holds the ESUS approval (kept as it was with « annuler »).
    const replaced = Object.fromEntries([field, ...dependentAnswers(field)].filter((k) => answers[k] !== undefined).map((k) => [k, answers[k]])) as Partial<AccueilAnswers>;
    dossier.answers = withAnswers(answers, { [field]: given?.value });
    if (!given) delete dossier.answers[field];
    // A SIRET given links the dossier, as the SIRET question's answer does.
    const siret = given && field === 'identifiers' ? dossier.answers.identifiers?.siret : undefined;
    if (siret) await noticeKnownStructure(step.context, this.deps, dossier, siret);
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(ASK, { ...form, previous: before && { field, line: recapLine(tr(step.context), before), ...(replaced[field] !== undefined ? { kept: replaced } : {}) } } satisfies FormState);
  }

  // ——— outcome: eligible / to confirm / out of scope, always with why and what happens next ———

  private async giveOutcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const dossier = form.anonymous ? undefined : await this.dossier(form);
    const answers = dossier?.answers ?? form.anonymous!;
    const result = decide(answers, this.deps.settings.territory);
    if (form.atContact && dossier) return this.askContact(step, result);
    // Without consent nothing is passed on: the outcome says so once, with how to reach the DLA.
    const reach = !dossier && result.outcome !== 'out_of_scope' ? this.howToReachOperator(tr(step.context)) : undefined;
    if (!dossier) await this.deps.answeredWithoutConsent?.(step.context, answers);
    // Answers corrected after an outcome: that it changed is said before why.
    const before = dossier?.decision?.outcome !== result.outcome ? dossier?.decision : undefined;
    if (before) {
      const t = tr(step.context);
      await step.context.sendActivity(t('accueil.outcomeChanged', { before: t(`handoff.eligibility.outcome.${before.outcome}`), after: t(`handoff.eligibility.outcome.${result.outcome}`) }));
    }
    await this.explain(step.context, result, answers, !!dossier, reach, before?.reasons);
    if (result.outcome === 'out_of_scope') {
      await this.orient(step.context, result, answers);
      if (dossier) await this.record(step.context, dossier, result, true);
      await step.context.sendActivity(tr(step.context)('accueil.next.out_of_scope'));
      return step.endDialog(result);
    }
    if (!dossier) return step.endDialog(result);
    // Stored as soon as it is told (a structure may leave before giving a contact): the
    // chargé·es and the statistics see what the structure read; it is submitted with the contact.
    await this.record(step.context, dossier, result, false);
    if (answers.contact) {
      values(step).result = result;
      return step.next();
    }
    return this.askContact(step, result);
  }

  /** The contact asked with the outcome (`result`, kept for the steps after it). */
  private async askContact(step: WaterfallStepContext, result: EligibilityResult): Promise<DialogTurnResult> {
    values(step).result = result;
    values(step).slot = 'contact';
    return step.prompt(ANSWER_PROMPT, LocalizedTextPrompt.options('accueil.contact.ask', undefined, { slot: 'contact' }));
  }

  /**
   * The outcome was told and the contact asked with it, not given yet (a « pause » there): every
   * question answered, the outcome on the dossier the one its answers give.
   */
  private awaitsContact(dossier: Dossier): boolean {
    const { answers, decision } = dossier;
    return !!decision && decision.outcome !== 'out_of_scope' && !answers.contact && !nextSlot(answers, true)
      && decide(answers, this.deps.settings.territory).outcome === decision.outcome;
  }

  /**
   * Back at the contact asked with the outcome after a request for a chargé·e made there: when it
   * left a contact and passed the request on, the outcome is recorded as submitted with it (a
   * to-be-confirmed outcome travels with that request: no second one) and returned; else undefined.
   */
  private async passedOnAtContact(context: TurnContext, form: FormState): Promise<EligibilityResult | undefined> {
    const dossier = form.dossierId ? await this.deps.dossiers.get(form.dossierId) : undefined;
    const latest = dossier?.answers.contact ? await this.deps.handoffs.latest(dossier._id) : undefined;
    if (!dossier || !latest || latest.status === 'closed') return undefined;
    const result = decide(dossier.answers, this.deps.settings.territory);
    await this.record(context, dossier, result, true);
    return result;
  }

  private async toConfirmWaiting(dossierId: string): Promise<boolean> {
    const latest = await this.deps.handoffs.latest(dossierId);
    return latest?.reason === 'eligibility_to_confirm' && latest.status !== 'closed';
  }

  private async afterContact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const result = values(step).result!;
    const said = parsedAnswer<AccueilAnswers['contact'] | typeof NO_CONTACT>(step.context);
    if (said === NO_CONTACT) return this.submitWithoutContact(step, result);
    const contact = said;
    const dossier = await this.dossier(form);
    if (contact) dossier.answers = { ...dossier.answers, contact };
    await this.record(step.context, dossier, result, true);
    const t = tr(step.context);
    // Read back: a typo in an address is seen now, not when the chargé·e cannot write.
    // Words kept after the retries (« appelez le standard », a foreign number): passed on as they are, said so.
    if (contact) await step.context.sendActivity(t(reachable(contact) ? 'accueil.contact.noted' : 'accueil.contact.notedUnreachable', { contact: inertMarkdown(contactText(contact)) }));
    await step.context.sendActivity(t(`accueil.next.${result.outcome}`, {
      operator: this.deps.settings.operatorName, days: this.deps.settings.contactDelayWorkingDays,
    }));
    // To be confirmed: a chargé·e looks at the reasons with the structure (once: answers corrected
    // while that request waits do not pass it on a second time).
    if (result.outcome === 'to_confirm' && !(await this.toConfirmWaiting(dossier._id))) {
      await this.deps.handoffs.trigger(step.context, 'eligibility_to_confirm', dossier);
    }
    if (result.outcome !== 'eligible') {
      await step.context.sendActivity(t('accueil.thanks'));
      return step.endDialog(result);
    }
    // Eligible: the diagnostic inputs can be prepared now, or later ("reprendre").
    await step.context.sendActivity(t('diagnostic.offer.text'));
    return step.prompt(OFFER_PROMPT, LocalizedChoicePrompt.options('diagnostic.offer.prompt', 'diagnostic.offer.retry', [
      { id: 'start', key: 'diagnostic.offer.start', synonyms: [...YES, 'go', 'vas y', 'allez y', 'allez', 'on commence', 'commencons', 'allons y', 'on y va', 'c est parti', 'maintenant', 'tout de suite', 'commencer', 'start', 'let s go', 'now'] },
      { id: 'later', key: 'diagnostic.offer.later', synonyms: [...NO, 'plus tard', 'pas maintenant', 'une autre fois', 'later', 'not now'] },
    ]));
  }

  /**
   * No contact could be read three times in a row: the outcome is submitted all the same and the
   * request passed on — with what could not be read, for the chargé·e — without a call back
   * promised (the operator's contact instead). To be confirmed: the request with its reasons
   * (once); eligible: a request for a chargé·e, the diagnostic left for « reprendre ».
   */
  private async submitWithoutContact(step: WaterfallStepContext, result: EligibilityResult): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const dossier = await this.dossier(step.options as FormState);
    await this.record(step.context, dossier, result, true);
    await step.context.sendActivity(t('accueil.contact.notUnderstood', operatorReach(t, this.deps.settings)));
    const misunderstood = misunderstoodWith(step.context, step.context.activity.text ?? '');
    if (result.outcome !== 'to_confirm') await this.deps.handoffs.trigger(step.context, 'not_understood', dossier, misunderstood);
    else if (!(await this.toConfirmWaiting(dossier._id))) await this.deps.handoffs.trigger(step.context, 'eligibility_to_confirm', dossier, misunderstood);
    return step.endDialog(result);
  }

  private async afterDiagnosticOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const form = step.options as FormState;
    const firstAnswer = parsedAnswer<DiagnosticOptions['firstAnswer']>(step.context);
    if (firstAnswer || (step.result as FoundChoice).value === 'start') {
      return step.replaceDialog(DIAGNOSTIC_DIALOG, { dossierId: form.dossierId!, firstAnswer } satisfies DiagnosticOptions);
    }
    await step.context.sendActivity(tr(step.context)('diagnostic.offer.later_done'));
    return step.endDialog();
  }

  /** Who can help a structure out of scope: a card of 1–3 resources. */
  private async orient(context: TurnContext, result: EligibilityResult, answers: AccueilAnswers): Promise<void> {
    const resources = resourcesFor(result, answers, await this.deps.resources.all());
    await context.sendActivity({ attachments: [orientationCard(context, resources)], text: tr(context)('accueil.orientation.intro') });
  }

  // ——— decided: a structure that checks again is told its outcome as it stands, and may correct its answers ———

  private async restate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const dossier = await this.dossier(step.options as FormState);
    // Decided again from the stored answers: the same outcome, with its reasons and orientation.
    const result = decide(dossier.answers, this.deps.settings.territory);
    await step.context.sendActivity(t('accueil.decided.intro'));
    // As « où en est ma demande ? » says it (its next check-in too).
    const status = async () => statusOf(t, this.deps, { dossier, handoff: await this.deps.handoffs.latest(dossier._id) });
    if (dossier.chargeDecision) {
      // A chargé·e decided after a call: that decision, not the rules', is where the structure stands.
      await step.context.sendActivity(await status());
      if (dossier.chargeDecision.outcome === 'out_of_scope') await this.orient(step.context, result, dossier.answers);
    } else if (result.outcome === 'out_of_scope') {
      await this.explain(step.context, result, dossier.answers, true);
      await this.orient(step.context, result, dossier.answers);
    } else {
      // What was passed on (or what comes before it), as « où en est ma demande ? » says it.
      await this.explain(step.context, result, dossier.answers, true, await status());
    }
    return step.prompt(CHOICE_PROMPT, LocalizedChoicePrompt.options('accueil.decided.prompt', 'accueil.decided.retry', [
      // « Voulez-vous corriger vos réponses ? »: « oui » says so.
      { id: 'fix', key: 'accueil.decided.fix', synonyms: [...YES, 'corriger', 'modifier', 'changer', 'correct', 'change', 'fix'] },
      { id: 'keep', key: 'accueil.decided.keep', synonyms: [...NO, ...NOTHING, 'menu'] },
    ]));
  }

  /** Correcting goes back to the recap: the accueil is open again until its outcome is given anew. */
  private async afterRestate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as FoundChoice).value !== 'fix') return step.endDialog();
    return this.review(step, await this.dossier(step.options as FormState));
  }

  private async review(step: WaterfallStepContext, dossier: Dossier): Promise<DialogTurnResult> {
    dossier.status = 'in_progress';
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(REVIEW, { dossierId: dossier._id } satisfies FormState);
  }

  /**
   * The outcome in one sentence, then the reasons that decided it (one or two), then `after`.
   * Changed from an earlier outcome (`earlier`, its reasons): the reasons it did not have first — why it changed.
   */
  private async explain(context: TurnContext, result: EligibilityResult, answers: AccueilAnswers, consent: boolean, after?: string, earlier?: readonly { code: string }[]): Promise<void> {
    const t = tr(context);
    const isNew = (r: { code: string }) => !earlier?.some((e) => e.code === r.code);
    const all = decidingReasons(result.outcome, result.reasons);
    const deciding = (earlier ? [...all.filter(isNew), ...all.filter((r) => !isNew(r))] : all).slice(0, 2);
    const why = deciding.map((r) => `- ${t(r.reasonKey)}`).join('\n');
    const parts = [t(outcomeKey(result, consent), outcomeVars(answers)), `${t('accueil.why')}\n${why}`, after];
    await context.sendActivity(parts.filter(Boolean).join('\n\n'));
  }

  /** Without consent: the structure contacts the operator itself (its contact, or the national directory). */
  private howToReachOperator(t: Translate): string {
    const { operatorName: operator, operatorContact: contact } = this.deps.settings;
    return t(contact ? 'accueil.noConsent.contact' : 'accueil.noConsent.directory', { operator, contact });
  }

  /** The decision on the dossier (with consent only), and whether the request is now submitted. */
  private async record(context: TurnContext, dossier: Dossier, result: EligibilityResult, submitted: boolean): Promise<void> {
    if (submitted) dossier.status = 'submitted';
    dossier.decision = {
      outcome: result.outcome,
      reasons: result.reasons.map(({ code, outcome, source }) => ({ code, outcome, source })),
      rulesVersion: result.rulesVersion,
      decidedAt: new Date(),
    };
    await this.deps.dossiers.save(dossier, context);
  }

  // ——— helpers ———

  private async load(form: FormState): Promise<{ answers: AccueilAnswers; consent: boolean }> {
    if (form.anonymous) return { answers: form.anonymous, consent: false };
    return { answers: (await this.dossier(form)).answers, consent: true };
  }

  private async dossier(form: FormState): Promise<Dossier> {
    const dossier = form.dossierId ? await this.deps.dossiers.get(form.dossierId) : undefined;
    if (!dossier) throw new Error(`Dossier ${form.dossierId} not found`);
    return dossier;
  }
}

/** The answers that need no consent (the name and the request are asked only with it). */
function impersonal(answers: AccueilAnswers): AccueilAnswers {
  return Object.fromEntries(Object.entries(answers).filter(([key]) => !ALL_SLOTS.find((s) => s.key === key)?.personal));
}

/** What a waterfall keeps between its steps. */
function values(step: WaterfallStepContext): { slot?: SlotKey; result?: EligibilityResult; kept?: Partial<AccueilAnswers> } {
  return step.values as { slot?: SlotKey; result?: EligibilityResult; kept?: Partial<AccueilAnswers> };
}

function userKey(context: TurnContext): string {
  return DossierRepository.userKey(context.activity.channelId, context.activity.from.id);
}

/** A recap line in words; the structure's own words are repeated as typed (never as Markdown). */
function recapLine(t: Translate, l: RecapLine): string {
  return recapText(t, l, inertMarkdown);
}

/** « Je note : … » — what the structure said of itself before its questions asked them, said back once. */
async function sayIntroduced(context: TurnContext, answers: AccueilAnswers): Promise<void> {
  const t = tr(context);
  await context.sendActivity(t('accueil.introduced', { lines: recap(answers).map((l) => listItem(recapLine(t, l))).join('\n') }));
}
