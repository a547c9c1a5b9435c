import { newNeedWithoutSubject, readNewNeed, tellsADifficulty, tellsANeed } from '../../../src/domain/newNeed';
import { mapNeedsToThemes } from '../../../src/domain/themes';

const themesOf = (text: string) => readNewNeed(text)?.themes.map((s) => s.theme);

describe('readNewNeed: a new need said by a structure the DLA already knows', () => {
  it('reads the need and the themes it maps to', () => {
    expect(themesOf('on a un nouveau besoin : refaire notre communication et site web')).toEqual(expect.arrayContaining(['communication', 'numerique']));
    expect(themesOf('on aurait besoin d’aide sur la trésorerie maintenant')).toEqual(['restructuration_eco_fin']);
    expect(themesOf('nouveau besoin : recruter un·e coordinateur·rice')).toContain('rh_emploi');
    expect(themesOf('we have a new need: our fundraising')).toContain('diversification_financements');
    // Said to be new, with nothing the themes read: still a need, with no theme.
    expect(themesOf('on a un nouveau besoin')).toEqual([]);
  });

  it('reads a project of its own to come as a need, not a project done with someone', () => {
    expect(themesOf('on a un nouveau projet de tiers-lieu')).toContain('projet_strategie');
    expect(themesOf('nous lançons un projet de recyclerie')).toContain('transformation_ecologique');
    for (const text of ['oui, un nouveau projet avec la mairie', 'pas de nouveau projet de ce côté-là']) expect([text, readNewNeed(text)]).toEqual([text, undefined]);
  });

  it('is not a menu choice, a command, a need said without a subject, nor no need at all', () => {
    for (const text of ['où en est ma demande ?', 'aide', 'recommencer', 'mes données', 'Vérifier si ma structure peut être accompagnée', 'Découvrir le DLA',
      'besoin d’aide', 'on a besoin d’être accompagnés', 'pas de nouveau besoin', 'aucun nouveau besoin pour la trésorerie', 'on n’a plus besoin d’aide sur la trésorerie',
      'la trésorerie', 'merci, bonne journée']) {
      expect([text, readNewNeed(text)]).toEqual([text, undefined]);
    }
  });
});

describe('newNeedWithoutSubject: a new need said, but not which (then asked)', () => {
  test.each([
    ['J’ai un nouveau besoin', true],
    ['on a un autre besoin', true],
    ['I have a new need', true],
    ['on a un nouveau besoin : refaire notre communication', false],
    ['nouveau besoin : recruter', false],
    ['refaire notre site web', false],
  ])('%s → %s', (text, expected) => {
    expect(newNeedWithoutSubject(text)).toBe(expected);
  });
});

describe('tellsANeed, tellsADifficulty: a situation told in everyday words, not the staff counted', () => {
  test.each([
    ['on galère avec la trésorerie', true, true],
    ['on n’arrive plus à payer les salaires', true, true],
    ['on a perdu une grosse subvention', true, true],
    ['on galere avec la treso', true, true],
    ['on a du mal à trouver des financements', true, true],
    ['nous peinons à recruter des animateurs', true, true],
    ['on a du mal à se garer devant la salle', false, false], // no theme
    ['we are struggling with our cash flow', true, true],
    ['notre EHPAD traverse une crise de gouvernance', true, true],
    ['des tensions entre les salariés et le conseil d’administration', true, true],
    ['on gère une crise sanitaire dans nos foyers', false, false], // the activity, no theme
    ['3 salariés et 10 bénévoles', false, false],
    ['deux salariés et dix bénévoles', false, false],
    ['2 employees and 10 volunteers', false, false],
    ['on a des soucis avec le temps qu’il fait', false, false],
  ])('%s → need %s, difficulty %s', (text, need, difficulty) => {
    expect([tellsANeed(text), tellsADifficulty(text)]).toEqual([need, difficulty]);
  });

  test('« payer les salaires » is the economic model as well as the jobs; « la tréso » is the treasury', () => {
    expect(mapNeedsToThemes('on n’arrive plus à payer les salaires').map((s) => s.theme)).toEqual(['restructuration_eco_fin', 'rh_emploi']);
    expect(mapNeedsToThemes('la tréso est dans le rouge').map((s) => s.theme)).toEqual(['restructuration_eco_fin']);
  });
});
