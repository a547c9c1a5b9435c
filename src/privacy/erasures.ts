/**
 * The erasure register: each erasure of a structure's data — « mes données » in the chat, or an
 * administrator's in the back-office — with nothing of the structure in clear: the dossier's id
 * (none when the person had no dossier), when, by whom (`structure`, or the administrator's
 * e-mail), how many documents went, and the SHA-256 of the ids of its chat users and
 * conversations (traceHash: stored as the links handed to people are, src/store/linkTokens.ts),
 * which find them again without naming them — a person without a dossier has nothing else. Kept for accountability (the retention purge leaves it alone), for what
 * a chat turn still running must no longer write (TurnErasures, below), and for what a
 * restore must redo: a backup made before an erasure brings the structure's data back, and
 * `npm run db:restore -- FILE --reapply REGISTER.json` erases it again (scripts/backup.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Middleware, TurnContext } from 'botbuilder';
import { Connection, Model, Schema } from 'mongoose';
import { DATA_ERASED } from '../../dialogs/state';
import { doNotLog } from '../handoff/transcriptLogger';
import { log } from '../log';
import { DossierRepository } from '../store/dossiers';
import type { Handoff } from '../handoff/types';

/** Who asked, in the register, when it was the structure itself (in the chat). */
export const BY_STRUCTURE = 'structure';
/** Who erased, in the register, when it was the retention purge (a dossier past DATA_RETENTION_MONTHS). */
export const BY_RETENTION = 'retention';
/** The register's file (GET /admin/api/erasures?format=json), as `--reapply` reads it. */
export const ERASURES_FORMAT = 'dla-assistant-erasures';
export const ERASURES_VERSION = 1;

export interface Erasure {
  _id: string;
  /** The dossier erased; null when the person had none (only conversations went). */
  dossierId: string | null;
  at: Date;
  /** BY_STRUCTURE, BY_RETENTION, or the administrator's e-mail. */
  by: string;
  documents: number;
  /** traceHash of each channel user erased ("channelId:userId"); absent in entries made before they were kept. */
  users?: string[];
  /** traceHash of each conversation erased ("channelId|conversationId"). */
  conversations?: string[];
}

/** What an erasure's entry keeps of a chat user or a conversation it erased: the SHA-256 of its id, in hex. */
export function traceHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

const TRACE = /^[0-9a-f]{64}$/;

const erasureSchema = new Schema<Erasure>(
  {
    _id: String,
    dossierId: { type: String, default: null, index: true }, // the outbox: was a handoff's dossier erased?
    at: { type: Date, required: true, index: true }, // the list, newest first
    by: { type: String, required: true },
    documents: { type: Number, required: true },
    users: { type: [String], default: undefined },
    conversations: { type: [String], default: undefined },
  },
  { versionKey: false, collection: 'erasures' },
);

/** A register file that cannot be read: nothing was done with it. */
export class ErasuresFileError extends Error {
  constructor(readonly key: 'notARegister' | 'badEntry', readonly vars: Record<string, string | number> = {}) {
    super(key);
  }
}

/** The time of the latest erasure this process registered, by database (see ErasureRegister.erasedSince). */
const latestHere = new WeakMap<Connection, number>();
/** The erasures this process is making, by database: erasedSince waits for them (see ErasureRegister.erasing). */
const underWay = new WeakMap<Connection, Set<Promise<unknown>>>();

export interface ErasureRegisterOptions {
  /**
   * This process is the database's only writer (the embedded default): no erasure is made but
   * through this process's registers, so erasedSince() reads the register only when one was
   * made since the time asked about — most turns read nothing.
   */
  soleWriter?: boolean;
}

export class ErasureRegister {
  private readonly model: Model<Erasure>;

  constructor(private readonly connection: Connection, private readonly now: () => Date = () => new Date(), private readonly options: ErasureRegisterOptions = {}) {
    this.model = (connection.models.Erasure as Model<Erasure>) ?? connection.model<Erasure>('Erasure', erasureSchema);
  }

  /** `traces`: what was erased of the chat, as traceHash (users, conversations). */
  async record(dossierId: string | null, by: string, documents: number, traces: Pick<Erasure, 'users' | 'conversations'> = {}): Promise<Erasure> {
    const entry: Erasure = { _id: randomUUID(), dossierId, at: this.now(), by, documents, ...traces };
    await this.model.create(entry);
    latestHere.set(this.connection, Math.max(latestHere.get(this.connection) ?? 0, entry.at.getTime()));
    return entry;
  }

  /**
   * Runs an erasure (PrivacyService): until it is done and registered, erasedSince() waits for it.
   * A turn's last check (TurnErasures) so never passes in the middle of an erasure made by this
   * process — what the turn wrote before it is in the erasure's reach, what it wrote after is
   * erased again by the turn itself.
   */
  async erasing<T>(work: () => Promise<T>): Promise<T> {
    let running = underWay.get(this.connection);
    if (!running) underWay.set(this.connection, (running = new Set()));
    const done = work();
    running.add(done);
    try {
      return await done;
    } finally {
      running.delete(done);
    }
  }

  /**
   * Whether an erasure made at `since` or after named this conversation ("channelId|conversationId")
   * or this chat user ("channelId:userId"), by their traceHash — once the erasures this process is
   * making are done. One read of the register by its index on `at` (none on a sole writer unless
   * an erasure was made since).
   */
  async erasedSince(since: Date, ids: { conversation?: string; user?: string }): Promise<boolean> {
    const running = underWay.get(this.connection);
    if (running?.size) await Promise.allSettled([...running]);
    if (this.options.soleWriter && (latestHere.get(this.connection) ?? 0) < since.getTime()) return false;
    const named = [...(ids.conversation ? [{ conversations: traceHash(ids.conversation) }] : []), ...(ids.user ? [{ users: traceHash(ids.user) }] : [])];
    return named.length > 0 && (await this.model.exists({ at: { $gte: since }, $or: named })) !== null;
  }

  /**
   * Whether the structure of a handoff was erased — an erasure named its dossier, or named its
   * conversation since the handoff was stored —, once the erasures this process is making are done:
   * the outbox asks right before each delivery, so that nothing of an erased structure reaches the
   * chargé·es after its erasure (a handoff stored while it ran, a check-in given up read before it,
   * another instance's).
   */
  async handoffErased(handoff: Pick<Handoff, 'dossierId' | 'transcript' | 'createdAt'>): Promise<boolean> {
    const { channelId, conversationId } = handoff.transcript ?? {};
    const conversation = conversationId ? DossierRepository.conversationEntry({ channelId, conversationId }) : undefined;
    if (await this.erasedSince(new Date(handoff.createdAt), { conversation })) return true;
    return Boolean(handoff.dossierId) && (await this.model.exists({ dossierId: handoff.dossierId })) !== null;
  }

  /** Every erasure, newest first. */
  list(): Promise<Erasure[]> {
    return this.model.find({}).sort({ at: -1, _id: 1 }).lean<Erasure[]>();
  }

  /** Puts back the entries of a register file this one does not hold (a restore); returns those added. */
  async addMissing(entries: Erasure[]): Promise<Erasure[]> {
    const held = new Set((await this.model.find({ _id: { $in: entries.map((e) => e._id) } }, { _id: 1 }).lean<{ _id: string }[]>()).map((e) => e._id));
    const missing = entries.filter((e) => !held.has(e._id));
    if (missing.length) await this.model.insertMany(missing);
    return missing;
  }
}

/** The register as a file: what `--reapply` reads back (readErasuresFile). */
export function erasuresFile(entries: Erasure[], exportedAt: Date): string {
  return `${JSON.stringify({
    format: ERASURES_FORMAT, version: ERASURES_VERSION, exportedAt: exportedAt.toISOString(),
    erasures: entries.map((e) => ({
      id: e._id, dossierId: e.dossierId, at: new Date(e.at).toISOString(), by: e.by, documents: e.documents,
      ...(e.users ? { users: e.users } : {}), ...(e.conversations ? { conversations: e.conversations } : {}),
    })),
  }, null, 2)}\n`;
}

/** The entries of a register file; ErasuresFileError when it is none, or an entry is not whole. */
export function readErasuresFile(text: string): Erasure[] {
  let file: unknown;
  try {
    file = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ErasuresFileError('notARegister');
  }
  const { format, version, erasures } = (file ?? {}) as Record<string, unknown>;
  if (format !== ERASURES_FORMAT || version !== ERASURES_VERSION || !Array.isArray(erasures)) throw new ErasuresFileError('notARegister');
  return erasures.map((e: Record<string, unknown> | null, i) => {
    const at = new Date(String(e?.at));
    const traces = (list: unknown) => list === undefined || (Array.isArray(list) && list.every((h) => typeof h === 'string' && TRACE.test(h)));
    const whole = e && typeof e.id === 'string' && e.id !== '' && (e.dossierId === null || typeof e.dossierId === 'string')
      && !Number.isNaN(at.getTime()) && typeof e.by === 'string' && Number.isInteger(e.documents) && traces(e.users) && traces(e.conversations);
    if (!whole) throw new ErasuresFileError('badEntry', { entry: i + 1 });
    return {
      _id: e.id as string, dossierId: e.dossierId as string | null, at, by: e.by as string, documents: e.documents as number,
      ...(e.users ? { users: e.users as string[] } : {}), ...(e.conversations ? { conversations: e.conversations as string[] } : {}),
    };
  });
}

/** A write refused because the turn's structure was erased since the turn began (see TurnErasures). */
export class ErasedDuringTurnError extends Error {
  constructor() {
    super('The structure’s data were erased while this turn ran: nothing more of it is written.');
    this.name = 'ErasedDuringTurnError';
  }
}

/** When the turn began, in its turnState (TurnErasures.begin). */
const TURN_BEGAN = Symbol('dla.turn.began');
/** The rule the turn follows (TurnErasures.begin): checkNotErased() finds it there. */
const TURN_RULE = Symbol('dla.turn.erasures');
/** Set when a step of the turn found its structure's data erased (TurnErasures.noticed). */
const TURN_ERASED = Symbol('dla.turn.erased');

export interface TurnErasuresOptions {
  /**
   * Erases what the turn wrote (its conversation, its user, a dossier it created), once its
   * structure's erasure is done: not registered again — the erasure that stopped it is.
   */
  eraseAgain?: (context: TurnContext) => Promise<unknown>;
  /** Tells the structure that its data were just erased and that it can start again. */
  tell?: (context: TurnContext) => Promise<unknown>;
}

/**
 * The one rule for a chat turn in flight while its structure's data are erased — by an
 * administrator in the back-office, by the retention purge, or by « mes données » in another
 * conversation of the same person: once an entry of the register made since the turn began names
 * the turn's conversation or its user, nothing of the turn stays. As the adapter's middleware
 * (outside the transcript's), it checks once the turn has written everything — state, transcript,
 * Direct Line history, a dossier its consent created — and then erases all of it again and tells
 * the structure; the steps that can know before (the bot's run, the consent, the handoff service
 * before a handoff, which no later step can take back) ask too and write nothing. On the hot path:
 * one indexed read of the register at most (none on the embedded default, unless an erasure was
 * made during the turn). A turn begun after the erasure starts from nothing: it is the person
 * coming back.
 */
export class TurnErasures implements Middleware {
  constructor(private readonly register: Pick<ErasureRegister, 'erasedSince'>, private readonly now: () => Date = () => new Date(), private readonly options: TurnErasuresOptions = {}) {}

  /** The turn begins (before its state is read); a turn begun already keeps its start. */
  begin(context: TurnContext): void {
    if (!context.turnState.get(TURN_BEGAN)) context.turnState.set(TURN_BEGAN, this.now());
    context.turnState.set(TURN_RULE, this);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    this.begin(context);
    await next();
    // The turn erased its own data (« mes données »): what follows in it is its answer.
    if (context.turnState.get(DATA_ERASED) === true) return;
    if (!context.turnState.get(TURN_ERASED) && !(await this.erased(context))) return;
    doNotLog(context);
    log.info('Data erased during the turn: nothing of it kept', { channel: context.activity.channelId, conversation: context.activity.conversation?.id });
    await this.options.eraseAgain?.(context);
    await this.options.tell?.(context);
  }

  /** A step of the turn found its data erased (its state deleted since it was read): the turn ends as an erased one. */
  static noticed(context: TurnContext): void {
    context.turnState.set(TURN_ERASED, true);
    doNotLog(context);
  }

  /** Whether the turn's conversation or user was erased since it began (false for a turn that did not begin here). */
  erased(context: TurnContext): Promise<boolean> {
    const since = context.turnState.get(TURN_BEGAN) as Date | undefined;
    const { channelId, conversation, from } = context.activity;
    if (!since || !conversation?.id) return Promise.resolve(false);
    return this.register.erasedSince(since, {
      conversation: DossierRepository.conversationEntry({ channelId, conversationId: conversation.id }),
      user: from?.id ? DossierRepository.channelUser(channelId, from.id) : undefined,
    });
  }

  /** Before a write no later step can take back (a handoff, delivered to the chargé·es): ErasedDuringTurnError if erased. */
  async check(context: TurnContext): Promise<void> {
    if (await this.erased(context)) throw new ErasedDuringTurnError();
  }
}

/** Before a write the turn would otherwise make and its end take back (a dossier, at consent): ErasedDuringTurnError if erased. */
export async function checkNotErased(context: TurnContext): Promise<void> {
  await (context.turnState.get(TURN_RULE) as TurnErasures | undefined)?.check(context);
}
