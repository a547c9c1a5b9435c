import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** Persona QA, round 5: a federation, a SCIC following up, a dictated leader, a tester, a structure that pauses. */
describe('personas 5: what they typed and what they read', () => {
  const fx = useAssistant('personas5', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  /** A structure whose request is passed on (no SIRET: to be confirmed), at the menu. */
  async function passedOn(): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const said of ['Bonjour, association Les Graines d’Ici, 6 salariés, 33130, on a besoin d’aide pour nos financements', 'J’accepte', 'je ne sais pas', 'oui', 'Jean-Pierre Lafitte, 06 70 80 90 10']) await p.say(said);
    return p;
  }

  /** A structure through its accueil (eligible, contact given), at « On commence ? ». */
  async function eligible(): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const said of ['Bonjour, association Les Amis du Quai, 5 salariés, 33100, SIRET 443 061 841 00047, besoin d’aide pour recruter', 'J’accepte', 'oui', 'Anne Roy, anne@amisduquai.fr']) await p.say(said);
    return p;
  }

  it('« t’es un robot ? » at the first menu, and « vous etes une vraie personne ? » once a request is passed on, are told what the assistant is and how to reach a person', async () => {
    const p = persona();
    await p.join();
    const first = asRead(await p.say('t’es un robot ?'));
    expect(first).toContain('pas une personne');
    expect(first).toContain('parler à un·e chargé·e');
    expect(first).not.toContain('Je n’ai pas compris');
    const q = await passedOn();
    const later = asRead(await q.say('vous etes une vraie personne ?'));
    expect(later).toContain('pas une personne');
    expect(later).not.toContain('Je joins ce message');
  });

  it('« je voudrais changer de contact, c’est Paul Martin maintenant 06 11 22 33 44 » at the menu changes the person to call: read back as « Paul Martin », not offered as a message for the chargé·e', async () => {
    const p = await passedOn();
    const said = asRead(await p.say('je voudrais changer de contact, c’est Paul Martin maintenant 06 11 22 33 44'));
    expect(said).not.toContain('Je joins ce message');
    expect(said).toContain('Paul Martin, 06 11 22 33 44');
    expect(said).not.toContain('maintenant,');
    expect((await dossierOf(p))!.answers.contact).toMatchObject({ name: 'Paul Martin', phone: '06 11 22 33 44' });
  });

  it('a leader who dictates: the postal code and the phone said in words are read (« bordeaux trois trois zero zero zero », « trente trois mille », « zero six douze trente quatre… »)', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('bonjour euh alors voila on est une association de quinze salaries et on a un budget de un million deux cent mille euros on est a bordeaux trois trois zero zero zero et euh on aurait besoin d aide pour notre strategie'));
    expect(noted).toContain('Siège : 33000 (Gironde, 33)');
    const q = persona();
    await q.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'les petits debrouillards de gironde', 'je sais pas', 'association', 'quinze salaries']) await q.say(said);
    expect(asRead(await q.say('trente trois mille'))).toContain('qu’est-ce qui vous amène');
    expect((await dossierOf(q))!.answers.location).toMatchObject({ postalCode: '33000' });
    await q.say('on aurait besoin d aide pour notre strategie');
    await q.say('oui c est correct');
    const contact = asRead(await q.say('julie martin mon numero c est zero six douze trente quatre cinquante six soixante dix huit'));
    expect(contact).toContain('Julie Martin, 06 12 34 56 78');
  });

  it('paused at an area of the diagnostic, then in a new conversation « les roles sont flous entre benevoles et salaries, urgence 3 » answers that area: said back with its name, the next area asked', async () => {
    const p = await eligible();
    for (const said of ['oui', 'on gere une guinguette associative et des concerts l ete', '360 000 € environ', 'billetterie 70%, subventions 20%, adhesions 10%',
      'une trentaine de benevoles l ete', 'un bureau de 5 personnes, AG annuelle']) await p.say(said);
    await p.say('pause');
    const again = persona(p.userId);
    expect(asRead(await again.join())).toContain('Bon retour');
    const answer = asRead(await again.say('les roles sont flous entre benevoles et salaries, urgence 3'));
    expect(answer).not.toContain('Je n’ai pas compris');
    expect(answer).toContain('Organisation interne : « les roles sont flous entre benevoles et salaries, urgence 3 »');
    expect(answer).toContain('Ressources humaines');
    const answers = (await dossierOf(p))!.diagnostic!.answers;
    expect(answers).toMatchObject({ organisation_situation: 'les roles sont flous entre benevoles et salaries', organisation_urgency: 3 });
  });

  it('« pause, je dois voir avec la tresoriere » at the funding question pauses the diagnostic: not read as the funding', async () => {
    const p = await eligible();
    for (const said of ['oui', 'on gere une guinguette associative et des concerts l ete', '360 000 € environ']) await p.say(said);
    const paused = asRead(await p.say('pause, je dois voir avec la tresoriere'));
    expect(paused).toContain('on fait une pause');
    expect(paused).not.toContain('sources de financement');
  });

  it('a federation whose own request is passed on, asking for one of its member centres: told how that centre makes its own request, its words offered for its chargé·e — not its own eligibility shown again', async () => {
    const p = persona();
    await p.join();
    for (const said of ['bonjour je suis la directrice de la federation departementale des centres sociaux de gironde, on est une asso loi 1901 avec 6 salaries, on voudrait un accompagnement sur notre modele economique',
      'oui d’accord', 'Fédération des centres sociaux de la Gironde', 'je l’ai pas sous la main', '33800 bordeaux', 'oui c bon', 'Claire Dubois claire.dubois@fcs33.org']) await p.say(said);
    const answer = asRead(await p.say('merci. autre chose : un de nos centres sociaux adherents, le centre social du grand parc a bordeaux (asso, 25 salaries) a de gros soucis de tresorerie, est ce que vous pouvez l’accompagner aussi ? je fais la demande pour eux'));
    expect(answer).not.toContain('Vous avez déjà fait cette vérification');
    expect(answer).toContain('chaque structure sur sa propre demande');
    expect(answer).toContain('Je joins ce message à votre demande');
    expect(asRead(await p.say('non'))).toContain('je ne transmets rien');
    const again = asRead(await p.say('c’est pour une autre structure, le centre social du grand parc'));
    expect(again).toContain('chaque structure sur sa propre demande');
    await p.say('non');
    // Words that also name a choice of the menu (« l'association », « de l'aide »)
    const named = asRead(await p.say('ah et aussi : une de nos adherentes, l’association Le Relais (12 salariés, 33300) cherche de l’aide pour sa gouvernance'));
    expect(named).toContain('chaque structure sur sa propre demande');
    expect(named).not.toContain('Vous avez déjà fait cette vérification');
  });

  it('a network writing first for one of its members: the member’s form, staff and postal code are noted, not « tête de réseau »', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('Bonjour, je suis chargée de mission à l’URIOPSS, tête de réseau régionale. Une de nos adhérentes, l’association L’Escale (CHRS, 40 salariés, Libourne 33500), traverse une crise de gouvernance : est-ce que le DLA peut l’accompagner ? Je fais le lien pour eux.'));
    expect(noted).toContain('Structure : L’Escale');
    expect(noted).toContain('Forme juridique : association');
    expect(noted).not.toContain('fédération');
    expect(noted).toContain('Siège : 33500');
  });

  it('« je veux pas répondre » at the SIRET question moves on, as « je ne sais pas » does: not asked again', async () => {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Graines d’Ici']) await p.say(said);
    const next = asRead(await p.say('je veux pas répondre'));
    expect(next).not.toContain('Je n’ai trouvé ni SIRET');
    expect(next).toContain('forme juridique');
  });

  it('a hand waved (👋) as the first message is greeted, not told goodbye', async () => {
    const p = persona();
    await p.join();
    const answer = asRead(await p.say('👋'));
    expect(answer).toContain('Bonjour');
    expect(answer).not.toContain('à bientôt');
  });
});
