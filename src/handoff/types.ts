import type { Outcome } from '../domain/eligibility';

/** Why a chargé·e is needed. */
export const HANDOFF_REASONS = [
  'diagnostic_confirmed',
  'eligibility_to_confirm',
  'user_request', // "parler à un·e chargé·e", "un humain", "conseiller"
  'not_understood', // three failed attempts in a row
  'followup_new_needs',
  'followup_unreachable', // a check-in could not be delivered after its last attempt
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const HANDOFF_STATUSES = ['open', 'claimed', 'closed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

export type NotifierKind = 'email' | 'webhook' | 'teams';

/**
 * What a delivery tells besides the handoff itself: a way to reach the structure given since it
 * went out without one (contactAdded), the contact it went out with corrected since
 * (contactUpdated), or a message the structure added to it since (messageAdded).
 */
export type HandoffUpdateEvent = 'contactAdded' | 'contactUpdated' | 'messageAdded';

/**
 * What a delivery carries: the handoff itself (no event), an update of it (HandoffUpdateEvent), or
 * its new status (claimed, closed, reopened: statusChanged) shown on what the notifier posted, for
 * a notifier whose messages can be changed afterwards (Notifier.refresh: the Teams cards).
 */
export type DeliveryEvent = HandoffUpdateEvent | 'statusChanged';

/** A detail the structure added in its own words once its request was passed on (« Trésorerie tendue »). */
export interface HandoffMessage {
  text: string;
  at: Date;
}

/** An update of a handoff already delivered: what happened, and its id (the same on every attempt and instance). */
export interface HandoffUpdate {
  event: HandoffUpdateEvent;
  id: string;
}

/** One notifier's delivery of a handoff (or of an update of it): pending until sent; retried with backoff. */
export interface Delivery {
  notifier: NotifierKind;
  /** Set on an update, or on a status shown again (absent: the handoff itself). */
  event?: DeliveryEvent;
  /** The update's id, for the receiver to drop a duplicate (the handoff itself goes by the handoff's id). */
  eventId?: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  sentAt?: Date;
  /** Who it was sent to (e-mail addresses, webhook URL, Teams conversation). */
  recipients?: string[];
  /** Once sent: the handoff's contactAddedAt it carried (the chargé·es got the contact given then). */
  contactAddedAt?: Date;
  /** Once sent: the handoff's contactUpdatedAt it carried (the chargé·es got the contact corrected then). */
  contactUpdatedAt?: Date;
  /** Once sent (the handoff itself, or a messageAdded update): how many of the handoff's messages it carried (they are only ever appended). */
  messageCount?: number;
  /** Once sent, the id the receiving side gave the message (Teams: the card's activity id, for the card to be updated in place when its status changes). */
  messageId?: string;
}

/** The handoff packet: everything a chargé·e needs to take the structure up. */
export interface Handoff {
  _id: string;
  dossierId?: string;
  reason: HandoffReason;
  urgency: 'normal' | 'high';
  departement?: string;
  structureName?: string;
  contact?: { name?: string; email?: string; phone?: string; otherPhone?: string };
  /** Passed on without an e-mail nor a phone, the day one was given since (the call back counts from it). */
  contactAddedAt?: Date;
  /** The last time the structure corrected its contact (« je me suis trompée de numéro… »): the contact is the corrected one. */
  contactUpdatedAt?: Date;
  eligibility?: { outcome: Outcome; reasons: { code: string; text: string }[]; rulesVersion: string };
  /** The chargé·e's latest decision after a call, when one was recorded: the one in force, not the rules'. */
  chargeDecision?: { outcome: 'eligible' | 'out_of_scope'; by: string; at: Date; note?: string };
  /**
   * The accueil's answers the call is about (SIRET / RNA, legal form, ESUS approval, staff, seat) as
   * label → value; its name, request and contact are in the packet's own fields.
   */
  answers?: { label: string; value: string }[];
  /** Confirmed diagnostic in short: answers as label → value, and the ranked axes. */
  diagnostic?: { version: number; facts: { label: string; value: string }[]; axes: string[] };
  /** What the structure wrote when asking for a human, or its new needs. */
  message?: string;
  /** Its request as told at the accueil (« Votre demande »), unless it is the message itself. */
  request?: string;
  /** Details the structure added since it was passed on, oldest first (at most MESSAGES_MAX, each cut at MESSAGE_MAX_CHARS). */
  messages?: HandoffMessage[];
  consent: boolean;
  /** Where the transcript is (TranscriptStore: channel + conversation). */
  transcript: { channelId: string; conversationId: string };
  status: HandoffStatus;
  /** Who took it up: a back-office user id (e-mail), or the hub. */
  claimedBy?: string;
  /** Their name, what the structure reads (never the e-mail). */
  claimedByName?: string;
  claimedAt?: Date;
  closedAt?: Date;
  closedBy?: string;
  closedByName?: string;
  /** The last time it went back to open (a claim released, or reopened once closed): who, when, from what. */
  reopenedBy?: string;
  reopenedByName?: string;
  reopenedAt?: Date;
  reopenedFrom?: HandoffStatus;
  deliveries: Delivery[];
  createdAt: Date;
  updatedAt: Date;
}
