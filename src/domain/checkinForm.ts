/**
 * The follow-up check-in as a form: the four effects the national evaluation measures (jobs;
 * economic and financial health; strategic vision; partnerships), whether the recommendations
 * were applied, satisfaction (1–5) and new needs. Pure; texts in locales/<lng>/checkin.json.
 */
import { fail, freeText, ok, ParseResult } from './form';
import { NUMBER_WORDS } from './numberWords';
import { normalize } from './text';

export interface CheckinSlot {
  key: string;
  /** Locale keys of quick replies (typing stays possible). */
  suggestions?: string[];
  parse(text: string): ParseResult<unknown>;
}

const checkinText = freeText('checkin.tooShort', 2, 2000);

/** « 0 », « 2 », « deux emplois créés »: a number alone is an answer too. */
const jobsText = (text: string): ParseResult<string> => (/^\s*\d+\s*$/.test(text) ? ok(text.trim()) : checkinText(text));

/**
 * Better / same / worse, or yes / partly / no, from words: the first pattern that matches wins —
 * or, `firstInText`, the match that comes first in the answer (its first judgement; the list order
 * for matches at the same place).
 */
function scale(values: [string, RegExp][], errorKey: string, firstInText = false) {
  const at = (re: RegExp, t: string) => re.exec(t)?.index ?? Infinity;
  return (text: string): ParseResult<{ value?: string; text: string }> => {
    const t = normalize(text);
    const found = firstInText
      ? values.reduce<[string, RegExp] | undefined>((best, v) => (at(v[1], t) < (best ? at(best[1], t) : Infinity) ? v : best), undefined)
      : values.find(([, re]) => re.test(t));
    if (found) return ok({ value: found[0], text: text.trim() });
    // A real explanation (« on a fait la fiche de poste, le reste attend le CA ») is kept as written.
    return t.split(' ').length >= 6 ? ok({ text: text.trim() }) : fail(errorKey);
  };
}

/** A negation shortly before the word: « pas mieux », « ne s'est pas amélioré », « not better ». */
const NEGATED = '\\b(?:pas|plus|jamais|ne|n|not|no|never)\\b(?:\\s+\\S+){0,2}?\\s+';

// The first judgement in the answer: « plutôt stable, la trésorerie va mieux » is the same.
const TREND = scale([
  // Starts at the negation: « pas mieux qu'avant », « ça ne s'est pas amélioré » say the same, not better.
  ['same', new RegExp(`${NEGATED}(?:mieux|meilleure?s?|ameliore(?:e|es|s)?|better|improved)\\b`)],
  ['worse', /\b(moins bonne|moins bien|pire|degrade\w*|worse|baisse|en baisse|fragilise\w*|plus difficile|pas (?:tres |vraiment )?stable|instable|not stable|unstable)\b/],
  ['better', /\b(meilleure?s?|mieux|ameliore\w*|better|improved|en hausse|plus solide)\b/],
  ['same', /\b(stable|pareil|identique|inchange\w*|same|comme avant|bof|ni mieux ni pire|sans changement|pas de changement)\b/],
], 'checkin.trend.invalid', true);

const YES_PARTLY_NO = scale([
  // Before « non »: « pas toutes », « pas encore tous », « pas complètement » say some, not none.
  ['partly', /\b(en partie|une partie|partiellement|un peu|a moitie|plus ou moins|certaines?|quelques|pas (?:encore )?tou(?:t|te|s|tes)|pas (?:completement|entierement|totalement)|la plupart|mais pas|bof|moyennement|partly|some|kind of|sort of|in part|not (?:all|quite|entirely|completely|fully))\b/],
  ['no', /^(non|no|pas du tout|pas vraiment|plutot non|pas encore|not really|not yet|not at all|nope)\b/],
  ['yes', /^(oui|yes|plutot oui|tout a fait|completement|entierement|globalement|dans l ensemble|absolument|bien sur|ok|mostly|absolutely)\b/],
], 'checkin.yesPartlyNo.invalid');


export const CHECKIN_SLOTS: CheckinSlot[] = [
  { key: 'jobs', parse: jobsText },
  { key: 'economics', suggestions: ['checkin.trend.better', 'checkin.trend.same', 'checkin.trend.worse'], parse: TREND },
  { key: 'strategy', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  { key: 'partnerships', parse: checkinText },
  { key: 'recommendations', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  {
    key: 'satisfaction', suggestions: ['1', '2', '3', '4', '5'],
    parse: (text) => {
      const digit = /\b([1-5])\b/.exec(text)?.[1];
      // « quatre », « four »: the number words the other readers share (1 to 5 only).
      const word = normalize(text).split(' ').map((w) => NUMBER_WORDS[w]).find((n) => n >= 1 && n <= 5);
      const n = digit ? Number(digit) : word;
      return n ? ok(n) : fail('checkin.satisfaction.invalid');
    },
  },
  {
    key: 'newNeeds',
    parse: (text) => {
      const t = normalize(text);
      const words = t.split(' ').filter(Boolean);
      // « oui » alone says there are some, not which: asked.
      if (/^(oui|yes|ouais|oui oui|oui plutot|yes please)$/.test(t)) return fail('checkin.newNeeds.which');
      // « Non merci, mais on aimerait un appui sur le numérique »: the « mais » carries a need.
      const noButNeeds = /\b(mais|but|sauf)\b/.test(t) && words.length >= 5;
      if (!noButNeeds && /^(non|no|rien|aucun|aucune|pas pour l instant|pas de nouveau besoin|nothing|none)\b/.test(t)) return ok({ any: false, text: text.trim() });
      return text.trim().length >= 3 ? ok({ any: true, text: text.trim().slice(0, 2000) }) : fail('checkin.tooShort');
    },
  },
];

export function nextCheckinSlot(answers: Record<string, unknown>): CheckinSlot | undefined {
  return CHECKIN_SLOTS.find((s) => answers[s.key] === undefined);
}
