import { post, useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { Persona } from '../helpers/conversation';
import { DossierRepository } from '../../src/store/dossiers';

/** Persona QA round 10: answers given at the wrong question, and old clicks. */
describe('personas 10', () => {
  const fx = useAssistant('personas10', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const rna = () => `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  async function says(p: Persona, texts: string[]): Promise<void> {
    for (const text of texts) await p.say(text);
  }

  describe('an answer given at the wrong question is kept where it belongs', () => {
    it('« on n’est pas ESUS, par contre on a besoin d’aide pour recruter » answers no, and the need is the request (not asked again)', async () => {
      const p = persona();
      await p.join();
      await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Bassin', '443 061 841 00047', 'SAS']);
      const said = asRead(await p.say('on n’est pas ESUS, par contre on a besoin d’aide pour recruter'));
      expect(said).not.toContain('Répondez « oui », « non »');
      expect(said).toContain('Je note votre demande : « on n’est pas ESUS, par contre on a besoin d’aide pour recruter »');
      expect(said).toContain('Combien de salarié·es');
      await p.say('3');
      const recap = asRead(await p.say('33120'));
      expect(recap).not.toContain('qu’est-ce qui vous amène');
      expect(recap).toContain('Votre demande : on n’est pas ESUS, par contre on a besoin d’aide pour recruter');
      expect((await dossierOf(p))?.answers.esus).toMatchObject({ approved: false });
    });

    it('« 3 salariés, budget 300 000 €, et on cherche à diversifier nos financements » at the staff question: the staff, the request, and the budget kept for the diagnostic', async () => {
      const p = persona();
      await p.join();
      await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lac', rna(), 'association loi 1901']);
      const said = asRead(await p.say('3 salariés, budget 300 000 €, et on cherche à diversifier nos financements'));
      expect(said).toContain('Je note votre demande : « 3 salariés, budget 300 000 €, et on cherche à diversifier nos financements »');
      expect(said).toContain('Je garde aussi, pour préparer le diagnostic :\n- **Budget annuel** : 300 000 €');
      expect(said).toContain('code postal');
      const recap = asRead(await p.say('33000'));
      expect(recap).not.toContain('qu’est-ce qui vous amène');
      expect(recap).toContain('Salarié·es : 3 ETP');
      await p.say('C’est correct');
      expect(await p.say('Dominique, dominique@example.org')).toContain('On commence ?');
      const start = asRead(await p.say('Commencer'));
      expect(start).toContain('- **Budget annuel** : 300 000 €');
      expect(start).toContain('activité principale');
      expect(asRead(await p.say('Jardins partagés et ateliers de cuisine'))).toContain('D’où viennent vos ressources');
    });
  });

  it('« je suis trésorier d’Emmaüs Gironde, 12 salariés, 33000 »: the structure’s name after « d’ » is noted', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('bonjour, je suis trésorier d’Emmaüs Gironde, 12 salariés, 33000'));
    expect(noted).toContain('Structure : Emmaüs Gironde');
    expect(noted).toContain('Salarié·es : 12 ETP');
  });
  /** An eligible association at its diagnostic's summary (« Confirmez-vous ce résumé ? »). */
  async function atSummary(name: string): Promise<Persona> {
    const p = persona();
    await p.join();
    await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, rna(), 'association loi 1901', '4', '33000',
      'Consolider nos emplois', 'C’est correct', 'Dominique, dominique@example.org', 'Commencer',
      'Épicerie solidaire, secteur social', '200 000 €', 'subventions 60 %, ventes 40 %', '20 bénévoles', 'un conseil d’administration de 9 membres']);
    for (let i = 0; i < 5; i++) await says(p, ['Ça va', '1']);
    await says(p, ['Non, jamais', 'La présidente, les mardis', 'Diversifier nos financements', 'Oui']);
    expect(await p.say('Oui')).toContain('Confirmez-vous ce résumé ?');
    return p;
  }

  /** An eligible association whose diagnostic is confirmed (its summary's « Je confirme »). */
  async function confirmed(name: string): Promise<Persona> {
    const p = await atSummary(name);
    expect(await p.say('Je confirme')).toContain('version 1');
    return p;
  }

  it('two answers corrected in one message at the summary (« en fait on est 14 ETP, et le budget c’est 950k »): both taken', async () => {
    const p = await atSummary('Terres du Périgord');
    const said = asRead(await p.say('en fait on est 14 ETP, et le budget c’est 950k'));
    expect(said).not.toContain('pas encore pris en compte');
    expect(said).toContain('Budget annuel** : 950 000 €');
    expect(said).toContain('14 ETP');
    expect(said).toContain('20 bénévoles');
    expect(said).toContain('Confirmez-vous ce résumé ?');
    expect((await dossierOf(p))?.diagnostic?.answers).toMatchObject({ budget: { euros: 950000 }, staff: { employees: 14, volunteers: 20 } });
  });

  it('a small association asks « c’est quoi le DLA ? » at the recap (answered, then the recap’s question), says « je reviens demain » (a pause) and comes back in a new conversation', async () => {
    const p = persona();
    await p.join();
    await says(p, ['on est une petite asso de quartier, 1 salariée a mi temps et 30 benevoles', 'j’accepte', 'Les Amis du Parc', 'je connais pas notre siret', '33800 lormont']);
    expect(asRead(await p.say('on voudrait de l’aide pour trouver des financements pour pérenniser le poste'))).toContain('Est-ce correct ?');
    const what = asRead(await p.say('c’est quoi le DLA ?'));
    expect(what).toContain('Le DLA (Dispositif Local d’Accompagnement) est un programme public');
    expect(what).toContain('Est-ce correct ?');
    expect(what).not.toContain('Répondez « C’est correct »');
    expect(asRead(await p.say('je reviens demain'))).toContain('on fait une pause');
    const back = persona(p.userId);
    expect(asRead(await back.join())).toContain('Bon retour !');
    const recap = asRead(await back.say('oui'));
    expect(recap).toContain('Structure : Les Amis du Parc');
    expect(recap).toContain('Est-ce correct ?');
  });

  it('an English-speaking leader types its need at « Is this correct? »: the request is replaced with it, the recap shown again (it asked the question again, and took the next answer as the request)', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    await says(p, ['Hi, I run a social enterprise in Bordeaux, we’re an ESUS-approved SAS with 8 employees, we are looking for support. Can the DLA help us?', 'I agree', 'Green Wheels Bordeaux', '443 061 841 00047']);
    expect(asRead(await p.say('33000'))).toContain('Is this correct?');
    const recap = asRead(await p.say('we need help to structure our growth and find funding'));
    expect(recap).not.toContain('what brings you here');
    expect(recap).toContain('Your request: we need help to structure our growth and find funding');
    expect(recap).toContain('Is this correct?');
    expect(recap).not.toMatch(/Je |Répondez|Votre /);
  });

  it('a SCIC in Dordogne answering with several facts: the governance said with the staff is noted, not asked again', async () => {
    const p = persona();
    await p.join();
    await says(p, ['bonjour, on est une SCIC en dordogne, 12 ETP, budget de 900 000 €, on voudrait etre accompagnés sur notre modele eco', 'j’accepte',
      'Terres du Périgord', '628 194 821 10002', '24100 bergerac', 'oui c’est bon', 'Marc Dupuy marc@terresperigord.fr']);
    const start = asRead(await p.say('oui'));
    expect(start).toContain('- **Budget annuel** : 900 000 €');
    await p.say('on fait de la restauration collective bio et un magasin de producteurs');
    expect(asRead(await p.say('60% ventes, 30% subventions, 10% dons'))).toContain('bénévoles');
    const said = asRead(await p.say('12 ETP et une quinzaine de benevoles, CA de 9 membres avec 3 colleges'));
    expect(said).toContain('J’ai noté : 12 salarié·es (ETP) et 15 bénévoles.');
    expect(said).toContain('Je note aussi votre gouvernance : « CA de 9 membres avec 3 colleges »');
    expect(said).not.toContain('Comment est organisée votre gouvernance');
    expect(said).toContain('Organisation interne');
    expect((await dossierOf(p))?.diagnostic?.answers.governance).toEqual({ boardSize: 9, text: 'CA de 9 membres avec 3 colleges' });
  });

  describe('old clicks once the diagnostic is confirmed', () => {
    it('an old area card submitted at the menu, and « Je confirme » typed again, are said to be recorded already — then the menu', async () => {
      const p = await confirmed('Épicerie du Port');
      const res = await post(fx.app.baseUrl, { ...p.channel.say(''), text: undefined, value: { area: 'finance', situation: 'Trésorerie tendue', urgency: '3' } });
      expect(res.status).toBe(200);
      const card = asRead(p.last(2).map((a) => a.text ?? '').join('\n'));
      expect(card).toContain('Votre diagnostic préparatoire est déjà enregistré (version 1)');
      expect(card).toContain('Que souhaitez-vous faire ?');
      expect(card).not.toContain('Je n’ai pas compris');
      const again = asRead(await p.say('Je confirme'));
      expect(again).toContain('Votre diagnostic préparatoire est déjà enregistré (version 1)');
      expect(again).not.toContain('Je joins ce message');
      expect(again).toContain('Que souhaitez-vous faire ?');
    });
  });
});
