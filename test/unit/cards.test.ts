import { choiceCard } from '../../dialogs/cards';

type Action = { type: string; title: string; data: { choice: string } };
type Card = { body: { type: string; actions?: Action[] }[]; actions?: Action[] };

describe('choice cards (Teams, Web Chat)', () => {
  const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, title: `Choix ${i + 1}` }));
  /** Every button of the card, in order, and the largest group of buttons Teams has to show. */
  const buttons = (card: Card) => {
    const groups = [card.actions ?? [], ...card.body.filter((b) => b.type === 'ActionSet').map((b) => b.actions ?? [])].filter((g) => g.length);
    return { ids: groups.flat().map((a) => a.data.choice), largest: Math.max(...groups.map((g) => g.length)) };
  };

  it('a short list is the card\'s own actions', () => {
    const card = choiceCard('Que souhaitez-vous faire ?', choices(4)).content as Card;
    expect(card.actions?.map((a) => a.title)).toEqual(['Choix 1', 'Choix 2', 'Choix 3', 'Choix 4']);
  });

  it.each([7, 12])('a list of %i choices shows every one, never more than 6 buttons in a group (Teams hides the rest)', (n) => {
    const { ids, largest } = buttons(choiceCard('Quelle réponse voulez-vous corriger ?', choices(n)).content as Card);
    expect(ids).toEqual(choices(n).map((c) => c.id));
    expect(largest).toBeLessThanOrEqual(6);
  });
});
