import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { AdminAuth } from '../../src/admin/auth';
import type { Handoff } from '../../src/handoff/types';
import { asRead } from '../helpers/asRead';
import { Channel, post as postActivity, RunningApp, startTestApp } from '../helpers/app';
import { cardText, FakeConnector } from '../helpers/connector';
import { openTestDb, TestDb } from '../helpers/db';

/**
 * « Je m’en occupe » on a handoff's card in the chargé·es' Teams channel, through the real server
 * and adapter; the fake Teams service records what the bot posts and updates, and answers who a
 * member is (TeamsInfo.getMember).
 */
const CHANNEL = '19:chargees@thread.tacv2';
const TEAM = '19:team@thread.tacv2';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BOT = { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'DLA' };
const MARIE = { id: '29:1marie', name: 'Marie Dupont', email: 'Marie.Dupont@dla33.example' };
const PAUL = { id: '29:1paul', name: 'Paul Martin', email: 'paul.martin@dla33.example' };
const LEA = { id: '29:1lea', name: 'Léa Roux', email: 'lea.roux@dla24.example' };
const STRANGER = { id: '29:1stranger', name: 'Sam Inconnu', email: 'sam@elsewhere.example' };

describe('claiming a handoff from its card in the chargé·es’ Teams channel', () => {
  let db: TestDb;
  let teams: FakeConnector;
  let app: RunningApp;
  /** How far the app's clock is ahead of the real one (a retry's backoff passes). */
  let skew = 0;
  const tokens: Record<string, string> = {};
  const post = (activity: unknown) => postActivity(app.baseUrl, activity);
  /** « Prendre en charge », « Clore », « Rouvrir » in the back-office, as `who`. */
  const backOffice = (who: string, id: string, action: 'claim' | 'close' | 'reopen') =>
    fetch(`${app.baseUrl}/admin/api/handoffs/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` } });

  beforeAll(async () => {
    db = await openTestDb('teams_claim');
    teams = await new FakeConnector().start();
    app = await startTestApp(db.connection, {
      OPERATOR_NAME: 'DLA de la Gironde', HANDOFF_TEAMS_CONVERSATION_ID: CHANNEL, HANDOFF_TEAMS_SERVICE_URL: teams.url, HANDOFF_TEAMS_TENANT_ID: TENANT,
      HANDOFF_MAX_ATTEMPTS: '2', // a card's update given up after two failures (the connector's own retries make each a few seconds)
    }, { now: () => Date.now() + skew });
    const auth = new AdminAuth(db.connection);
    await auth.upsertUser({ email: MARIE.email, name: MARIE.name, role: 'charge', departements: ['33'] });
    await auth.upsertUser({ email: PAUL.email, name: PAUL.name, role: 'charge', departements: ['33'] });
    await auth.upsertUser({ email: LEA.email, name: LEA.name, role: 'charge', departements: ['24'] });
    for (const m of [MARIE, PAUL, LEA, STRANGER]) teams.members.set(m.id, { name: m.name, email: m.email, userPrincipalName: m.email });
    tokens.marie = (await auth.createUserToken(MARIE.email)).token;
    tokens.paul = (await auth.createUserToken(PAUL.email)).token;
  });
  afterAll(async () => {
    await app?.close();
    await teams?.stop();
    await db?.close();
  });

  /** A handoff of a structure of the Gironde, its card posted into the channel; returns it and its card's activity id. */
  async function posted(): Promise<{ handoff: Handoff; cardId: string }> {
    const handoff = await app.app.outbox.create({
      reason: 'user_request', urgency: 'normal', departement: '33', structureName: `Les Jardins ${randomUUID().slice(0, 6)}`,
      contact: { name: 'Camille', phone: '06 12 34 56 78' }, consent: true, transcript: { channelId: 'msteams', conversationId: `a:1${randomUUID()}` },
    });
    await app.app.outbox.drain();
    const stored = (await app.app.outbox.get(handoff._id))!;
    const cardId = stored.deliveries.find((d) => d.notifier === 'teams')?.messageId;
    expect(cardId).toBeTruthy();
    return { handoff: stored, cardId: cardId! };
  }

  /** The submit of « Je m’en occupe », as Teams posts it from the card's thread in the channel. */
  function click(member: { id: string; name: string }, handoffId: string, cardId: string) {
    return {
      type: 'message', id: `f:${randomUUID()}`, channelId: 'msteams', serviceUrl: teams.url, timestamp: new Date().toISOString(), locale: 'fr-FR',
      conversation: { id: `${CHANNEL};messageid=${cardId}`, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      from: { id: member.id, name: member.name, aadObjectId: randomUUID() }, recipient: BOT, replyToId: cardId,
      channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } },
      value: { dlaAction: 'handoff.claim', handoffId },
    };
  }

  const repliesIn = (cardId: string) => teams.messages(`${CHANNEL};messageid=${cardId}`).join('\n');
  const updatesOf = (cardId: string) => teams.updates.filter((u) => u.id === cardId);
  const cardOf = (activity: Partial<Activity> | undefined) => activity?.attachments?.[0]?.content as { actions: { type: string; title: string; data?: unknown }[] };
  /** What the card `cardId` reads now (its latest update): its text, and its buttons. */
  const cardNow = (cardId: string) => {
    const card = cardOf(updatesOf(cardId).at(-1));
    return { text: asRead(cardText(card)), buttons: card?.actions.map((a) => asRead(a.title)) };
  };
  const BUTTONS_OPEN = ['Je m’en occupe', 'Ouvrir le dossier dans le back-office'];
  const BUTTONS_TAKEN = ['Ouvrir le dossier dans le back-office'];

  it('a known chargé·e claims it: the handoff is theirs, as from the back-office, and the card says who took it up', async () => {
    const { handoff, cardId } = await posted();
    const sent = teams.activities.find((a) => a.conversation?.id === CHANNEL && asRead(a.summary ?? '').includes(handoff.structureName!));
    expect(cardOf(sent).actions.map((a) => [a.type, asRead(a.title), a.data])).toEqual([
      ['Action.Submit', 'Je m’en occupe', { dlaAction: 'handoff.claim', handoffId: handoff._id }],
      ['Action.OpenUrl', 'Ouvrir le dossier dans le back-office', undefined],
    ]);

    expect((await post(click(MARIE, handoff._id, cardId))).status).toBe(200);

    expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedBy: 'marie.dupont@dla33.example', claimedByName: 'Marie Dupont' });
    const [updated] = updatesOf(cardId);
    expect(updated).toBeDefined();
    const text = asRead(cardText(cardOf(updated)));
    expect(text).toContain(handoff.structureName);
    expect(text).toMatch(/Prise en charge par Marie Dupont le \d\d\/\d\d\/\d{4}/);
    expect(cardOf(updated).actions.map((a) => a.type)).toEqual(['Action.OpenUrl']); // no « Je m’en occupe » any more
    expect(repliesIn(cardId)).toBe(''); // the card says it: no message in the thread
  });

  it('a Teams member without a back-office account is told how to get one; nothing changes', async () => {
    const { handoff, cardId } = await posted();
    await post(click(STRANGER, handoff._id, cardId));
    expect(repliesIn(cardId)).toContain('Aucun compte du back-office n’est ouvert à l’adresse sam@elsewhere.example : demandez à un·e administrateur·rice');
    expect((await app.app.outbox.get(handoff._id))?.status).toBe('open');
    expect(updatesOf(cardId)).toEqual([]);
  });

  it('a chargé·e of another département is told it is not theirs; nothing changes', async () => {
    const { handoff, cardId } = await posted();
    await post(click(LEA, handoff._id, cardId));
    expect(repliesIn(cardId)).toContain('Cette demande relève d’un département qui ne vous est pas attribué');
    expect((await app.app.outbox.get(handoff._id))?.status).toBe('open');
  });

  it('already taken up by someone else: the reply names who, the claim stays theirs', async () => {
    const { handoff, cardId } = await posted();
    await post(click(PAUL, handoff._id, cardId));
    const taken = (await app.app.outbox.get(handoff._id))!;
    expect(taken.claimedByName).toBe('Paul Martin');

    await post(click(MARIE, handoff._id, cardId));
    expect(repliesIn(cardId)).toMatch(/Cette demande a déjà été prise en charge par Paul Martin le \d\d\/\d\d\/\d{4}\./);
    expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedBy: PAUL.email, claimedByName: 'Paul Martin', claimedAt: taken.claimedAt });
  });

  it('a closed handoff is not claimed (the card then says who closed it), nor one that no longer exists', async () => {
    const { handoff, cardId } = await posted();
    await app.app.outbox.close(handoff._id, PAUL.email, PAUL.name);
    await post(click(MARIE, handoff._id, cardId));
    expect(repliesIn(cardId)).toContain('Cette demande est close : rouvrez-la depuis le back-office s’il faut encore rappeler la structure.');
    expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'closed', claimedBy: PAUL.email });
    expect(asRead(cardText(cardOf(updatesOf(cardId).at(-1))))).toMatch(/Close par Paul Martin le /);

    await post(click(MARIE, randomUUID(), cardId));
    expect(repliesIn(cardId)).toContain('Cette demande n’existe plus');
  });

  it('the same submit from a structure’s own Teams chat, or from Web Chat, claims nothing', async () => {
    const { handoff, cardId } = await posted();
    // A structure's personal chat with the bot, as a member Teams knows as a chargé·e.
    const personal = `a:1${randomUUID()}`;
    await post({ ...click(MARIE, handoff._id, cardId), conversation: { id: personal, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } });
    // Web Chat (Direct Line), naming even the chargé·es' channel as its conversation.
    const web = new Channel(teams.url);
    await post({ ...web.say(''), text: undefined, conversation: { id: `${CHANNEL};messageid=${cardId}` }, from: { id: MARIE.id, name: MARIE.name }, value: { dlaAction: 'handoff.claim', handoffId: handoff._id } });
    expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'open' });
    expect((await app.app.outbox.get(handoff._id))?.claimedBy).toBeUndefined();
    expect(updatesOf(cardId)).toEqual([]);
    expect(teams.messages(personal).join('\n')).not.toMatch(/Prise en charge|compte du back-office|département/);
    // The same member's click on the card in the channel does claim it.
    await post(click(MARIE, handoff._id, cardId));
    expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedByName: 'Marie Dupont' });
  });

  it('a click naming another service than the configured Teams one claims nothing: who clicked is never asked there', async () => {
    // Without MicrosoftAppId nothing signs /api/messages: a forged click could name a server of its own
    // that answers « this member is Marie » — it is not asked, and nothing is claimed.
    const impostor = await new FakeConnector().start();
    try {
      impostor.members.set(STRANGER.id, { name: MARIE.name, email: MARIE.email, userPrincipalName: MARIE.email });
      const { handoff, cardId } = await posted();
      await post({ ...click(STRANGER, handoff._id, cardId), serviceUrl: impostor.url });
      expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'open' });
      expect(updatesOf(cardId)).toEqual([]);
      expect(impostor.memberLookups).toBe(0);
    } finally {
      await impostor.stop();
    }
  });

  describe('the cards follow the handoff when it changes elsewhere', () => {
    it('claimed, closed, reopened from the back-office: the card in the channel says who took it up and when, then that it is closed, then offers « Je m’en occupe » again', async () => {
      const { handoff, cardId } = await posted();

      expect((await backOffice('marie', handoff._id, 'claim')).status).toBe(200);
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Prise en charge par Marie Dupont le \d\d\/\d\d\/\d{4}/);
      expect(cardNow(cardId).text).toContain(handoff.structureName);
      expect(cardNow(cardId).buttons).toEqual(BUTTONS_TAKEN);

      expect((await backOffice('marie', handoff._id, 'close')).status).toBe(200);
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Close par Marie Dupont le \d\d\/\d\d\/\d{4}/);
      expect(cardNow(cardId).buttons).toEqual(BUTTONS_TAKEN);

      expect((await backOffice('paul', handoff._id, 'reopen')).status).toBe(200);
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).not.toMatch(/Prise en charge par|Close par/);
      expect(cardNow(cardId).buttons).toEqual(BUTTONS_OPEN);
      // The button works again: Paul takes it up from the card.
      await post(click(PAUL, handoff._id, cardId));
      expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedByName: 'Paul Martin' });
      expect(cardNow(cardId).text).toMatch(/Prise en charge par Paul Martin le /);
    });

    it('the Teams service down when the card is to change: the back-office still answers 200 with the handoff taken up; the card is updated once the service is back', async () => {
      const { handoff, cardId } = await posted();
      teams.updateStatus = 503;
      try {
        const res = await backOffice('marie', handoff._id, 'claim');
        expect(res.status).toBe(200);
        expect((await res.json()).handoff).toMatchObject({ status: 'claimed', claimedByName: 'Marie Dupont' });
        await app.app.outbox.drain();
        expect(updatesOf(cardId)).toEqual([]);
        expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedByName: 'Marie Dupont' });
      } finally {
        teams.updateStatus = undefined;
      }
      // Retried after its backoff (30 s), not before.
      await app.app.outbox.drain();
      expect(updatesOf(cardId)).toEqual([]);
      skew += 60_000;
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Prise en charge par Marie Dupont le /);
      expect(cardNow(cardId).buttons).toEqual(BUTTONS_TAKEN);
    });

    it('the card’s update given up (Teams down through every attempt): the back-office shows the handoff delivered and the card’s update not made — « Réessayer l’envoi » makes it; a later change replaces it', async () => {
      const shown = async (id: string) => (await (await fetch(`${app.baseUrl}/admin/api/handoffs`, { headers: { authorization: `Bearer ${tokens.marie}` } })).json())
        .handoffs.find((h: { id: string }) => h.id === id);
      const refreshes = (id: string) => app.app.outbox.get(id).then((h) => h!.deliveries.filter((d) => d.event === 'statusChanged'));
      const { handoff, cardId } = await posted();
      teams.updateStatus = 503;
      try {
        expect((await backOffice('marie', handoff._id, 'claim')).status).toBe(200);
        for (let attempt = 0; attempt < 2; attempt++) {
          await app.app.outbox.drain();
          skew += 3_600_000; // past the backoff
        }
        expect(await refreshes(handoff._id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 2 })]);
        // The chargé·es did receive the handoff: never « Non transmis »; the card's update is what failed.
        expect(await shown(handoff._id)).toMatchObject({ status: 'claimed', delivery: 'sent', updates: 'failed' });
      } finally {
        teams.updateStatus = undefined;
      }
      expect(updatesOf(cardId)).toEqual([]);
      // « Réessayer l’envoi » sends the update again: the card then says who took it up.
      const retried = await fetch(`${app.baseUrl}/admin/api/handoffs/${encodeURIComponent(handoff._id)}/retry`, { method: 'POST', headers: { authorization: `Bearer ${tokens.marie}` } });
      expect(retried.status).toBe(200);
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Prise en charge par Marie Dupont le /);
      expect(await shown(handoff._id)).toMatchObject({ delivery: 'sent', updates: null });

      // Given up again, then replaced by the next change's update (which shows the status of then).
      teams.updateStatus = 503;
      try {
        expect((await backOffice('marie', handoff._id, 'reopen')).status).toBe(200);
        for (let attempt = 0; attempt < 2; attempt++) {
          await app.app.outbox.drain();
          skew += 3_600_000;
        }
        expect(await shown(handoff._id)).toMatchObject({ status: 'open', delivery: 'sent', updates: 'failed' });
      } finally {
        teams.updateStatus = undefined;
      }
      expect((await backOffice('paul', handoff._id, 'claim')).status).toBe(200);
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Prise en charge par Paul Martin le /);
      expect(await shown(handoff._id)).toMatchObject({ delivery: 'sent', updates: null });
      // The update given up is not sent again: nothing is left to retry.
      const nothing = await fetch(`${app.baseUrl}/admin/api/handoffs/${encodeURIComponent(handoff._id)}/retry`, { method: 'POST', headers: { authorization: `Bearer ${tokens.paul}` } });
      expect(nothing.status).toBe(409);
    }, 90_000);

    it('taken up then completed by a hub (handoff.status): the card says so', async () => {
      // A request made in a conversation a hub (Omnichannel) listens on.
      const conversationId = `hub-${randomUUID()}`;
      const created = await app.app.outbox.create({
        reason: 'user_request', urgency: 'normal', departement: '33', structureName: 'La Ressourcerie', consent: true, transcript: { channelId: 'omnichannel', conversationId },
      });
      await app.app.outbox.drain();
      const cardId = (await app.app.outbox.get(created._id))!.deliveries.find((d) => d.notifier === 'teams')!.messageId!;
      const status = (state: string) => ({ ...new Channel(teams.url, 'fr-FR', 'omnichannel').say(''), conversation: { id: conversationId }, type: 'event', name: 'handoff.status', text: undefined, value: { state, handoffId: created._id } });

      await post(status('accepted'));
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Prise en charge par hub le /);
      expect(cardNow(cardId).buttons).toEqual(BUTTONS_TAKEN);
      await post(status('completed'));
      await app.app.outbox.drain();
      expect(cardNow(cardId).text).toMatch(/Close par hub le /);
    });

    it('an update card (a message from the structure) offers « Je m’en occupe » while open; claimed from it, it and the handoff’s card say who took it up', async () => {
      const { handoff, cardId } = await posted();
      await app.app.outbox.addMessage(handoff._id, 'Trésorerie tendue ce trimestre');
      await app.app.outbox.drain();
      const updateId = (await app.app.outbox.get(handoff._id))!.deliveries.find((d) => d.notifier === 'teams' && d.event === 'messageAdded')?.messageId;
      expect(updateId).toBeTruthy();
      const update = cardOf(teams.activities.find((a) => asRead(cardText(cardOf(a))).includes('Trésorerie tendue ce trimestre')));
      expect(update.actions.map((a) => [asRead(a.title), a.data])).toEqual([
        ['Je m’en occupe', { dlaAction: 'handoff.claim', handoffId: handoff._id }],
        ['Ouvrir le dossier dans le back-office', undefined],
      ]);

      expect((await post(click(MARIE, handoff._id, updateId!))).status).toBe(200);

      expect(await app.app.outbox.get(handoff._id)).toMatchObject({ status: 'claimed', claimedByName: 'Marie Dupont' });
      for (const id of [cardId, updateId!]) {
        expect(cardNow(id).text).toMatch(/Prise en charge par Marie Dupont le \d\d\/\d\d\/\d{4}/);
        expect(cardNow(id).buttons).toEqual(BUTTONS_TAKEN);
      }
      expect(cardNow(updateId!).text).toContain('Trésorerie tendue ce trimestre'); // still the update's card
      expect(repliesIn(updateId!)).toBe('');
    });
  });
});

