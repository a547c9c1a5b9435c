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

  it('« correct » (or « yes, correct ») answering « Is this correct? » at the review confirms it, in English and in French — it was « Reply “That’s correct” or “Correct an answer” »', async () => {
    for (const [locale, start, agree, yes, outcome] of [
      ['en-US', 'Check whether my organisation can get support', 'I agree', 'correct', 'From your answers'],
      ['en-US', 'Check whether my organisation can get support', 'I agree', 'yes correct', 'From your answers'],
      ['fr-FR', 'Vérifier si ma structure peut être accompagnée', 'J’accepte', 'correct', 'D’après vos réponses'],
    ]) {
      const p = persona(locale);
      await p.join();
      for (const said of [start, agree, 'GreenLoop', '443 061 841 00047', 'association', '3', '33000']) await p.say(said);
      await p.say('help with our funding');
      expect(asRead(await p.say(yes))).toContain(outcome);
    }
  });

  it('an ACI director on a phone: « bjr » is no name, « le nom c Les Ateliers du Rhone » at the SIRET question is the name, the postal code corrected at the review', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('bjr je suis directeur d un ACI a begles, asso, 12 salaries en insertion + 3 permanents, c tres urgent on a un pb de treso'));
    expect(noted).not.toContain('Structure : bjr');
    expect(asRead(await p.say('ok'))).toContain('nom de votre structure');
    expect(asRead(await p.say('jsp'))).not.toContain('SIRET'); // « je sais pas »: no name kept
    await p.say('ACI Villeurbanne');
    const renamed = asRead(await p.say('le nom c Les Ateliers du Rhone'));
    expect(renamed).not.toContain('ni SIRET');
    expect(renamed).toContain('devient « Structure : Les Ateliers du Rhone »');
    expect(renamed).toContain('code postal');
    await p.say('33130 begles');
    const recap = asRead(await p.say('tréso tres tendue, la subv arrive en retard, on risque de pas payer les salaires en janvier'));
    expect(recap).toContain('Structure : Les Ateliers du Rhone');
    expect(asRead(await p.say('ah et le cp c 33400 pas 33130'))).toContain('Siège : 33400');
    expect((await dossierOf(p))!.answers).toMatchObject({ name: 'Les Ateliers du Rhone', location: { postalCode: '33400' } });
  });

  it('volunteers only, planning a first hire, asking « le DLA peut nous aider ? » first: the eligibility questions with what it said, not the tour — then « à confirmer », why, and what happens next', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('Bonjour, on est que des bénévoles mais on voudrait embaucher notre premier salarié l’an prochain. Est-ce que le DLA peut nous aider ?'));
    expect(noted).not.toContain('Étape 1');
    expect(noted).toContain('aucun pour l’instant, projet d’embauche');
    expect(noted).toContain('Acceptez-vous');
    for (const said of ['J’accepte', 'Les Amis de la Bastide', 'W332012345']) await p.say(said);
    const asked = asRead(await p.say('33100'));
    expect(asked).not.toContain('salarié·es compte');
    const outcome = asRead(await p.say('oui'));
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('prépare une première embauche');
    expect(outcome).toContain('votre nom, et votre e-mail ou votre téléphone');
  });

  it('« c’est long ? » at the contact question is answered (how long an accompaniment lasts), then the contact asked again — it was « Je n’ai trouvé ni e-mail ni numéro de téléphone »', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Jardin Partagé', 'W332012345', 'asso loi 1901',
      'aucun pour l’instant, on voudrait embaucher une animatrice à mi-temps l’an prochain', '33150', 'financer ce premier poste']) await p.say(said);
    expect(asRead(await p.say('oui c’est ça'))).toContain('votre nom');
    const answer = asRead(await p.say('c’est long ?'));
    expect(answer).toContain('2 mois à 2 ans');
    expect(answer).toContain('votre nom');
    expect(answer).not.toContain('Je n’ai trouvé ni e-mail');
  });
});
