import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** Busy people as they type: what a walk through the web chat showed them to get wrong. */
describe('personas: first messages, questions asked twice, answers lost', () => {
  const fx = useAssistant('personas', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' });
  const persona = () => new Persona(() => fx.app, fx.connector, 'fr-FR');
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  it('a first message that introduces the structure and names the DLA (« est-ce que le DLA peut nous accompagner ? ») starts the eligibility questions with what it says, not the tour of the DLA', async () => {
    for (const [said, form] of [
      ['Bonjour, je dirige un ESAT (90 travailleurs handicapés, 25 salariés encadrants). Est ce que le DLA peut nous accompagner ou on n’est pas concernés ?', 'ESAT'],
      ['bonjour, je suis coordinatrice d’une fédération (tete de réseau) de centres sociaux, on a 4 salariés. C’est possible de faire un DLA pour nos associations adhérentes ?', 'fédération'],
    ]) {
      const p = persona();
      await p.join();
      const answer = asRead(await p.say(said));
      expect(answer).not.toContain('Étape 1');
      expect(answer).toContain('Je note');
      expect(answer).toContain(form);
      expect(answer).toContain('Acceptez-vous');
      await p.say('J’accepte');
      expect((await dossierOf(p))!.answers.employees).toMatchObject({ etp: said.includes('ESAT') ? 25 : 4 });
    }
  });

  it('« c’est gratuit vraiment ? » alone at the request question is answered, then the question asked again: the request is the need said next, not the question', async () => {
    const p = persona();
    await p.join();
    await p.say('bon ok on y va. asso sportive, 5 salariés, 33000');
    await p.say('ok');
    await p.say('US Bègles Rugby');
    expect(asRead(await p.say('je sais pas c’est le president qui a ça'))).toContain('qu’est-ce qui vous amène');
    const answer = asRead(await p.say('c’est gratuit vraiment ?'));
    expect(answer).toContain('gratuit pour votre structure');
    expect(answer).toContain('qu’est-ce qui vous amène');
    expect(answer).not.toContain('Voici ce que j’ai noté');
    const recap = asRead(await p.say('on veut pérenniser le poste de notre éducateur sportif'));
    expect(recap).toContain('Votre demande : on veut pérenniser le poste de notre éducateur sportif');
  });

  it('a company whose ESUS application is said with its legal form (« SAS, on a fait la demande d’agrément ESUS en mars ») is not asked about the approval again: « demande en cours »', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'ReCycl’Up', 'je l’ai pas sous la main']) await p.say(said);
    const next = asRead(await p.say('SAS, on a fait la demande d’agrément ESUS en mars, toujours pas de réponse'));
    expect(next).not.toContain('l’agrément ESUS');
    expect(next).toContain('salarié·es');
    await p.say('6');
    await p.say('33130');
    const recap = asRead(await p.say('on veut structurer notre modèle éco'));
    expect(recap).toContain('demande en cours');
    expect((await dossierOf(p))!.answers.esus).toMatchObject({ pending: true });
  });

  it('« je suis directrice de l’association Les Petits Débrouillards Bordeaux, … siret … » in a first message gives the name: not asked again', async () => {
    const p = persona();
    await p.join();
    const answer = asRead(await p.say('Bonjour, je suis directrice de l’association Les Petits Débrouillards Bordeaux, on a 6 salariés, siret 443 061 841 00047'));
    expect(answer).toContain('Les Petits Débrouillards Bordeaux');
    const next = asRead(await p.say('J’accepte'));
    expect(next).not.toContain('nom de votre structure');
    expect((await dossierOf(p))!.answers.name).toBe('Les Petits Débrouillards Bordeaux');
  });

  it('« je vous l’ai dit, les petits debrouillards bordeaux » at the name question keeps the name only', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'je vous l’ai dit, les petits debrouillards bordeaux']) await p.say(said);
    expect((await dossierOf(p))!.answers.name).toBe('les petits debrouillards bordeaux');
  });

  it('at the staff question, « 4 je l’ai deja dit » reads 4; a need typed there, even at the third try, is the request, not the staff', async () => {
    const start = async () => {
      const p = persona();
      await p.join();
      for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Petits Débrouillards', 'je ne sais pas', 'association']) await p.say(said);
      return p;
    };
    const p = await start();
    expect(asRead(await p.say('4 je l’ai deja dit'))).toContain('code postal');
    expect((await dossierOf(p))!.answers.employees).toMatchObject({ etp: 4 });

    const q = await start();
    // « 33000 » there is the postal code (round 13: noted, and the staff asked again).
    expect(asRead(await q.say('33000'))).toContain('code postal du siège : 33000');
    for (const said of ['bof', 'ben bof']) await q.say(said);
    // The need typed there is the request (round 13): said, and the staff asked again — « je ne sais pas » then answers it.
    const need = asRead(await q.say('on veut structurer notre modèle éco'));
    expect(need).toContain('Je note votre demande');
    expect(need).toContain('salarié·es');
    const recap = asRead(await q.say('je ne sais pas'));
    expect(recap).toContain('Salarié·es (à préciser) : je ne sais pas');
    expect(recap).toContain('Votre demande : on veut structurer notre modèle éco');
  });

  it('« SAS, …, pas d’agrément ESUS » in a first message answers the ESUS question: not asked', async () => {
    const p = persona();
    await p.join();
    await p.say('ReCycl’Up, SAS, 6 salariés, pas d’agrément ESUS, 33130');
    const said = [await p.say('J’accepte'), await p.say('je ne sais pas')].map(asRead).join('\n');
    expect(said).not.toContain('l’agrément ESUS');
    expect(said).toContain('qu’est-ce qui vous amène');
    expect((await dossierOf(p))!.answers.esus).toMatchObject({ approved: false });
  });

  it('an English first message that introduces the structure (« an association with 3 employees ») gets the one-time offer to type « English »', async () => {
    const p = persona();
    await p.join();
    const first = await p.say('Hi, we are Green Hands, an association with 3 employees in Bordeaux 33000, SIRET 443 061 841 00047, we need help with our funding');
    expect(first).toContain('Writing in English? Type “English” to continue in English.');
    expect(asRead(first)).toContain('Acceptez-vous');
  });

  it('« on est à 33000 » typed at the consent question is kept, like the answers of a first message: the postal code is not asked', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    const noted = asRead(await p.say('on est à 33000'));
    expect(noted).toContain('Je note');
    expect(noted).toContain('33000');
    expect(noted).toContain('Acceptez-vous');
    await p.say('J’accepte');
    const said: string[] = [];
    for (const answer of ['Les Petits Débrouillards', 'je ne sais pas', 'association', '4']) said.push(asRead(await p.say(answer)));
    expect(said.join('\n')).not.toContain('code postal');
    expect((await dossierOf(p))!.answers.location).toMatchObject({ postalCode: '33000', departement: '33' });
  });

  it('a need typed at the consent question (« on a des soucis de trésorerie… ») is noted as the request, like the postal code: not asked again', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    const noted = asRead(await p.say('on a des soucis de trésorerie et on voudrait mieux structurer notre gouvernance'));
    expect(noted).toContain('Votre demande : on a des soucis de trésorerie et on voudrait mieux structurer notre gouvernance');
    expect(noted).toContain('Acceptez-vous');
    await p.say('J’accepte');
    const said: string[] = [];
    for (const answer of ['Les Petits Débrouillards', 'je ne sais pas', 'association', '4']) said.push(asRead(await p.say(answer)));
    const recap = asRead(await p.say('33000'));
    expect(said.join('\n')).not.toContain('qu’est-ce qui vous amène');
    expect(recap).toContain('Votre demande : on a des soucis de trésorerie');
    expect((await dossierOf(p))!.answers.request).toBe('on a des soucis de trésorerie et on voudrait mieux structurer notre gouvernance');
  });

  it('a difficulty told at the consent question (« on galère avec la trésorerie ») is noted as the request too', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    const noted = asRead(await p.say('on galère avec la trésorerie'));
    expect(noted).toContain('Votre demande : on galère avec la trésorerie');
    expect(noted).toContain('Acceptez-vous');
  });

  it('« Association Les Jardins de Cocagne » alone as a first message starts the check with that name and form, not « Je n’ai pas compris »', async () => {
    const p = persona();
    await p.join();
    const answer = asRead(await p.say('Association Les Jardins de Cocagne'));
    expect(answer).not.toContain('pas compris');
    expect(answer).toContain('Structure : Association Les Jardins de Cocagne');
    expect(answer).toContain('Acceptez-vous');
    await p.say('J’accepte');
    expect((await dossierOf(p))!.answers).toMatchObject({ name: 'Association Les Jardins de Cocagne', legalForm: { result: { form: 'association' } } });
  });

  it('« 12 salariés en insertion + 3 permanents » is recapped as 15 people with the ETP not given, not « 15 ETP »', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins de Cocagne', '443 061 841 00047', 'chantier d’insertion', '12 salariés en insertion + 3 permanents', '33000']) await p.say(said);
    const recap = asRead(await p.say('consolider nos postes d’encadrant·es'));
    expect(recap).toContain('Salarié·es : 15 personnes, dont des salarié·es en insertion (ETP non précisé)');
    expect(recap).not.toContain('15 ETP');
    expect((await dossierOf(p))!.answers.employees).toMatchObject({ etp: 15, headCount: true });
    expect(asRead(await p.say('oui'))).toContain('votre structure peut être accompagnée par le DLA'); // an employer
  });

  it('« faut y passer combien de temps nous ? » at the menu is answered with the leaders’ time, not the programme’s length', async () => {
    const p = persona();
    await p.join();
    const answer = asRead(await p.say('faut y passer combien de temps nous ?'));
    expect(answer).toContain('dirigeant·es');
    expect(answer).not.toContain('2 mois à 2 ans');
  });
});
