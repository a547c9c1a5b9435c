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
