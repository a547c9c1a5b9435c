import { FundingShare, parseAmountEuros, parseFundingSources, parsePercent } from '../../../src/domain/amounts';

describe('parseAmountEuros', () => {
  test.each<[string, number, boolean]>([
    // [text, euros, approximate]
    // Digits, thousands separators (space, U+00A0, U+202F, dot), French decimal comma
    ['250 000 €', 250000, false],
    ['250000 euros', 250000, false],
    ['250000€', 250000, false],
    ['250\u00a0000 €', 250000, false],
    ['250\u202f000\u00a0€', 250000, false],
    ['250  000 €', 250000, false],
    ['200–250 k€', 225000, true],
    ['1 200 000 €', 1200000, false],
    ['1.200.000 €', 1200000, false],
    ['1.200 €', 1200, false],
    ['12 000,50 €', 12000.5, false],
    ['€ 12 000', 12000, false],
    // Multipliers
    ['250 k€', 250000, false],
    ['250K', 250000, false],
    ['CA de 300K€', 300000, false],
    ['un budget de 80k', 80000, false],
    ['1,2 M€', 1200000, false],
    ['1,5 M', 1500000, false],
    ['1.2 million', 1200000, false],
    ["2,5 millions d'euros", 2500000, false],
    ['1 million 200 000 €', 1200000, false],
    // French words
    ['deux cent mille euros', 200000, false],
    ['un million deux cent mille', 1200000, false],
    ['trois cent cinquante mille', 350000, false],
    ['quatre-vingt mille euros', 80000, false],
    ['cent vingt mille euros', 120000, false],
    ['un budget de cinquante mille euros', 50000, false],
    ['deux millions et demi', 2500000, false],
    ['septante mille euros', 70000, false],
    ['nonante-cinq mille euros', 95000, false],
    // English words
    ['two hundred thousand euros', 200000, false],
    ['two hundred and fifty thousand euros', 250000, false],
    ['a hundred thousand euros', 100000, false],
    ['a million euros', 1000000, false],
    ['one million two hundred thousand', 1200000, false],
    ['about eighty thousand euros', 80000, true],
    ['nearly 2 million', 2000000, true],
    ['two and a half million euros', 2500000, false],
    ['2 and a half million', 2500000, false],
    ['two million and a half', 2500000, false],
    ['at least 50 000 €', 50000, true],
    // Approximations and ranges
    ['environ 80 000 €', 80000, true],
    ['80 000 € par an', 80000, false],
    ['80 000 euros par an environ', 80000, true],
    ["un budget annuel d'environ 1,2 million d'euros", 1200000, true],
    ['à peu près 90 000 €', 90000, true],
    ['près de 2 millions', 2000000, true],
    ['plus de 100 000 €', 100000, true],
    ['~300k', 300000, true],
    ['entre 200 et 250 k€', 225000, true],
    ['200-250 k€', 225000, true],
    ['150 000 à 200 000 €', 175000, true],
    // Other numbers around the amount
    ['Budget 2024 : 310 000 €', 310000, false],
    ['2 salariés et 80 000 €', 80000, false],
    ['300 000 € de budget et 40 % de subventions', 300000, false],
    // A lone bare number answers "quel est votre budget ?"
    ['80000', 80000, false],
    ['budget: 45000', 45000, false],
    // A large bare number, then the sentence goes on.
    ['en fait c’est plutôt 335 000 avec la dernière subvention', 335000, false],
  ])('%s → %d', (text, euros, approximate) => {
    expect(parseAmountEuros(text)).toEqual({ euros, approximate });
  });

  test.each(['', 'pas de budget', 'Nous avons 3 salariés', '40 %', 'en 2023', 'un', 'on ne sait pas', 'one', 'a', 'we have one employee', "I don't know", '1200 adhérents et 12 salariés'])('"%s" has no amount', (text) => {
    expect(parseAmountEuros(text)).toBeUndefined();
  });
});

describe('parsePercent', () => {
  test.each<[string, number]>([
    ['40 %', 40],
    ['40%', 40],
    ['12,5 %', 12.5],
    ['12.5%', 12.5],
    ['40 pour cent', 40],
    ['quarante pour cent', 40],
    ['vingt-cinq pour cent', 25],
    ['soixante-dix pour cent', 70],
    ['cent pour cent', 100],
    ['environ 35 %', 35],
    ['la moitié', 50],
    ['plus de la moitié', 50],
    ['un tiers', 33.3],
    ['deux tiers', 66.7],
    ['2/3', 66.7],
    ['un quart', 25],
    ['les trois quarts', 75],
    ['un cinquième', 20],
    ['la totalité', 100],
    ['half', 50],
    // English words
    ['two thirds', 66.7],
    ['three quarters', 75],
    ['one third', 33.3],
    ['a third', 33.3],
    ['a quarter', 25],
    ['fifty percent', 50],
    ['twenty-five per cent', 25],
    ['a hundred percent', 100],
  ])('%s → %d', (text, value) => {
    expect(parsePercent(text)).toBe(value);
  });

  test.each(['0,4', '40', 'quarante', '40 000 €', '', 'fifty', 'a hundred thousand euros'])('"%s" is not an explicit percentage', (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });
});

describe('parseFundingSources', () => {
  const shares = (text: string) => parseFundingSources(text).sources.map((s) => [s.source, s.share]);

  test.each<[string, [FundingShare['source'], number | undefined][], number | undefined, boolean]>([
    // [text, [source, share][], totalShare, consistent]
    ['subventions 60 %, ventes 30 %, dons 10 %', [['public_grants', 60], ['sales', 30], ['donations', 10]], 100, true],
    ['60% de subventions publiques, 30% de prestations et 10% de cotisations', [['public_grants', 60], ['sales', 30], ['membership_fees', 10]], 100, true],
    ['surtout des subventions de la région (la moitié), le reste en ventes', [['public_grants', 50], ['sales', 50]], 100, true],
    ['la moitié en subventions, un quart de ventes et le reste en dons', [['public_grants', 50], ['sales', 25], ['donations', 25]], 100, true],
    ['quarante pour cent de subventions, soixante pour cent de ventes', [['public_grants', 40], ['sales', 60]], 100, true],
    ['deux tiers de subventions et un tiers de dons', [['public_grants', 66.7], ['donations', 33.3]], 100, true],
    ['1/3 subventions, 1/3 ventes, 1/3 mécénat', [['public_grants', 33.3], ['sales', 33.3], ['private_funding', 33.3]], 99.9, true],
    ['33 % subventions, 33 % ventes, 33 % dons', [['public_grants', 33], ['sales', 33], ['donations', 33]], 99, true],
    ['12,5 % de dons, 87,5 % de subventions', [['donations', 12.5], ['public_grants', 87.5]], 100, true],
    ['subventions 60%/ventes 40%', [['public_grants', 60], ['sales', 40]], 100, true],
    ['60 % subventions, 40 % autofinancement', [['public_grants', 60], ['sales', 40]], 100, true],
    ['Subventions (État, Région, Département) : 70 %. Prestations : 25 %. Adhésions : 5 %.', [['public_grants', 70], ['sales', 25], ['membership_fees', 5]], 100, true],
    ["subventions de l'État et de la région 60 %, mécénat 40 %", [['public_grants', 60], ['private_funding', 40]], 100, true], // one source named twice: merged
    ['subventions 60 % dont 40 % de la région, ventes 40 %', [['public_grants', 60], ['sales', 40]], 100, true], // "dont" is a detail
    ["subventions 70 % dont 50 % de l'État et 20 % de la région, ventes 30 %", [['public_grants', 70], ['sales', 30]], 100, true],
    ['ventes 62,5 % dont 12,5 % de dons en ligne, subventions 37,5 %', [['sales', 62.5], ['public_grants', 37.5]], 100, true],
    ['subventions 50 %, le reste', [['public_grants', 50], ['other', 50]], 100, true],
    ["ventes 85% a peu pres, le reste c'est des subventions de la region et de la metropole", [['sales', 85], ['public_grants', 15]], 100, true],
    ['subventions 50 % de la région et du département, ventes 50 %', [['public_grants', 50], ['sales', 50]], 100, true],
    ['subventions 60 % et des ventes', [['public_grants', 60], ['sales', undefined]], 60, true], // another source: not a detail
    ['100 % subventions', [['public_grants', 100]], 100, true],
    // No comma between the sources: each takes the share on the side the first one does
    ['subventions 60 % ventes 40 %', [['public_grants', 60], ['sales', 40]], 100, true],
    // The whole said with its breakdown (at the budget question): not one of its sources
    ['900k, 60% ventes 40% subventions', [['sales', 60], ['public_grants', 40]], 100, true],
    ['budget 900k dont 60% de ventes et 40% de subventions', [['sales', 60], ['public_grants', 40]], 100, true],
    ['ventes 60%, subventions 40%, sur un budget de 900k', [['sales', 60], ['public_grants', 40]], 100, true],
    ['quatre cent mille euros, moitié ventes moitié subventions', [['sales', 50], ['public_grants', 50]], 100, true],
    ['around two hundred and fifty thousand euros, 70 percent grants and 30 percent donations', [['public_grants', 70], ['donations', 30]], 100, true],
    ['60 % subventions 40 % ventes', [['public_grants', 60], ['sales', 40]], 100, true],
    ['moitié subventions moitié ventes', [['public_grants', 50], ['sales', 50]], 100, true],
    ['3/4 subventions 1/4 prestations', [['public_grants', 75], ['sales', 25]], 100, true],
    ['un tiers subventions deux tiers ventes', [['public_grants', 33.3], ['sales', 66.7]], 100, true],
    ['60 % subventions de la région 40 % ventes', [['public_grants', 60], ['sales', 40]], 100, true],
    ['subventions 60 % le reste en ventes', [['public_grants', 60], ['sales', 40]], 100, true],
    ['subventions 120 k€ ventes 80 k€', [['public_grants', 60], ['sales', 40]], 100, true],
    // Bare amounts with no comma: each large number is what the source before it brings in
    ['subventions 100000 ventes 80000', [['public_grants', 56], ['sales', 44]], 100, true],
    ['subventions 100 000 ventes 80 000', [['public_grants', 56], ['sales', 44]], 100, true],
    ['subventions 100000 ventes 80000 dons 20000', [['public_grants', 50], ['sales', 40], ['donations', 10]], 100, true],
    ['mairie 50000 region 30000 ventes 20000', [['public_grants', 50], ['public_grants', 30], ['sales', 20]], 100, true],
    ['grants 100000 sales 80000', [['public_grants', 56], ['sales', 44]], 100, true],
    ['Subventions 60% Ventes 40%', [['public_grants', 60], ['sales', 40]], 100, true],
    ['subventions à 60% ventes à 40%', [['public_grants', 60], ['sales', 40]], 100, true],
    ['subvention 60% vente 30% dons 10%', [['public_grants', 60], ['sales', 30], ['donations', 10]], 100, true],
    // A percentage ends a source: « cotisations + dons » after it is the next one (QA)
    ['prestations 40% subventions publiques 45% cotisations + dons 15%', [['sales', 40], ['public_grants', 45], ['membership_fees', 15]], 100, true],
    ['60 % subventions 25 % ventes et dons 15 %', [['public_grants', 60], ['sales', 25], ['donations', 15]], 100, true],
    // QA: two sources joined by « et » with one figure after them are one source with that share
    ['subventions publiques 70 %, ventes 20 %, adhesions et dons 10 %', [['public_grants', 70], ['sales', 20], ['membership_fees', 10]], 100, true],
    ['subventions 60 %, ventes + prestations 40 %', [['public_grants', 60], ['sales', 40]], 100, true],
    ['grants 60%, fees and donations 40%', [['public_grants', 60], ['sales', 40]], 100, true],
    // English funders as people name them; « Erasmus+ » is a name, not « Erasmus » + « grants » (persona: an English-speaking association)
    ['about 40% from the city, 35% EU Erasmus+ grants, the rest is membership fees and a bit of fundraising', [['public_grants', 40], ['public_grants', 35], ['membership_fees', 25]], 100, true],
    ['city of Lyon 40%, state 20%, fundraising 40%', [['public_grants', 40], ['public_grants', 20], ['donations', 40]], 100, true],
    // « le reste en … » shared by the sources named after it: no share asked for the second one
    ['environ 40 % de la ville, 35 % de subventions européennes Erasmus+, le reste en cotisations et un peu de dons', [['public_grants', 40], ['public_grants', 35], ['membership_fees', 25]], 100, true],
    // …not when each has its figure, or none has one
    ['subventions 60 % et ventes 40 %', [['public_grants', 60], ['sales', 40]], 100, true],
    ['subventions 60 % et dons 40 %', [['public_grants', 60], ['donations', 40]], 100, true],
    ['des subventions et des dons', [['public_grants', undefined], ['donations', undefined]], undefined, true],
    // Shares computed from euros
    ['subventions 120 k€, ventes 80 k€', [['public_grants', 60], ['sales', 40]], 100, true],
    // Partial information: fine as long as it does not exceed 100
    ['subventions 40 %, 30 % de dons, ventes', [['public_grants', 40], ['donations', 30], ['sales', undefined]], 70, true],
    ['des subventions, des ventes et un peu de mécénat', [['public_grants', undefined], ['sales', undefined], ['private_funding', undefined]], undefined, true],
    ['essentiellement de la vente', [['sales', undefined]], undefined, true],
    // Inconsistent
    ['subventions 70 %, ventes 50 %', [['public_grants', 70], ['sales', 50]], 120, false],
    ['subventions 60 %, ventes 30 %', [['public_grants', 60], ['sales', 30]], 90, false],
    ['subventions 80 %, dons 30 %, et aussi des ventes', [['public_grants', 80], ['donations', 30], ['sales', undefined]], 110, false],
  ])('%s', (text, expected, totalShare, consistent) => {
    const result = parseFundingSources(text);
    expect(shares(text)).toEqual(expected);
    expect(result.totalShare).toEqual(totalShare);
    expect(result.consistent).toBe(consistent);
  });

  test('English labels keep the structure’s words: « city of Lyon », « Erasmus+ grants »', () => {
    expect(parseFundingSources('city of Lyon 40%, 35% EU Erasmus+ grants, the rest is membership fees and a bit of fundraising').sources.map((x) => x.label))
      .toEqual(['city of Lyon', 'Erasmus+ grants', 'membership fees and a bit of fundraising']);
  });

  test('labels keep the structure’s words, and euros are kept', () => {
    expect(parseFundingSources('Subventions 120 000 €, Prestations 80 000 €').sources).toEqual([
      { source: 'public_grants', label: 'Subventions', share: 60, euros: 120000 },
      { source: 'sales', label: 'Prestations', share: 40, euros: 80000 },
    ]);
  });

  test.each([
    ['subv publiques 70%, ventes 30%', ['subventions publiques', 'ventes']],
    ['Subv. 70 %, ventes 30 %', ['Subventions', 'ventes']],
    ['subs 70 %, dons 30 %', ['subventions', 'dons']],
  ])('« subv », « subv. », « subs » are « subventions »: « %s »', (text, labels) => {
    const { sources } = parseFundingSources(text);
    expect(sources.map((s) => s.label)).toEqual(labels);
    expect(sources.map((s) => s.share)).toEqual([70, 30]);
    expect(sources[0].source).toBe('public_grants');
  });

  test.each([
    ["ventes 85% a peu pres, le reste c'est des subventions de la region et de la metropole", ['ventes', 'subventions']],
    ["ventes 85 %, le reste c'est des subventions de la région, de la métropole et de l'Europe", ['ventes', 'subventions']],
    ["subventions de l'État et de la région 60 %, mécénat 40 %", ['subventions, région', 'mécénat']], // a share of its own: a source of its own
    ['subv publiques 70 %, vente 20 %, adhésions et dons 10 %', ['subventions publiques', 'vente', 'adhésions et dons']], // QA: one source, with all its words
    ['subventions 60 % et des dons de particuliers', ['subventions', 'dons']],
    // The words that say what the source is (« de légumes ») stay in its label…
    ['ventes de légumes 25 %, subventions 75 %', ['ventes de légumes', 'subventions']],
    ['25 % de ventes de légumes, 75 % de subventions', ['ventes de légumes', 'subventions']],
    ["vente d’œufs 30 %, subventions 70 %", ['vente d’œufs', 'subventions']],
    ['sales of vegetables 25%, grants 75%', ['sales of vegetables', 'grants']],
    // …not a figure, nor what only comes round it.
    ['ventes de 40 %, subventions 60 %', ['ventes', 'subventions']],
    ['subventions depuis 2019 60 %, ventes 40 %', ['subventions', 'ventes']],
  ])('« de la région et de la métropole » after a source details it: « %s »', (text, labels) => {
    expect(parseFundingSources(text).sources.map((s) => s.label)).toEqual(labels);
  });

  test.each<[string, [string, number, number][]]>([
    // [text, [label, share, euros][]]: each funder with its amount, shares of their total that add up to 100
    ['metropole 120 000, region 30000, epicerie 20k et mecenat 10 000 euros',
      [['metropole', 67, 120000], ['region', 17, 30000], ['epicerie', 11, 20000], ['mecenat', 5, 10000]]],
    ['metropole 120000 euros, region 30000 euros, epicerie 20000 euros, mecenat 10000 euros',
      [['metropole', 67, 120000], ['region', 17, 30000], ['epicerie', 11, 20000], ['mecenat', 5, 10000]]],
    ['subventions 100000, ventes 80000', [['subventions', 56, 100000], ['ventes', 44, 80000]]], // no unit: a large number is an amount
    ['État 50 000 €, région 25 000 €, ventes 25 000 €', [['État', 50, 50000], ['région', 25, 25000], ['ventes', 25, 25000]]],
  ])('amounts by funder: « %s »', (text, expected) => {
    const result = parseFundingSources(text);
    expect(result.sources.map((s) => [s.label, s.share, s.euros])).toEqual(expected);
    expect(result.totalShare).toBe(100);
    expect(result.consistent).toBe(true);
  });

  test('a small bare number next to a source is no amount (nor a year)', () => {
    expect(shares('subventions 60, ventes 40')).toEqual([['public_grants', undefined], ['sales', undefined]]);
    expect(shares('subventions depuis 2019 60 %, ventes 40 %')).toEqual([['public_grants', 60], ['sales', 40]]);
  });

  test('nothing recognised gives no source, and is not flagged', () => {
    expect(parseFundingSources('je ne sais pas')).toEqual({ sources: [], consistent: true });
  });

  test.each(['deux cent mille euros', '200 000 €', '60 %', 'menu'])('"%s" names no source: no breakdown (not « other 100 % »)', (text) => {
    expect(parseFundingSources(text)).toEqual({ sources: [], consistent: true });
  });

  test('shares that cannot be paired stay unpaired (the dialog asks again)', () => {
    expect(shares('subventions 60 % 40 % ventes')).toEqual([['public_grants', 60], ['sales', undefined]]);
  });
});
