import { choiceIndex, choiceNumber } from '../../../src/domain/choiceNumber';

describe('a choice picked by its number or rank', () => {
  it.each([
    ['2', 2], ['le deuxième', 2], ['option 3 svp', 3], ['Option 3, s’il vous plaît', 3], ['je prends la 1re', 1], ['le 1er', 1],
    ['la troisième', 3], ['le 2e', 2], ['le 2ème', 2], ['choix numéro 4', 4], ['trois', 3], ['le dernier', 'last'], ['la dernière svp', 'last'],
    ['the second one', 2], ['second', 2], ['number two please', 2], ['the last one', 'last'], ['3rd', 3], ['une', 1], ['the first one', 1],
    ['celui-ci le 2', 2],
  ])('%s → %s', (text, expected) => {
    expect(choiceNumber(text)).toBe(expected);
  });

  it.each([
    ['<script>alert(1)</script>'], ['j’ai 3 salariés'], ['le 2 ou le 3'], ['deux salariés'], ['Découvrir le DLA'], ['le premier emploi'],
    ['on a 12 salariés'], [''], ['   '], ['2024'], ['100'],
  ])('%s → nothing', (text) => {
    expect(choiceNumber(text)).toBeUndefined();
  });

  it('is an index only within the list', () => {
    expect(choiceIndex(2, 4)).toBe(1);
    expect(choiceIndex('last', 4)).toBe(3);
    expect(choiceIndex(5, 4)).toBeUndefined();
    expect(choiceIndex(0, 4)).toBeUndefined();
    expect(choiceIndex(undefined, 4)).toBeUndefined();
    expect(choiceIndex('last', 0)).toBeUndefined();
  });
});
