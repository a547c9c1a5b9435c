import { BotState, ConversationState, MemoryStorage, StoreItems, TestAdapter, TurnContext, UserState } from 'botbuilder';
import { JsonConversationState, JsonUserState } from '../../src/store/botState';

/** MemoryStorage that records what is read and written. */
class RecordingStorage extends MemoryStorage {
  readonly log: string[] = [];
  override read(keys: string[]): Promise<StoreItems> {
    this.log.push(`read ${keys.join(',')}`);
    return super.read(keys);
  }
  override write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = item as { eTag?: string };
      this.log.push(`write ${key} ${eTag} ${JSON.stringify(rest)}`);
    }
    return super.write(changes);
  }
}

/** Turns that read, change, leave unchanged, clear, force and delete state. */
async function scenario(make: (storage: RecordingStorage) => BotState): Promise<string[]> {
  const storage = new RecordingStorage();
  const state = make(storage);
  const count = state.createProperty<number>('count');
  const turns: ((context: TurnContext) => Promise<void>)[] = [
    async (c) => { await count.set(c, 1); },
    async (c) => { await count.get(c, 0); }, // unchanged: no write
    async (c) => { await count.set(c, (await count.get(c, 0)) + 1); },
    async (c) => { await count.set(c, 3); await count.set(c, 2); }, // back to what is stored: no write
    async (c) => { await state.clear(c); },
    async (c) => { await count.set(c, 5); await state.saveChanges(c, true); }, // forced, then nothing left to save
    async (c) => { await state.saveChanges(c, true); }, // forced without a change
    async (c) => { await count.get(c); await state.delete(c); },
    async (c) => { await count.get(c); }, // after the delete: read, nothing stored
  ];
  const adapter = new TestAdapter();
  for (const turn of turns) {
    const context = new TurnContext(adapter, TestAdapter.createConversation('c1', 'u1') as never);
    (context as unknown as { _activity: unknown })._activity = { type: 'message', channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u1' } };
    await state.load(context);
    await state.load(context); // the turn's cache: one read
    await turn(context);
    await state.saveChanges(context);
  }
  return storage.log;
}

describe('bot state with JSON change detection', () => {
  it.each([
    ['conversation', (s: RecordingStorage) => new ConversationState(s), (s: RecordingStorage) => new JsonConversationState(s)],
    ['user', (s: RecordingStorage) => new UserState(s), (s: RecordingStorage) => new JsonUserState(s)],
  ])('%s state reads and writes exactly as botbuilder’s', async (_label, botbuilder, json) => {
    const expected = await scenario(botbuilder);
    expect(expected.filter((l) => l.startsWith('write'))).toHaveLength(5);
    expect(await scenario(json)).toEqual(expected);
  });
});
