import { activityShapeProblem } from '../activityShape';
import { randomBytes } from 'node:crypto';
import { Activity, ActivityTypes } from 'botbuilder';
import { DirectLineStore, nextPosition, StoredConversation } from './store';
import { sameSecret, TokenClaims, TokenSigner } from './tokens';

/** An error with the HTTP status and Direct Line error code it maps to. */
export class DirectLineError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

export interface LocalDirectLineOptions {
  store: DirectLineStore;
  signer: TokenSigner;
  /** The Direct Line secret: may generate tokens and read every conversation. */
  secret: string;
  tokenTtlSeconds: number;
  /** Where the bot's replies must be sent: this server's Connector routes. */
  serviceUrl: () => string;
  bot: { id: string; name: string };
  /** Runs a turn of the bot for an activity (the adapter without app credentials). */
  deliver: (activity: Partial<Activity>) => Promise<void>;
  /** The clock activities are dated by (tests move it). */
  now?: () => number;
}

export interface ConversationGrant {
  conversationId: string;
  token: string;
  expires_in: number;
  /** Only for the caller's convenience: the user the token is bound to. */
  userId?: string;
  /** The WebSocket the client may read the conversation's activities from (see stream.ts). */
  streamUrl?: string;
}

/** Where streams are served: "ws://host:port" or "wss://host", as the client reached us. */
export type StreamBase = string | undefined;

type Caller = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

const USER_ID = /^dl_[A-Za-z0-9_-]{8,64}$/;

/**
 * Direct Line 3.0, locally: what Web Chat and botframework-directlinejs talk to on the
 * embedded default. Transport-free: routes.ts maps HTTP onto these methods.
 */
/**
 * The locale a client starts a conversation in (botframework-directlinejs sends
 * `conversationStartProperties.locale` as the start body's `locale`): the welcome is then in the
 * visitor's language. Anything but a short language tag is ignored.
 */
function startLocale(body: unknown): string | undefined {
  const locale = (body as { locale?: unknown } | undefined)?.locale;
  return typeof locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(locale) ? locale : undefined;
}

export class LocalDirectLine {
  /**
   * Conversations being started (created, welcome being delivered), by id: what is posted
   * meanwhile waits, so that it is neither refused as unknown nor answered before the welcome.
   */
  private readonly starting = new Map<string, Promise<boolean>>();

  constructor(private readonly o: LocalDirectLineOptions) {}

  /** POST /tokens/generate (secret only): a token for a new conversation and user. */
  generateToken(authorization: string | undefined, user?: { id?: unknown }): ConversationGrant {
    this.requireSecret(authorization);
    const userId = typeof user?.id === 'string' && USER_ID.test(user.id) ? user.id : newUserId();
    return this.grant(newConversationId(), userId);
  }

  /** POST /tokens/refresh: the same conversation and user, a new expiry. */
  refreshToken(authorization: string | undefined): ConversationGrant {
    const caller = this.caller(authorization);
    if (caller.kind !== 'token') throw new DirectLineError(400, 'BadArgument', 'Only a token can be refreshed; use tokens/generate with the secret.');
    return this.grant(caller.claims.c, caller.claims.u);
  }

  /** POST /conversations: starts the token's conversation (or a new one with the secret). */
  async startConversation(authorization: string | undefined, streamBase?: StreamBase, body?: unknown): Promise<{ grant: ConversationGrant; created: boolean }> {
    const caller = this.caller(authorization);
    const started = caller.kind === 'token'
      ? { conversationId: caller.claims.c, token: authorization!, expires_in: Math.max(0, caller.claims.exp - Math.floor(Date.now() / 1000)), userId: caller.claims.u }
      : this.grant(newConversationId(), newUserId());
    const grant = { ...started, ...streamUrl(streamBase, started.conversationId, started.token) };
    const id = grant.conversationId;
    const inProgress = this.starting.get(id);
    if (inProgress) {
      await inProgress; // the same start twice (a client retrying): one welcome
      return { grant, created: false };
    }
    const start = this.start(id, grant.userId!, startLocale(body));
    this.starting.set(id, start);
    try {
      return { grant, created: await start };
    } finally {
      this.starting.delete(id);
    }
  }

  /** Creates the conversation and delivers its start (the welcome, in the locale the client started it with); false when it already exists. */
  private async start(conversationId: string, userId: string, locale: string | undefined): Promise<boolean> {
    if (await this.o.store.get(conversationId)) return false;
    const conversation = await this.o.store.create(conversationId, userId);
    await this.o.deliver({
      ...this.envelope(conversation),
      type: ActivityTypes.ConversationUpdate,
      id: `${conversation.id}|start`,
      ...(locale ? { locale } : {}),
      from: { id: conversation.userId, role: 'user' } as Activity['from'],
      membersAdded: [{ id: this.o.bot.id, name: this.o.bot.name }, { id: conversation.userId }] as Activity['membersAdded'],
    });
    return true;
  }

  /** GET /conversations/:id?watermark=: reconnect to a conversation the caller may access. */
  async reconnect(authorization: string | undefined, conversationId: string, streamBase?: StreamBase, watermark?: unknown): Promise<ConversationGrant> {
    const { conversation, caller } = await this.access(authorization, conversationId);
    const expires = caller.kind === 'token' ? caller.claims.exp - Math.floor(Date.now() / 1000) : this.o.tokenTtlSeconds;
    const from = typeof watermark === 'string' && /^\d{1,9}$/.test(watermark) ? watermark : undefined;
    return { conversationId: conversation.id, token: authorization!, expires_in: expires, ...streamUrl(streamBase, conversation.id, authorization!, from) };
  }

  /** POST /conversations/:id/activities: the user's activity, echoed into the history, then the bot's turn. */
  async postActivity(authorization: string | undefined, conversationId: string, body: unknown): Promise<{ id: string }> {
    const { conversation, caller } = await this.access(authorization, conversationId);
    const problem = activityShapeProblem(body, false);
    if (problem) throw new DirectLineError(400, 'BadArgument', problem);
    const incoming = body as Partial<Activity>;
    if (incoming.type === ActivityTypes.Message && typeof incoming.text !== 'string' && !incoming.attachments?.length && incoming.value === undefined) {
      throw new DirectLineError(400, 'BadArgument', 'A message needs "text", "attachments" or "value".');
    }
    const userId = caller.kind === 'token' ? caller.claims.u : incoming.from?.id ?? conversation.userId;
    // The same message posted again (the page retries one whose answer the network lost): kept once.
    const clientId = clientActivityId(incoming);
    const already = clientId && conversation.activities.find((a) => a.from?.id === userId && clientActivityId(a) === clientId);
    if (already) return { id: already.id! };
    const activity = await this.o.store.append(conversation, (seq) => ({
      ...incoming,
      ...this.envelope(conversation),
      id: activityId(conversation.id, seq),
      timestamp: new Date(this.o.now?.() ?? Date.now()),
      // A token speaks for its own user only, whatever `from` the client claims.
      from: { ...(incoming.from ?? {}), id: userId, role: 'user' } as Activity['from'],
    }));
    await this.o.deliver(activity);
    return { id: activity.id! };
  }

  /** GET /conversations/:id/activities?watermark=: what happened after the watermark. */
  async getActivities(authorization: string | undefined, conversationId: string, watermark: unknown): Promise<ActivitySet> {
    const { conversation } = await this.access(authorization, conversationId);
    const from = watermark === undefined || watermark === '' ? 0 : Number(watermark);
    if (!Number.isInteger(from) || from < 0) throw new DirectLineError(400, 'BadArgument', 'The watermark must be a whole number returned by an earlier call.');
    return since(conversation, from);
  }

  /** For an open stream (its token was checked when it opened): the activities after `from`. */
  async activitiesAfter(conversationId: string, from: number): Promise<ActivitySet> {
    const conversation = await this.o.store.get(conversationId);
    return conversation ? since(conversation, from) : { activities: [], watermark: String(from) };
  }

  /** Calls `listener` whenever an activity is added to the conversation. */
  onActivity(conversationId: string, listener: () => void): () => void {
    return this.o.store.subscribe(conversationId, listener);
  }

  /** Connector route: an activity the bot sends into the conversation. */
  async botActivity(conversationId: string, body: unknown, replyToId?: string): Promise<{ id: string }> {
    const conversation = await this.o.store.get(conversationId);
    if (!conversation) throw new DirectLineError(404, 'NotFound', `Unknown conversation "${conversationId}".`);
    const outgoing = body as Partial<Activity>;
    if (!outgoing || typeof outgoing.type !== 'string') throw new DirectLineError(400, 'BadArgument', 'The activity has no "type".');
    const activity = await this.o.store.append(conversation, (seq) => ({
      ...outgoing,
      id: activityId(conversation.id, seq),
      timestamp: new Date(this.o.now?.() ?? Date.now()),
      channelId: 'directline',
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: this.o.bot.id, name: this.o.bot.name, role: 'bot' } as Activity['from'],
      ...(replyToId ? { replyToId } : {}),
    }));
    return { id: activity.id! };
  }

  private envelope(conversation: StoredConversation): Partial<Activity> {
    return {
      channelId: 'directline',
      serviceUrl: this.o.serviceUrl(),
      conversation: { id: conversation.id } as Activity['conversation'],
      recipient: { id: this.o.bot.id, name: this.o.bot.name, role: 'bot' } as Activity['recipient'],
    };
  }

  private grant(conversationId: string, userId: string): ConversationGrant {
    const { token } = this.o.signer.issue(conversationId, userId, this.o.tokenTtlSeconds);
    return { conversationId, token, expires_in: this.o.tokenTtlSeconds, userId };
  }

  private requireSecret(authorization: string | undefined): void {
    if (!authorization) throw new DirectLineError(401, 'Unauthorized', 'Missing "Authorization: Bearer <secret>".');
    if (!sameSecret(authorization, this.o.secret)) throw new DirectLineError(403, 'Forbidden', 'The Direct Line secret is not valid.');
  }

  /** Who is calling: the secret holder, or the holder of a valid token. */
  caller(authorization: string | undefined): Caller {
    if (!authorization) throw new DirectLineError(401, 'Unauthorized', 'Missing "Authorization: Bearer <token>".');
    if (sameSecret(authorization, this.o.secret)) return { kind: 'secret' };
    const check = this.o.signer.verify(authorization);
    if (check.ok) return { kind: 'token', claims: check.claims };
    if (check.reason === 'expired') throw new DirectLineError(403, 'TokenExpired', 'The token has expired: get a new one (or refresh it before it expires).');
    throw new DirectLineError(403, 'Forbidden', 'The token is not valid.');
  }

  private async access(authorization: string | undefined, conversationId: string): Promise<{ conversation: StoredConversation; caller: Caller }> {
    const caller = this.caller(authorization);
    if (caller.kind === 'token' && caller.claims.c !== conversationId) {
      throw new DirectLineError(403, 'Forbidden', 'This token belongs to another conversation.');
    }
    let conversation = await this.o.store.get(conversationId);
    // Checked after the read too: a start that began while it was loading created it since.
    const starting = this.starting.get(conversationId);
    if (starting) {
      await starting.catch(() => undefined); // a failed start: the conversation is then unknown, or was there
      conversation = await this.o.store.get(conversationId);
    }
    if (!conversation) throw new DirectLineError(404, 'NotFound', `Unknown conversation "${conversationId}": start it with POST /v3/directline/conversations.`);
    return { conversation, caller };
  }
}

export interface ActivitySet {
  activities: Partial<Activity>[];
  watermark: string;
}

function since(conversation: StoredConversation, from: number): ActivitySet {
  return { activities: conversation.activities.slice(Math.max(0, from - conversation.offset)), watermark: String(nextPosition(conversation)) };
}

/** `streamUrl` as Azure Direct Line gives it: the token in `t` (browsers cannot set headers on a WebSocket). */
function streamUrl(base: StreamBase, conversationId: string, token: string, watermark?: string): { streamUrl?: string } {
  if (!base) return {};
  const query = new URLSearchParams({ ...(watermark ? { watermark } : {}), t: token });
  return { streamUrl: `${base}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?${query}` };
}

function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

function newUserId(): string {
  return `dl_${randomBytes(12).toString('base64url')}`;
}

function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/** The id Web Chat gives each message it sends (channelData.clientActivityID). */
function clientActivityId(activity: Partial<Activity>): string | undefined {
  const id = (activity.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
  return typeof id === 'string' && id ? id : undefined;
}
