import { AREAS, AREA_THEME, Area, ProposedAxis, ReorderResult, applyReorder, keepOrder, proposeAxes } from '../../../src/domain/ranking';
import { THEMES, Theme, mapNeedsToThemes } from '../../../src/domain/themes';

const axesOf = (list: ProposedAxis[]) => list.map((a) => a.axis);

describe('proposeAxes', () => {
  test('every area leads to its own theme', () => {
    expect(AREA_THEME).toEqual({
      organisation: 'organisation_interne',
      people: 'rh_emploi',
      strategy: 'projet_strategie',
      economics: 'diversification_financements',
      finance: 'restructuration_eco_fin',
    });
    expect(new Set(AREAS.map((a) => AREA_THEME[a])).size).toBe(AREAS.length);
  });

  test('urgency alone: most urgent first, ties in THEMES order, urgency 1 last', () => {
    const result = proposeAxes({ organisation: 2, people: 4, strategy: 3, economics: 1, finance: 3 }, []);
    expect(axesOf(result)).toEqual(['rh_emploi', 'projet_strategie', 'restructuration_eco_fin', 'organisation_interne']);
    expect(result.map((a) => a.score)).toEqual([6, 4, 4, 2]);
    expect(result[0].why).toEqual({ urgency: { area: 'people', value: 4 }, fromNeeds: false });
  });

  test('needs add to urgency; a need with no area still becomes an axis', () => {
    const needs = mapNeedsToThemes("Le CA s'essouffle et on voudrait diversifier nos financements");
    const result = proposeAxes({ organisation: 2, people: 4, strategy: 3, economics: 1, finance: 3 }, needs);
    expect(result.map((a) => [a.axis, a.score])).toEqual([
      ['rh_emploi', 6],
      ['projet_strategie', 4],
      ['restructuration_eco_fin', 4],
      ['diversification_financements', 4], // urgency 1 (0) + needs (3) + strongest need (1)
      ['gouvernance', 3],
      ['organisation_interne', 2],
    ]);
    expect(result[3].why).toEqual({ urgency: { area: 'economics', value: 1 }, fromNeeds: true });
    expect(result[4].why).toEqual({ fromNeeds: true });
  });

  test('the structure’s needs can outrank a more urgent area', () => {
    // urgency 2 + needs (2 + 3 + 1 = 6) beats urgency 3 alone (4)
    const result = proposeAxes({ people: 2, strategy: 3 }, [{ theme: 'rh_emploi', score: 2 }]);
    expect(axesOf(result)).toEqual(['rh_emploi', 'projet_strategie']);
    expect(result[0].score).toBe(6);
  });

  test('ties are broken by the fixed theme order, whatever the input order', () => {
    const a = proposeAxes({ finance: 3, strategy: 3, organisation: 3 }, []);
    const b = proposeAxes({ organisation: 3, strategy: 3, finance: 3 }, []);
    expect(axesOf(a)).toEqual(['projet_strategie', 'organisation_interne', 'restructuration_eco_fin']);
    expect(axesOf(b)).toEqual(axesOf(a));
  });

  test('at least three axes when there is enough information: urgency-1 areas complete', () => {
    const result = proposeAxes({ organisation: 1, people: 1, strategy: 1, economics: 1, finance: 4 }, []);
    expect(axesOf(result)).toEqual(['restructuration_eco_fin', 'projet_strategie', 'organisation_interne']);
    expect(result.map((a) => a.score)).toEqual([6, 0, 0]);
  });

  test('an area whose urgency is not known (« je ne sais pas ») is always proposed, after the axes that weigh and before urgency-1 fillers', () => {
    const result = proposeAxes({ organisation: 1, people: 4, economics: 1, finance: 1 }, [], ['strategy']);
    expect(axesOf(result)).toEqual(['rh_emploi', 'projet_strategie', 'organisation_interne']);
    expect(result[1]).toEqual({ axis: 'projet_strategie', score: 0, why: { fromNeeds: false, unrated: 'strategy' } });
    // Kept even when three axes already weigh; with the needs, it weighs as a need.
    expect(axesOf(proposeAxes({ organisation: 3, people: 4, economics: 2 }, [], ['strategy', 'finance']))).toEqual(['rh_emploi', 'organisation_interne', 'diversification_financements', 'projet_strategie', 'restructuration_eco_fin']);
    expect(proposeAxes({}, [{ theme: 'projet_strategie', score: 1 }], ['strategy'])[0]).toEqual({ axis: 'projet_strategie', score: 4, why: { fromNeeds: true, unrated: 'strategy' } });
    // Nothing rated at all: every area is still there to rank.
    expect(proposeAxes({}, [], [...AREAS])).toHaveLength(5);
  });

  test('never duplicates: a theme from both an area and the needs, or twice in the needs, is one axis', () => {
    const result = proposeAxes({ people: 3 }, [
      { theme: 'rh_emploi', score: 2 },
      { theme: 'rh_emploi', score: 1 },
      { theme: 'gouvernance', score: 1 },
    ]);
    expect(axesOf(result)).toEqual(['rh_emploi', 'gouvernance']);
    expect(result[0].score).toBe(4 + 3 + 1);
  });

  test('autre, zero scores, unknown themes and urgencies outside 1–4 are ignored', () => {
    const result = proposeAxes(
      { people: 5, strategy: 0, finance: 2.5, organisation: Number.NaN, economics: 2 } as Partial<Record<Area, number>>,
      [
        { theme: 'autre', score: 0 },
        { theme: 'communication', score: 0 },
        { theme: 'nope' as Theme, score: 3 },
      ],
    );
    expect(axesOf(result)).toEqual(['diversification_financements']);
  });

  test('nothing known: nothing proposed', () => {
    expect(proposeAxes({}, [{ theme: 'autre', score: 0, matched: [] } as { theme: Theme; score: number }])).toEqual([]);
  });

  test('every axis is a theme', () => {
    const result = proposeAxes({ organisation: 4, people: 3, strategy: 2, economics: 2, finance: 1 }, mapNeedsToThemes('bilan carbone, site web, partenariats'));
    expect(result.length).toBeGreaterThan(0);
    for (const a of result) expect(THEMES).toContain(a.axis);
    expect(new Set(axesOf(result)).size).toBe(result.length);
  });
});

describe('applyReorder', () => {
  // 1 rh_emploi · 2 projet_strategie · 3 restructuration_eco_fin · 4 diversification_financements · 5 gouvernance
  const proposed = proposeAxes({ people: 4, strategy: 3, finance: 3 }, [
    { theme: 'diversification_financements', score: 2 },
    { theme: 'gouvernance', score: 1 },
  ]);
  const R = 'rh_emploi';
  const S = 'projet_strategie';
  const F = 'restructuration_eco_fin';
  const D = 'diversification_financements';
  const G = 'gouvernance';
  const order = (r: ReorderResult) => ('error' in r ? r : axesOf(r.axes));

  test('the fixture', () => {
    expect(axesOf(proposed)).toEqual([R, S, F, D, G]);
  });

  test.each<[string, Theme[]]>([
    // Numbers
    ['2, 1, 3', [S, R, F, D, G]],
    ['2 1 3 5 4', [S, R, F, G, D]],
    ['213', [S, R, F, D, G]],
    ['3-1-2', [F, R, S, D, G]],
    ['deux, un, trois', [S, R, F, D, G]],
    ['n°3 puis n°1', [F, R, S, D, G]],
    ["L'ordre : 5, 4", [G, D, R, S, F]],
    // Names
    ["d'abord la gouvernance puis les financements", [G, D, R, S, F]],
    ['D’ABORD LA GOUVERNANCE, PUIS LES FINANCEMENTS', [G, D, R, S, F]],
    ['en premier la trésorerie, ensuite la stratégie', [F, S, R, D, G]],
    ['la gouvernance en premier puis la RH', [G, R, S, F, D]],
    // A position
    ['mettez RH en premier', [R, S, F, D, G]],
    ['mettez la gouvernance en premier', [G, R, S, F, D]],
    ['les finances d’abord', [F, R, S, D, G]],
    ['le CA en premier', [G, R, S, F, D]],
    ['la stratégie en dernier', [R, F, D, G, S]],
    ['le 4 en 2e position', [R, D, S, F, G]],
    ['RH en dernier et la gouvernance en premier', [G, S, F, D, R]],
    ["ok mais commencez par l'économie", [D, R, S, F, G]],
    // One axis named in several words that each name it
    ['put diversifying funding first', [D, R, S, F, G]],
    ['mettre la diversification des financements en premier', [D, R, S, F, G]],
    ['mettre les finances en premier', [F, R, S, D, G]],
    // English positions (persona: an English-speaking association at its ranking)
    ['put finances second, otherwise fine', [R, F, S, D, G]],
    ['governance first', [G, R, S, F, D]],
    ['move HR to the bottom', [S, F, D, G, R]],
    ['governance in second place', [R, G, S, F, D]],
    ['put strategy to the top', [S, R, F, D, G]],
    ['la gouvernance deuxième', [R, G, S, F, D]],
    // Swaps and relative moves
    ['inverser 1 et 2', [S, R, F, D, G]],
    ['échanger la stratégie et la gouvernance', [R, G, F, D, S]],
    ['inverser les deux derniers', [R, S, F, G, D]],
    ['swap 1 and 3', [F, S, R, D, G]],
    ['la RH après la gouvernance', [S, F, D, G, R]],
    ['les financements avant la stratégie', [R, D, S, F, G]],
    ["dans l'ordre inverse", [G, D, F, S, R]],
  ])('%s', (text, expected) => {
    const result = applyReorder(proposed, text);
    expect(order(result)).toEqual(expected);
    expect('keep' in result && result.keep).toBe(false);
    expect('order' in result && result.order).toEqual(expected);
  });

  test('reordered axes keep their reasons', () => {
    const result = applyReorder(proposed, 'inverser 1 et 5');
    expect('axes' in result && result.axes[0]).toBe(proposed[4]);
    expect('axes' in result && result.axes[4]).toBe(proposed[0]);
  });

  test('« je mettrais les RH en premier puis les financements » is a list', () => {
    const result = applyReorder(['diversification_financements', 'rh_emploi', 'communication'], 'je mettrais les RH en premier puis les financements');
    expect('order' in result && result.order).toEqual(['rh_emploi', 'diversification_financements', 'communication']);
  });

  test.each(['ok', 'OK !', "c'est bon", "d'accord", 'ça me va', 'ca nous va', 'Parfait, merci', 'oui, on garde cet ordre', 'très bien', 'looks good', 'je confirme', 'I confirm'])(
    '"%s" keeps the order',
    (text) => {
      expect(applyReorder(proposed, text)).toEqual({ axes: proposed, order: axesOf(proposed), keep: true });
    },
  );

  test.each<[string, ReorderResult]>([
    ['', { error: 'not_understood' }],
    ['blabla', { error: 'not_understood' }],
    ['pas d’accord', { error: 'wants_change' }],
    ['non', { error: 'wants_change' }],
    ['Non, ça ne nous convient pas', { error: 'wants_change' }],
    ['je ne comprends pas le 2', { error: 'not_understood' }],
    ['ne mettez pas la gouvernance en premier', { error: 'not_understood' }],
    ["n'inversez pas 1 et 2", { error: 'not_understood' }],
    ["qu'est-ce que le 2 ?", { error: 'not_understood' }],
    ['inverser', { error: 'not_understood' }],
    ['inverser 2 et 2', { error: 'not_understood' }],
    ['mettez le 9 en premier', { error: 'out_of_range' }],
    ['6, 1', { error: 'out_of_range' }],
    ['2, 2, 1', { error: 'duplicate' }],
    ['la communication en premier', { error: 'unknown_axis', theme: 'communication' }],
  ])('"%s" is an error', (text, expected) => {
    expect(applyReorder(proposed, text)).toEqual(expected);
  });

  test('bare themes can be reordered too', () => {
    expect(applyReorder([R, S, F], '3, 1')).toEqual({ axes: [F, R, S], order: [F, R, S], keep: false });
    expect(applyReorder([R, S, F], 'la gouvernance en premier')).toEqual({ error: 'unknown_axis', theme: G });
  });

  test('with two axes, "inverser" alone swaps them', () => {
    const two = proposed.slice(0, 2);
    expect(order(applyReorder(two, 'inverser'))).toEqual([S, R]);
  });

  test.each(['le 3 en premier', '3 first'])('the prompt’s example « %s » works with any proposal', (text) => {
    expect(order(applyReorder(proposed, text))).toEqual([F, R, S, D, G]);
    expect(applyReorder([G, D, R], text)).toMatchObject({ order: [R, G, D] });
  });

    test('ambiguous names go to the axis that was proposed', () => {
    // "les finances" is restructuration when proposed, diversification otherwise
    const withoutF = proposed.filter((a) => a.axis !== F);
    expect(order(applyReorder(withoutF, 'les finances en premier'))).toEqual([D, R, S, G]);
    expect(order(applyReorder(proposed, 'les finances en premier'))).toEqual([F, R, S, D, G]);
  });
});

describe('keepOrder', () => {
  const R = 'rh_emploi';
  const S = 'projet_strategie';
  const F = 'restructuration_eco_fin';
  const N = 'numerique';
  const G = 'gouvernance';

  test('the same axes: the structure’s order as it was', () => {
    expect(keepOrder([N, S, R], [S, R, N])).toEqual({ order: [N, S, R], added: [], removed: [] });
  });

  test('an axis added takes its proposed place; the others keep their relative order', () => {
    expect(keepOrder([N, S, R], [S, F, R, N])).toEqual({ order: [N, F, S, R], added: [F], removed: [] });
  });

  test('an axis removed leaves the others in the structure’s order', () => {
    expect(keepOrder([N, G, S, R], [S, R, N])).toEqual({ order: [N, S, R], added: [], removed: [G] });
  });
});
