import { createTransport, Transporter } from 'nodemailer';
import { normalizeDepartementCode } from '../../domain/territory';
import type { OperatorTerritory } from '../../domain/eligibility';
import { translator, Translate } from '../../i18n';
import { renderUpdateHtml, renderUpdateSubject, renderUpdateText, renderHtml, renderSubject, renderText } from '../render';
import type { Handoff, HandoffUpdate } from '../types';
import { Notifier, PermanentDeliveryError } from './notifier';

export interface EmailNotifierOptions {
  /** smtp://user:pass@host:port or smtps://… (config.handoff.smtpUrl). */
  smtpUrl: string;
  /** From header (config.handoff.smtpFrom). */
  from: string;
  /** Default recipients (config.handoff.emailTo). */
  emailTo: string[];
  /** Recipients by département code (config.handoff.routes); they replace emailTo for that département. */
  routes: Record<string, string[]>;
  /** For the back-office link (config.publicUrl). */
  publicUrl: string;
  /** Dates in the message (config.operator.timeZone; default Europe/Paris). */
  timeZone?: string;
  /** The call-back delay and the operator's territory, for the day a handoff and an update name (config.contactDelayWorkingDays, config.operator). */
  contactDelayWorkingDays?: number;
  territory?: OperatorTerritory;
  /** Who signs the e-mails (config.operator.name). */
  operatorName?: string;
  /** Texts (default: French). */
  t?: Translate;
  /** SMTP timeouts in ms (connection, greeting; socket inactivity is 3×). Default 10 s. */
  timeoutMs?: number;
}

/** The one SMTP client of the assistant (handoffs, check-in e-mails): nodemailer with bounded timeouts (connection, greeting; socket inactivity is 3×). */
export function smtpTransport(smtpUrl: string, timeoutMs = 10_000): Transporter {
  return createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 3 });
}

/** The domain of the From address, for Message-IDs that stay the same on a retry. */
export function messageIdDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'dla-assistant.invalid';
}

/** Fails when the SMTP server took the message for no recipient. */
export function assertAccepted(info: { accepted?: unknown[]; rejected?: unknown[] }): void {
  if (!(info.accepted ?? []).length) throw new Error(`SMTP server accepted no recipient (rejected: ${(info.rejected ?? []).join(', ')})`);
}

/** E-mails the handoff to the chargé·es of its département (text + HTML), over SMTP. */
export class EmailNotifier implements Notifier {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;
  private readonly t: Translate;

  constructor(private readonly options: EmailNotifierOptions) {
    this.transport = smtpTransport(options.smtpUrl, options.timeoutMs);
    this.t = options.t ?? translator('fr');
  }

  /** routes[département] when that département has a route, else the default emailTo. */
  recipients(handoff: Handoff): string[] {
    const code = handoff.departement ? normalizeDepartementCode(handoff.departement) : undefined;
    const routed = code ? this.options.routes[code] : undefined;
    return [...new Set(routed?.length ? routed : this.options.emailTo)];
  }

  async send(handoff: Handoff, update?: HandoffUpdate): Promise<void> {
    const to = this.recipients(handoff);
    if (!to.length) {
      throw new PermanentDeliveryError(`no e-mail recipient for département ${handoff.departement ?? '(unknown)'}: set HANDOFF_EMAIL_TO or HANDOFF_ROUTES`);
    }
    const { publicUrl, timeZone, contactDelayWorkingDays, territory, operatorName } = this.options;
    const ctx = { publicUrl, timeZone, contactDelayWorkingDays, territory, operatorName };
    const domain = messageIdDomain(this.options.from);
    const first = `<handoff.${handoff._id}@${domain}>`;
    const info = await this.transport.sendMail({
      from: this.options.from,
      to,
      ...(update
        ? {
          subject: renderUpdateSubject(handoff, this.t, update.event),
          text: renderUpdateText(handoff, this.t, ctx, update.event),
          html: renderUpdateHtml(handoff, this.t, ctx, update.event),
          // An answer to the first message: mail clients show them together.
          inReplyTo: first,
          references: [first],
        }
        : { subject: renderSubject(handoff, this.t), text: renderText(handoff, this.t, ctx), html: renderHtml(handoff, this.t, ctx) }),
      // The same Message-ID on a retry: mail clients drop the duplicate if one ever gets through twice.
      messageId: update ? `<handoff.${update.id}@${domain}>` : first,
      headers: { 'X-DLA-Handoff': handoff._id },
      ...(handoff.urgency === 'high' ? { priority: 'high' as const } : {}),
    });
    assertAccepted(info);
  }

  close(): void {
    this.transport.close();
  }
}
