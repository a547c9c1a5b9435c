import { isEmptySearch, matchesSearch, searchTerms } from '../../../src/domain/search';

/** A dossier's searchable fields, as the back-office row gives them. */
const dossier = ['Atelier Vélo-Solidaire', 'Léa Martin', 'lea.martin@atelier.example', '+33 6 12 34 56 78', '73282932000074', 'W332001234', '33800'];

describe('back-office search', () => {
  it.each([
    ['velo', true], ['VÉLO solidaire', true], ['Atelier   vélo', true], ['martin léa', true], ['lea martin bordeaux', false],
    ['lea.martin@atelier.example', true], ['atelier.example', true], ['06 12 34 56 78', true], ['0612345678', true],
    ['+33 6 12 34 56 78', true], ['0033612345678', true], ['06.12.34.56.78', true], ['06-12-34-56-78', true], ['34 56 78', true],
    ['732 829 320 00074', true], ['732829320', true], ['w332001234', true], ['33800', true], ['vélo 33800', true], ['vélo 75011', false],
    ['07 12 34 56 78', false], ['ressourcerie', false], ['l’atelier', true],
  ])('%s → %s', (query, expected) => {
    expect(matchesSearch(dossier, searchTerms(query))).toBe(expected);
  });

  it('one number across its spaces, words apart, nothing to look for in blanks', () => {
    expect(searchTerms('Jardins du Lien 06 12 34')).toEqual({ words: ['jardins', 'du', 'lien'], numbers: ['061234'] });
    expect(searchTerms('06 12 atelier 33 800')).toEqual({ words: ['atelier'], numbers: ['0612', '33800'] });
    expect(isEmptySearch(searchTerms('   '))).toBe(true);
    expect(isEmptySearch(searchTerms('« »'))).toBe(true);
  });

  it('fields missing are no match, and no field matches a number another field completes', () => {
    expect(matchesSearch([null, undefined, ''], searchTerms('atelier'))).toBe(false);
    expect(matchesSearch(['12', '34'], searchTerms('1234'))).toBe(false);
  });
});
