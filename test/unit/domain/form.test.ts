import { valueAfterField, valuesAfterFields } from '../../../src/domain/form';
import { DIAGNOSTIC_FIELD_WORDS } from '../../../src/domain/fieldWords';

describe('the new value said with the name of the answer it corrects', () => {
  const NAME = ['nom', 'le nom', 'nom de la structure'];
  const STAFF = ['salaries', 'les salaries', 'effectif'];
  const NAME_EN = ['name', 'organisation name'];
  const STAFF_EN = ['employees', 'staff'];
  it.each<[string, readonly string[], string | undefined]>([
    ['le nom c’est plutôt Jardins Partagés de Bordeaux', NAME, 'Jardins Partagés de Bordeaux'],
    ['non, le nom : Les Amis du Jardin.', NAME, 'Les Amis du Jardin'],
    ['le nom c’est juste Union sportive de Périgueux', NAME, 'Union sportive de Périgueux'],
    ['en fait les salariés c’est 3', STAFF, '3'],
    ['et les salariés c 4 en fait', STAFF, '4'], // « c » for « c'est », as typed on a phone
    ['l’effectif = 4,5 ETP', STAFF, '4,5 ETP'],
    // The count before the field's name: the value is read with its noun, by the field's parser.
    ['en fait nous avons 3 salariés', STAFF, '3 salariés'],
    ['non, on a trois salariés maintenant', STAFF, 'trois salariés maintenant'],
    // English, the same ways
    ['the name is Green Hands Garden', NAME_EN, 'Green Hands Garden'],
    ['no, our name is actually Green Hands Garden.', NAME_EN, 'Green Hands Garden'],
    ['the name’s Green Hands', NAME_EN, 'Green Hands'],
    ['actually we have 3 employees', STAFF_EN, '3 employees'],
    ['the employees are 2.5 in fact', STAFF_EN, '2.5'],
    ['we now have three employees', STAFF_EN, 'three employees'],
    ['the name is wrong', NAME_EN, undefined],
    ['the name is not right', NAME_EN, undefined],
    ['the name', NAME_EN, undefined],
    ['actually we have a new name', NAME_EN, undefined], // no count: no value read from it
    ['we have employees', STAFF_EN, undefined],
    // The value stops before a clause about another answer (« et on a 2,6 etp »), not at any « et »
    ['le nom c’est Compagnie du Fil Rouge et on a 2,6 etp en fait', NAME, 'Compagnie du Fil Rouge'],
    ['le nom c’est Compagnie du Fil Rouge et nous avons 3 salariés', NAME, 'Compagnie du Fil Rouge'],
    ['le nom c’est Compagnie du Fil Rouge et il y a 12 bénévoles', NAME, 'Compagnie du Fil Rouge'],
    ['le nom c’est Compagnie du Fil Rouge, et le code postal c’est 69003', NAME, 'Compagnie du Fil Rouge'],
    ['the name is Green Hands and we have 3 employees', NAME_EN, 'Green Hands'],
    // Any answer the dialogs know by name ends it (one list: fieldWords.ts)
    ['le nom c’est Compagnie du Fil Rouge, et la ville c’est Lyon', NAME, 'Compagnie du Fil Rouge'],
    ['le nom c’est Compagnie du Fil Rouge et le cp 69003', NAME, 'Compagnie du Fil Rouge'],
    ['le nom c’est Compagnie du Fil Rouge et on a 3 employés', NAME, 'Compagnie du Fil Rouge'],
    ['the name is Green Hands, and the zip is 69003', NAME_EN, 'Green Hands'],
    ['le nom c’est Jardins et Potagers', NAME, 'Jardins et Potagers'],
    ['le nom c’est Les Amis et les Voisins', NAME, 'Les Amis et les Voisins'],
    // A name with an answer's word in it, saying nothing about that answer, stays whole
    ['le nom c’est Sport et la Ville', NAME, 'Sport et la Ville'],
    ['le nom c’est Culture et le Projet Commun', NAME, 'Culture et le Projet Commun'],
    ['the name is Parks and the City', NAME_EN, 'Parks and the City'],
    ['le nom c’est Sport et la Ville, et le budget : 180 000 €', NAME, 'Sport et la Ville'],
    ['la gouvernance c’est un CA de 9 et on a un bureau de 3', ['gouvernance', 'bureau'], 'un CA de 9 et on a un bureau de 3'], // its own words
    // A number right after the answer's name is its value
    ['le siret 443 061 841 00047', ['siret', 'le siret'], '443 061 841 00047'],
    ['le RNA W332001234', ['rna', 'le rna'], 'W332001234'],
    ['le code postal 33800', ['code postal', 'le code postal'], '33800'],
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

describe('the new values said for several answers in one message', () => {
  const fields = { staff: DIAGNOSTIC_FIELD_WORDS.staff, budget: DIAGNOSTIC_FIELD_WORDS.budget };
  it.each([
    ['en fait on est 14 ETP, et le budget c’est 950k', { staff: '14 ETP', budget: '950k' }],
    ['le budget c’est 950k, et on a 14 salariés', { staff: '14 salariés', budget: '950k' }],
    ['non le budget : 180 000 €', { budget: '180 000 €' }],
    ['le budget est faux', {}],
  ])('« %s »', (text, values) => {
    expect(valuesAfterFields(text, fields)).toEqual(values);
  });
});
