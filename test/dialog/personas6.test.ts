import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** Persona QA, round 6: what a SCIC, a struggling association, an English-speaking charity and a leader who changes their mind typed and read. */
describe('personas 6: what they typed and what they read', () => {
  const fx = useAssistant('personas6', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
  const persona = (userId?: string, locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale, userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  it('« pause » at the contact asked with the outcome, then « reprendre »: the contact question again, not the recap — and the contact given passes the request on', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Bonjour, asso Les Jardins du Lien, 10 salaries, 33000, on veut consolider nos emplois', 'oui', 'je sais pas']) await p.say(said);
    expect(asRead(await p.say('C’est correct'))).toContain('votre nom, et votre e-mail ou votre téléphone');
    await p.say('pause');
    const resumed = asRead(await p.say('reprendre'));
    expect(resumed).not.toContain('Est-ce correct');
    expect(resumed).not.toContain('Voici ce que j’ai noté');
    expect(resumed).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(asRead(await p.say('Marie Dupont 06 11 22 33 44'))).toContain('recontacte sous 5 jours ouvrés');
    expect(await dossierOf(p)).toMatchObject({ status: 'submitted', answers: { contact: { name: 'Marie Dupont', phone: '06 11 22 33 44' } } });
  });

  it('a first message telling a difficulty without « besoin » (« on galère avec la trésorerie », « on n’arrive plus à payer les salaires ») notes it as the request; « 3 salariés et 10 bénévoles » is no request', async () => {
    for (const first of ['on est une asso de 3 salariés 😅 on galère avec la trésorerie 💸💸', 'bonjour on est une asso de 12 salaries a Libourne, on n’arrive plus a payer les salaires']) {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say(first));
      expect(noted).toContain('Votre demande : ');
      expect(noted).toContain(first.includes('galère') ? 'on galère avec la trésorerie' : 'payer les salaires');
    }
    const q = persona();
    await q.join();
    expect(asRead(await q.say('3 salariés et 10 bénévoles'))).not.toContain('Votre demande');
  });

  it('a need typed at the SIRET question (« on a besoin de structurer l’encadrement technique ») is the request, said back and not asked again; the SIRET is left for a chargé·e', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(said);
    expect(asRead(await p.say('Atelier Vélo Solidaire'))).toContain('SIRET');
    const answer = asRead(await p.say('on a besoin de structurer l’encadrement technique de nos salariés en insertion'));
    expect(answer).toContain('Je note votre demande : « on a besoin de structurer l’encadrement technique de nos salariés en insertion »');
    expect(answer).toContain('Je laisse le numéro SIRET / RNA de côté');
    for (const said of ['association', '6 salariés']) await p.say(said);
    const recap = asRead(await p.say('33000'));
    expect(recap).not.toContain('qu’est-ce qui vous amène');
    expect(recap).toContain('Est-ce correct');
    expect((await dossierOf(p))!.answers).toMatchObject({ identifiers: { unknown: true }, request: 'on a besoin de structurer l’encadrement technique de nos salariés en insertion' });
  });

  it('back days later with its first questions half answered, the next answers typed at « Bon retour ! » (« 12 salariés, on est à Bordeaux 33800 ») are kept and the questions go on — they got « Je n’ai pas compris »', async () => {
    const first = persona();
    await first.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier Vélo Solidaire', 'je ne sais pas']) await first.say(said);
    expect(asRead(await first.say('association'))).toContain('salarié');
    const again = persona(first.userId);
    expect(await again.join()).toContain('Bon retour !');
    const answer = asRead(await again.say('12 salariés, on est à Bordeaux 33800'));
    expect(answer).not.toContain('pas compris');
    expect(answer).toContain('Je note :');
    expect(answer).toContain('qu’est-ce qui vous amène');
    expect((await dossierOf(again))!.answers).toMatchObject({ name: 'Atelier Vélo Solidaire', employees: { etp: 12 }, location: { postalCode: '33800' } });
  });

  it('« SCIC SAS, 8 associés salariés, 14 ETP, CA 900 k€, on fait de la restauration collective bio » first: the name is asked (not « SCIC SAS »), and the diagnostic keeps the activity and the budget, said back, not asked blind', async () => {
    const p = persona();
    await p.join();
    expect(asRead(await p.say('Bonjour, SCIC SAS, 8 associés salariés, 14 ETP, CA 900 k€, on fait de la restauration collective bio'))).not.toContain('Structure : SCIC SAS');
    expect(asRead(await p.say('oui'))).toContain('Quel est le nom de votre structure');
    for (const said of ['La Marmite Bio', '443 061 841 00047', '33800', 'on voudrait ouvrir une 2e cuisine', 'C’est correct', 'Camille Martin 06 11 22 33 44']) await p.say(said);
    const start = asRead(await p.say('oui'));
    expect(start).toContain('Vous m’avez déjà indiqué');
    expect(start).toContain('on fait de la restauration collective bio');
    expect(start).toContain('900 000 €');
    expect(start).not.toContain('Quelle est l’activité principale');
    expect(start).not.toContain('Quel est votre budget annuel');
    expect(start).toContain('D’où viennent vos ressources');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ activity: 'on fait de la restauration collective bio', budget: { euros: 900000 } });
  });

  it('the activity and the budget said at the request question (« on fait de la restauration collective bio, CA 900 k€, on veut une 2e cuisine ») are kept for the diagnostic too', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'La Marmite Bio', '443 061 841 00047', 'SCIC', '14', '33800',
      'on fait de la restauration collective bio, CA 900 k€, on veut ouvrir une 2e cuisine', 'C’est correct', 'Camille Martin 06 11 22 33 44']) await p.say(said);
    const start = asRead(await p.say('oui'));
    expect(start).toContain('900 000 €');
    expect(start).toContain('D’où viennent vos ressources');
  });

  it('an e-mail signature pasted at the recap « Est-ce correct ? » gives the contact: read back, kept once confirmed', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Bonjour, asso Les Jardins du Lien, 10 salaries, 33000, on veut consolider nos emplois', 'oui']) await p.say(said);
    expect(asRead(await p.say('je sais pas'))).toContain('Est-ce correct');
    const read = asRead(await p.say('Camille Martin\nDirectrice\nLes Jardins du Lien\n12 rue X 33000 Bordeaux\nTél. 05 56 00 00 00\ncamille@jardinsdulien.fr'));
    expect(read).not.toContain('Répondez « C’est correct »');
    expect(read).toContain('Camille Martin, camille@jardinsdulien.fr, 05 56 00 00 00');
    await p.say('oui');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ name: 'Camille Martin', email: 'camille@jardinsdulien.fr', phone: '05 56 00 00 00' });
  });

  it('a leader who changes their mind: « finalement la gouvernance en premier » at the ranking, then « non en fait on a 12 salariés pas 10 » at the summary is taken at once, the volunteers kept', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Bonjour, asso Les Jardins du Lien, siret 443 061 841 00047, 10 salaries, 33000, on veut consolider nos emplois', 'oui', 'C’est correct',
      'Marie Dupont 06 11 22 33 44', 'oui', 'maraichage bio et vente de paniers', '450 000', 'subventions 60%, ventes 40%', '10 salariés et 25 bénévoles', 'CA de 7 membres, bureau de 3',
      'les roles sont flous entre salaries et benevoles, urgence 3', 'on voudrait creer 2 postes, urgence 3', 'on ne sait pas ou on va dans 3 ans, urgence 2',
      'on depend trop des subventions, urgence 4', 'tresorerie correcte, urgence 1', 'non', 'tous les mardis soirs', 'consolider le modele economique, la gouvernance et les emplois', 'oui']) await p.say(said);
    const order = asRead(await p.say('finalement la gouvernance en premier'));
    expect(order).toMatch(/^1\. Gouvernance/m);
    const summary = asRead(await p.say('oui'));
    expect(summary).toContain('Confirmez-vous ce résumé');
    const fixed = asRead(await p.say('non en fait on a 12 salariés pas 10'));
    expect(fixed).not.toContain('Combien de bénévoles');
    expect(fixed).toContain('Confirmez-vous ce résumé');
    expect(fixed).toContain('12 ETP de salarié·es, 25 bénévoles');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 12, volunteers: 25 });
  });

  it('"Hi, we are a small charity in Bordeaux" in English as a first message starts the check with the form noted — it was "I did not understand"', async () => {
    const p = persona(undefined, 'en-US');
    await p.join();
    const read = asRead(await p.say('Hi, we are a small charity in Bordeaux'));
    expect(read).not.toContain('I did not understand');
    expect(read).toContain('I note');
    expect(read).toContain('association');
    expect(read).toContain('Do you agree that this information is kept?');
  });
});
