import {
  LocalResource,
  NATIONAL_RESOURCES,
  NEED_TAGS,
  Resource,
  matchResources,
  parseCheckedAt,
  parseResourceRow,
  validateResourceRow,
  validateResourceRows,
} from '../../../src/domain/resources';
import { LANGUAGES, translator } from '../../../src/i18n';
import fr from '../../../locales/fr/resources.json';
import en from '../../../locales/en/resources.json';

const local = (id: string, needs: string[], departements: string[]): LocalResource => ({
  id,
  name: id,
  needs,
  scope: 'local',
  departements,
  contact: 'vérifié par l’opérateur',
  checkedBy: 'Camille',
  checkedAt: '2026-10-01',
});

const maisonRennes = local('maison_asso_rennes', ['local_association_life', 'association_general'], ['35']);
const fundingBrest = local('fonds_brest', ['funding'], ['29']);
const directory: Resource[] = [...NATIONAL_RESOURCES, maisonRennes, fundingBrest];

const ids = (needs: string[], dep: string | undefined, entries: readonly Resource[] = directory, max?: number) =>
  matchResources(needs, dep, entries, max).map((m) => m.resource.id);

describe('national directory', () => {
  test('ids are unique and every need tag used is known', () => {
    expect(new Set(NATIONAL_RESOURCES.map((r) => r.id)).size).toBe(NATIONAL_RESOURCES.length);
    for (const r of NATIONAL_RESOURCES) for (const n of r.needs) expect(NEED_TAGS).toContain(n);
  });

  test('sites are only the official ones we are sure of', () => {
    const allowed = ['www.associations.gouv.fr', 'www.franceactive.org', 'www.avise.org', 'www.ess-france.org', 'www.info-dla.fr', 'www.opale.asso.fr', 'www.rnma.fr'];
    for (const r of NATIONAL_RESOURCES) if (r.url) expect(allowed).toContain(new URL(r.url).hostname);
  });

  test('no national entry carries an address, a phone or a contact', () => {
    for (const r of NATIONAL_RESOURCES) {
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['finder', 'id', 'nameKey', 'needs', 'scope']));
      expect(Object.keys(r).every((k) => ['finder', 'id', 'nameKey', 'needs', 'scope', 'url'].includes(k))).toBe(true);
      // Its name, as each language reads it, too.
      for (const text of [JSON.stringify(r), ...LANGUAGES.map((lng) => translator(lng)(r.nameKey))]) {
        expect(text).not.toMatch(/\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}/); // no phone number
      }
    }
  });

  test.each([
    ['association_general', 'guid_asso'],
    ['creation', 'cress'],
    ['funding', 'france_active'],
    ['dla_other_territory', 'dla_directory'],
    ['sector_culture', 'crdla_culture'],
    ['sector_sport', 'crdla_sport'],
    ['sector_social_health', 'crdla_social_health'],
    ['sector_iae', 'crdla_iae'],
    ['sector_ecological_transition', 'crdla_ecological_transition'],
    ['sector_digital', 'crdla_digital'],
  ])('need %s is served by %s', (need, id) => {
    expect(ids([need], '35', NATIONAL_RESOURCES)).toContain(id);
  });
});

describe('matchResources', () => {
  test('a local entry comes before the national ones for the same need', () => {
    expect(ids(['local_association_life'], '35')).toEqual(['maison_asso_rennes', 'maisons_des_associations']);
  });

  test('a local entry of another département is not offered', () => {
    expect(ids(['funding'], '35')).not.toContain('fonds_brest');
    expect(ids(['funding'], '29')[0]).toBe('fonds_brest');
  });

  test('without a département, local entries are left out', () => {
    expect(ids(['local_association_life'], undefined)).toEqual(['maisons_des_associations']);
  });

  test('each need gets its best entry before a second entry of the first need', () => {
    expect(ids(['funding', 'creation'], '35')).toEqual(['france_active', 'incubators_ess', 'local_funders']);
  });

  test.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [0, 1], // at least one: never a dead end
  ])('max %d → %d entries', (max, count) => {
    expect(ids(['association_general', 'funding', 'creation', 'ess_ecosystem'], '35', directory, max)).toHaveLength(count);
  });

  test('best only: one entry per need, no filler', () => {
    expect(matchResources(['funding', 'creation'], '35', directory, 3, true).map((m) => m.resource.id)).toEqual(['france_active', 'incubators_ess']);
  });

  test('at most three by default', () => {
    expect(ids(['association_general', 'funding', 'creation', 'ess_ecosystem'], '35')).toHaveLength(3);
  });

  test('each match says why, by the need it answers', () => {
    const matches = matchResources(['sector_culture', 'funding'], '35', directory);
    expect(matches.map((m) => [m.resource.id, m.whyKey])).toEqual([
      ['crdla_culture', 'resources.why.sector_culture'],
      ['france_active', 'resources.why.funding'],
      ['local_funders', 'resources.why.funding'],
    ]);
  });

  test('no need matches: general orientation instead of nothing', () => {
    const matches = matchResources(['no_such_need'], '35', directory);
    expect(matches.map((m) => m.resource.id)).toEqual(['guid_asso', 'cress']);
    expect(matches.every((m) => m.whyKey === 'resources.why.general_orientation')).toBe(true);
  });

  test('département codes compared normalised', () => {
    expect(ids(['funding'], '2a', [local('corse', ['funding'], ['2A'])])).toEqual(['corse']);
  });
});

describe('validateResourceRow', () => {
  const good = {
    id: 'maison-asso-rennes',
    name: 'Maison des associations de Rennes',
    needs: 'local_association_life;association_general',
    departements: '35',
    url: 'https://example.org/mda',
    checkedBy: 'Camille Martin',
    checkedAt: '2026-10-01',
  };

  test('a clean CSV row has no error and becomes a local entry', () => {
    expect(validateResourceRow(good, 2)).toEqual([]);
    expect(parseResourceRow(good, 2).resource).toEqual({
      id: 'maison-asso-rennes',
      name: 'Maison des associations de Rennes',
      needs: ['local_association_life', 'association_general'],
      scope: 'local',
      departements: ['35'],
      url: 'https://example.org/mda',
      checkedBy: 'Camille Martin',
      checkedAt: '2026-10-01',
    });
  });

  test('a JSON row with arrays, a French date and lower-case Corsican code is normalised', () => {
    const row = { ...good, needs: ['funding'], departements: ['2a', '2B'], checkedAt: '15/03/2026', url: '', contact: '04 95 00 00 00' };
    const { resource, errors } = parseResourceRow(row, 7);
    expect(errors).toEqual([]);
    expect(resource).toMatchObject({ departements: ['2A', '2B'], checkedAt: '2026-03-15', contact: '04 95 00 00 00' });
    expect(resource).not.toHaveProperty('url');
  });

  test.each([
    ['id', { id: 'maison des assos' }, 'invalid_id'],
    ['name', { name: '  ' }, 'required'],
    ['scope', { scope: 'national' }, 'invalid_scope'],
    ['needs', { needs: '' }, 'required'],
    ['needs', { needs: 'funding;partying' }, 'unknown_need'],
    ['departements', { departements: '' }, 'required'],
    ['departements', { departements: '35;20' }, 'invalid_departement'],
    ['departements', { departements: '96' }, 'invalid_departement'],
    ['url', { url: 'www.example.org' }, 'invalid_url'],
    ['url', { url: 'ftp://example.org' }, 'invalid_url'],
    ['url', { url: 'https://localhost' }, 'invalid_url'],
    ['url', { url: '' }, 'contact_required'],
    ['checkedBy', { checkedBy: '' }, 'required'],
    ['checkedBy', { checkedBy: undefined }, 'required'],
    ['checkedAt', { checkedAt: '' }, 'required'],
    ['checkedAt', { checkedAt: 'hier' }, 'invalid_date'],
    ['checkedAt', { checkedAt: '2026-02-30' }, 'invalid_date'],
    ['checkedAt', { checkedAt: '31/04/2026' }, 'invalid_date'],
  ])('%s %j → %s', (field, change, reason) => {
    const errors = validateResourceRow({ ...good, ...change }, 5);
    expect(errors).toEqual([expect.objectContaining({ line: 5, field, reason })]);
    expect(parseResourceRow({ ...good, ...change }, 5).resource).toBeUndefined();
  });

  test('without an id, one is derived from the name and the départements (the same each time); a given id wins', () => {
    const { id: _id, ...noId } = good;
    expect(parseResourceRow(noId, 2).resource?.id).toBe('maison-des-associations-de-rennes-35');
    expect(parseResourceRow({ ...noId, departements: '56;35' }, 2).resource?.id).toBe(parseResourceRow({ ...noId, departements: '35, 56' }, 2).resource?.id);
    expect(parseResourceRow({ ...noId, id: '' }, 2).resource?.id).toBe('maison-des-associations-de-rennes-35');
    expect(parseResourceRow(good, 2).resource?.id).toBe('maison-asso-rennes');
  });

  test.each([
    ['Diversification des financements', ['funding', 'local_funders']],
    ['numérique', ['sector_digital']],
    ['RH', ['sector_networks']],
    ['Emploi et ressources humaines (salarié·es, bénévoles)', ['sector_networks']],
    ['vie de l\'association; Transition-Écologique', ['association_general', 'sector_ecological_transition']],
    ['FUNDING, funding', ['funding']],
  ])('needs « %s » → %j', (needs, tags) => {
    expect(parseResourceRow({ ...good, needs }, 2).resource?.needs).toEqual(tags);
  });

  test('the offending value is given back to the operator', () => {
    expect(validateResourceRow({ ...good, departements: '35;99' }, 3)).toEqual([{ line: 3, field: 'departements', reason: 'invalid_departement', value: '99' }]);
  });

  test('départements may be written by name, as OPERATOR_DEPARTEMENTS and the back-office filters take them; a wrong one is given back as written', () => {
    const { id: _id, ...noId } = good;
    const named = parseResourceRow({ ...noId, departements: 'Ille-et-Vilaine, morbihan, 35' }, 2);
    expect(named.errors).toEqual([]);
    expect(named.resource).toMatchObject({ departements: ['35', '56'], id: parseResourceRow({ ...noId, departements: '56;35' }, 2).resource?.id });
    expect(validateResourceRow({ ...good, departements: 'Gironde; Girond' }, 3)).toEqual([{ line: 3, field: 'departements', reason: 'invalid_departement', value: 'Girond' }]);
  });

  test('several errors on one row are all reported', () => {
    const errors = validateResourceRow({ id: 'x' }, 9);
    expect(errors.map((e) => e.field)).toEqual(['name', 'needs', 'departements', 'url', 'checkedBy', 'checkedAt']);
  });

  test('validateResourceRows numbers lines from 2 (header) and flags duplicate ids', () => {
    const errors = validateResourceRows([good, { ...good, checkedAt: 'bientôt' }, good]);
    expect(errors).toEqual([
      { line: 3, field: 'checkedAt', reason: 'invalid_date', value: 'bientôt' },
      { line: 3, field: 'id', reason: 'duplicate', value: 'maison-asso-rennes' },
      { line: 4, field: 'id', reason: 'duplicate', value: 'maison-asso-rennes' },
    ]);
  });

  test.each([
    ['2026-10-01', '2026-10-01'],
    ['2026-10-01T09:30:00Z', '2026-10-01'],
    ['01/10/2026', '2026-10-01'],
    ['2024-02-29', '2024-02-29'],
    ['2026-02-29', undefined],
    ['2026-13-01', undefined],
    ['1/10/2026', undefined],
  ])('parseCheckedAt(%j) = %j', (value, expected) => {
    expect(parseCheckedAt(value)).toBe(expected);
  });
});

describe('texts (resources.fr.json / resources.en.json)', () => {
  const finderKeys = [...new Set(NATIONAL_RESOURCES.map((r) => r.finder))].map((k) => k.replace('resources.finder.', '')).sort();

  test.each([
    ['fr', fr],
    ['en', en],
  ])('%s: a finder text per national entry, a why text per need, an error text per reason', (_lang, texts) => {
    expect(Object.keys(texts.finder).sort()).toEqual(finderKeys);
    expect(Object.keys(texts.why).sort()).toEqual([...NEED_TAGS].sort());
    expect(Object.keys(texts.rowError).sort()).toEqual(
      ['required', 'invalid_id', 'invalid_scope', 'unknown_need', 'invalid_departement', 'invalid_url', 'invalid_date', 'contact_required', 'duplicate', 'duplicate_name'].sort(),
    );
  });
});
