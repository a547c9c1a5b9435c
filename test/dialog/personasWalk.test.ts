import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** What fresh-eyes walks of the web chat still found wrong for real people (branch personas3). */
describe('persona walks: a job seeker, the review in English, questions asked in passing', () => {
  const fx = useAssistant('personaswalk', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' });
  const persona = (locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  it('a person looking for a job (« je suis au chomage et je voudrais bosser dans une asso ») is told who the DLA is for, not asked for consent and a structure’s name', async () => {
    for (const said of ['je suis au chomage et je voudrais bosser dans une asso, vous pouvez m’aider ?', 'bonjour, je cherche un travail dans une association a Bordeaux']) {
      const p = persona();
      await p.join();
      const answer = asRead(await p.say(said));
      expect(answer).toContain('n’aide pas à trouver un emploi');
      expect(answer).not.toContain('Acceptez-vous');
      expect(answer).not.toContain('Je note');
      expect(await dossierOf(p)).toBeFalsy();
    }
    // At the menu, after a first message, too.
    const p = persona();
    await p.join();
    await p.say('bonjour');
    expect(asRead(await p.say('en fait je suis demandeuse d’emploi et je voudrais travailler dans l’ESS'))).toContain('n’aide pas à trouver un emploi');
  });
});
