/**
 * From the shared diagnostic to a proposed order of axes of change (étape 3 of the DLA:
 * "vous classez ensemble les axes de changement"). The structure rates the urgency of the five
 * diagnostic areas (organisation, ressources humaines, stratégie, économie, finances) from 1 to
 * 4, and its needs in its own words give themes (themes.ts). The proposal is deterministic and
 * explainable: each axis says which urgency and/or which needs put it there, and the structure
 * can reorder it in words ("d'abord la gouvernance puis les financements", "2, 1, 3",
 * "inverser 1 et 2", "c'est bon").
 */
import { FRENCH_NUMBER_WORDS } from './numberWords';
import { THEMES, Theme, Token, isTheme, tokenMatches, tokenize } from './themes';

export const AREAS = ['organisation', 'people', 'strategy', 'economics', 'finance'] as const;
export type Area = (typeof AREAS)[number];
/** 1 = not urgent … 4 = most urgent. */
export type Urgency = 1 | 2 | 3 | 4;

/**
 * The axis each diagnostic area leads to. organisation, people and strategy are direct.
 * economics → diversification_financements: the "economic" part of the diagnostic is the
 * economic model (activities, resources, dependence on a few funders), whose lever is
 * diversifying resources — in the top three themes since 2022 (DOMAIN.md § Themes).
 * finance → restructuration_eco_fin: the "financial" part is the balance sheet (cash,
 * fonds propres, deficits), which is what the restructuration theme deals with.
 * gouvernance, partenariats, communication, numérique and transformation écologique have no
 * area of their own: they come from the structure's needs only.
 */
export const AREA_THEME: Readonly<Record<Area, Theme>> = {
  organisation: 'organisation_interne',
  people: 'rh_emploi',
  strategy: 'projet_strategie',
  economics: 'diversification_financements',
  finance: 'restructuration_eco_fin',
};

/**
 * Score = urgency weight + needs weight. Urgency 1 weighs nothing (the structure says it is
 * fine); a theme found in the needs weighs 3, +1 when it is (one of) the strongest. So urgency
 * 4 alone (6) beats needs alone (3–4); urgency 2 + needs (5–6) beats urgency 3 alone (4).
 */
export const URGENCY_WEIGHT: Readonly<Record<Urgency, number>> = { 1: 0, 2: 2, 3: 4, 4: 6 };
export const NEEDS_WEIGHT = 3;
export const TOP_NEED_BONUS = 1;
/** When fewer axes score above 0, urgency-1 areas complete the proposal up to this many. */
export const MIN_AXES = 3;

export interface AxisReason {
  /** The area that gave the axis, with the urgency the structure gave it. */
  urgency?: { area: Area; value: Urgency };
  /** The axis was also found in the structure's needs. */
  fromNeeds: boolean;
  /** The area that gave the axis, whose urgency the structure could not say (« je ne sais pas »). */
  unrated?: Area;
}

export interface ProposedAxis {
  axis: Theme;
  /** urgency weight + needs weight (see URGENCY_WEIGHT, NEEDS_WEIGHT). */
  score: number;
  why: AxisReason;
}

const isUrgency = (v: unknown): v is Urgency => v === 1 || v === 2 || v === 3 || v === 4;
const themeRank = (t: Theme) => THEMES.indexOf(t);

/**
 * The proposed axes, best first; ties in THEMES order. Urgencies other than 1–4 and the
 * `autre` theme are ignored; every theme appears once. `unrated`: areas whose urgency the
 * structure could not say — their axes weigh nothing but are always proposed (after those that
 * weigh, before the urgency-1 fillers), for the structure and its chargé·e to place.
 */
export function proposeAxes(urgencies: Partial<Record<Area, number>>, themes: readonly { theme: Theme; score: number }[], unrated: readonly Area[] = []): ProposedAxis[] {
  const candidates = new Map<Theme, ProposedAxis>();
  const candidate = (theme: Theme) => {
    const existing = candidates.get(theme) ?? { axis: theme, score: 0, why: { fromNeeds: false } };
    candidates.set(theme, existing);
    return existing;
  };
  for (const area of AREAS) {
    const value = urgencies[area];
    if (!isUrgency(value)) continue;
    const c = candidate(AREA_THEME[area]);
    c.why.urgency = { area, value };
    c.score += URGENCY_WEIGHT[value];
  }
  for (const area of unrated) {
    if (isUrgency(urgencies[area])) continue;
    candidate(AREA_THEME[area]).why.unrated = area;
  }
  const needs = themes.filter((t) => isTheme(t.theme) && t.theme !== 'autre' && Number.isFinite(t.score) && t.score > 0);
  const top = Math.max(0, ...needs.map((t) => t.score));
  for (const need of needs) {
    const c = candidate(need.theme);
    if (c.why.fromNeeds) continue; // the same theme twice counts once
    c.why.fromNeeds = true;
    c.score += NEEDS_WEIGHT + (need.score === top ? TOP_NEED_BONUS : 0);
  }
  const sorted = [...candidates.values()].sort((a, b) => b.score - a.score || themeRank(a.axis) - themeRank(b.axis));
  const scored = sorted.filter((c) => c.score > 0 || c.why.unrated);
  const fillers = sorted.filter((c) => c.score === 0 && !c.why.unrated).slice(0, Math.max(0, MIN_AXES - scored.length));
  return [...scored, ...fillers];
}

/**
 * The structure's order when a correction changed the proposal (`proposed`, best first): the axes
 * it already ranked and that remain keep their relative order, new axes take the place the
 * proposal gives them. Nothing added or removed: `order` is `previous` as it was.
 */
export function keepOrder(previous: readonly Theme[], proposed: readonly Theme[]): { order: Theme[]; added: Theme[]; removed: Theme[] } {
  const added = proposed.filter((axis) => !previous.includes(axis));
  const removed = previous.filter((axis) => !proposed.includes(axis));
  const kept = previous.filter((axis) => proposed.includes(axis));
  return { order: proposed.map((axis) => (added.includes(axis) ? axis : (kept.shift() as Theme))), added, removed };
}

// ---------------------------------------------------------------------------------------------
// Reordering in the structure's words

export type ReorderError = 'not_understood' | 'out_of_range' | 'unknown_axis' | 'duplicate' | 'wants_change';
/**
 * The new order: `axes` as given (ProposedAxis, with their reasons, or bare themes), `order`
 * as themes; `keep` when the structure agreed with the order as it was ("ok", "c'est bon").
 */
export type ReorderResult<T extends ProposedAxis | Theme = ProposedAxis> =
  | { axes: T[]; order: Theme[]; keep: boolean }
  | { error: ReorderError; /** For unknown_axis: the theme named but not proposed. */ theme?: Theme };

const axisOf = (x: ProposedAxis | Theme): Theme => (typeof x === 'string' ? x : x.axis);

/** How the structure names an axis; themes by preference (the first one proposed is used). */
const ALIASES: { words: string[]; themes: Theme[] }[] = [
  ['projet et strategie', ['projet_strategie']],
  ['projet*', ['projet_strategie']],
  ['strateg*', ['projet_strategie']],
  ['vision', ['projet_strategie']],
  ['organisation interne', ['organisation_interne']],
  ['organi*', ['organisation_interne']],
  ['orga', ['organisation_interne']],
  ['fonctionnement', ['organisation_interne']],
  ['restructur*', ['restructuration_eco_fin']],
  ['=finances', ['restructuration_eco_fin', 'diversification_financements']],
  ['=finance', ['restructuration_eco_fin', 'diversification_financements']],
  ['financier*', ['restructuration_eco_fin', 'diversification_financements']],
  ['financiere*', ['restructuration_eco_fin', 'diversification_financements']],
  ['tresorerie', ['restructuration_eco_fin']],
  ['eco fin', ['restructuration_eco_fin']],
  ['econom*', ['diversification_financements', 'restructuration_eco_fin']],
  ['modele economique', ['diversification_financements', 'restructuration_eco_fin']],
  ['diversif*', ['diversification_financements']],
  ['financement*', ['diversification_financements', 'restructuration_eco_fin']],
  ['financeur*', ['diversification_financements']],
  ['subvention*', ['diversification_financements']],
  ['funding', ['diversification_financements']],
  ['ressources humaines', ['rh_emploi']],
  ['=rh', ['rh_emploi']],
  ['=hr', ['rh_emploi']],
  ['emploi*', ['rh_emploi']],
  ['salarie*', ['rh_emploi']],
  ['equipe*', ['rh_emploi']],
  ['recrut*', ['rh_emploi']],
  ['benevol*', ['rh_emploi']],
  ['humain*', ['rh_emploi']],
  ['personnel', ['rh_emploi']],
  ['people', ['rh_emploi']],
  ['staff', ['rh_emploi']],
  ['job*', ['rh_emploi']],
  ['gouvernance', ['gouvernance']],
  ['governance', ['gouvernance']],
  ['conseil d administration', ['gouvernance']],
  ['=ca', ['gouvernance']],
  ['=bureau', ['gouvernance']],
  ['instances', ['gouvernance']],
  ['board', ['gouvernance']],
  ['partenari*', ['partenariats']],
  ['partenaire*', ['partenariats']],
  ['partnership*', ['partenariats']],
  ['cooperation*', ['partenariats']],
  ['communication', ['communication']],
  ['=com', ['communication']],
  ['visibilite', ['communication']],
  ['numerique', ['numerique']],
  ['digital*', ['numerique']],
  ['informatique', ['numerique']],
  ['transition ecologique', ['transformation_ecologique']],
  ['transformation ecologique', ['transformation_ecologique']],
  ['ecolog*', ['transformation_ecologique']],
  ['environnement*', ['transformation_ecologique']],
  ['climat*', ['transformation_ecologique']],
].map(([w, themes]) => ({ words: (w as string).split(' '), themes: themes as Theme[] }))
  .sort((a, b) => b.words.length - a.words.length);

/** "inverser un et deux": French number words 1–10 (English "one" is too often a pronoun: "the first one"). */
const NUMBER_WORDS: Record<string, number> = Object.fromEntries(Object.entries(FRENCH_NUMBER_WORDS).filter(([, v]) => v >= 1 && v <= 10));
const ORDINAL_WORDS: Record<string, number> = {
  premier: 1, premiere: 1, deuxieme: 2, second: 2, seconde: 2, troisieme: 3, quatrieme: 4, cinquieme: 5, sixieme: 6,
  septieme: 7, huitieme: 8, neuvieme: 9, dixieme: 10, first: 1, third: 3, fourth: 4, fifth: 5,
};
const LAST_WORDS = new Set(['dernier', 'derniere', 'last']);
const ORDINAL_DIGITS = /^(\d+)(er|ere|re|e|eme|nd|nde|st|th|rd)$/;

const SWAP_VERBS = /^(invers|intervert|echang|permut|swap|switch)/;
const BEFORE = new Set(['avant', 'before']);
const AFTER = new Set(['apres', 'after']);
const NEGATIONS = new Set(['pas', 'ne', 'jamais', 'aucun', 'aucune', 'sauf', 'not', 'don']);
/** An answer that only disagrees: « non », « pas vraiment », « no, not really ». */
const DISAGREE_WORDS = new Set(['non', 'no', 'nope', 'pas', 'vraiment', 'du', 'tout', 'bof', 'not', 'really', 'merci', 'ca', 'ne', 'me', 'nous', 'va', 'convient', 'd', 'accord']);
const SAYS_NO = new Set(['non', 'no', 'nope', 'pas', 'not', 'bof']);
/** Words a bare list may contain besides the axes: "d'abord la gouvernance, puis les financements". */
/** Little words between two names of one axis (« diversification des financements »). */
const LINKING_WORDS = new Set(['d', 'de', 'des', 'du', 'la', 'le', 'les', 'l', 'nos', 'notre', 'of', 'the', 'our']);

const LIST_FILLERS = new Set([
  'd', 'abord', 'puis', 'ensuite', 'apres', 'enfin', 'et', 'la', 'le', 'les', 'l', 'de', 'des', 'du', 'a', 'au', 'aux',
  'axe', 'axes', 'numero', 'n', 'no', 'nr', 'ordre', 'en', 'je', 'j', 'nous', 'on', 'plutot', 'prefere', 'preferons',
  'voudrais', 'voudrait', 'voudrions', 'souhaite', 'souhaitons', 'mettre', 'mettez', 'mets', 'mettons',
  'mettrais', 'mettrait', 'mettrions', 'mettrai', 'placer', 'placez', 'placerais', 'prefererais', 'prefererions', 'aimerais', 'dirais',
  'classer', 'classez', 'classons', 'alors', 'ok', 'oui', 'non', 'bon', 'svp', 'stp', 'merci', 'dans', 'cet', 'cette',
  'ce', 'c', 'est', 'voici', 'voila', 'nos', 'notre', 'priorite', 'priorites', 'themes', 'theme', 'sujet', 'sujets',
  'autres', 'reste', 'suite', 'then', 'and', 'the', 'please', 'order', 'put', 'first', 'others', 'rest',
]);

type Item =
  | { kind: 'ref'; index?: number; theme?: Theme; missing?: Theme; at: number }
  | { kind: 'pos'; index: number | 'last'; at: number }
  | { kind: 'word'; w: string; at: number };

function phraseAt(t: Token[], i: number, words: string[]): boolean {
  return words.every((p, k) => t[i + k] !== undefined && tokenMatches(p, t[i + k].norm));
}

function ordinal(w: string): number | 'last' | undefined {
  if (ORDINAL_WORDS[w] !== undefined) return ORDINAL_WORDS[w];
  if (LAST_WORDS.has(w)) return 'last';
  const m = ORDINAL_DIGITS.exec(w);
  return m ? Number(m[1]) : undefined;
}

/** Position phrases: "en premier", "d'abord", "en 2e position", "en dernier", "à la fin"… */
function positionAt(t: Token[], i: number): { index: number | 'last'; length: number } | undefined {
  const w = (k: number) => t[i + k]?.norm ?? '';
  const optionalPlace = (k: number) => (/^(position|place|lieu|rang)$/.test(w(k)) ? 1 : 0);
  if (w(0) === 'en' || w(0) === 'au') {
    const o = ordinal(w(1));
    if (o !== undefined) return { index: o === 'last' ? 'last' : o - 1, length: 2 + optionalPlace(2) };
    if (/^(position|rang)$/.test(w(1)) && /^\d+$/.test(w(2))) return { index: Number(w(2)) - 1, length: 3 };
    if (w(1) === 'tete' || w(1) === 'priorite' || w(1) === 'haut') return { index: 0, length: 2 };
    if (w(1) === 'debut') return { index: 0, length: 2 };
    if (w(1) === 'fin' || w(1) === 'bas') return { index: 'last', length: 2 };
  }
  if (w(0) === 'a' && w(1) === 'la' && w(2) === 'fin') return { index: 'last', length: 3 };
  if (w(0) === 'a' && w(1) === 'la') {
    const o = ordinal(w(2));
    if (o !== undefined && /^(place|position)$/.test(w(3))) return { index: o === 'last' ? 'last' : o - 1, length: 4 };
  }
  if (w(0) === 'tout' && w(1) === 'd' && w(2) === 'abord') return { index: 0, length: 3 };
  if (w(0) === 'd' && w(1) === 'abord') return { index: 0, length: 2 };
  if (w(0) === 'avant' && w(1) === 'tout') return { index: 0, length: 2 };
  if (/^commen(c|ce|cer|cez|cons)$/.test(w(0)) && w(1) === 'par') return { index: 0, length: 2 };
  if (w(0) === 'priorite' && /^(a|au|aux)$/.test(w(1))) return { index: 0, length: 2 };
  if (w(0) === 'last' || (w(0) === 'at' && w(1) === 'the' && w(2) === 'end')) return { index: 'last', length: w(0) === 'last' ? 1 : 3 };
  if (w(0) === 'on' && w(1) === 'top') return { index: 0, length: 2 };
  // "to the top", "at the bottom", "to the end", "in second place", "to 2nd position", "to the third place"
  if (/^(to|at|in)$/.test(w(0))) {
    const the = w(1) === 'the' ? 1 : 0;
    if (/^(top|start|beginning)$/.test(w(1 + the))) return { index: 0, length: 2 + the };
    if (/^(bottom|end)$/.test(w(1 + the))) return { index: 'last', length: 2 + the };
    const o = ordinal(w(1 + the));
    if (o !== undefined) return { index: o === 'last' ? 'last' : o - 1, length: 2 + the + optionalPlace(2 + the) };
  }
  return undefined;
}

function readItems(text: string, proposed: readonly Theme[]): Item[] {
  const t = tokenize(text);
  const items: Item[] = [];
  const n = proposed.length;
  let i = 0;
  while (i < t.length) {
    const w = t[i].norm;
    // "les deux premiers", "les deux derniers"
    if (w === 'deux' && /^(premiers|premieres|derniers|dernieres)$/.test(t[i + 1]?.norm ?? '')) {
      const first = t[i + 1].norm.startsWith('premier') ? 0 : n - 2;
      items.push({ kind: 'ref', index: first, at: i }, { kind: 'ref', index: first + 1, at: i + 1 });
      i += 2;
      continue;
    }
    const pos = positionAt(t, i);
    if (pos) {
      items.push({ kind: 'pos', index: pos.index, at: i });
      i += pos.length;
      continue;
    }
    // "213" for "2, 1, 3" when there are fewer than ten axes
    if (/^\d{2,}$/.test(w) && n < 10 && [...w].every((d) => d >= '1' && Number(d) <= n)) {
      for (const d of w) items.push({ kind: 'ref', index: Number(d) - 1, at: i });
      i += 1;
      continue;
    }
    if (/^\d+$/.test(w)) {
      items.push({ kind: 'ref', index: Number(w) - 1, at: i });
      i += 1;
      continue;
    }
    const o = ordinal(w);
    // "put finances second", "HR first", "3 first": an ordinal right after an axis says where it goes
    // (an axis named by an ordinal itself — "the first and the third" — is no axis to place).
    const placed = items[items.length - 1];
    if (o !== undefined && placed?.kind === 'ref' && ordinal(t[placed.at].norm) === undefined) {
      items.push({ kind: 'pos', index: o === 'last' ? 'last' : o - 1, at: i });
      i += 1 + (/^(position|place)$/.test(t[i + 1]?.norm ?? '') ? 1 : 0);
      continue;
    }
    if (o !== undefined) {
      items.push({ kind: 'ref', index: o === 'last' ? n - 1 : o - 1, at: i });
      i += 1;
      continue;
    }
    const previous = t[i - 1]?.norm ?? '';
    const next = t[i + 1];
    const numberWord = NUMBER_WORDS[w];
    const countable =
      numberWord !== undefined &&
      previous !== 'les' &&
      (numberWord > 1 || /^(le|l|axe|numero|n)$/.test(previous) || !next || next.gapBefore !== 'space' || NUMBER_WORDS[next.norm] !== undefined || /^(puis|et|ensuite|en|avant|apres)$/.test(next.norm));
    if (countable) {
      items.push({ kind: 'ref', index: numberWord - 1, at: i });
      i += 1;
      continue;
    }
    // "CA" is the conseil d'administration; "ça" / "ca me va" is not.
    const notCa = w !== 'ca' || t[i].raw === 'CA' || /^(le|du|au)$/.test(previous);
    const alias = notCa ? ALIASES.find((a) => phraseAt(t, i, a.words)) : undefined;
    if (alias) {
      const theme = alias.themes.find((th) => proposed.includes(th));
      const index = theme === undefined ? undefined : proposed.indexOf(theme);
      // « la diversification des financements », « diversifying funding »: one axis named in
      // words that each name it (only little words between them) is named once.
      const last = [...items].reverse().find((x) => x.kind !== 'word' || !LINKING_WORDS.has(x.w));
      const again = theme !== undefined && last?.kind === 'ref' && last.theme === theme;
      if (!again) items.push(theme === undefined ? { kind: 'ref', missing: alias.themes[0], at: i } : { kind: 'ref', theme, index, at: i });
      i += alias.words.length;
      continue;
    }
    items.push({ kind: 'word', w, at: i });
    i += 1;
  }
  return items;
}

const KEEP_WORDS = new Set([
  'ok', 'okay', 'oki', 'oui', 'ouais', 'd', 'accord', 'daccord', 'dac', 'c', 'est', 'bon', 'bien', 'tres', 'parfait',
  'parfaitement', 'ca', 'cela', 'me', 'nous', 'va', 'convient', 'on', 'garde', 'gardez', 'gardons', 'garder', 'je',
  'valide', 'validons', 'validez', 'valider', 'marche', 'nickel', 'super', 'merci', 'pour', 'moi', 'l', 'ordre', 'cet',
  'comme', 'tel', 'telle', 'quel', 'propose', 'proposition', 'la', 'le', 'cette', 'tout', 'a', 'fait', 'genial',
  'impeccable', 'exactement', 'voila', 'top', 'yes', 'fine', 'good', 'keep', 'it', 'looks', 'great', 'thanks', 'thank',
  'you', 'that', 's', 'sounds', 'perfect', 'all', 'right', 'sure', 'me', 'is', 'as',
  // « je confirme », "I confirm": the order agreed with.
  'confirme', 'confirmons', 'confirmer', 'i', 'confirm', 'confirmed', 'agree',
]);
const AFFIRMATIVE = /^(ok|okay|oki|oui|ouais|accord|daccord|dac|bon|bien|parfait|parfaitement|va|convient|garde|gardez|gardons|garder|valide|validons|validez|valider|marche|nickel|super|genial|impeccable|exactement|top|yes|fine|good|keep|great|perfect|sure|right|confirme|confirmons|confirmer|confirm|confirmed|agree)$/;

const ARTICLES = new Set(['la', 'le', 'les', 'l', 'du', 'des', 'de', 'd', 'a', 'au', 'aux', 'axe', 'numero', 'n', 'the']);

/** The item next to items[k] in a direction, over articles: "commencez par l'économie". */
function neighbour(items: Item[], k: number, direction: 1 | -1): Item | undefined {
  let j = k + direction;
  while (items[j]?.kind === 'word' && ARTICLES.has((items[j] as { w: string }).w)) j += direction;
  return items[j];
}

/**
 * The proposed order, changed by the structure's message. Understood: a list of numbers or
 * axes ("2, 1, 3", "d'abord la gouvernance puis les financements": named axes first, the others
 * after in the proposed order), a position ("mettez RH en premier", "la gouvernance en dernier",
 * "le 3 en 2e position"), a swap ("inverser 1 et 2", "échanger la RH et la gouvernance"),
 * "X avant/après Y", "dans l'ordre inverse", and agreement ("ok", "c'est bon", "d'accord":
 * keep). Anything else is an error for the dialog to ask again. `proposed` may be the
 * ProposedAxis list of proposeAxes or just its themes.
 */
export function applyReorder<T extends ProposedAxis | Theme>(proposed: readonly T[], userText: string): ReorderResult<T> {
  const n = proposed.length;
  const themes = proposed.map(axisOf);
  const items = readItems(userText, themes);
  const words = items.filter((x): x is Extract<Item, { kind: 'word' }> => x.kind === 'word').map((x) => x.w);
  const refs = items.filter((x): x is Extract<Item, { kind: 'ref' }> => x.kind === 'ref');
  const positions = items.filter((x): x is Extract<Item, { kind: 'pos' }> => x.kind === 'pos');
  const done = (order: number[]): ReorderResult<T> => ({ axes: order.map((k) => proposed[k]), order: order.map((k) => themes[k]), keep: false });
  const identity = proposed.map((_, k) => k);

  // « non », « pas vraiment »: the structure wants another order, and has not said which yet.
  if (refs.length === 0 && positions.length === 0 && words.some((w) => SAYS_NO.has(w)) && words.every((w) => DISAGREE_WORDS.has(w))) return { error: 'wants_change' };
  if (words.some((w) => NEGATIONS.has(w))) return { error: 'not_understood' };
  const missing = refs.find((r) => r.missing !== undefined);
  if (missing) return { error: 'unknown_axis', theme: missing.missing };
  if (refs.some((r) => r.index === undefined || r.index < 0 || r.index >= n)) return { error: 'out_of_range' };
  const indexes = refs.map((r) => r.index as number);

  // "dans l'ordre inverse", "à l'envers", "reverse"
  const reverse =
    (words.includes('ordre') && words.some((w) => /^invers/.test(w))) || words.includes('envers') || words.includes('reverse');
  if (reverse && refs.length === 0) return done([...identity].reverse());

  // Swaps: "inverser 1 et 2", "échanger la RH et la gouvernance", "inverser les deux premiers"
  if (words.some((w) => SWAP_VERBS.test(w))) {
    const pair = refs.length === 0 && n === 2 ? [0, 1] : indexes;
    if (pair.length !== 2 || pair[0] === pair[1]) return { error: 'not_understood' };
    const order = [...identity];
    [order[pair[0]], order[pair[1]]] = [order[pair[1]], order[pair[0]]];
    return done(order);
  }

  // "X avant Y", "X après Y" (without "d'abord", where "après" means "then")
  const relation = items.findIndex((x) => x.kind === 'word' && (BEFORE.has(x.w) || AFTER.has(x.w)));
  if (relation >= 0 && refs.length === 2 && positions.length === 0) {
    const a = items.slice(0, relation).filter((x) => x.kind === 'ref');
    const b = items.slice(relation + 1).filter((x) => x.kind === 'ref');
    if (a.length === 1 && b.length === 1) {
      const before = BEFORE.has((items[relation] as { w: string }).w);
      const [x, y] = indexes;
      if (x === y) return { error: 'not_understood' };
      const without = identity.filter((k) => k !== x);
      const at = without.indexOf(y) + (before ? 0 : 1);
      return done([...without.slice(0, at), x, ...without.slice(at)]);
    }
  }

  // Positions: "mettez RH en premier", "RH en premier et la gouvernance en dernier"
  const sequenceMarkers = positions.every((p) => p.index === 0) && refs.length >= 2;
  if (positions.length > 0 && !sequenceMarkers) {
    const slots: (number | undefined)[] = new Array(n).fill(undefined);
    const used = new Set<number>();
    for (const p of positions) {
      // The axis the position is about: the reference just before it, else just after it.
      const k = items.indexOf(p);
      const before = neighbour(items, k, -1);
      const after = neighbour(items, k, 1);
      const ref = before?.kind === 'ref' && !used.has(before.index as number) ? before : after?.kind === 'ref' ? after : undefined;
      if (!ref) return { error: 'not_understood' };
      const slot = p.index === 'last' ? n - 1 : p.index;
      if (slot < 0 || slot >= n) return { error: 'out_of_range' };
      if (slots[slot] !== undefined || used.has(ref.index as number)) return { error: 'not_understood' };
      slots[slot] = ref.index;
      used.add(ref.index as number);
    }
    if (refs.some((r) => !used.has(r.index as number))) return { error: 'not_understood' };
    const rest = identity.filter((k) => !used.has(k));
    return done(slots.map((s) => (s === undefined ? (rest.shift() as number) : s)));
  }

  // Lists: "2, 1, 3", "2 puis 3", "d'abord la gouvernance puis les financements"
  if (refs.length > 0) {
    if (!words.every((w) => LIST_FILLERS.has(w))) return { error: 'not_understood' };
    if (new Set(indexes).size !== indexes.length) return { error: 'duplicate' };
    return done([...indexes, ...identity.filter((k) => !indexes.includes(k))]);
  }

  // Agreement: "ok", "c'est bon", "d'accord", "ça nous va"
  if (positions.length === 0 && words.length > 0 && words.every((w) => KEEP_WORDS.has(w)) && words.some((w) => AFFIRMATIVE.test(w))) {
    return { axes: [...proposed], order: themes, keep: true };
  }
  return { error: 'not_understood' };
}
