import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** Round 13 of typed conversations: what a structure's leader wrote, and what the assistant made of it before. */
describe('walk 13: a difficulty told in the first message, a SIRET the structure stands by, a contact without e-mail nor phone, the funding typed at the diagnostic offer', () => {
  const fx = useAssistant('walk13', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33', OPERATOR_CONTACT: 'dla@gironde.example' });
  const persona = () => new Persona(() => fx.app, fx.connector, 'fr-FR');
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  it('« on a du mal à trouver des financements » in the first message is the request: not asked again', async () => {
    const p = persona();
    await p.join();
    await p.say('bonjour, on est une petite association culturelle à Bordeaux et on a du mal à trouver des financements');
    for (const text of ['oui', 'Les Tréteaux du Port', 'je sais pas', '2 salariés']) await p.say(text);
    const recap = asRead(await p.say('33800'));
    expect(recap).not.toContain('qu’est-ce qui vous amène');
    expect(recap).toContain('Votre demande : on est une petite association culturelle à Bordeaux et on a du mal à trouver des financements');
  });

  it('a SIRET whose SIREN fails its check, then « c’est correct »: kept as typed for a chargé·e, the next question asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Tréteaux du Port']) await p.say(text);
    expect(await p.say('412 345 678 00012')).toContain('le SIREN, 9 premiers chiffres');
    const next = asRead(await p.say('c’est correct'));
    expect(next).not.toContain('Je n’ai trouvé ni SIRET');
    expect(next).toContain('forme juridique');
    expect((await dossierOf(p))?.answers.identifiers).toEqual({ unknown: true, text: '412 345 678 00012' });
  });

  it('words kept at the contact question after the retries are passed on as they are, and said to reach no one for sure', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', '732 829 320 00074', 'association',
      '3 salariés', '33000', 'consolider nos emplois', 'C’est correct']) await p.say(text);
    for (const text of ['oui', 'demandez à la fédération']) expect(await p.say(text)).toContain('Je n’ai trouvé ni e-mail ni numéro');
    const kept = asRead(await p.say('appelez le standard de la mairie'));
    expect(kept).toContain('Je transmets tel quel à votre chargé·e d’accompagnement : appelez le standard de la mairie.');
    expect(kept).toContain('« changer mes coordonnées »');
    expect(kept).not.toContain('Merci. Pour vous joindre');
    expect((await dossierOf(p))?.answers.contact).toEqual({ name: 'appelez le standard de la mairie' });
  });

  it('the funding typed at « On commence ? » is kept for its question, not taken as the activity; the activity is asked, the funding not', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', '732 829 320 00074', 'association',
      '3 salariés', '33000', 'consolider nos emplois', 'C’est correct']) await p.say(text);
    expect(await p.say('Camille Martin, 06 12 34 56 78')).toContain('On commence ?');
    const started = asRead(await p.say('60% subventions, 30% billetterie, le reste du mécénat'));
    expect(started).not.toContain('Je note votre activité');
    expect(started).toContain('Financements** : subventions 60 %, billetterie 30 %, mécénat 10 %');
    expect(started).toContain('activité principale');
    expect(asRead(await p.say('spectacle vivant et ateliers dans les écoles'))).toContain('budget annuel');
    expect(asRead(await p.say('180 000 euros'))).not.toContain('D’où viennent vos ressources');
    const { diagnostic } = (await dossierOf(p))!;
    expect(diagnostic?.answers).toMatchObject({ activity: 'spectacle vivant et ateliers dans les écoles', budget: { euros: 180000 }, funding: { sources: [{ share: 60 }, { share: 30 }, { share: 10 }] } });
  });

  it('the staff said at the budget question is kept for its question, the budget asked again; the staff question is not asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', '732 829 320 00074', 'association',
      '3 salariés', '33000', 'consolider nos emplois', 'C’est correct', 'Camille Martin, 06 12 34 56 78', 'oui']) await p.say(text);
    expect(asRead(await p.say('spectacle vivant et ateliers dans les écoles'))).toContain('budget annuel');
    const aside = asRead(await p.say('3 salariés, 12 bénévoles'));
    expect(aside).toContain('12 bénévoles');
    expect(aside).not.toContain('Je n’ai pas trouvé de montant');
    expect(aside).toContain('budget annuel');
    expect(asRead(await p.say('180 000 euros'))).toContain('D’où viennent vos ressources');
    expect(asRead(await p.say('60% subventions, 40% billetterie'))).toContain('gouvernance');
    expect((await dossierOf(p))?.diagnostic?.answers).toMatchObject({ budget: { euros: 180000 }, staff: { employees: 3, volunteers: 12 } });
  });

  it('« merci, au revoir » at a diagnostic question is a pause, not the answer; « merci » alone is answered and the question asked again', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', '732 829 320 00074', 'association',
      '3 salariés', '33000', 'consolider nos emplois', 'C’est correct', 'Camille Martin, 06 12 34 56 78']) await p.say(text);
    expect(asRead(await p.say('oui'))).toContain('activité principale');
    const thanked = asRead(await p.say('merci'));
    expect(thanked).toContain('Je vous en prie');
    expect(thanked).toContain('activité principale');
    const left = asRead(await p.say('merci, au revoir'));
    expect(left).toContain('on fait une pause');
    expect(left).not.toContain('budget annuel');
    expect((await dossierOf(p))?.diagnostic?.answers.activity).toBeUndefined();
    expect(asRead(await p.say('reprendre'))).toContain('activité principale');
  });

  it('the staff, the postal code or a need typed at the legal form question are kept and the form asked again; a need at the staff question is the request', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Régie de quartier Bastide']) await p.say(text);
    expect(asRead(await p.say('je sais pas'))).toContain('forme juridique');
    const staff = asRead(await p.say('une quinzaine de salariés en insertion et 4 permanents'));
    expect(staff).toContain('19 personnes');
    expect(staff).toContain('forme juridique');
    const code = asRead(await p.say('33100'));
    expect(code).toContain('33100');
    expect(code).toContain('forme juridique');
    expect(asRead(await p.say('association'))).toContain('qu’est-ce qui vous amène'); // staff and postal code not asked again
    expect((await dossierOf(p))?.answers).toMatchObject({ legalForm: { result: { form: 'association' } }, employees: { etp: 19 }, location: { postalCode: '33100' } });

    const q = persona();
    await q.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Ressourcerie du Pont', 'je sais pas', 'association']) await q.say(text);
    const need = asRead(await q.say('on voudrait développer une nouvelle activité de ressourcerie mais on sait pas si c’est viable'));
    expect(need).toContain('Je note votre demande');
    expect(need).toContain('salarié·es');
    await q.say('15');
    expect(asRead(await q.say('33100'))).toContain('Votre demande : on voudrait développer une nouvelle activité de ressourcerie');
  });
});
