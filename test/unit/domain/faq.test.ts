import { matchFaq } from '../../../src/domain/faq';

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
    ['qui peut etre accompagné', 'who'],
    ['Pour qui est le DLA ?', 'who'],
    ['who can get support?', 'who'],
    ['Comment on commence ?', 'start'],
    ['et après ?', 'start'],
    ['que se passe-t-il ensuite ?', 'start'],
    ['how do we apply?', 'start'],
    ['Qui sont les chargé·es ?', 'chargees'],
    ['c’est quoi une chargée d’accompagnement ?', 'chargees'],
    ['what does an advisor do?', 'chargees'],
  ])('« %s » → %s', (text, topic) => {
    expect(matchFaq(text)).toBe(topic);
  });

  it.each([
    'combien de salariés ?', // a count, not a cost
    'nous avons 3 salariés',
    'suite',
    'menu',
    'qui',
    'parler à un·e chargé·e', // a command, not a question on the chargé·es
    'Les Jardins du Lien',
    'le coût de nos locaux augmente et nous cherchons de l’aide pour revoir notre modèle économique', // a need: longer than a question
    '',
  ])('« %s » is no simple question', (text) => {
    expect(matchFaq(text)).toBeUndefined();
  });
});
