import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { Persona } from '../helpers/conversation';

/** Round 14: leftovers of round 13 (a département by its number, a form word after the name, a public body named, the areas' introduction once). */
describe('dialog round 14: leftovers of round 13', () => {
  const fx = useAssistant('dialog14', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', OPERATOR_CONTACT: 'dla@gironde.example' });
  const persona = (locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const rna = () => `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  it('« dans le 33 » at the postal code question, « on est une asso dans le 24 » in a first message: the département by its number is taken and read back', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis', rna(), 'association', '3']) await p.say(text);
    expect(asRead(await p.say('dans le 33'))).toContain('qu’est-ce qui vous amène');
    expect(asRead(await p.say('Consolider nos emplois'))).toContain('Siège : Gironde (33)');
    expect((await dossierOf(p))!.answers.location).toMatchObject({ departement: '33' });

    const first = persona();
    await first.join();
    const reply = asRead(await first.say('bonjour, on est une asso dans le 24, 3 salariés, on a besoin d’aide pour recruter'));
    expect(reply).toContain('Siège : Dordogne (24)');
  });

  it('"Kaz Lontan cooperative" at the name question in English: the name without the form word, the form noted and not asked', async () => {
    const p = persona();
    await p.join();
    await p.say('English');
    for (const text of ['Check whether my organisation can be supported', 'I agree']) await p.say(text);
    const reply = asRead(await p.say('Kaz Lontan cooperative'));
    expect(reply).toContain('cooperative');
    expect(reply).not.toContain('legal form?');
    expect(await dossierOf(p)).toMatchObject({ answers: { name: 'Kaz Lontan', legalForm: { result: { form: 'cooperative' } } } });
  });

  it('« CCAS de Libourne » at the name question: the form (public body) noted, not asked', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte']) await p.say(text);
    const reply = asRead(await p.say('CCAS de Libourne'));
    expect(reply).toContain('Je note aussi sa forme juridique');
    expect(reply).not.toContain('Quelle est sa forme juridique');
    expect(await dossierOf(p)).toMatchObject({ answers: { name: 'CCAS de Libourne', legalForm: { result: { form: 'public_body' } } } });
  });

  it('« en fait 4 salariés » at the first area question: the staff corrected, the question asked again without « Passons en revue cinq domaines » said twice', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quartier', rna(), 'association',
      '3 salariés', '33000', 'consolider nos emplois', 'C’est correct', 'Camille Martin, 06 12 34 56 78', 'oui']) await p.say(text);
    for (const text of ['spectacle vivant et ateliers dans les écoles', '180 000 euros', '60% subventions, 40% billetterie', '12 bénévoles']) await p.say(text);
    const first = asRead(await p.say('un CA de 6 personnes qui se réunit tous les mois'));
    expect(first).toContain('Passons en revue cinq domaines');
    const aside = asRead(await p.say('en fait 4 salariés'));
    expect(aside).toContain('« Salarié·es : 3 ETP » devient « Salarié·es : 4 ETP »');
    expect(aside).toContain('Revenons à la question');
    expect(aside).not.toContain('Passons en revue cinq domaines');
  });
});
