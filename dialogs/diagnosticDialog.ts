import { inertMarkdown, isDontKnow, listItem, normalize } from '../src/domain/text';
import type { Translate } from '../src/i18n';
import { ActivityTypes, Attachment, CardFactory, Channels, TurnContext } from 'botbuilder';
import {
  ComponentDialog, Dialog, DialogContext, DialogTurnResult, DialogTurnStatus, FoundChoice, ListStyle, PromptOptions, PromptValidatorContext, WaterfallDialog, WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  Area, AREAS, budgetSaidWith, correctionsNamed, DIAGNOSTIC_SLOTS, DiagnosticAnswers, fundingSaidWith, governanceSaidWith, laterAnswersAt, nextDiagnosticSlot, parseAreaSubmit, parseUrgency, remainingQuestions, situationWithUrgency, staffCorrected, toldOfActivityAndBudget, unratedAreas, urgencies, urgencyAlone,
} from '../src/domain/diagnosticForm';
import { DIAGNOSTIC_FIELD_WORDS, fieldsNamed } from '../src/domain/fieldWords';
import { notUnderstood, ok } from '../src/domain/form';
import { diagnosticFacts, rankingText } from '../src/domain/diagnosticFacts';
import { AccueilAnswers, correctionAtQuestion, etpSaid, recap, recapText, sameAnswer, withAnswers } from '../src/domain/accueilForm';
import { applyReorder, keepOrder, proposeAxes, ReorderError } from '../src/domain/ranking';
import { addsToThemes, mapNeedsToThemes, Theme, THEMES } from '../src/domain/themes';
import { HandoffService } from '../src/handoff/service';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { KEEP_ANSWER, parsedAnswer, setParsedAnswer, slotValidator, withSuggestions } from './formSupport';
import { LocalizedChoicePrompt, NOTHING } from './localizedChoicePrompt';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { retryToSay, tr } from './turnLocale';

/** The parsed answer of a message that answers other questions than the one asked (asideAt): kept by keepAside. */
const ASIDE = Symbol('diagnostic.aside');

/** At the question `slot`, a message that answers others instead (keepAside): an earlier answer corrected, or at the budget or funding question later ones told. */
function asideAt(slot: string, text: string): boolean {
  if (slot === 'staff' || !DIAGNOSTIC_SLOTS.some((s) => s.key === slot)) return false;
  return correctionAtQuestion(slot, text)?.employees !== undefined || Object.keys(laterAnswersAt(slot, text, {}, 0)).length > 0;
}

export const DIAGNOSTIC_DIALOG = 'diagnostic';
const ASK = 'diagnostic.ask';
const THEMES_STEP = 'diagnostic.themes';
const RANKING = 'diagnostic.ranking';
const SUMMARY = 'diagnostic.summary';
const TEXT_PROMPT = 'diagnostic.text';
const CHOICE_PROMPT = 'diagnostic.choice';

export interface DiagnosticDeps {
  dossiers: DossierRepository;
  handoffs: HandoffService;
  onConfirmed?: (dossierId: string) => Promise<void>;
  settings: { operatorName: string };
  now?: () => Date;
}

export interface DiagnosticOptions {
  dossierId: string;
  /** Set when coming back after a pause or in another conversation. */
  resumed?: boolean;
  /** The area card just answered (cardSubmit): the same submit again is a double click, ignored. */
  answered?: string;
  /** The answer being corrected at review, shown with its question (and filled in the area card). */
  previous?: PreviousAnswer;
  /**
   * The first question's answer, typed at « On commence ? » (firstAnswerAtStart), or the waiting
   * question's, typed at the welcome of a new conversation (answerAtDiagnosticOffer): kept, said,
   * and the next question asked.
   */
  firstAnswer?: { key: string; value: unknown };
  /** The question asked again after an aside (keepAside): the areas' introduction was said with it already. */
  askedAgain?: boolean;
}

interface PreviousAnswer {
  field: string;
  text: string;
  /** What the correction cleared, back as it was when the structure keeps its answer (« annuler »). */
  kept?: { answers: DiagnosticAnswers; themes?: string[] };
  situation?: string;
  urgency?: number;
}

/** turnState key of the dossiers read this turn (DiagnosticDialog.turnDossier). */
const TURN_DOSSIERS = Symbol('diagnostic.dossiers');

/** Channels that render Adaptive Cards (the text questions remain the fallback everywhere). */
const CARD_CHANNELS = new Set<string>([Channels.Msteams, Channels.Directline, Channels.Webchat, Channels.Emulator]);

/** The groups a structure can correct at review (an area = its situation and its urgency). */
const FIXABLE = ['activity', 'budget', 'funding', 'staff', 'governance', ...AREAS, 'support', 'availability', 'needs'] as const;

/**
 * Phases 2–3: the inputs a chargé·e needs before the diagnostic partagé, the themes of the
 * structure's needs, its ranking of the axes of change, and a summary it confirms. Every answer
 * is saved on the dossier at once: "pause", a closed page or days of silence lose nothing.
 */
export class DiagnosticDialog extends ComponentDialog {
  private readonly now: () => Date;

  constructor(private readonly deps: DiagnosticDeps) {
    super(DIAGNOSTIC_DIALOG);
    this.now = deps.now ?? (() => new Date());
    const base = slotValidator(() => [...DIAGNOSTIC_SLOTS, THEME_CHOICE_SLOT]);
    this.addDialog(new LocalizedTextPrompt(TEXT_PROMPT, (pc) => this.validate(pc, base),
      (context, card) => areaCard(context, card.area as Area, card.previous as PreviousAnswer | undefined)));
    this.addDialog(new LocalizedChoicePrompt(CHOICE_PROMPT));
    this.addDialog(new WaterfallDialog(ASK, [this.askNext.bind(this), this.storeAnswer.bind(this)]));
    this.addDialog(new WaterfallDialog(THEMES_STEP, [this.showThemes.bind(this), this.afterThemes.bind(this), this.afterThemeChoice.bind(this)]));
    this.addDialog(new WaterfallDialog(RANKING, [this.proposeRanking.bind(this), this.afterRanking.bind(this)]));
    this.addDialog(new WaterfallDialog(SUMMARY, [this.showSummary.bind(this), this.afterSummary.bind(this), this.afterFixChoice.bind(this)]));
    this.initialDialogId = ASK;
  }

  // ——— one question at a time: the first one not answered yet ———

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const dossier = await this.dossier(options, step.context);
    if (Object.keys(dossier.diagnostic!.answers).length === 0) await this.keepToldEarly(dossier, step.context, options.firstAnswer);
    const answers = dossier.diagnostic!.answers;
    const t = tr(step.context);
    if (options.resumed) {
      await step.context.sendActivity(t('diagnostic.resumed', { count: remainingQuestions(answers) }));
      options.resumed = false;
    }
    const slot = nextDiagnosticSlot(answers);
    const early = options.firstAnswer;
    if (early && slot?.key === early.key && early.key === 'activity') {
      const budget = budgetWith(answers, early.value);
      await this.keep(dossier, { ...answers, [early.key]: early.value, ...budget }, step.context);
      await step.context.sendActivity(t(`diagnostic.${early.key}.noted`, { answer: inertMarkdown(String(early.value)) }));
      if (budget) await step.context.sendActivity(t('diagnostic.budget.alsoNoted', { value: budget.budget.euros }));
      return step.replaceDialog(ASK, { dossierId: options.dossierId });
    }
    if (early && slot?.key === early.key) {
      // The waiting question answered at the welcome (answerAtDiagnosticOffer): said, then stored
      // as an answer typed at the question (the next step), and the question after it asked.
      const said = (step.context.activity.text ?? '').trim();
      const area = slot.area && `diagnostic.areas.${slot.area}`;
      await step.context.sendActivity(t('diagnostic.notedAtOffer', { topic: t(area || `diagnostic.summary.${early.key}`), answer: inertMarkdown(said) }));
      values(step).slot = early.key;
      setParsedAnswer(step.context, early.value);
      return step.next();
    }
    if (!slot) return step.replaceDialog(dossier.diagnostic!.themes?.length ? RANKING : THEMES_STEP, { dossierId: options.dossierId });
    values(step).slot = slot.key;
    if (slot.area && slot.key === `${AREAS[0]}_situation` && !options.askedAgain) await step.context.sendActivity(t('diagnostic.area.intro'));
    // Correcting an answer: the structure sees what it wrote before (and the card has it filled in).
    const previous = options.previous && [options.previous.field, `${options.previous.field}_situation`].includes(slot.key) ? options.previous : undefined;
    options.previous = undefined;
    if (previous) await step.context.sendActivity(t('diagnostic.fix.previous', { answer: inertMarkdown(previous.text) }));
    values(step).kept = previous?.kept;
    const keepable = !!previous?.kept;
    if (slot.kind === 'urgency') {
      const area = { $t: `diagnostic.areas.${slot.area}` };
      // The area's card, still on screen, answers its urgency question too (the situation with it).
      return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options('diagnostic.urgency.ask', { area }, { slot: slot.key, area: slot.area, answered: options.answered, keepable },
        { suggestions: ['diagnostic.urgency.1', 'diagnostic.urgency.2', 'diagnostic.urgency.3', 'diagnostic.urgency.4'] }));
    }
    if (slot.area) {
      const area = { $t: `diagnostic.areas.${slot.area}` };
      const card = CARD_CHANNELS.has(step.context.activity.channelId) ? { area: slot.area, ...(previous ? { previous } : {}) } : undefined;
      return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options('diagnostic.area.ask', { area }, { slot: slot.key, area: slot.area, answered: options.answered, keepable },
        card ? { card } : {}));
    }
    // The ETP said at the accueil is not asked again: only the volunteers are.
    const etp = slot.key === 'staff' ? etpSaid(dossier.answers?.employees) : undefined;
    if (typeof etp === 'number') {
      return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options('diagnostic.staff.askKnown', { etp }, { slot: slot.key, carried: String(etp), answered: options.answered, keepable }));
    }
    return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options(`diagnostic.${slot.key}.ask`, undefined, { slot: slot.key, answered: options.answered, keepable }));
  }

  /**
   * A card submitted again — a double click on « Valider » just answered, or an old card already
   * told about — is ignored: no second message, no question asked again.
   */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    // Confirmed meanwhile in another tab or conversation: this one's old question changes nothing.
    const dossierId = innerDc.stack.map((d) => (d.state as { options?: Partial<DiagnosticOptions> }).options?.dossierId).find(Boolean);
    if (dossierId && (await this.turnDossier(innerDc.context, dossierId))?.diagnostic?.confirmedAt) {
      await innerDc.context.sendActivity(tr(innerDc.context)('diagnostic.confirmedElsewhere'));
      return { status: DialogTurnStatus.complete, result: { confirmed: true } };
    }
    const submitted = cardSubmit(innerDc.context);
    const prompt = innerDc.activeDialog?.state as { options?: PromptOptions; state?: { stale?: string } } | undefined;
    const data = (prompt?.options?.validations as { data?: { answered?: string } } | undefined)?.data;
    if (submitted && (submitted === data?.answered || submitted === prompt?.state?.stale)) return Dialog.EndOfTurn;
    return super.onContinueDialog(innerDc);
  }

  /** A card submit answers an area's two questions at once; typed text goes through the slot parser. */
  private async validate(pc: PromptValidatorContext<string>, base: (pc: PromptValidatorContext<string>) => Promise<boolean>): Promise<boolean> {
    const data = (pc.options.validations as { data?: { area?: Area; slot?: string; order?: Theme[] } }).data;
    if (data?.slot === 'ranking') {
      const order = data.order ?? [];
      const said = pc.recognized.value ?? '';
      // « je ne sais pas »: the order shown stands (the chargé·e goes through it with the structure).
      if (isDontKnow(said)) {
        setParsedAnswer(pc.context, { keep: true, order, dontKnow: true });
        return true;
      }
      // « actually we have 9 employees and the budget is 650k »: other answers corrected, then the ranking asked again.
      if (Object.keys(correctionsNamed(said, {})).length) {
        setParsedAnswer(pc.context, { keep: false, order, corrections: true });
        return true;
      }
      const reordered = applyReorder(order, said);
      if ('error' in reordered) {
        // No order read: counted as misunderstood, so that the third in a row hands over to a
        // chargé·e rather than asking forever — but for a first « non », which answers « Cet
        // ordre vous convient-il ? » (the new order is asked for next).
        const state = pc.state as { changeAsked?: boolean };
        const firstNo = reordered.error === 'wants_change' && !state.changeAsked;
        if (reordered.error === 'wants_change') state.changeAsked = true;
        if (!firstNo && !retryToSay(pc.context)) return false;
        await pc.context.sendActivity(reorderError(pc.context, reordered.error, order, reordered.theme));
        return false;
      }
      setParsedAnswer(pc.context, reordered);
      return true;
    }
    const submitted = pc.context.activity.value;
    // An urgency chosen on the card without its situation: kept for the situation typed next.
    const state = pc.state as { urgency?: number };
    if (submitted && typeof submitted === 'object' && !pc.context.activity.text) {
      const parsed = data?.area ? parseAreaSubmit(submitted, data.area) : undefined;
      const { urgency, situation } = parsed?.ok ? parsed.value : {};
      if (parsed && !parsed.ok && parsed.errorKey === 'diagnostic.area.invalid' && data?.slot?.endsWith('_situation')) {
        state.urgency = parseUrgency(String((submitted as { urgency?: unknown }).urgency ?? '')) ?? state.urgency;
      }
      if (situation && urgency) {
        setParsedAnswer(pc.context, { areaSubmit: { situation, urgency } });
        return true;
      }
      // No urgency with it: the situation is kept (at its question), and the urgency asked next.
      if (situation && data?.slot?.endsWith('_situation')) {
        setParsedAnswer(pc.context, situation);
        return true;
      }
      const errorKey = parsed && !parsed.ok ? parsed.errorKey : situation ? 'diagnostic.urgency.invalid' : 'diagnostic.card.otherQuestion';
      const stale = errorKey === 'diagnostic.card.otherQuestion';
      // Said once: the same old card submitted again is ignored (onContinueDialog).
      if (stale) (pc.state as { stale?: string }).stale = cardSubmit(pc.context);
      // A card that cannot be read (no urgency chosen, a situation of a word) is misunderstood
      // like a typed answer: the third in a row hands over rather than asking forever.
      else if (!retryToSay(pc.context)) return false;
      // An old card: the current question is said with it (in Teams it may be far up the thread).
      const said = tr(pc.context)(errorKey);
      await pc.context.sendActivity(withSuggestions(pc, stale ? `${said}\n\n${LocalizedTextPrompt.question(pc.context, pc.options)}` : said));
      return false;
    }
    // « en fait 5 salariées » at any question but the staff's, « on a 20 bénévoles et le CA se réunit
    // peu » at the funding question: answers of other questions, kept (keepAside), then this one asked again.
    if (data?.slot && pc.context.activity.type === ActivityTypes.Message && asideAt(data.slot, pc.recognized.value ?? '')) {
      setParsedAnswer(pc.context, ASIDE);
      return true;
    }
    const read = await base(pc);
    const typed = parsedAnswer(pc.context);
    // The situation typed after the card gave its urgency alone: both answered, as by the card (unless it says its own urgency).
    if (read && state.urgency && typeof typed === 'string' && data?.slot?.endsWith('_situation') && !situationWithUrgency(typed)) {
      setParsedAnswer(pc.context, { areaSubmit: { situation: typed, urgency: state.urgency } });
    }
    return read;
  }

  private async storeAnswer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const dossier = await this.dossier(options, step.context);
    const key = values(step).slot!;
    const parsed = parsedAnswer<unknown>(step.context);
    const kept = values(step).kept;
    if (parsed === KEEP_ANSWER && kept) {
      // The answer being corrected stays as it was (its themes too): on to the summary.
      dossier.diagnostic!.answers = { ...dossier.diagnostic!.answers, ...kept.answers };
      if (kept.themes) dossier.diagnostic!.themes = kept.themes;
      await this.deps.dossiers.save(dossier, step.context);
      return step.replaceDialog(ASK, { dossierId: options.dossierId });
    }
    if (parsed === ASIDE) return this.keepAside(step, dossier);
    const answers: DiagnosticAnswers = { ...dossier.diagnostic!.answers };
    const areaSubmit = (parsed as { areaSubmit?: { situation: string; urgency: number } } | undefined)?.areaSubmit;
    // A situation typed with its urgency (« …, urgence 3 ») answers both questions, like the card;
    // so does an urgency alone (« c'est très urgent ») kept as the situation after the retries.
    const typedWithUrgency = !areaSubmit && key.endsWith('_situation') && typeof parsed === 'string' ? situationWithUrgency(parsed) ?? alone(parsed) : undefined;
    const both = areaSubmit ?? typedWithUrgency;
    if (both) {
      const area = key.replace(/_(situation|urgency)$/, '');
      answers[`${area}_situation`] = both.situation;
      answers[`${area}_urgency`] = both.urgency;
    } else {
      answers[key] = parsed;
    }
    const budget = key === 'activity' ? budgetWith(answers, parsed) : undefined;
    // « 12 ETP et 15 bénévoles, CA de 9 membres avec 3 collèges »: the governance told with the staff is not asked again.
    const governance = governanceSaidWith(key, step.context.activity.text ?? '', answers);
    // « 900k, 60 % ventes 40 % subventions »: the funding told with the budget is not asked again.
    const funding = typeof parsed === 'object' && (parsed as { unread?: boolean })?.unread ? undefined : fundingSaidWith(key, step.context.activity.text ?? '', answers);
    await this.keep(dossier, { ...answers, ...budget, ...(governance ? { governance } : {}), ...(funding ? { funding } : {}) }, step.context);
    if (budget) await step.context.sendActivity(tr(step.context)('diagnostic.budget.alsoNoted', { value: budget.budget.euros }));
    if (funding) await step.context.sendActivity(tr(step.context)('diagnostic.funding.alsoNoted', { answer: factValue(tr(step.context), 'funding', { funding }) }));
    if (governance) await step.context.sendActivity(tr(step.context)('diagnostic.governance.alsoNoted', { answer: inertMarkdown((governance as { text: string }).text) }));
    // An answer kept as written after the retries: the structure knows, and can correct it at review.
    const unread = (parsed as { unread?: boolean; text?: string } | undefined);
    if (unread?.unread) await step.context.sendActivity(tr(step.context)('diagnostic.keptAsWritten', { answer: unread.text }));
    // Employees read from the answer (not the accueil's carried): said back once, so that a misreading is seen.
    const staff = key === 'staff' ? parsed as { employees?: unknown; volunteers?: number; etpFromAccueil?: boolean } | undefined : undefined;
    if (typeof staff?.employees === 'number' && !staff.etpFromAccueil) {
      await step.context.sendActivity(tr(step.context)(typeof staff.volunteers === 'number' ? 'diagnostic.staff.notedVolunteers' : 'diagnostic.staff.noted',
        { etp: staff.employees, count: staff.volunteers }));
    }
    // An urgency read from words (« …, c'est très urgent »): said, so that a misreading is seen.
    if (typedWithUrgency?.fromWords) {
      const t = tr(step.context);
      const area = key.replace(/_situation$/, '');
      await step.context.sendActivity(t('diagnostic.urgency.readFromWords', { area: t(`diagnostic.areas.${area}`), level: t(`diagnostic.urgency.${typedWithUrgency.urgency}`) }));
    }
    return step.replaceDialog(ASK, { dossierId: options.dossierId, answered: areaSubmit ? cardSubmit(step.context) : undefined });
  }

  // ——— needs → themes: show what was understood, let the structure correct it ———

  private async showThemes(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const dossier = await this.dossier(step.options as DiagnosticOptions, step.context);
    await step.context.sendActivity(`${t('diagnostic.themes.understood')}\n\n${themeLines(t, themesUnderstood(dossier))}`);
    // « oui mais il manque la communication », « ajoute le numérique »: a correction too.
    return step.prompt(CHOICE_PROMPT, LocalizedChoicePrompt.confirmOrFix('diagnostic.themes', 'diagnostic.themes.yes', 'diagnostic.themes.fix',
      ['il manque', 'manque', 'ajoute', 'ajouter', 'rajoute', 'add', 'missing']));
  }

  private async afterThemes(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const dossier = await this.dossier(options, step.context);
    const shown = themesUnderstood(dossier).map((m) => m.theme);
    const text = step.context.activity.text ?? '';
    // « il manque la communication »: the theme named is added at once, no list to go through.
    const added = (step.result as FoundChoice).value === 'yes' || !addsToThemes(text) ? [] : mapNeedsToThemes(text).map((s) => s.theme);
    if ((step.result as FoundChoice).value === 'yes' || added.length) {
      dossier.diagnostic!.themes = [...new Set([...shown, ...added])];
      await this.deps.dossiers.save(dossier, step.context);
      const t = tr(step.context);
      const news = added.filter((theme) => !shown.includes(theme)).map((theme) => t(`themes.label.${theme}`));
      if (news.length) await step.context.sendActivity(t('diagnostic.themes.added', { themes: news.join(', ') }));
      return step.replaceDialog(RANKING, { dossierId: options.dossierId, review: true });
    }
    const t = tr(step.context);
    // What was understood is marked: the answer replaces it, and the structure sees what it replaces.
    const understood = new Set(themesUnderstood(dossier, Infinity).map((m) => m.theme));
    const list = THEMES.map((theme, i) => `${i + 1}. ${t(`themes.label.${theme}`)}${understood.has(theme) ? ` ${t('diagnostic.themes.understoodMark')}` : ''}`).join('\n');
    values(step).slot = 'themes';
    return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options('diagnostic.themes.choose', { list }, { slot: 'themes' }));
  }

  private async afterThemeChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const dossier = await this.dossier(options, step.context);
    const named = parsedAnswer<Theme[]>(step.context) ?? [];
    const text = step.context.activity.text ?? '';
    // « garder ceux-là et ajouter… »: in addition to what was understood, not instead of it;
    // « je ne sais pas »: what was understood stays.
    const understood = addsToThemes(text) || isDontKnow(text) ? themesUnderstood(dossier).map((m) => m.theme) : [];
    dossier.diagnostic!.themes = [...new Set([...understood, ...named])];
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(RANKING, { dossierId: options.dossierId, review: true });
  }

  // ——— ranking: an order proposed from urgencies and needs, confirmed or reordered ———

  private async proposeRanking(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // order: the structure's new order, to confirm; review: the needs were just answered again
    // (« Les besoins et les axes »), so the ranking is shown even when its axes are the same.
    const options = step.options as DiagnosticOptions & { order?: Theme[]; review?: boolean };
    const dossier = await this.dossier(options, step.context);
    const d = dossier.diagnostic!;
    const explained = proposeAxes(urgencies(d.answers), (d.themes ?? []).map((theme, i) => ({ theme: theme as Theme, score: 10 - i })), unratedAreas(d.answers));
    const t = tr(step.context);
    const label = (axis: Theme) => t(`themes.label.${axis}`);
    // An order the structure gave before a pause is taken up again, to confirm.
    if (!options.order && !d.ranking?.length && d.rankingDraft?.length) options.order = d.rankingDraft as Theme[];
    // The structure's order stands after a correction (new axes where the proposal puts them).
    let proposed = options.order;
    let intro = t(options.order ? 'diagnostic.ranking.yours' : 'diagnostic.ranking.proposal');
    if (!proposed && d.ranking?.length) {
      const kept = keepOrder(d.ranking as Theme[], explained.map((p) => p.axis));
      const same = !kept.added.length && !kept.removed.length;
      if (same && !options.review) return step.replaceDialog(SUMMARY, { dossierId: options.dossierId });
      const changes = [
        ...(kept.added.length ? [t('diagnostic.ranking.added', { axes: kept.added.map(label).join(', ') })] : []),
        ...(kept.removed.length ? [t('diagnostic.ranking.removed', { axes: kept.removed.map(label).join(', ') })] : []),
      ];
      proposed = kept.order;
      intro = same ? t('diagnostic.ranking.yours') : t('diagnostic.ranking.changed', { changes: changes.join(t('separator')) });
    }
    proposed ??= explained.map((p) => p.axis);
    values(step).order = proposed;
    // Every reason that placed the axis: its area's urgency and/or the structure's needs.
    const lines = proposed.map((axis, i) => {
      const why = explained.find((e) => e.axis === axis)?.why;
      const rated = why?.urgency?.area ?? why?.unrated;
      const area = rated && t(`diagnostic.areas.${rated}`);
      // « Organisation interne — urgence 3/4 », not « …: Organisation interne » again when the area is the axis.
      const alone = area === label(axis) ? 'Alone' : '';
      const key = why?.urgency ? (why.fromNeeds ? `whyBoth${alone}` : `whyUrgency${alone}`) : why?.fromNeeds ? 'whyNeeds' : why?.unrated ? `whyUnrated${alone}` : undefined;
      const reason = key ? t(`diagnostic.ranking.${key}`, why?.urgency ? { value: why.urgency.value, area } : { area }) : '';
      return t('diagnostic.ranking.line', { rank: i + 1, theme: label(axis), why: reason });
    });
    await step.context.sendActivity(`${intro}\n\n${lines.join('\n')}`);
    values(step).slot = 'ranking';
    return step.prompt(TEXT_PROMPT, LocalizedTextPrompt.options(options.order ? 'diagnostic.ranking.promptYours' : 'diagnostic.ranking.prompt', undefined, { slot: 'ranking', order: proposed },
      { suggestions: ['diagnostic.ranking.yes'] }));
  }

  private async afterRanking(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const answer = parsedAnswer<{ keep: boolean; order: Theme[]; dontKnow?: boolean; corrections?: true }>(step.context)!;
    const dossier = await this.dossier(options, step.context);
    if (answer.corrections) {
      const d = dossier.diagnostic!;
      const corrected = correctionsNamed(step.context.activity.text ?? '', d.answers);
      d.answers = { ...d.answers, ...corrected };
      await this.deps.dossiers.save(dossier, step.context);
      const t = tr(step.context);
      await step.context.sendActivity(t('diagnostic.ranking.corrected', { lines: toldLines(t, corrected).join('\n') }));
      return step.replaceDialog(RANKING, options);
    }
    if (answer.dontKnow) await step.context.sendActivity(tr(step.context)('diagnostic.ranking.keptDontKnow'));
    if (!answer.keep) {
      dossier.diagnostic!.rankingDraft = answer.order;
      await this.deps.dossiers.save(dossier, step.context);
      return step.replaceDialog(RANKING, { dossierId: options.dossierId, order: answer.order });
    }
    dossier.diagnostic!.ranking = answer.order;
    delete dossier.diagnostic!.rankingDraft;
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(SUMMARY, { dossierId: options.dossierId });
  }

  // ——— summary: confirmed, stored as a new version, the dossier is ready for a chargé·e ———

  private async showSummary(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const dossier = await this.dossier(step.options as DiagnosticOptions, step.context);
    const facts = summaryFacts(step.context, dossier);
    const asText = `${t('diagnostic.summary.intro')}\n\n${facts.map((f) => listItem(t('diagnostic.summary.line', { title: f.title, value: f.value }))).join('\n')}`;
    // Once: as a card where cards show (its text is the fallback), else as text.
    await step.context.sendActivity(CARD_CHANNELS.has(step.context.activity.channelId)
      ? { text: t('diagnostic.summary.intro'), attachments: [summaryCard(step.context, facts, asText)] }
      : { text: asText });
    return step.prompt(CHOICE_PROMPT, LocalizedChoicePrompt.confirmOrFix('diagnostic.summary', 'diagnostic.summary.confirm', 'diagnostic.summary.correct',
      Object.values(DIAGNOSTIC_FIELD_WORDS).flat()));
  }

  private async afterSummary(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    if ((step.result as FoundChoice).value === 'yes') {
      const dossier = await this.dossier(options, step.context);
      const d = dossier.diagnostic!;
      const at = this.now();
      d.version += 1;
      d.confirmedAt = at;
      d.year = at.getUTCFullYear();
      d.primaryTheme = d.ranking?.[0];
      dossier.phase = 'diagnostic';
      dossier.readyForChargeAt = at;
      await this.deps.dossiers.save(dossier, step.context);
      await step.context.sendActivity(tr(step.context)('diagnostic.confirmed', { version: d.version, operator: this.deps.settings.operatorName }));
      await this.deps.handoffs.trigger(step.context, 'diagnostic_confirmed', dossier);
      await this.deps.onConfirmed?.(dossier._id);
      await step.context.sendActivity(this.deps.handoffs.whatNext(tr(step.context)));
      return step.endDialog({ confirmed: true });
    }
    const choices = FIXABLE.map((key) => ({
      id: key,
      key: (AREAS as readonly string[]).includes(key) ? `diagnostic.areas.${key}` : key === 'needs' ? 'diagnostic.fix.needs' : `diagnostic.summary.${key}`,
      synonyms: DIAGNOSTIC_FIELD_WORDS[key],
    }));
    // A way out: nothing to correct after all, back to the summary.
    const nothing = { id: 'nothing', key: 'diagnostic.fix.nothing', synonyms: NOTHING };
    const fix = { ...LocalizedChoicePrompt.options('diagnostic.fix.prompt', 'diagnostic.fix.retry', [...choices, nothing]), style: ListStyle.list };
    // « attendez, le budget c'est plutôt 600 000 »: the answer named is corrected at once — with
    // the value said when it reads as one, else asked again.
    const named = LocalizedChoicePrompt.match(step.context, fix);
    if (!named || named.value === 'nothing') return step.prompt(CHOICE_PROMPT, fix);
    const field = named.value as (typeof FIXABLE)[number];
    const text = step.context.activity.text ?? '';
    const others = fieldsNamed(text, DIAGNOSTIC_FIELD_WORDS).filter((key) => key !== field);
    // « en fait on est 14 ETP, et le budget c'est 950k »: each answer named with its new value is corrected at once.
    const values = correctionsNamed(text, (await this.dossier(options, step.context)).diagnostic!.answers, [field, ...others]);
    const corrected = field in values ? [field, ...others.filter((key) => key in values)] : [field];
    // « HR urgency is 3, and strategy should be… »: the others named without a value read are said, not dropped.
    const left = others.filter((key) => !corrected.includes(key));
    if (left.length) {
      const t = tr(step.context);
      const label = (key: string) => t(choices.find((c) => c.id === key)!.key);
      await step.context.sendActivity(t('diagnostic.fix.oneAtATime', { field: corrected.map(label).join(t('separator')), others: left.map(label).join(t('separator')) }));
    }
    if (!(field in values)) return this.correct(step, field);
    return this.correct(step, field, Object.fromEntries(corrected.map((key) => [key, values[key]])));
  }

  private async afterFixChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const field = (step.result as FoundChoice).value;
    if (field === 'nothing') return step.replaceDialog(SUMMARY, { dossierId: (step.options as DiagnosticOptions).dossierId });
    return this.correct(step, field);
  }

  /**
   * The answer to `field` corrected: `given`, the new values said with their names (the summary
   * comes back), else the question asked again with what it was.
   */
  private async correct(step: WaterfallStepContext, field: string, given?: DiagnosticAnswers): Promise<DialogTurnResult> {
    const options = step.options as DiagnosticOptions;
    const dossier = await this.dossier(options, step.context);
    const d = dossier.diagnostic!;
    if (given) {
      d.answers = { ...d.answers, ...given };
      await this.deps.dossiers.save(dossier, step.context);
      return step.replaceDialog(SUMMARY, { dossierId: options.dossierId });
    }
    const answers = { ...d.answers };
    const before = diagnosticFacts(answers, tr(step.context)).find((f) => f.key === field);
    const previous: PreviousAnswer | undefined = before && !before.unknown ? {
      field, text: before.value,
      ...(typeof answers[`${field}_situation`] === 'string' ? { situation: answers[`${field}_situation`] as string } : {}),
      ...(typeof answers[`${field}_urgency`] === 'number' ? { urgency: answers[`${field}_urgency`] as number } : {}),
    } : undefined;
    const keys = (AREAS as readonly string[]).includes(field) ? [`${field}_situation`, `${field}_urgency`] : [field];
    if (previous) {
      previous.kept = { answers: Object.fromEntries(keys.filter((k) => answers[k] !== undefined).map((k) => [k, answers[k]])) };
      if (field === 'needs' && d.themes) previous.kept.themes = d.themes;
    }
    keys.forEach((k) => delete answers[k]);
    d.answers = answers;
    // New needs change the themes: they are asked again. The ranking is kept: the ranking step
    // keeps it as it is when the axes stay the same, else keeps its order for the axes that remain.
    if (field === 'needs') delete d.themes;
    await this.deps.dossiers.save(dossier, step.context);
    return step.replaceDialog(ASK, { dossierId: options.dossierId, previous });
  }

  /**
   * The activity and the budget the structure told before the diagnostic (its first message, its
   * request: « CA 900 k€, on fait de la restauration collective bio »): kept and said back, not asked
   * blind — an activity typed at « On commence ? » (`early`) is the newer one; the funding typed there is kept too.
   */
  private async keepToldEarly(dossier: Dossier, context: TurnContext, early: DiagnosticOptions['firstAnswer']): Promise<void> {
    const told: DiagnosticAnswers = { ...toldOfActivityAndBudget(dossier.answers.request), ...dossier.answers.told };
    if (early?.key === 'activity') delete told.activity;
    // Another question's answer typed at « On commence ? » (the funding: firstAnswerAtStart): kept with them.
    else if (early) told[early.key] = early.value;
    if (Object.keys(told).length === 0) return;
    await this.keep(dossier, told, context);
    const t = tr(context);
    const lines = toldLines(t, told);
    await context.sendActivity(t('diagnostic.toldEarly', { lines: lines.join('\n'), count: lines.length }));
  }

  /** The diagnostic's answers saved; from its first answer the dossier is in the diagnostic phase (chargé·es find it there). */
  /**
   * Answers of other questions said at this one (asideAt): the accueil's staff corrected (said, with what
   * it was; the staff answered here follows it), the volunteers and the governance told at the funding
   * question kept for their questions (said) — then this question asked again.
   */
  private async keepAside(step: WaterfallStepContext, dossier: Dossier): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const text = step.context.activity.text ?? '';
    const key = values(step).slot!;
    const answers: DiagnosticAnswers = { ...dossier.diagnostic!.answers };
    const employees = correctionAtQuestion(key, text)?.employees;
    if (employees && !sameAnswer('employees', dossier.answers.employees, employees)) {
      const line = (e: NonNullable<AccueilAnswers['employees']>) => recapText(t, recap({ employees: e })[0], inertMarkdown);
      await step.context.sendActivity(dossier.answers.employees
        ? t('accueil.fix.replaced', { before: line(dossier.answers.employees), after: line(employees) })
        : t('accueil.employees.noted', { etp: employees.etp }));
      dossier.answers = withAnswers(dossier.answers, { employees });
      if (answers.staff !== undefined && typeof employees.etp === 'number') answers.staff = staffCorrected(answers.staff, { employees: employees.etp, text: text.trim() });
    }
    const later = laterAnswersAt(key, text, answers, etpSaid(dossier.answers.employees));
    const staff = later.staff as { employees: number; volunteers?: number } | undefined;
    if (staff) await step.context.sendActivity(t(typeof staff.volunteers === 'number' ? 'diagnostic.staff.notedVolunteers' : 'diagnostic.staff.noted', { etp: staff.employees, count: staff.volunteers }));
    if (later.governance) await step.context.sendActivity(t('diagnostic.governance.alsoNoted', { answer: inertMarkdown((later.governance as { text: string }).text) }));
    await this.keep(dossier, { ...answers, ...later }, step.context);
    await step.context.sendActivity(t('diagnostic.backToQuestion'));
    return step.replaceDialog(ASK, { dossierId: (step.options as DiagnosticOptions).dossierId, askedAgain: true });
  }

  private async keep(dossier: Dossier, answers: DiagnosticAnswers, context: TurnContext): Promise<void> {
    dossier.diagnostic!.answers = answers;
    if (dossier.phase === 'accueil') dossier.phase = 'diagnostic';
    await this.deps.dossiers.save(dossier, context);
  }

  private async dossier(options: DiagnosticOptions, context: TurnContext): Promise<Dossier> {
    const dossier = await this.turnDossier(context, options.dossierId);
    if (!dossier) throw new Error(`Dossier ${options.dossierId} not found`);
    dossier.diagnostic ??= { answers: {}, version: 0, startedAt: this.now() };
    return dossier;
  }

  /**
   * The dossier, read once a turn: the check of onContinueDialog and the steps that follow (an
   * answer stored, the next question asked) work on, and save, the same object.
   */
  private async turnDossier(context: TurnContext, id: string): Promise<Dossier | undefined> {
    let read = context.turnState.get(TURN_DOSSIERS) as Map<string, Dossier> | undefined;
    if (!read) context.turnState.set(TURN_DOSSIERS, (read = new Map()));
    let dossier = read.get(id);
    if (!dossier) {
      dossier = await this.deps.dossiers.get(id);
      if (dossier) read.set(id, dossier);
    }
    return dossier;
  }
}

/**
 * The themes read from the structure's needs, with the words that gave them: the first `shown`
 * (those it is shown), and after them every other one a whole word named (score 1 or more: a long
 * answer naming six themes sees six), never only a weak hint of one.
 */
function themesUnderstood(dossier: Dossier, shown = 4): { theme: Theme; matched?: string[] }[] {
  const themes = (dossier.diagnostic!.answers.needs as { themes?: { theme: Theme; score?: number; matched?: string[] }[] } | undefined)?.themes ?? [];
  return themes.filter((m, i) => i < shown || (m.score ?? 0) >= 1);
}

/** The structure corrects the themes by their numbers in the list ("1, 4"), or in words ("funding and jobs"). */
const THEME_CHOICE_SLOT = {
  key: 'themes',
  parse: (text: string) => {
    if (isDontKnow(text)) return ok([]);
    // Numbers and words together (« 3 4 6 et communication »): all of them.
    const picked = [...text.matchAll(/\d+/g)].map((m) => Number(m[0]) - 1).filter((i) => i >= 0 && i < THEMES.length).map((i) => THEMES[i]);
    // « Autre besoin » when named (« autre »), not as what no theme found gives (« bof »).
    const named = mapNeedsToThemes(text.replace(/\d+/g, ' ')).filter((s) => s.theme !== 'autre').map((s) => s.theme);
    const other: Theme[] = /\b(autres?|other)\b/.test(normalize(text.replace(/\d+/g, ' '))) ? ['autre'] : [];
    const all = [...new Set([...picked, ...named, ...(named.length ? [] : other)])];
    // No theme read: misunderstood (the third in a row hands over), never asked forever, and
    // never the themes understood replaced by « Autre besoin ». The structure's needs are
    // already kept in its words: nothing more to keep as written here.
    return all.length ? ok(all) : notUnderstood('diagnostic.themes.chooseInvalid');
  },
};

/** An area card's submit as a comparable key (undefined for typed text or another card). */
function cardSubmit(context: TurnContext): string | undefined {
  const value = context.activity.value as { area?: unknown; situation?: unknown; urgency?: unknown } | undefined;
  if (context.activity.text || !value || typeof value !== 'object' || typeof value.area !== 'string') return undefined;
  return JSON.stringify([value.area, String(value.situation ?? '').trim(), String(value.urgency ?? '')]);
}

/** Why a new order was refused, and what is expected (the axes proposed when one named is not). */
function reorderError(context: TurnContext, error: ReorderError, order: Theme[], missing?: Theme): string {
  const t = tr(context);
  if (error === 'unknown_axis' && missing) {
    const list = order.map((axis, i) => `${i + 1}. ${t(`themes.label.${axis}`)}`).join('\n');
    return t('diagnostic.ranking.unknownAxis', { axis: t(`themes.label.${missing}`), list });
  }
  if (error === 'out_of_range') return t('diagnostic.ranking.outOfRange', { count: order.length });
  if (error === 'duplicate') return t('diagnostic.ranking.duplicate');
  if (error === 'wants_change') return t('diagnostic.ranking.wantsChange');
  return t('diagnostic.ranking.invalid');
}

/** What a waterfall keeps between its steps. */
function values(step: WaterfallStepContext): { slot?: string; order?: Theme[]; kept?: PreviousAnswer['kept'] } {
  return step.values as { slot?: string; order?: Theme[]; kept?: PreviousAnswer['kept'] };
}

function areaCard(context: TurnContext, area: Area, previous?: PreviousAnswer): Attachment {
  const t = tr(context);
  const filled = (value: string | undefined) => (value === undefined ? {} : { value });
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4',
    body: [
      { type: 'TextBlock', text: t(`diagnostic.areas.${area}`), weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: t(`diagnostic.area.hints.${area}`), wrap: true, isSubtle: true },
      // Web Chat's renderer refuses (renders nothing) a required input without its errorMessage.
      { type: 'Input.Text', id: 'situation', label: t('diagnostic.card.situationLabel'), isMultiline: true, isRequired: true, errorMessage: t('diagnostic.card.situationError'), ...filled(previous?.situation) },
      {
        type: 'Input.ChoiceSet', id: 'urgency', label: t('diagnostic.card.urgencyLabel'), style: 'expanded', isRequired: true, errorMessage: t('diagnostic.card.urgencyError'),
        choices: [1, 2, 3, 4].map((n) => ({ title: t(`diagnostic.urgency.${n}`), value: String(n) })),
        ...filled(previous?.urgency === undefined ? undefined : String(previous.urgency)),
      },
    ],
    actions: [{ type: 'Action.Submit', title: t('diagnostic.card.submit'), data: { area } }],
  });
}

interface Fact { title: string; value: string }

/** The summary's lines: the answers (as the chargé·e reads them), then the structure's order of axes. */
function summaryFacts(context: TurnContext, dossier: Dossier): Fact[] {
  const t = tr(context);
  const d = dossier.diagnostic!;
  return [
    ...diagnosticFacts(d.answers, t).map((f) => ({ title: f.label, value: inertMarkdown(f.value) })),
    { title: t('diagnostic.summary.ranking'), value: rankingText(d.ranking, t) ?? t('diagnostic.summary.unknown') },
  ];
}

/**
 * The summary as a card: one text block per fact ("**Budget annuel** : 200 000 €"). Not a
 * FactSet: Web Chat gives its titles a column a few letters wide next to long values.
 */
function summaryCard(context: TurnContext, facts: Fact[], fallbackText: string): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', fallbackText,
    body: [
      { type: 'TextBlock', text: tr(context)('diagnostic.summary.title'), weight: 'Bolder', size: 'Medium', wrap: true },
      ...facts.map((f) => ({ type: 'TextBlock', text: tr(context)('diagnostic.summary.line', { title: f.title, value: f.value }), wrap: true, spacing: 'Small' })),
    ],
  });
}


/** An urgency alone (« c'est très urgent ») kept as the situation after the retries: that situation, with the urgency its words give. */
function alone(situation: string): { situation: string; urgency: number; fromWords: true } | undefined {
  const urgency = urgencyAlone(situation);
  return urgency === undefined ? undefined : { situation, urgency, fromWords: true };
}

/** The themes read from needs, one line each with the structure's words that gave them (at most three, shown as text). */
export function themeLines(t: Translate, themes: readonly { theme: string; matched?: readonly string[] }[]): string {
  return themes.map((m) => `- ${m.matched?.length
    ? t('diagnostic.themes.line', { theme: t(`themes.label.${m.theme}`), words: m.matched.slice(0, 3).map((word) => t('diagnostic.themes.quoted', { word: inertMarkdown(word) })).join(', ') })
    : t('diagnostic.themes.lineNoWords', { theme: t(`themes.label.${m.theme}`) })}`).join('\n');
}

/** One answer as the summary says it (« ventes 60 %, subventions 40 % »). */
function factValue(t: Translate, key: string, answers: DiagnosticAnswers): string {
  return inertMarkdown(diagnosticFacts(answers, t).find((f) => f.key === key)?.value ?? '');
}

/** The diagnostic's answers told before it (the activity, the budget) as list lines: « - **Budget annuel** : 900 000 € ». */
export function toldLines(t: Translate, told: DiagnosticAnswers): string[] {
  return diagnosticFacts(told, t).filter((f) => f.key in told).map((f) => listItem(t('diagnostic.summary.line', { title: f.label, value: inertMarkdown(f.value) })));
}

/**
 * The budget said with the activity (« On gère une crèche associative, budget 450 000 € par an »):
 * kept as the budget question's answer when it has none yet, so that it is not asked again.
 */
function budgetWith(answers: DiagnosticAnswers, activity: unknown): { budget: NonNullable<ReturnType<typeof budgetSaidWith>> } | undefined {
  const budget = answers.budget === undefined && typeof activity === 'string' ? budgetSaidWith(activity) : undefined;
  return budget && { budget };
}
