import { ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext, FoundChoice } from 'botbuilder-dialogs';
import { LocalizedChoicePrompt, NO, YES } from './localizedChoicePrompt';
import { tr } from './turnLocale';

export const DISCOVER_DIALOG = 'discover';
const STEPS = 'discover.steps';
const NEXT_PROMPT = 'discover.next';
/** The tour's « étape suivante ? » (MainDialog answers a simple question asked there). */
export const DISCOVER_NEXT_PROMPT = NEXT_PROMPT;
const PHASES = 5;

interface DiscoverOptions {
  phase: number;
}

/** Walks the structure through the five DLA phases, one at a time, at its own pace. */
export class DiscoverDialog extends ComponentDialog {
  constructor() {
    super(DISCOVER_DIALOG);
    this.addDialog(new LocalizedChoicePrompt(NEXT_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [this.showPhase.bind(this), this.afterChoice.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async showPhase(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phase = 1 } = (step.options ?? {}) as Partial<DiscoverOptions>;
    const t = tr(step.context);
    if (phase === 1) await step.context.sendActivity(t('discover.intro'));
    await step.context.sendActivity(t(`discover.phase${phase}`));
    if (phase >= PHASES) {
      await step.context.sendActivity(t('discover.done'));
      return step.endDialog();
    }
    return step.prompt(NEXT_PROMPT, LocalizedChoicePrompt.options('discover.next', 'discover.nextRetry', [
      { id: 'next', key: 'discover.continue', synonyms: [...YES, 'suivant', 'suivante', 'continuer'] },
      { id: 'menu', key: 'discover.back', synonyms: [...NO, 'retour', 'back', 'stop'] },
    ]));
  }

  private async afterChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phase = 1 } = (step.options ?? {}) as Partial<DiscoverOptions>;
    if ((step.result as FoundChoice).value === 'next') return step.replaceDialog(STEPS, { phase: phase + 1 });
    return step.endDialog();
  }
}
