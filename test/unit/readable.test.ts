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
});
