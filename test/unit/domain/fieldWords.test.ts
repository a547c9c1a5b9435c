import { DIAGNOSTIC_FIELD_WORDS, fieldsNamed } from '../../../src/domain/fieldWords';

describe('fieldsNamed: the answers a message names, in its order', () => {
  test.each<[string, string[]]>([
    // QA: two corrections in one message
    ['no, HR urgency is 3 not 4, and strategy should be: a new artistic project', ['people', 'strategy']],
    ['le budget c’est 180 000 et la trésorerie est tendue', ['budget', 'finance']],
    // A word inside a longer answer's name is that answer's only
    ['les ressources humaines sont à revoir', ['people']],
    ['les ressources viennent de la ville', ['funding']],
    ['le budget', ['budget']],
    ['non', []],
    ['the chart is wrong', []], // « hr » inside a word names nothing
  ])('%j → %j', (text, expected) => {
    expect(fieldsNamed(text, DIAGNOSTIC_FIELD_WORDS)).toEqual(expected);
  });
});
