import { Activity, Channels, MessageFactory, TurnContext } from 'botbuilder';
import { choiceCard, submittedChoice } from './cards';
import { Choice, ChoicePrompt, DialogInstance, findChoices, FoundChoice, ListStyle, PromptOptions, PromptRecognizerResult, PromptValidator } from 'botbuilder-dialogs';
import { choiceIndex, choiceNumber } from '../src/domain/choiceNumber';
import { normalize, saysDontKnow } from '../src/domain/text';
import { languageSwitched, retryToSay, tr } from './turnLocale';

/** Ways of saying yes or no, in French and English (normalized: no accents, no apostrophes). */
export const YES = ['oui', 'ouais', 'yes', 'ok', 'okay', 'd accord', 'daccord', 'bien sur', 'volontiers', 'pas de probleme', 'pas de souci',
  'sure', 'yep', 'yeah', 'of course', 'no problem', 'that s right', 'absolutely', 'go ahead'];
export const NO = ['non', 'no', 'nope', 'non merci', 'no thanks', 'pas question'];
/** « Nothing after all »: the way out of a list of answers to correct. */
export const NOTHING = ['rien', 'rien finalement', 'finalement rien', 'aucune', 'retour', 'annuler', 'c est bon', 'tout est bon', 'nothing', 'back', 'cancel'];
/** « That is right », said of a summary: only as the whole answer (« le nom c'est juste X » corrects it). */
const SAYS_RIGHT = ['c est juste', 'c est correct', 'c est bon', 'tout est bon', 'c est ca', 'parfait', 'c bon', 'cest bon', 'c ok', 'c est ok', 'tout est ok', 'c tout bon', 'that s correct', 'exact', 'exactement', 'all good', 'looks good', 'it s fine'];
/** « correct » answering « Is this correct? » (a summary's question only, where « correct it » would be the other choice). */
const SAYS_CORRECT = ['correct', 'oui correct', 'yes correct', 'all correct', 'tout est correct', 'right', 'yes right'];
/** « That is wrong », « en fait… »: a correction is coming. */
const SAYS_WRONG = ['c est faux', 'pas correct', 'pas juste', 'erreur', 'une erreur', 'faux', 'en fait', 'plutot', 'attendez', 'attends', 'wrong', 'mistake', 'actually', 'not right'];
/**
 * Only as the whole answer: « no problem » is a yes, « une association non lucrative » no answer
 * at all, « on cherche de l'aide pour nos financements » no request for the help text, and
 * « le nom c'est juste Union sportive » no approval, « c'est qui qui va m'appeler ? » no « Qui peut être accompagné ? ».
 */
const WHOLE_ANSWER_ONLY = new Set(['oui', 'non', 'yes', 'no', 'ok', 'aide', 'help', 'qui', 'who', ...SAYS_RIGHT, ...SAYS_CORRECT]);

/** A choice stored by id and locale key, so it can be shown in whatever language is current. */
export interface LocalizedChoice {
  id: string;
  key: string;
  /** Extra words that select this choice, in any language. */
  synonyms?: string[];
}

interface LocalizedValidations {
  promptKey: string;
  retryKey: string;
  vars?: Record<string, unknown>;
  choices: LocalizedChoice[];
  /** What was said before the question (the consent notice): said again with it after a language switch. */
  intro?: { key: string; vars?: Record<string, unknown> };
}

/**
 * ChoicePrompt whose texts are rendered at display time from locale keys: after "English"
 * or "français", the same question is asked again in the new language, and answers in either
 * language are recognised. The chosen `value` is the stable choice id.
 */
export class LocalizedChoicePrompt extends ChoicePrompt {
  constructor(dialogId: string, validator?: PromptValidator<FoundChoice>) {
    super(dialogId, validator, 'fr-fr');
    this.style = ListStyle.suggestedAction;
  }

  static options(promptKey: string, retryKey: string, choices: LocalizedChoice[], vars?: Record<string, unknown>): PromptOptions {
    const validations: LocalizedValidations = { promptKey, retryKey, choices, vars };
    return { validations };
  }

  /** `options` whose question comes after `intro`, which a language switch says again in the new language. */
  static withIntro(options: PromptOptions, key: string, vars?: Record<string, unknown>): PromptOptions {
    return { ...options, validations: { ...(options.validations as LocalizedValidations), intro: { key, vars } } };
  }

  /** The intro said before the question, in the turn's language. */
  static intro(context: TurnContext, options: PromptOptions): string | undefined {
    const intro = (options.validations as LocalizedValidations | undefined)?.intro;
    return intro && tr(context)(intro.key, intro.vars);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const intro = LocalizedChoicePrompt.intro(context, (instance.state as { options: PromptOptions }).options);
    if (intro && languageSwitched(context)) await context.sendActivity(intro);
    return super.repromptDialog(context, instance);
  }

  /**
   * The recurring "is this right? yes / correct it" question: ids `yes` and `fix`. `fields`: words
   * naming what can be corrected (« le nom », « le budget »): a message naming one is a correction.
   */
  static confirmOrFix(prefix: string, yesKey: string, fixKey: string, fields: string[] = []): PromptOptions {
    return LocalizedChoicePrompt.options(`${prefix}.prompt`, `${prefix}.retry`, [
      // « correct » alone answers « Is this correct? » (« correct it » asks to fix; any longer answer is read word by word).
      { id: 'yes', key: yesKey, synonyms: [...YES, ...SAYS_RIGHT, ...SAYS_CORRECT, 'confirmer', 'valider', 'confirm'] },
      { id: 'fix', key: fixKey, synonyms: [...NO, 'corriger', 'modifier', 'change', 'correct it', 'fix', ...SAYS_WRONG, ...fields] },
    ]);
  }

  /**
   * The choice a message names (its title, a synonym, words of it), without prompting: for a
   * message that arrives before the question was asked (a first message in Teams).
   */
  static match(context: TurnContext, options: PromptOptions): FoundChoice | undefined {
    return chosen(context, LocalizedChoicePrompt.render(context, options).choices as Choice[]);
  }

  private static render(context: TurnContext, options: PromptOptions): PromptOptions {
    const v = options.validations as LocalizedValidations | undefined;
    if (!v?.promptKey) return options;
    const t = tr(context);
    const choices: Choice[] = v.choices.map((c) => {
      const title = t(c.key);
      return { value: c.id, action: { type: 'imBack', title, value: title }, synonyms: [title, ...(c.synonyms ?? [])] };
    });
    return {
      ...options,
      prompt: MessageFactory.text(t(v.promptKey, v.vars)) as Partial<Activity>,
      retryPrompt: MessageFactory.text(t(v.retryKey, v.vars)) as Partial<Activity>,
      choices,
    };
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry && !retryToSay(context)) return;
    // « c'est quoi exactement que vous gardez ? » at the consent: its notice again, then the choice.
    const intro = isRetry && asksAQuestion(context.activity.text ?? '') ? LocalizedChoicePrompt.intro(context, options) : undefined;
    if (intro) await context.sendActivity(intro);
    const rendered = LocalizedChoicePrompt.render(context, options);
    if (context.activity.channelId === Channels.Msteams && rendered.choices?.length) {
      // Teams: an Adaptive Card with Action.Submit (the same card works in Web Chat).
      const prompt = isRetry ? rendered.retryPrompt : rendered.prompt;
      const question = typeof prompt === 'string' ? prompt : prompt?.text ?? '';
      const choices = (rendered.choices as Choice[]).map((c) => ({ id: c.value, title: c.action?.title ?? c.value }));
      await context.sendActivity(MessageFactory.attachment(choiceCard(question, choices, (options.validations as LocalizedValidations | undefined)?.promptKey)));
      return;
    }
    return super.onPrompt(context, state, rendered, isRetry);
  }

  protected override onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<FoundChoice>> {
    const rendered = LocalizedChoicePrompt.render(context, options);
    const found = chosen(context, rendered.choices as Choice[]);
    if (found) return Promise.resolve({ succeeded: true, value: found });
    // A choice by its number or rank: « 2 », « le deuxième », « option 3 svp », « le dernier ».
    const text = context.activity.text ?? '';
    const choices = rendered.choices as Choice[];
    const index = choiceIndex(choiceNumber(text), choices.length);
    if (index === undefined) return Promise.resolve({ succeeded: false });
    return Promise.resolve({ succeeded: true, value: { value: choices[index].value, index, score: 1, synonym: text } });
  }
}

/** A card's submitted choice, the exact title or a synonym, or a choice whose words the message has (no numbers). */
function chosen(context: TurnContext, choices: Choice[]): FoundChoice | undefined {
  const submitted = submittedChoice(context.activity.value);
  const index = choices.findIndex((c) => c.value === submitted);
  if (index >= 0) return { value: choices[index].value, index, score: 1, synonym: submitted! };
  const text = context.activity.text ?? '';
  return exactChoice(text, choices) ?? wordsOfAChoice(text, choices) ?? leadingYesOrNo(text, choices);
}

/**
 * « oui d'accord », « non je préfère pas », « non il manque la communication »: a message that
 * opens with oui / non (yes / no / ok) chooses the choice that has it as a synonym — unless the
 * rest takes it back (« oui mais… », « oui, enfin non », or a negation after a yes).
 */
function leadingYesOrNo(text: string, choices: Choice[]): FoundChoice | undefined {
  const [first, ...rest] = normalize(text).split(' ');
  // « no idea », « non je sais pas »: not knowing is neither a yes nor a no (a consent never declined by it).
  if (!LEADING_YES_NO.has(first) || rest.length === 0 || rest.some((w) => TAKES_BACK.has(w)) || saysDontKnow(text)) return undefined;
  const saysYes = !['non', 'no'].includes(first);
  // After a yes, any negation (« oui, enfin pas vraiment »); after a no, a yes (« non, oui »).
  if (saysYes ? rest.some((w) => NEGATIONS.has(w)) : rest.some((w) => w === 'oui' || w === 'yes')) return undefined;
  const index = choices.findIndex((c) => (c.synonyms ?? []).some((s) => normalizedSynonym(s) === first));
  return index >= 0 ? { value: choices[index].value, index, score: 0.8, synonym: first } : undefined;
}

/** A question rather than an answer: a question mark, or a question word (« c'est quoi », « qui voit »). */
function asksAQuestion(text: string): boolean {
  return text.includes('?') || normalize(text).split(' ').some((w) => QUESTION_WORDS.has(w));
}
const QUESTION_WORDS = new Set(['quoi', 'qui', 'combien', 'pourquoi', 'comment', 'quel', 'quelle', 'quels', 'quelles', 'what', 'who', 'why', 'how', 'which']);

/** The words that open a yes or a no (not « aide » or « qui », also answered only whole). */
const LEADING_YES_NO = new Set(['oui', 'non', 'yes', 'no', 'ok']);
const TAKES_BACK = new Set(['mais', 'but', 'sauf', 'except', 'enfin']);

/**
 * A choice whose words appear in the message (« je voudrais savoir si on peut être accompagnés »),
 * compared without accents or case on both sides: synonyms are written without accents.
 */
function wordsOfAChoice(text: string, choices: Choice[]): FoundChoice | undefined {
  const plain = choices.map((c) => ({ value: c.value, synonyms: (c.synonyms ?? []).map(normalizedSynonym).filter((s) => !WHOLE_ANSWER_ONLY.has(s)) }));
  const said = normalize(text);
  const found = findChoices(said, plain)[0];
  if (!found) return undefined;
  // Words of a choice with a negation between them (« c'est pas juste » is not « c'est juste »).
  const between = said.slice(found.start, found.end + 1).split(' ');
  const synonym = found.resolution.synonym?.split(' ') ?? [];
  return between.some((w) => NEGATIONS.has(w) && !synonym.includes(w)) ? undefined : found.resolution;
}

/**
 * normalize() of a choice's id, title or synonym, remembered: the same few hundred words (the
 * code's synonyms, the locales' titles) are compared with every answer (measured: 1 % of the
 * bench's CPU normalized them again on each turn).
 */
const normalizedSynonyms = new Map<string, string>();
function normalizedSynonym(word: string): string {
  let normalized = normalizedSynonyms.get(word);
  if (normalized === undefined) {
    if (normalizedSynonyms.size >= 10_000) normalizedSynonyms.clear();
    normalized = normalize(word);
    normalizedSynonyms.set(word, normalized);
  }
  return normalized;
}

const NEGATIONS = new Set(['pas', 'plus', 'jamais', 'non', 'not', 'never', 'no', 'n', 'don', 't']);

/** Fast path: a suggested action (exact title), a synonym typed as is, or the choice number. */
function exactChoice(text: string, choices: Choice[]): FoundChoice | undefined {
  const said = normalize(text);
  if (/^\d{1,2}$/.test(said)) {
    const index = Number(said) - 1;
    return choices[index] ? { value: choices[index].value, index, score: 1, synonym: said } : undefined;
  }
  const index = choices.findIndex((c) => normalizedSynonym(c.value) === said || (c.synonyms ?? []).some((s) => normalizedSynonym(s) === said));
  return index >= 0 ? { value: choices[index].value, index, score: 1, synonym: said } : undefined;
}
