import { randomUUID } from 'node:crypto';
import { Activity, ActivityTypes, TestAdapter, TranscriptLogger, TurnContext } from 'botbuilder';
import { createAdapter } from '../../src/adapter';
import { onTurnError } from '../../src/bot';
import { TranscriptLoggingMiddleware, useTranscripts } from '../../src/handoff/transcriptLogger';
import { log } from '../../src/log';
import { MongoTranscriptStore, TRANSCRIPTS_COLLECTION } from '../../src/store/transcripts';
import { FakeConnector } from '../helpers/connector';
import { openTestDb, TestDb } from '../helpers/db';

function activity(channelId: string, conversationId: string, text: string, timestamp: Date, extra: Partial<Activity> = {}): Activity {
  return {
    type: 'message', id: randomUUID(), channelId, text, timestamp,
    conversation: { id: conversationId }, from: { id: 'user-1', name: 'Structure', role: 'user' }, recipient: { id: 'bot', name: 'DLA' },
    ...extra,
  } as Activity;
}

/** Every activity of a conversation, page after page; checks each page's size and token. */
async function readAll(store: MongoTranscriptStore, channelId: string, conversationId: string, startDate?: Date): Promise<{ pages: Activity[][]; tokens: string[] }> {
  const pages: Activity[][] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.getTranscriptActivities(channelId, conversationId, token, startDate);
    pages.push(page.items);
    tokens.push(page.continuationToken);
    token = page.continuationToken;
    if (pages.length > 50) throw new Error('paging does not end');
  } while (token);
  return { pages, tokens };
}

async function transcript(store: MongoTranscriptStore, channelId: string, conversationId: string): Promise<Activity[]> {
  return (await readAll(store, channelId, conversationId)).pages.flat();
}

describe('MongoTranscriptStore (botbuilder TranscriptStore contract on FerretDB)', () => {
  let db: TestDb;
  let store: MongoTranscriptStore;
  beforeAll(async () => {
    db = await openTestDb('transcripts');
    store = new MongoTranscriptStore(db.connection);
  });
  afterAll(() => db.close());
  afterEach(() => jest.restoreAllMocks()); // Date.now, moved past the read-ahead, even when a test fails

  it('round-trips an activity: dotted and $ keys in channelData, Date timestamps', async () => {
    const at = new Date('2025-03-04T10:00:00.123Z');
    const sent = activity('directline', 'conv-roundtrip', 'Bonjour, ça va ?', at, {
      localTimestamp: new Date('2025-03-04T11:00:00.123Z'),
      channelData: { 'a.b': { $weird: 1, 'c.d': [1, { 'e.f': true }] } },
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'é' }] } }],
    });
    await store.logActivity(sent);
    const page = await store.getTranscriptActivities('directline', 'conv-roundtrip');
    expect(page.continuationToken).toBe('');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toEqual(sent);
    expect(page.items[0].timestamp).toBeInstanceOf(Date);
    expect(page.items[0].localTimestamp).toBeInstanceOf(Date);
  });

  it('pages 45 activities 20 at a time, by timestamp then insertion, without duplicates or gaps', async () => {
    const base = Date.parse('2025-05-01T08:00:00Z');
    // Three activities share each timestamp (i / 3); the groups are logged latest first, each
    // group in order: the read order is then the timestamp, then the order of insertion.
    for (let group = 14; group >= 0; group--) {
      for (let i = group * 3; i < group * 3 + 3; i++) {
        await store.logActivity(activity('msteams', 'conv-paging', `m${i}`, new Date(base + group * 1000)));
      }
    }
    await store.logActivity(activity('msteams', 'conv-other', 'not mine', new Date(base)));

    // Read-ahead (the default: one read of the conversation, pages from memory), none, and ending
    // mid-read (40). Each read of the conversation starts with its head.
    const queries = jest.spyOn(db.connection.models.TranscriptConversation, 'findOne');
    for (const [reader, expectedQueries] of [
      [store, 1], [new MongoTranscriptStore(db.connection, { readAhead: 1 }), 3], [new MongoTranscriptStore(db.connection, { readAhead: 40 }), 2],
    ] as const) {
      queries.mockClear();
      const { pages, tokens } = await readAll(reader, 'msteams', 'conv-paging');
      expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
      expect(tokens[0]).not.toBe('');
      expect(tokens[1]).not.toBe('');
      expect(tokens[2]).toBe('');
      expect(pages.flat().map((a) => a.text)).toEqual(Array.from({ length: 45 }, (_, i) => `m${i}`));
      expect(queries).toHaveBeenCalledTimes(expectedQueries);

      // startDate: from the 11th group on (one page), and from the 4th on (two pages).
      const late = await readAll(reader, 'msteams', 'conv-paging', new Date(base + 10_000));
      expect(late.pages.map((p) => p.length)).toEqual([15]);
      expect(late.pages[0].map((a) => a.text)).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 30}`));
      const fromFourth = await readAll(reader, 'msteams', 'conv-paging', new Date(base + 3_000));
      expect(fromFourth.pages.map((p) => p.length)).toEqual([20, 16]);
      expect(fromFourth.pages.flat().map((a) => a.text)).toEqual(Array.from({ length: 36 }, (_, i) => `m${i + 9}`));
    }
    queries.mockRestore();
  });

  it('a paged read sees what this store logs between two pages, and other writers once the read-ahead expires', async () => {
    const base = Date.parse('2025-05-02T08:00:00Z');
    for (let i = 0; i < 25; i++) await store.logActivity(activity('webchat', 'conv-live', `m${i}`, new Date(base + i)));
    const first = await store.getTranscriptActivities('webchat', 'conv-live');
    await store.logActivity(activity('webchat', 'conv-live', 'new, through this store', new Date(base + 100)));
    const second = await store.getTranscriptActivities('webchat', 'conv-live', first.continuationToken);
    expect(second.items.map((a) => a.text)).toEqual(['m20', 'm21', 'm22', 'm23', 'm24', 'new, through this store']);

    // Another process's write (another store), dated within the read: the next page comes from the
    // read-ahead snapshot (without it) until that expires (a minute), then from the database (with it).
    const otherProcess = new MongoTranscriptStore(db.connection);
    const other = (text: string, at: number) => otherProcess.logActivity(activity('webchat', 'conv-live', text, new Date(base + at)));
    const page1 = await store.getTranscriptActivities('webchat', 'conv-live');
    await other('A', 22);
    expect((await store.getTranscriptActivities('webchat', 'conv-live', page1.continuationToken)).items.map((a) => a.text))
      .toEqual(['m20', 'm21', 'm22', 'm23', 'm24', 'new, through this store']);
    const again = await store.getTranscriptActivities('webchat', 'conv-live');
    await other('B', 23);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    expect((await store.getTranscriptActivities('webchat', 'conv-live', again.continuationToken)).items.map((a) => a.text))
      .toEqual(['m20', 'm21', 'm22', 'A', 'm23', 'B', 'm24', 'new, through this store']);
  });

  it('honours the page size given to the constructor, and rejects a forged continuation token', async () => {
    const small = new MongoTranscriptStore(db.connection, { pageSize: 2 });
    const at = new Date('2025-06-01T00:00:00Z');
    for (const text of ['a', 'b', 'c', 'd']) await small.logActivity(activity('webchat', 'conv-small', text, at));
    // An exact multiple of the page size: the last full page says it is the last (no empty page).
    const { pages, tokens } = await readAll(small, 'webchat', 'conv-small');
    expect(pages.map((p) => p.map((a) => a.text))).toEqual([['a', 'b'], ['c', 'd']]);
    expect(tokens[1]).toBe('');
    const after = await readAll(small, 'webchat', 'conv-small', new Date(at.getTime() + 1));
    expect(after.pages).toEqual([[]]);
    expect(after.tokens).toEqual(['']);
    await expect(small.getTranscriptActivities('webchat', 'conv-small', 'not-a-token')).rejects.toThrow(/continuation token/);
    expect(() => new MongoTranscriptStore(db.connection, { pageSize: 0 })).toThrow(RangeError);
  });

  it('lists the conversations of a channel by date of their first activity, page by page', async () => {
    const store2 = new MongoTranscriptStore(db.connection, { pageSize: 2 });
    const t = (minute: number) => new Date(Date.UTC(2025, 6, 1, 9, minute));
    await store2.logActivity(activity('list', 'conv-b', 'b1', t(2)));
    await store2.logActivity(activity('list', 'conv-a', 'a2', t(5)));
    await store2.logActivity(activity('list', 'conv-a', 'a1', t(1))); // logged later, dated earlier
    await store2.logActivity(activity('list', 'conv-d', 'd1', t(3)));
    await store2.logActivity(activity('list', 'conv-c', 'c1', t(3)));
    await store2.logActivity(activity('list-other', 'conv-x', 'x', t(0)));

    const first = await store2.listTranscripts('list');
    expect(first.items).toEqual([{ channelId: 'list', id: 'conv-a', created: t(1) }, { channelId: 'list', id: 'conv-b', created: t(2) }]);
    expect(first.continuationToken).not.toBe('');
    const second = await store2.listTranscripts('list', first.continuationToken);
    expect(second.items).toEqual([{ channelId: 'list', id: 'conv-c', created: t(3) }, { channelId: 'list', id: 'conv-d', created: t(3) }]);
    expect(second.continuationToken).toBe('');
    expect((await store2.listTranscripts('nobody')).items).toEqual([]);
  });

  it('keeps Teams-style ids apart and deletes one conversation only', async () => {
    const at = new Date('2025-08-01T12:00:00Z');
    const ids = [
      'a:1Jq9vYt-kD9_0H9@thread.tacv2',
      'a:1Jq9vYt-kD9_0H9@thread.tacv2|19:abc.def@unq.gbl.spaces',
      '19:meeting_Zm9v@thread.v2;messageid=1712345678901',
      '29:1abc|x;y@z',
    ];
    for (const [i, id] of ids.entries()) {
      await store.logActivity(activity('msteams-ids', id, `hello ${i}`, at));
      await store.logActivity(activity('msteams-ids', id, `again ${i}`, new Date(at.getTime() + 1)));
    }
    // Same `${channel}|${conversation}` text, different pairs.
    await store.logActivity(activity('x|y', 'z', 'pair 1', at));
    await store.logActivity(activity('x', 'y|z', 'pair 2', at));

    for (const [i, id] of ids.entries()) {
      const items = await transcript(store, 'msteams-ids', id);
      expect(items.map((a) => [a.conversation.id, a.text])).toEqual([[id, `hello ${i}`], [id, `again ${i}`]]);
    }
    expect((await store.listTranscripts('msteams-ids')).items.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect((await transcript(store, 'x|y', 'z')).map((a) => a.text)).toEqual(['pair 1']);
    expect((await transcript(store, 'x', 'y|z')).map((a) => a.text)).toEqual(['pair 2']);

    await store.deleteTranscript('msteams-ids', ids[0]);
    expect(await transcript(store, 'msteams-ids', ids[0])).toEqual([]);
    expect(await transcript(store, 'msteams-ids', ids[1])).toHaveLength(2);
    await store.deleteConversation('msteams-ids', ids[1]);
    expect(await transcript(store, 'msteams-ids', ids[1])).toEqual([]);
    expect((await store.listTranscripts('msteams-ids')).items.map((t) => t.id).sort()).toEqual([ids[2], ids[3]].sort());
    await store.deleteTranscript('x', 'y|z');
    expect(await transcript(store, 'x|y', 'z')).toHaveLength(1);

    // A paged read in progress: the pages after a deletion are empty.
    for (let i = 0; i < 25; i++) await store.logActivity(activity('msteams-ids', ids[2], `more ${i}`, at));
    const first = await store.getTranscriptActivities('msteams-ids', ids[2]);
    await store.deleteTranscript('msteams-ids', ids[2]);
    expect(await store.getTranscriptActivities('msteams-ids', ids[2], first.continuationToken)).toEqual({ items: [], continuationToken: '' });
  });

  it('finds the conversations a person took part in, on that channel only, latest first', async () => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 5, 10, m));
    const asUser = (user: string) => ({ from: { id: user, role: 'user' }, recipient: { id: 'bot' } }) as Partial<Activity>;
    const toUser = (user: string) => ({ from: { id: 'bot', role: 'bot' }, recipient: { id: user } }) as Partial<Activity>;
    await store.logActivities([
      activity('people', 'old', 'bonjour', t(1), asUser('ana')),
      activity('people', 'old', 'bienvenue', t(2), toUser('ana')),
      activity('people', 'bob-only', 'salut', t(3), asUser('bob')),
      activity('people', 'recent', 'bonjour', t(4), toUser('ana')), // a proactive message Ana never answered
      activity('elsewhere', 'other-channel', 'bonjour', t(5), asUser('ana')),
    ]);
    expect(await store.conversationsOf('people', 'ana')).toEqual(['recent', 'old']);
    expect(await store.conversationsOf('people', 'bob')).toEqual(['bob-only']);
    expect(await store.conversationsOf('people', 'nobody')).toEqual([]);
  });

  it('rejects an activity without channel or conversation', async () => {
    await expect(store.logActivity({ type: 'message', channelId: 'c' } as Activity)).rejects.toThrow(/conversation/);
    await expect(store.logActivity({ type: 'message', conversation: { id: 'c' } } as Activity)).rejects.toThrow(/channelId/);
  });

  it('purgeBefore deletes every activity older than the date, in every conversation, and counts them', async () => {
    const keep = new Date('2021-02-01T00:00:00Z');
    await store.logActivity(activity('retention', 'conv-old', 'old 1', new Date('2019-03-01T00:00:00Z')));
    await store.logActivity(activity('retention', 'conv-old', 'old 2', new Date('2019-03-01T00:01:00Z')));
    await store.logActivity(activity('retention-2', 'conv-mixed', 'old 3', new Date('2019-12-31T23:59:59.999Z')));
    await store.logActivity(activity('retention-2', 'conv-mixed', 'kept', keep));
    await store.logActivity(activity('retention-2', 'conv-mixed', 'boundary', new Date('2020-01-01T00:00:00Z')));
    for (let i = 0; i < 22; i++) await store.logActivity(activity('retention', 'conv-long', `long ${i}`, new Date(Date.UTC(2019, 5, 1, 0, i))));
    for (let i = 0; i < 3; i++) await store.logActivity(activity('retention', 'conv-recent', `recent ${i}`, new Date(Date.UTC(2024, 0, 1, 0, i))));
    const first = await store.getTranscriptActivities('retention', 'conv-long'); // a paged read in progress

    expect(await store.purgeBefore(new Date('2020-01-01T00:00:00Z'))).toBe(25);
    expect(await store.getTranscriptActivities('retention', 'conv-long', first.continuationToken)).toEqual({ items: [], continuationToken: '' });
    expect(await transcript(store, 'retention', 'conv-old')).toEqual([]);
    expect((await transcript(store, 'retention-2', 'conv-mixed')).map((a) => a.text)).toEqual(['boundary', 'kept']);
    expect((await transcript(store, 'retention', 'conv-recent')).map((a) => a.text)).toEqual(['recent 0', 'recent 1', 'recent 2']); // recent ones untouched
    expect(await store.purgeBefore(new Date('2020-01-01T00:00:00Z'))).toBe(0);
    // The conversations left empty are no longer listed; the others from their earliest activity left.
    expect((await store.listTranscripts('retention')).items.map((c) => c.id)).toEqual(['conv-recent']);
    expect((await store.listTranscripts('retention-2')).items).toEqual([{ channelId: 'retention-2', id: 'conv-mixed', created: new Date('2020-01-01T00:00:00Z') }]);
  });

  it('concurrent writers to one conversation (this store, another instance) lose nothing and keep each one\'s order', async () => {
    const at = new Date('2025-09-01T10:00:00Z'); // one timestamp: the order read is the order of logging
    const writers = [store, store, new MongoTranscriptStore(db.connection), new MongoTranscriptStore(db.connection)];
    await Promise.all(writers.map(async (writer, w) => {
      for (let turn = 0; turn < 12; turn++) {
        await writer.logActivities([activity('busy', 'conv-busy', `w${w} t${turn} in`, at), activity('busy', 'conv-busy', `w${w} t${turn} out`, at)]);
      }
    }));
    const texts = (await transcript(store, 'busy', 'conv-busy')).map((a) => a.text!);
    expect(texts).toHaveLength(4 * 12 * 2);
    expect(new Set(texts).size).toBe(texts.length);
    for (let w = 0; w < writers.length; w++) {
      expect(texts.filter((t) => t.startsWith(`w${w} `))).toEqual(Array.from({ length: 24 }, (_, i) => `w${w} t${i >> 1} ${i % 2 ? 'out' : 'in'}`));
    }

    // Another process's claim applied over this one's (FerretDB v1 updates are not atomic): the
    // head says fewer slots than are taken. Nothing written next overwrites or hides what is there.
    await db.connection.db!.collection('transcript_conversations').updateOne({ conversationId: 'conv-busy' }, { $set: { next: 3 } });
    expect(await transcript(store, 'busy', 'conv-busy')).toHaveLength(96);
    await store.logActivities([activity('busy', 'conv-busy', 'after', at), activity('busy', 'conv-busy', 'after 2', at)]);
    const after = (await transcript(store, 'busy', 'conv-busy')).map((a) => a.text);
    expect(after).toHaveLength(98);
    expect(after.slice(-2)).toEqual(['after', 'after 2']);
  });

  it('a sole writer (the embedded database) takes its slots from memory: readers still see every activity, in order, after an erasure and a purge too', async () => {
    const writer = new MongoTranscriptStore(db.connection, { soleWriter: true });
    const reader = new MongoTranscriptStore(db.connection);
    const at = (second: number) => new Date(Date.UTC(2025, 10, 1, 9, 0, second));
    const turn = (n: number, date: Date) => writer.logActivities(['in', 'out', 'question'].map((t) => activity('sole', 'conv-sole', `t${n} ${t}`, date)));
    for (let n = 0; n < 25; n++) await turn(n, at(n));
    const expected = Array.from({ length: 75 }, (_, i) => `t${Math.floor(i / 3)} ${['in', 'out', 'question'][i % 3]}`);
    expect((await transcript(reader, 'sole', 'conv-sole')).map((a) => a.text)).toEqual(expected);
    expect((await reader.latestActivities('sole', 'conv-sole', 2)).map((a) => a.text)).toEqual(['t24 out', 't24 question']);
    expect((await reader.listTranscripts('sole')).items).toEqual([{ channelId: 'sole', id: 'conv-sole', created: at(0) }]);
    // The head is written now and then, not at every append: it may be behind, never ahead.
    const head = await db.connection.db!.collection('transcript_conversations').findOne({ conversationId: 'conv-sole' });
    expect(head!.next).toBeGreaterThan(75 - 16);
    expect(head!.next).toBeLessThan(75);

    await writer.deleteTranscript('sole', 'conv-sole');
    await turn(25, at(25));
    expect((await transcript(reader, 'sole', 'conv-sole')).map((a) => a.text)).toEqual(['t25 in', 't25 out', 't25 question']);

    expect(await writer.purgeBefore(at(26))).toBeGreaterThanOrEqual(3); // (other tests' older activities too)
    expect(await transcript(reader, 'sole', 'conv-sole')).toEqual([]); // left empty: its head goes
    await turn(26, at(27));
    expect((await transcript(reader, 'sole', 'conv-sole')).map((a) => a.text)).toEqual(['t26 in', 't26 out', 't26 question']);
    expect((await reader.listTranscripts('sole')).items).toEqual([{ channelId: 'sole', id: 'conv-sole', created: at(27) }]);
  });

  it('reads the transcripts stored before the upgrade once filed at start (once, idempotent), and erases them', async () => {
    // As the previous version stored them: one document per activity, `channel|conversation|sequence`.
    const legacy = (channelId: string, conversationId: string, text: string, timestamp: Date, sequence: string) => ({
      _id: `${channelId}|${conversationId}|${sequence}`, channelId, conversationId, timestamp, participants: ['user-1', 'bot'],
      activity: JSON.stringify(activity(channelId, conversationId, text, timestamp)),
    });
    const t = (minute: number) => new Date(Date.UTC(2024, 4, 2, 9, minute));
    await db.connection.db!.collection(TRANSCRIPTS_COLLECTION).insertMany([
      legacy('old', 'conv-1', 'deuxième', t(2), '0001746176520000000aaaaaaaa'),
      legacy('old', 'conv-1', 'premier', t(1), '0001746176580000000aaaaaaaa'), // logged later, dated earlier
      legacy('old', 'conv-1', 'troisième', t(2), '0001746176590000000aaaaaaaa'),
      legacy('old', 'conv-2', 'autre', t(3), '0001746176600000000bbbbbbbb'),
    ] as never[]);
    const infos = jest.spyOn(log, 'info').mockImplementation(() => undefined);
    const reader = new MongoTranscriptStore(db.connection);

    expect(await reader.migrate()).toBe(4);
    expect(infos).toHaveBeenCalledWith('Transcripts filed by conversation (once, after an upgrade)', expect.objectContaining({ activities: 4, conversations: 2 }));
    expect((await transcript(reader, 'old', 'conv-1')).map((a) => a.text)).toEqual(['premier', 'deuxième', 'troisième']);
    await reader.logActivity(activity('old', 'conv-1', 'après la mise à jour', t(4)));
    expect((await transcript(reader, 'old', 'conv-1')).map((a) => a.text)).toEqual(['premier', 'deuxième', 'troisième', 'après la mise à jour']);
    expect((await reader.listTranscripts('old')).items).toEqual([{ channelId: 'old', id: 'conv-1', created: t(1) }, { channelId: 'old', id: 'conv-2', created: t(3) }]);
    expect(await reader.conversationsOf('old', 'user-1')).toEqual(['conv-1', 'conv-2']);
    // A second start: nothing to file again, and the upgrade is marked done (no scan at later starts).
    expect(await reader.migrate()).toBe(0);
    expect(await db.connection.db!.collection('schema_versions').findOne({ _id: 'transcripts-filed-by-conversation' as never })).toMatchObject({ at: expect.any(Date) });
    expect((await transcript(reader, 'old', 'conv-1'))).toHaveLength(4);

    await reader.deleteTranscript('old', 'conv-1');
    expect(await transcript(reader, 'old', 'conv-1')).toEqual([]);
    expect((await transcript(reader, 'old', 'conv-2')).map((a) => a.text)).toEqual(['autre']);
  });

  it('erasure leaves nothing of the conversation: no activity, no head, wherever its head said they were', async () => {
    const at = new Date('2025-10-01T10:00:00Z');
    const other = new MongoTranscriptStore(db.connection);
    for (let i = 0; i < 40; i++) await (i % 2 ? store : other).logActivity(activity('erase', 'conv-erase', `m${i}`, new Date(at.getTime() + i)));
    await store.logActivity(activity('erase', 'conv-kept', 'kept', at));
    // A head behind its slots (a crash between the claim and the insert of another process).
    await db.connection.db!.collection('transcript_conversations').updateOne({ conversationId: 'conv-erase' }, { $set: { next: 30 } });

    await store.deleteTranscript('erase', 'conv-erase');

    const raw = db.connection.db!;
    expect(await raw.collection(TRANSCRIPTS_COLLECTION).countDocuments({ conversationId: 'conv-erase' })).toBe(0);
    expect(await raw.collection('transcript_conversations').countDocuments({ conversationId: 'conv-erase' })).toBe(0);
    expect((await store.listTranscripts('erase')).items.map((c) => c.id)).toEqual(['conv-kept']);
    expect(await store.conversationsOf('erase', 'user-1')).toEqual(['conv-kept']);
    // The same conversation going on afterwards starts afresh.
    await other.logActivity(activity('erase', 'conv-erase', 'again', at));
    expect((await transcript(store, 'erase', 'conv-erase')).map((a) => a.text)).toEqual(['again']);
  });
});

/** Delays every write: a middleware that does not await them would let the test read too early. */
function slow(store: TranscriptLogger, ms = 40): TranscriptLogger {
  return { logActivity: async (a) => { await new Promise((r) => setTimeout(r, ms)); await store.logActivity(a); } };
}

describe('TranscriptLoggingMiddleware', () => {
  let db: TestDb;
  let store: MongoTranscriptStore;
  beforeAll(async () => {
    db = await openTestDb('transcript_mw');
    store = new MongoTranscriptStore(db.connection);
  });
  afterAll(() => db.close());
  afterEach(() => jest.restoreAllMocks());

  function incoming(conversationId: string, text: string): Partial<Activity> {
    return {
      type: 'message', id: `in-${randomUUID()}`, channelId: 'test', text, timestamp: new Date(),
      conversation: { id: conversationId } as Activity['conversation'],
      from: { id: 'user-1', name: 'Structure' }, recipient: { id: 'bot', name: 'DLA' },
    };
  }

  it('logs the incoming message and both replies, with the ids the channel returned, before the turn resolves', async () => {
    const conv = `conv-${randomUUID()}`;
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity({ type: ActivityTypes.Typing });
      context.activity.text = 'mutated by the bot'; // the SDK does this (mention removal)
      context.activity.from.name = 'renamed'; // deeper: logged as received all the same
      await context.sendActivity('un');
      await context.sendActivities([{ type: ActivityTypes.Typing }, { text: 'deux' }]);
    }).use(new TranscriptLoggingMiddleware(slow(store)));
    const activityIn = incoming(conv, 'bonjour');

    await adapter.processActivity(activityIn);

    const items = await transcript(store, 'test', conv);
    const sentIds = adapter.activeQueue.filter((a) => a.type === 'message').map((a) => a.id);
    expect(items.map((a) => [a.type, a.text, a.from.role])).toEqual([
      ['message', 'bonjour', 'user'], ['message', 'un', 'bot'], ['message', 'deux', 'bot'],
    ]);
    expect(items[0].id).toBe(activityIn.id);
    expect(items[0].from.name).toBe('Structure');
    expect(items.slice(1).map((a) => a.id)).toEqual(sentIds);
    expect(items.slice(1).every((a) => a.from.id === 'bot' && a.recipient.id === 'user-1')).toBe(true);
    const times = items.map((a) => a.timestamp!.getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(activityIn.from?.role).toBeUndefined(); // the turn's activity is not modified
  });

  it('logs the incoming message, the reply and onTurnError\'s apology when the bot throws', async () => {
    const conv = `conv-${randomUUID()}`;
    const errors: Error[] = [];
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('un');
      throw new Error('boom');
    }).use(new TranscriptLoggingMiddleware(slow(store)));
    adapter.onTurnError = async (context, error) => {
      errors.push(error);
      await context.sendActivity('Désolé, une erreur est survenue.');
    };

    await adapter.processActivity(incoming(conv, 'bonjour'));

    expect(errors.map((e) => e.message)).toEqual(['boom']);
    expect((await transcript(store, 'test', conv)).map((a) => [a.text, a.from.role])).toEqual([
      ['bonjour', 'user'], ['un', 'bot'], ['Désolé, une erreur est survenue.', 'bot'],
    ]);
  });

  it('rethrows when there is no onTurnError, after the writes', async () => {
    const conv = `conv-${randomUUID()}`;
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('un');
      throw new Error('boom');
    }).use(new TranscriptLoggingMiddleware(slow(store)));

    await expect(adapter.processActivity(incoming(conv, 'bonjour'))).rejects.toThrow('boom');

    expect((await transcript(store, 'test', conv)).map((a) => a.text)).toEqual(['bonjour', 'un']);
  });

  it('logs updates and deletions of a sent message', async () => {
    const conv = `conv-${randomUUID()}`;
    const adapter = new TestAdapter(async (context) => {
      const sent = await context.sendActivity('v1');
      await context.updateActivity({ id: sent!.id, type: 'message', text: 'v2' });
      await context.deleteActivity(sent!.id);
    }).use(new TranscriptLoggingMiddleware(slow(store)));

    await adapter.processActivity(incoming(conv, 'bonjour'));

    const items = await transcript(store, 'test', conv);
    const id = items[1].id;
    expect(items.map((a) => [a.type, a.id, a.text, a.from.role])).toEqual([
      ['message', items[0].id, 'bonjour', 'user'],
      ['message', id, 'v1', 'bot'],
      ['messageUpdate', id, 'v2', 'bot'],
      ['messageDelete', id, undefined, 'bot'],
    ]);
  });

  it('a failing store is logged and does not break the turn', async () => {
    const errors = jest.spyOn(log, 'error').mockImplementation(() => undefined);
    const rejecting: TranscriptLogger = { logActivity: async () => { throw new Error('db down'); } };
    const throwing: TranscriptLogger = { logActivity: () => { throw new Error('sync failure'); } };
    for (const failing of [rejecting, throwing]) {
      const adapter = new TestAdapter(async (context) => {
        await context.sendActivity('un');
        await context.sendActivity('deux');
      }).use(new TranscriptLoggingMiddleware(failing));
      await adapter.processActivity(incoming(`conv-${randomUUID()}`, 'bonjour'));
      expect(adapter.activeQueue.map((a) => a.text)).toEqual(['un', 'deux']);
    }
    // A turn's activities are written as one batch: one failure reported per turn and store.
    expect(errors.mock.calls.map(([message]) => message)).toEqual(Array(2).fill('Transcript write failed'));
    expect(errors.mock.calls.map(([, context]) => (context as { activities: number }).activities)).toEqual([3, 3]);
  });

  it('stops waiting for a hung store after timeoutMs', async () => {
    const warnings = jest.spyOn(log, 'warn').mockImplementation(() => undefined);
    const hung: TranscriptLogger = { logActivity: () => new Promise<void>(() => undefined) };
    const adapter = new TestAdapter(async (context) => { await context.sendActivity('un'); })
      .use(new TranscriptLoggingMiddleware(hung, { timeoutMs: 50 }));
    const started = Date.now();
    await adapter.processActivity(incoming(`conv-${randomUUID()}`, 'bonjour'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(adapter.activeQueue.map((a) => a.text)).toEqual(['un']);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('Transcript writes still pending'), expect.anything());
  });
});

describe('useTranscripts on a CloudAdapter, replies through a Bot Connector', () => {
  let db: TestDb;
  let store: MongoTranscriptStore;
  let connector: FakeConnector;
  beforeAll(async () => {
    db = await openTestDb('transcript_cloud');
    store = new MongoTranscriptStore(db.connection);
    connector = await new FakeConnector().start();
  });
  afterAll(async () => {
    await connector.stop();
    await db.close();
  });
  afterEach(() => jest.restoreAllMocks());

  it('records the ids the connector returned, and the app\'s onTurnError apology', async () => {
    const adapter = createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' });
    adapter.onTurnError = onTurnError; // as src/app.ts does
    const errors = jest.spyOn(log, 'error').mockImplementation(() => undefined);
    useTranscripts(adapter, slow(store));
    const conversationId = 'a:1Jq9vYt-kD9_0H9@thread.tacv2;messageid=1712345678901';
    const turn = (text: string): Activity => ({
      type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: connector.url, text, timestamp: new Date(), locale: 'fr-FR',
      conversation: { id: conversationId }, from: { id: '29:1abc', name: 'Structure' }, recipient: { id: '28:bot', name: 'DLA' },
    } as Activity);
    const logic = async (context: TurnContext) => {
      await context.sendActivity('un');
      if (context.activity.text === 'casse') throw new Error('boom');
      await context.sendActivity('deux');
    };

    await adapter.processActivityDirect('', turn('bonjour'), logic);
    await adapter.processActivityDirect('', turn('casse'), logic);

    const received = connector.activities.filter((a) => a.conversation?.id === conversationId);
    expect(received).toHaveLength(4); // un, deux, un, apology
    const items = await transcript(store, 'msteams', conversationId);
    expect(received[3].text).toContain('Désolé, un problème technique'); // locales/fr/common.json "error"
    expect(items.map((a) => a.text)).toEqual(['bonjour', 'un', 'deux', 'casse', 'un', received[3].text]);
    expect(items.filter((a) => a.from.role === 'bot').map((a) => a.id)).toEqual(['reply-1', 'reply-2', 'reply-3', 'reply-4']);
    expect(items.filter((a) => a.from.role === 'user').map((a) => a.from.id)).toEqual(['29:1abc', '29:1abc']);
    expect(errors.mock.calls.map(([message]) => message)).toEqual(['Turn failed']);
  });
});
