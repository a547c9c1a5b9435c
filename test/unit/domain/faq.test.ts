import { matchFaq, matchFaqAtQuestion } from '../../../src/domain/faq';

describe('matchFaq: the simple questions on the DLA', () => {
  it.each([
    ['c’est payant ?', 'cost'],
    ['C\'est gratuit ?', 'cost'],
    ['ça coûte combien', 'cost'],
    ['Il faut payer quelque chose ?', 'cost'],
    ['is it free?', 'cost'],
    ['combien de temps ca dure', 'duration'],
    ['Quelle est la durée d’un accompagnement ?', 'duration'],
    ['how long does it take?', 'duration'],
    // « c'est long ? »: how long, said shortly (not « c'est long de recruter »)
    ['c’est long ?', 'duration'],
    // Persona QA 11: without a question mark, a sigh about the wait — where the request stands
    ['c’est long...', 'callback'],
    ['pff c’est trop long quand même', 'callback'],
    ['ça traîne', 'callback'],
    ['this is taking forever', 'callback'],
    ['who is going to call me?', 'callback'],
    ['vous avez bien reçu ma demande ?', 'callback'],
    ['ma demande a bien été transmise ?', 'callback'],
    ['did you get my request?', 'callback'],
    ['qui est-ce qui va me rappeler ?', 'callback'],
    ['c est long le dla ?', 'duration'],
    ['ça prend longtemps ?', 'duration'],
    ['ça dure longtemps ?', 'duration'],
    ['does it take long?', 'duration'],
    // The leaders' own time, not the programme's length
    ['faut y passer combien de temps nous ?', 'commitment'],
    ['combien de temps faut-il y consacrer ?', 'commitment'],
    ['ça va nous prendre combien de temps ?', 'commitment'],
    ['how much time do we need to spend on it?', 'commitment'],
    ['qui peut etre accompagné', 'who'],
    ['Pour qui est le DLA ?', 'who'],
    ['who can get support?', 'who'],
    ['Comment on commence ?', 'start'],
    ['et après ?', 'next'],
    ['que se passe-t-il ensuite ?', 'next'],
    ['et maintenant ?', 'next'],
    ['c’est quoi la suite ?', 'next'],
    ['what happens next?', 'next'],
    ["what's next?", 'next'],
    // When the structure will be called: where its request stands
    ['quand est-ce qu’on va m’appeler ?', 'callback'],
    ['vous allez me rappeler quand ?', 'callback'],
    ['qui va m’appeler ?', 'callback'],
    ['c’est qui qui va me contacter ?', 'callback'],
    ['quand serai-je contactée ?', 'callback'],
    ['toujours pas de nouvelles…', 'callback'],
    ['when will someone call me?', 'callback'],
    ['who will contact us?', 'callback'],
    ['how do we apply?', 'start'],
    ['Qui sont les chargé·es ?', 'chargees'],
    ['c’est quoi une chargée d’accompagnement ?', 'chargees'],
    ['what does an advisor do?', 'chargees'],
    // What becomes of the structure's data — not how long the DLA lasts
    ['how long do you keep my data?', 'data'],
    ['vous gardez mes données combien de temps ?', 'data'],
    ['combien de temps conservez-vous mes réponses ?', 'data'],
    ['qui voit mes informations ?', 'data'],
    ['who can see my answers?', 'data'],
    // QA: the ways people ask whether they pay
    ['faut payer qqch ?', 'cost'],
    ['faut il payer ?', 'cost'],
    ['ça coûte quelque chose ?', 'cost'],
    ['ca coute cher ?', 'cost'],
    ['c gratuit ?', 'cost'],
    ['c’est gratos ?', 'cost'],
    ['on paie quelque chose ?', 'cost'],
    ['est-ce qu’on doit payer ?', 'cost'],
    ['do I have to pay?', 'cost'],
    ['how much does it cost?', 'cost'],
    // QA: how to reach the DLA, or another one
    ['comment contacter le DLA ?', 'contact'],
    ['ils sont ou vos bureaux ?', 'contact'],
    ['vous avez un numero de telephone ?', 'contact'],
    ['vous pouvez pas transmettre au DLA 17 directement ?', 'contact'],
    ['a qui dois-je m’adresser ?', 'contact'],
    ['how can I contact you?', 'contact'],
    // Persona QA: whether a person answers
    ['t’es un robot ?', 'bot'],
    ['tu es un robot ou quoi', 'bot'],
    ['vous etes une vraie personne ?', 'bot'],
    ['Je parle à un humain ?', 'bot'],
    ['c’est une IA ?', 'bot'],
    ['robot ?', 'bot'],
    ['are you a bot?', 'bot'],
    ['am I talking to a real person?', 'bot'],
    // A consultant offering their services, not a structure
    ['je suis consultante indépendante, comment devenir prestataire du DLA ?', 'provider'],
    ['comment être référencé comme consultant ?', 'provider'],
    ['vous avez des appels à prestataires ?', 'provider'],
    ['je voudrais proposer mes services au DLA', 'provider'],
    ['qui peut devenir prestataire ?', 'provider'],
    ['how can I become a consultant for the DLA?', 'provider'],
  ])('« %s » → %s', (text, topic) => {
    expect(matchFaq(text)).toBe(topic);
  });

  it.each([
    'combien de salariés ?', // a count, not a cost
    'c’est long de recruter ?', // the structure's own difficulty, not the DLA's length
    'on veut lancer des nouvelles activités', // a need, not a question on a request
    'il faut contacter nos financeurs',
    'nous avons 3 salariés',
    'suite',
    'menu',
    'qui',
    'parler à un·e chargé·e', // a command, not a question on the chargé·es
    'Les Jardins du Lien',
    'Camille Martin, camille@exemple.fr', // a contact given, not asked
    'mon numéro c’est le 06 12 34 56 78',
    'c’est une machine à laver qui nous manque', // not a question on the assistant
    'on est une association d’aide aux personnes',
    'on voudrait un consultant pour notre stratégie', // a structure's need, not a consultant offering
    'le prestataire du DLA nous a rendu son rapport',
    'le coût de nos locaux augmente et nous cherchons de l’aide pour revoir notre modèle économique', // a need: longer than a question
    '',
  ])('« %s » is no simple question', (text) => {
    expect(matchFaq(text)).toBeUndefined();
  });
});

describe('matchFaqAtQuestion: a simple question asked at a question of the accueil or the diagnostic', () => {
  it.each([
    ['c’est payant ?', undefined, 'cost'],
    ['faut payer qqch ?', 'identifiers', 'cost'],
    ['ça coûte combien', 'identifiers', 'cost'], // a question word, no question mark
    ['est-ce que c’est gratuit', 'location', 'cost'],
    ['combien de temps ça dure ?', 'budget', 'duration'],
    ['is it free?', 'employees', 'cost'],
    ['how long does it take', 'name', 'duration'],
    // Where the answer is the structure's own words: only a question on the DLA itself
    ['c’est payant le DLA ?', 'request', 'cost'],
    ['le dla est gratuit ?', 'needs', 'cost'],
    ['combien de temps dure l’accompagnement DLA ?', 'strategy_situation', 'duration'],
    ['is the DLA free of charge?', 'activity', 'cost'],
    // At what brings the structure (its request, its needs): also the question alone
    ['c’est payant ?', 'request', 'cost'],
    ['c’est gratuit vraiment ?', 'request', 'cost'],
    ['ça dure combien de temps ?', 'needs', 'duration'],
    // At the contact question
    ['c’est long ?', 'contact', 'duration'],
    ['c’est payant ?', 'contact', 'cost'],
    // Never the structure's own words, wherever asked
    ['t’es un robot ?', 'activity', 'bot'],
    ['vous êtes une vraie personne ?', 'request', 'bot'],
    // What the DLA is, asked mid-way (at the menu, « Découvrir le DLA » answers it)
    ['c’est quoi le DLA ?', undefined, 'what'],
    ['mais c quoi le dla', 'employees', 'what'],
    ['What is the DLA?', 'activity', 'what'],
  ])('« %s » at %s → %s', (text, slot, topic) => {
    expect(matchFaqAtQuestion(text, slot)).toBe(topic);
  });

  it.each([
    ['c’est gratuit', 'identifiers'], // no question: an answer, read by the question itself
    ['nos coûts augmentent', 'budget'],
    ['payant', 'legalForm'],
    ['ça prend combien de temps ?', undefined], // at a choice: how long what it offers lasts (said with it)
    ['formations payantes ?', 'needs'],
    ['trouver des financements, c’est payant ?', 'needs'],
    ['combien de temps ?', 'availability'],
    ['nos prestations sont gratuites ?', 'activity'],
    ['le coût de nos locaux ?', 'economics_situation'],
    ['qui peut nous aider ?', 'request'],
    ['nous avons besoin d’aide pour savoir combien de temps durera le projet avec le DLA et ses partenaires', 'identifiers'], // long: not a simple question
  ])('« %s » at %s is an answer', (text, slot) => {
    expect(matchFaqAtQuestion(text, slot)).toBeUndefined();
  });
});

describe('matchFaqAtQuestion at a request’s subject or a new need: the simple question alone, or naming the DLA', () => {
  it.each([
    ['c’est payant ?', 'cost'],
    ['C\'est gratuit ?', 'cost'],
    ['ça coûte combien ?', 'cost'],
    ['est-ce que c’est payant ?', 'cost'],
    ['il faut payer quelque chose ?', 'cost'],
    ['combien de temps ça dure ?', 'duration'],
    ['ça prend combien de temps ?', 'duration'],
    ['qui peut être accompagné ?', 'who'],
    ['is it free?', 'cost'],
    ['trouver des financements, c’est payant le DLA ?', 'cost'],
  ])('« %s » → %s', (text, topic) => {
    expect(matchFaqAtQuestion(text, 'subject')).toBe(topic);
    expect(matchFaqAtQuestion(text, 'need')).toBe(topic);
  });

  it.each([
    'on n’arrive plus à payer les salaires',
    'on n’arrive plus à payer les salaires, comment faire ?',
    'le coût de nos formations ?',
    'combien coûte un licenciement ?',
    'nos tarifs sont trop bas ?',
    'qui peut nous aider pour la trésorerie ?',
    'c’est payant',
  ])('« %s » is the subject', (text) => {
    expect(matchFaqAtQuestion(text, 'subject')).toBeUndefined();
    expect(matchFaqAtQuestion(text, 'need')).toBeUndefined();
  });
});
