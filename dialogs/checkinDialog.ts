import { TurnContext } from 'botbuilder';
import { ComponentDialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { ActivityTypes } from 'botbuilder';
import { answerBesidesNeed, CHECKIN_SLOTS, correctionOf, NEED_SAID, needsSaid, nextCheckinSlot, saidInPassing, satisfactionWords, saysNeed } from '../src/domain/checkinForm';
import { JobCountsConfirmation, jobCountsText, jobCountsToConfirm, jobsAnswerText, readJobCountsConfirmation } from '../src/domain/jobCounts';
import { reachable } from '../src/domain/callBack';
import { inertMarkdown } from '../src/domain/text';
import { CheckinAnswers } from '../src/followup/checkinAnswers';
import { TurnReads } from '../src/followup/turnReads';
import { HandoffService } from '../src/handoff/service';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { promptValidations, questionAsked } from './dialogStack';
import { parsedAnswer, setParsedAnswer, slotValidator, withSuggestions } from './formSupport';
import { ContactAsked, HANDOFF_CONTACT_DIALOG, HandoffContactOptions, passOnNewNeeds } from './handoffContactDialog';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { WAITING } from './menuReading';
import { tr } from './turnLocale';

export const CHECKIN_DIALOG = 'checkin';

/** An answer that corrects the one given to an earlier question (`slot`), in the structure's words. */
class Correction {
  constructor(readonly slot: string, readonly text: string, readonly value: unknown) {}
}

/** A need said at another question, and what the message answers of that question (undefined: nothing, it is asked again). */
class NeedSaid {
  constructor(readonly text: string, readonly answer: unknown) {}
}
const ASK = 'checkin.ask';
const FINISH = 'checkin.finish';
const PROMPT = 'checkin.prompt';
const CONFIRM_JOBS = 'checkin.confirmJobs';

/** What checkinQuestionAsked says of the menu that offers a waiting check-in (« Répondre au point de suivi »). */
export const CHECKIN_OFFER = 'offer';

/**
 * The question of the check-in being asked in `dc` (or in a dialog beneath it), if one is; or
 * CHECKIN_OFFER when the question waiting is the menu offering a waiting check-in — where « je
 * vous réponds la semaine prochaine », "I'll answer next week" pause it, as at its questions.
 */
export function checkinQuestionAsked(dc: DialogContext | undefined): string | undefined {
  for (let c = dc; c; c = c.child) {
    const ask = c.stack.find((d) => d.id === ASK);
    if (ask) return (ask.state as { values?: { slot?: string } }).values?.slot;
  }
  return dc && promptValidations(questionAsked(dc).active).choices?.some((c) => c.key === WAITING.checkin.choice) ? CHECKIN_OFFER : undefined;
}

export interface CheckinDeps {
  checkins: CheckinAnswers;
  dossiers: DossierRepository;
  handoffs: HandoffService;
  settings: { operatorName: string; operatorContact: string };
}

/** A check-in completed (its structure is one the DLA accompanies: the menu offers what may come next). */
export interface CheckinResult {
  answered?: boolean;
}

export interface CheckinOptions {
  checkinId: string;
  /** First turn of a proactive check-in: introduce it. */
  intro?: boolean;
  resumed?: boolean;
  /**
   * The answer to the next question, typed at the welcome that offered the check-in
   * (answerAtCheckinOffer): kept, said, and the question after it asked.
   */
  firstAnswer?: { key: string; value: unknown };
}

/**
 * Phase 5 (suivi): a few short questions on the effects of the accompaniment. Each answer is
 * saved at once (a structure can stop and answer the rest later); new needs go to a chargé·e.
 */
export class CheckinDialog extends ComponentDialog {
  constructor(private readonly deps: CheckinDeps) {
    super(CHECKIN_DIALOG);
    const validate = slotValidator(() => CHECKIN_SLOTS);
    this.addDialog(new LocalizedTextPrompt(PROMPT, async (pc) => {
      // « non en fait 3 embauches »: the answer before, corrected (the question asked stays asked).
      const { slot, previous } = (pc.options.validations as { data?: { slot?: string; previous?: string } }).data ?? {};
      const fix = previous && slot && pc.context.activity.type === ActivityTypes.Message ? correctionOf(pc.recognized.value ?? '', previous, slot) : undefined;
      if (fix) {
        setParsedAnswer(pc.context, new Correction(previous!, fix.text, fix.value));
        return true;
      }
      // « on aurait besoin d'aide sur la com » at another question: the need is noted, with what it answers of the question, if anything.
      const text = pc.recognized.value ?? '';
      if (slot && slot !== 'newNeeds' && pc.context.activity.type === ActivityTypes.Message && saysNeed(text)) {
        setParsedAnswer(pc.context, new NeedSaid(text, answerBesidesNeed(slot, text)));
        return true;
      }
      return validate(pc);
    }));
    // « J'ai noté : 2 emplois créés. C'est bien ça ? »: asked once, after a jobs answer read unsure.
    this.addDialog(new LocalizedTextPrompt(CONFIRM_JOBS, async (pc) => {
      if (pc.context.activity.type !== ActivityTypes.Message) return false;
      const read = readJobCountsConfirmation(pc.recognized.value ?? '', pc.attemptCount);
      if (read.ok) {
        setParsedAnswer(pc.context, read.value);
        return true;
      }
      await pc.context.sendActivity(withSuggestions(pc, tr(pc.context)(read.errorKey)));
      return false;
    }));
    this.addDialog(new WaterfallDialog(ASK, [this.askNext.bind(this), this.store.bind(this), this.confirmJobs.bind(this)]));
    this.addDialog(new WaterfallDialog(FINISH, [this.thank.bind(this), this.finish.bind(this)]));
    this.initialDialogId = ASK;
  }

  /** The check-in as this turn reads and writes it: read once, and again after a write (TurnReads). */
  private checkins(context: TurnContext): CheckinAnswers {
    return this.deps.checkins.inTurn(context.turnState);
  }

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as CheckinOptions;
    const t = tr(step.context);
    let checkin = await this.checkins(step.context).get(options.checkinId);
    if (!checkin) return step.endDialog();
    if (options.intro) await step.context.sendActivity(t('checkin.intro', { operator: this.deps.settings.operatorName }));
    if (options.resumed) await step.context.sendActivity(t('checkin.resumed'));
    const slot = nextCheckinSlot(checkin.answers ?? {});
    const early = options.firstAnswer;
    // A need said at the offer (« on a un nouveau projet de tiers-lieu »): noted as at any question, then the next question.
    if (early?.key === NEED_SAID && typeof early.value === 'string') {
      await this.checkins(step.context).addNeedSaid(options.checkinId, early.value);
      await step.context.sendActivity(t('checkin.needNoted'));
      checkin = (await this.checkins(step.context).get(options.checkinId)) ?? checkin;
    } else if (early && slot?.key === early.key) {
      const said = (step.context.activity.text ?? '').trim();
      await step.context.sendActivity(t('checkin.notedAtOffer', { topic: t(`checkin.topics.${early.key}`), example: t(`checkin.correctionExample.${early.key}`), answer: inertMarkdown(said) }));
      // Stored as an answer typed at the question (the next step): what else it says noted too,
      // the jobs read said back when unsure.
      (step.values as { slot?: string }).slot = early.key;
      setParsedAnswer(step.context, early.value);
      return step.next();
    }
    if (!slot) return step.replaceDialog(FINISH, { checkinId: options.checkinId, resumed: options.resumed } satisfies CheckinOptions);
    (step.values as { slot?: string }).slot = slot.key;
    const answers = checkin.answers ?? {};
    const previous = CHECKIN_SLOTS.slice(0, CHECKIN_SLOTS.indexOf(slot)).reverse().find((s) => answers[s.key] !== undefined)?.key;
    // Needs already said along the way: the new-needs question asks for others.
    const said = needsSaid(answers);
    const [key, vars] = slot.key === 'newNeeds' && said.length ? ['checkin.newNeeds.askMore', { needs: said.map((words) => t('quotedWords', { words: inertMarkdown(words) })) }] : [`checkin.${slot.key}.ask`, undefined];
    return step.prompt(PROMPT, LocalizedTextPrompt.options(key, vars, { slot: slot.key, previous }, { suggestions: slot.suggestions }));
  }

  private async store(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as CheckinOptions;
    const answer = parsedAnswer(step.context);
    if (answer instanceof Correction) {
      // The earlier answer replaced, said so; the question asked is asked again.
      await this.checkins(step.context).saveAnswer(options.checkinId, answer.slot, answer.value);
      // The words of the mark replaced go with it.
      if (answer.slot === 'satisfaction') await this.checkins(step.context).saveAnswer(options.checkinId, 'satisfactionWords', satisfactionWords(answer.text) ?? null);
      const t = tr(step.context);
      await step.context.sendActivity(t('checkin.corrected', { topic: t(`checkin.topics.${answer.slot}`), answer: inertMarkdown(answer.text) }));
    } else if (answer instanceof NeedSaid) {
      await this.checkins(step.context).addNeedSaid(options.checkinId, answer.text);
      if (answer.answer !== undefined) await this.checkins(step.context).saveAnswer(options.checkinId, (step.values as { slot: string }).slot, answer.answer);
      await step.context.sendActivity(tr(step.context)('checkin.needNoted'));
    } else {
      const slot = (step.values as { slot: string }).slot;
      await this.checkins(step.context).saveAnswer(options.checkinId, slot, answer);
      // « moyennement, c'était un peu court »: the words said with the mark kept beside it, for the chargé·e.
      const words = slot === 'satisfaction' && typeof answer === 'number' ? satisfactionWords(step.context.activity.text ?? '') : undefined;
      if (words) await this.checkins(step.context).saveAnswer(options.checkinId, 'satisfactionWords', words);
    }
    if (!(answer instanceof Correction)) await this.notePassingFacts(step, (step.values as { slot: string }).slot);
    // The jobs answer read with some numbers, not all its words: what was noted is said back, once.
    if ((step.values as { slot: string }).slot === 'jobs' && !(answer instanceof Correction) && !(answer instanceof NeedSaid)) {
      const counts = (await this.checkins(step.context).get(options.checkinId))?.jobCounts;
      if (jobCountsToConfirm(counts)) {
        return step.prompt(CONFIRM_JOBS, LocalizedTextPrompt.options('checkin.jobCounts.confirm', { counts: jobCountsText(counts, tr(step.context)) }, undefined,
          { suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.no'] }));
      }
    }
    return step.replaceDialog(ASK, { checkinId: options.checkinId });
  }

  /** The structure's answer to « C'est bien ça ? »: the counts confirmed, dropped (its words kept), or given again. */
  private async confirmJobs(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { checkinId } = step.options as CheckinOptions;
    const said = parsedAnswer<JobCountsConfirmation>(step.context);
    const t = tr(step.context);
    if (said && 'answer' in said) {
      await this.checkins(step.context).saveAnswer(checkinId, 'jobs', said.answer);
      await step.context.sendActivity(t('checkin.corrected', { topic: t('checkin.topics.jobs'), answer: inertMarkdown(said.answer) }));
    } else if (said && 'right' in said) {
      if (!said.right && said.words) {
        // « non, c'est plus compliqué que ça »: its words added to the answer, for the chargé·e.
        const before = jobsAnswerText((await this.checkins(step.context).get(checkinId))?.answers?.jobs) ?? '';
        await this.checkins(step.context).saveAnswer(checkinId, 'jobs', t('checkin.jobCounts.answerAndCorrection', { answer: before, correction: said.words }));
      }
      await this.checkins(step.context).confirmJobCounts(checkinId, said.right);
      if (!said.right) await step.context.sendActivity(t('checkin.jobCounts.rejected'));
    }
    return step.replaceDialog(ASK, { checkinId });
  }

  /** « 1 poste créé, la tréso va mieux et on a un partenariat avec la mairie »: the questions it also answers are not asked (it says so). */
  private async notePassingFacts(step: WaterfallStepContext, slot: string): Promise<void> {
    const { checkinId } = step.options as CheckinOptions;
    const answers = (await this.checkins(step.context).get(checkinId))?.answers ?? {};
    const t = tr(step.context);
    const facts = saidInPassing(step.context.activity.text ?? '', slot, answers);
    for (const fact of facts) {
      await this.checkins(step.context).saveAnswer(checkinId, fact.key, fact.value);
      // The words of a mark said in passing go with it, as at its own question.
      const words = fact.key === 'satisfaction' && typeof fact.value === 'number' ? satisfactionWords(fact.text) : undefined;
      if (words) await this.checkins(step.context).saveAnswer(checkinId, 'satisfactionWords', words);
    }
    const vars = (fact: (typeof facts)[number]) => ({ topic: t(`checkin.topics.${fact.key}`), answer: inertMarkdown(fact.text) });
    // One message for all of them (a long answer may hold five).
    if (facts.length === 1) await step.context.sendActivity(t('checkin.alsoNoted', vars(facts[0])));
    else if (facts.length) await step.context.sendActivity(t('checkin.alsoNotedSeveral', { lines: facts.map((fact) => t('checkin.alsoNotedLine', vars(fact))).join('\n') }));
  }

  /**
   * Every question answered: thanks. New needs of a structure that left no e-mail nor phone: its
   * contact is asked first (HandoffContactDialog, MainDialog's), as for any request for a
   * chargé·e — the check-in stays open meanwhile, its answers saved: after a « pause » there,
   * « reprendre » comes back to it.
   */
  private async thank(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { checkinId } = step.options as CheckinOptions;
    const checkin = await this.checkins(step.context).get(checkinId);
    if (!checkin) return step.endDialog();
    const dossier = await dossierOf(step.context, this.deps, checkin.dossierId);
    const askContact = dossier && newNeeds(checkin.answers ?? {}).length && !reachable(dossier.answers?.contact);
    // Resumed at the contact (after a « pause » there): the thanks were said already.
    if (!(askContact && (step.options as CheckinOptions).resumed)) await step.context.sendActivity(t('checkin.thanks', { operator: this.deps.settings.operatorName }));
    if (askContact) {
      return step.beginDialog(HANDOFF_CONTACT_DIALOG, { dossierId: dossier._id, reason: 'followup_new_needs' } satisfies HandoffContactOptions);
    }
    return step.next();
  }

  /** The check-in answered; its new needs passed on to a chargé·e (unless the structure backed out at its contact). */
  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { checkinId } = step.options as CheckinOptions;
    const checkin = await this.checkins(step.context).get(checkinId);
    if (!checkin) return step.endDialog();
    const contact = step.result as ContactAsked | undefined;
    // The contact just asked was saved on the dossier: read again.
    if (contact) dossierReads(step.context).forget(checkin.dossierId);
    const dossier = await completeCheckin(step.context, this.deps, checkinId, checkin.dossierId);
    const needs = newNeeds(checkin.answers ?? {});
    if (needs.length && dossier && !contact?.cancelled) await passOnNewNeeds(step.context, this.deps, dossier, needs.join('\n'), 'checkin.newNeedsHandedOff');
    return step.endDialog({ answered: true } satisfies CheckinResult);
  }
}

/** The check-in answered: on the dossier too (its follow-up's answeredAt). */
async function completeCheckin(context: TurnContext, deps: CheckinDeps, checkinId: string, dossierId: string): Promise<Dossier | undefined> {
  await deps.checkins.inTurn(context.turnState).complete(checkinId);
  const dossier = await dossierOf(context, deps, dossierId);
  if (dossier) {
    dossier.followup = { ...(dossier.followup ?? {}), answeredAt: new Date() };
    try {
      await deps.dossiers.save(dossier, context);
    } finally {
      dossierReads(context).forget(dossierId);
    }
  }
  return dossier;
}

const DOSSIER_READS = Symbol('checkin.dossierReads');

/** The dossiers this turn of the check-in read (the thanks, then the check-in completed): each once, until saved. */
function dossierReads(context: TurnContext): TurnReads<Dossier | undefined> {
  return TurnReads.of(context.turnState, DOSSIER_READS);
}

function dossierOf(context: TurnContext, deps: CheckinDeps, dossierId: string): Promise<Dossier | undefined> {
  return dossierReads(context).read(dossierId, (id) => deps.dossiers.get(id));
}

/**
 * « Ne plus me relancer » while the dossier's check-in is still open with needs already given
 * (paused at the contact asked for them, or left for a request for a chargé·e in the middle of
 * it): opting out of check-ins is not withdrawing them — they are passed on now, and a check-in
 * whose questions were all answered counts as answered. False when there was nothing to pass on.
 * `tell` false: the caller says it (the request for a chargé·e passed on with them).
 */
export async function passOnNeedsAtOptOut(context: TurnContext, deps: CheckinDeps, dossier: Dossier, tell = true): Promise<boolean> {
  const pending = await deps.checkins.inTurn(context.turnState).pendingFor(dossier._id);
  const answers = pending?.answers ?? {};
  const needs = newNeeds(answers);
  if (!pending || !needs.length) return false;
  const done = nextCheckinSlot(answers) ? dossier : await completeCheckin(context, deps, pending._id, dossier._id);
  await passOnNewNeeds(context, deps, done ?? dossier, needs.join('\n'), 'checkin.newNeedsHandedOff', tell);
  return true;
}

/** The needs said along the way, then those the new-needs question gave. */
function newNeeds(answers: Record<string, unknown>): string[] {
  const needs = answers.newNeeds as { any: boolean; text: string } | undefined;
  return [...needsSaid(answers), ...(needs?.any ? [needs.text] : [])];
}

