import { answerAtCheckinOffer, answerBesidesNeed, checkinCommand, correctionOf, saysNeed } from '../../../src/domain/checkinForm';
import { CHECKIN_SLOTS, readSatisfaction, saidInPassing, satisfactionWords } from '../../../src/domain/checkinForm';

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

  it.each([
    // Words a structure uses for its finances, typos and emoji included.
    ['ça va mieux niveau tréso', 'better'], ['très bien', 'better'], ['plutôt bien', 'better'], ['en progrès', 'better'], ['on a retrouvé l’équilibre', 'better'],
    ['moins tendue qu’avant', 'better'], ['pas mal', 'better'], ['improving', 'better'], ['not bad', 'better'], ['meileure', 'better'], ['mieu', 'better'], ['📈', 'better'],
    ['ça va', 'same'], ['correcte', 'same'], ['on est à l’équilibre', 'same'], ['stabl', 'same'], ['steady', 'same'],
    ['difficile', 'worse'], ['c’est compliqué, on a perdu une subvention', 'worse'], ['pas terrible', 'worse'], ['ça va mal', 'worse'],
    ['ça ne va pas bien', 'worse'], ['déficitaire', 'worse'], ['moin bonne', 'worse'], ['not great', 'worse'], ['tight', 'worse'],
  ])('economic health in everyday words: « %s » → %s', (text, value) => {
    expect((valueOf('economics', text) as { value: string }).value).toBe(value);
  });

  it.each([
    // « reste », « toujours », "still": the situation has not changed — the same, however hard it is.
    ['la tréso reste tendue', 'same'], ['la trésorerie est toujours tendue', 'same'], ['cash is still tight', 'same'], ['still struggling', 'same'],
    ['c’est toujours aussi compliqué', 'same'], ['ça reste difficile', 'same'], ['encore fragile', 'same'], ['ça reste bien', 'same'],
    ['on a toujours du mal à payer les salaires', 'same'], ['toujours en déficit', 'same'],
    // …while getting worse or better is still said so.
    ['la tréso s’est dégradée', 'worse'], ['c’est de pire en pire', 'worse'], ['encore plus tendue qu’avant', 'worse'], ['toujours pire', 'worse'],
    ['still worse', 'worse'], ['on a encore perdu une subvention', 'worse'], ['pire, et ça reste tendu', 'worse'], ['tendu', 'worse'],
    ['toujours mieux', 'better'], ['mieux, même si ça reste fragile', 'better'], ['pour le reste ça va bien', 'better'], ['le reste va mieux', 'better'],
  ])('economic health, unchanged or not: « %s » → %s', (text, value) => {
    expect((valueOf('economics', text) as { value: string }).value).toBe(value);
  });

  it.each([
    // A state that goes on, then a change: the change is what the question asks.
    ['la treso reste tendue mais ca va mieux', 'better'], ['la tréso reste tendue mais ça va mieux', 'better'], ['ca reste tendu mais on respire', 'better'],
    ['toujours tendu mais ca s ameliore', 'better'], ['cash is still tight but getting better', 'better'], ['ca reste fragile, par contre on respire un peu', 'better'],
    ['la treso reste tendue et ca se degrade', 'worse'], ['toujours juste, pareil qu avant', 'same'],
    // Everyday words, typed without accents.
    ['un peu mieux', 'better'], ['ca va un peu mieux', 'better'], ['on respire', 'better'], ['mieux', 'better'],
    ['pas mieux', 'same'], ['pareil', 'same'], ['bof', 'same'], ['moins bien', 'worse'], ['ca se degrade', 'worse'], ['pas terrible', 'worse'],
  ])('economic health, a lasting state and a change: « %s » → %s', (text, value) => {
    expect((valueOf('economics', text) as { value: string }).value).toBe(value);
  });

  it.each([
    ['ouais', 'yes'], ['ouais globalement', 'yes'], ['yep', 'yes'], ['yeah', 'yes'], ['carrément', 'yes'], ['clairement', 'yes'], ['beaucoup plus claire', 'yes'], ['évidemment', 'yes'],
    ['je pense', 'yes'], ['👍', 'yes'], ['toutes', 'yes'], ['all of them', 'yes'],
    ['nan', 'no'], ['nope', 'no'], ['aucune', 'no'], ['pas eu le temps', 'no'], ['je ne pense pas', 'no'], ['👎', 'no'], ['none', 'no'],
    ['en cours', 'partly'], ['on y travaille', 'partly'], ['presque toutes', 'partly'], ['la moitié', 'partly'], ['oui et non', 'partly'], ['mouais', 'partly'],
    ['en grande partie', 'partly'], ['en parti', 'partly'], ['most of them', 'partly'], ['in progress', 'partly'],
  ])('recommendations applied, in everyday words: « %s » → %s', (text, value) => {
    expect((valueOf('recommendations', text) as { value: string }).value).toBe(value);
  });

  it.each([
    ['super', 5], ['top', 5], ['nickel', 5], ['génial', 5], ['très bien', 5], ['great', 5], ['⭐⭐⭐⭐⭐', 5],
    ['bien', 4], ['pas mal', 4], ['good', 4], ['⭐⭐⭐⭐', 4], ['👍', 4],
    ['correct', 3], ['ça va', 3], ['ok', 3],
    ['pas terrible', 2], ['pas top', 2], ['mauvais', 2], ['not good', 2],
    ['nul', 1], ['très mauvais', 1], ['catastrophique', 1],
  ])('satisfaction in everyday words: « %s » → %d', (text, expected) => {
    expect(valueOf('satisfaction', text)).toBe(expected);
  });

  it.each([
    // « Plus claire ? » answered with the question's own words, or « pas trop »: read, not asked again.
    ['strategy', 'c’est beaucoup plus clair', 'yes'], ['strategy', 'on y voit plus clair', 'yes'], ['strategy', 'c’est plus clair qu’avant', 'yes'],
    ['strategy', 'on y voit bien plus clair maintenant', 'yes'], ['strategy', 'c’est pas plus clair', 'no'], ['strategy', 'on n’y voit pas plus clair', 'no'],
    ['strategy', 'pas trop', 'no'], ['strategy', 'pas tellement', 'no'], ['recommendations', 'pas trop', 'no'], ['recommendations', 'pas trop non', 'no'],
    ['strategy', 'un peu plus clair', 'partly'],
    // The vision said unclear, anywhere in the answer: no — it was kept as words, or asked again.
    ['strategy', 'notre vision n’est pas encore claire', 'no'], ['strategy', 'toujours pas clair', 'no'], ['strategy', 'c’est toujours pas très clair', 'no'],
    ['strategy', 'our vision is not clear yet', 'no'], ['strategy', 'not clear yet', 'no'], ['strategy', 'still not clear', 'no'],
    // « oui mais… »: some.
    ['strategy', 'oui mais pas encore claire sur le financement', 'partly'], ['strategy', 'yes but not on funding', 'partly'],
    // « je vous l'ai dit, oui »: the answer after the reproach.
    ['strategy', 'je vous l’ai dit, oui', 'yes'], ['recommendations', 'comme je l’ai dit, en partie', 'partly'], ['strategy', 'as I said, no', 'no'],
  ])('%s: « %s » → %s', (key, text, value) => {
    expect((valueOf(key, text) as { value: string }).value).toBe(value);
  });

  it.each([
    // At « votre satisfaction, de 1 à 5 ? »: « pas du tout » is not satisfied at all, « pas vraiment » not very.
    ['pas du tout', 1], ['Pas du tout.', 1], ['non, pas du tout', 1], ['absolument pas', 1], ['not at all', 1],
    ['pas vraiment', 2], ['pas trop', 2], ['pas tellement', 2], ['not really', 2],
  ])('satisfaction said with no adjective: « %s » → %d', (text, expected) => {
    expect(valueOf('satisfaction', text)).toBe(expected);
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

  it.each([
    // The mark given wins over the scale said with it.
    ['sur 5 je mettrais 4', 4], ['4 sur 5', 4], ['4/5', 4], ['4 / 5', 4], ['note : 4', 4], ['je mettrais 4', 4],
    ['de 1 à 5, je dirais 3', 3], ['sur une échelle de 1 à 5 : 2', 2], ['quatre sur cinq', 4], ['sur cinq, je mettrais quatre', 4],
    ['5/5 !', 5], ['1 sur 5', 1], ['4,5', 4], ['4,5/5', 4], ['8/10', 4], ['10/10', 5], ['8 sur 10', 4], ['four out of five', 4], ['3 out of 5', 3],
    // Words, French and English.
    ['très satisfait', 5], ['très satisfaite !', 5], ['ravie', 5], ['very satisfied', 5],
    ['satisfait', 4], ['plutôt satisfait', 4], ['plutôt satisfaits dans l’ensemble', 4], ['assez satisfaite', 4], ['pas mécontent', 4], ['satisfied', 4], ['fairly satisfied', 4],
    ['moyen', 3], ['moyennement satisfait', 3], ['mitigé', 3], ['bof', 3], ['ni satisfait ni insatisfait', 3], ['so-so', 3], ['mixed', 3], ['average', 3],
    ['peu satisfait', 2], ['plutôt pas satisfaite', 2], ['pas très satisfait', 2], ['un peu déçu', 2], ['not very satisfied', 2], ['somewhat dissatisfied', 2],
    ['pas du tout satisfait', 1], ['pas satisfaite', 1], ['déçu', 1], ['très déçue', 1], ['not at all satisfied', 1], ['disappointed', 1],
    // A number said wins over the words with it.
    ['plutôt satisfait, je mettrais 3', 3], ['bof, 2', 2],
  ])('satisfaction: « %s » → %d', (text, expected) => {
    expect(valueOf('satisfaction', text)).toBe(expected);
  });

  it('satisfaction: the words said with the mark are kept, a bare mark has none', () => {
    expect(satisfactionWords('moyennement, c’était un peu court')).toBe('moyennement, c’était un peu court');
    expect(satisfactionWords('4, les consultants étaient top')).toBe('4, les consultants étaient top');
    for (const text of ['4', ' 4/5 ', '4 sur 5', 'quatre', '8/10', '⭐⭐⭐⭐', 'note : 4', 'sur 5 je mettrais 4', 'je dirais 3']) expect([text, satisfactionWords(text)]).toEqual([text, undefined]);
  });

  it('satisfaction that says no mark is asked again', () => {
    for (const text of ['très', 'sur 5', '0', '10', 'asdfgh']) expect([text, valueOf('satisfaction', text)]).toEqual([text, 'error: checkin.satisfaction.invalid']);
    expect(readSatisfaction('de 1 à 5')).toBeUndefined();
  });

  it.each(['je sais pas', 'je ne sais pas', 'aucune idée', 'c’est le trésorier qui suit ça, je sais pas', 'Je ne sais pas.', 'no idea', 'I don’t know'])(
    'every question accepts « %s » as not known, with the words kept', (text) => {
      for (const key of ['economics', 'strategy', 'recommendations', 'satisfaction']) {
        expect([key, valueOf(key, text)]).toEqual([key, { unknown: true, text }]);
      }
      expect(valueOf('newNeeds', text)).toEqual({ any: false, unknown: true, text });
      // Free-text questions keep the words as typed, as they did.
      expect(valueOf('jobs', text)).toBe(text);
      expect(valueOf('partnerships', text)).toBe(text);
    });

  it('« je ne sais pas » with an answer is that answer; unsure of it, it is not known', () => {
    expect(valueOf('economics', 'je sais pas, stable je crois')).toMatchObject({ value: 'same' });
    expect(valueOf('economics', 'je ne sais pas si c’est mieux')).toMatchObject({ unknown: true });
    expect(valueOf('satisfaction', 'je sais pas, 4 peut-être')).toBe(4);
    expect(valueOf('newNeeds', 'je sais pas, peut-être un appui sur la communication')).toMatchObject({ any: true });
  });

  it('a keyboard mash is no free-text answer: not understood, never kept (the third in a row hands over to a chargé·e)', () => {
    for (const key of ['jobs', 'partnerships', 'newNeeds']) {
      for (const text of ['asdfgh', 'sdfsdf', 'qwerty']) expect(slot(key).parse(text)).toEqual({ ok: false, errorKey: 'checkin.unclear', notUnderstood: true });
    }
    expect(slot('strategy').parse('asdf qsdf zzzz sdfsdf hjkl qwerty')).toEqual({ ok: false, errorKey: 'checkin.unclear', notUnderstood: true });
    // Short names and acronyms are words.
    expect(valueOf('partnerships', 'avec le CCAS et TZCLD')).toBe('avec le CCAS et TZCLD');
    expect(valueOf('partnerships', 'ADIE')).toBe('ADIE');
  });

  it('« somewhat » is partly, « on s’en sort » the same', () => {
    expect((valueOf('strategy', 'somewhat') as { value: string }).value).toBe('partly');
    expect((valueOf('economics', 'on s’en sort') as { value: string }).value).toBe('same');
  });

  it('new needs: « non » is none, « oui » asks which, a « mais » after « non » carries one', () => {
    expect(valueOf('newNeeds', 'non')).toEqual({ any: false, text: 'non' });
    expect(valueOf('newNeeds', 'oui')).toBe('error: checkin.newNeeds.which');
    expect(valueOf('newNeeds', 'Non merci, mais on aimerait un appui sur le numérique')).toMatchObject({ any: true });
    expect(valueOf('newNeeds', 'travailler notre communication')).toMatchObject({ any: true });
  });
});

describe('the waiting check-in offered at the welcome, its next question answered at once', () => {
  test.each([
    ['on a embauché 2 personnes', {}, 'jobs'],
    ['deux CDI signés depuis', {}, 'jobs'],
    ['la tréso va mieux', { jobs: '2' }, 'economics'],
  ])('« %s » answers the question waiting', (text, answers, key) => {
    expect(answerAtCheckinOffer(text, answers)).toMatchObject({ key });
  });

  test.each([
    'on aurait besoin d’aide pour recruter',
    'on a un nouveau projet de tiers-lieu',
  ])('« %s » is a need, noted as said at any question (not the question waiting’s answer)', (text) => {
    expect(answerAtCheckinOffer(text, {})).toEqual({ key: 'needsSaid', value: text });
  });

  test.each([
    ['bonjour', {}], // names no topic
    ['oui, on a embauché', {}], // a yes first: the offer's answer
    ['combien d’emplois faut-il compter ?', {}], // a question
    ['je voudrais parler de nos emplois', {}], // a wish about the conversation
    ['la tréso va mieux', {}], // not the question waiting (the jobs one is)
  ])('« %s » does not', (text, answers) => {
    expect(answerAtCheckinOffer(text, answers)).toBeUndefined();
  });
});

describe('saidInPassing: a clause taken for another question', () => {
  it.each([
    ['stable, et on a un partenariat avec la mairie', 'economics', 'on a un partenariat avec la mairie'],
    ['stable. Mais aussi un partenariat avec la mairie', 'economics', 'un partenariat avec la mairie'],
    ['on a créé 1 poste, puis on a signé un partenariat avec la CAF', 'jobs', 'on a signé un partenariat avec la CAF'],
    ['same, and we have a partnership with the town hall', 'economics', 'we have a partnership with the town hall'],
  ])('« %s »: kept without its leading conjunction', (text, key, clause) => {
    expect(saidInPassing(text, key, {})).toEqual([expect.objectContaining({ key: 'partnerships', text: clause })]);
  });

  it.each([
    // The clause goes on over what only opposes it: the change is read, not the state alone.
    ['2 embauches, la treso reste tendue mais ca va mieux', 'jobs', 'economics', 'la treso reste tendue mais ca va mieux', { value: 'better' }],
    ['1 CDI, la tréso reste tendue, par contre on respire un peu', 'jobs', 'economics', 'la tréso reste tendue, par contre on respire un peu', { value: 'better' }],
    ['on a garde tout le monde et on y voit plus clair sur le projet', 'jobs', 'strategy', 'on y voit plus clair sur le projet', { value: 'yes' }],
    ['stable, on a applique la plupart des preconisations', 'economics', 'recommendations', 'on a applique la plupart des preconisations', { value: 'partly' }],
    ['2 postes crees, je mettrais 4/5', 'jobs', 'satisfaction', 'je mettrais 4/5', 4],
    ['non, et tres satisfaits de l accompagnement', 'partnerships', 'satisfaction', 'tres satisfaits de l accompagnement', 5],
    ['4/5, et pour l instant pas d autres besoins', 'satisfaction', 'newNeeds', 'pour l instant pas d autres besoins', { any: false }],
  ])('« %s » (at %s) also answers %s: « %s »', (text, key, other, clause, value) => {
    expect(saidInPassing(text, key, {})).toEqual(expect.arrayContaining([{ key: other, text: clause, value: typeof value === 'object' ? expect.objectContaining(value) : value }]));
  });

  it.each([
    ['on a pourvu 3 postes sur 5, le reste attend', 'jobs'], // no mark
    ['1 CDI, et nos besoins ont change', 'jobs'], // a need is no « no new needs »
    ['2 embauches, le projet avance', 'jobs'], // no yes / partly / no read
    ['on a garde nos 3 postes, la treso reste tendue', 'jobs'], // the state alone: the same (economics), nothing else
  ])('« %s » answers nothing else than economics', (text, key) => {
    expect(saidInPassing(text, key, {}).filter((f) => f.key !== 'economics')).toEqual([]);
  });
});

describe('persona QA 11: an answer promised for later, a need said as something to work on', () => {
  it.each(['je vous reponds la semaine prochaine', 'Je vous répondrai la semaine prochaine, désolée', 'on finit ça demain', 'je reviens vers vous lundi',
    'la semaine prochaine', "I'll answer next week", 'we will finish it tomorrow', 'sorry, I will get back to you next week'])('« %s » at a question pauses the check-in', (text) => {
    expect(checkinCommand(text, 'strategy')).toBe('pause');
  });

  it.each(['on a embauché la semaine dernière', 'on verra avec la mairie la semaine prochaine pour le local', 'oui plus claire, on fait le point demain avec le CA', 'we hired someone last week'])(
    '« %s » is an answer', (text) => {
      expect(checkinCommand(text, 'strategy')).toBeUndefined();
    });

  it.each(['on voudrait maintenant travailler notre modele economique', 'on aimerait revoir notre gouvernance', 'nous souhaitons consolider nos financements',
    'we would now like to work on our business model', 'we want to rethink our governance'])('« %s » says a need', (text) => {
    expect(saysNeed(text)).toBe(true);
  });

  it.each(['on voudrait travailler avec la mairie ? non pas encore', 'on ne veut pas revoir les statuts', 'stable'])('« %s » says none', (text) => {
    expect(saysNeed(text)).toBe(false);
  });
});

describe('round 14: a leader’s partial answers', () => {
  it.each(['on en a appliqué une bonne partie', 'une grande partie', 'une petite partie seulement'])('« %s »: partly', (text) => {
    expect(valueOf('recommendations', text)).toMatchObject({ value: 'partly' });
  });

  it('« je dirais 4 sur 5 » at the new-needs question, the satisfaction answered before (« je sais pas trop »): the mark, given now — no need', () => {
    expect(correctionOf('je dirais 4 sur 5', 'satisfaction', 'newNeeds')).toEqual({ text: 'je dirais 4 sur 5', value: 4 });
    expect(correctionOf('4/5', 'satisfaction', 'newNeeds')).toEqual({ text: '4/5', value: 4 });
    // A need said with a mark, or a count on another scale at another question, is no mark given again.
    expect(correctionOf('4 sur 5 mais on aurait besoin d’aide pour la compta', 'satisfaction', 'newNeeds')).toBeUndefined();
    expect(correctionOf('3 postes sur 5 pourvus', 'jobs', 'economics')).toBeUndefined();
  });
});

describe('round 14: the recommendations applied, counted', () => {
  it.each([
    ['quatre sur cinq', 'partly'], ['3 sur 5', 'partly'], ['toutes sauf une', 'partly'], ['5 sur 5', 'yes'], ['cinq sur cinq', 'yes'], ['0 sur 4', 'no'], ['aucune sur les cinq', 'no'],
    ['4 out of 5', 'partly'], ['on a commencé', 'partly'], ['on les a commencées', 'partly'], ['we have started', 'partly'], ['pas encore commencé', 'no'],
  ])('« %s »: %s', (text, value) => {
    expect(valueOf('recommendations', text)).toMatchObject({ value });
  });
});

describe('round 14: a hesitation at the jobs question, a vision still blurred', () => {
  it.each(['euh', 'hmm', 'euh…'])('« %s » at the jobs question: asked how many, never kept as the answer', (text) => {
    expect(valueOf('jobs', text)).toBe('error: checkin.jobs.howMany');
  });

  it.each(['ça reste flou', 'toujours aussi flou', 'c’est encore brouillon', 'still unclear'])('« %s »: no', (text) => {
    expect(valueOf('strategy', text)).toMatchObject({ value: 'no' });
  });
});

describe('round 14: a pause with its reason, partners named with a need', () => {
  it.each(['pas maintenant merci, je suis en réunion', 'pas le temps, je conduis', 'not now, I’m in a meeting'])('« %s »: a pause', (text) => {
    expect(checkinCommand(text, 'jobs')).toBe('pause');
  });

  it('« oui avec la communauté de communes, et on aurait besoin d’aide pour un dossier FSE » at the partnerships question: the partners answered beside the need', () => {
    const text = 'oui avec la communauté de communes, et on aurait besoin d’aide pour monter un dossier FSE';
    expect(saysNeed(text)).toBe(true);
    expect(answerBesidesNeed('partnerships', text)).toBe(text);
    expect(answerBesidesNeed('partnerships', 'on aurait besoin d’aide pour la com')).toBeUndefined();
  });
});
