import { valueAfterField } from '../../../src/domain/form';

describe('the new value said with the name of the answer it corrects', () => {
  const NAME = ['nom', 'le nom', 'nom de la structure'];
  const STAFF = ['salaries', 'les salaries', 'effectif'];
  it.each<[string, readonly string[], string | undefined]>([
    ['le nom c’est plutôt Jardins Partagés de Bordeaux', NAME, 'Jardins Partagés de Bordeaux'],
    ['non, le nom : Les Amis du Jardin.', NAME, 'Les Amis du Jardin'],
    ['le nom c’est juste Union sportive de Périgueux', NAME, 'Union sportive de Périgueux'],
    ['en fait les salariés c’est 3', STAFF, '3'],
    ['l’effectif = 4,5 ETP', STAFF, '4,5 ETP'],
    // Only the name of the answer, or a judgement of it: no new value.
    ['le nom', NAME, undefined],
    ['le nom est faux', NAME, undefined],
    ['le nom n’est pas le bon', NAME, undefined],
    ['corriger le nom', NAME, undefined],
    ['Jardins Partagés', NAME, undefined],
  ])('« %s »', (text, words, expected) => {
    expect(valueAfterField(text, words)).toBe(expected);
  });
});
