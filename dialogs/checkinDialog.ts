import { ComponentDialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { CHECKIN_SLOTS, nextCheckinSlot } from '../src/domain/checkinForm';
import { CheckinAnswers } from '../src/followup/checkinAnswers';
import { HandoffService } from '../src/handoff/service';
import { DossierRepository } from '../src/store/dossiers';
import { parsedAnswer, slotValidator } from './formSupport';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { tr } from './turnLocale';

export const CHECKIN_DIALOG = 'checkin';
const ASK = 'checkin.ask';
const PROMPT = 'checkin.prompt';

/** The question of the check-in being asked in `dc` (or in a dialog beneath it), if one is. */
export function checkinQuestionAsked(dc: DialogContext | undefined): string | undefined {
  for (let c = dc; c; c = c.child) {
    const ask = c.stack.find((d) => d.id === ASK);
    if (ask) return (ask.state as { values?: { slot?: string } }).values?.slot;
  }
  return undefined;
}

export interface CheckinDeps {
  checkins: CheckinAnswers;
  dossiers: DossierRepository;
  handoffs: HandoffService;
  settings: { operatorName: string };
}

export interface CheckinOptions {
  checkinId: string;
  /** First turn of a proactive check-in: introduce it. */
  intro?: boolean;
  resumed?: boolean;
}

/**
 * Phase 5 (suivi): a few short questions on the effects of the accompaniment. Each answer is
 * saved at once (a structure can stop and answer the rest later); new needs go to a chargé·e.
 */
export class CheckinDialog extends ComponentDialog {
  constructor(private readonly deps: CheckinDeps) {
    super(CHECKIN_DIALOG);
    this.addDialog(new LocalizedTextPrompt(PROMPT, slotValidator(() => CHECKIN_SLOTS)));
    this.addDialog(new WaterfallDialog(ASK, [this.askNext.bind(this), this.store.bind(this)]));
    this.initialDialogId = ASK;
  }

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as CheckinOptions;
    const t = tr(step.context);
    const checkin = await this.deps.checkins.get(options.checkinId);
    if (!checkin) return step.endDialog();
    if (options.intro) await step.context.sendActivity(t('checkin.intro', { operator: this.deps.settings.operatorName }));
    if (options.resumed) await step.context.sendActivity(t('checkin.resumed'));
    const slot = nextCheckinSlot(checkin.answers ?? {});
    if (!slot) return this.finish(step, checkin.dossierId, checkin.answers ?? {});
    (step.values as { slot?: string }).slot = slot.key;
    return step.prompt(PROMPT, LocalizedTextPrompt.options(`checkin.${slot.key}.ask`, undefined, { slot: slot.key }, { suggestions: slot.suggestions }));
  }

  private async store(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as CheckinOptions;
    await this.deps.checkins.saveAnswer(options.checkinId, (step.values as { slot: string }).slot, parsedAnswer(step.context));
    return step.replaceDialog(ASK, { checkinId: options.checkinId });
  }

  private async finish(step: WaterfallStepContext, dossierId: string, answers: Record<string, unknown>): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const options = step.options as CheckinOptions;
    await this.deps.checkins.complete(options.checkinId);
    const dossier = await this.deps.dossiers.get(dossierId);
    if (dossier) {
      dossier.followup = { ...(dossier.followup ?? {}), answeredAt: new Date() };
      await this.deps.dossiers.save(dossier, step.context);
    }
    await step.context.sendActivity(t('checkin.thanks', { operator: this.deps.settings.operatorName }));
    const needs = answers.newNeeds as { any: boolean; text: string } | undefined;
    if (needs?.any && dossier) {
      await this.deps.handoffs.trigger(step.context, 'followup_new_needs', dossier, needs.text);
      await step.context.sendActivity(t('checkin.newNeedsHandedOff'));
      await step.context.sendActivity(this.deps.handoffs.whatNext(t));
    }
    return step.endDialog({ answered: true });
  }
}
