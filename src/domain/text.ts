/** Lower case, no accents, apostrophes and punctuation as spaces, single spaces. */
export function normalize(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´]/g, ' ')
    .replace(/[^a-z0-9@.,\s-]/g, ' ')
    .replace(/[.,!?;:]+(\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What a structure typed, made inert before it is repeated in a Markdown message or card (Web
 * Chat, Teams): Markdown's backslash escapes keep « **Asso** », « [clic](http://…) » or
 * « _vraiment_ » as they were typed. `_` inside a word (camille_martin@…) is no emphasis and is
 * left alone, so an address copied from the message still works.
 */
export function inertMarkdown(text: string): string {
  return text.replace(/[\\*`~[\]]/g, '\\$&').replace(/(?<![\p{L}\p{N}])_/gu, '\\_');
}

/** What a card said, as text (its TextBlocks and button titles): a card exchange is not an empty line. */
export function cardText(attachment: unknown, separator = ' / '): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if ((n.type === 'TextBlock' || n.type === 'Action.Submit' || n.type === 'Action.OpenUrl') && typeof (n.text ?? n.title) === 'string') texts.push(String(n.text ?? n.title));
    Object.values(n).forEach(walk);
  };
  walk((attachment as { content?: unknown } | undefined)?.content);
  return texts.join(separator).slice(0, 2000);
}

/** Card fields that say which card or choice it was, not what the person answered. */
const SUBMIT_KEYS_NOT_ANSWERS = new Set(['area', 'action', 'card']);

/** What a card submitted (« Pas de fiches de poste · 3 »), as text; '' when it holds no answer. */
export function submittedText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value).slice(0, 2000);
  return Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => !SUBMIT_KEYS_NOT_ANSWERS.has(k) && (typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '')
    .map(([, v]) => String(v).trim()).join(' · ').slice(0, 2000);
}

/**
 * French typography: a no-break space inside « » and before « : », a narrow one before « ; ! ? »,
 * so that a line never starts with « » » or « ? » (« écrivez « aide », « recommencer
 * » ou … » on a phone). Applied to the French texts of locales/, not to what people type.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»')
    .replace(/ :(?=\s|$)/g, '\u00a0:')
    .replace(/ ([;!?])/g, '\u202f$1');
}
