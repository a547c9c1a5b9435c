import { saysNeed } from './checkinForm';
import { NUMBER_WORDS } from './numberWords';
import { normalize } from './text';
import { mapNeedsToThemes, ThemeScore } from './themes';

/** « nouveau besoin », « un autre besoin », "a new need": the structure says it has one. */
const NEW_NEED = /\b(?:nouveaux? besoins?|nouvelles? besoins?|autres? besoins?|new needs?|another need|other needs?)\b/;
/** « pas de nouveau besoin », « aucun autre besoin », "no new needs": none said. */
const NONE_BEFORE = /\b(?:pas|plus|sans|aucun|aucune|jamais|ni|no|not|any)\s+(?:de\s+|d\s+|vraiment\s+)?(?:un\s+|une\s+)?$/;

/** A new need told by a structure already known to the DLA, and the themes it reads as (themes.ts). */
export interface NewNeed {
  /** Best first; empty when no theme word was found (« on a un nouveau besoin »). */
  themes: ThemeScore[];
}

/**
 * « on a un nouveau besoin : refaire notre communication et site web », « on aurait besoin d'aide
 * sur la trésorerie maintenant », « nouveau besoin : recruter un·e coordinateur·rice »: a need
 * said, with the themes it maps to. Undefined when no need is said (« où en est ma demande ? »,
 * « pas de nouveau besoin »), and for a need with no subject that does not say it is new
 * (« on a besoin d'être accompagnés », « besoin d'aide »): that one is the menu's (its
 * eligibility choice).
 */
export function readNewNeed(text: string): NewNeed | undefined {
  const plain = normalize(text);
  const m = NEW_NEED.exec(plain);
  const saidNew = !!m && !NONE_BEFORE.test(plain.slice(0, m.index));
  if (!saidNew && !saysNeed(text)) return undefined;
  const themes = mapNeedsToThemes(text).filter((s) => s.theme !== 'autre');
  if (!themes.length && !saidNew) return undefined;
  return { themes };
}

/** Words around « nouveau besoin » that say nothing of what the need is. */
const NO_SUBJECT = new Set(['j', 'ai', 'on', 'a', 'nous', 'avons', 'aurait', 'aurions', 'un', 'une', 'encore', 'i', 'we', 'have', 've', 'got', 'an', 'another']);

/** « J'ai un nouveau besoin » (the welcome's choice), "we have a new need": a new need, but not which. */
export function newNeedWithoutSubject(text: string): boolean {
  const plain = normalize(text);
  return NEW_NEED.test(plain) && plain.replace(NEW_NEED, ' ').split(/[\s-]+/).filter(Boolean).every((w) => NO_SUBJECT.has(w));
}

/**
 * A first message that tells a situation or a need in a few words (« on a perdu notre subvention
 * principale et on doit licencier »): at least four words naming one of the themes.
 */
export function tellsANeed(text: string): boolean {
  return normalize(text).split(' ').filter(Boolean).length >= 4 && namesATheme(text);
}

/** Whether the words name a theme besides the staff counted (« 3 salariés et 10 bénévoles » names none: that is the staff, not a need). */
function namesATheme(text: string): boolean {
  const counted = normalize(text).replace(STAFF_COUNT, (all, count: string) => (/^\d/.test(count) || NUMBER_WORDS[count] !== undefined ? ' ' : all));
  return mapNeedsToThemes(counted).some((s) => s.theme !== 'autre');
}

/** A count of staff: « 3 salariés », « dix benevoles », "2 employees" (the count checked by namesATheme). */
const STAFF_COUNT = /\b(\d+(?:[.,]\d+)?|[a-z]+)\s+(?:salarie\w*|benevol\w*|etp|employe\w*|employees?|volunteers?|permanents?|staff)\b/g;

/**
 * Everyday words for a difficulty (« on galère », « on a du mal à », « on n'arrive plus à payer », « on a perdu une
 * subvention », "we are struggling"): with a theme named, a need told without « besoin » nor « aide ».
 */
const DIFFICULTY = /\b(?:galer\w*|galere|du mal (?:a|pour)|(?:peine|peinons|peinent) a|n arrive (?:plus|pas)|arrive (?:plus|pas) a|(?:on|nous|j) (?:a|avons|ai|vient de|venons de) perdu|perte d\w*|difficult\w*|problemes?|soucis?|crises?|conflits?|tensions?|blocages?|tendue?s?|compliquee?s?|plus les moyens|dans le rouge|a sec|risque\w* de|menace\w*|inquiet\w*|struggl\w*|lost|losing|can t (?:pay|afford)|cannot (?:pay|afford)|hard time)\b/;

/** A difficulty told with a theme (« on galère avec la trésorerie »): a need, though it asks for nothing. */
export function tellsADifficulty(text: string): boolean {
  return DIFFICULTY.test(normalize(text)) && namesATheme(text);
}
