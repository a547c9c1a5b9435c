import { CHECKIN_SLOTS } from '../../../src/domain/checkinForm';

const slot = (key: string) => CHECKIN_SLOTS.find((s) => s.key === key)!;
const valueOf = (key: string, text: string) => {
  const read = slot(key).parse(text);
  return read.ok ? read.value : `error: ${read.errorKey}`;
};

describe('check-in answers in the structure’s words', () => {
  it.each([
    ['Meilleure', 'better'], ['ça va mieux', 'better'], ['en hausse', 'better'],
    ['pas mieux qu’avant, honnêtement', 'same'], ['ça ne s’est pas amélioré', 'same'], ['not better', 'same'], ['bof', 'same'], ['stable', 'same'],
    ['moins bien', 'worse'], ['pire qu’avant', 'worse'], ['la situation s’est dégradée', 'worse'],
    // The first judgement in the answer wins
    ['plutôt stable, la trésorerie va mieux', 'same'], ['mieux, même si ça reste fragile', 'better'],
    ['moins bien qu’avant, mais stable depuis l’été', 'worse'], ['stable, pas mieux', 'same'], ['ni mieux ni pire', 'same'],
    ['pas stable du tout, ça se dégrade', 'worse'], ['instable', 'worse'], ['pas mieux, plutôt pire', 'same'],
  ])('economic health: « %s » → %s', (text, value) => {
    expect((valueOf('economics', text) as { value: string }).value).toBe(value);
  });

  it.each([
    ['oui', 'yes'], ['plutôt oui', 'yes'], ['globalement', 'yes'],
    ['non', 'no'], ['plutôt non', 'no'], ['pas encore', 'no'],
    ['en partie', 'partly'], ['pas vraiment, on a fait une partie', 'partly'], ['plus ou moins', 'partly'], ['kind of', 'partly'],
    ['on a fait la fiche de poste mais pas encore le plan de financement', 'partly'],
    // Some, not all: none of these is a « non », even those starting with « pas ».
    ['pas toutes', 'partly'], ['pas tout à fait', 'partly'], ['une partie seulement', 'partly'], ['la plupart', 'partly'],
    ['quelques-unes', 'partly'], ['pas encore toutes', 'partly'], ['non, pas toutes', 'partly'], ['pas tous', 'partly'],
    ['pas complètement', 'partly'], ['not all of them', 'partly'], ['not quite', 'partly'],
    // …while these stay what they were.
    ['pas du tout', 'no'], ['not at all', 'no'], ['pas vraiment', 'no'], ['tout à fait', 'yes'], ['complètement', 'yes'],
  ])('recommendations applied: « %s » → %s', (text, value) => {
    expect((valueOf('recommendations', text) as { value: string }).value).toBe(value);
  });

  it('keeps a real explanation as written when it says neither yes nor no, and asks again for a word it cannot read', () => {
    expect(valueOf('strategy', 'le conseil d’administration en discute encore cet automne')).toEqual({ text: 'le conseil d’administration en discute encore cet automne' });
    expect(valueOf('strategy', 'zzz')).toBe('error: checkin.yesPartlyNo.invalid');
  });

  it('reads satisfaction in digits or words, and jobs as a bare number', () => {
    expect(['4', '4 sur 5', '3/5', 'quatre', 'cinq !'].map((t) => valueOf('satisfaction', t))).toEqual([4, 4, 3, 4, 5]);
    expect(valueOf('satisfaction', 'très')).toBe('error: checkin.satisfaction.invalid');
    expect(valueOf('jobs', '0')).toBe('0');
  });

  it('new needs: « non » is none, « oui » asks which, a « mais » after « non » carries one', () => {
    expect(valueOf('newNeeds', 'non')).toEqual({ any: false, text: 'non' });
    expect(valueOf('newNeeds', 'oui')).toBe('error: checkin.newNeeds.which');
    expect(valueOf('newNeeds', 'Non merci, mais on aimerait un appui sur le numérique')).toMatchObject({ any: true });
    expect(valueOf('newNeeds', 'travailler notre communication')).toMatchObject({ any: true });
  });
});
