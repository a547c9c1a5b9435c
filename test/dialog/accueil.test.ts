import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

describe('accueil: consent, first-contact questions, eligibility and what comes next', () => {
  const fx = useAssistant('accueil', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33', OPERATOR_CONTACT: 'dla@gironde.example', CONTACT_DELAY_WORKING_DAYS: '4' });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  /** An association to be confirmed, its outcome told and its contact Alex, 06 12 34 56 78 given. */
  const SUBMITTED_WITH_CONTACT = ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins Partagés', 'W332001234', 'association loi 1901',
    'aucun salarié mais nous voulons embaucher notre premier salarié', '33130', 'Créer un premier poste de coordinateur', 'C’est correct', 'Alex, 06 12 34 56 78'];

  it('an employer association in the territory: eligible, with reasons, then a contact, and the dossier is stored', async () => {
    const p = persona();
    await p.join();
    const consent = await p.say('Vérifier si ma structure peut être accompagnée');
    expect(consent).toContain('Combien de temps');
    expect(consent).toContain('36 mois');
    expect(consent).toContain('Acceptez-vous');
    expect(await p.say('J’accepte')).toContain('Quel est le nom de votre structure ?');
    expect(await p.say('Les Amis du Quartier')).toContain('SIRET');
    expect(await p.say('notre siret : 732 829 320 00074')).toContain('forme juridique');
    expect(await p.say('on est une asso loi 1901')).toContain('salarié·es');
    expect(await p.say('deux salariés et demi')).toContain('code postal');
    expect(await p.say('33000')).toContain('qu’est-ce qui vous amène');
    const recap = await p.say('Nous voulons consolider nos emplois après la fin d’une subvention');
    expect(recap).toContain('Structure : Les Amis du Quartier');
    expect(recap).toContain('Salarié·es : 2,5 ETP');
    expect(recap).toContain('Siège : 33000 (Gironde, 33)');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('peut être accompagnée par le DLA');
    expect(outcome.match(/La suite/g)).toBeNull(); // said once, with the delay, after the contact
    expect(outcome).toContain('Pourquoi :');
    expect(outcome).toContain('votre nom, et votre e-mail ou votre téléphone');
    const next = await p.say('Camille Martin, camille@amis-quartier.fr');
    expect(next).toContain('Dès que vous en aurez confirmé le résumé, un·e chargé·e d’accompagnement du DLA de la Gironde vous recontactera sous 4 jours ouvrés');

    const dossier = await dossierOf(p);
    expect(dossier).toMatchObject({
      phase: 'accueil', status: 'submitted', siret: '73282932000074', departement: '33',
      decision: { outcome: 'eligible', rulesVersion: expect.any(String) },
      answers: { name: 'Les Amis du Quartier', contact: { name: 'Camille Martin', email: 'camille@amis-quartier.fr' } },
    });
    expect(dossier!.decision!.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['legal_form_in_scope', 'employer', 'territory_in_area']));
    expect(dossier!.consent.given).toBe(true);
  });

  it('a postal code given with the staff is kept, said, and not asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Groupement Solidaire', 'je ne sais pas', 'association']) await p.say(text);
    const next = asRead(await p.say('4,5 etp et on est a bordeaux 33000'));
    expect(next).toContain('Je note aussi le code postal du siège : 33000');
    expect(next).toContain('qu’est-ce qui vous amène');
    expect(next).not.toContain('Quel est le code postal');
    expect(asRead(await p.say('Diversifier nos financements'))).toContain('Siège : 33000 (Gironde, 33)');
  });

  it('a name given alone at the contact question is kept with the e-mail given next', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins de Garonne', '443 061 841 00047', 'chantier d’insertion', '17', '33800']) await p.say(text);
    await p.say('Développer la vente de nos légumes pour garder nos postes en insertion');
    expect(await p.say('parfait')).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(asRead(await p.say('Karim Benali'))).toContain('Merci, Karim Benali. Et votre e-mail ou votre téléphone');
    expect(asRead(await p.say('karim.benali@jardins-garonne.org'))).toContain('Pour vous joindre : Karim Benali, karim.benali@jardins-garonne.org.');
    expect(await dossierOf(p)).toMatchObject({ answers: { contact: { name: 'Karim Benali', email: 'karim.benali@jardins-garonne.org' } } });
  });

  it('staff counted, then detailed by working time, are counted once: « 3 salariés : 2 à temps plein et 1 à mi-temps » is 2,5 ETP', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Petits Débrouillards du Médoc', 'je ne sais pas', 'association']) await p.say(text);
    await p.say('2 salariees, une a temps plein et une a mi temps + un contrat aidé a mi temps');
    await p.say('33340');
    expect(asRead(await p.say('Garder notre poste d’animatrice après la fin d’une subvention'))).toContain('Salarié·es : 2 ETP');
    await p.say('corriger les salariés');
    expect(asRead(await p.say('3 salariés : 2 à temps plein et 1 à mi-temps'))).toContain('Salarié·es : 2,5 ETP');
    expect(await dossierOf(p)).toMatchObject({ answers: { employees: { etp: 2.5 } } });
  });

  it.each([
    ['14 salariés en insertion (CDDI 26h) et 3 permanents', '13,4'], // 14 × 26/35 + 3
    ['3 salariés à 24h/semaine', '2,06'],
    ['4 salariés, 2 à mi-temps', '3'], // 4 people, 2 of them half-time
  ])('QA: « %s » is read as %s ETP, shown at the recap to be corrected', async (staff, etp) => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Chantier du Fleuve', 'je ne sais pas', 'association']) await p.say(text);
    expect(await p.say(staff)).toContain('code postal');
    await p.say('33000');
    expect(asRead(await p.say('Consolider nos emplois'))).toContain(`Salarié·es : ${etp} ETP`);
  });

  it('a name too long is told its limit; a SIRET typed with the name is taken as the SIRET answer, said, and not asked again; the contact is read back without its role', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    // A whole description pasted as the name: told it is too long, and the limit.
    expect(asRead(await p.say('Nous sommes une association de jardins partagés '.repeat(70)))).toContain('Ce nom est trop long : 200 caractères au plus');
    const next = asRead(await p.say('Association Les Jardins Partagés de la Croix-Rousse, siret 443 061 841 00047'));
    expect(next).toContain('Je note aussi son numéro : SIRET 443 061 841 00047');
    expect(next).toContain('forme juridique');
    expect(next).not.toContain('Quel est le numéro SIRET');
    for (const text of ['association', '3 salariés', '33000']) await p.say(text);
    const recap = asRead(await p.say('Structurer notre projet associatif'));
    expect(recap).toContain('Structure : Association Les Jardins Partagés de la Croix-Rousse');
    expect(recap).toContain('SIRET / RNA : 443 061 841 00047');
    expect(await dossierOf(p)).toMatchObject({ siret: '44306184100047', answers: { identifiers: { siret: '44306184100047' } } });
    // The contact read back is the person, without the role typed with the name.
    expect(await p.say('C’est correct')).toContain('votre nom, et votre e-mail');
    expect(asRead(await p.say('Mireille Dubois presidente mireille@jardins-croix-rousse.fr'))).toContain('Pour vous joindre : Mireille Dubois, mireille@jardins-croix-rousse.fr.');
  });

  it.each([
    ['oui daccord', 'Quel est le nom de votre structure ?'],
    ['Oui, ça me va', 'Quel est le nom de votre structure ?'],
    ['non je préfère pas', 'je ne conserve rien sur vous'],
    ['oui mais je veux savoir qui voit mes réponses', 'Seule l’équipe du DLA de la Gironde le voit'],
    // A question about what is kept: the notice again (what, why, how long, who), then the choice.
    ['euh c’est quoi exactement que vous gardez', 'Combien de temps'],
  ])('consent in everyday words: « %s »', async (answer, expected) => {
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR');
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    expect(asRead(await p.say(answer))).toContain(expected);
  });

  it('how long answers are kept, and who sees them, asked at the consent question: answered, then consent asked again — never a misunderstanding', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    for (const question of ['combien de temps ?', 'vous gardez ça combien de temps', 'Vous les conservez combien de temps ?']) {
      const said = asRead(await p.say(question));
      expect(said).toContain('Ce que vous me confiez est conservé 36 mois au plus, puis effacé automatiquement.');
      expect(said).toContain('Acceptez-vous que ces informations soient conservées ?');
      expect(said).not.toContain('Répondez');
      expect(said).not.toContain('je passe la main'); // three in a row are not three misunderstandings
    }
    const who = asRead(await p.say('qui voit mes données ?'));
    expect(who).toContain('Seule l’équipe du DLA de la Gironde le voit');
    expect(who).not.toContain('36 mois');
    expect(who).toContain('Acceptez-vous que ces informations soient conservées ?');
    expect(await p.say('J’accepte')).toContain('Quel est le nom de votre structure ?');

    const en = new Persona(() => fx.app, fx.connector, 'en-US');
    await en.join();
    await en.say('Check whether my organisation can get support');
    const said = asRead(await en.say('how long do you keep it'));
    expect(said).toContain('What you tell me is kept 36 months at most');
    expect(said).toContain('Do you agree that this information is kept?');
    // At a request for a chargé·e made before any dossier, the same.
    const h = persona();
    await h.join();
    await h.say('parler à un chargé');
    const asked = asRead(await h.say('c’est gardé jusqu’à quand ?'));
    expect(asked).toContain('36 mois au plus');
    expect(asked).toContain('Acceptez-vous que ces informations soient conservées ?');
  });

  it('re-asks with the reason on invalid answers, accepts "je ne sais pas", and never stays silent', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    await p.say('oui');
    await p.say('Collectif Bien Vivre');
    const badSiret = await p.say('73282932000075');
    expect(badSiret).toContain('ne semble pas valide');
    expect(badSiret).toContain('SIRET');
    expect(await p.say('je ne sais pas')).toContain('forme juridique');
    expect(await p.say('blablabla')).toContain('Je n’ai pas reconnu cette forme juridique');
    expect(await p.say('truc machin')).toContain('Je n’ai pas reconnu cette forme juridique');
    expect(await p.say('truc machin')).toContain('salarié·es'); // free text accepted after two retries
    expect(await p.say('beaucoup')).toContain('Je n’ai pas compris le nombre');
    expect(await p.say('3,5')).toContain('code postal');
    const short = await p.say('3300');
    expect(short).toContain('trop court');
    expect(short).toContain('répondez « je ne sais pas »');
    expect(await p.say('33 800')).toContain('qu’est-ce qui vous amène');
    expect(await p.say('aide')).toContain('Je peux vous présenter le DLA'); // help, then the same question again
    const recap = await p.say('Trouver des financements pour nos postes');
    expect(recap).toContain('Forme juridique (à préciser) : truc machin');
    expect(recap).toContain('SIRET / RNA (à préciser) : 73282932000075'); // the number tried, for the chargé·e
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('forme juridique');
  });

  it('a structure without employees but with a hiring plan is to be confirmed (primo-employeuse)', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins Partagés', 'W332001234', 'association loi 1901',
      'aucun salarié mais nous voulons embaucher notre premier salarié', '33130']) await p.say(text);
    await p.say('Créer un premier poste de coordinateur');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('prépare une première embauche');
    await p.say('Alex, 06 12 34 56 78');
    const dossier = await dossierOf(p);
    expect(dossier?.decision?.outcome).toBe('to_confirm');
    expect(dossier?.answers.contact?.phone).toBe('06 12 34 56 78');
    // Checked again and corrected while the request waits: still one request for the chargé·es.
    await p.say('Vérifier si ma structure peut être accompagnée');
    await p.say('Corriger mes réponses');
    await p.say('Corriger une réponse');
    await p.say('La demande');
    await p.say('Créer un premier poste de coordinateur à mi-temps');
    expect(await p.say('C’est correct')).toContain('quelques points restent à vérifier');
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier!._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.urgency])).toEqual([['eligibility_to_confirm', 'normal']]);
  });

  it('a structure whose first message says its jobs are threatened is called first: its request to confirm is urgent', async () => {
    const p = persona();
    await p.join();
    const noted = await p.say("Bonjour, je suis la présidente de l'association Les P'tits Loups (crèche parentale, 8 salariées, Libourne 33500). "
      + 'Nous avons perdu une subvention de la CAF et nous devons revoir notre modèle économique rapidement sinon nous devrons licencier. Cordialement, Claire Dubois');
    expect(noted).toContain("Structure : Les P'tits Loups\n");
    for (const text of ['J’accepte', 'je ne l’ai pas sous la main']) await p.say(text);
    expect(await p.say('C’est correct')).toContain('quelques points restent à vérifier');
    await p.say('Claire Dubois 06 71 23 45 67');
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.urgency])).toEqual([['eligibility_to_confirm', 'high']]);
  });

  it('an RNA number answered at the SIRET question says the legal form: « association » noted, not asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Canal']) await p.say(text);
    const next = asRead(await p.say('W332001234'));
    expect(next).toContain('Je note aussi sa forme juridique : association');
    expect(next).toContain('Combien de salarié·es');
    expect(next).not.toContain('Quelle est la forme juridique');
  });

  it('a SIRET found at the contact question (« attendez j’ai retrouvé le siret … ») is kept on the dossier for the chargé·e, and the contact asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Marais', 'je ne sais pas', 'association', '3 salariés', '33000', 'Revoir notre modèle économique']) await p.say(text);
    expect(await p.say('C’est correct')).toContain('votre nom, et votre e-mail ou votre téléphone ?');
    const noted = asRead(await p.say('attendez j’ai retrouvé le siret 443 061 841 00047'));
    expect(noted).toContain('je note le numéro de votre structure : SIRET 443 061 841 00047');
    expect(noted).toContain('votre nom, et votre e-mail ou votre téléphone ?');
    expect(noted).not.toContain('Je n’ai trouvé ni');
    expect((await dossierOf(p))?.siret).toBe('44306184100047');
    expect(await p.say('Lou Martin, lou@ateliers.example')).toContain('votre demande est transmise');
    expect((await dossierOf(p))?.answers.contact).toMatchObject({ name: 'Lou Martin', email: 'lou@ateliers.example' });
  });

  it('at « quelle réponse corriger ? », « le siret 443 061 841 00047 » is the new SIRET: read back in the recap, on the dossier, not asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Fleuve', 'je ne sais pas', 'association', '3 salariés', '33000', 'Revoir notre modèle économique']) await p.say(text);
    await p.say('Corriger une réponse');
    const recap = asRead(await p.say('le siret 443 061 841 00047'));
    expect(recap).toContain('SIRET / RNA : 443 061 841 00047');
    expect(recap).toContain('Est-ce correct ?');
    expect(recap).not.toContain('Quel est le numéro SIRET');
    expect((await dossierOf(p))?.siret).toBe('44306184100047');
  });

  it('QA: at the review, the contact held is shown and can be corrected (« Les coordonnées »): asked with the current one, read back, the recap again; the request waiting gets it', async () => {
    const p = persona();
    await p.join();
    for (const text of SUBMITTED_WITH_CONTACT) await p.say(text);
    await p.say('Vérifier si ma structure peut être accompagnée');
    const recap = asRead(await p.say('Corriger mes réponses'));
    expect(recap).toContain('Pour vous joindre : Alex, 06 12 34 56 78');
    await p.say('Corriger une réponse');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toContain('Les coordonnées');
    expect(asRead(await p.say('Les coordonnées'))).toContain('Vos coordonnées actuelles : Alex, 06 12 34 56 78.');
    const noted = asRead(await p.say('06 11 22 33 55'));
    expect(noted).toContain('C’est corrigé : vos coordonnées sont maintenant Alex, 06 11 22 33 55.');
    expect(noted).toContain('Pour vous joindre : Alex, 06 11 22 33 55');
    expect(noted).toContain('Est-ce correct ?');
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toEqual({ name: 'Alex', phone: '06 11 22 33 55' });
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.contact?.phone])).toEqual([['eligibility_to_confirm', '06 11 22 33 55']]);
    expect(await p.say('C’est correct')).toContain('quelques points restent à vérifier');
  });

  it.each([
    ['fr', 'mes coordonnées', 'Vos coordonnées actuelles : Alex, 06 12 34 56 78.'],
    ['en', 'my contact details', 'Your current contact details: Alex, 06 12 34 56 78.'],
  ])('at the review\'s list of answers to correct (%s), « %s » starts the contact correction', async (language, said, current) => {
    const p = persona();
    await p.join();
    for (const text of SUBMITTED_WITH_CONTACT) await p.say(text);
    if (language === 'en') await p.say('English');
    await p.say(language === 'en' ? 'Check whether my organisation can get support' : 'Vérifier si ma structure peut être accompagnée');
    await p.say(language === 'en' ? 'Correct my answers' : 'Corriger mes réponses');
    await p.say(language === 'en' ? 'Correct an answer' : 'Corriger une réponse');
    expect(asRead(await p.say(said))).toContain(current);
    // Corrected, the recap comes back with it (not the list again).
    const recap = asRead(await p.say('06 11 22 33 55'));
    expect(recap).toContain(language === 'en' ? 'To reach you: Alex, 06 11 22 33 55' : 'Pour vous joindre : Alex, 06 11 22 33 55');
    expect(recap).toContain(language === 'en' ? 'Is this correct?' : 'Est-ce correct ?');
  });

  it('at the review\'s list of answers to correct, a new number typed (« nouveau tel : 06… ») corrects the contact at once, then the recap', async () => {
    const p = persona();
    await p.join();
    for (const text of [...SUBMITTED_WITH_CONTACT, 'Vérifier si ma structure peut être accompagnée', 'Corriger mes réponses', 'Corriger une réponse']) await p.say(text);
    const recap = asRead(await p.say('nouveau tel : 06 11 22 33 55'));
    expect(recap).toContain('C’est corrigé : vos coordonnées sont maintenant Alex, 06 11 22 33 55.');
    expect(recap).toContain('Pour vous joindre : Alex, 06 11 22 33 55');
    expect(recap).toContain('Est-ce correct ?');
  });

  it('contact details typed at the recap’s « Est-ce correct ? » are read back, kept once confirmed, then the recap again with them — not « Répondez … » and lost', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quai', 'je ne sais pas', 'association', '2', '33000', 'Revoir notre modèle économique']) await p.say(text);
    const asked = asRead(await p.say('Anne Roy anne@amisduquai.fr'));
    expect(asked).not.toContain('Répondez');
    expect(asked).toContain('Vous m’avez donné des coordonnées : je les note pour qu’un·e chargé·e d’accompagnement puisse vous recontacter ? Ce serait Anne Roy, anne@amisduquai.fr.');
    const recap = asRead(await p.say('oui'));
    expect(recap).toContain('Pour vous joindre : Anne Roy, anne@amisduquai.fr');
    expect(recap).toContain('Est-ce correct ?');
    expect((await dossierOf(p))?.answers.contact).toMatchObject({ name: 'Anne Roy', email: 'anne@amisduquai.fr' });
    // The outcome does not ask the contact again.
    expect(asRead(await p.say('C’est correct'))).not.toMatch(/votre nom, et votre e-mail ou votre téléphone/);
  });

  it('a first message with a postal code of another département names its own DLA at once, before consent and the questions', async () => {
    const p = persona();
    await p.join();
    const said = asRead(await p.say('Bonjour, association Les Amis de la Bastille, 4 salariés, 75011 Paris, on veut revoir notre modèle économique'));
    expect(said).toContain('votre siège est dans le 75 (Paris), hors du territoire du DLA de la Gironde');
    expect(said).toContain('https://www.info-dla.fr');
    expect(said.indexOf('hors du territoire')).toBeLessThan(said.indexOf('Acceptez-vous'));
    // From the operator's own territory: nothing of the kind.
    const local = persona();
    await local.join();
    expect(asRead(await local.say('Bonjour, association Les Amis du Port, 4 salariés, 33000, on veut revoir notre modèle économique'))).not.toContain('hors du territoire');
  });

  it('an eligible association from another département is told its own DLA covers it (named), with the national directory', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Théâtre du Faubourg', '732 829 320 00074', 'association', '3', '69003']) await p.say(text);
    await p.say('Revoir notre modèle économique');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('c’est un autre DLA qui peut accompagner votre structure');
    expect(outcome).toContain('Rhône (69)');
    expect(outcome).toContain('info-dla.fr');
    expect(outcome).not.toContain('ne correspond pas à ce que fait le DLA');
    const card = p.last(3).find((a) => a.attachments?.length)?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const content = JSON.stringify(card?.content);
    expect(content).toContain('Annuaire national des DLA');
    expect(content).toContain('https://www.info-dla.fr');
    // Each resource has its own button, short enough not to be cut.
    expect(asRead(content)).toContain('"title":"Voir le site : Annuaire national des DLA"');
    // « Voici qui peut vous aider » is said once, by the message: not again as the card's title.
    expect(outcome).toContain('Voici qui peut vous aider');
    expect(content).not.toContain('Voici qui peut vous aider');
    expect((await dossierOf(p))?.decision?.outcome).toBe('out_of_scope');
  });

  it('a commercial company without ESUS approval, elsewhere: company support with its sites, no DLA directory; a chargé·e asked for passes it on without a promised call back, not urgent', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Boulangerie Martin', '732 829 320 00074', 'SARL', 'Non', '3', '69003',
      'Développer notre chiffre d’affaires']) await p.say(text);
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('une société commerciale sans agrément ESUS');
    expect(outcome).not.toContain('info-dla.fr');
    const content = JSON.stringify(p.last(3).find((a) => a.attachments?.length)?.attachments?.[0].content);
    expect(content).not.toContain('Annuaire national des DLA');
    expect(content).toContain('https://www.franceactive.org');
    expect(content).toContain('https://www.ess-france.org');

    expect(await p.say('je voudrais parler à un conseiller')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const passed = await p.say('Paul Martin, paul@boulangerie-martin.example');
    expect(passed).toContain('je transmets votre demande au DLA de la Gironde');
    expect(passed).toContain('hors de son territoire');
    expect(passed).not.toContain('vous recontacte sous');
    expect(passed).not.toContain('info-dla.fr'); // its own DLA would not take a commercial company either
    const [handoff] = await fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();
    expect(handoff).toMatchObject({ reason: 'user_request', urgency: 'normal' });
  });

  it('an association without employees nor plan is oriented to Guid’Asso and the Maison des associations', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Club de lecture', 'W332009876', 'asso', 'aucun, nous sommes tous bénévoles', '33000']) await p.say(text);
    await p.say('Des conseils pour nos statuts');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('au moins une personne salariée');
    const content = JSON.stringify(p.last(3).find((a) => a.attachments?.length)?.attachments?.[0].content);
    expect(content).toContain('Guid');
    expect(content).toContain('Maisons des associations');
  });

  // Each persona out of scope for what it is reads one reason (never « no employee » on top of
  // « a person » or « a project »), and a card whose every entry opens its network's site.
  it.each([
    ['a person looking for work (« individu »)', ['Jean Dupont', 'je ne sais pas', 'individu', 'aucun', '33000', 'je suis un particulier, je cherche du travail'],
      'pas les personnes à titre individuel', ['Incubateurs de l’ESS', 'Guid’Asso']],
    ['a commercial company without ESUS nor employee', ['Boulangerie Martin', '732 829 320 00074', 'SARL', 'Non', 'aucun', '33000', 'Développer notre chiffre d’affaires'],
      'une société commerciale sans agrément ESUS', ['France Active', 'CRESS']],
    ['a project at creation stage, no employee yet', ['Tiers-lieu des Chartrons', 'pas encore, nous sommes en cours de création', 'association', 'aucun', '33000', 'Ouvrir un tiers-lieu'],
      'Le DLA accompagne des structures déjà créées', ['Incubateurs de l’ESS', 'France Active', 'CRESS']],
    ['an association with no employee and no plan', ['Club de lecture', 'W332009876', 'association', 'aucun, nous sommes tous bénévoles', '33000', 'Des conseils pour nos statuts'],
      'au moins une personne salariée', ['Guid’Asso', 'Maisons des associations']],
    ['a public body', ['Mairie de Talence', 'je ne sais pas', 'commune', '40', '33400', 'Aider nos associations'],
      'pas les collectivités', ['Annuaire national des DLA']],
  ])('out of scope, %s: one reason, and every resource with its site', async (_who, answers, reason, names) => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', ...answers]) await p.say(text);
    const outcome = asRead(await p.say('C’est correct'));
    expect(outcome).toContain('ne correspond pas à ce que fait le DLA');
    const why = outcome.slice(outcome.indexOf('Pourquoi :'), outcome.indexOf('Voici qui peut vous aider :'));
    expect(why.match(/^- /gm)).toHaveLength(1);
    expect(why).toContain(reason);
    expect(outcome).not.toMatch(/France Travail|BGE|Initiative France|CCI/); // DOMAIN.md: not checked, not named
    const body = (p.last(3).find((a) => a.attachments?.length)?.attachments?.[0].content as { body: { type: string; weight?: string; text?: string; actions?: { url: string }[] }[] }).body;
    // One entry: its name (in bold) up to the next name.
    const entries = body.reduce<(typeof body)[]>((all, block) => (block.weight === 'Bolder' ? [...all, [block]] : (all.at(-1)?.push(block), all)), []);
    expect(entries.map((e) => e[0].text)).toEqual(names.map((n) => expect.stringContaining(n)));
    for (const entry of entries) expect(entry.find((b) => b.type === 'ActionSet')?.actions?.[0].url).toMatch(/^https:\/\/www\.[a-z.-]+\.[a-z]+$/);
  });

  it('the CRESS reads with its French name in both languages, glossed in English (« regional chamber of the social and solidarity economy »)', async () => {
    const cards = async (p: Persona, texts: string[]) => {
      await p.join();
      for (const text of texts) await p.say(text);
      const body = (p.last(3).find((a) => a.attachments?.length)?.attachments?.[0].content as { body: { weight?: string; text?: string; actions?: { title: string }[] }[] }).body;
      return { names: body.filter((b) => b.weight === 'Bolder').map((b) => b.text), buttons: body.flatMap((b) => b.actions ?? []).map((a) => a.title) };
    };
    const company = ['Boulangerie Martin', '732 829 320 00074', 'SARL'];
    const en = await cards(new Persona(() => fx.app, fx.connector, 'en-US'),
      ['Check whether my organisation can get support', 'I agree', ...company, 'No', 'none', '33000', 'Grow our turnover', 'That’s correct']);
    expect(en.names).toContain('CRESS — chambre régionale de l’économie sociale et solidaire (regional chamber of the social and solidarity economy)');
    expect(en.buttons.some((b) => b.includes('CRESS') && !b.includes('regional'))).toBe(true);
    const fr = await cards(persona(), ['Vérifier si ma structure peut être accompagnée', 'J’accepte', ...company, 'Non', 'aucun', '33000', 'Développer notre chiffre d’affaires', 'C’est correct']);
    expect(fr.names).toContain('CRESS — chambre régionale de l’économie sociale et solidaire');
  });

  it('checking again after a chargé·e decided otherwise than the rules tells the chargé·e’s decision, and orients only when it is out of scope', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Chorale du Phare', 'W332009878', 'association', 'aucun salarié', '33000',
      'Trouver des financements', 'C’est correct']) await p.say(text);
    const dossier = (await dossierOf(p))!;
    expect(dossier.decision?.outcome).toBe('out_of_scope');
    // The chargé·e called the structure and found it does employ someone (back-office decision).
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: { chargeDecision: {
      outcome: 'eligible', by: 'Sophie Bernard', byEmail: 'sophie.bernard@dla33.example', at: new Date('2026-03-10T09:00:00Z'),
    } } });
    await p.say('recommencer');
    const again = await p.say('Vérifier si ma structure peut être accompagnée');
    expect(again).toContain('Sophie Bernard a confirmé que le DLA peut accompagner votre structure');
    expect(again).not.toContain('Guid’Asso'); // no orientation away from the DLA
    expect(p.last(4).some((a) => a.attachments?.length)).toBe(false);

    await p.say('Non merci');
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: dossier._id as never }, { $set: { 'chargeDecision.outcome': 'out_of_scope' } });
    const refused = await p.say('Vérifier si ma structure peut être accompagnée');
    expect(refused).toContain('Sophie Bernard a conclu que votre demande ne relève pas du DLA');
    expect(JSON.stringify(p.last(4).find((a) => a.attachments?.length)?.attachments?.[0].content)).toContain('Guid');
  });

  it('a leader who changes their mind at the review without naming the answer (« en fait on est une SCIC », « non pardon 24100 »): each new value taken, the recap again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', 'je ne sais pas', 'association', '5 ETP', '33000',
      'Structurer notre modèle économique']) await p.say(text);
    const scic = asRead(await p.say('en fait on est une SCIC'));
    expect(scic).toContain('Forme juridique : coopérative SCIC');
    expect(scic).toContain('Est-ce correct ?');
    const moved = asRead(await p.say('non pardon 24100'));
    expect(moved).toContain('Siège : 24100 (Dordogne, 24)');
    expect(moved).toContain('Est-ce correct ?');
    // At « Quelle réponse voulez-vous corriger ? » too.
    await p.say('Corriger une réponse');
    expect(asRead(await p.say('3 salariés en fait'))).toContain('Salarié·es : 3 ETP');
    expect((await dossierOf(p))?.answers).toMatchObject({ legalForm: { result: { form: 'cooperative' } }, location: { postalCode: '24100' }, employees: { etp: 3 } });
  });

  it('after its outcome, a correction typed at the menu (« attendez en fait on a 2 salariés, je me suis trompé ») is taken, the recap shown, and the new outcome says it changed and why', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Chorale du Quai', 'W332009871', 'association', 'aucun salarié', '33000',
      'Trouver des financements', 'C’est correct']) await p.say(text);
    expect((await dossierOf(p))?.decision?.outcome).toBe('out_of_scope');
    const recap = asRead(await p.say('attendez en fait on a 2 salariés, je me suis trompé'));
    expect(recap).toContain('Je note le changement : « Salarié·es : 0 ETP » devient « Salarié·es : 2 ETP »');
    expect(recap).toContain('Est-ce correct ?');
    const decided = asRead(await p.say('C’est correct'));
    expect(decided).toContain('Avec vos réponses corrigées, le résultat change : avant, « hors du champ du DLA » ; maintenant, « éligible ».');
    expect(decided).toContain('peut être accompagnée par le DLA');
    expect(decided).toContain('emploie au moins une personne salariée'); // why
    expect((await dossierOf(p))?.decision?.outcome).toBe('eligible');
  });

  it('checking again after an out-of-scope outcome restates it truthfully (why, who can help), and corrected answers are decided again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Chorale du Port', 'W332009877', 'association', 'aucun salarié', '33000',
      'Trouver des financements', 'C’est correct']) await p.say(text);
    expect((await dossierOf(p))?.decision?.outcome).toBe('out_of_scope');
    expect(await p.say('recommencer')).toContain('pourrez les corriger');
    const again = await p.say('Vérifier si ma structure peut être accompagnée');
    expect(again).not.toContain('déjà été transmise');
    expect(again).not.toContain('vous recontacte');
    expect(again).toContain('ne correspond pas à ce que fait le DLA');
    expect(again).toContain('au moins une personne salariée'); // why
    expect(again).toContain('Guid’Asso'); // who can help
    expect(again).toContain('Voulez-vous corriger vos réponses ?');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual(['Corriger mes réponses', 'Non merci']);
    const recap = await p.say('oui');
    expect(recap).toContain('Voici ce que j’ai noté');
    expect(recap).toContain('Structure : Chorale du Port');
    await p.say('Corriger une réponse');
    expect(await p.say('Les salarié·es')).toContain('Combien de salarié·es');
    expect(await p.say('2 salariés')).toContain('Est-ce correct ?');
    const decided = await p.say('C’est correct');
    expect(decided).toContain('peut être accompagnée par le DLA');
    expect((await dossierOf(p))?.decision?.outcome).toBe('eligible');
  });

  it('« plus tard » before anything is stored is not told « vos réponses sont enregistrées »; with a dossier it is', async () => {
    const p = persona();
    await p.join();
    const early = await p.say('Plus tard');
    expect(early).toContain('Rien n’est enregistré pour l’instant');
    expect(early).not.toContain('Vos réponses sont enregistrées');
    // Its next message is read as a first one.
    expect(await p.say('Vérifier si ma structure peut être accompagnée')).toContain('Acceptez-vous');
    expect(await p.say('pause')).toContain('Rien n’est enregistré'); // at the consent question: nothing kept yet
    await p.say('Vérifier si ma structure peut être accompagnée');
    for (const text of ['J’accepte', 'Atelier du Quai']) await p.say(text);
    expect(await p.say('pause')).toContain('Vos réponses sont enregistrées');
  });

  it('declining consent: questions about the structure only, one coherent outcome (no call back promised, the operator’s contact), nothing stored', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    const declined = await p.say('non merci');
    expect(declined).toContain('je ne conserve rien');
    expect(declined).toContain('numéro SIRET'); // the structure's registration number is no personal data: asked
    expect(await p.say('je ne sais pas')).toContain('forme juridique');
    expect(await p.say('association')).toContain('salarié·es');
    expect(await p.say('3')).toContain('code postal');
    const outcome = await p.say('33000');
    expect(outcome).not.toContain('Quel est le nom');
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('je ne transmets pas votre demande');
    expect(outcome).toContain('contactez le DLA de la Gironde : dla@gironde.example');
    expect(outcome).toContain('écrivez « j’accepte »'); // how to change one's mind
    // Never « we pass your request on » then « I cannot pass it on »
    expect(outcome).not.toContain('nous transmettons votre demande');
    expect(outcome).not.toContain('vous recontacte');
    // Said once: the outcome, its reasons and how to reach the operator in one message.
    const told = p.last(4).map((a) => a.text ?? '').filter((m) => m.includes('dla@gironde.example'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Pourquoi');
    expect(await dossierOf(p)).toBeUndefined();
    // Nor a transcript: what it held of the conversation went with the refusal, and nothing since.
    expect(await fx.db.connection.db!.collection('transcript_activities').countDocuments({ conversationId: p.channel.conversationId })).toBe(0);
  });

  it('consent declined, then given at a request for a chargé·e in the middle of the questions: the answers given meanwhile go with the request, and the questions go on with them', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', '732 829 320 00074', 'association', '3']) await p.say(text);
    expect(await p.say('parler à un·e chargé·e')).toContain('Acceptez-vous');
    await p.say('j’accepte');
    const handedOver = asRead(await p.say('Anne Roy 06 11 22 33 55'));
    expect(handedOver).toContain('je transmets votre demande');
    expect((await dossierOf(p))!.answers).toMatchObject({ identifiers: { siret: '73282932000074' }, legalForm: { result: { form: 'association' } }, employees: { etp: 3 } });
    // The questions go on, with consent now: the name (asked only with it), then the postal code.
    expect(handedOver).toContain('Quel est le nom de votre structure ?');
    expect(await p.say('Les Amis du Quartier')).toContain('code postal');
    expect(await p.say('33000')).toContain('qu’est-ce qui vous amène');
  });

  it('consent declined, the outcome told, then « j’accepte » as it invites: the answers given are kept, only the others asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', '732 829 320 00074', 'association', '3']) await p.say(text);
    expect(await p.say('33000')).toContain('écrivez « j’accepte »');
    const given = asRead(await p.say('j’accepte'));
    expect(given).toContain('celles que vous venez de me donner comprises');
    expect(given).toContain('Quel est le nom de votre structure ?');
    expect(await p.say('Les Amis du Quartier')).toContain('qu’est-ce qui vous amène');
    expect((await dossierOf(p))!.answers).toMatchObject({ identifiers: { siret: '73282932000074' }, employees: { etp: 3 }, location: { postalCode: '33000' } });
  });

  it('consent declined, then given in the person’s words at a question: recorded, the answers given meanwhile kept, the questions go on', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', '732 829 320 00074']) await p.say(text);
    const given = await p.say('ok j’accepte');
    expect(given).toContain('je conserve désormais vos réponses (36 mois au plus), celles que vous venez de me donner comprises');
    expect(given).toContain('Quel est le nom de votre structure ?');
    expect(given).not.toContain('pas compris');
    expect(await p.say('Les Amis du Quartier')).toContain('forme juridique'); // the SIRET is not asked again
    expect(await p.say('recommencer')).toContain('Les réponses déjà données sont gardées'); // true now
    const dossier = await dossierOf(p);
    expect(dossier).toMatchObject({ consent: { given: true }, siret: '73282932000074', answers: { name: 'Les Amis du Quartier' } });
    // Kept from then on: the transcript holds what follows.
    const kept = await fx.db.connection.db!.collection('transcript_activities').find({ conversationId: p.channel.conversationId }).toArray();
    expect(kept.map((d) => JSON.parse(d.activity as string).text)).toContain('Les Amis du Quartier');
  });

  it('consent declined, the outcome given: « c’est bon j’accepte … » at the menu starts the accueil with consent; « recommencer » does not pretend answers were kept', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'non merci', 'je ne sais pas', 'association', '3']) await p.say(text);
    const outcome = await p.say('33000');
    expect(outcome).toContain('écrivez « j’accepte »');
    expect(outcome).not.toContain('« recommencer »');
    const restarted = await p.say('recommencer');
    expect(restarted).toContain('aucune n’a été gardée');
    expect(restarted).not.toContain('sont gardées');
    const given = await p.say('en fait on a un projet d’embauche … et c’est bon j’accepte que vous gardiez mes infos');
    expect(given).toContain('je conserve désormais vos réponses');
    expect(given).toContain('Quel est le nom de votre structure ?');
    expect((await dossierOf(p))?.consent.given).toBe(true);
  });

  it.each(['ok pour la conservation', 'I agree'])('a chargé·e asked for, consent declined, then « %s » at the menu: consent given, the request for a chargé·e goes on', async (text) => {
    const p = persona();
    await p.join();
    await p.say('parler à un·e chargé·e');
    expect(await p.say('Je refuse')).toContain('Que souhaitez-vous faire ?');
    const given = await p.say(text);
    expect(given).toContain('je conserve désormais notre échange et ce que vous me direz pour votre demande');
    expect(given).toContain('c’est à quel sujet ?');
    expect((await dossierOf(p))?.consent.given).toBe(true);
  });

  it('« j’accepte » at the menu of someone who never declined is no consent; « recommencer » there says nothing about answers kept', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('j’accepte')).not.toContain('je conserve désormais');
    expect(await dossierOf(p)).toBeUndefined();
    const restarted = await p.say('recommencer');
    expect(restarted).toContain('retour au menu');
    expect(restarted).not.toContain('sont gardées');
  });

  it('declining consent with a valid SIRET: eligible, without promising a diagnostic or a call back', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'Je refuse', '732 829 320 00074', 'association', '3']) await p.say(text);
    const outcome = await p.say('33000');
    expect(outcome).toContain('peut être accompagnée par le DLA');
    expect(outcome).toContain('bien déclarée');
    expect(outcome).not.toContain('nous préparons ensemble');
    expect(outcome).toContain('dla@gironde.example');
    expect(await dossierOf(p)).toBeUndefined();
  });

  it('never loops: « pas encore » at the SIRET, « loi 1901 » is no head count, « je ne sais pas » offered at the postal code, an unreadable answer kept after two retries', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Médoc']) await p.say(text);
    expect(await p.say('pas encore')).toContain('forme juridique'); // the bot's own suggestion
    expect(await p.say('association')).toContain('salarié·es');
    const law = await p.say('on est une asso loi 1901');
    expect(law).toContain('Je n’ai pas compris le nombre de salarié·es');
    expect(await p.say('2')).toContain('code postal');
    // A town that names no département (Paris is one: 75).
    const town = await p.say('Lyon');
    expect(town).toContain('répondez « je ne sais pas »');
    expect(town).toContain('code postal a 5 chiffres');
    expect(await p.say('00000')).toContain('code postal');
    expect(await p.say('75')).toContain('qu’est-ce qui vous amène'); // kept as typed, for a chargé·e
    const recap = await p.say('Consolider nos deux emplois');
    expect(recap).toContain('SIRET / RNA : pas de numéro pour l’instant');
    expect(recap).toContain('Salarié·es : 2 ETP');
    expect(recap).not.toContain('1 901');
    expect(recap).toContain('Siège (à préciser) : 75');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('département du siège');
  });

  it('« je ne sais pas » at the postal code: the département stays unknown and a chargé·e checks it', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Radio Quartier', '732 829 320 00074', 'association', '3']) await p.say(text);
    expect(await p.say('je ne sais pas')).toContain('qu’est-ce qui vous amène');
    expect(await p.say('Consolider nos emplois')).toContain('Siège : code postal non connu');
    expect(await p.say('C’est correct')).toContain('Nous ne connaissons pas encore le département');
  });

  it('« en cours de création » at the SIRET question: the creation stage, oriented to incubators and France Active', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Tiers-Lieu des Chartrons', 'en cours de création', 'association', 'aucun', '33000']) await p.say(text);
    const recap = await p.say('Trouver un lieu et des financements');
    expect(recap).toContain('pas de numéro pour l’instant (« en cours de création »)');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('Pour un projet en cours de création');
    const content = JSON.stringify(p.last(3).find((a) => a.attachments?.length)?.attachments?.[0].content);
    expect(content).toContain('France Active');
    expect(content).toContain('Incubateurs');
    expect((await dossierOf(p))?.decision?.reasons.map((r) => r.code)).toContain('existence_creation_stage');
  });

  it('a first message that settles it out of scope (a structure to create, a town hall, an association without staff, a sole trader) is oriented at once, nothing asked nor stored, and can check anyway', async () => {
    for (const [first, reason, resource] of [
      ['bonjour je veux créer une association pour aider les jeunes du quartier, comment faire ?', 'Le DLA accompagne des structures déjà créées.', 'France Active'],
      ['la mairie de Pessac voudrait un accompagnement pour son centre social municipal', 'pas les collectivités ni les établissements publics', 'Annuaire national des DLA'],
      ['on est une petite asso de bénévoles, aucun salarié, on voudrait de l’aide pour nos statuts', 'Pour une association sans salarié·e, Guid’Asso', 'Guid’Asso'],
      ['je suis auto-entrepreneur, je fais du conseil en RSE', 'pas les personnes à titre individuel ni les micro-entreprises', 'Incubateurs'],
    ]) {
      const p = persona();
      await p.join();
      const said = asRead(await p.say(first));
      expect(said).toContain(reason);
      expect(said).toMatch(/Si j’ai mal compris votre situation, choisissez « Vérifier si ma structure peut être accompagnée »[^]*Que souhaitez-vous faire \?$/);
      expect(said).not.toContain('Acceptez-vous');
      expect(said).not.toContain('Je note');
      expect(JSON.stringify(p.last(4).find((a) => a.attachments?.length)?.attachments?.[0].content)).toContain(resource);
      expect(await dossierOf(p)).toBeUndefined();
      // Checking anyway: the questions, consent first.
      expect(await p.say('Vérifier si ma structure peut être accompagnée')).toContain('Acceptez-vous');
    }
    const english = new Persona(() => fx.app, fx.connector, 'en-US');
    await english.join();
    expect(await english.say('Hello, we would like to set up a charity for young people, how do we do it?'))
      .toMatch(/The DLA supports organisations that already exist[^]*If I have misunderstood your situation, choose “Check whether my organisation can get support”/);
    // A structure that exists (a SIRET, or salaried staff) opening a new establishment is not a creation project;
    // an association without staff that plans a first hire is to be confirmed, not settled.
    for (const first of ['nous sommes une association de 12 salariés en cours de création d’un second lieu', 'asso siret 732 829 320 00074, on veut créer une structure d’insertion',
      'on est une asso sans salarié mais on voudrait embaucher notre premier salarié']) {
      const existing = persona();
      await existing.join();
      const answer = await existing.say(first);
      expect(answer).toContain('Acceptez-vous');
      expect(answer).not.toContain('Si j’ai mal compris');
    }
  });

  it('« aucun mais on veut embaucher »: a first hire (primo-employeuse), not an unknown head count', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Lac', 'W332001234', 'association']) await p.say(text);
    expect(await p.say('aucun mais on veut embaucher')).toContain('code postal');
    await p.say('33000');
    const recap = await p.say('Créer un premier poste');
    expect(recap).toContain('Salarié·es : aucun pour l’instant, projet d’embauche');
    const outcome = await p.say('C’est correct');
    expect(outcome).toContain('prépare une première embauche');
    expect(outcome).not.toContain('combien de personnes votre structure emploie');
  });

  it('QA: a work-integration SAS whose ESUS application is under way, with « 12 salariés en insertion + 3 encadrants »: 15 people (ETP not given), to be confirmed, not turned away', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'SAS Recyclerie du Bassin', 'je ne sais pas', 'sas']) await p.say(text);
    expect(await p.say('je crois pas, c’est en cours')).toContain('salarié·es');
    await p.say('12 salariés en insertion + 3 encadrants');
    await p.say('33120');
    const recap = asRead(await p.say('Structurer notre activité de réemploi'));
    expect(recap).toContain('Salarié·es : 15 personnes, dont des salarié·es en insertion (ETP non précisé)');
    // Not approved yet, but the leader knows it is applied for: said so, for the chargé·e too.
    expect(recap).toContain('Agrément ESUS : demande en cours');
    expect(recap).not.toContain('Agrément ESUS : non');
    expect(recap).not.toContain('ne sait pas');
    const outcome = asRead(await p.say('C’est correct'));
    expect(outcome).toContain('quelques points restent à vérifier');
    expect(outcome).toContain('une entreprise d’insertion');
    expect(outcome).not.toContain('une société commerciale sans agrément ESUS');
    expect((await dossierOf(p))?.decision?.outcome).toBe('to_confirm');
  });

  it('QA: « 0 pour l’instant mais on veut embaucher 1 animateur en janvier » is a first hire, not an unknown head count', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Marais', 'W332001234', 'association']) await p.say(text);
    expect(await p.say('0 pour l’instant mais on veut embaucher 1 animateur en janvier')).toContain('code postal');
    await p.say('33000');
    const recap = asRead(await p.say('Créer un premier poste d’animateur'));
    expect(recap).toContain('Salarié·es : aucun pour l’instant, projet d’embauche');
    const outcome = asRead(await p.say('C’est correct'));
    expect(outcome).toContain('prépare une première embauche');
    expect(outcome).not.toContain('combien de personnes votre structure emploie');
  });

  it('QA: « Les Jardins du Lien, asso loi 1901, siret 592 451 959 00015 »: the name alone, the legal form and the SIRET taken, said, and not asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    const next = asRead(await p.say('Les Jardins du Lien, asso loi 1901, siret 592 451 959 00015'));
    expect(next).toContain('Je note aussi son numéro : SIRET 592 451 959 00015');
    expect(next).toContain('Je note aussi sa forme juridique : association');
    expect(next).toContain('salarié·es');
    expect(next).not.toContain('forme juridique ?');
    for (const text of ['3 salariés', '33000']) await p.say(text);
    const recap = asRead(await p.say('Consolider nos emplois'));
    expect(recap).toContain('Structure : Les Jardins du Lien\n');
    expect(recap).toContain('Forme juridique : association');
    expect(await dossierOf(p)).toMatchObject({ siret: '59245195900015', answers: { name: 'Les Jardins du Lien', legalForm: { result: { form: 'association' } } } });
  });

  it('QA: the staff said in the first message, then « 12 salariés » at the SIRET question: the change is said and kept, the SIRET left for a chargé·e; the same count again only says so', async () => {
    for (const [said, replaced] of [['12 salariés', true], ['4 salariés', false]] as const) {
      const p = persona();
      await p.join();
      await p.say('Les Jardins du Lien, asso loi 1901, 4 salariés, on a besoin d’aide pour notre modèle économique');
      expect(asRead(await p.say('J’accepte'))).toContain('SIRET');
      const answer = asRead(await p.say(said));
      expect(answer).toContain('Je laisse le numéro SIRET / RNA de côté');
      if (replaced) expect(answer).toContain('Je note le changement : « Salarié·es : 4 ETP » devient « Salarié·es : 12 ETP »');
      else expect(answer).not.toContain('changement');
      expect(answer).toContain('code postal');
      expect((await dossierOf(p))!.answers).toMatchObject({ identifiers: { unknown: true }, employees: { etp: replaced ? 12 : 4 } });
    }
  });

  it('a legal form replaced at the SIRET question drops the ESUS approval said for the old one, and asks it again when the new form needs it', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Le Fournil Solidaire', '732 829 320 00074', 'une SARL', 'oui', '6', '33000']) await p.say(text);
    expect(asRead(await p.say('Ouvrir une deuxième boutique'))).toContain('Agrément ESUS : oui');
    expect(await p.say('corriger le SIRET')).toContain('SIRET');
    const recap = asRead(await p.say('ah non, en fait on est une association'));
    expect(recap).toContain('Forme juridique : association');
    expect(recap).not.toContain('ESUS');
    expect((await dossierOf(p))!.answers.esus).toBeUndefined();
    // Back to a company: its approval is asked again, not taken from before.
    expect(await p.say('corriger le SIRET')).toContain('SIRET');
    expect(asRead(await p.say('en fait on est une SAS'))).toContain('agrément ESUS');
  });

  it('a returning structure picks up at the next unanswered question (new conversation, same user)', async () => {
    const first = persona();
    await first.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Ressourcerie du Bassin']) await first.say(text);
    const again = persona(first.userId);
    expect(await again.join()).toContain('Bon retour !');
    const resumed = await again.say('Vérifier si ma structure peut être accompagnée');
    expect(resumed).not.toContain('Bon retour'); // greeted once, at the welcome
    expect(resumed).toContain('SIRET');
    expect(resumed).not.toContain('Quel est le nom');
  });

  it('« recommencer » then « reprendre » a minute later: the questions resume without a « Bon retour ! » (nobody left)', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier du Bois Flotté']) await p.say(text);
    expect(await p.say('recommencer')).toContain('retour au menu');
    const resumed = await p.say('reprendre');
    expect(resumed).not.toContain('Bon retour');
    expect(resumed).toContain('Reprenons là où nous nous étions arrêtés.');
    expect(resumed).toContain('SIRET');
  });

  it('left during the first questions, the structure is told at the welcome of a new conversation how many are left; « oui » resumes them', async () => {
    const first = persona();
    await first.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier du Bois Flotté']) await first.say(text);
    expect(await first.say('732 829 320 00074')).toContain('forme juridique'); // then the page is closed
    const again = persona(first.userId);
    const welcome = asRead(await again.join());
    expect(welcome).toContain('Bon retour !');
    expect(welcome).not.toContain('Bonjour et bienvenue');
    // Left: the legal form, the employees, the postal code and the request.
    expect(welcome).toContain('Vos réponses aux premières questions sont gardées : il reste 4 questions.');
    expect(welcome).toContain('répondez « oui » ou « reprendre »');
    expect(again.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual([
      'Reprendre les premières questions', 'Vérifier si ma structure peut être accompagnée', 'Découvrir le DLA', 'Qui peut être accompagné ?', 'Aide',
    ]);
    const resumed = await again.say('oui');
    expect(resumed).not.toContain('Bon retour'); // said once, at the welcome
    expect(resumed).toContain('Reprenons là où nous nous étions arrêtés.');
    expect(resumed).toContain('forme juridique');
    expect(resumed).not.toContain('SIRET');
  });

  it('another person typing a known SIRET is told a chargé·e will connect the two, and sees nothing of the other dossier', async () => {
    const a = persona();
    await a.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier Vélo Solidaire', '732 829 320 00074', 'association', '3', '33000']) await a.say(text);
    await a.say('Notre trésorière part, nous cherchons un financement secret');
    const b = persona();
    await b.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Intrus']) await b.say(text);
    const noticed = await b.say('73282932000074');
    expect(noticed).toContain('votre chargé·e verra les deux');
    expect(noticed).toContain('forme juridique'); // asked again: nothing of the other dossier is reused
    for (const text of ['association', '2', '33000']) await b.say(text);
    const recap = await b.say('Consolider un poste');
    expect(recap).toContain('Structure : Intrus');
    expect(recap).not.toContain('Atelier Vélo Solidaire');
    expect(recap).not.toContain('financement secret');
    // Two dossiers, the first one untouched.
    const first = (await dossierOf(a))!;
    const second = (await dossierOf(b))!;
    expect(second._id).not.toBe(first._id);
    expect(first.answers.name).toBe('Atelier Vélo Solidaire');
    expect(first.channelUsers).toEqual([`directline:${a.userId}`]);
  });

  it('a SIRET corrected at the review is no longer the structure’s: another person typing the old one is not told it is known, the new one is', async () => {
    const a = persona();
    await a.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Ressourcerie du Port', '812 345 676 00009', 'association', '3', '33000']) await a.say(text);
    expect(await a.say('Structurer notre modèle économique')).toContain('SIRET / RNA : 812 345 676 00009');
    expect(await a.say('le siret 518 765 433 00009')).toContain('SIRET / RNA : 518 765 433 00009');
    expect((await dossierOf(a))!.siret).toBe('51876543300009');
    const told = async (siret: string) => {
      const b = persona();
      await b.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Autre structure']) await b.say(text);
      return (await b.say(siret)).includes('votre chargé·e verra les deux');
    };
    expect(await told('81234567600009')).toBe(false);
    expect(await told('51876543300009')).toBe(true);
  });

  it('a structure that starts correcting an answer and changes its mind keeps it as it was (« annuler »); « aucun » is still a new answer', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Régie du Lac', 'je ne sais pas', 'association', '2 salariés', '33000']) await p.say(text);
    expect(await p.say('Recruter un·e comptable')).toContain('Salarié·es : 2 ETP');
    await p.say('Corriger une réponse');
    const asked = asRead(await p.say('la forme juridique'));
    expect(asked).toContain('Pour mémoire — Forme juridique : association');
    expect(asked).toContain('Pour la garder telle quelle, écrivez « annuler ».');
    const back = await p.say('annuler');
    expect(back).toContain('Forme juridique : association');
    expect(back).toContain('Est-ce correct ?');
    expect((await dossierOf(p))!.answers.legalForm).toMatchObject({ result: { form: 'association' } });
    await p.say('Corriger une réponse');
    await p.say('les salariés');
    expect(await p.say('aucun')).toContain('Salarié·es : 0'); // « aucun » answers « combien ? »
  });

  it('corrects a contradictory answer at review', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Régie de Quartier', 'je ne sais pas', 'association', '0', '33000']) await p.say(text);
    const recap = await p.say('Recruter deux personnes en insertion, nous avons 6 salariés');
    expect(recap).toContain('Salarié·es : 0 ETP');
    expect(await p.say('Corriger une réponse')).toContain('Quelle réponse voulez-vous corriger ?');
    expect(await p.say('les salariés')).toContain('Pour mémoire — Salarié·es : 0 ETP'); // in everyday words
    await p.say('0');
    expect(await p.say('non je veux corriger')).toContain('Quelle réponse voulez-vous corriger ?');
    expect(await p.say('rien finalement')).toContain('Est-ce correct ?'); // a way back to the recap
    await p.say('Corriger une réponse');
    const fix = await p.say('Les salarié·es');
    expect(fix).toContain('Pour mémoire — Salarié·es : 0 ETP');
    expect(fix).toContain('Combien de salarié·es');
    const fixed = await p.say('6');
    expect(fixed).toContain('Salarié·es : 6 ETP');
    const outcome = await p.say('C’est correct');
    expect(outcome).not.toContain('au moins une personne salariée');
  });

  it('understands the first sentences people type at the menu: « peut être aidée » checks eligibility, a person writing for themselves learns who the DLA is for and where to go', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('je veux savoir si mon asso peut etre aidée')).toContain('Acceptez-vous que ces informations soient conservées ?');
    const q = persona();
    await q.join();
    const who = asRead(await q.say('moi je suis un particulier, je cherche un emploi'));
    expect(who).toContain('Le DLA n’accompagne pas les personnes à titre individuel');
    expect(who).toContain('https://www.associations.gouv.fr');
    expect(who).not.toMatch(/France Travail|BGE/); // DOMAIN.md: not checked, not named
    expect(who).not.toContain('Je n’ai pas compris');
  });

  it('understands everyday yes and no, and does not read « non » inside a word as a refusal', async () => {
    const p = persona();
    await p.join();
    await p.say('English');
    await p.say('Check whether my organisation can get support');
    // Not a refusal: the legal form, noted as an answer typed early, and consent asked again.
    const early = await p.say('a non-profit association');
    expect(early).toContain('Legal form: association');
    expect(early).toContain('Do you agree that this information is kept?');
    expect(await p.say('no problem')).toContain('What is the name of your organisation?'); // a yes
    const q = persona();
    await q.join();
    await q.say('Vérifier si ma structure peut être accompagnée');
    expect(await q.say('ouais bien sûr')).toContain('Quel est le nom de votre structure ?');
    for (const text of ['Les Ateliers du Lac', 'je ne sais pas', 'association', '3', '33000']) await q.say(text);
    expect(await q.say('Consolider nos emplois')).toContain('Est-ce correct ?');
    // « c'est pas juste » is no « c'est juste »: a correction, then « rien » goes back; « oui c'est bon » is a yes.
    expect(await q.say('c’est pas juste')).toContain('Quelle réponse voulez-vous corriger ?');
    expect(await q.say('rien')).toContain('Est-ce correct ?');
    expect(await q.say('oui c’est bon')).toContain('D’après vos réponses');
  });

  it('a correction said at the review (« le nom c’est juste … ») asks that answer again, it does not approve the recap', async () => {
    const q = persona();
    await q.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'US Perigueux', 'je ne sais pas', 'association', '3', '24000']) await q.say(text);
    expect(await q.say('Consolider nos emplois')).toContain('Est-ce correct ?');
    // With the new value: taken as it is, and the recap shown again.
    const fixed = asRead(await q.say('le nom c’est juste Union sportive de Périgueux football'));
    expect(fixed).toContain('Structure : Union sportive de Périgueux football');
    expect(fixed).toContain('Est-ce correct ?');
    // Only naming the answer: asked again, with what it was.
    const again = asRead(await q.say('non le code postal est faux'));
    expect(again).toContain('Quel est le code postal de son siège ?');
    expect(again).toContain('24000');
    expect(asRead(await q.say('24100'))).toContain('Siège : 24100');
    // As typed on a phone: « c » for « c'est », and « c bon » approves.
    expect(asRead(await q.say('et les salariés c 4 en fait'))).toContain('Salarié·es : 4 ETP');
    expect(await q.say('c bon')).toContain('D’après vos réponses');
  });

  it('a name corrected at the review stops before « et on a 2,6 etp »; the ETP is then corrected on its own', async () => {
    const q = persona();
    await q.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Cie Fil Rouge', 'je ne sais pas', 'association', '3', '33000']) await q.say(text);
    expect(await q.say('Consolider nos emplois')).toContain('Est-ce correct ?');
    const fixed = asRead(await q.say('le nom c’est Compagnie du Fil Rouge et on a 2,6 etp en fait'));
    expect(fixed).toMatch(/^- Structure : Compagnie du Fil Rouge$/m);
    expect(fixed).toContain('Salarié·es : 3 ETP'); // one answer a correction: the recap comes back
    expect(asRead(await q.say('les salariés c’est 2,6 etp'))).toContain('Salarié·es : 2,6 ETP');
    expect((await dossierOf(q))!.answers).toMatchObject({ name: 'Compagnie du Fil Rouge', employees: { etp: 2.6 } });
  });

  it('answers in English when the user switched language, and English answers are understood', async () => {
    const p = persona();
    await p.join();
    await p.say('English');
    const consent = await p.say('Check whether my organisation can get support');
    expect(consent).toContain('How long');
    expect(await p.say('I agree')).toContain('What is the name of your organisation?');
    expect(p.last(1)[0].locale).toBe('en-US'); // replies say their own language
    expect(await p.say('français')).toContain('Quel est le nom de votre structure ?');
  });

  it('« English » typed at the consent question says the whole notice again in English before asking, not the question alone', async () => {
    const p = persona();
    await p.join();
    expect(await p.say('Vérifier si ma structure peut être accompagnée')).toContain('Combien de temps');
    const notice = await p.say('English');
    expect(notice).toContain('How long');
    expect(notice).toContain('Do you agree');
    expect(notice).not.toContain('Combien de temps');
    expect(await p.say('aide')).not.toContain('How long'); // help then the question, the notice once is enough
  });

  it('in English, « the number of employees » corrects the employees (not the SIRET), and « cancel » keeps it', async () => {
    const p = persona();
    await p.join();
    await p.say('English');
    await p.say('Check whether my organisation can get support');
    for (const text of ['I agree', 'Green Hands Garden', 'I don’t know', 'non-profit association', 'two and a half employees', '33800']) await p.say(text);
    expect(await p.say('Hire a gardener')).toContain('Employees: 2.5 FTE');
    await p.say('Correct an answer');
    const asked = await p.say('the number of employees');
    expect(asked).toContain('For reference — Employees: 2.5 FTE');
    expect(asked).not.toContain('SIRET');
    expect(await p.say('cancel')).toContain('Is this correct?');
  });

  it('in English: the legal-form examples, corrections said in one sentence, and asking for a person or for the request', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    await p.say('Check whether my organisation can get support');
    await p.say('I agree');
    await p.say('Green Hands');
    const form = await p.say('I don’t know');
    // A chantier d'insertion is an existing structure, not a « project » (creation stage is out of scope).
    expect(form).toContain('work-integration scheme (chantier d’insertion)');
    expect(form).not.toContain('project');
    expect(await p.say('a work-integration scheme')).toContain('How many employees');
    for (const text of ['2', '33000']) await p.say(text);
    expect(await p.say('We want to consolidate our jobs')).toContain('Is this correct?');
    // The new value with the field's name: taken at once, the recap shown again.
    const renamed = asRead(await p.say('the name is Green Hands Garden'));
    expect(renamed).toContain('Organisation: Green Hands Garden');
    expect(renamed).toContain('Is this correct?');
    expect(asRead(await p.say('actually we have 3 employees'))).toContain('Employees: 3 FTE');
    expect(asRead(await p.say('the employees are 2.5 in fact'))).toContain('Employees: 2.5 FTE');
    expect((await dossierOf(p))!.answers).toMatchObject({ name: 'Green Hands Garden', employees: { etp: 2.5 }, legalForm: { result: { form: 'siae', siaeKind: 'ACI' } } });
    // The status and a person, asked in English (not « I did not understand »).
    const status = await p.say('what’s the status of my application');
    expect(status).toContain('Your request is not complete yet');
    expect(status).not.toContain('I did not understand');
    const human = await p.say('can I speak to a human?');
    expect(human).toContain('your name, and your e-mail or phone number');
  });

  it('three nonsense answers in a row at the name hand over to a chargé·e without asking again; nothing of it is kept as the name', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    expect(await p.say('asdfgh')).toContain('Je n’ai pas bien lu ce nom');
    expect(await p.say('???')).toContain('Je n’ai pas bien lu ce nom');
    const third = await p.say('qsdfqsdf');
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).not.toContain('Je n’ai pas bien lu ce nom');
    expect(third).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect((await dossierOf(p))!.answers.name).toBeUndefined();
    expect(await p.say('Léa, lea@quai.example')).toContain('vous recontacte sous');
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.message])).toEqual([['not_understood', 'asdfgh\n???\nqsdfqsdf']]);
  });

  it('three nonsense answers in a row at the request: said not understood twice, then a chargé·e; a real answer after two is kept', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Quai', '732 829 320 00074', 'association', '3', '33000']) await p.say(text);
    expect(await p.say('zzzz')).toContain('Je n’ai pas compris votre demande');
    expect(await p.say('ok')).toContain('Pouvez-vous en dire un peu plus');
    expect(await p.say('Consolider nos emplois')).toContain('Est-ce correct ?');
    expect((await dossierOf(p))!.answers.request).toBe('Consolider nos emplois');

    const q = persona();
    await q.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lac', '732 829 320 00074', 'association', '3', '33000']) await q.say(text);
    for (const text of ['asdfgh', 'qwerty']) expect(await q.say(text)).toContain('Je n’ai pas compris votre demande');
    const third = await q.say('hjkl hjkl');
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).not.toContain('Je n’ai pas compris votre demande');
    expect((await dossierOf(q))!.answers).toMatchObject({ name: 'Les Jardins du Lac', employees: { etp: 3 } });
    expect((await dossierOf(q))!.answers.request).toBeUndefined();
  });

  const START = ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Quai'];
  it.each([
    ['SIRET / RNA', 'identifiers', START, ['???', 'asdfgh', 'qsdfqsdf'], 'Je n’ai trouvé ni SIRET'],
    ['legal form', 'legalForm', [...START, '732 829 320 00074'], ['???', 'asdfgh', '!!!'], 'Je n’ai pas reconnu cette forme juridique'],
    ['ESUS approval', 'esus', [...START, '732 829 320 00074', 'une SARL'], ['!!', 'zzzz', 'qwerty'], 'Répondez « oui », « non » ou « je ne sais pas »'],
    ['employees', 'employees', [...START, '732 829 320 00074', 'association'], ['???', '🙂', 'sdfsdf'], 'Je n’ai pas compris le nombre de salarié·es'],
    ['postal code', 'location', [...START, '732 829 320 00074', 'association', '3'], ['???', 'asdfgh', 'qsdfqsdf'], 'code postal'],
  ])('three nonsense answers in a row at the %s question: asked again twice, then a chargé·e; nothing of it kept as the answer', async (_, field, before, nonsense, asks) => {
    const p = persona();
    await p.join();
    for (const text of before) await p.say(text);
    for (const text of nonsense.slice(0, 2)) expect([text, asRead(await p.say(text))]).toEqual([text, expect.stringContaining(asks)]);
    const third = await p.say(nonsense[2]);
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).not.toContain(asks);
    expect(third).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect((await dossierOf(p))!.answers[field as 'identifiers']).toBeUndefined();
    expect(await p.say('Léa, lea@quai.example')).toContain('vous recontacte sous');
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.message])).toEqual([['not_understood', nonsense.join('\n')]]);
  });

  it('a readable answer that is no SIRET is not asked a fourth time, nor kept as the SIRET: only numbers tried are kept as typed, for a chargé·e', async () => {
    const p = persona();
    await p.join();
    for (const text of START) await p.say(text);
    for (const text of ['123', '4567']) expect(await p.say(text)).not.toContain('forme juridique');
    expect(await p.say('89')).toContain('forme juridique');
    expect((await dossierOf(p))!.answers.identifiers).toEqual({ unknown: true });
    const q = persona();
    await q.join();
    for (const text of START) await q.say(text);
    for (const text of ['73282932000075', 'bof']) expect(await q.say(text)).not.toContain('forme juridique');
    expect(await q.say('je sais plus')).toContain('forme juridique');
    expect((await dossierOf(q))!.answers.identifiers).toEqual({ unknown: true, text: '73282932000075' });
  });

  it('at the contact asked to hand over, three nonsense answers pass the request on without a call back promised; nothing of it is kept as the name', async () => {
    const p = persona();
    await p.join();
    for (const text of START) await p.say(text);
    expect(await p.say('je voudrais parler à un conseiller')).toContain('votre nom, et votre e-mail ou votre téléphone');
    for (const text of ['???', 'asdfgh']) expect(await p.say(text)).toContain('Je n’ai trouvé ni e-mail ni numéro');
    const third = await p.say('qsdfqsdf');
    expect(third).toContain('personne ne pourra vous rappeler');
    expect(third).toContain('dla@gironde.example');
    expect(third).not.toContain('Je n’ai trouvé ni e-mail ni numéro');
    expect(third).not.toContain('Je n’arrive pas à vous comprendre');
    expect(third).toContain('SIRET'); // the question it was at
    const dossier = (await dossierOf(p))!;
    expect(dossier.answers.contact).toBeUndefined();
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs.map((h) => h.reason)).toEqual(['user_request']);
  });

  it('a user who types nonsense at every step: always a re-prompt saying what is expected, never silence, and a human when asked', async () => {
    const p = persona();
    await p.join();
    await p.say('Vérifier si ma structure peut être accompagnée');
    // [nonsense, how the reply asks again]
    const steps: [string, string][] = [
      ['🙃🙃', 'Répondez « J’accepte » ou « Je refuse »'],
      ['J’accepte', 'nom de votre structure'],
      ['???', 'ce nom'],
      ['asdfgh', 'Je n’ai pas bien lu ce nom'],
      ['Les Amis du Quai', 'SIRET'],
      ['asdfgh', 'Je n’ai trouvé ni SIRET'],
      ['123', 'Je n’ai trouvé ni SIRET'],
      ['je ne sais pas', 'forme juridique'],
      ['???', 'Je n’ai pas reconnu cette forme juridique'],
      ['blabla', 'Je n’ai pas reconnu cette forme juridique'],
      ['association', 'salarié·es'],
      ['beaucoup', 'Je n’ai pas compris le nombre de salarié·es'],
      ['🙂', 'Je n’ai pas compris le nombre de salarié·es'],
      ['3', 'code postal'],
      ['abcde', 'Un code postal a 5 chiffres'],
      ['999999', 'Ce code postal est trop long'],
    ];
    for (const [text, asks] of steps) {
      const reply = await p.say(text);
      expect([text, reply]).toEqual([text, expect.stringContaining(asks)]);
    }
    const human = await p.say('je veux parler à un humain');
    expect(human).toContain('votre nom, et votre e-mail ou votre téléphone');
    expect(await p.say('camille@asso-quai.fr')).toContain('vous recontacte sous');
    const dossier = (await dossierOf(p))!;
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs.map((h) => h.reason)).toEqual(['user_request']);
    // The answers given so far are kept for the chargé·e.
    expect(dossier.answers).toMatchObject({ contact: { email: 'camille@asso-quai.fr' }, name: 'Les Amis du Quai', identifiers: { unknown: true }, legalForm: { result: { form: 'association' } }, employees: { etp: 3 } });
  });
  describe('a structure that introduces itself in its first message', () => {
    it.each([
      ['single quotes', "on est une asso loi 1901, 4 salariés, 'Les Jardins de Garonne', siret 732 829 320 00074"],
      ['French quotes', 'on est une asso loi 1901, 4 salariés, « Les Jardins de Garonne », siret 732 829 320 00074'],
      ['double quotes', 'on est une asso loi 1901, 4 salariés, "Les Jardins de Garonne", siret 732 829 320 00074'],
    ])('QA: its name in %s after other facts is its name: said back, not asked again', async (_quotes, text) => {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say(text));
      expect(noted).toMatch(/^- Structure : Les Jardins de Garonne$/m);
      expect(noted).toContain('Salarié·es : 4 ETP');
      const next = asRead(await p.say('J’accepte'));
      expect(next).not.toContain('nom de votre structure');
      expect(next).toContain('code postal');
      expect(await dossierOf(p)).toMatchObject({ answers: { name: 'Les Jardins de Garonne', identifiers: { siret: '73282932000074' }, employees: { etp: 4 } } });
    });
    it('its name, legal form and SIRET typed at the menu: said back once, consent first, then the first question not answered', async () => {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say('Les Jardins du Lien, asso loi 1901, siret 592 451 959 00015'));
      expect(noted).not.toContain('Je n’ai pas compris');
      expect(noted).toContain('Je note :');
      expect(noted).toContain('Structure : Les Jardins du Lien');
      expect(noted).toContain('SIRET / RNA : 592 451 959 00015');
      expect(noted).toContain('Forme juridique : association');
      expect(noted).toContain('Acceptez-vous');
      // Nothing stored before consent.
      expect(await dossierOf(p)).toBeUndefined();
      const first = asRead(await p.say('J’accepte'));
      expect(first).toContain('salarié·es');
      expect(first).not.toContain('nom de votre structure');
      expect(first).not.toContain('Je note');
      expect(await dossierOf(p)).toMatchObject({ siret: '59245195900015', answers: { name: 'Les Jardins du Lien', identifiers: { siret: '59245195900015' }, legalForm: { result: { form: 'association' } } } });
      expect(await p.say('3')).toContain('code postal');
      expect(await p.say('33000')).toContain('qu’est-ce qui vous amène');
      expect(asRead(await p.say('Consolider nos emplois'))).toContain('Structure : Les Jardins du Lien');
    });

    it('its legal form, staff and need as the very first message: taken as answers, only the others asked (a city is no postal code)', async () => {
      const p = persona();
      const noted = asRead(await p.say('bonjour, on est une asso de 4 salariés a bordeaux et on a besoin d\'aide pour notre modele eco'));
      expect(noted).toContain('Je note :');
      expect(noted).toContain('Forme juridique : association');
      expect(noted).toContain('Salarié·es : 4 ETP');
      expect(noted).toContain('Votre demande : on est une asso de 4 salariés a bordeaux et on a besoin d\'aide pour notre modele eco');
      expect(noted).not.toContain('Siège');
      expect(noted).toContain('Acceptez-vous');
      expect(await dossierOf(p)).toBeUndefined();
      expect(await p.say('J’accepte')).toContain('Quel est le nom de votre structure ?');
      expect(await p.say('Les Amis du Lien')).toContain('SIRET');
      const location = await p.say('je ne sais pas');
      expect(location).toContain('code postal');
      expect(location).not.toContain('forme juridique');
      expect(location).not.toContain('salarié·es');
      const recap = asRead(await p.say('33000'));
      expect(recap).not.toContain('qu’est-ce qui vous amène');
      expect(recap).toContain('Salarié·es : 4 ETP');
      expect(recap).toContain('Siège : 33000 (Gironde, 33)');
      expect((await dossierOf(p))!.answers).toMatchObject({ legalForm: { result: { form: 'association' } }, employees: { etp: 4 }, request: expect.stringContaining('modele eco') });
    });

    it('its name first, then its legal form, staff, postal code and need, one after the other: the name is the name alone, the need its request', async () => {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say('Les Jardins du Lien, asso loi 1901, 3 salariés, 33000, on veut consolider nos emplois'));
      expect(noted).toMatch(/^- Structure : Les Jardins du Lien$/m);
      expect(noted).toContain('Salarié·es : 3 ETP');
      expect(noted).toContain('Votre demande : Les Jardins du Lien, asso loi 1901, 3 salariés, 33000, on veut consolider nos emplois');
      const first = asRead(await p.say('J’accepte'));
      expect(first).toContain('SIRET');
      expect(first).not.toContain('nom de votre structure');
      const recap = asRead(await p.say('je ne sais pas'));
      expect(recap).toMatch(/^- Structure : Les Jardins du Lien$/m);
      expect(recap).toContain('Est-ce correct ?');
    });

    it('a need told at the menu, nothing else (« on a perdu notre subvention… »): the eligibility questions, with it as the request — never « je n’ai pas compris »', async () => {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say('on a perdu notre subvention principale et on doit licencier'));
      expect(noted).not.toContain('Je n’ai pas compris');
      expect(noted).toContain('Votre demande : on a perdu notre subvention principale et on doit licencier');
      expect(noted).toContain('Acceptez-vous');
      expect(await p.say('J’accepte')).toContain('Quel est le nom de votre structure ?');
      for (const text of ['Les Amis du Port', '732 829 320 00074', 'association', '3', '33000']) await p.say(text);
      expect((await dossierOf(p))!.answers.request).toBe('on a perdu notre subvention principale et on doit licencier');
    });

    it('declined: the facts read are kept in the conversation only, and not asked again', async () => {
      const p = persona();
      await p.join();
      await p.say('bonjour, on est une asso de 4 salariés a bordeaux et on a besoin d\'aide pour notre modele eco');
      expect(await p.say('Je refuse')).toContain('SIRET');
      const next = await p.say('je ne sais pas');
      expect(next).toContain('code postal');
      expect(next).not.toContain('salarié·es');
      expect(await dossierOf(p)).toBeUndefined();
    });

    it.each(['bonjour', 'je voudrais des infos sur le DLA', 'c’est payant ?'])('« %s » is no introduction: nothing noted, no consent asked', async (text) => {
      const first = asRead(await persona().say(text));
      expect(first).not.toContain('Je note');
      expect(first).not.toContain('Acceptez-vous');
      const p = persona();
      await p.join();
      const atMenu = asRead(await p.say(text));
      expect(atMenu).not.toContain('Je note');
      expect(atMenu).not.toContain('Acceptez-vous');
    });
  });
});
