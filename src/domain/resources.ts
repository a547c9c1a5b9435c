/**
 * Where to send a request the DLA does not cover (DOMAIN.md § Where out-of-scope requests go),
 * plus the CRDLA sector resource centres (DOMAIN.md § Themes). National entries name a network,
 * its own site (only where the address is certain) and how to find the local one; they never
 * carry an address or a phone number. Operators add local entries, with who checked them and when.
 * Texts (why this resource, how to find it) are i18n keys: locales/fr/resources.json and locales/en/resources.json.
 */
import { normalizeDepartementCode, territoryCodeOf } from './territory';
import { normalize, normalizeWords } from './text';

/** Need tags: what a resource helps with. A request is tagged by the caller (eligibility, themes). */
export const NEED_TAGS = [
  'association_general', // statutes, governance, volunteers, paperwork
  'non_employer', // small associations without employees
  'local_association_life',
  'ess_ecosystem', // social-economy ecosystem, regional support
  'creation', // ESS project at creation stage
  'funding', // guarantees, solidarity loans, equity
  'local_funders',
  'sector_networks', // federations, URSCOP, OPCO
  'business_creation', // classic business creation
  'job_seekers',
  'dla_other_territory', // the structure's own DLA
  'dla_regional',
  'sector_culture',
  'sector_sport',
  'sector_social_health',
  'sector_iae',
  'sector_ecological_transition',
  'sector_digital',
  'general_orientation', // fallback: someone who can point the way whatever the need
] as const;
export type NeedTag = (typeof NEED_TAGS)[number];

interface ResourceBase {
  id: string;
  needs: string[];
  /** Official site: left out where we are not certain of it. */
  url?: string;
}

export interface NationalResource extends ResourceBase {
  scope: 'national';
  /** i18n key: the network's name as the structure reads it (in English, the French name glossed). */
  nameKey: string;
  /** i18n key: how to find the local branch (e.g. "run in each département by the SDJES"). */
  finder: string;
}

export interface LocalResource extends ResourceBase {
  scope: 'local';
  /** As the operator wrote it. */
  name: string;
  departements: string[];
  /** Address, phone or e-mail exactly as the operator checked them. */
  contact?: string;
  checkedBy: string;
  /** ISO date (YYYY-MM-DD). */
  checkedAt: string;
}

export type Resource = NationalResource | LocalResource;

const national = (id: string, needs: NeedTag[], url?: string, finder = `resources.finder.${id}`): NationalResource => ({
  id,
  nameKey: `resources.name.${id}`,
  needs,
  scope: 'national',
  ...(url ? { url } : {}),
  finder,
});

/** Order breaks ties between entries answering the same need: the most specific one first. */
export const NATIONAL_RESOURCES: readonly NationalResource[] = [
  national('guid_asso', ['association_general', 'non_employer', 'general_orientation'], 'https://www.associations.gouv.fr'),
  national('maisons_des_associations', ['local_association_life', 'association_general', 'non_employer'], 'https://www.rnma.fr'),
  national('incubators_ess', ['creation'], 'https://www.avise.org'),
  national('cress', ['ess_ecosystem', 'creation', 'general_orientation'], 'https://www.ess-france.org'),
  national('france_active', ['funding', 'creation'], 'https://www.franceactive.org'),
  national('sector_networks', ['sector_networks']),
  national('local_funders', ['local_funders', 'funding']),
  // No national entry for business creation nor job seekers: DOMAIN.md lists their networks as
  // "not checked here: verify before naming". An operator imports its own checked entries for them.
  national('dla_directory', ['dla_other_territory'], 'https://www.info-dla.fr'),
  national('dla_regional', ['dla_regional'], 'https://www.info-dla.fr'),
  // CRDLA: national resource centres by sector, working with the DLA chargé·es.
  national('crdla_culture', ['sector_culture'], 'https://www.opale.asso.fr', 'resources.finder.crdla'),
  national('crdla_sport', ['sector_sport'], undefined, 'resources.finder.crdla'),
  national('crdla_social_health', ['sector_social_health'], undefined, 'resources.finder.crdla'),
  national('crdla_iae', ['sector_iae'], 'https://www.avise.org', 'resources.finder.crdla'),
  national('crdla_funding', ['funding'], 'https://www.franceactive.org', 'resources.finder.crdla'),
  national('crdla_ecological_transition', ['sector_ecological_transition'], undefined, 'resources.finder.crdla'),
  national('crdla_digital', ['sector_digital'], undefined, 'resources.finder.crdla'),
];

export interface ResourceMatch {
  resource: Resource;
  /** i18n key saying why this resource is offered: resources.why.<need tag>. */
  whyKey: string;
}

/**
 * Up to `max` resources for the needs (in order of importance) and the head office's département.
 * Each need first gets its best entry (a local entry before a national one), then remaining slots
 * go to the next best unless `bestOnly`. When nothing matches, the general-orientation entries:
 * never a dead end.
 */
export function matchResources(needs: string[], departement: string | undefined, entries: readonly Resource[], max = 3, bestOnly = false): ResourceMatch[] {
  const dep = departement === undefined ? undefined : normalizeDepartementCode(departement);
  const available = entries.filter((e) => e.scope === 'national' || (dep !== undefined && e.departements.map(normalizeDepartementCode).includes(dep)));

  const rank = (wanted: string[]) =>
    available
      .map((resource, order) => ({ resource, order, need: wanted.findIndex((n) => resource.needs.includes(n)) }))
      .filter((c) => c.need >= 0)
      .sort((a, b) => a.need - b.need || scopeRank(a.resource) - scopeRank(b.resource) || a.order - b.order)
      .map((c) => ({ resource: c.resource, whyKey: `resources.why.${wanted[c.need]}` }));

  let ranked = rank(needs);
  if (ranked.length === 0) ranked = rank(['general_orientation']);

  // Each need its best entry not offered yet (said for that need), then the next best.
  const picked: ResourceMatch[] = [];
  const offered = (r: Resource) => picked.some((m) => m.resource === r);
  for (const need of needs) {
    const best = rank([need]).find((m) => !offered(m.resource));
    if (best) picked.push(best);
  }
  if (!bestOnly || picked.length === 0) for (const m of ranked) if (!offered(m.resource)) picked.push(m);
  return picked.slice(0, Math.max(1, max));
}

const scopeRank = (r: Resource) => (r.scope === 'local' ? 0 : 1);

// ——— Operator import (CSV or JSON rows) ———

/**
 * How an operator's spreadsheet may name each need, besides its tag: the DLA theme labels
 * (locales/fr/themes.json, DOMAIN.md § Themes) and everyday words. Compared without case, accents,
 * hyphens or underscores; a label may lead to several tags. README.md § Importing the local
 * resource directory lists this table: keep both in step.
 */
export const NEED_WORDS: Record<NeedTag, readonly string[]> = {
  association_general: ['questions associatives', 'vie de l’association', 'statuts', 'gouvernance', 'organisation interne', 'bénévoles', 'bénévolat'],
  non_employer: ['associations sans salarié', 'associations sans salariés', 'petites associations'],
  local_association_life: ['vie associative', 'vie associative locale', 'maison des associations'],
  ess_ecosystem: ['ESS', 'économie sociale et solidaire', 'partenariats', 'partenariats et coopérations', 'coopérations'],
  creation: ['création', 'projet en création', 'émergence', 'incubation'],
  funding: ['financement', 'financements', 'diversification des financements', 'restructuration économique et financière', 'trésorerie', 'fonds propres', 'prêts', 'garanties'],
  local_funders: ['financeurs locaux', 'subventions', 'diversification des financements'],
  sector_networks: ['fédérations', 'têtes de réseau', 'RH', 'ressources humaines', 'emploi et ressources humaines', 'formation'],
  business_creation: ['création d’entreprise', 'entrepreneuriat', 'création d’activité'],
  job_seekers: ['recherche d’emploi', 'demandeurs d’emploi', 'demandeuses d’emploi'],
  dla_other_territory: ['autre DLA', 'DLA'],
  dla_regional: ['DLA régional'],
  sector_culture: ['culture'],
  sector_sport: ['sport'],
  sector_social_health: ['social', 'médico-social', 'santé', 'solidarités'],
  sector_iae: ['IAE', 'insertion par l’activité économique', 'insertion'],
  sector_ecological_transition: ['transformation écologique', 'transition écologique', 'écologie', 'environnement'],
  sector_digital: ['numérique', 'digital', 'informatique'],
  general_orientation: ['orientation', 'généraliste', 'projet et stratégie', 'communication', 'autre', 'autre besoin'],
};

const needKey = normalizeWords; // normalize() already reads « _ » as a space
const NEEDS_BY_WORD = new Map<string, NeedTag[]>();
for (const tag of NEED_TAGS) {
  for (const word of [tag, ...NEED_WORDS[tag]]) {
    const key = needKey(word);
    NEEDS_BY_WORD.set(key, [...(NEEDS_BY_WORD.get(key) ?? []), tag]);
  }
}

/** The tags a need written in a file stands for (« Diversification des financements », « RH », funding); undefined: unknown. */
export function needTagsOf(value: string): NeedTag[] | undefined {
  return NEEDS_BY_WORD.get(needKey(value));
}

/**
 * The id of an entry imported without one: its name and départements (« Maison des associations
 * de Rennes », 35 → maison-des-associations-de-rennes-35), so that importing the same file again
 * updates the entry rather than adding a second one. Renaming the entry changes it.
 */
export function derivedResourceId(name: string, departements: readonly string[]): string {
  const slug = normalize(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  const where = [...new Set(departements.map((d) => normalizeDepartementCode(d).toLowerCase()))].sort();
  return [slug, ...where].filter(Boolean).join('-');
}

export type ResourceRowErrorReason =
  | 'required'
  | 'invalid_id'
  | 'invalid_scope'
  | 'unknown_need'
  | 'invalid_departement'
  | 'invalid_url'
  | 'invalid_date'
  | 'contact_required'
  | 'duplicate'
  | 'duplicate_name';

export interface ResourceRowError {
  line: number;
  field: string;
  reason: ResourceRowErrorReason;
  /** The offending value, to show the operator what to fix. */
  value?: string;
}

/** « Emploi et ressources humaines (salarié·es, bénévoles) »: the aside (and its comma) is no need of its own. */
const withoutAsides = (value: unknown) => (typeof value === 'string' ? value.replace(/\([^)]*\)/g, ' ') : value);

/** CSV cells hold "75;92" or "funding, creation"; JSON rows may hold arrays, or one number ("departements": 35). */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(/[;,|]/).map((v) => v.trim()).filter(Boolean);
  if (typeof value === 'number' && Number.isFinite(value)) return [String(value)];
  return [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** "2026-03-15" or "15/03/2026" (how spreadsheets export it) → "2026-03-15"; undefined if no such day. */
export function parseCheckedAt(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(value);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (!y) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m}-${d}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Checks one row of an operator's local directory and, when it is clean, returns the entry. */
export function parseResourceRow(row: Record<string, unknown>, line: number): { resource?: LocalResource; errors: ResourceRowError[] } {
  const errors: ResourceRowError[] = [];
  const fail = (field: string, reason: ResourceRowErrorReason, value?: string) => errors.push({ line, field, reason, ...(value !== undefined ? { value } : {}) });

  const explicitId = text(row.id);
  if (explicitId && !/^[a-z0-9][a-z0-9_-]*$/i.test(explicitId)) fail('id', 'invalid_id', explicitId);

  const name = text(row.name);
  if (!name) fail('name', 'required');

  const scope = text(row.scope);
  if (scope && scope !== 'local') fail('scope', 'invalid_scope', scope);

  const needs: string[] = [];
  const written = list(withoutAsides(row.needs));
  if (written.length === 0) fail('needs', 'required');
  for (const n of written) {
    const tags = needTagsOf(n);
    if (!tags) fail('needs', 'unknown_need', n);
    else for (const tag of tags) if (!needs.includes(tag)) needs.push(tag);
  }

  const writtenDepartements = list(row.departements);
  if (writtenDepartements.length === 0) fail('departements', 'required');
  for (const d of writtenDepartements) if (!territoryCodeOf(d)) fail('departements', 'invalid_departement', d);
  const departements = departementCodes(row);
  const id = idOf(row);

  const url = text(row.url);
  if (url && !isHttpUrl(url)) fail('url', 'invalid_url', url);
  const contact = text(row.contact);
  if (!url && !contact) fail('url', 'contact_required'); // an entry nobody can reach is a dead end

  const checkedBy = text(row.checkedBy);
  if (!checkedBy) fail('checkedBy', 'required');
  const checkedAtRaw = text(row.checkedAt);
  const checkedAt = checkedAtRaw ? parseCheckedAt(checkedAtRaw) : undefined;
  if (!checkedAtRaw) fail('checkedAt', 'required');
  else if (!checkedAt) fail('checkedAt', 'invalid_date', checkedAtRaw);

  if (errors.length > 0 || !checkedAt) return { errors };
  return {
    errors,
    resource: { id, name, needs, scope: 'local', departements, ...(url ? { url } : {}), ...(contact ? { contact } : {}), checkedBy, checkedAt },
  };
}

/** The row's départements as codes, written as codes or names (« Gironde », « 33 »); unknown ones left out. */
function departementCodes(row: Record<string, unknown>): string[] {
  return [...new Set(list(row.departements).map(territoryCodeOf).filter((c): c is string => c !== undefined))];
}

/** The row's id; without one (an operator's own spreadsheet), derived from its name and départements. */
function idOf(row: Record<string, unknown>): string {
  const name = text(row.name);
  return text(row.id) || (name ? derivedResourceId(name, departementCodes(row)) : '');
}

export function validateResourceRow(row: Record<string, unknown>, lineNumber: number): ResourceRowError[] {
  return parseResourceRow(row, lineNumber).errors;
}

/**
 * All rows of one import; rows are numbered from `firstLine` (2 for a CSV with a header line).
 * Two rows with the same id (given, or derived from the same name and départements) are one too many.
 */
export function validateResourceRows(rows: Record<string, unknown>[], firstLine = 2): ResourceRowError[] {
  const seen = new Set<string>();
  return rows.flatMap((row, i) => {
    const line = firstLine + i;
    const errors = validateResourceRow(row, line);
    const id = idOf(row);
    if (id && seen.has(id)) errors.push(text(row.id) ? { line, field: 'id', reason: 'duplicate', value: id } : { line, field: 'name', reason: 'duplicate_name', value: text(row.name) });
    seen.add(id);
    return errors;
  });
}
