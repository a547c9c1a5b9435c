import { ActivityTypes, MessageFactory, TurnContext } from 'botbuilder';
import { doNotLog } from '../src/handoff/transcriptLogger';
import {
  ComponentDialog, DialogContext, DialogInstance, DialogTurnResult, DialogTurnStatus, FoundChoice, PromptOptions, WaterfallDialog, WaterfallStepContext,
} from 'botbuilder-dialogs';
import { GlobalCommand, isCourtesy, isGreeting, matchGlobalCommand } from '../src/domain/commands';
import { Language } from '../src/i18n';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import type { Handoff } from '../src/handoff/types';
import { PrivacyService } from '../src/store/privacy';
import { answerAtDiagnosticOffer, remainingQuestions } from '../src/domain/diagnosticForm';
import { AccueilAnswers, accueilStarted, etpSaid, identifiersText, introducedStructure, nameAndIdentifiers, remainingQuestions as accueilQuestionsLeft, onlyOtherDla, withAnswers } from '../src/domain/accueilForm';
import { parseContactPoint } from '../src/domain/contact';
import { reachable as reachableContact } from '../src/domain/callBack';
import { outsideTerritory } from '../src/domain/eligibility';
import { seeksAJob } from '../src/domain/legalForm';
import { normalize } from '../src/domain/text';
import { ACCUEIL_DIALOG, AccueilDeps, AccueilDialog, AccueilOptions, accueilToResume, anonymousAnswers, diagnosticToResume } from './accueilDialog';
import { answerConsentQuestions, consentAsked, ConsentAskedFor, consentQuestionsAt, noticeKnownStructure } from './consent';
import { saysConsent } from '../src/domain/consentAnswer';
import { HANDOFF_CONTACT_DIALOG, HandoffContactDialog, HandoffContactOptions, HandOverReason, operatorReach, passOnWithoutContact, SUBJECT_PROMPT } from './handoffContactDialog';
import { MY_DATA_DIALOG, MyDataDialog } from './myDataDialog';
import { CONTACT_CHANGE_DIALOG, ContactChangeDialog, ContactChangeOptions } from './contactChangeDialog';
import { contactAlone, readContactChange } from '../src/domain/contactChange';
import { NEED_PROMPT, NEW_NEED_DIALOG, NewNeedDialog, NewNeedOptions } from './newNeedDialog';
import { HANDOFF_MESSAGE_DIALOG, HandoffMessageDialog, HandoffMessageOptions, HandoffMessageResult } from './handoffMessageDialog';
import { messageRoom, MESSAGES_MAX, messageText, readsAsMessage } from '../src/domain/handoffMessage';
import { readNewNeed, tellsANeed } from '../src/domain/newNeed';
import { writesEnglish } from '../src/domain/language';
import { CHECKIN_DIALOG, CheckinDialog, CheckinOptions, CheckinResult, checkinQuestionAsked, passOnNeedsAtOptOut } from './checkinDialog';
import { answerAtCheckinOffer, CHECKIN_SLOTS, checkinCommand } from '../src/domain/checkinForm';
import { checkinAnswerText } from '../src/domain/checkinAnswers';
import { formatDay } from '../src/handoff/render';
import type { Translate } from '../src/i18n';
import { CheckinAnswers, CheckinState } from '../src/followup/checkinAnswers';
import { TurnReads } from '../src/followup/turnReads';
import { DIAGNOSTIC_DIALOG } from './diagnosticDialog';
import { DISCOVER_DIALOG, DISCOVER_NEXT_PROMPT, DiscoverDialog } from './discoverDialog';
import { FaqTopic, matchFaq, matchFaqAtQuestion } from '../src/domain/faq';
import { LocalizedChoice, LocalizedChoicePrompt, YES } from './localizedChoicePrompt';
import { NextCheckin, statusOf } from './requestStatus';
import { StateAccessors } from './state';
import { markHandsOverIfMisunderstood, markLanguageSwitched, setTurnLanguage, tr, turnLanguage, wasReprompted } from './turnLocale';

export const MAIN_DIALOG = 'main';
const FLOW = 'main.flow';
const MENU_PROMPT = 'main.menu';

export interface MainDialogSettings {
  operatorName: string;
}

export interface MainDialogDeps extends AccueilDeps {
  privacy: PrivacyService;
  checkins: CheckinAnswers;
  /** The follow-up schedule: an opt-out stops every planned or sent check-in of the dossier. */
  followup: NextCheckin & { optOut(dossierId: string): Promise<number>; isOptedOut(dossierId: string): Promise<boolean> };
  /** Conversations that declined consent: what they hold is erased after a delay, unless consent is given meanwhile. */
  noConsent?: { declined(channelId: string, conversationId: string): Promise<void>; given(channelId: string, conversationId: string): Promise<void> };
}

const MENU = [
  { id: 'eligibility', key: 'menu.eligibility', synonyms: ['eligibilite', 'eligible', 'eligibles', 'verifier', 'accompagnement', 'etre accompagne', 'etre accompagnes', 'etre accompagnee', 'etre accompagnees',
    // The word is often typed with one c (« on peut être acompagné ? »).
    'acompagnement', 'etre acompagne', 'etre acompagnes', 'etre acompagnee', 'etre acompagnees', 'nous accompagner', 'nous acompagner', 'check', 'support',
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
const WAITING = {
  checkin: { id: 'resume', choice: 'menu.resumeCheckin', retry: 'menu.retryCheckin', synonyms: [...YES, 'repondre', 'point de suivi', 'answer', 'check-in'] },
  diagnostic: { id: 'resume', choice: 'menu.resumeDiagnostic', retry: 'menu.retryDiagnostic', synonyms: [...YES, 'diagnostic', 'diagnosis'] },
  accueil: { id: 'resume', choice: 'menu.resumeAccueil', retry: 'menu.retryAccueil', synonyms: [...YES, 'continuer', 'continue'] },
  // A dossier made by an early « parler à un·e chargé·e »: nothing of the accueil answered yet.
  accueilNotStarted: { id: 'resume', choice: 'menu.startAccueil', retry: 'menu.retryStartAccueil', synonyms: [...YES, 'commencer', 'start'] },
  request: { id: 'newNeed', choice: 'menu.newNeed', retry: 'menu.retryRequest', synonyms: ['nouveau besoin', 'autre besoin', 'new need', 'another need'] },
} as const;

/** Where the structure's request stands (its title is the command's words too). */
const STATUS_CHOICE = { id: 'status', key: 'menu.status' };

/**
 * After what waits for a structure past its first questions (a check-in, its diagnostic, what
 * follows its request): a chargé·e, « mes données » (their titles are the commands' words too),
 * then the rest of MENU — checking its eligibility again, done already, last but help.
 */
const PAST_ACCUEIL = [{ id: 'human', key: 'menu.human' }, { id: 'my_data', key: 'menu.myData' },
  ...['discover', 'who', 'eligibility', 'help'].map((id) => MENU.find((c) => c.id === id)!)];

/** turnState key of the waiting check-in's or diagnostic's next question answered at the welcome (answerAtOffer). */
const EARLY_ANSWER = Symbol('main.earlyAnswer');

/** The next question of what waits (a check-in, a diagnostic) answered at the welcome that offers it. */
interface EarlyAnswer {
  to: 'checkin' | 'diagnostic';
  answer: { key: string; value: unknown };
}

/** turnState key of the answers a message introducing the structure gave at the menu (introducedAt): the accueil takes them. */
const INTRODUCED = Symbol('main.introduced');

/** turnState key of a new need said at the menu (newNeedAt): NewNeedDialog takes it. */
const NEW_NEED = Symbol('main.newNeed');

/** turnState key of contact details typed alone at the menu (contactAlone): ContactChangeDialog asks to confirm them. */
const CONTACT_GIVEN = Symbol('main.contactGiven');

/** turnState key of words added at the menu to the structure's request passed on (messageAt): HandoffMessageDialog takes them. */
const ADDED_MESSAGE = Symbol('main.addedMessage');

/**
 * Words the structure adds at the menu once its request was passed on (messageAt): read back
 * for its request open or taken up; refused for one closed (a new need or a new request
 * offered instead) or full; nothing kept without consent.
 */
type AddedMessageAt = HandoffMessageOptions | { refused: 'closed' | 'full' | 'declined' };

/** FLOW's options: after a message a closed request could not take, the menu offers a new need and a new request first. */
interface MenuOptions {
  offerNewRequest?: boolean;
  /** The message that brought the menu back (nothing was active: after « pause », « Plus tard »…) is read as a first message is. */
  readMessage?: boolean;
}

/** turnState key of the dossier the menu reads a message with (menuDossier). */
const MENU_DOSSIER = Symbol('main.menuDossier');

/** After this many consecutive misunderstood answers, a chargé·e takes over. */
const MAX_MISUNDERSTOOD = 3;

/**
 * The root dialog: welcomes, routes, and owns the commands available at every step
 * (aide, recommencer, English / français), like core-bot's CancelAndHelpDialog.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly state: StateAccessors, private readonly settings: MainDialogSettings, private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    // « on a embauché 2 personnes » at a welcome that offers a waiting check-in, « environ
    // 200 000 € » at one that offers a waiting diagnostic: a « oui », with that answer to its next
    // question (as « On commence ? » takes the diagnostic's first).
    // « on a un nouveau besoin : … » from a structure the DLA already knows: before the menu's
    // choices, whose eligibility choice reads « besoin d'aide pour … » as a first request.
    this.addDialog(new LocalizedChoicePrompt(MENU_PROMPT, async (pc) => {
      const need = await this.newNeedAt(pc.context);
      if (need) {
        pc.context.turnState.set(NEW_NEED, need);
        return true;
      }
      if (contactAt(pc.context)) return true;
      const jobSeeker = jobSeekerAt(pc.context);
      if (jobSeeker) Object.assign(pc.recognized, { succeeded: true, value: jobSeeker });
      if (pc.recognized.succeeded && !introducesRatherThanChooses(pc.recognized.value!, pc.context)) return true;
      const early = await this.answerAtOffer(pc.context, pc.options);
      if (early) pc.context.turnState.set(EARLY_ANSWER, early);
      return early !== undefined || await this.introducedOrAdded(pc.context);
    }));
    this.addDialog(new DiscoverDialog());
    const onConsent = (context: TurnContext, given: boolean, askedFor: ConsentAskedFor) => this.noteConsent(context, given, askedFor);
    this.addDialog(new AccueilDialog({ ...deps, onConsent, answeredWithoutConsent: (context, answers) => this.keepUntilConsent(context, answers) }));
    this.addDialog(new MyDataDialog(deps.privacy, deps.settings));
    this.addDialog(new HandoffContactDialog({
      dossiers: deps.dossiers,
      settings: deps.settings,
      forgetConversation: deps.forgetConversation,
      onConsent,
      // The dossier it just saved the contact on: only its latest handoff is still to read.
      handOver: async (dc, reason, dossier, misunderstood, reachable, subject) => this.handOver(dc, reason,
        await this.requestOfDossier(dossier), { misunderstood, contactJustGiven: true, reachable, subject }),
      contactAsked: (context) => this.restartMisunderstood(context),
    }));
    this.addDialog(new ContactChangeDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, now: deps.now }));
    this.addDialog(new NewNeedDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, settings: deps.settings }));
    this.addDialog(new HandoffMessageDialog({ handoffs: deps.handoffs, settings: deps.settings }));
    this.addDialog(new CheckinDialog({ checkins: deps.checkins, dossiers: deps.dossiers, handoffs: deps.handoffs, settings: deps.settings }));
    this.addDialog(new WaterfallDialog(FLOW, [this.askMenu.bind(this), this.routeMenu.bind(this), this.loop.bind(this)]));
    this.initialDialogId = FLOW;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    await this.keepNothingIfDeclined(innerDc.context);
    // A proactive check-in starts its own conversation flow (the bot opened the conversation).
    const checkin = (options as { checkin?: CheckinOptions } | undefined)?.checkin;
    if (checkin) return innerDc.beginDialog(CHECKIN_DIALOG, { ...checkin, intro: true });
    // A first message may itself be a language choice ("English"): honour it before welcoming.
    const command = this.commandOf(innerDc);
    if (command?.startsWith('language_')) await this.switchLanguage(innerDc, command, false);
    // Any other command (after an erasure, a purge, or as a first message) is answered as usual.
    else if (command) return this.onContinueDialog(innerDc);
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    await this.keepNothingIfDeclined(innerDc.context);
    const command = this.commandOf(innerDc);
    const t = tr(innerDc.context);
    switch (command) {
      case 'pause':
        // At the contact asked for a check-in's new needs: one message, the check-in's pause with
        // its needs not passed on yet (« reprendre » asks the contact only).
        if (checkinContactAsked(innerDc)) {
          await innerDc.context.sendActivity(MessageFactory.suggestedActions([t('diagnostic.resumeButton')], t('checkin.pausedAtContact')));
          await innerDc.cancelAllDialogs();
          return { status: DialogTurnStatus.waiting };
        }
        // A request for a chargé·e waiting for its contact is not passed on: said so, not dropped silently.
        if (inStack(innerDc, HANDOFF_CONTACT_DIALOG)) await innerDc.context.sendActivity(t('handoffUser.contact.notSent'));
        // Everything answered is already stored: stop here, say how to come back (a check-in, also how
        // to stop them). Nothing stored yet (« plus tard » at the first menu, before consent): said so.
        if (!(await this.dossierOf(innerDc))) await innerDc.context.sendActivity(t('pausedNothingKept'));
        else {
          await innerDc.context.sendActivity(MessageFactory.suggestedActions([t('diagnostic.resumeButton')],
            t(innerDc.stack.some((d) => d.id === CHECKIN_DIALOG) ? 'checkin.paused' : 'diagnostic.paused')));
        }
        await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.waiting };
      case 'resume':
        await innerDc.cancelAllDialogs();
        // Nothing to resume: said so, and the menu follows (the next message is not lost).
        return this.orMenu(innerDc, await this.resume(innerDc));
      // These answer, then the structure goes on where it was (a question is asked again).
      case 'opt_out':
        // At the contact asked for a check-in's new needs: opting out of check-ins is not
        // withdrawing them — the check-in ends and passes them on without a contact (the
        // operator's contact given instead), then the opt-out is noted.
        if (checkinContactAsked(innerDc)) {
          passOnWithoutContact(innerDc.context);
          const result = await super.onContinueDialog(innerDc);
          await this.optOut(innerDc);
          return this.orMenu(innerDc, result);
        }
        // « Parler à un·e chargé·e » in the middle of a check-in, its contact asked: the request is
        // not withdrawn either — passed on now without a contact (asking for it again would be the
        // very chasing the structure asks to stop), with the needs already given, in one message.
        if (requestContactInCheckin(innerDc)) {
          const request = await this.requestOf(innerDc);
          await this.passOnCheckinNeeds(innerDc, false);
          await this.handOver(innerDc, 'user_request', request, { reachable: false });
          await this.optOut(innerDc);
          return this.backToMenu(innerDc);
        }
        // Needs already given in a check-in still open (paused at its contact, or left for
        // « parler à un·e chargé·e » in the middle of it): passed on too, before the check-ins stop.
        await this.passOnCheckinNeeds(innerDc);
        await this.optOut(innerDc);
        // A check-in being answered stops with it; any other question goes on.
        return innerDc.stack.some((d) => d.id === CHECKIN_DIALOG) ? this.backToMenu(innerDc) : this.goOn(innerDc);
      case 'human': {
        if (inStack(innerDc, HANDOFF_CONTACT_DIALOG)) return this.goOn(innerDc);
        return (await this.askForChargee(innerDc)) ?? this.goOn(innerDc);
      }
      case 'status':
        await this.tellStatus(innerDc);
        return this.goOn(innerDc);
      case 'contact':
        // On top of the current question, as « mes données »: asked again once the contact is corrected.
        return this.orMenu(innerDc, await this.changeContact(innerDc));
      case 'my_data':
        // On top of the current question: after an export (or « annuler ») it is asked again;
        // an erasure ends every dialog (MyDataDialog).
        return this.orMenu(innerDc, await innerDc.beginDialog(MY_DATA_DIALOG));
      case 'help':
        // The way out the misunderstanding offered (« vous pouvez écrire « aide » »), taken: the
        // next answer is not the third misunderstanding in a row (« ok » after reading the help).
        await this.restartMisunderstood(innerDc.context);
        // In a check-in, what it is and how to answer it (the menu's help would present the DLA).
        await innerDc.context.sendActivity(t(innerDc.stack.some((d) => d.id === CHECKIN_DIALOG) ? 'checkin.help' : 'help'));
        return this.goOn(innerDc);
      case 'restart':
        // The answers are kept only with consent: someone who declined (or never got that far) is not told otherwise.
        await innerDc.context.sendActivity(t(await this.dossierOf(innerDc) ? 'restarted'
          : (await this.state.flags.get(innerDc.context, {})).consentDeclined ? 'restartedNothingKept' : 'restartedEmpty'));
        await this.state.flags.set(innerDc.context, { ...(await this.state.flags.get(innerDc.context, {})), answersWithoutConsent: undefined });
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(FLOW);
      case 'language_en':
      case 'language_fr':
      case 'language_toggle':
        await this.switchLanguage(innerDc, command, true);
        return this.goOn(innerDc);
      default: {
        // « c'est bon, j'accepte » after declining, at the menu or at any question: consent given,
        // and what it was declined for goes on — the accueil, or the request for a chargé·e (its
        // subject when nothing was answered, its contact, then the handoff).
        const declinedFor = await this.consentGivenAfterDecline(innerDc);
        if (declinedFor) {
          // The questions still running, or those an outcome was given on.
          const answers = anonymousAnswers(innerDc) ?? (await this.state.flags.get(innerDc.context, {})).answersWithoutConsent;
          await innerDc.cancelAllDialogs();
          if (declinedFor === 'handoffContact') {
            return innerDc.beginDialog(HANDOFF_CONTACT_DIALOG, { reason: 'user_request', askSubject: !accueilStarted(answers ?? {}), consentGiven: { answers } } satisfies HandoffContactOptions);
          }
          return innerDc.beginDialog(ACCUEIL_DIALOG, { consentGiven: { answers } } satisfies AccueilOptions);
        }
        // Someone writing in English to a French conversation: told once how to switch; what they wrote is read as usual.
        await this.offerEnglish(innerDc.context);
        // After a pause nothing is active: the message is read as a first one (a contact, a need, a
        // question, a menu choice in words), or brings the menu back (never silence).
        if (!innerDc.activeDialog) return innerDc.beginDialog(FLOW, { readMessage: true } satisfies MenuOptions);
        // « merci, bonne journée » at the menu (after a check-in, a request passed on): answered, no misunderstanding.
        if (innerDc.activeDialog.id === MENU_PROMPT && innerDc.context.activity.type === ActivityTypes.Message && isCourtesy(innerDc.context.activity.text)) {
          await innerDc.context.sendActivity(t('courtesy'));
          return { status: DialogTurnStatus.waiting };
        }
        // « combien de temps ? », « qui voit mes données ? » at the consent question: answered, then consent asked again.
        const aboutConsent = innerDc.context.activity.type === ActivityTypes.Message ? consentQuestionsAt(innerDc) : [];
        if (aboutConsent.length) {
          await answerConsentQuestions(innerDc.context, aboutConsent, this.deps.settings);
          return this.goOn(innerDc);
        }
        // « bonjour » alone (before saying more, or back after a while): greeted, then the menu or
        // the question asked again — never taken as an answer (a structure named « bonjour »), never a misunderstanding.
        if (this.greetingAt(innerDc)) {
          await innerDc.context.sendActivity(t('greeting'));
          return this.goOn(innerDc);
        }
        // « attendez, j'ai retrouvé notre siret : 443 061 841 00047 » at a contact question, or at the
        // menu once the request is passed on: noted, then the contact or the menu again.
        if (await this.identifiersGivenLater(innerDc)) return this.goOn(innerDc);
        // « c'est payant ? » at the menu, during « Découvrir le DLA » or at a question: answered, then the menu, the tour or the question goes on.
        const faq = this.faqAt(innerDc);
        if (faq) {
          await this.answerFaq(innerDc, faq);
          return this.goOn(innerDc);
        }
        const before = await this.state.flags.get(innerDc.context, {});
        if ((before.misunderstood ?? 0) >= MAX_MISUNDERSTOOD - 1) markHandsOverIfMisunderstood(innerDc.context, before.misunderstoodTexts);
        const result = await super.onContinueDialog(innerDc);
        const misunderstood = await this.countMisunderstood(innerDc);
        if (misunderstood !== undefined) {
          const request = await this.requestOf(innerDc);
          const dossierId = awaitingContact(request);
          if (!dossierId) {
            await this.handOver(innerDc, 'not_understood', request, { misunderstood });
            return this.backToMenu(innerDc);
          }
          // The menu comes back once the contact is given and the request passed on.
          await innerDc.cancelAllDialogs();
          return innerDc.beginDialog(HANDOFF_CONTACT_DIALOG, { dossierId, reason: 'not_understood', misunderstood } satisfies HandoffContactOptions);
        }
        // A flow started by a command (« reprendre », « mes données ») or a proactive check-in ended: back to the menu.
        return result.status === DialogTurnStatus.complete ? innerDc.beginDialog(FLOW, menuAfter(result.result)) : result;
      }
    }
  }

  /**
   * After consent was declined in this conversation, and until it is given, a turn leaves no
   * transcript — whatever it is (an answer, « parler à un conseiller », « aide »), README § Privacy.
   */
  private async keepNothingIfDeclined(context: TurnContext): Promise<void> {
    if ((await this.state.flags.get(context, {})).consentDeclined) doNotLog(context);
  }

  /**
   * The message gives consent (saysConsent) in a conversation that declined it, and no consent
   * question is asking it: what the consent declined was asked for; undefined otherwise.
   */
  private async consentGivenAfterDecline(dc: DialogContext): Promise<ConsentAskedFor | undefined> {
    const { activity } = dc.context;
    if (activity.type !== ActivityTypes.Message || !saysConsent(activity.text) || consentAsked(dc)) return undefined;
    const flags = await this.state.flags.get(dc.context, {});
    return flags.consentDeclined ? flags.consentDeclinedFor ?? 'accueil' : undefined;
  }

  /** The answers an outcome was given on without consent: in this conversation's state only, until consent is given or « recommencer ». */
  private async keepUntilConsent(context: TurnContext, answers: AccueilAnswers): Promise<void> {
    await this.state.flags.set(context, { ...(await this.state.flags.get(context, {})), answersWithoutConsent: answers });
  }

  private async noteConsent(context: TurnContext, given: boolean, askedFor: ConsentAskedFor): Promise<void> {
    const flags = await this.state.flags.get(context, {});
    flags.consentDeclined = !given;
    flags.consentDeclinedFor = given ? undefined : askedFor;
    if (given) flags.answersWithoutConsent = undefined;
    await this.state.flags.set(context, flags);
    const { channelId, conversation } = context.activity;
    await (given ? this.deps.noConsent?.given(channelId, conversation.id) : this.deps.noConsent?.declined(channelId, conversation.id));
  }

  /**
   * Three misunderstood answers in a row: a chargé·e should take over rather than loop. Returns
   * what was not understood when that happens (the chargé·e reads it), else undefined.
   */
  private async countMisunderstood(dc: DialogContext): Promise<string | undefined> {
    const flags = await this.state.flags.get(dc.context, {});
    const reprompted = wasReprompted(dc.context);
    flags.misunderstood = reprompted ? (flags.misunderstood ?? 0) + 1 : 0;
    // Kept for the chargé·e only with consent: a declined conversation stores nothing it says.
    flags.misunderstoodTexts = reprompted && !flags.consentDeclined ? [...(flags.misunderstoodTexts ?? []), (dc.context.activity.text ?? '').slice(0, 500)].slice(-MAX_MISUNDERSTOOD) : [];
    await this.state.flags.set(dc.context, flags);
    if (flags.misunderstood < MAX_MISUNDERSTOOD) return undefined;
    const said = flags.misunderstoodTexts;
    flags.misunderstood = 0;
    flags.misunderstoodTexts = [];
    return said.join('\n');
  }

  /** The misunderstanding count starts again (a new question asked on purpose: the contact for a chargé·e). */
  private async restartMisunderstood(context: TurnContext): Promise<void> {
    const flags = await this.state.flags.get(context, {});
    flags.misunderstood = 0;
    flags.misunderstoodTexts = [];
    await this.state.flags.set(context, flags);
  }

  /** The structure's dossier and its latest handoff: read once, for the decision and the handoff. */
  private async requestOf(dc: DialogContext): Promise<StructureRequest> {
    return this.requestOfDossier(await this.dossierOf(dc));
  }

  private async requestOfDossier(dossier: Dossier | undefined): Promise<StructureRequest> {
    return { dossier, latest: dossier ? await this.deps.handoffs.latest(dossier._id) : undefined };
  }

  /**
   * Creates a handoff for the structure's dossier, or says how to reach the operator. Its message
   * is what the chargé·e needs: the answers that were not understood, or the structure's request
   * in its own words (« parler à un humain » itself says nothing). An urgent request already
   * waiting for a chargé·e is not stacked with another: the structure is told where it stands.
   */
  private async handOver(dc: DialogContext, reason: HandOverReason, { dossier, latest }: StructureRequest, how: HandOverOptions = {}): Promise<void> {
    const { misunderstood, contactJustGiven = false, reachable = true, subject } = how;
    const t = tr(dc.context);
    // Without a configured contact, the national directory of DLA says how to reach the operator.
    const vars = operatorReach(t, this.deps.settings);
    if (!dossier) {
      await dc.context.sendActivity(t(reason === 'user_request' ? 'handoffUser.noDossier' : 'handoffUser.notUnderstoodNoDossier', vars));
      return;
    }
    // Passed on without an e-mail nor a phone, one given now: the same request gets it, and the
    // call back is promised from today (no second handoff).
    const contact = dossier.answers?.contact;
    if (latest && waitingWithoutContact(latest) && contactJustGiven && reachable && reachableContact(contact)) {
      await this.deps.handoffs.addContact(latest, { name: contact!.name, email: contact!.email, phone: contact!.phone });
      await dc.context.sendActivity(t('handoffUser.requested', vars));
      await dc.context.sendActivity(this.deps.handoffs.whatNext(t));
      return;
    }
    if (waitingForChargee(latest) || (latest && waitingWithoutContact(latest))) {
      await this.sayStatus(dc, dossier, latest);
      return;
    }
    // Right after the contact was asked, « je passe la main » was already said: the request is passed on.
    // Without an e-mail or a phone, it goes too, but no call back is promised: the operator's contact instead.
    // From outside the operator's territory, it goes without a promised call back nor urgency: the
    // operator cannot accompany the structure itself (DOMAIN.md § Eligibility 5), and says so.
    const elsewhere = reachable && outsideTerritory(dossier.departement ?? dossier.answers?.location?.departement, this.deps.settings.territory);
    const said = elsewhere ? elsewhereKey(dossier) : !reachable ? 'handoffUser.requestedUnreachable' : reason === 'user_request' || contactJustGiven ? 'handoffUser.requested' : 'handoffUser.notUnderstood';
    await dc.context.sendActivity(t(said, vars));
    // Asked in the middle of a check-in: said so, with what the structure answered there (not its accueil request of months ago).
    const checkin = reason === 'user_request' && inStack(root(dc), CHECKIN_DIALOG) ? await this.pendingCheckin(dc.context, dossier) : undefined;
    const message = reason === 'not_understood' ? misunderstood
      : checkin ? askedInCheckin(t, checkin, this.deps.settings.timeZone ?? 'Europe/Paris', this.deps.now?.() ?? new Date()) : dossier.answers?.request ?? subject;
    await this.deps.handoffs.trigger(dc.context, reason, dossier, message, elsewhere ? 'normal' : undefined);
    if (reachable && !elsewhere) await dc.context.sendActivity(this.deps.handoffs.whatNext(t));
  }

  /**
   * A simple question on the DLA (matchFaq) asked at the menu or at the tour's « étape suivante ? »,
   * or asked as a question at a question of the accueil or the diagnostic, or at a request's
   * subject or new need (matchFaqAtQuestion),
   * when it is none of the choices offered there; undefined otherwise.
   */
  private faqAt(dc: DialogContext): FaqTopic | undefined {
    const { activity } = dc.context;
    if (activity.type !== ActivityTypes.Message) return undefined;
    const { deepest, active, inForm } = questionAsked(dc);
    if (!active || (active.id !== MENU_PROMPT && active.id !== DISCOVER_NEXT_PROMPT && !inForm)) return undefined;
    const options = (active.state as { options?: PromptOptions }).options;
    const choice = options && deepest.findDialog(active.id) instanceof LocalizedChoicePrompt ? LocalizedChoicePrompt.match(dc.context, options) : undefined;
    if (choice && !asksRatherThanChooses(choice, activity.text)) return undefined;
    if (!inForm) return matchFaq(activity.text);
    return matchFaqAtQuestion(activity.text, promptValidations(active).data?.slot);
  }

  /**
   * A SIRET or RNA found once the accueil's questions are over: typed at a contact question
   * (without a contact in it), or at the menu by a structure whose request is passed on and whose
   * number was not known. Kept on the dossier — the chargé·e reads it there; at the menu, added to
   * the open request too, the chargé·es already notified told — and said; true when so.
   */
  private async identifiersGivenLater(dc: DialogContext): Promise<boolean> {
    const { activity } = dc.context;
    const text = activity.text ?? '';
    if (activity.type !== ActivityTypes.Message || parseContactPoint(text)) return false;
    const atMenu = questionAsked(dc).active?.id === MENU_PROMPT;
    if (!atMenu && !contactQuestionAsked(dc)) return false;
    const { identifiers } = nameAndIdentifiers(text);
    const dossier = identifiers ? await this.dossierOf(dc) : undefined;
    if (!identifiers || !dossier) return false;
    if (atMenu) {
      const known = dossier.answers.identifiers;
      const { latest } = await this.requestOfDossier(dossier);
      if (known?.siret || known?.rna || accueilToResume(dossier) || !latest || latest.status === 'closed') return false;
      await this.deps.handoffs.addMessage(latest._id, text.trim());
    }
    dossier.answers = withAnswers(dossier.answers, { identifiers });
    if (identifiers.siret) await noticeKnownStructure(dc.context, this.deps, dossier, identifiers.siret);
    await this.deps.dossiers.save(dossier, dc.context);
    await dc.context.sendActivity(tr(dc.context)('accueil.identifiers.notedForChargee', { value: identifiersText(identifiers) }));
    return true;
  }

  /**
   * « bonjour » alone at the plain menu or at a question of the accueil or the diagnostic (where it
   * could be kept as an answer). The welcome's offer of what waits and the check-in say themselves
   * how to answer a greeting.
   */
  private greetingAt(dc: DialogContext): boolean {
    const { activity } = dc.context;
    if (activity.type !== ActivityTypes.Message || !isGreeting(activity.text)) return false;
    const { active, inForm } = questionAsked(dc);
    if (inForm) return true;
    return active?.id === MENU_PROMPT && promptValidations(active).retryKey === 'menu.retry';
  }

  /**
   * A need told at the menu (tellsANeed: « on a perdu notre subvention et on doit licencier ») by a
   * structure whose accueil has not started: the request of its eligibility questions.
   */
  private async firstNeedAt(context: TurnContext): Promise<AccueilAnswers | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text?.trim() : undefined;
    if (!text || !tellsANeed(text)) return undefined;
    const dossier = await this.menuDossier(context);
    return !dossier || !accueilStarted(dossier.answers ?? {}) ? { request: text.slice(0, 4000) } : undefined;
  }

  private async answerFaq(dc: DialogContext, topic: FaqTopic): Promise<void> {
    const { context } = dc;
    // « quand est-ce qu'on va m'appeler ? », and « et maintenant ? » from a structure with a file:
    // where its request stands (none yet: how to make one).
    if (topic === 'callback' || topic === 'next') {
      // The dossier the menu read this turn (nothing has written it yet): not read a second time.
      const dossier = await this.menuDossier(context);
      if (topic === 'callback' || dossier) return this.sayStatus(dc, dossier, (await this.requestOfDossier(dossier)).latest);
    }
    // What is kept, how long and who sees it: the consent question's answers.
    if (topic === 'data') return answerConsentQuestions(context, ['how_long', 'who'], this.deps.settings);
    // « Qui peut être accompagné ? » is the menu's own answer.
    const t = tr(context);
    await context.sendActivity(t(topic === 'who' ? 'who' : topic === 'next' ? 'faq.start' : `faq.${topic}`, operatorReach(t, this.deps.settings)));
  }

  /**
   * The dossier of the person writing, as the menu reads a message (waiting, newNeedAt,
   * answerAtOffer, firstNeedAt): read once in the turn (TurnReads) — nothing writes it before
   * the menu has chosen where the message goes.
   */
  private menuDossier(context: TurnContext): Promise<Dossier | undefined> {
    return TurnReads.of<Dossier | undefined>(context.turnState, MENU_DOSSIER).read('writer', () => this.dossierOf(context));
  }

  /** The dossier of the person writing (by channel user), if any. */
  private dossierOf(dc: DialogContext | TurnContext): Promise<Dossier | undefined> {
    const { channelId, from } = ('context' in dc ? dc.context : dc).activity;
    return this.deps.dossiers.findByKey(DossierRepository.userKey(channelId, from.id));
  }

  /** The dossier's check-in waiting for answers (pendingFor), read once in the turn however many steps ask. */
  private pendingCheckin(context: TurnContext, dossier: Dossier): Promise<CheckinState | undefined> {
    return this.deps.checkins.inTurn(context.turnState).pendingFor(dossier._id);
  }

  /**
   * « Reprendre »: the check-in sent and not answered (`firstAnswer`: its next question answered at
   * the welcome), else where the structure stopped (AccueilDialog; it says when there is nothing).
   */
  private async resume(dc: DialogContext, firstAnswer?: CheckinOptions['firstAnswer']): Promise<DialogTurnResult> {
    const dossier = await this.dossierOf(dc);
    const pending = dossier && (await this.pendingCheckin(dc.context, dossier))?._id;
    if (pending) return dc.beginDialog(CHECKIN_DIALOG, { checkinId: pending, ...(firstAnswer ? { firstAnswer } : { resumed: true }) } satisfies CheckinOptions);
    return dc.beginDialog(ACCUEIL_DIALOG, { resume: true });
  }

  /**
   * A new need said at the menu (readNewNeed) by a structure whose accueil and diagnostic are
   * behind it: undefined for a first-time visitor (the menu's eligibility choice is the way in),
   * a structure with its accueil or diagnostic to finish (« reprendre » takes it there), or one
   * with a check-in waiting (its new-needs question takes it).
   */
  private async newNeedAt(context: TurnContext): Promise<NewNeedOptions | undefined> {
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!text || !readNewNeed(text)) return undefined;
    const dossier = await this.menuDossier(context);
    if (!dossier || accueilToResume(dossier) || diagnosticToResume(dossier) || (await this.pendingCheckin(context, dossier))) return undefined;
    return { dossierId: dossier._id, text: text.slice(0, 2000) };
  }

  /**
   * What a message the menu's choices do not take says, set in turnState for routeMenu (true
   * then): « Les Jardins du Lien, asso loi 1901, siret … » introduces the structure (the
   * eligibility path, with what it says); « on a aussi un souci avec notre local » adds to its
   * request waiting for a chargé·e (messageAt); « on a perdu notre subvention principale et on doit
   * licencier » is a first need (firstNeedAt: the eligibility path with it as the request).
   */
  private async introducedOrAdded(context: TurnContext): Promise<boolean> {
    const introduced = introducedAt(context);
    const added = introduced ? undefined : await this.messageAt(context);
    // Words for a request still waiting are not a first need; a closed request's (or declined consent's) may be one.
    const waiting = added && !('refused' in added && added.refused !== 'full');
    const need = introduced ?? (waiting ? undefined : await this.firstNeedAt(context));
    if (need) context.turnState.set(INTRODUCED, need);
    else if (added) context.turnState.set(ADDED_MESSAGE, added);
    return !!need || !!added;
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
    const dossier = await this.menuDossier(context);
    if (!dossier) return (await this.state.flags.get(context, {})).consentDeclined ? { refused: 'declined' } : undefined;
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
  private async answerAtOffer(context: TurnContext, options: PromptOptions): Promise<EarlyAnswer | undefined> {
    const choices = (options.validations as { choices?: LocalizedChoice[] } | undefined)?.choices ?? [];
    const offered = choices.some((c) => c.key === WAITING.checkin.choice) ? 'checkin' : choices.some((c) => c.key === WAITING.diagnostic.choice) ? 'diagnostic' : undefined;
    const text = context.activity.type === ActivityTypes.Message ? context.activity.text : undefined;
    if (!offered || !text) return undefined;
    const dossier = await this.menuDossier(context);
    if (!dossier) return undefined;
    if (offered === 'diagnostic') {
      const answer = diagnosticToResume(dossier) ? answerAtDiagnosticOffer(text, dossier.diagnostic?.answers ?? {}, etpSaid(dossier.answers?.employees)) : undefined;
      return answer && { to: 'diagnostic', answer };
    }
    const pending = await this.pendingCheckin(context, dossier);
    const answer = pending ? answerAtCheckinOffer(text, pending.answers ?? {}) : undefined;
    return answer && { to: 'checkin', answer };
  }

  /**
   * What « reprendre » would bring back to a structure opening a new conversation, or else where
   * its request stands (as « où en est ma demande ? » says it): told at the welcome. `back`: the
   * structure is greeted « Bon retour ! » — its request was passed on (where it stands is said
   * first), or a check-in, its diagnostic or its first questions begun wait for it (what resumes
   * them does not greet again).
   */
  private async waiting(dc: DialogContext): Promise<{ kind: keyof typeof WAITING; say: string; back: boolean } | undefined> {
    const t = tr(dc.context);
    const operator = this.settings.operatorName;
    const dossier = await this.menuDossier(dc.context);
    if (!dossier) return undefined;
    const pending = await this.pendingCheckin(dc.context, dossier);
    if (pending) {
      // Begun in another conversation: the questions left, not « quelques questions courtes » again.
      const answers = pending.answers ?? {};
      const left = CHECKIN_SLOTS.filter((slot) => answers[slot.key] === undefined).length;
      const say = left === CHECKIN_SLOTS.length ? t('checkin.waiting', { operator }) : t('checkin.waitingBegun', { count: left, total: CHECKIN_SLOTS.length });
      return { kind: 'checkin', say, back: true };
    }
    const kind = otherWaitingKind(dossier);
    if (kind === 'diagnostic') return { kind, say: t('diagnostic.waiting', { operator, count: remainingQuestions(dossier.diagnostic?.answers ?? {}) }), back: true };
    const { latest } = await this.requestOfDossier(dossier);
    const status = latest ? await this.statusText(dc, dossier, latest) : undefined;
    if (kind === 'accueil') {
      // Its request passed on already (« pouvez-vous me rappeler ? »): where it stands, then the questions offered.
      const offer = accueilStarted(dossier.answers ?? {})
        ? { kind: 'accueil' as const, say: t('accueil.waiting', { operator, count: accueilQuestionsLeft(dossier.answers ?? {}) }) }
        : { kind: 'accueilNotStarted' as const, say: t('accueil.notStarted', { operator }) };
      // Welcomed back once its first answers are kept: « Reprenons… » after « oui » greets no more.
      return { kind: offer.kind, say: [status, offer.say].filter(Boolean).join(' '), back: !!latest || offer.kind === 'accueil' };
    }
    return { kind: 'request', say: status ?? await this.statusText(dc, dossier, undefined), back: true };
  }

  /** What waits for a known structure, first offered at its menu: a check-in, its diagnostic, its accueil, else what follows its request. */
  private async waitingKind(context: TurnContext, dossier: Dossier): Promise<'checkin' | 'diagnostic' | 'accueil' | 'request'> {
    return (await this.pendingCheckin(context, dossier)) ? 'checkin' : otherWaitingKind(dossier);
  }

  private async passOnCheckinNeeds(dc: DialogContext, tell = true): Promise<void> {
    const dossier = await this.dossierOf(dc);
    if (dossier) await passOnNeedsAtOptOut(dc.context, { checkins: this.deps.checkins, dossiers: this.deps.dossiers, handoffs: this.deps.handoffs, settings: this.deps.settings }, dossier, tell);
  }

  /** « Ne plus me relancer »: no further check-in for this structure (the follow-up records it). */
  private async optOut(dc: DialogContext): Promise<void> {
    const t = tr(dc.context);
    const dossier = await this.dossierOf(dc);
    if (!dossier) {
      await dc.context.sendActivity(t('checkin.optOutNothing'));
      return;
    }
    // Asked again: it was already noted, nothing changes now.
    if (await this.deps.followup.isOptedOut(dossier._id)) {
      await dc.context.sendActivity(t('checkin.alreadyOptedOut'));
      return;
    }
    await this.deps.followup.optOut(dossier._id);
    // Its check-in waiting is stopped: the menu that follows in this turn no longer offers it.
    this.deps.checkins.inTurn(dc.context.turnState).forgetReads();
    await dc.context.sendActivity(t('checkin.optedOut'));
  }

  /** « Parler à un·e chargé·e »: the contact asked first when there is none (the dialog's turn), else passed on at once (undefined). */
  private async askForChargee(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const request = await this.requestOf(dc);
    // No dossier yet: consent first, then the contact (HandoffContactDialog).
    const dossierId = awaitingContact(request);
    if (dossierId || !request.dossier) {
      return dc.beginDialog(HANDOFF_CONTACT_DIALOG, { dossierId, reason: 'user_request', askSubject: withoutContext(dc, request), answers: anonymousAnswers(dc) } satisfies HandoffContactOptions);
    }
    await this.handOver(dc, 'user_request', request);
    return undefined;
  }

  /**
   * « Je me suis trompée de numéro : 06… », « changer mes coordonnées »: the contact corrected
   * (ContactChangeDialog). Without a dossier nothing personal is kept: said so, with the way to
   * give consent (« j'accepte » once declined, else « parler à un·e chargé·e »).
   */
  private async changeContact(dc: DialogContext): Promise<DialogTurnResult> {
    const dossier = await this.dossierOf(dc);
    if (!dossier) {
      await this.sayNoContactKept(dc.context);
      return this.goOn(dc);
    }
    return dc.beginDialog(CONTACT_CHANGE_DIALOG, { dossierId: dossier._id, point: readContactChange(dc.context.activity.text)?.point } satisfies ContactChangeOptions);
  }

  /**
   * « marie@asso.fr », « 06 12 34 56 78 » typed alone at the menu (contactAt): read as the
   * structure's new contact details, confirmed before they replace those held; without a dossier,
   * nothing is kept, which is said with how to leave them.
   */
  private async contactGiven(step: WaterfallStepContext, point: NonNullable<ContactChangeOptions['point']>): Promise<DialogTurnResult> {
    const dossier = await this.menuDossier(step.context);
    if (dossier) return step.beginDialog(CONTACT_CHANGE_DIALOG, { dossierId: dossier._id, point, confirm: true } satisfies ContactChangeOptions);
    await this.sayNoContactKept(step.context);
    return step.next();
  }

  /** Contact details given without a dossier: nothing is kept, said with the way to give consent (« j'accepte » once declined, else « parler à un·e chargé·e »). */
  private async sayNoContactKept(context: TurnContext): Promise<void> {
    const declined = (await this.state.flags.get(context, {})).consentDeclined;
    await context.sendActivity(tr(context)(declined ? 'handoffUser.contactChange.declined' : 'handoffUser.contactChange.nothingKept'));
  }

  private async tellStatus(dc: DialogContext): Promise<void> {
    const { dossier, latest } = await this.requestOf(dc);
    await this.sayStatus(dc, dossier, latest);
  }

  private async sayStatus(dc: DialogContext, dossier: Dossier | undefined, handoff: Handoff | undefined): Promise<void> {
    await dc.context.sendActivity(await this.statusText(dc, dossier, handoff));
  }

  /** Where the structure's request stands (statusOf); in the middle of the questions, the next one follows. */
  private async statusText(dc: DialogContext, dossier: Dossier | undefined, handoff: Handoff | undefined): Promise<string> {
    return statusOf(tr(dc.context), this.deps, { dossier, handoff, here: !!dc.activeDialog });
  }

  private async backToMenu(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.cancelAllDialogs();
    return dc.beginDialog(FLOW);
  }

  /** After a command that only answers: the current question again, or the menu when there is none. */
  private async goOn(dc: DialogContext): Promise<DialogTurnResult> {
    if (!dc.activeDialog) return dc.beginDialog(FLOW);
    await dc.repromptDialog();
    return { status: DialogTurnStatus.waiting };
  }

  /** A flow that ended at once (nothing to resume, nothing beneath « mes données »): the menu. */
  private orMenu(dc: DialogContext, result: DialogTurnResult): Promise<DialogTurnResult> | DialogTurnResult {
    return result.status === DialogTurnStatus.complete ? dc.beginDialog(FLOW) : result;
  }

  private commandOf(dc: DialogContext): GlobalCommand | undefined {
    const { activity } = dc.context;
    // At the contact a check-in asks (for its new needs, or a request for a chargé·e in the middle
    // of it) too: « stop » there is no name.
    const asked = activity.type === ActivityTypes.Message
      ? checkinQuestionAsked(dc) ?? (checkinContactAsked(dc) || requestContactInCheckin(dc) ? 'contact' : undefined) : undefined;
    // In a check-in, « pas maintenant », « pas le temps », « stop » are a pause too.
    const command = activity.type === ActivityTypes.Message ? matchGlobalCommand(activity.text) ?? (asked ? checkinCommand(activity.text ?? '', asked) : undefined) : undefined;
    // « Effacer mes données » inside « mes données » answers its question.
    if (command === 'my_data' && dc.activeDialog?.id === MY_DATA_DIALOG) return undefined;
    // « mon numéro c'est 06… » answers a contact question, and a request for a chargé·e's consent (its contact comes next);
    // at the request's subject it is no subject: the contact is corrected, then the subject asked again.
    // « mes coordonnées » at the accueil review's list of answers to correct chooses its « Les coordonnées » (the recap comes back after).
    if (command === 'contact' && (contactQuestionAsked(dc) || contactChosen(dc) || (inStack(dc, HANDOFF_CONTACT_DIALOG) && questionAsked(dc).active?.id !== SUBJECT_PROMPT))) return undefined;
    return command;
  }

  /** Once per conversation, in both languages, unless French was chosen by hand (writesEnglish). */
  private async offerEnglish(context: TurnContext): Promise<void> {
    if (context.activity.type !== ActivityTypes.Message || turnLanguage(context) !== 'fr' || !writesEnglish(context.activity.text)) return;
    const flags = await this.state.flags.get(context, {});
    if (flags.englishOffered || (await this.state.profile.get(context, {})).language) return;
    await this.state.flags.set(context, { ...flags, englishOffered: true });
    await context.sendActivity(tr(context)('englishOffer'));
  }

  private async switchLanguage(dc: DialogContext, command: GlobalCommand, confirm: boolean): Promise<void> {
    const current = turnLanguage(dc.context);
    const language: Language = command === 'language_en' ? 'en' : command === 'language_fr' ? 'fr' : current === 'fr' ? 'en' : 'fr';
    const profile = await this.state.profile.get(dc.context, {});
    profile.language = language;
    await this.state.profile.set(dc.context, profile);
    setTurnLanguage(dc.context, language);
    markLanguageSwitched(dc.context);
    if (confirm) await dc.context.sendActivity(tr(dc.context)('languageSwitched'));
  }

  private async askMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const flags = await this.state.flags.get(step.context, {});
    let options = LocalizedChoicePrompt.options('menu.prompt', 'menu.retry', MENU);
    if ((step.options as MenuOptions | undefined)?.offerNewRequest) options = offerMenu('request');
    else if (flags.welcomed) {
      // Back at the menu once its request is passed on (or decided), with a check-in or its
      // diagnostic waiting (after « pause » or « aide »): what may come next is offered, as when it
      // comes back — not « Vérifier si ma structure… » first, which it has done already.
      // Read again: the request may have been passed on in this very turn.
      const dossier = await this.dossierOf(step);
      const kind = dossier && await this.waitingKind(step.context, dossier);
      if (kind && kind !== 'accueil') options = offerMenu(kind);
    }
    const welcoming = !flags.welcomed;
    if (welcoming) {
      const t = tr(step.context);
      const operator = this.settings.operatorName;
      // A returning structure (same channel user) is told what waits for it, offered first in the menu;
      // one whose request was passed on or decided is welcomed back with where it stands.
      const waiting = await this.waiting(step);
      const offer = waiting && WAITING[waiting.kind];
      await step.context.sendActivities([
        { type: ActivityTypes.Message, text: t(waiting?.back ? 'welcomeBack' : 'welcome', { operator }) },
        { type: ActivityTypes.Message, text: t('welcomeHint') },
        ...(waiting ? [{ type: ActivityTypes.Message, text: waiting.say }] : []),
      ]);
      if (offer) options = offerMenu(waiting.kind);
      flags.welcomed = true;
      await this.state.flags.set(step.context, flags);
    }
    if (welcoming || (step.options as MenuOptions | undefined)?.readMessage) {
      // A first message that already says what the structure wants (Teams without an install
      // event, or state purged since): answer it rather than ask the menu and drop it — the
      // next question of the waiting check-in or diagnostic answered at once too.
      const message = step.context.activity.type === ActivityTypes.Message && !this.commandOf(step);
      const need = message ? await this.newNeedAt(step.context) : undefined;
      if (need) {
        step.context.turnState.set(NEW_NEED, need);
        return step.next();
      }
      if (message && contactAt(step.context)) return step.next();
      const chosen = message ? jobSeekerAt(step.context) ?? LocalizedChoicePrompt.match(step.context, options) : undefined;
      if (chosen && !asksRatherThanChooses(chosen, step.context.activity.text) && !introducesRatherThanChooses(chosen, step.context)) return step.next(chosen);
      const early = message ? await this.answerAtOffer(step.context, options) : undefined;
      if (early) {
        step.context.turnState.set(EARLY_ANSWER, early);
        return step.next();
      }
      // A first message that asks a simple question (« c'est payant ? »): answered before the menu.
      const faq = message ? matchFaq(step.context.activity.text) : undefined;
      if (faq) await this.answerFaq(step, faq);
      // A first message that introduces the structure (the eligibility path, with what it says), or adds to its request passed on.
      if (message && !faq && await this.introducedOrAdded(step.context)) return step.next();
    }
    return step.prompt(MENU_PROMPT, options);
  }

  private async routeMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const need = step.context.turnState.get(NEW_NEED) as NewNeedOptions | undefined;
    if (need) return step.beginDialog(NEW_NEED_DIALOG, need);
    const early = step.context.turnState.get(EARLY_ANSWER) as EarlyAnswer | undefined;
    if (early?.to === 'checkin') return this.resume(step, early.answer);
    if (early?.to === 'diagnostic') return step.beginDialog(ACCUEIL_DIALOG, { resume: true, diagnosticAnswer: early.answer });
    const introduced = step.context.turnState.get(INTRODUCED) as AccueilAnswers | undefined;
    if (introduced) return step.beginDialog(ACCUEIL_DIALOG, { introduced } satisfies AccueilOptions);
    const contact = step.context.turnState.get(CONTACT_GIVEN) as ContactChangeOptions['point'];
    if (contact) return this.contactGiven(step, contact);
    const added = step.context.turnState.get(ADDED_MESSAGE) as AddedMessageAt | undefined;
    if (added && 'handoffId' in added) return step.beginDialog(HANDOFF_MESSAGE_DIALOG, added);
    if (added) {
      await step.context.sendActivity(t(`handoffUser.addMessage.${added.refused}`, { count: MESSAGES_MAX }));
      return step.next({ offerNewRequest: added.refused === 'closed' } satisfies HandoffMessageResult);
    }
    switch ((step.result as FoundChoice).value) {
      case 'resume':
        return this.resume(step);
      case 'newNeed': {
        // Chosen by its number (its title is read as a new need without its subject): asked.
        const dossier = await this.dossierOf(step);
        if (dossier) return step.beginDialog(NEW_NEED_DIALOG, { dossierId: dossier._id, text: '' } satisfies NewNeedOptions);
        return step.beginDialog(ACCUEIL_DIALOG);
      }
      case 'human':
        return (await this.askForChargee(step)) ?? step.next();
      case 'status':
        // Chosen by its number (its title is the command's words, answered before the menu).
        await this.tellStatus(step);
        return step.next();
      case 'my_data':
        return step.beginDialog(MY_DATA_DIALOG);
      case 'eligibility':
        // « on est une asso de 4 salariés et on a besoin d'aide pour… »: what it says is not asked again.
        return step.beginDialog(ACCUEIL_DIALOG, { introduced: introducedAt(step.context) } satisfies AccueilOptions);
      case 'discover':
        return step.beginDialog(DISCOVER_DIALOG);
      case 'who':
        await step.context.sendActivity(t('who'));
        return step.next();
      default:
        await step.context.sendActivity(t('help'));
        return step.next();
    }
  }

  private async loop(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(FLOW, menuAfter(step.result));
  }
}

/**
 * The menu after a flow ended with `result`: after a closed request refused a message, or a
 * check-in answered, what may come next for a structure the DLA knows is offered first, without
 * reading its dossier again.
 */
function menuAfter(result: unknown): MenuOptions | undefined {
  const ended = result as (HandoffMessageResult & CheckinResult) | undefined;
  return ended?.offerNewRequest || ended?.answered ? { offerNewRequest: true } : undefined;
}

/** What waits for a structure with no check-in waiting: its diagnostic, its first questions, or else its request. */
function otherWaitingKind(dossier: Dossier): 'diagnostic' | 'accueil' | 'request' {
  if (diagnosticToResume(dossier)) return 'diagnostic';
  return accueilToResume(dossier) ? 'accueil' : 'request';
}

/**
 * The menu that offers first what waits (WAITING[kind]), then MENU — for a structure whose first
 * questions are behind it (its diagnostic, a check-in or its request waiting), where its request
 * stands, then PAST_ACCUEIL. Not with a request passed on or decided: where it stands is what its
 * welcome, and its passing on, have just said.
 */
function offerMenu(kind: keyof typeof WAITING): PromptOptions {
  const offer = WAITING[kind];
  const first: LocalizedChoice = { id: offer.id, key: offer.choice, synonyms: [...offer.synonyms] };
  const then = kind === 'accueil' || kind === 'accueilNotStarted' ? MENU : [...(kind === 'request' ? [] : [STATUS_CHOICE]), ...PAST_ACCUEIL];
  return LocalizedChoicePrompt.options('menu.prompt', offer.retry, [first, ...then]);
}

/** The question waiting for the message: the deepest dialog's, and whether it is one of the accueil's or the diagnostic's, or a request's subject or a new need (free text). */
function questionAsked(dc: DialogContext): { deepest: DialogContext; active: DialogInstance | undefined; inForm: boolean } {
  let deepest: DialogContext = dc;
  while (deepest.child) deepest = deepest.child;
  const active = deepest.activeDialog;
  const inForm = [ACCUEIL_DIALOG, DIAGNOSTIC_DIALOG].includes(deepest.parent?.activeDialog?.id ?? '') || [SUBJECT_PROMPT, NEED_PROMPT].includes(active?.id ?? '');
  return { deepest, active, inForm };
}

/** The question waiting is one for the structure's contact (the accueil's, a request's, a correction's): slot `contact`. */
function contactQuestionAsked(dc: DialogContext): boolean {
  const { active } = questionAsked(dc);
  return promptValidations(active).data?.slot === 'contact';
}

/** The question waiting offers the contact as a choice (the accueil review's list of answers to correct), and the message chooses it. */
function contactChosen(dc: DialogContext): boolean {
  const { active } = questionAsked(dc);
  const options = (active?.state as { options?: PromptOptions } | undefined)?.options;
  return !!options && !!promptValidations(active).choices?.some((c) => c.id === 'contact') && LocalizedChoicePrompt.match(dc.context, options)?.value === 'contact';
}

/** What a prompt of this project carries in its options' validations: its form slot (data.slot), its retry text's key, its choices. */
function promptValidations(active: DialogInstance | undefined): { data?: { slot?: string }; retryKey?: string; choices?: LocalizedChoice[] } {
  return ((active?.state as { options?: PromptOptions } | undefined)?.options?.validations ?? {}) as { data?: { slot?: string }; retryKey?: string; choices?: LocalizedChoice[] };
}

/**
 * « c'est payant le DLA ? », « combien de temps dure un DLA » name the DLA — a word of « Découvrir
 * le DLA » — to ask one simple question (matchFaq): answered, rather than the tour started.
 */
function asksRatherThanChooses(choice: FoundChoice, text: string | undefined): boolean {
  return choice.value === 'discover' && matchFaq(text) !== undefined;
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

/** What a message introducing the structure says of it (introducedStructure), if it is one. */
function introducedAt(context: TurnContext): AccueilAnswers | undefined {
  return context.activity.type === ActivityTypes.Message && context.activity.text ? introducedStructure(context.activity.text) : undefined;
}

/** The structure's dossier and its latest handoff, as a request for a chargé·e finds them. */
interface StructureRequest {
  dossier?: Dossier;
  latest?: Handoff;
}

interface HandOverOptions {
  /** What was not understood (not_understood): the handoff's message. */
  misunderstood?: string;
  /** The contact was just asked (HandoffContactDialog): « je passe la main » was said already. */
  contactJustGiven?: boolean;
  /** false: no e-mail nor phone could be read, so no call back is promised. */
  reachable?: boolean;
  /** What the request is about, said before the contact when there was nothing else (HandoffContactOptions.askSubject). */
  subject?: string;
}

/**
 * What a request passed on from outside the operator's territory says: its own DLA, unless the
 * structure is out of scope for another reason too (a commercial company: no DLA would take it).
 */
function elsewhereKey(dossier: Dossier): string {
  const ownDla = !dossier.decision || dossier.decision.outcome !== 'out_of_scope' || onlyOtherDla(dossier.decision);
  return ownDla ? 'handoffUser.requestedOtherDla' : 'handoffUser.requestedElsewhere';
}

/** The contact asked for a check-in's new needs: HandoffContactDialog inside CheckinDialog. */
function checkinContactAsked(dc: DialogContext): boolean {
  return dc.stack.some((d) => d.id === CHECKIN_DIALOG) && !dc.stack.some((d) => d.id === HANDOFF_CONTACT_DIALOG) && inStack(dc, HANDOFF_CONTACT_DIALOG);
}

/** The contact asked for a request for a chargé·e made in the middle of a check-in: HandoffContactDialog on top of CheckinDialog. */
function requestContactInCheckin(dc: DialogContext): boolean {
  return dc.stack.some((d) => d.id === HANDOFF_CONTACT_DIALOG) && dc.stack.some((d) => d.id === CHECKIN_DIALOG);
}

/** The outermost dialog context of `dc` (MainDialog's): a dialog running beneath it sees the whole stack from there. */
function root(dc: DialogContext): DialogContext {
  let c = dc;
  while (c.parent) c = c.parent;
  return c;
}

/**
 * The message of a request for a chargé·e made in the middle of a check-in: « Demandé pendant le
 * point de suivi du … » (the day it was sent), then what the structure answered there, if anything.
 */
function askedInCheckin(t: Translate, checkin: CheckinState, timeZone: string, now: Date): string {
  const sent = checkin.sentAt ?? now;
  const answers = checkin.answers ?? {};
  const said = CHECKIN_SLOTS.map((slot) => [slot.key, checkinAnswerText(t, slot.key, answers)])
    .filter(([, text]) => text)
    .map(([key, answer]) => t('handoffUser.duringCheckin.line', { topic: t(key === 'newNeeds' ? 'handoffUser.duringCheckin.needs' : `checkin.topics.${key}`), answer }));
  const date = formatDay(t, sent, timeZone);
  return said.length ? `${t('handoffUser.duringCheckin.said', { date })}\n${said.join('\n')}` : t('handoffUser.duringCheckin.asked', { date });
}

/**
 * A request for a chargé·e that would reach them with nothing to go on: no answer of the accueil
 * (its request in the structure's words included), no earlier handoff, and not made in the middle
 * of the accueil or of a check-in (whose questions come back after).
 */
function withoutContext(dc: DialogContext, { dossier, latest }: StructureRequest): boolean {
  return !latest && !accueilStarted(dossier?.answers ?? {}) && !inStack(dc, ACCUEIL_DIALOG) && !inStack(dc, CHECKIN_DIALOG);
}

function inStack(dc: DialogContext, id: string): boolean {
  for (let c: DialogContext | undefined = dc; c; c = c.child) if (c.stack.some((d) => d.id === id)) return true;
  return false;
}

/** An urgent request (asked for, or three misunderstood answers) not closed yet: not stacked with another. */
function waitingForChargee(handoff: Handoff | undefined): boolean {
  return !!handoff && handoff.status !== 'closed' && (handoff.reason === 'user_request' || handoff.reason === 'not_understood');
}

/**
 * The dossier whose contact must be asked before a handoff (HandoffContactDialog): no way to
 * reach the structure yet, and no request already waiting. Undefined otherwise.
 */
function awaitingContact({ dossier, latest }: StructureRequest): string | undefined {
  if (!dossier) return undefined;
  // A request passed on without an e-mail nor a phone (none on the dossier since): asked now, it reaches the chargé·e.
  if (latest && waitingWithoutContact(latest) && !reachableContact(dossier.answers?.contact)) return dossier._id;
  return !dossier.answers?.contact && !waitingForChargee(latest) ? dossier._id : undefined;
}

/** A request not closed yet that was passed on without an e-mail nor a phone: nobody can call back. */
function waitingWithoutContact(handoff: Handoff): boolean {
  return handoff.status !== 'closed' && !reachableContact(handoff.contact);
}
