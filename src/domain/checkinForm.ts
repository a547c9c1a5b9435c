/**
 * The follow-up check-in as a form: the four effects the national evaluation measures (jobs;
 * economic and financial health; strategic vision; partnerships), whether the recommendations
 * were applied, satisfaction (1–5) and new needs. Pure; texts in locales/<lng>/checkin.json.
 */
import { fail, freeText, ok, ParseResult } from './form';
import { normalize } from './text';

export interface CheckinSlot {
  key: string;
  /** Locale keys of quick replies (typing stays possible). */
  suggestions?: string[];
  parse(text: string): ParseResult<unknown>;
}

const checkinText = freeText('checkin.tooShort', 2, 2000);

/** Better / same / worse, or yes / partly / no, from words. */
function scale(values: Record<string, RegExp>, errorKey: string) {
  return (text: string): ParseResult<{ value: string; text: string }> => {
    const t = normalize(text);
    const found = Object.entries(values).find(([, re]) => re.test(t));
    return found ? ok({ value: found[0], text: text.trim() }) : fail(errorKey);
  };
}

const TREND = scale({
  worse: /\b(moins bonne|pire|degrade|degradee|moins bien|worse|baisse)\b/,
  better: /\b(meilleure|mieux|ameliore|amelioree|meilleur|better|improved)\b/,
  same: /\b(stable|pareil|identique|inchange|inchangee|same|comme avant)\b/,
}, 'checkin.trend.invalid');

const YES_PARTLY_NO = scale({
  partly: /\b(en partie|partiellement|un peu|a moitie|partly|some)\b/,
  no: /^(non|no|pas du tout|pas vraiment|not really|nope)\b/,
  yes: /^(oui|yes|tout a fait|completement|entierement|ok)\b/,
}, 'checkin.yesPartlyNo.invalid');

export const CHECKIN_SLOTS: CheckinSlot[] = [
  { key: 'jobs', parse: checkinText },
  { key: 'economics', suggestions: ['checkin.trend.better', 'checkin.trend.same', 'checkin.trend.worse'], parse: TREND },
  { key: 'strategy', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  { key: 'partnerships', parse: checkinText },
  { key: 'recommendations', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  {
    key: 'satisfaction', suggestions: ['1', '2', '3', '4', '5'],
    parse: (text) => {
      const n = /\b([1-5])\b/.exec(text)?.[1];
      return n ? ok(Number(n)) : fail('checkin.satisfaction.invalid');
    },
  },
  {
    key: 'newNeeds',
    parse: (text) => {
      const t = normalize(text);
      if (/^(non|no|rien|aucun|aucune|pas pour l instant|pas de nouveau besoin|nothing|none)\b/.test(t)) return ok({ any: false, text: text.trim() });
      return text.trim().length >= 3 ? ok({ any: true, text: text.trim().slice(0, 2000) }) : fail('checkin.tooShort');
    },
  },
];

export function nextCheckinSlot(answers: Record<string, unknown>): CheckinSlot | undefined {
  return CHECKIN_SLOTS.find((s) => answers[s.key] === undefined);
}
