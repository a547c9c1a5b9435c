/**
 * A bot text as a person reads it, for assertions on its words: French typography's no-break
 * spaces (« aide », « ? », 200 000 €) as ordinary spaces. test/unit/locales.test.ts checks the
 * typography itself.
 */
export function asRead(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}
