import { Attachment, CardFactory } from 'botbuilder';

export interface CardChoice {
  id: string;
  title: string;
}

/**
 * An Adaptive Card question with one Action.Submit per choice. The submit carries
 * `{ choice: id }`, which every channel posts back as the activity's `value`; the `msteams`
 * part makes Teams show the choice as the user's message (Web Chat ignores it).
 */
export function choiceCard(question: string, choices: CardChoice[], prompt?: string): Attachment {
  const actions = choices.map((c) => ({
    type: 'Action.Submit',
    title: c.title,
    // `prompt`: which question the card asked — an old card clicked later answers no other (staleCardSubmit).
    data: { choice: c.id, ...(prompt ? { prompt } : {}), msteams: { type: 'messageBack', displayText: c.title, text: c.title } },
  }));
  // Teams shows at most MAX_ACTIONS buttons of a card's actions (its host config's maxActions):
  // a longer list (« quelle réponse corriger ? ») goes in the body, in sets of that size.
  const sets = Array.from({ length: Math.ceil(actions.length / MAX_ACTIONS) }, (_, i) => actions.slice(i * MAX_ACTIONS, (i + 1) * MAX_ACTIONS));
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: question, wrap: true },
      ...(actions.length > MAX_ACTIONS ? sets.map((set) => ({ type: 'ActionSet', actions: set })) : [])],
    ...(actions.length > MAX_ACTIONS ? {} : { actions }),
  });
}

/**
 * Buttons Teams shows in one set of card actions: its host config's `actions.maxActions` is 6 (the
 * Teams light and dark host configs of the Adaptive Cards designer, microsoft/AdaptiveCards,
 * source/nodejs/adaptivecards-designer/src/containers/teams).
 */
const MAX_ACTIONS = 6;

/**
 * A choice card's submit that answers no question asked now: an old card still on screen (in Teams
 * the thread keeps them all), clicked after the conversation moved on — a question without that
 * choice, or another question offering the same one (« Oui » of an earlier confirmation).
 * `asked`: the question waiting, its prompt key and its choices' ids (none for free text).
 */
export function staleCardSubmit(value: unknown, asked: { promptKey?: string; choices?: readonly { id: string }[] }): boolean {
  const choice = submittedChoice(value);
  if (choice === undefined) return false;
  const prompt = (value as { prompt?: unknown }).prompt;
  if (typeof prompt === 'string' && asked.promptKey !== undefined && prompt !== asked.promptKey) return true;
  return !asked.choices?.some((c) => c.id === choice);
}

/** The choice id posted back by a card submit, if any. */
export function submittedChoice(value: unknown): string | undefined {
  const choice = (value as { choice?: unknown } | undefined)?.choice;
  return typeof choice === 'string' ? choice : undefined;
}
