import { BotState, calculateChangeHash, ConversationState, Storage, StorageKeyFactory, TurnContext, UserState } from 'botbuilder';
import { REPLACE_ONLY } from './mongoStorage';

interface CachedState {
  state: Record<string, unknown>;
  hash: string;
  /** Read from the storage (or written there by this turn): saved only over what is stored (REPLACE_ONLY). */
  stored?: boolean;
}

/**
 * What botbuilder compares to decide that a state object changed: here its JSON text, where
 * botbuilder takes the SHA-256 of a JSON text written with a replacer function (measured: ~2 %
 * of a turn's CPU for the five hashes of a turn). Same outcome, since state is stored as JSON.
 */
function changeHash(state: Record<string, unknown>): string {
  const { eTag, ...rest } = state;
  try {
    return JSON.stringify(rest);
  } catch {
    return calculateChangeHash(state); // circular: botbuilder's own hash copes with it
  }
}

/**
 * botbuilder's BotState.load and saveChanges (same turn cache, same reads and writes), with
 * changes detected by changeHash(); the hash kept after a save is the one it compared.
 */
class JsonChangeDetection {
  constructor(
    /** botbuilder's own (private) key of the turn cache, shared with get(), clear() and delete(). */
    private readonly turnKey: symbol,
    private readonly storage: Storage,
    private readonly storageKey: StorageKeyFactory,
  ) {}

  async load(context: TurnContext, force: boolean): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.turnKey) as CachedState | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] ?? {}) as Record<string, unknown>;
    context.turnState.set(this.turnKey, { state, hash: changeHash(state), stored: key in items });
    return state;
  }

  async saveChanges(context: TurnContext, force: boolean): Promise<void> {
    const cached = context.turnState.get(this.turnKey) as CachedState | undefined;
    const hash = changeHash(cached?.state ?? {});
    if (!force && (!cached || cached.hash === hash)) return;
    const key = await this.storageKey(context);
    const saved: CachedState = cached ?? { state: {}, hash: '' };
    saved.state.eTag = '*';
    // A state that was stored is written back only while it still is: erased during the turn (the
    // structure's data erased from the back-office), it stays erased (StateErasedError).
    await this.storage.write({ [key]: saved.stored ? { ...saved.state, [REPLACE_ONLY]: true } : saved.state });
    saved.hash = hash;
    saved.stored = true;
    context.turnState.set(this.turnKey, saved);
  }

  /** This turn's state is saved as a new one, even over nothing: the turn erased what was stored itself (« mes données »). */
  afresh(context: TurnContext): void {
    const cached = context.turnState.get(this.turnKey) as CachedState | undefined;
    if (cached) cached.stored = false;
  }
}

function turnKeyOf(state: BotState): symbol {
  return (state as unknown as { stateKey: symbol }).stateKey;
}

/** ConversationState with cheaper change detection (see changeHash). */
export class JsonConversationState extends ConversationState {
  private readonly json = new JsonChangeDetection(turnKeyOf(this), this.storage, this.storageKey);
  override load(context: TurnContext, force = false): Promise<Record<string, unknown>> { return this.json.load(context, force); }
  override saveChanges(context: TurnContext, force = false): Promise<void> { return this.json.saveChanges(context, force); }
  /** See JsonChangeDetection.afresh. */
  afresh(context: TurnContext): void { this.json.afresh(context); }
}

/** UserState with cheaper change detection (see changeHash). */
export class JsonUserState extends UserState {
  private readonly json = new JsonChangeDetection(turnKeyOf(this), this.storage, this.storageKey);
  override load(context: TurnContext, force = false): Promise<Record<string, unknown>> { return this.json.load(context, force); }
  override saveChanges(context: TurnContext, force = false): Promise<void> { return this.json.saveChanges(context, force); }
}
