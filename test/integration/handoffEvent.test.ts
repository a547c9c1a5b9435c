import { Activity } from 'botbuilder';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

describe('the handoff.initiate event of a long conversation', () => {
  const fx = useAssistant('handoff_event', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' });

  it('carries the latest 50 activities, oldest first, not the beginning of the conversation', async () => {
    // A channel a hub listens on (the structure's own Web Chat, Direct Line or Teams never gets the event).
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR', undefined, 'omnichannel');
    // 300 earlier messages of this conversation (a Teams 1:1 chat can last years).
    const old = Date.parse('2025-01-01T09:00:00Z');
    await fx.app.app.transcripts.logActivities(Array.from({ length: 300 }, (_, i) => ({
      type: 'message', id: `old-${i}`, channelId: 'omnichannel', text: `ancien message ${i}`, timestamp: new Date(old + i * 60_000),
      conversation: { id: p.channel.conversationId }, from: { id: p.userId, role: 'user' }, recipient: { id: 'dla-bot' },
    }) as Activity));
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Atelier du Lien', 'je ne sais pas', 'association',
      'aucun salarié mais nous voulons embaucher', '33000', 'Créer un premier emploi', 'C’est correct']) await p.say(text);
    await p.say('Sam, sam@atelier-du-lien.example');

    const event = fx.connector.activities.find((a) => a.conversation?.id === p.channel.conversationId && a.type === 'event' && a.name === 'handoff.initiate');
    const activities = ((event as { attachments?: { content?: { activities?: Activity[] } }[] })?.attachments?.[0]?.content?.activities ?? []);
    expect(activities).toHaveLength(50);
    const texts = activities.map((a) => a.text ?? '');
    expect(texts).toContain('ancien message 299'); // the end of the old part, just before this exchange
    expect(texts).not.toContain('ancien message 0');
    expect(texts).toContain('C’est correct'); // up to the turn before (this turn is logged when it ends)
    const times = activities.map((a) => new Date(a.timestamp!).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });
});
