/** One logged activity of a conversation: when, and who took part (the structure's user id, the bot's). */
export interface LoggedActivity {
  channelId: string;
  conversationId: string;
  timestamp: Date;
  participants?: string[];
}

export interface IdleConversation {
  channelId: string;
  conversationId: string;
  /** Everyone the activities name: the user whose consent (a dossier) keeps the conversation is one of them. */
  participants: string[];
}

/** What keeps a conversation: consent given by its user (a dossier), a dossier it changed, a handoff still open on it. */
export interface KeptBy {
  /** `channelId:userId` of the users who have a dossier (DossierRepository.channelUser). */
  usersWithDossier: ReadonlySet<string>;
  /** `channelId|conversationId` of the conversations a dossier lists, or an open handoff points to. */
  conversations: ReadonlySet<string>;
}

export const conversationRef = (c: { channelId: string; conversationId: string }): string => `${c.channelId}|${c.conversationId}`;

/**
 * The conversations whose last activity among `activities` is at or before `cutoff`: idle since.
 * `activities` are those logged after the previous sweep's cutoff, so a conversation still active
 * after this one's is not idle, and is met again by a later sweep.
 */
export function idleConversations(activities: Iterable<LoggedActivity>, cutoff: Date): IdleConversation[] {
  const last = new Map<string, { at: number; conversation: IdleConversation }>();
  for (const a of activities) {
    const ref = conversationRef(a);
    const at = new Date(a.timestamp).getTime();
    const seen = last.get(ref) ?? { at, conversation: { channelId: a.channelId, conversationId: a.conversationId, participants: [] } };
    seen.at = Math.max(seen.at, at);
    for (const p of a.participants ?? []) if (!seen.conversation.participants.includes(p)) seen.conversation.participants.push(p);
    last.set(ref, seen);
  }
  return [...last.values()].filter((c) => c.at <= cutoff.getTime()).map((c) => c.conversation);
}

/**
 * Among idle conversations, those where consent was never given: no participant has a dossier,
 * no dossier lists the conversation, no open handoff points to it. What they hold (the visit to
 * the DLA's presentation, its FAQ) is forgotten as a declined one's is.
 */
export function neverConsented(idle: IdleConversation[], kept: KeptBy): IdleConversation[] {
  return idle.filter((c) => !kept.conversations.has(conversationRef(c))
    && !c.participants.some((p) => kept.usersWithDossier.has(`${c.channelId}:${p}`)));
}
