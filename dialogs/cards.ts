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
export function choiceCard(question: string, choices: CardChoice[]): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: question, wrap: true }],
    actions: choices.map((c) => ({
      type: 'Action.Submit',
      title: c.title,
      data: { choice: c.id, msteams: { type: 'messageBack', displayText: c.title, text: c.title } },
    })),
  });
}

/** The choice id posted back by a card submit, if any. */
export function submittedChoice(value: unknown): string | undefined {
  const choice = (value as { choice?: unknown } | undefined)?.choice;
  return typeof choice === 'string' ? choice : undefined;
}
