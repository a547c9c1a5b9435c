/**
 * Postal code → département, and the département / région tables (DOMAIN.md § Eligibility 5:
 * the DLA départemental of the head office's département; the DLA régional of its région).
 *
 * A postal code's prefix gives the département for all but a handful of border communes served by
 * a post office in the neighbouring département: the dialog shows the département it found so the
 * person can correct it.
 */

export type RegionCode =
  | '01' | '02' | '03' | '04' | '06'
  | '11' | '24' | '27' | '28' | '32' | '44' | '52' | '53' | '75' | '76' | '84' | '93' | '94';

/** INSEE région codes and names (2016 map). */
export const REGIONS: Record<RegionCode, string> = {
  '01': 'Guadeloupe',
  '02': 'Martinique',
  '03': 'Guyane',
  '04': 'La Réunion',
  '06': 'Mayotte',
  '11': 'Île-de-France',
  '24': 'Centre-Val de Loire',
  '27': 'Bourgogne-Franche-Comté',
  '28': 'Normandie',
  '32': 'Hauts-de-France',
  '44': 'Grand Est',
  '52': 'Pays de la Loire',
  '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine',
  '76': 'Occitanie',
  '84': 'Auvergne-Rhône-Alpes',
  '93': "Provence-Alpes-Côte d'Azur",
  '94': 'Corse',
};

export interface Departement {
  code: string;
  name: string;
  region: RegionCode;
}

/** The 101 départements: code, French name, région. */
export const DEPARTEMENTS: readonly Departement[] = [
  { code: '01', name: 'Ain', region: '84' },
  { code: '02', name: 'Aisne', region: '32' },
  { code: '03', name: 'Allier', region: '84' },
  { code: '04', name: 'Alpes-de-Haute-Provence', region: '93' },
  { code: '05', name: 'Hautes-Alpes', region: '93' },
  { code: '06', name: 'Alpes-Maritimes', region: '93' },
  { code: '07', name: 'Ardèche', region: '84' },
  { code: '08', name: 'Ardennes', region: '44' },
  { code: '09', name: 'Ariège', region: '76' },
  { code: '10', name: 'Aube', region: '44' },
  { code: '11', name: 'Aude', region: '76' },
  { code: '12', name: 'Aveyron', region: '76' },
  { code: '13', name: 'Bouches-du-Rhône', region: '93' },
  { code: '14', name: 'Calvados', region: '28' },
  { code: '15', name: 'Cantal', region: '84' },
  { code: '16', name: 'Charente', region: '75' },
  { code: '17', name: 'Charente-Maritime', region: '75' },
  { code: '18', name: 'Cher', region: '24' },
  { code: '19', name: 'Corrèze', region: '75' },
  { code: '2A', name: 'Corse-du-Sud', region: '94' },
  { code: '2B', name: 'Haute-Corse', region: '94' },
  { code: '21', name: "Côte-d'Or", region: '27' },
  { code: '22', name: "Côtes-d'Armor", region: '53' },
  { code: '23', name: 'Creuse', region: '75' },
  { code: '24', name: 'Dordogne', region: '75' },
  { code: '25', name: 'Doubs', region: '27' },
  { code: '26', name: 'Drôme', region: '84' },
  { code: '27', name: 'Eure', region: '28' },
  { code: '28', name: 'Eure-et-Loir', region: '24' },
  { code: '29', name: 'Finistère', region: '53' },
  { code: '30', name: 'Gard', region: '76' },
  { code: '31', name: 'Haute-Garonne', region: '76' },
  { code: '32', name: 'Gers', region: '76' },
  { code: '33', name: 'Gironde', region: '75' },
  { code: '34', name: 'Hérault', region: '76' },
  { code: '35', name: 'Ille-et-Vilaine', region: '53' },
  { code: '36', name: 'Indre', region: '24' },
  { code: '37', name: 'Indre-et-Loire', region: '24' },
  { code: '38', name: 'Isère', region: '84' },
  { code: '39', name: 'Jura', region: '27' },
  { code: '40', name: 'Landes', region: '75' },
  { code: '41', name: 'Loir-et-Cher', region: '24' },
  { code: '42', name: 'Loire', region: '84' },
  { code: '43', name: 'Haute-Loire', region: '84' },
  { code: '44', name: 'Loire-Atlantique', region: '52' },
  { code: '45', name: 'Loiret', region: '24' },
  { code: '46', name: 'Lot', region: '76' },
  { code: '47', name: 'Lot-et-Garonne', region: '75' },
  { code: '48', name: 'Lozère', region: '76' },
  { code: '49', name: 'Maine-et-Loire', region: '52' },
  { code: '50', name: 'Manche', region: '28' },
  { code: '51', name: 'Marne', region: '44' },
  { code: '52', name: 'Haute-Marne', region: '44' },
  { code: '53', name: 'Mayenne', region: '52' },
  { code: '54', name: 'Meurthe-et-Moselle', region: '44' },
  { code: '55', name: 'Meuse', region: '44' },
  { code: '56', name: 'Morbihan', region: '53' },
  { code: '57', name: 'Moselle', region: '44' },
  { code: '58', name: 'Nièvre', region: '27' },
  { code: '59', name: 'Nord', region: '32' },
  { code: '60', name: 'Oise', region: '32' },
  { code: '61', name: 'Orne', region: '28' },
  { code: '62', name: 'Pas-de-Calais', region: '32' },
  { code: '63', name: 'Puy-de-Dôme', region: '84' },
  { code: '64', name: 'Pyrénées-Atlantiques', region: '75' },
  { code: '65', name: 'Hautes-Pyrénées', region: '76' },
  { code: '66', name: 'Pyrénées-Orientales', region: '76' },
  { code: '67', name: 'Bas-Rhin', region: '44' },
  { code: '68', name: 'Haut-Rhin', region: '44' },
  { code: '69', name: 'Rhône', region: '84' },
  { code: '70', name: 'Haute-Saône', region: '27' },
  { code: '71', name: 'Saône-et-Loire', region: '27' },
  { code: '72', name: 'Sarthe', region: '52' },
  { code: '73', name: 'Savoie', region: '84' },
  { code: '74', name: 'Haute-Savoie', region: '84' },
  { code: '75', name: 'Paris', region: '11' },
  { code: '76', name: 'Seine-Maritime', region: '28' },
  { code: '77', name: 'Seine-et-Marne', region: '11' },
  { code: '78', name: 'Yvelines', region: '11' },
  { code: '79', name: 'Deux-Sèvres', region: '75' },
  { code: '80', name: 'Somme', region: '32' },
  { code: '81', name: 'Tarn', region: '76' },
  { code: '82', name: 'Tarn-et-Garonne', region: '76' },
  { code: '83', name: 'Var', region: '93' },
  { code: '84', name: 'Vaucluse', region: '93' },
  { code: '85', name: 'Vendée', region: '52' },
  { code: '86', name: 'Vienne', region: '75' },
  { code: '87', name: 'Haute-Vienne', region: '75' },
  { code: '88', name: 'Vosges', region: '44' },
  { code: '89', name: 'Yonne', region: '27' },
  { code: '90', name: 'Territoire de Belfort', region: '27' },
  { code: '91', name: 'Essonne', region: '11' },
  { code: '92', name: 'Hauts-de-Seine', region: '11' },
  { code: '93', name: 'Seine-Saint-Denis', region: '11' },
  { code: '94', name: 'Val-de-Marne', region: '11' },
  { code: '95', name: "Val-d'Oise", region: '11' },
  { code: '971', name: 'Guadeloupe', region: '01' },
  { code: '972', name: 'Martinique', region: '02' },
  { code: '973', name: 'Guyane', region: '03' },
  { code: '974', name: 'La Réunion', region: '04' },
  { code: '976', name: 'Mayotte', region: '06' },
];

/**
 * Saint-Pierre-et-Miquelon (postal codes 975xx) is a collectivité d'outre-mer, not one of the 101
 * départements and in no région: its postal codes resolve to "975" so an operator can list it.
 */
export const OTHER_TERRITORIES: Record<string, string> = { '975': 'Saint-Pierre-et-Miquelon' };

/** 98xxx: territories where the DLA (a programme of French law for départements) does not run. */
const NOT_DLA_98: Record<string, string> = {
  '980': 'Monaco',
  '984': 'Terres australes et antarctiques françaises',
  '986': 'Wallis-et-Futuna',
  '987': 'Polynésie française',
  '988': 'Nouvelle-Calédonie',
};

const BY_CODE = new Map(DEPARTEMENTS.map((d) => [d.code, d]));

export function findDepartement(code: string): Departement | undefined {
  return BY_CODE.get(code.toUpperCase());
}

/** One of the 101 codes ("01", "2A", "971"…), or "975" (Saint-Pierre-et-Miquelon). */
export function isTerritoryCode(code: string): boolean {
  return BY_CODE.has(code.toUpperCase()) || code in OTHER_TERRITORIES;
}

/** French name for a code of DEPARTEMENTS or OTHER_TERRITORIES. */
export function territoryName(code: string): string | undefined {
  return findDepartement(code)?.name ?? OTHER_TERRITORIES[code];
}

export type PostalCodeError =
  | 'empty'
  | 'not_digits' // letters or other signs ("75OO1", "F-75001")
  | 'too_short' // 4 digits: often a leading 0 lost by a spreadsheet ("6000" for 06000)
  | 'too_long'
  | 'unknown_prefix' // 00xxx, 96xxx, 970xx, 977xx…: no département has it
  | 'not_dla_territory'; // 98xxx: Monaco, Polynésie, Nouvelle-Calédonie…: no DLA there

export type PostalCodeResult =
  | { ok: true; postalCode: string; departement: string }
  | { ok: false; input: string; reason: PostalCodeError; territory?: string; suggestion?: string };

/** "75011" → "75", "20167" → "2A", "20200" → "2B", "97411" → "974". */
export function departementFromPostalCode(input: string): PostalCodeResult {
  const code = input.replace(/[\s.\u00a0\u202f]/g, '');
  if (code === '') return { ok: false, input, reason: 'empty' };
  if (!/^\d+$/.test(code)) return { ok: false, input, reason: 'not_digits' };
  if (code.length === 4) return { ok: false, input, reason: 'too_short', suggestion: `0${code}` };
  if (code.length < 5) return { ok: false, input, reason: 'too_short' };
  if (code.length > 5) return { ok: false, input, reason: 'too_long' };

  const two = code.slice(0, 2);
  const three = code.slice(0, 3);
  const ok = (departement: string): PostalCodeResult => ({ ok: true, postalCode: code, departement });
  // Corsica: 200xx and 201xx are Corse-du-Sud (Ajaccio 20000), 202xx and above Haute-Corse (Bastia 20200).
  if (two === '20') return ok(Number(code[2]) <= 1 ? '2A' : '2B');
  if (two === '97') {
    if (BY_CODE.has(three) || three in OTHER_TERRITORIES) return ok(three);
    return { ok: false, input, reason: 'unknown_prefix' };
  }
  if (two === '98') return { ok: false, input, reason: 'not_dla_territory', territory: NOT_DLA_98[three] };
  if (BY_CODE.has(two)) return ok(two);
  return { ok: false, input, reason: 'unknown_prefix' }; // 00xxx, 96xxx, 99xxx
}

/** Région of a département (undefined for 975 and unknown codes): for the DLA régional. */
export function regionOf(departement: string): { code: RegionCode; name: string } | undefined {
  const d = findDepartement(departement);
  return d ? { code: d.region, name: REGIONS[d.region] } : undefined;
}

/** A name compared loosely: « gironde », « Côtes d’Armor », « cotes-d-armor » are the same. */
const nameKey = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const BY_NAME = new Map([...DEPARTEMENTS.map((d) => [nameKey(d.name), d.code] as const), ...Object.entries(OTHER_TERRITORIES).map(([code, name]) => [nameKey(name), code] as const)]);

/** The territory code a person typed as a code (« 33 », « 2a », « 1 ») or a name (« Gironde »); undefined when none. */
export function territoryCodeOf(input: string): string | undefined {
  const code = normalizeDepartementCode(input);
  if (isTerritoryCode(code)) return code;
  return BY_NAME.get(nameKey(input));
}

/**
 * A list of départements as an operator types it: "33,24", "33;24", "33 24" or names
 * ("Gironde, Lot-et-Garonne", "Territoire de Belfort") → each item as written (see territoryCodeOf).
 */
export function departementItems(raw: string): string[] {
  return raw.split(/[,;]/).flatMap((item) => (/^[\s\dAB]+$/i.test(item) ? item.split(/\s+/) : [item])).map((c) => c.trim()).filter(Boolean);
}

/** "2a" → "2A", "1" → "01", " 75 " → "75": operators type their territory by hand. */
export function normalizeDepartementCode(code: string): string {
  const c = code.trim().toUpperCase();
  return /^\d$/.test(c) ? `0${c}` : c;
}

/** Names people give a territory besides its own (« la Réunion » without its article, « Corse du Sud »). */
const OTHER_NAMES: Record<string, string> = { reunion: '974', 'corse sud': '2A', 'sud corse': '2A', 'nord corse': '2B', 'haute corse': '2B' };

/** The words before a département named at the postal code question: « on est en », « dans la », « notre siège est dans le », "we are in". */
const BEFORE_NAME = /^(?:(?:alors|bonjour|euh|oui|ah|nous|notre siege|le siege|siege|on|est|sommes|situe|situes|situee|situees|base|bases|basee|basees|en|dans|a|au|aux|le|la|les|l|de|du|des|departement|department|dept|dpt|we|are|re|in|the|based|located|our|head|office|is)\s+)*/;

/** A département said by its number, after words that say it is one: « dans le 33 », « département 24 », « on est du 2A », "department 33". */
const NUMBER_SAID = /(?:^|\s)(?:dans le|du|departement|department|dept|dpt)\s+(\d{2,3}|2a|2b)$/;

/** The code of a département number (« 33 », « 2a », « 974 »); `corsica` for « 20 », Corsica's number before 1976. */
function departementNumber(number: string): { departement: string } | { corsica: true } | undefined {
  const code = normalizeDepartementCode(number);
  if (code === '20') return { corsica: true };
  return isTerritoryCode(code) ? { departement: code } : undefined;
}

/**
 * A département named in words (« en corse du sud », « dans la gironde », « on est en Dordogne »,
 * « Martinique », "we are in Gironde") or by its number after words that say it is one (« dans le
 * 33 », « département 24 »), alone with its lead-in words: its code. « en Corse » alone
 * says no département (2A or 2B): `corsica`. Undefined for anything else (a city, a sentence).
 */
export function departementNamed(text: string): { departement: string } | { corsica: true } | undefined {
  const words = nameKey(text).replace(BEFORE_NAME, '').trim();
  if (!words) return undefined;
  if (words === 'corse' || words === 'corsica') return { corsica: true };
  const number = NUMBER_SAID.exec(nameKey(text));
  if (number && number[1] === words) return departementNumber(number[1]);
  const code = BY_NAME.get(words) ?? OTHER_NAMES[words];
  return code ? { departement: code } : undefined;
}

/** Every name a département is typed by (nameKey), the longest first: « corse du sud » before « corse ». */
const NAMES_TYPED = [...BY_NAME.keys(), ...Object.keys(OTHER_NAMES)].filter((name) => findDepartement(BY_NAME.get(name) ?? OTHER_NAMES[name])).sort((a, b) => b.length - a.length);
/** « en martinique, », "in Corse du Sud," « dans la Gironde et … »: a name after its preposition, then the sentence's end, a comma, « et ». */
const NAMED_IN = new RegExp(String.raw`(?:^|\s)(?:en|dans (?:le|la|les|l)|a la|in|based in)\s+(${NAMES_TYPED.join('|')})(?=\s*(?:$|[,.;!?)]|\s(?:et|and|avec|with|depuis|since)\s))`, 'g');

/** « on est dans le 33, », « département 24 et … », « on est du 2A »: a département's number after words that say it is one, then the sentence's end, a comma, « et ». */
const NUMBER_IN = /(?:^|\s)(?:dans le|(?:on est|nous sommes|we are) du|departement|department|dept|dpt)\s+(\d{2,3}|2a|2b)(?=\s*(?:$|[,.;!?)]|\s(?:et|and|avec|with|depuis|since)\s))/g;

/**
 * The département a sentence says the structure is in (« on est un esat en martinique, 45
 * travailleurs », "we are a SCIC in Corse du Sud, 7 employees", « une asso dans le 33, 3 salariés »):
 * its code, when one only is named so.
 */
export function departementIn(text: string): string | undefined {
  const plain = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['’-]/g, ' ').replace(/\s+/g, ' ');
  const numbers = [...plain.matchAll(NUMBER_IN)].map((m) => departementNumber(m[1])).map((n) => (n && 'departement' in n ? n.departement : undefined));
  const codes = new Set([...[...plain.matchAll(NAMED_IN)].map((m) => BY_NAME.get(m[1]) ?? OTHER_NAMES[m[1]]), ...numbers.filter((code) => code !== undefined)]);
  return codes.size === 1 ? [...codes][0] : undefined;
}
