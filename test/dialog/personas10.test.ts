import { useAssistant } from '../helpers/app';
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
});
