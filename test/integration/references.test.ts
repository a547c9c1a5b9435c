import { Activity } from 'botbuilder';
import { ConversationReferences } from '../../src/followup/references';
import { openTestDb, TestDb } from '../helpers/db';

describe('ConversationReferences (where a check-in reaches a user)', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('refs'); });
  afterAll(() => db.close());

  const message = (id: string, conversation = 'conv-1'): Partial<Activity> => ({
    id, type: 'message', channelId: 'directline', serviceUrl: 'http://127.0.0.1:1', locale: 'fr-FR',
    conversation: { id: conversation } as Activity['conversation'], from: { id: 'u1', name: 'U' }, recipient: { id: 'bot', name: 'Bot' },
  });
  const stored = async () => {
    const doc = await db.connection.db!.collection<{ _id: string; reference: string }>('conversation_refs').findOne({ _id: 'directline:u1' });
    return doc ? JSON.parse(doc.reference) as Partial<Activity> & { activityId?: string } : undefined;
  };

  it('is written when where to reach the user changes, not on every message', async () => {
    const refs = new ConversationReferences(db.connection);
    await refs.remember(message('a1'));
    expect(await stored()).toMatchObject({ activityId: 'a1', conversation: { id: 'conv-1' }, serviceUrl: 'http://127.0.0.1:1' });
    await refs.remember(message('a2')); // same conversation, only the message differs: no write
    expect(await stored()).toMatchObject({ activityId: 'a1' });
    await refs.remember(message('a3', 'conv-2'));
    expect(await stored()).toMatchObject({ activityId: 'a3', conversation: { id: 'conv-2' } });
    expect(await refs.get('directline:u1')).toMatchObject({ conversation: { id: 'conv-2' } });
  });

  it('is written again after forget (an erasure), even from the same conversation', async () => {
    const refs = new ConversationReferences(db.connection);
    await refs.remember(message('b1'));
    await refs.forget('directline:u1');
    expect(await stored()).toBeUndefined();
    await refs.remember(message('b2'));
    expect(await stored()).toMatchObject({ activityId: 'b2', conversation: { id: 'conv-1' } });
  });
});
