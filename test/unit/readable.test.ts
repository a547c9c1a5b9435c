import { translator } from '../../src/i18n';
import { readableExport } from '../../src/privacy/readable';
import type { PersonalDataExport } from '../../src/store/privacy';
import { asRead } from '../helpers/asRead';

describe('« mes données »: the summary of the file', () => {
  const empty = { exportedAt: '2026-03-01T02:00:00.000Z', dossier: null, handoffs: [], checkins: [], conversations: [] } as unknown as PersonalDataExport;

  it('dates the export in the operator’s time zone (an overseas DLA is not on Paris’s day)', () => {
    const t = translator('fr');
    expect(asRead(readableExport(empty, t)[0])).toMatch(/^Export du 01\/03\/2026/);
    expect(asRead(readableExport(empty, t, 'America/Guadeloupe')[0])).toMatch(/^Export du 28\/02\/2026/);
  });

  it('says when the request was passed on, in English without « passed on on »', () => {
    const withHandoff = { ...empty, handoffs: [{ createdAt: '2026-02-20T10:00:00.000Z', reason: 'user_request', status: 'open' }] } as unknown as PersonalDataExport;
    const line = readableExport(withHandoff, translator('en')).find((l) => l.includes('20/02/2026'));
    expect(line).toMatch(/^Request forwarded on 20\/02\/2026: Asked to talk to an advisor — Open$/);
    expect(asRead(readableExport(withHandoff, translator('fr')).find((l) => l.includes('20/02/2026'))!)).toMatch(/^Demande transmise le 20\/02\/2026 : /);
  });

  it('says what the chargé·e recorded (decision, note, parcours) and lists the check-ins in date order', () => {
    const data = { ...empty,
      dossier: { answers: {}, consent: { at: '2026-01-05T10:00:00Z', retentionMonths: 36 },
        chargeDecision: { outcome: 'eligible', note: 'Premier emploi prévu en mars', by: 'Léa Bernard', at: '2026-02-03T10:00:00Z' },
        parcours: { text: 'Consultant·e RH, 3 jours', recordedAt: '2026-02-10T10:00:00Z', miseEnOeuvreStartedAt: '2026-03-02T10:00:00Z', miseEnOeuvreEndedAt: '2026-06-30T10:00:00Z' } },
      checkins: [{ dueAt: '2028-02-28T09:00:00Z', status: 'planned' }, { dueAt: '2027-05-27T09:00:00Z', status: 'planned' }],
    } as unknown as PersonalDataExport;
    const lines = readableExport(data, translator('fr')).map(asRead);
    expect(lines).toEqual(expect.arrayContaining([
      'Décision de Léa Bernard après votre échange : Éligible (le 03/02/2026)', 'Note de l’échange : Premier emploi prévu en mars',
      'Parcours défini le 10/02/2026 : Consultant·e RH, 3 jours', 'Mise en œuvre : du 02/03/2026 au 30/06/2026',
    ]));
    const checkins = lines.filter((l) => /2027|2028/.test(l));
    expect(checkins[0]).toContain('27/05/2027');
    expect(checkins[1]).toContain('28/02/2028');
  });

  it('gives every decision of the chargé·es with its note, in the order they were made, each by name', () => {
    const latest = { outcome: 'eligible', note: 'Embauche confirmée', by: 'Léa Bernard', at: '2026-03-10T10:00:00Z' };
    const data = { ...empty,
      dossier: { answers: {}, consent: { at: '2026-01-05T10:00:00Z', retentionMonths: 36 }, chargeDecision: latest, chargeDecisions: [
        { outcome: 'out_of_scope', note: 'Pas encore de salarié', by: 'Sophie Martin', at: '2026-02-03T10:00:00Z' },
        // Redacted: recorded under an e-mail address, which the structure never reads.
        { outcome: 'eligible', at: '2026-02-20T10:00:00Z' },
        latest,
      ] },
    } as unknown as PersonalDataExport;
    const lines = readableExport(data, translator('fr')).map(asRead);
    const from = lines.findIndex((l) => l.startsWith('Décision de Sophie Martin'));
    expect(lines.slice(from, from + 5)).toEqual([
      'Décision de Sophie Martin après votre échange : Hors champ (le 03/02/2026)', 'Note de l’échange : Pas encore de salarié',
      'Décision d’un·e chargé·e d’accompagnement après votre échange : Éligible (le 20/02/2026)',
      'Décision de Léa Bernard après votre échange : Éligible (le 10/03/2026)', 'Note de l’échange : Embauche confirmée',
    ]);
  });

  it('gives the eligibility’s reasons and the check-ins’ answers in words, under headings, never a rule code nor its source', () => {
    const data = { ...empty,
      dossier: { answers: {}, consent: { at: '2026-01-05T10:00:00Z', retentionMonths: 36 },
        decision: { outcome: 'to_confirm', decidedAt: '2026-01-05T10:00:00Z', rulesVersion: '2026-11-27.2', reasons: [
          { code: 'first_hire', outcome: 'to_confirm', source: 'DOMAIN.md § Eligibility 3' },
          { code: 'a_rule_since_removed', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 9' },
        ] } },
      checkins: [{ dueAt: '2027-05-27T09:00:00Z', status: 'answered', answers: { jobs: '2 emplois créés', economics: { value: 'better', text: 'meilleure' }, satisfaction: 5 } }],
    } as unknown as PersonalDataExport;
    const lines = readableExport(data, translator('fr')).map(asRead);
    const eligibility = lines.indexOf('Réponse sur l’éligibilité et ses raisons :');
    expect(lines.slice(eligibility, eligibility + 3)).toEqual([
      'Réponse sur l’éligibilité et ses raisons :', 'Réponse sur l’éligibilité : À confirmer (le 05/01/2026)',
      expect.stringMatching(/^Votre structure n’a pas encore de salarié·e mais prépare une première embauche\./),
    ]);
    const checkins = lines.indexOf('Points de suivi et vos réponses :');
    expect(lines.slice(checkins + 1, checkins + 5)).toEqual([
      'Point de suivi du 27/05/2027 : Répondu (3 réponses)',
      '- Emplois créés, maintenus ou améliorés : 2 emplois créés', '- Santé économique et financière : Meilleure', '- Satisfaction : 5 / 5',
    ]);
    expect(lines.join('\n')).not.toMatch(/first_hire|a_rule_since_removed|DOMAIN\.md|2026-11-27\.2/);
  });
});
