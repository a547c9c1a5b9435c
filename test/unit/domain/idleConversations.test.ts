import { idleConversations, neverConsented } from '../../../src/domain/idleConversations';

const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
const row = (conversationId: string, h: number, user = `u-${conversationId}`) => ({ channelId: 'directline', conversationId, timestamp: at(h), participants: [user, 'bot'] });

describe('conversations idle without consent', () => {
  const idle = idleConversations([row('visit', 1), row('visit', 2), row('active', 1), row('active', 30), row('consented', 1), row('listed', 1), row('handedOff', 1)], at(6));

  it('idle: the last activity at or before the cutoff, every participant named', () => {
    expect(idle.map((c) => c.conversationId)).toEqual(['visit', 'consented', 'listed', 'handedOff']);
    expect(idle[0].participants).toEqual(['u-visit', 'bot']);
  });

  it('forgotten unless a participant has a dossier, a dossier lists it or an open handoff points to it', () => {
    const forget = neverConsented(idle, {
      usersWithDossier: new Set(['directline:u-consented', 'msteams:u-visit']),
      conversations: new Set(['directline|listed', 'directline|handedOff']),
    });
    expect(forget.map((c) => c.conversationId)).toEqual(['visit']);
  });
});
