import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';
import { Persona } from '../helpers/conversation';

/** Persona QA round 9: buttons, Teams, SIAE kinds, data rights, a leader back with a check-in due. */
describe('personas 9', () => {
  const fx = useAssistant('personas9', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const handoffsOf = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();

  describe('a leader who only clicks buttons', () => {
    it('the menu’s « Vérifier si ma structure peut être accompagnée » typed during « Découvrir le DLA » leaves the tour for it', async () => {
      const p = persona();
      await p.join();
      await p.say('Découvrir le DLA');
      await p.say('Suite');
      const said = asRead(await p.say('Vérifier si ma structure peut être accompagnée'));
      expect(said).not.toContain('Répondez « suite »');
      expect(said).toContain('Acceptez-vous que ces informations soient conservées ?');
      const p2 = persona();
      await p2.join();
      await p2.say('Découvrir le DLA');
      expect(asRead(await p2.say('je voudrais verifier si ma structure peut etre accompagnee'))).toContain('Avant de commencer');
    });
  });

  describe('SIAE of each kind, an entreprise adaptée, an ESAT, a CAE, a GEIQ', () => {
    /** The « Je note » a first message gets, and the dossier's answers once consent is given. */
    async function introduced(first: string) {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say(first));
      const next = asRead(await p.say('ok'));
      return { p, noted, next };
    }

    it.each([
      ['entreprise adaptee, sas, 22 salaries dont 18 travailleurs handicapes, 24100 bergerac', 'Forme juridique : entreprise adaptée', 'Salarié·es : 22 ETP'],
      ['bonjour on est une entreprise d insertion (SARL) dans le batiment, 18 salaries, 33700', 'Forme juridique : entreprise d’insertion (EI)', 'Salarié·es : 18 ETP'],
      ['association intermediaire a libourne 33500, 6 permanents', 'Forme juridique : association intermédiaire (AI)', 'Salarié·es : 6 ETP'],
      ['on est une ETTI, 25 salaries, 33000', 'Forme juridique : entreprise de travail temporaire d’insertion (ETTI)', 'Salarié·es : 25 ETP'],
      ['on est un chantier d insertion, 3 encadrants et 20 salaries en insertion, 33300', 'Forme juridique : atelier et chantier d’insertion (ACI)', 'Salarié·es : 23 personnes, dont des salarié·es en insertion'],
      ['ESAT gere par une asso, 45 travailleurs et 12 encadrants, 33600 pessac', 'Forme juridique : ESAT', 'Salarié·es : 12 ETP'],
      ['cooperative d activite et d emploi, 40 entrepreneurs-salaries, on est a begles 33130', 'Forme juridique : coopérative d’activité et d’emploi (CAE)', 'Salarié·es : 40 ETP'],
      ['on est un GEIQ dans la proprete, 5 permanents et 30 salaries en contrat de pro, 33300', 'Forme juridique : groupement d’employeurs', 'Salarié·es : 35 ETP'],
    ])('« %s »: its form and staff noted as said', async (first, form, staff) => {
      const { noted, next } = await introduced(first);
      expect(noted).toContain(form);
      expect(noted).toContain(staff);
      expect(next).toContain('Quel est le nom de votre structure ?');
    });

    it('an entreprise adaptée that is a SAS is not asked for the ESUS approval, and is eligible for its form', async () => {
      const { p } = await introduced('entreprise adaptee, sas, 22 salaries, 24100 bergerac');
      expect(asRead(await p.say('EA du Bergeracois'))).toContain('SIRET');
      const after = asRead(await p.say('443 061 841 00047'));
      expect(after).not.toContain('ESUS');
      expect(after).toContain('qu’est-ce qui vous amène');
      await p.say('developper une nouvelle activite pour garder nos emplois');
      const outcome = asRead(await p.say('c est bon'));
      expect(outcome).toContain('votre structure peut être accompagnée par le DLA');
      expect(outcome).toContain('Votre forme juridique fait partie de celles que le DLA accompagne');
    });

    it('the staff said with the legal form at its question is not asked again', async () => {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Jardins de la Jalle', 'je sais pas']) await p.say(text);
      const said = asRead(await p.say('on est une asso loi 1901 avec 4 salaries'));
      expect(said).not.toContain('Combien de salarié·es');
      expect(said).toContain('code postal');
    });
  });

  describe('data rights asked in free text', () => {
    it('« je veux voir mes donnees » at the menu sends the export at once', async () => {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Pont']) await p.say(text);
      const said = asRead(await p.say('je veux voir mes donnees'));
      expect(said).toContain('Voici tout ce que nous conservons');
      expect(said).toContain('numéro SIRET'); // then the question it was asked at, again
    });

    it('« supprimez tout ce que vous avez sur moi » in the middle of a question: confirmed, erased, and the conversation goes on from the start', async () => {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'La Ressourcerie du Lac']) await p.say(text);
      const asked = asRead(await p.say('supprimez tout ce que vous avez sur moi'));
      expect(asked).toContain('Effacer définitivement');
      expect(asRead(await p.say('Oui, tout effacer'))).toContain('C’est fait');
      expect(await fx.db.connection.db!.collection('dossiers').countDocuments({ 'answers.name': 'La Ressourcerie du Lac' })).toBe(0);
      // Back later: nothing of it, a first welcome.
      const back = asRead(await persona(p.userId).join());
      expect(back).toContain('Bonjour et bienvenue');
      expect(back).not.toContain('Bon retour');
    });

    test.each([
      'je retire mon consentement',
      'supprimez mes donnees svp',
      'je veux que vous effaciez mes donnees',
      'effacez tout',
      'oubliez-moi',
    ])('« %s » after the request was passed on asks to confirm the erasure', async (text) => {
      const p = persona();
      await p.join();
      for (const answer of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Ateliers du Pont', 'je ne sais pas', 'association', '3', '33000',
        'on veut consolider nos emplois', 'C’est correct', 'Paul Durand 0612345678']) await p.say(answer);
      const asked = asRead(await p.say(text));
      expect(asked).toContain('Effacer définitivement');
      if (text.includes('consentement')) expect(asked).toContain('Retirer votre accord');
      expect(asRead(await p.say('non'))).toContain('rien n’a été effacé');
    });
  });

  describe('a leader back after weeks, a check-in due, who starts with a new project', () => {
    it('at the « Bon retour ! » that offers the check-in: the project is noted, the check-in starts, and the project is passed on at its end', async () => {
      const { p, dossierId } = await checkinOpened(fx);
      const later = persona(p.userId);
      expect(asRead(await later.join())).toContain('Un point de suivi du DLA de la Gironde vous attend');
      const said = asRead(await later.say('on a un nouveau projet de tiers-lieu'));
      expect(said).not.toContain('pas compris');
      expect(said).toContain('je transmettrai ce besoin');
      expect(said).toContain('des emplois ont-ils été créés'); // the check-in's first question
      for (const text of ['on a embauche 2 personnes', 'stable', 'oui', 'non', 'oui', '4']) await later.say(text);
      expect(asRead(await later.say('non rien d autre'))).toContain('transm');
      const handoffs = await handoffsOf(dossierId);
      expect(handoffs).toHaveLength(1);
      expect(JSON.stringify(handoffs[0])).toContain('tiers-lieu');
    });

    it('in the check-in, at its jobs question: the project is a need noted, not the jobs answer', async () => {
      const { p, dossierId } = await checkinOpened(fx);
      const said = asRead(await p.say('bonjour, on a un nouveau projet de tiers-lieu'));
      expect(said).toContain('je transmettrai ce besoin');
      expect(said).toContain('des emplois ont-ils été créés'); // still asked
      for (const text of ['on a embauche 2 personnes', 'stable', 'oui', 'non', 'oui', '4']) await p.say(text);
      await p.say('non');
      const checkin = await fx.db.connection.db!.collection('checkins').findOne({ dossierId });
      expect(checkin?.answers?.jobs).toBe('on a embauche 2 personnes');
      expect(JSON.stringify((await handoffsOf(dossierId))[0])).toContain('tiers-lieu');
    });
  });
});
