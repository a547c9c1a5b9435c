import { randomUUID } from 'node:crypto';
import { post as postActivity, useAssistant } from '../helpers/app';

const BOT = { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'DLA' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Activities shaped as Microsoft Teams sends them (channelData with tenant, aadObjectId, conversationType). */
function teams(serviceUrl: string, conversationType: 'personal' | 'channel' = 'personal') {
  const conversationId = conversationType === 'personal' ? `a:1${randomUUID()}` : `19:${randomUUID()}@thread.tacv2;messageid=1`;
  const user = { id: `29:1${randomUUID()}`, name: 'Camille Martin', aadObjectId: randomUUID() };
  const base = (type: string) => ({
    type, id: `f:${randomUUID()}`, channelId: 'msteams', serviceUrl, timestamp: new Date().toISOString(), locale: 'fr-FR',
    conversation: { id: conversationId, conversationType, tenantId: TENANT, ...(conversationType === 'channel' ? { isGroup: true } : {}) },
    from: user, recipient: BOT,
    channelData: { tenant: { id: TENANT }, ...(conversationType === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:chan@thread.tacv2' } } : {}) },
  });
  return {
    conversationId,
    install: () => ({ ...base('installationUpdate'), action: 'add' }),
    botAdded: () => ({ ...base('conversationUpdate'), membersAdded: [{ id: BOT.id }] }),
    say: (text: string, mention = false) => ({
      ...base('message'),
      text: mention ? `<at>${BOT.name}</at> ${text}` : text,
      entities: mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
    }),
    submit: (value: Record<string, unknown>, text?: string) => ({ ...base('message'), text, value }),
  };
}

describe('Microsoft Teams activities through the real adapter', () => {
  const fx = useAssistant('teams', { OPERATOR_NAME: 'DLA de la Gironde' });
  const sent = (conversationId: string) => fx.connector.activities.filter((a) => a.conversation?.id === conversationId);
  const post = (activity: unknown) => postActivity(fx.app.baseUrl, activity);

  it('welcomes on installationUpdate in personal scope, with an Adaptive Card of Action.Submit choices', async () => {
    const t = teams(fx.connector.url);
    expect((await post(t.install())).status).toBe(200);
    const out = sent(t.conversationId);
    expect(out[0].text).toContain('Bonjour et bienvenue');
    const card = out.find((a) => a.attachments?.length)?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const actions = (card?.content as { actions: { type: string; title: string; data: { choice: string } }[] }).actions;
    expect(actions.map((a) => [a.type, a.title, a.data.choice])).toEqual([
      ['Action.Submit', 'Vérifier si ma structure peut être accompagnée', 'eligibility'],
      ['Action.Submit', 'Découvrir le DLA', 'discover'],
      ['Action.Submit', 'Qui peut être accompagné ?', 'who'],
      ['Action.Submit', 'Aide', 'help'],
    ]);
  });

  it('does not welcome twice when Teams also announces the bot joining', async () => {
    const t = teams(fx.connector.url);
    await post(t.botAdded());
    expect(sent(t.conversationId)).toEqual([]);
  });

  it('answers a card submit (value only, no text), as Teams posts it', async () => {
    const t = teams(fx.connector.url);
    await post(t.install());
    const before = sent(t.conversationId).length;
    await post(t.submit({ choice: 'discover' }));
    expect(sent(t.conversationId).slice(before).map((a) => a.text).join('\n')).toContain('Étape 1 · Accueil');
  });

  it('strips the bot @mention before reading the text (team channel)', async () => {
    const t = teams(fx.connector.url, 'channel');
    await post(t.say('bonjour', true));
    const before = sent(t.conversationId).length;
    await post(t.say('aide', true));
    expect(sent(t.conversationId).slice(before).map((a) => a.text).join('\n')).toContain('« recommencer »');
  });

  it('replies in the same Teams conversation, to the activity it answers', async () => {
    const t = teams(fx.connector.url);
    const install = t.install();
    await post(install);
    const reply = sent(t.conversationId)[0];
    expect(reply.replyToId).toBe(install.id);
    expect(reply.conversation?.id).toBe(t.conversationId);
  });
});
