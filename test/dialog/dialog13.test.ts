import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { Persona } from '../helpers/conversation';

/** Round 13: conversational leftovers of the accueil and the diagnostic, each as a structure typed it. */
describe('dialog round 13: « ok » at the menu, consent in the first message, forms and départements in words, asides and corrections', () => {
  const fx = useAssistant('dialog13', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', OPERATOR_CONTACT: 'dla@gironde.example' });
  const persona = (locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const rna = () => `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const menuTitles = (p: Persona) => p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title));

  /** An association through its first questions, at the outcome (« C'est correct » answered). */
  async function atOutcome(employees: string): Promise<{ p: Persona; outcome: string }> {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quai', rna(), 'association', employees, '33000', 'Consolider nos emplois']) await p.say(text);
    return { p, outcome: asRead(await p.say('C’est correct')) };
  }

  it('« ok » at the menu after an outcome (to be confirmed, out of scope): heard, the menu again with its choices — no misunderstanding; at « On commence ? » it starts', async () => {
    const { p: toConfirm } = await atOutcome('aucun mais on veut embaucher');
    await toConfirm.say('Dominique, dominique@example.org');
    const menu = menuTitles(toConfirm);
    const ok = asRead(await toConfirm.say('ok'));
    expect(ok).not.toContain('Je n’ai pas compris');
    expect(ok).toContain('Très bien');
    expect(ok).toContain('Que souhaitez-vous faire ?');
    expect(menuTitles(toConfirm)).toEqual(menu);

    const { p: outOfScope, outcome } = await atOutcome('aucun salarié et pas de projet d’embauche');
    expect(outcome).toContain('ne correspond pas à ce que fait le DLA');
    const menuOut = menuTitles(outOfScope);
    const okOut = asRead(await outOfScope.say('d’accord'));
    expect(okOut).not.toContain('Je n’ai pas compris');
    expect(menuTitles(outOfScope)).toEqual(menuOut);

    // Eligible: « On commence ? » — « ok » is its yes.
    const { p: eligible } = await atOutcome('4');
    expect(await eligible.say('Dominique, dominique@example.org')).toContain('On commence ?');
    expect(await eligible.say('ok')).toContain('activité principale');
  });

  it('« j accepte, on est une asso … » as the first message: « j accepte » left out of the request; the notice shown and consent asked all the same (informed before it is given)', async () => {
    const p = persona();
    await p.join();
    const reply = asRead(await p.say('j accepte, on est une asso de 4 salariés et on a besoin d aide pour notre modèle éco'));
    expect(reply).toContain('Votre demande : on est une asso de 4 salariés et on a besoin d aide pour notre modèle éco');
    expect(reply).toContain('Combien de temps');
    expect(reply).toContain('Acceptez-vous');
    expect(await dossierOf(p)).toBeUndefined(); // nothing stored before the answer
    expect(asRead(await p.say('oui'))).toContain('nom de votre structure');
    expect(await dossierOf(p)).toMatchObject({ consent: { given: true }, answers: { request: 'on est une asso de 4 salariés et on a besoin d aide pour notre modèle éco', employees: { etp: 4 } } });
    // A need alone with it: the same.
    const need = persona();
    await need.join();
    expect(asRead(await need.say('j’accepte, on a besoin d’aide pour recruter un coordinateur'))).toContain('Acceptez-vous');
    await need.say('j’accepte');
    expect(await dossierOf(need)).toMatchObject({ answers: { request: 'on a besoin d’aide pour recruter un coordinateur' } });
  });

  it('« asso les petits jardins » at the name question: the name without its form, the form noted and not asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    const reply = asRead(await p.say('asso les petits jardins'));
    expect(reply).toContain('Je note aussi sa forme juridique : association');
    expect(reply).not.toContain('Quelle est sa forme juridique');
    expect(reply).toContain('numéro SIRET');
    expect(await dossierOf(p)).toMatchObject({ answers: { name: 'les petits jardins', legalForm: { result: { form: 'association' } } } });
  });

  it('the département named at the postal code question (« on est en Dordogne », « en corse du sud »): taken, read back, deciding the territory', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis', rna(), 'association', '3']) await p.say(text);
    expect(await p.say('on est en Dordogne')).toContain('qu’est-ce qui vous amène');
    const recap = asRead(await p.say('Consolider nos emplois'));
    expect(recap).toContain('Siège : Dordogne (24)');
    expect(asRead(await p.say('C’est correct'))).toContain('peut être accompagnée');

    const corse = persona();
    await corse.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Kaz Lontan', rna(), 'association', '3']) await corse.say(text);
    expect(asRead(await corse.say('en corse'))).toContain('Corse-du-Sud (2A) et la Haute-Corse (2B)');
    await corse.say('en corse du sud');
    expect(asRead(await corse.say('Consolider nos emplois'))).toContain('Siège : Corse-du-Sud (2A)');
    expect(asRead(await corse.say('C’est correct'))).toContain('c’est un autre DLA qui peut accompagner votre structure : celui de son département, Corse-du-Sud (2A)');
  });

  it('at the funding question: « urgence 3 » is asked again as funding (not « C’est un montant »); volunteers and governance said there are kept for their questions', async () => {
    const { p } = await atOutcome('4');
    await p.say('Dominique, dominique@example.org');
    await p.say('Commencer');
    await p.say('jardin d’insertion');
    await p.say('200 000 €');
    const urgency = asRead(await p.say('urgence 3'));
    expect(urgency).not.toContain('C’est un montant');
    expect(urgency).toContain('sources de financement');
    const aside = asRead(await p.say('on a 20 bénévoles et le CA se réunit peu'));
    expect(aside).toContain('4 salarié·es (ETP) et 20 bénévoles');
    expect(aside).toContain('gouvernance : « le CA se réunit peu »');
    expect(aside).toContain('D’où viennent vos ressources');
    const next = asRead(await p.say('50% subventions 50% ventes'));
    // Staff and governance answered: the areas come next.
    expect(next).not.toContain('bénévoles actif·ves');
    expect(next).not.toContain('gouvernance en quelques mots');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ staff: { employees: 4, volunteers: 20 }, governance: { text: 'le CA se réunit peu' }, funding: { totalShare: 100 } });
  });

  it('« en fait 5 salariées » at a later question (the request, the diagnostic’s activity): the staff corrected, then the question asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis', rna(), 'association', '3', '33000']) await p.say(text);
    const atRequest = asRead(await p.say('finalement 5 salariées'));
    expect(atRequest).toContain('« Salarié·es : 3 ETP » devient « Salarié·es : 5 ETP »');
    expect(atRequest).toContain('qu’est-ce qui vous amène');
    const recap = asRead(await p.say('Consolider nos emplois'));
    expect(recap).toContain('Votre demande : Consolider nos emplois');
    await p.say('C’est correct');
    await p.say('Dominique, dominique@example.org');
    await p.say('Commencer');
    const atActivity = asRead(await p.say('pardon, 6 salariés'));
    expect(atActivity).toContain('« Salarié·es : 5 ETP » devient « Salarié·es : 6 ETP »');
    expect(atActivity).toContain('activité principale');
    expect((await dossierOf(p))!.answers.employees).toMatchObject({ etp: 6 });
    expect((await dossierOf(p))!.diagnostic!.answers.activity).toBeUndefined();
  });

  // ——— persona walk of round 13: what the four walks found ———

  it('an ACI without employees yet: « chantier d insertion les jardins … » at the name, « aci porté par une asso » at the staff question — the form is ACI, the staff asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    expect(asRead(await p.say('chantier d insertion les jardins de l estuaire'))).toContain('Je note aussi sa forme juridique : atelier et chantier d’insertion (ACI)');
    await p.say('W332015478');
    // Its RNA says association: the form question is not asked; the ACI said at the staff question corrects it.
    const p2 = persona();
    await p2.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins de l’Estuaire', 'W332015478']) await p2.say(text);
    const aside = asRead(await p2.say('aci porté par une asso'));
    expect(aside).not.toContain('Je n’ai pas compris');
    expect(aside).toContain('devient « Forme juridique : atelier et chantier d’insertion (ACI) »');
    expect(aside).toContain('Combien de salarié·es');
    expect((await dossierOf(p))!.answers).toMatchObject({ name: 'les jardins de l estuaire', legalForm: { result: { form: 'siae', siaeKind: 'ACI' } } });
  });

  it('« hi, we are a SCIC in Corse du Sud, 7 employees » after switching to English: the département is read, its own DLA named before any question', async () => {
    const p = persona();
    await p.join();
    await p.say('English');
    const reply = asRead(await p.say('hi, we are a SCIC in Corse du Sud, 7 employees'));
    expect(reply).toContain('Head office: Corse-du-Sud (2A)');
    expect(reply).toContain('from what you told me, your head office is in 2A (Corse-du-Sud), outside the area of the DLA de la Gironde');
    expect(reply).toContain('Do you agree');
    await p.say('I agree');
    await p.say('Kaz Lontan');
    // No postal code asked: the département decides.
    expect(asRead(await p.say('i dont know'))).toContain('what brings you here');
  });
});
