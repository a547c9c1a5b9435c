import { translator } from '../../src/i18n';
import { exportHtml } from '../../src/privacy/exportHtml';
import type { PersonalDataExport } from '../../src/store/privacy';
import { asRead } from '../helpers/asRead';

describe('« mes données »: the readable page', () => {
  const at = '2026-03-01T10:00:00.000Z';
  const data = {
    exportedAt: at, dossier: null, handoffs: [], checkins: [], followupOptOut: null,
    conversations: [{ channelId: 'msteams', conversationId: 'c1', messages: [
      { from: 'vous', text: 'on est **vraiment** pressés', timestamp: at },
      { from: 'assistant', text: '**Quoi** : un _appui_ gratuit, __à noter__. J’ai noté « \\*\\*Asso\\*\\* <b> » (camille_martin@example.org) · 3 \\* 2', timestamp: at, cards: ['**Votre besoin**'] },
    ] }],
  } as unknown as PersonalDataExport;

  it('shows the bot’s emphasis as plain words, what was typed as typed, everything escaped', () => {
    const page = asRead(exportHtml(data, translator('fr'), { operatorName: 'DLA 33' }));
    expect(page).toContain('Quoi : un appui gratuit, à noter. J’ai noté « **Asso** &lt;b&gt; » (camille_martin@example.org) · 3 * 2');
    expect(page).toContain('Formulaire affiché : Votre besoin');
    expect(page).toContain('on est **vraiment** pressés'); // the person's own words, as typed
  });
});
