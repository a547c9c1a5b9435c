import { ComponentDialog, DialogTurnResult, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { reachable } from '../src/domain/callBack';
import { newNeedWithoutSubject, readNewNeed } from '../src/domain/newNeed';
import { inertMarkdown } from '../src/domain/text';
import { HandoffService } from '../src/handoff/service';
import { DossierRepository } from '../src/store/dossiers';
import type { AccueilSettings } from './accueilDialog';
import { ContactAsked, HANDOFF_CONTACT_DIALOG, HandoffContactOptions, passOnNewNeeds } from './handoffContactDialog';
import { LocalizedChoicePrompt, NO, NOTHING, YES } from './localizedChoicePrompt';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { themeLines } from './diagnosticDialog';
import { tr } from './turnLocale';

export const NEW_NEED_DIALOG = 'newNeed';
const STEPS = 'newNeed.steps';
const CONFIRM_PROMPT = 'newNeed.confirm';
/** What the new need is: a simple question asked there is answered, then it is asked again (MainDialog). */
export const NEED_PROMPT = 'newNeed.need';

export interface NewNeedOptions {
  dossierId: string;
  /** The structure's words, passed on as said; without what the need is (« J'ai un nouveau besoin »), it is asked. */
  text: string;
}

export interface NewNeedDeps {
  dossiers: DossierRepository;
  handoffs: HandoffService;
  settings: Pick<AccueilSettings, 'operatorName' | 'operatorContact'>;
}

/**
 * A new need said at the menu by a structure the DLA already knows (its accueil, its diagnostic
 * done: « on a un nouveau besoin : refaire notre communication »): what was understood is said
 * back (the themes it reads as), confirmed, and passed on to a chargé·e as a check-in's new needs
 * are (handoff reason followup_new_needs, the structure's words as its message) — the contact asked
 * first when the dossier holds no e-mail nor phone (HandoffContactDialog, MainDialog's).
 */
export class NewNeedDialog extends ComponentDialog {
  constructor(private readonly deps: NewNeedDeps) {
    super(NEW_NEED_DIALOG);
    this.addDialog(new LocalizedChoicePrompt(CONFIRM_PROMPT));
    this.addDialog(new LocalizedTextPrompt(NEED_PROMPT));
    this.addDialog(new WaterfallDialog(STEPS, [this.askNeed.bind(this), this.sayBack.bind(this), this.askContact.bind(this), this.passOn.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async askNeed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { text } = step.options as NewNeedOptions;
    if (text.trim() && !newNeedWithoutSubject(text)) return step.next(text);
    return step.prompt(NEED_PROMPT, LocalizedTextPrompt.options('handoffUser.newNeed.ask', undefined, { slot: 'need' }));
  }

  private async sayBack(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const text = (said(step).text = step.result as string);
    const themes = readNewNeed(text)?.themes ?? [];
    const needs = inertMarkdown(text.trim());
    await step.context.sendActivity(themes.length ? `${t('handoffUser.newNeed.understood', { needs })}\n\n${themeLines(t, themes)}` : t('handoffUser.newNeed.understoodNoTheme', { needs }));
    return step.prompt(CONFIRM_PROMPT, LocalizedChoicePrompt.options('handoffUser.newNeed.prompt', 'handoffUser.newNeed.retry', [
      { id: 'yes', key: 'handoffUser.newNeed.yes', synonyms: [...YES, 'transmettre', 'confirmer', 'valider', 'send it', 'pass it on', 'confirm'] },
      { id: 'no', key: 'handoffUser.newNeed.no', synonyms: [...NO, ...NOTHING, 'ne rien transmettre', 'do not send'] },
    ], { operator: this.deps.settings.operatorName }));
  }

  /** Confirmed: without an e-mail nor a phone to call back, the contact is asked first (as for any request for a chargé·e). */
  private async askContact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as FoundChoice | undefined)?.value !== 'yes') {
      await step.context.sendActivity(tr(step.context)('handoffUser.newNeed.cancelled'));
      return step.endDialog();
    }
    const { dossierId } = step.options as NewNeedOptions;
    const dossier = await this.deps.dossiers.get(dossierId);
    if (dossier && !reachable(dossier.answers?.contact)) {
      return step.beginDialog(HANDOFF_CONTACT_DIALOG, { dossierId, reason: 'followup_new_needs' } satisfies HandoffContactOptions);
    }
    return step.next();
  }

  private async passOn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { dossierId } = step.options as NewNeedOptions;
    const { text } = said(step);
    // « annuler » at the contact: HandoffContactDialog said nothing is passed on.
    if ((step.result as ContactAsked | undefined)?.cancelled) return step.endDialog();
    const dossier = await this.deps.dossiers.get(dossierId);
    if (!dossier) return step.endDialog();
    await passOnNewNeeds(step.context, this.deps, dossier, text.trim(), 'handoffUser.newNeed.handedOff');
    return step.endDialog();
  }
}

/** The need as the structure said it (at the menu, or asked here), for the whole waterfall. */
const said = (step: WaterfallStepContext) => step.values as { text: string };
