import { isConfirmation, isDontKnow, looksLikeWords, saysDontKnow, withoutDontKnow } from '../../../src/domain/text';

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

describe('« je ne sais pas » and its variants (one list for every form)', () => {
  it.each([
    'je ne sais pas', 'Je ne sais pas.', 'je sais pas', 'sais pas', 'J’sais pas', 'je ne le sais plus', 'je ne sais plus', 'je l’sais pas',
    'aucune idée', 'Aucune idée !', 'pas la moindre idée', 'j’en sais rien', 'je n’en sais rien', 'n’en sais rien', 'aucun avis',
    'pas sûr', 'pas sûre', 'inconnu', 'euh, je sais pas trop', 'honnêtement aucune idée', 'je ne sais pas du tout', 'je sais pas, désolée',
    'I don’t know', 'I do not know', 'dont know', 'dunno', 'no idea', 'not sure', 'honestly no idea', 'I don’t know, sorry',
    'jsp', 'chais pas', 'jsais pas', 'jsais pas trop', 'jsai pas', // typed on a phone
    // A refusal to answer: not known, the question moves on (persona QA 5)
    'je veux pas répondre', 'je ne veux pas répondre à ça', 'je préfère ne pas le dire', 'pas envie de répondre', 'je ne souhaite pas le communiquer',
    'I’d rather not say', 'no comment',
  ])('« %s » is the whole answer « I do not know »', (text) => {
    expect(isDontKnow(text)).toBe(true);
    expect(saysDontKnow(text)).toBe(true);
  });

  it.each([
    'c’est le trésorier qui suit ça, je sais pas', 'je sais pas, stable je crois', 'non, pas sûr', 'no idea, maybe the board knows', 'je ne sais pas trop si on en a un',
  ])('« %s » says it, among other words', (text) => {
    expect(isDontKnow(text)).toBe(false);
    expect(saysDontKnow(text)).toBe(true);
  });

  it.each([
    // « pas sûr que… » judges what follows; « inconnu » means it only alone; « ??? » has no words.
    'ça va mieux, pas sûr que ça dure', 'un partenaire inconnu jusque-là', '???', '?', 'je sais', 'on sait faire', 'association', 'nous savons pas mal de choses',
  ])('« %s » does not', (text) => {
    expect(saysDontKnow(text)).toBe(false);
  });

  it('what the answer says besides it', () => {
    expect(withoutDontKnow('Je sais pas, stable je crois')).toBe('stable je crois');
    expect(withoutDontKnow('no idea')).toBe('');
  });
});

describe('isConfirmation: the whole answer stands by what was doubted', () => {
  it.each([
    ['c’est correct', true], ['Oui, c’est le bon numéro', true], ['je confirme', true], ['oui oui il est bon', true], ['yes, that’s right', true],
    ['oui mais je vais vérifier', false], ['non', false], ['je ne sais pas', false],
  ])('« %s » → %s', (text, expected) => {
    expect(isConfirmation(text)).toBe(expected);
  });
});
