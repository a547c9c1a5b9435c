import { TurnContext } from 'botbuilder';
import { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { AccueilAnswers } from '../src/domain/accueilForm';
import { ConsentQuestion, consentQuestions } from '../src/domain/consentAnswer';
import { doNotLog } from '../src/handoff/transcriptLogger';
import { checkNotErased } from '../src/privacy/erasures';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { LocalizedChoicePrompt, NO, YES } from './localizedChoicePrompt';
import { tr } from './turnLocale';

/** What asking and recording consent needs (the accueil's and the handoff contact's). */
export interface ConsentDeps {
  dossiers: DossierRepository;
  settings: { operatorName: string; retentionMonths: number; noConsentHours?: number };
  /** Deletes what the transcript holds of a conversation (consent declined: nothing is kept). */
  forgetConversation?: (channelId: string, conversationId: string) => Promise<void>;
  /**
   * Told when consent is given or declined, and what it was asked for (MainDialog: a declined
   * conversation's turns are not logged, its history is erased later, and consent given later
   * carries on with what it was asked for).
   */
  onConsent?: (context: TurnContext, given: boolean, askedFor: ConsentAskedFor) => Promise<void>;
}

/** The ids of the consent questions (the accueil's, the handoff contact's). */
export const CONSENT_PROMPTS = { accueil: 'accueil.consent', handoffContact: 'handoffContact.consent' } as const;

/** What consent is asked for: the accueil's questions, or a request for a chargé·e (its contact). */
export type ConsentAskedFor = keyof typeof CONSENT_PROMPTS;

/** A consent question is waiting for its answer, in `dc` or a dialog beneath it: « j'accepte » answers it. */
export function consentAsked(dc: DialogContext): boolean {
  const ids: string[] = Object.values(CONSENT_PROMPTS);
  for (let c: DialogContext | undefined = dc; c; c = c.child) if (c.activeDialog && ids.includes(c.activeDialog.id)) return true;
  return false;
}

/**
 * At a consent question, what the message asks about the notice (« combien de temps ? », « qui
 * voit mes données ? ») rather than answering it with a choice: see consentQuestions.
 */
export function consentQuestionsAt(dc: DialogContext): ConsentQuestion[] {
  let deepest: DialogContext = dc;
  while (deepest.child) deepest = deepest.child;
  const active = deepest.activeDialog;
  const ids: string[] = Object.values(CONSENT_PROMPTS);
  if (!active || !ids.includes(active.id)) return [];
  const options = (active.state as { options?: Parameters<typeof LocalizedChoicePrompt.match>[1] }).options;
  if (options && LocalizedChoicePrompt.match(dc.context, options)) return [];
  return consentQuestions(dc.context.activity.text);
}

/** Answers them: how long answers are kept, who sees them (the caller asks consent again). */
export async function answerConsentQuestions(context: TurnContext, questions: ConsentQuestion[], settings: ConsentDeps['settings']): Promise<void> {
  const t = tr(context);
  for (const question of questions) {
    await context.sendActivity(t(`accueil.consent.answer.${question}`, { months: settings.retentionMonths, operator: settings.operatorName }));
  }
}

/** The consent choices (« J’accepte » / « Je refuse »): choice ids `accept` and `decline`. */
function consentChoices(): ReturnType<typeof LocalizedChoicePrompt.options> {
  return LocalizedChoicePrompt.options('accueil.consent.prompt', 'accueil.consent.retry', [
    { id: 'accept', key: 'accueil.consent.accept', synonyms: [...YES, 'accepte', 'jaccepte', 'j accepte', 'agree'] },
    { id: 'decline', key: 'accueil.consent.decline', synonyms: [...NO, 'refuse', 'je refuse', 'decline'] },
  ]);
}

/**
 * What is kept, why and for how long (`introKey`, with the operator and the retention in months),
 * then the consent question on `promptId` (a LocalizedChoicePrompt): a language switch says both again.
 */
export async function askConsent(step: WaterfallStepContext, promptId: string, introKey: string, deps: Pick<ConsentDeps, 'settings'>): Promise<DialogTurnResult> {
  const { operatorName: operator, retentionMonths: months } = deps.settings;
  const options = LocalizedChoicePrompt.withIntro(consentChoices(), introKey, { operator, months });
  await step.context.sendActivity(LocalizedChoicePrompt.intro(step.context, options)!);
  return step.prompt(promptId, options);
}

/**
 * The answer to the consent question (`accepted`). Given: a dossier for the person writing, which
 * is returned. Declined: nothing is kept — what the transcript holds of this conversation goes,
 * this turn is not logged, nor the next ones (onConsent).
 */
export async function recordConsent(context: TurnContext, accepted: boolean, deps: ConsentDeps, askedFor: ConsentAskedFor): Promise<Dossier | undefined> {
  if (accepted) {
    const { channelId, from } = context.activity;
    await checkNotErased(context); // erased since the turn began: no dossier comes back
    const dossier = await deps.dossiers.create(DossierRepository.channelUser(channelId, from.id), deps.settings.retentionMonths);
    await deps.onConsent?.(context, true, askedFor);
    return dossier;
  }
  doNotLog(context);
  await deps.onConsent?.(context, false, askedFor);
  await deps.forgetConversation?.(context.activity.channelId, context.activity.conversation.id);
  return undefined;
}

/**
 * Answers given before consent (a first message, or while it was declined), saved with it once
 * it is given — at the accueil or at a request for a chargé·e; their SIRET links the dossier.
 */
export async function keepAnswersGivenBefore(context: TurnContext, deps: Pick<ConsentDeps, 'dossiers' | 'settings'>, dossier: Dossier, answers: AccueilAnswers): Promise<void> {
  dossier.answers = { ...dossier.answers, ...answers };
  const siret = answers.identifiers?.siret;
  if (siret) await noticeKnownStructure(context, deps, dossier, siret);
  await deps.dossiers.save(dossier, context);
}

/**
 * Same SIRET as another dossier (one that still says it — save() lists the dossier under its SIRET): say the chargé·e will see both
 * (the back-office lists a dossier's others of the same SIRET), and go on with this one. Nothing
 * of the other is shown or joined: a SIRET is public, so typing one must open no one else's
 * answers, export or erasure.
 */
export async function noticeKnownStructure(context: TurnContext, deps: Pick<ConsentDeps, 'dossiers' | 'settings'>, dossier: Dossier, siret: string): Promise<void> {
  const known = await deps.dossiers.withSiret(siret);
  if (known.some((other) => other._id !== dossier._id)) {
    await context.sendActivity(tr(context)('accueil.knownStructure', { operator: deps.settings.operatorName }));
  }
}
