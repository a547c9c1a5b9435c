/**
 * The menu of MainDialog: its choices (what waits for a known structure offered first), and how a
 * message typed there is read beyond them — a new need, contact details, the answer to what waits,
 * a structure introducing itself, words added to a request passed on (kept in turnState for the
 * menu's next step).
 */
import { ActivityTypes, TurnContext } from 'botbuilder';
import { FoundChoice, PromptOptions, PromptValidatorContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor } from 'botbuilder';
import { Dossier } from '../src/store/dossiers';
import { answerAtDiagnosticOffer } from '../src/domain/diagnosticForm';
import { AccueilAnswers, accueilAnswersIn, accueilStarted, correctionAfterOutcome, etpSaid, factsAlone, introducedStructure, onlyOtherDla, SlotKey } from '../src/domain/accueilForm';
import { speaksForAnotherStructure } from '../src/domain/request';
import { contactAlone } from '../src/domain/contactChange';
import { seeksAJob } from '../src/domain/legalForm';
import { normalize } from '../src/domain/text';
import { saysConsent, withoutConsent } from '../src/domain/consentAnswer';
import { messageRoom, messageText, readsAsMessage } from '../src/domain/handoffMessage';
import { readNewNeed, tellsANeed } from '../src/domain/newNeed';
import { answerAtCheckinOffer } from '../src/domain/checkinForm';
import { FaqTopic, matchFaq } from '../src/domain/faq';
import { CheckinAnswers } from '../src/followup/checkinAnswers';
import { TurnReads } from '../src/followup/turnReads';
import type { HandoffService } from '../src/handoff/service';
import { accueilToResume, diagnosticToResume } from './accueilDialog';
import { HandoffMessageOptions } from './handoffMessageDialog';
import { NewNeedOptions } from './newNeedDialog';
import { LocalizedChoice, LocalizedChoicePrompt, YES } from './localizedChoicePrompt';
import type { ConversationFlags } from './state';

export const MENU = [
  { id: 'eligibility', key: 'menu.eligibility', synonyms: ['eligibilite', 'eligible', 'eligibles', 'verifier', 'accompagnement', 'etre accompagne', 'etre accompagnes', 'etre accompagnee', 'etre accompagnees',
    // The word is often typed with one c (« on peut être acompagné ? »).
    'acompagnement', 'etre acompagne', 'etre acompagnes', 'etre acompagnee', 'etre acompagnees', 'nous accompagner', 'nous acompagner', 'check', 'support',
    // « on voudrait se faire accompagner », « me faire accompagner ».
    'se faire accompagner', 'nous faire accompagner', 'me faire accompagner', 'se faire acompagner', 'get support',
    // A first message that tells the need (« on cherche de l'aide pour diversifier nos financements »).
    'aide pour', 'besoin d aide', 'cherche de l aide', 'cherchons de l aide', 'nous aider', 'm aider', 'need help', 'help with', 'help us',
    // « est-ce que mon asso peut être aidée ? »
    'etre aide', 'etre aidee', 'etre aides', 'etre aidees', 'be helped'] },
  { id: 'discover', key: 'menu.discover', synonyms: ['decouvrir', 'dla', 'etapes', 'discover', 'steps'] },
  // A person writing for themselves (« je suis un particulier, je cherche un emploi »): who the DLA is for, and where else to go.
  { id: 'who', key: 'menu.who', synonyms: ['qui', 'who', 'un particulier', 'une particuliere', 'juste une personne', 'a titre individuel', 'a titre personnel',
    'cherche un emploi', 'cherche du travail', 'cherche un travail', 'recherche d emploi', 'demandeur d emploi', 'demandeuse d emploi',
    'an individual', 'looking for a job', 'looking for work'] },
  { id: 'help', key: 'menu.help', synonyms: ['help'] },
];

/**
 * What a returning structure left waiting (choice id `resume`, « oui » takes it), offered first in
 * the menu of a new conversation; or, its request passed on or decided (where it stands is told at
 * the welcome), what may come next: a new need, then AFTER_REQUEST.
 */
export const WAITING = {
  checkin: { id: 'resume', choice: 'menu.resumeCheckin', retry: 'menu.retryCheckin', synonyms: [...YES, 'repondre', 'point de suivi', 'answer', 'check-in'] },
  diagnostic: { id: 'resume', choice: 'menu.resumeDiagnostic', retry: 'menu.retryDiagnostic', synonyms: [...YES, 'diagnostic', 'diagnosis'] },
  accueil: { id: 'resume', choice: 'menu.resumeAccueil', retry: 'menu.retryAccueil', synonyms: [...YES, 'continuer', 'continue'] },
  // A dossier made by an early « parler à un·e chargé·e »: nothing of the accueil answered yet.
  accueilNotStarted: { id: 'resume', choice: 'menu.startAccueil', retry: 'menu.retryStartAccueil', synonyms: [...YES, 'commencer', 'start'] },
  request: { id: 'newNeed', choice: 'menu.newNeed', retry: 'menu.retryRequest', synonyms: ['nouveau besoin', 'autre besoin', 'new need', 'another need'] },
  // Sent to the DLA of its own département (its head office outside the territory): that DLA first, not a need or a chargé·e of this one.
  otherDla: { id: 'otherDla', choice: 'menu.otherDla', retry: 'menu.retryOtherDla', synonyms: ['autre dla', 'mon dla', 'quel dla', 'annuaire', 'my dla', 'other dla'] },
  // Out of the DLA's scope: its outcome and resources again (with its answers to correct), as « Vérifier si ma structure… » — still understood — does.
  outOfScope: { id: 'eligibility', choice: 'menu.outOfScopeResources', retry: 'menu.retryOutOfScope', synonyms: [...MENU.find((c) => c.id === 'eligibility')!.synonyms, 'ressources', 'orientation', 'qui peut nous aider', 'qui peut m aider', 'resources', 'who can help'] },
} as const;

/** Where the structure's request stands (its title is the command's words too). */
const STATUS_CHOICE = { id: 'status', key: 'menu.status' };

/** Words that say an answer given was wrong (« je me suis trompé », « corriger »), for the choices that correct one. */
const SAYS_MISTAKE = ['corriger', 'erreur', 'trompe', 'trompee', 'correct', 'mistake'];

/** Out of scope: the recap, to correct an answer that was wrong — the outcome decided again. */
const FIX_ANSWERS = { id: 'fixAnswers', key: 'menu.fixAnswers', synonyms: [...SAYS_MISTAKE, 'modifier', 'change'] };

/** A postal code typed wrong (« 75011 » for « 33011 »): corrected, and the eligibility checked again. */
const FIX_POSTAL_CODE = { id: 'fixPostalCode', key: 'menu.fixPostalCode', synonyms: [...SAYS_MISTAKE, 'code postal', 'postal code', 'typo'] };

/**
 * After what waits for a structure past its first questions (a check-in, its diagnostic, what
 * follows its request): a chargé·e, « mes données » (their titles are the commands' words too),
 * then the rest of MENU — checking its eligibility again, done already, last but help.
 */
const PAST_ACCUEIL = [{ id: 'human', key: 'menu.human' }, { id: 'my_data', key: 'menu.myData' },
  ...['discover', 'who', 'eligibility', 'help'].map((id) => MENU.find((c) => c.id === id)!)];

/** turnState key of the waiting check-in's or diagnostic's next question answered at the welcome (answerAtOffer). */
export const EARLY_ANSWER = Symbol('main.earlyAnswer');

/** The next question of what waits (a check-in, a diagnostic) answered at the welcome that offers it. */
export interface EarlyAnswer {
  to: 'checkin' | 'diagnostic';
  answer: { key: string; value: unknown };
}

/** turnState key of the answers a message introducing the structure gave at the menu (introducedAt): the accueil takes them. */
export const INTRODUCED = Symbol('main.introduced');

/** turnState key of a new need said at the menu (newNeedAt): NewNeedDialog takes it. */
export const NEW_NEED = Symbol('main.newNeed');

/** turnState key of contact details typed alone at the menu (contactAlone): ContactChangeDialog asks to confirm them. */
export const CONTACT_GIVEN = Symbol('main.contactGiven');

/** turnState key of words added at the menu to the structure's request passed on (messageAt): HandoffMessageDialog takes them. */
export const ADDED_MESSAGE = Symbol('main.addedMessage');

/** turnState key of an answer of the accueil corrected at the menu once its outcome was given (correctionAt): the accueil takes it. */
export const ACCUEIL_FIX = Symbol('main.accueilFix');

/** An answer of the accueil corrected at the menu, with its new value. */
export interface AccueilFix {
  field: SlotKey;
  value: unknown;
}

/** turnState key set when a structure past its first questions writes for another one (forAnotherAt): told how that one asks. */
export const FOR_ANOTHER = Symbol('main.forAnother');

/**
 * Words the structure adds at the menu once its request was passed on (messageAt): read back
 * for its request open or taken up; refused for one closed (a new need or a new request
 * offered instead) or full; nothing kept without consent.
 */
export type AddedMessageAt = HandoffMessageOptions | { refused: 'closed' | 'full' | 'declined' };

/** turnState key of the dossier the menu reads a message with (MenuReader.dossier). */
const MENU_DOSSIER = Symbol('main.menuDossier');

export interface MenuReaderDeps {
  handoffs: Pick<HandoffService, 'latest'>;
  checkins: CheckinAnswers;
  flags: StatePropertyAccessor<ConversationFlags>;
  /** The dossier of the person writing (by channel user), if any. */
  dossierOf(context: TurnContext): Promise<Dossier | undefined>;
}

/** Reads what a message typed at the menu says beyond its choices. */
export class MenuReader {
  constructor(private readonly deps: MenuReaderDeps) {}

  /**
   * The menu prompt's validator: a choice, or a message read beyond the choices (read).
   * A simple question (« c'est payant ? ») never reaches it: MainDialog answers it first (faqAt).
   */
  async validate(pc: PromptValidatorContext<FoundChoice>): Promise<boolean> {
    const read = await this.read(pc.context, pc.options, pc.recognized.succeeded ? pc.recognized.value : undefined);
    if (read && 'chosen' in read) Object.assign(pc.recognized, { succeeded: true, value: read.chosen });
    return read !== undefined && !('faq' in read);
  }

  /**
   * What a message at the menu says, `chosen` being the menu's choice it names: that choice (or
   * « Qui peut être accompagné ? » for a person looking for a job, whatever choice its words
   * name); a simple question on the DLA it asks (`faq`, answered before the menu); else `{}` when
   * it is read beyond the choices, set in turnState for the menu's next step — « on a un nouveau
   * besoin : … » from a structure the DLA already knows (before the choices: the eligibility choice
   * would read « besoin d'aide pour … » as a first request), contact details typed alone, « on a
   * embauché 2 personnes » at a welcome that offers a waiting check-in or « environ 200 000 € » at
   * one that offers a waiting diagnostic (a « oui » with that answer to its next question), a
   * structure introducing itself, words added to its request. Undefined: the menu asks again.
   */
  async read(context: TurnContext, options: PromptOptions, chosen: FoundChoice | undefined): Promise<{ chosen?: FoundChoice } | { faq: FaqTopic } | undefined> {
    const need = await this.newNeedAt(context);
    if (need) {
      context.turnState.set(NEW_NEED, need);
      return {};
    }
    if (contactAt(context)) return {};
    const fix = await this.correctionAt(context);
    if (fix) {
      context.turnState.set(ACCUEIL_FIX, fix);
      return {};
    }
    const choice = jobSeekerAt(context) ?? chosen ?? await this.consentAt(context);
    // Written for another structure (« une de nos adhérentes, l'association … cherche de l'aide »): not a choice its words name.
    if (choice && !asksRatherThanChooses(choice, context.activity.text) && !introducesRatherThanChooses(choice, context) && !(await this.forAnotherAt(context))) return { chosen: choice };
    const early = await this.answerAtOffer(context, options);
    if (early) {
      context.turnState.set(EARLY_ANSWER, early);
      return {};
    }
    const faq = matchFaq(context.activity.text);
    if (faq) return { faq };
    return (await this.introducedOrAdded(context)) ? {} : undefined;
  }

  /**
   * « j'accepte » typed at the menu by someone who was never asked (no dossier; a consent declined
   * in this conversation is MainDialog's): what it accepts is the check — which shows the consent
   * notice, what is kept and why, and asks it there.
   */
  private async consentAt(context: TurnContext): Promise<FoundChoice | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!saysConsent(text) || await this.dossier(context)) return undefined;
    return { value: 'eligibility', index: -1, score: 1, synonym: text! };
  }

  /**
   * A new need said at the menu (readNewNeed) by a structure whose accueil and diagnostic are
   * behind it: undefined for a first-time visitor (the menu's eligibility choice is the way in),
   * a structure with its accueil or diagnostic to finish (« reprendre » takes it there), or one
   * with a check-in waiting (its new-needs question takes it).
   */
  async newNeedAt(context: TurnContext): Promise<NewNeedOptions | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!text || !readNewNeed(text)) return undefined;
    const dossier = await this.dossier(context);
    if (!dossier || accueilToResume(dossier) || diagnosticToResume(dossier) || (await this.deps.checkins.inTurn(context.turnState).pendingFor(dossier._id))) return undefined;
    return { dossierId: dossier._id, text: text.slice(0, 2000) };
  }

  /**
   * What a message the menu's choices do not take says, set in turnState for routeMenu (true
   * then): « Les Jardins du Lien, asso loi 1901, siret … » introduces the structure (the
   * eligibility path, with what it says); « on a aussi un souci avec notre local » adds to its
   * request waiting for a chargé·e (messageAt); « on a perdu notre subvention principale et on doit
   * licencier » is a first need (firstAnswersAt: the eligibility path with it as the request).
   */
  async introducedOrAdded(context: TurnContext): Promise<boolean> {
    const forAnother = await this.forAnotherAt(context);
    const introduced = forAnother ? undefined : (await this.accueilAnswerAt(context)) ?? introducedAt(context);
    const added = introduced ? undefined : await this.messageAt(context);
    // Words for a request still waiting are not a first need; a closed request's (or declined consent's) may be one.
    const waiting = added && !('refused' in added && added.refused !== 'full');
    const need = introduced ?? (waiting || forAnother ? undefined : await this.firstAnswersAt(context));
    if (forAnother) context.turnState.set(FOR_ANOTHER, true);
    if (need) context.turnState.set(INTRODUCED, need);
    else if (added) context.turnState.set(ADDED_MESSAGE, added);
    return !!need || !!added || forAnother;
  }

  /**
   * Its outcome given (its diagnostic not under way), an answer of the accueil corrected
   * (correctionAfterOutcome: « attendez en fait on a 2 salariés, je me suis trompé »): the recap
   * with it, then the outcome decided again.
   */
  private async correctionAt(context: TurnContext): Promise<AccueilFix | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text?.trim() : undefined;
    if (!text) return undefined;
    const dossier = await this.dossier(context);
    if (!dossier?.decision || accueilToResume(dossier) || diagnosticToResume(dossier)) return undefined;
    return correctionAfterOutcome(text, dossier.answers ?? {});
  }

  /**
   * At the « Bon retour ! » of a structure whose first questions wait, answers to them typed instead
   * of « oui » (« 33800 », « on a 12 salariés »): kept, and the questions go on (accueilAnswersIn).
   */
  private async accueilAnswerAt(context: TurnContext): Promise<AccueilAnswers | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text?.trim() : undefined;
    if (!text) return undefined;
    const dossier = await this.dossier(context);
    if (!dossier || !accueilToResume(dossier) || !accueilStarted(dossier.answers)) return undefined;
    const answers = accueilAnswersIn(text, dossier.answers);
    return Object.keys(answers).length ? answers : undefined;
  }

  /**
   * A structure past its first questions that writes for another one (speaksForAnotherStructure:
   * « un de nos centres sociaux adhérents … a de gros soucis de trésorerie, je fais la demande pour
   * eux »): not its own eligibility to check again — that structure makes its own request.
   */
  private async forAnotherAt(context: TurnContext): Promise<boolean> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!text || !speaksForAnotherStructure(text)) return false;
    const dossier = await this.dossier(context);
    return !!dossier && accueilStarted(dossier.answers ?? {}) && !accueilToResume(dossier);
  }

  /**
   * Words the structure adds at the menu (readsAsMessage: not nonsense, a greeting, thanks nor a
   * mere « ok ») once its request was passed on, for its latest request: read back when it is open
   * or taken up, refused when it is closed or full. Without a dossier, a conversation that
   * declined consent is told nothing is kept; undefined otherwise (the menu's re-prompt).
   */
  private async messageAt(context: TurnContext): Promise<AddedMessageAt | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!text || !readsAsMessage(text)) return undefined;
    const dossier = await this.dossier(context);
    if (!dossier) return (await this.deps.flags.get(context, {})).consentDeclined ? { refused: 'declined' } : undefined;
    const latest = await this.deps.handoffs.latest(dossier._id);
    if (!latest) return undefined;
    const room = messageRoom(latest);
    return room === 'ok' ? { handoffId: latest._id, ...messageText(text) } : { refused: room };
  }

  /**
   * At a welcome that offers a waiting check-in or diagnostic, the answer to its next question
   * typed instead of « oui » (answerAtCheckinOffer, answerAtDiagnosticOffer); undefined for
   * anything else, or when neither is offered.
   */
  async answerAtOffer(context: TurnContext, options: PromptOptions): Promise<EarlyAnswer | undefined> {
    const choices = (options.validations as { choices?: LocalizedChoice[] } | undefined)?.choices ?? [];
    const offered = choices.some((c) => c.key === WAITING.checkin.choice) ? 'checkin' : choices.some((c) => c.key === WAITING.diagnostic.choice) ? 'diagnostic' : undefined;
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!offered || !text) return undefined;
    const dossier = await this.dossier(context);
    if (!dossier) return undefined;
    if (offered === 'diagnostic') {
      const answer = diagnosticToResume(dossier) ? answerAtDiagnosticOffer(text, dossier.diagnostic?.answers ?? {}, etpSaid(dossier.answers?.employees)) : undefined;
      return answer && { to: 'diagnostic', answer };
    }
    const pending = await this.deps.checkins.inTurn(context.turnState).pendingFor(dossier._id);
    const answer = pending ? answerAtCheckinOffer(text, pending.answers ?? {}) : undefined;
    return answer && { to: 'checkin', answer };
  }

  /**
   * A need told at the menu (tellsANeed: « on a perdu notre subvention et on doit licencier »), or
   * a postal code or the staff said alone (factsAlone: « 33000 », « 5 ETP »), by a structure whose
   * accueil has not started: the first answers of its eligibility questions.
   */
  private async firstAnswersAt(context: TurnContext): Promise<AccueilAnswers | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text?.trim() : undefined;
    const first = text && (tellsANeed(text) ? { request: text.slice(0, 4000) } : factsAlone(text));
    if (!first) return undefined;
    const dossier = await this.dossier(context);
    return !dossier || !accueilStarted(dossier.answers ?? {}) ? first : undefined;
  }

  /**
   * The dossier of the person writing, as the menu reads a message (waiting, newNeedAt,
   * answerAtOffer, firstAnswersAt): read once in the turn (TurnReads) — nothing writes it before
   * the menu has chosen where the message goes.
   */
  dossier(context: TurnContext): Promise<Dossier | undefined> {
    return TurnReads.of<Dossier | undefined>(context.turnState, MENU_DOSSIER).read('writer', () => this.deps.dossierOf(context));
  }
}

/** What waits for a structure with no check-in waiting: its diagnostic, its first questions, or else its request. */
export function otherWaitingKind(dossier: Dossier): 'diagnostic' | 'accueil' | 'request' | 'otherDla' | 'outOfScope' {
  if (diagnosticToResume(dossier)) return 'diagnostic';
  if (accueilToResume(dossier)) return 'accueil';
  // Sent to its own DLA by the rules, no chargé·e having decided otherwise after a call.
  if (dossier.decision && onlyOtherDla(dossier.decision) && !dossier.chargeDecision) return 'otherDla';
  // Out of scope, by the rules or by a chargé·e after a call: no request waits, nor a new need to pass on.
  return (dossier.chargeDecision ?? dossier.decision)?.outcome === 'out_of_scope' ? 'outOfScope' : 'request';
}

/**
 * The menu that offers first what waits (WAITING[kind]), then MENU — for a structure whose first
 * questions are behind it (its diagnostic, a check-in or its request waiting), where its request
 * stands, then PAST_ACCUEIL. Not with a request passed on or decided: where it stands is what its
 * welcome, and its passing on, have just said.
 */
export function offerMenu(kind: keyof typeof WAITING): PromptOptions {
  const offer = WAITING[kind];
  const first: LocalizedChoice = { id: offer.id, key: offer.choice, synonyms: [...offer.synonyms] };
  const then = kind === 'accueil' || kind === 'accueilNotStarted' ? MENU
    // Its own DLA, or its postal code corrected; then what this DLA offers anyone: « mes données », the tour, help.
    : kind === 'otherDla' ? [FIX_POSTAL_CODE, ...PAST_ACCUEIL.filter((c) => ['my_data', 'discover', 'help'].includes(c.id))]
    // Out of scope: its answers to correct, a chargé·e (the DLA decides: it may think otherwise), « mes données », the tour, help.
    : kind === 'outOfScope' ? [FIX_ANSWERS, ...PAST_ACCUEIL.filter((c) => ['human', 'my_data', 'discover', 'help'].includes(c.id))]
    : [...(kind === 'request' ? [] : [STATUS_CHOICE]), ...PAST_ACCUEIL];
  return LocalizedChoicePrompt.options('menu.prompt', offer.retry, [first, ...then]);
}

/**
 * « c'est payant le DLA ? », « combien de temps dure un DLA » name the DLA — a word of « Découvrir
 * le DLA » — to ask one simple question (matchFaq): answered, rather than the tour started.
 */
export function asksRatherThanChooses(choice: FoundChoice, text: string | undefined): boolean {
  return (choice.value === 'discover' || choice.value === 'who') && matchFaq(text) !== undefined;
}

/**
 * « je dirige un ESAT de 25 salariés, est-ce que le DLA peut nous accompagner ? » names the DLA — a
 * word of « Découvrir le DLA » — while introducing the structure: the eligibility path with what it
 * says (introducedAt), rather than the tour, which would drop it.
 */
function introducesRatherThanChooses(choice: FoundChoice, context: TurnContext): boolean {
  return choice.value === 'discover' && introducedAt(context) !== undefined;
}

/**
 * « je suis au chômage, je voudrais bosser dans une asso » (seeksAJob): « Qui peut être
 * accompagné ? » — who the DLA is for, and that it finds no job — whatever other choice its words
 * name (« m'aider », « une asso »), rather than a structure's eligibility questions.
 */
function jobSeekerAt(context: TurnContext): FoundChoice | undefined {
  const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
  return text && seeksAJob(normalize(text)) ? { value: 'who', index: -1, score: 1, synonym: text } : undefined;
}

/** Contact details typed alone at the menu (contactAlone), set in turnState for routeMenu; false for any other message. */
function contactAt(context: TurnContext): boolean {
  const point = context.activity.type === ActivityTypes.Message ? contactAlone(context.activity.text) : undefined;
  if (point) context.turnState.set(CONTACT_GIVEN, point);
  return !!point;
}

/** « j'accepte, on a besoin d'aide pour recruter » typed first: its need (without the consent's words), the request of the check it starts (consent asked there, after the notice). */
export function needWithConsentAt(context: TurnContext): AccueilAnswers | undefined {
  const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
  const rest = text && saysConsent(text) ? withoutConsent(text) : undefined;
  return rest && rest !== text && tellsANeed(rest) ? { request: rest.slice(0, 4000) } : undefined;
}

/** What a message introducing the structure says of it (introducedStructure), if it is one. */
export function introducedAt(context: TurnContext): AccueilAnswers | undefined {
  return context.activity.type === ActivityTypes.Message && context.activity.text ? introducedStructure(context.activity.text) : undefined;
}
