import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { Persona } from '../helpers/conversation';
import { DossierRepository } from '../../src/store/dossiers';

/** Persona QA round 12: the first contact — what a first message says, answers typed at the wrong question, a chargé·e asked at the outcome. */
describe('personas 12', () => {
  const fx = useAssistant('personas12', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', OPERATOR_CONTACT: 'dla@gironde.example' });
  const persona = (locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
  const rna = () => `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const CONTACT_ASKED = 'Pour que votre chargé·e d’accompagnement puisse vous joindre';

  async function says(p: Persona, texts: string[]): Promise<void> {
    for (const text of texts) await p.say(text);
  }

  it('« je prefere parler a un conseiller » at the outcome’s contact question: the contact asked once, the request passed on, never the accueil’s contact question again', async () => {
    const p = persona();
    await p.join();
    await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lien', rna(), 'association', '3 salariés', '33000',
      'on a besoin d’aide sur notre modèle économique']);
    expect(asRead(await p.say('C’est correct'))).toContain(CONTACT_ASKED);
    expect(asRead(await p.say('je prefere parler a un conseiller'))).toContain('il me faut un moyen de vous recontacter');
    const passed = asRead(await p.say('Marc Dupuis 06 12 34 56 78'));
    expect(passed).toContain('je transmets votre demande');
    expect(passed).not.toContain(CONTACT_ASKED);
    const status = asRead(await p.say('ou en est mon dossier ?'));
    expect(status).toContain('Votre demande a été transmise le');
    expect(status).not.toContain(CONTACT_ASKED);
    const dossier = (await dossierOf(p))!;
    expect(dossier.status).toBe('submitted');
    expect((await handoffsOf(dossier._id)).map((h) => h.reason)).toEqual(['user_request']);
  });

  describe('« association loi 1901 » at the postal code question is the legal form, not a postal code', () => {
    it('known already: no « trop court », the postal code asked again plainly', async () => {
      const p = persona();
      await p.join();
      await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lien', '443 061 841 00047', 'association', '3 salariés']);
      const said = asRead(await p.say('association loi 1901'));
      expect(said).not.toContain('trop court');
      expect(said).not.toContain('Je note');
      expect(said).toContain('Quel est le code postal de son siège ?');
      expect(asRead(await p.say('asso loi 1901, 33000'))).toContain('qu’est-ce qui vous amène');
      expect((await dossierOf(p))!.answers.location).toMatchObject({ postalCode: '33000' });
    });

    it('not known yet (« je sais pas » at its question): kept as the legal form, said so, then the postal code', async () => {
      const p = persona();
      await p.join();
      await says(p, ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lien', 'je sais pas', 'je sais pas', '3 salariés']);
      const said = asRead(await p.say('association loi 1901'));
      expect(said).toContain('Je note aussi sa forme juridique : association');
      expect(said).toContain('Quel est le code postal de son siège ?');
      expect((await dossierOf(p))!.answers.legalForm?.result?.form).toBe('association');
    });
  });

  it('« on sait pas notre siret » in the first message: the identifiers noted as not known, the SIRET question not asked', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('bonjour on est une asso de theatre a Bordeaux, 3 salaries, on sait pas notre siret'));
    expect(noted).toContain('SIRET / RNA : non connu pour l’instant');
    await p.say('J’accepte');
    const next = asRead(await p.say('Theatre du Pont'));
    expect(next).not.toContain('numéro SIRET');
    expect(next).toContain('code postal');
    expect((await dossierOf(p))!.answers.identifiers).toEqual({ unknown: true });
  });

  it('« 3 salaries et 30 benevoles » in the first message: the volunteers kept for the diagnostic, not asked there', async () => {
    const p = persona();
    await p.join();
    await p.say(`bonjour on est une asso de quartier, RNA ${rna()}, 3 salaries et 30 benevoles, on a besoin d'aide pour diversifier nos financements`);
    await says(p, ['J’accepte', 'Quartiers Unis', '33800', 'C’est correct', 'Anne Roy anne@quartiers.example']);
    const start = asRead(await p.say('Commencer'));
    expect(start).toContain('30 bénévoles');
    await says(p, ['centre social de quartier', '200 000 €']);
    const after = asRead(await p.say('subventions 70 %, ventes 30 %'));
    expect(after).not.toContain('bénévoles');
    expect(after).toContain('gouvernance');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 3, volunteers: 30 });
  });

  it('(en-US) a first message ending with "Can the DLA help us?": the request without the question', async () => {
    const p = persona('en-US');
    await p.join();
    const noted = asRead(await p.say('Hello, we are a small charity in Bordeaux with 3 employees, we struggle to find funding. Can the DLA help us?'));
    expect(noted).toContain('Your request: we are a small charity in Bordeaux with 3 employees, we struggle to find funding');
    expect(noted).not.toContain('Can the DLA help us');
    await p.say('I agree');
    expect((await dossierOf(p))!.answers.request).not.toContain('Can the DLA help us');
  });

  it('(en-US) "no idea" at the consent question is no refusal: the question asked again, nothing declined', async () => {
    const p = persona('en-US');
    await p.join();
    await p.say('I agree');
    const said = asRead(await p.say('no idea'));
    expect(said).not.toContain('I keep nothing about you');
    expect(said).toContain('“I agree” or “I decline”');
    expect(asRead(await p.say('I agree'))).toContain('What is the name of your organisation?');
  });

  it('« j’accepte » typed at the menu before any consent question: the consent notice and its question, not « je n’ai pas compris »', async () => {
    const p = persona();
    await p.join();
    const said = asRead(await p.say('j’accepte'));
    expect(said).not.toContain('Je n’ai pas compris');
    expect(said).toContain('Acceptez-vous que ces informations soient conservées ?');
    expect(asRead(await p.say('j’accepte'))).toContain('Quel est le nom de votre structure ?');
  });
});
