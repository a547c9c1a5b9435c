import { randomUUID } from 'node:crypto';

export const TEAMS_BOT = { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'DLA' };
export const TEAMS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

/**
 * Activities shaped as Microsoft Teams sends them (channelData with tenant, aadObjectId,
 * conversationType), in a new conversation; of `user` when given (the same person in another
 * conversation), else of a new one.
 */
export function teams(serviceUrl: string, conversationType: 'personal' | 'channel' = 'personal', user: TeamsUser = { id: `29:1${randomUUID()}`, name: 'Camille Martin', aadObjectId: randomUUID() }) {
  const conversationId = conversationType === 'personal' ? `a:1${randomUUID()}` : `19:${randomUUID()}@thread.tacv2;messageid=1`;
  const base = (type: string) => ({
    type, id: `f:${randomUUID()}`, channelId: 'msteams', serviceUrl, timestamp: new Date().toISOString(), locale: 'fr-FR',
    conversation: { id: conversationId, conversationType, tenantId: TEAMS_TENANT, ...(conversationType === 'channel' ? { isGroup: true } : {}) },
    from: user, recipient: TEAMS_BOT,
    channelData: { tenant: { id: TEAMS_TENANT }, ...(conversationType === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:chan@thread.tacv2' } } : {}) },
  });
  return {
    conversationId,
    user,
    install: () => ({ ...base('installationUpdate'), action: 'add' }),
    botAdded: () => ({ ...base('conversationUpdate'), membersAdded: [{ id: TEAMS_BOT.id }] }),
    say: (text: string, mention = false) => ({
      ...base('message'),
      text: mention ? `<at>${TEAMS_BOT.name}</at> ${text}` : text,
      entities: mention ? [{ type: 'mention', text: `<at>${TEAMS_BOT.name}</at>`, mentioned: TEAMS_BOT }] : [],
    }),
    submit: (value: Record<string, unknown>, text?: string) => ({ ...base('message'), text, value }),
  };
}
