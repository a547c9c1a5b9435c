import { normalize } from './text';

/**
 * The names the first administrator gets when nobody typed one (start-up bootstrap, admin:link):
 * « Administrateur », « Administrateur·rice », "Administrator". Structures never read them.
 */
const PLACEHOLDERS = new Set(['admin', 'administrateur', 'administratrice', 'administrateur rice', 'administrateur trice', 'administrator']);

/** True for a name that only says a role (« Administrateur »), not who the person is. */
export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDERS.has(normalize(name));
}
