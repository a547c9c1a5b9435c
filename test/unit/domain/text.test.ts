import { looksLikeWords } from '../../../src/domain/text';

describe('an answer that looks like words, not a keyboard mash', () => {
  it.each([
    // Keyboard mashes: runs along a row (QWERTY or AZERTY, both ways), one letter again, a chunk typed again.
    'asdfgh', 'qwerty', 'azerty', 'QWERTY', 'zzzz', 'jjjjjj', 'sdfsdf', 'hjkl', 'qsdqsd', 'asdasd', 'lkjhgf', 'poiuy',
    'asdfgh jkl', 'sdf', 'zzzz zzzz', 'dfkjghsdfk', 'sdfgsdfh', 'asdfgh !', '???', '', '   ', '...',
  ])('« %s » is not words', (text) => {
    expect(looksLikeWords(text)).toBe(false);
  });

  it.each([
    // Acronyms and short names real structures have.
    'ADIE', 'FNARS', 'CCAS', 'URSCOP', 'SCIC', 'Emmaüs', 'Nyx', 'TZCLD', '3F', 'Adie', 'tzcld', 'ccas', 'FNCCR',
    // Few vowels, German or Alsatian spelling.
    'Strasbourg', 'Schwartz', 'Schtroumpf', 'Angström',
    // Words that repeat a syllable, or happen to sit on a keyboard row.
    'Tutu', 'Bonbon', 'Coco Vélo', 'Azer', 'La Dépêche', 'Typewriter', 'Alfalfa',
    // Ordinary answers, one real word among noise is enough.
    'Les Jardins Partagés de la Croix-Rousse', 'Association asdfgh', 'ok', 'non', 'je ne sais pas', '2 emplois créés', '0', 'Le 104', 'SDF',
  ])('« %s » is words', (text) => {
    expect(looksLikeWords(text)).toBe(true);
  });
});
