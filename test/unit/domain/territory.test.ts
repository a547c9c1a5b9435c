import {
  DEPARTEMENTS,
  REGIONS,
  departementFromPostalCode,
  departementIn,
  departementNamed,
  findDepartement,
  isTerritoryCode,
  normalizeDepartementCode,
  regionOf,
  territoryName,
} from '../../../src/domain/territory';

describe('departementFromPostalCode: valid codes', () => {
  test.each([
    ['75011', '75'],
    ['01000', '01'],
    ['09000', '09'],
    ['13001', '13'],
    ['95000', '95'],
    [' 75 011 ', '75'],
    // Corsica: 200xx and 201xx are Corse-du-Sud, 202xx and above Haute-Corse
    ['20000', '2A'],
    ['20190', '2A'],
    ['20199', '2A'],
    ['20200', '2B'],
    ['20620', '2B'],
    // Overseas: three-digit codes
    ['97100', '971'],
    ['97199', '971'],
    ['97200', '972'],
    ['97300', '973'],
    ['97400', '974'],
    ['97500', '975'], // Saint-Pierre-et-Miquelon
    ['97600', '976'],
    ['97699', '976'],
  ])('%j → %s', (code, departement) => {
    expect(departementFromPostalCode(code)).toEqual({ ok: true, postalCode: code.replace(/\s/g, ''), departement });
  });
});

describe('departementFromPostalCode: refused codes, with the reason', () => {
  test.each([
    ['', 'empty'],
    ['75A01', 'not_digits'],
    ['2A000', 'not_digits'],
    ['F-75001', 'not_digits'],
    ['123', 'too_short'],
    ['750011', 'too_long'],
    ['00100', 'unknown_prefix'],
    ['96000', 'unknown_prefix'],
    ['97000', 'unknown_prefix'],
    ['97700', 'unknown_prefix'],
    ['99000', 'unknown_prefix'],
  ])('%j → %s', (code, reason) => {
    expect(departementFromPostalCode(code)).toEqual({ ok: false, input: code, reason });
  });

  test('4 digits: the leading zero a spreadsheet drops is suggested', () => {
    expect(departementFromPostalCode('6000')).toEqual({ ok: false, input: '6000', reason: 'too_short', suggestion: '06000' });
  });

  test.each([
    ['98000', 'Monaco'],
    ['98714', 'Polynésie française'],
    ['98800', 'Nouvelle-Calédonie'],
    ['98600', 'Wallis-et-Futuna'],
  ])('%j → not a DLA territory (%s)', (code, territory) => {
    expect(departementFromPostalCode(code)).toEqual({ ok: false, input: code, reason: 'not_dla_territory', territory });
  });
});

describe('département and région tables', () => {
  test('101 départements, each code once', () => {
    expect(DEPARTEMENTS).toHaveLength(101);
    expect(new Set(DEPARTEMENTS.map((d) => d.code)).size).toBe(101);
  });

  test('every département is in a known région, and every région has a département', () => {
    const used = new Set(DEPARTEMENTS.map((d) => d.region));
    for (const d of DEPARTEMENTS) expect(REGIONS[d.region]).toBeDefined();
    expect([...used].sort()).toEqual(Object.keys(REGIONS).sort());
  });

  test.each([
    ['75', 'Paris', 'Île-de-France'],
    ['2A', 'Corse-du-Sud', 'Corse'],
    ['2b', 'Haute-Corse', 'Corse'],
    ['67', 'Bas-Rhin', 'Grand Est'],
    ['57', 'Moselle', 'Grand Est'],
    ['29', 'Finistère', 'Bretagne'],
    ['44', 'Loire-Atlantique', 'Pays de la Loire'],
    ['90', 'Territoire de Belfort', 'Bourgogne-Franche-Comté'],
    ['13', 'Bouches-du-Rhône', "Provence-Alpes-Côte d'Azur"],
    ['974', 'La Réunion', 'La Réunion'],
    ['976', 'Mayotte', 'Mayotte'],
  ])('%s is %s in %s', (code, name, region) => {
    expect(findDepartement(code)?.name).toBe(name);
    expect(regionOf(code)?.name).toBe(region);
  });

  test('every postal code of a département resolves to a code of the table', () => {
    for (const d of DEPARTEMENTS) {
      const postal = d.code === '2A' ? '20000' : d.code === '2B' ? '20200' : d.code.length === 3 ? `${d.code}00` : `${d.code}000`;
      expect(departementFromPostalCode(postal)).toMatchObject({ ok: true, departement: d.code });
    }
  });

  test.each([
    ['01', true],
    ['2A', true],
    ['971', true],
    ['975', true],
    ['20', false], // Corsica has been 2A/2B since 1976
    ['96', false],
    ['977', false],
    ['980', false],
  ])('isTerritoryCode(%s) = %p', (code, expected) => {
    expect(isTerritoryCode(code)).toBe(expected);
  });

  test('Saint-Pierre-et-Miquelon has a name but no région', () => {
    expect(territoryName('975')).toBe('Saint-Pierre-et-Miquelon');
    expect(regionOf('975')).toBeUndefined();
  });

  test.each([
    ['2a', '2A'],
    ['1', '01'],
    [' 75 ', '75'],
    ['971', '971'],
  ])('normalizeDepartementCode(%j) = %s', (code, expected) => {
    expect(normalizeDepartementCode(code)).toBe(expected);
  });
});

describe('departementNamed: a département named in words at the postal code question', () => {
  it.each([
    ['en corse du sud', '2A'], ['Corse-du-Sud', '2A'], ['en Haute-Corse', '2B'], ['dans la gironde', '33'], ['on est en Dordogne', '24'],
    ['Martinique', '972'], ['on est basés en Guadeloupe', '971'], ['à la Réunion', '974'], ['Mayotte', '976'], ['dans les Pyrénées-Atlantiques', '64'],
    ['le siège est en Seine-Saint-Denis', '93'], ['we are in Gironde', '33'],
  ])('%s: %s', (text, departement) => {
    expect(departementNamed(text)).toEqual({ departement });
  });

  it('« en Corse » alone says no département (2A or 2B); a city, a sentence or « je sais pas » says none', () => {
    expect(departementNamed('en corse')).toEqual({ corsica: true });
    for (const text of ['Bordeaux', 'on est à Bordeaux', 'Fort-de-France', 'je sais pas', 'on est en Gironde et en Dordogne']) expect(departementNamed(text)).toBeUndefined();
  });

  // Round 14: the département's number, after words that say it is one.
  it.each([
    ['dans le 33', '33'], ['on est dans le 24', '24'], ['département 33', '33'], ['Département du 47', '47'], ['on est du 2A', '2A'], ['dans le 974', '974'], ['department 33', '33'],
  ])('« %s »: %s', (text, departement) => {
    expect(departementNamed(text)).toEqual({ departement });
  });

  it('a number without those words (« on est 3 », « 33 »), one no département has (« dans le 99 »): none; « dans le 20 »: Corsica, 2A or 2B', () => {
    for (const text of ['on est 3', 'on est 33', '33', 'dans le 99', 'le 33 rue Sainte-Catherine']) expect(departementNamed(text)).toBeUndefined();
    expect(departementNamed('dans le 20')).toEqual({ corsica: true });
  });
});

describe('departementIn: a département named in a sentence, after « en », « dans le », "in"', () => {
  it.each([
    ['on est un esat en martinique, 45 travailleurs', '972'], ['hi, we are a SCIC in Corse du Sud, 7 employees', '2A'],
    ['asso basée dans la Gironde et on a 3 salariés', '33'], ['une SCOP en Haute-Corse', '2B'], ['on est en Dordogne.', '24'],
    ['on est une asso dans le 33, 3 salariés', '33'], ['une SCOP du département 24 et 5 salariés', '24'], ['bonjour, on est du 47, une asso', '47'],
  ])('« %s »: %s', (text, departement) => {
    expect(departementIn(text)).toBe(departement);
  });

  it.each(['on est dans le nord de la gironde', 'en corse, 4 salariés', 'on travaille en lien avec la Gironde', 'en Gironde et en Dordogne', 'on est une asso de 4 salariés',
    'dans le 33000', 'on a 33 adhérents dans le 33 et dans le 24', 'une baisse du 20, et', 'dans le 20 mars, on a eu 3 départs'])('« %s »: none (or more than one)', (text) => {
    expect(departementIn(text)).toBeUndefined();
  });
});
