import { stopServing } from '../../src/app';
import { TEST_DIRECT_LINE_SECRET, useAssistant } from '../helpers/app';
import { until } from '../helpers/wait';

/** What index.ts does on SIGTERM/SIGINT before closing the database. */
describe('stopping while structures are mid-turn (local Direct Line)', () => {
  const fx = useAssistant('shutdown', { OPERATOR_NAME: 'DLA de la Gironde' });

  const post = (path: string, token: string, body?: unknown) => fetch(`${fx.app.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

  it('lets every accepted message get its reply before closing, and refuses new ones with 503', async () => {
    const conversations = await Promise.all([1, 2, 3, 4, 5].map(async () => {
      const { token } = await (await post('/v3/directline/tokens/generate', TEST_DIRECT_LINE_SECRET)).json();
      const { conversationId } = await (await post('/v3/directline/conversations', token)).json();
      return { token, conversationId };
    }));
    const sends = conversations.map((c) => post(`/v3/directline/conversations/${c.conversationId}/activities`, c.token, { type: 'message', text: 'aide', from: { id: 'x' } }));
    await until(() => fx.app.app.inFlight.size > 0, 10_000);
    const stopped = stopServing(fx.app.app);
    const late = await post(`/v3/directline/conversations/${conversations[0].conversationId}/activities`, conversations[0].token, { type: 'message', text: 'aide' });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('10');
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    await stopped;

    // Every message the server took (200) was answered, in the stored history, before it closed.
    const store = fx.app.app.localDirectLine!.store;
    const accepted = conversations.filter((_, i) => statuses[i] === 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const c of accepted) {
      const history = (await store.get(c.conversationId))!.activities;
      const asked = history.findIndex((a) => a.text === 'aide');
      expect(history.slice(asked + 1).some((a) => a.from?.role === 'bot' && /Je peux vous présenter le DLA/.test(a.text ?? ''))).toBe(true);
    }
  }, 30000);
});
