import { ActivityTypes, MessageFactory, TurnContext } from 'botbuilder';
import { doNotLog } from '../src/handoff/transcriptLogger';
import {
  ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus, FoundChoice, PromptOptions, WaterfallDialog, WaterfallStepContext,
} from 'botbuilder-dialogs';
import { GlobalCommand, isAcknowledgement, isCourtesy, isGoodbye, isGreeting, matchGlobalCommand } from '../src/domain/commands';
import { normalize } from '../src/domain/text';
import { Language } from '../src/i18n';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { PrivacyService } from '../src/store/privacy';
import { AREAS, remainingQuestions } from '../src/domain/diagnosticForm';
import { AccueilAnswers, accueilStarted, identifiersText, introducedStructure, nameAndIdentifiers, remainingQuestions as accueilQuestionsLeft, withAnswers } from '../src/domain/accueilForm';
import { parseContactPoint } from '../src/domain/contact';
import { ACCUEIL_DIALOG, AccueilDeps, AccueilDialog, AccueilOptions, accueilToResume, anonymousAnswers } from './accueilDialog';
import { answerConsentQuestions, consentAsked, ConsentAskedFor, consentQuestionsAt, noticeKnownStructure } from './consent';
import { saysConsent } from '../src/domain/consentAnswer';
import { HANDOFF_CONTACT_DIALOG, HandoffContactDialog, HandoffContactOptions, operatorReach, passOnWithoutContact, SUBJECT_PROMPT } from './handoffContactDialog';
import { MY_DATA_DIALOG, MyDataDialog } from './myDataDialog';
import { CONTACT_CHANGE_DIALOG, ContactChangeDialog, ContactChangeOptions } from './contactChangeDialog';
import { readContactChange } from '../src/domain/contactChange';
import { NEW_NEED_DIALOG, NewNeedDialog, NewNeedOptions } from './newNeedDialog';
import { HANDOFF_MESSAGE_DIALOG, HandoffMessageDialog, HandoffMessageResult } from './handoffMessageDialog';
import { MESSAGES_MAX } from '../src/domain/handoffMessage';
import { writesEnglish } from '../src/domain/language';
import { tellsANeed } from '../src/domain/newNeed';
import { CHECKIN_DIALOG, CHECKIN_OFFER, CheckinDialog, CheckinOptions, CheckinResult, checkinQuestionAsked, passOnNeedsAtOptOut } from './checkinDialog';
import { CHECKIN_SLOTS, checkinCommand } from '../src/domain/checkinForm';
import { CheckinAnswers, CheckinState } from '../src/followup/checkinAnswers';
import { DISCOVER_DIALOG, DISCOVER_NEXT_PROMPT, DiscoverDialog } from './discoverDialog';
import { FaqTopic, matchFaq, matchFaqAtQuestion } from '../src/domain/faq';
import { LocalizedChoicePrompt } from './localizedChoicePrompt';
import { NextCheckin } from './requestStatus';
import { StateAccessors } from './state';
import {
  ACCUEIL_FIX, AccueilFix, ADDED_MESSAGE, AddedMessageAt, asksRatherThanChooses, CONTACT_GIVEN, EARLY_ANSWER, EarlyAnswer, FOR_ANOTHER, introducedAt, INTRODUCED, needWithConsentAt,
  MENU, MenuReader, NEW_NEED, offerMenu, otherWaitingKind, WAITING,
} from './menuReading';
import { awaitingContact, RequestHandover, StructureRequest, withoutContext } from './handOver';
import { checkinContactAsked, contactChosen, contactQuestionAsked, inStack, promptValidations, questionAsked, requestContactInCheckin } from './dialogStack';
import { staleCardSubmit, submittedChoice } from './cards';
import { markHandsOverIfMisunderstood, markLanguageSwitched, setTurnLanguage, tr, turnLanguage, wasReprompted } from './turnLocale';

export const MAIN_DIALOG = 'main';
const FLOW = 'main.flow';
const MENU_PROMPT = 'main.menu';
/** « Je confirme » (the diagnostic summary's choice) typed again once it is confirmed. */
const CONFIRM_AGAIN = new Set(['je confirme', 'confirme', 'confirmer', 'je valide', 'valider', 'i confirm', 'confirm', 'confirmed']);

export interface MainDialogSettings {
  operatorName: string;
}

export interface MainDialogDeps extends AccueilDeps {
  privacy: PrivacyService;
  checkins: CheckinAnswers;
  /** The follow-up schedule: an opt-out stops every planned or sent check-in of the dossier. */
  followup: NextCheckin & { optOut(dossierId: string): Promise<number>; isOptedOut(dossierId: string): Promise<boolean> };
  /** Conversations that declined consent: what they hold is erased after a delay, unless consent is given meanwhile. */
  noConsent?: { declined(channelId: string, conversationId: string, userId: string): Promise<void>; given(channelId: string, conversationId: string): Promise<void> };
}

/** FLOW's options: after a message a closed request could not take, the menu offers a new need and a new request first. */
interface MenuOptions {
  offerNewRequest?: boolean;
  /** The message that brought the menu back (nothing was active: after « pause », « Plus tard »…) is read as a first message is. */
  readMessage?: boolean;
}

/** After this many consecutive misunderstood answers, a chargé·e takes over. */
const MAX_MISUNDERSTOOD = 3;

/**
 * The root dialog: welcomes, routes, and owns the commands available at every step
 * (aide, recommencer, English / français), like core-bot's CancelAndHelpDialog.
 */
export class MainDialog extends ComponentDialog {
  private readonly requests: RequestHandover;
  private readonly menu: MenuReader;

  constructor(private readonly state: StateAccessors, private readonly settings: MainDialogSettings, private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.requests = new RequestHandover(deps);
    this.menu = new MenuReader({ ...deps, flags: state.flags, dossierOf: (context) => this.dossierOf(context) });
    this.addDialog(new LocalizedChoicePrompt(MENU_PROMPT, (pc) => this.menu.validate(pc)));
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
      handOver: async (dc, reason, dossier, misunderstood, reachable, subject) => this.requests.handOver(dc, reason,
        await this.requests.requestOf(dossier), { misunderstood, contactJustGiven: true, reachable, subject }),
      contactAsked: (context) => this.restartMisunderstood(context),
    }));
    this.addDialog(new ContactChangeDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, now: deps.now }));
    this.addDialog(new NewNeedDialog({ dossiers: deps.dossiers, handoffs: deps.handoffs, settings: deps.settings }));
    this.addDialog(new HandoffMessageDialog({ handoffs: deps.handoffs, settings: deps.settings, dossiers: deps.dossiers, now: deps.now }));
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
        // Nothing that « reprendre » would bring back (its request passed on, its outcome given): no « reprendre » promised.
        const dossier = await this.dossierOf(innerDc);
        const inCheckin = innerDc.stack.some((d) => d.id === CHECKIN_DIALOG) || checkinQuestionAsked(innerDc) === CHECKIN_OFFER;
        if (!dossier) await innerDc.context.sendActivity(t('pausedNothingKept'));
        else if (!inCheckin && ['request', 'otherDla', 'outOfScope'].includes(await this.waitingKind(innerDc.context, dossier))) await innerDc.context.sendActivity(t('pausedNothingWaiting'));
        else {
          await innerDc.context.sendActivity(MessageFactory.suggestedActions([t('diagnostic.resumeButton')],
            t(inCheckin ? 'checkin.paused' : 'diagnostic.paused')));
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
          await this.requests.handOver(innerDc, 'user_request', request, { reachable: false });
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
        // A hand waved (👋) at a newcomer's menu says hello, not goodbye (greetingAt).
        if (innerDc.activeDialog.id === MENU_PROMPT && innerDc.context.activity.type === ActivityTypes.Message && isCourtesy(innerDc.context.activity.text) && !this.greetingAt(innerDc)) {
          await innerDc.context.sendActivity(t('courtesy'));
          return { status: DialogTurnStatus.waiting };
        }
        // « ok » at the menu (after an outcome, a request passed on): heard — the menu again with its choices, no misunderstanding.
        if (this.acknowledgedAtMenu(innerDc)) {
          await innerDc.context.sendActivity(t('menu.acknowledged'));
          return this.goOn(innerDc);
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
        // « merci » alone at a question of the accueil or the diagnostic (thanks for what was noted): answered, the question asked again — not its answer, not a misunderstanding.
        // (An emoji alone, 🙂, is no answer there: asked again as any.)
        const { text } = innerDc.context.activity;
        if (innerDc.context.activity.type === ActivityTypes.Message && isCourtesy(text) && /\p{L}/u.test(text ?? '') && questionAsked(innerDc).inForm) {
          await innerDc.context.sendActivity(t('thanksAtQuestion'));
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
        // The structure introduces itself or says its need during « Découvrir le DLA » (« on est une
        // petite asso de théâtre à Périgueux, 2 salariés »): the tour stops and the message is read
        // as at the menu — its check starts with what it said —, not « suite ou menu ? » again.
        if (this.introducedInTour(innerDc)) {
          await innerDc.cancelAllDialogs();
          return innerDc.beginDialog(FLOW, { readMessage: true } satisfies MenuOptions);
        }
        // An old area card, or « Je confirme » typed again at the menu, once the diagnostic is
        // confirmed: said to be recorded already, then the menu or the question waiting again.
        if (await this.diagnosticConfirmedAgain(innerDc)) return this.goOn(innerDc);
        // An old card's button clicked after the conversation moved on (Teams keeps them all): said,
        // the question waiting asked again — neither its answer nor a misunderstanding.
        if (staleCardSubmit(innerDc.context.activity.value, promptValidations(questionAsked(innerDc).active))) {
          await innerDc.context.sendActivity(t('staleCard'));
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
            await this.requests.handOver(innerDc, 'not_understood', request, { misunderstood });
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
    const { channelId, conversation, from } = context.activity;
    await (given ? this.deps.noConsent?.given(channelId, conversation.id) : this.deps.noConsent?.declined(channelId, conversation.id, from.id));
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
    return this.requests.requestOf(await this.dossierOf(dc));
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

  /** A message at the tour's « étape suivante ? » that introduces the structure or says a need, and is none of its choices. */
  private introducedInTour(dc: DialogContext): boolean {
    const { activity } = dc.context;
    const { deepest, active } = questionAsked(dc);
    if (activity.type !== ActivityTypes.Message || !activity.text || active?.id !== DISCOVER_NEXT_PROMPT) return false;
    const options = (active.state as { options?: PromptOptions }).options;
    if (options && deepest.findDialog(active.id) instanceof LocalizedChoicePrompt && LocalizedChoicePrompt.match(dc.context, options)) return false;
    // « Vérifier si ma structure peut être accompagnée » typed in the tour: the menu's choice, taken.
    const menuChoice = LocalizedChoicePrompt.match(dc.context, LocalizedChoicePrompt.options('menu.prompt', 'menu.retry', MENU));
    return introducedStructure(activity.text) !== undefined || tellsANeed(activity.text) || menuChoice !== undefined;
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
      const { latest } = await this.requests.requestOf(dossier);
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
   * Its diagnostic confirmed, a structure submits one of its old area cards (at any question), or
   * confirms its summary again (« Je confirme » typed or its old button, at the menu): told that it
   * is recorded and passed on already (its version) — not misunderstood, nor words for its chargé·e.
   */
  private async diagnosticConfirmedAgain(dc: DialogContext): Promise<boolean> {
    const { activity } = dc.context;
    const value = activity.value as { area?: unknown; prompt?: unknown } | undefined;
    const areaCard = !activity.text && typeof value?.area === 'string' && (AREAS as readonly string[]).includes(value.area);
    const atMenu = questionAsked(dc).active?.id === MENU_PROMPT;
    const confirmAgain = atMenu && (CONFIRM_AGAIN.has(normalize(activity.text ?? ''))
      || (submittedChoice(value) === 'yes' && value?.prompt === 'diagnostic.summary.prompt'));
    if (activity.type !== ActivityTypes.Message || (!areaCard && !confirmAgain)) return false;
    const diagnostic = (await this.menu.dossier(dc.context))?.diagnostic;
    if (!diagnostic?.confirmedAt) return false;
    await dc.context.sendActivity(tr(dc.context)('diagnostic.alreadyConfirmed', { version: diagnostic.version }));
    return true;
  }

  /**
   * « bonjour » alone at the menu — plain, or offering what waits (the check-in, the diagnostic) — or
   * at a question of the accueil or the diagnostic (where it could be kept as an answer).
   */
  private greetingAt(dc: DialogContext): boolean {
    const { activity } = dc.context;
    if (activity.type !== ActivityTypes.Message || !isGreeting(activity.text)) return false;
    const { active, inForm } = questionAsked(dc);
    return inForm || active?.id === MENU_PROMPT;
  }

  private async answerFaq(dc: DialogContext, topic: FaqTopic): Promise<void> {
    const { context } = dc;
    // « quand est-ce qu'on va m'appeler ? », and « et maintenant ? » from a structure with a file:
    // where its request stands (none yet: how to make one).
    if (topic === 'callback' || topic === 'next') {
      // The dossier the menu read this turn (nothing has written it yet): not read a second time.
      const dossier = await this.menu.dossier(context);
      if (topic === 'callback' || dossier) return this.requests.sayStatus(dc, dossier, (await this.requests.requestOf(dossier)).latest);
    }
    // What is kept, how long and who sees it: the consent question's answers.
    if (topic === 'data') return answerConsentQuestions(context, ['how_long', 'who'], this.deps.settings);
    // « Qui peut être accompagné ? » is the menu's own answer.
    const t = tr(context);
    await context.sendActivity(t(topic === 'who' ? 'who' : topic === 'next' ? 'faq.start' : `faq.${topic}`, operatorReach(t, this.deps.settings)));
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
   * What « reprendre » would bring back to a structure opening a new conversation, or else where
   * its request stands (as « où en est ma demande ? » says it): told at the welcome. `back`: the
   * structure is greeted « Bon retour ! » — its request was passed on (where it stands is said
   * first), or a check-in, its diagnostic or its first questions begun wait for it (what resumes
   * them does not greet again).
   */
  private async waiting(dc: DialogContext): Promise<{ kind: keyof typeof WAITING; say: string; back: boolean } | undefined> {
    const t = tr(dc.context);
    const operator = this.settings.operatorName;
    const dossier = await this.menu.dossier(dc.context);
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
    const { latest } = await this.requests.requestOf(dossier);
    const status = latest ? await this.requests.statusText(dc, dossier, latest) : undefined;
    if (kind === 'accueil') {
      // Its request passed on already (« pouvez-vous me rappeler ? »): where it stands, then the questions offered.
      const offer = accueilStarted(dossier.answers ?? {})
        ? { kind: 'accueil' as const, say: t('accueil.waiting', { operator, count: accueilQuestionsLeft(dossier.answers ?? {}) }) }
        : { kind: 'accueilNotStarted' as const, say: t('accueil.notStarted', { operator }) };
      // Welcomed back once its first answers are kept: « Reprenons… » after « oui » greets no more.
      return { kind: offer.kind, say: [status, offer.say].filter(Boolean).join(' '), back: !!latest || offer.kind === 'accueil' };
    }
    return { kind, say: status ?? await this.requests.statusText(dc, dossier, undefined), back: true };
  }

  /** What waits for a known structure, first offered at its menu: a check-in, its diagnostic, its accueil, else what follows its request. */
  private async waitingKind(context: TurnContext, dossier: Dossier): Promise<'checkin' | ReturnType<typeof otherWaitingKind>> {
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
    await this.requests.handOver(dc, 'user_request', request);
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
    return dc.beginDialog(CONTACT_CHANGE_DIALOG, { dossierId: dossier._id, ...readContactChange(dc.context.activity.text) } satisfies ContactChangeOptions);
  }

  /**
   * « marie@asso.fr », « 06 12 34 56 78 » typed alone at the menu (contactAt): read as the
   * structure's new contact details, confirmed before they replace those held; without a dossier,
   * nothing is kept, which is said with how to leave them.
   */
  private async contactGiven(step: WaterfallStepContext, point: NonNullable<ContactChangeOptions['point']>): Promise<DialogTurnResult> {
    const dossier = await this.menu.dossier(step.context);
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
    await this.requests.sayStatus(dc, dossier, latest);
  }

  private async backToMenu(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.cancelAllDialogs();
    return dc.beginDialog(FLOW);
  }

  /** « ok », « d'accord » alone at the menu, when none of its choices takes it (« oui » / « ok » resumes what it offers first). */
  private acknowledgedAtMenu(dc: DialogContext): boolean {
    const { activity } = dc.context;
    if (dc.activeDialog?.id !== MENU_PROMPT || activity.type !== ActivityTypes.Message || !isAcknowledgement(activity.text)) return false;
    const options = (dc.activeDialog.state as { options?: PromptOptions }).options;
    return !options || !LocalizedChoicePrompt.match(dc.context, options);
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
    // « merci, au revoir » at a question of the accueil or the diagnostic: leaving — a pause (what is answered kept, how to come back said), never that question's answer.
    if (!command && activity.type === ActivityTypes.Message && isGoodbye(activity.text) && questionAsked(dc).inForm) return 'pause';
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
      const read = message ? await this.menu.read(step.context, options, LocalizedChoicePrompt.match(step.context, options)) : undefined;
      // A first message that asks a simple question (« c'est payant ? »): answered before the menu.
      if (read && 'faq' in read) await this.answerFaq(step, read.faq);
      else if (read) return step.next(read.chosen);
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
    const fix = step.context.turnState.get(ACCUEIL_FIX) as AccueilFix | undefined;
    if (fix) return step.beginDialog(ACCUEIL_DIALOG, { fix: fix.field, fixValue: fix.value } satisfies AccueilOptions);
    const contact = step.context.turnState.get(CONTACT_GIVEN) as ContactChangeOptions['point'];
    if (contact) return this.contactGiven(step, contact);
    const added = step.context.turnState.get(ADDED_MESSAGE) as AddedMessageAt | undefined;
    // Written for another structure: how that one makes its own request, then its words offered for this one's chargé·e.
    if (step.context.turnState.get(FOR_ANOTHER)) {
      await step.context.sendActivity(t('menu.forAnotherStructure', operatorReach(t, this.deps.settings)));
      if (!added) return step.next();
    }
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
      // Its own DLA (outside the territory): where its request stands says which one, and how to reach it.
      case 'otherDla':
        // Chosen by its number (its title is the command's words, answered before the menu).
        await this.tellStatus(step);
        return step.next();
      case 'fixPostalCode':
        return step.beginDialog(ACCUEIL_DIALOG, { fix: 'location' } satisfies AccueilOptions);
      case 'fixAnswers':
        return step.beginDialog(ACCUEIL_DIALOG, { review: true } satisfies AccueilOptions);
      case 'my_data':
        return step.beginDialog(MY_DATA_DIALOG);
      case 'eligibility':
        // « on est une asso de 4 salariés et on a besoin d'aide pour… »: what it says is not asked again.
        // « j'accepte, on a besoin d'aide pour recruter »: the need is the request (consent is still asked, after the notice).
        return step.beginDialog(ACCUEIL_DIALOG, { introduced: introducedAt(step.context) ?? needWithConsentAt(step.context) } satisfies AccueilOptions);
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
