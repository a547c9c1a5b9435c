import { WITHDRAWN_BY } from '../domain/handoffMessage';
import { isPlaceholderName } from '../domain/staffNames';
import type { Dossier } from '../store/dossiers';

/**
 * A chargé·e's name as a structure may read it: names recorded before names were checked could
 * be an e-mail address, and the first administrator's may be a placeholder (« Administrateur »):
 * neither is ever shown (undefined then).
 */
export function staffName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('@') && !isPlaceholderName(value) ? value : undefined;
}

/**
 * What « mes données » gives a structure of what chargé·es recorded: everything about the
 * structure (the decisions with their notes, the parcours, the handoffs' statuses and dates), but
 * nothing of the chargé·es' own contact data nor of the operator's plumbing — their e-mail
 * addresses, where the notifications went (an address, a webhook URL), the notifiers' errors.
 * Names stay, as the structure reads them in the conversation.
 */
export function redactStaff(dossier: Dossier | undefined, handoffs: Record<string, unknown>[]): { dossier?: Dossier; handoffs: Record<string, unknown>[] } {
  type Decision = NonNullable<Dossier['chargeDecision']>;
  const decision = ({ byEmail: _email, by, ...rest }: Decision) => ({ ...rest, by: staffName(by) }) as Decision;
  const shown = dossier && {
    ...dossier,
    ...(dossier.chargeDecision ? { chargeDecision: decision(dossier.chargeDecision) } : {}),
    // Every decision with its note, each author by name only.
    ...(Array.isArray(dossier.chargeDecisions) ? { chargeDecisions: dossier.chargeDecisions.map(decision) } : {}),
    ...(dossier.parcours ? { parcours: (({ recordedBy: _email, ...rest }) => rest)(dossier.parcours) as Dossier['parcours'] } : {}),
  };
  return {
    dossier: shown,
    handoffs: handoffs.map(({ claimedBy, closedBy, reopenedBy: _r, claimedByName, closedByName, reopenedByName, deliveries, ...rest }) => ({
      ...rest,
      // The structure itself when it withdrew its request: no chargé·e's address.
      ...(claimedBy === WITHDRAWN_BY ? { claimedBy } : {}),
      ...(closedBy === WITHDRAWN_BY ? { closedBy } : {}),
      ...(staffName(claimedByName) ? { claimedByName } : {}),
      ...(staffName(closedByName) ? { closedByName } : {}),
      ...(staffName(reopenedByName) ? { reopenedByName } : {}),
      // The chargé·e's decision the packet carried: by name only, as on the dossier.
      ...(rest.chargeDecision ? { chargeDecision: decision(rest.chargeDecision as Decision) } : {}),
      ...(Array.isArray(deliveries) ? { deliveries: deliveries.map(({ notifier, status, sentAt }: Record<string, unknown>) => ({ notifier, status, ...(sentAt ? { sentAt } : {}) })) } : {}),
    })),
  };
}
