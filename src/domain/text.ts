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
