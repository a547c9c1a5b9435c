/**
 * « mes données » in words: the first part of the exported file, for the person who asked,
 * in their language (the rest is the stored data itself, as it is kept).
 */
import { recap, recapText } from '../domain/accueilForm';
import { contactText } from '../domain/contact';
import { diagnosticFacts } from '../domain/diagnosticFacts';
import type { Translate } from '../i18n';
import type { PersonalDataExport } from '../store/privacy';

interface HandoffLike { createdAt?: Date | string; reason?: string; status?: string }
interface CheckinLike { dueAt?: Date | string; status?: string; answers?: Record<string, unknown> }

export function readableExport(data: PersonalDataExport, t: Translate, timeZone = 'Europe/Paris'): string[] {
  const date = (d: Date | string | undefined) => (d ? new Intl.DateTimeFormat(t('handoff.dateLocale'), { timeZone }).format(new Date(d)) : '—');
  const lines = [t('handoffUser.myData.readable.exportedAt', { date: date(data.exportedAt) })];
  const dossier = data.dossier;
  if (dossier) {
    lines.push(t('handoffUser.myData.readable.consent', { date: date(dossier.consent?.at), months: dossier.consent?.retentionMonths ?? '' }));
    for (const l of recap(dossier.answers ?? {})) lines.push(recapText(t, l));
    if (dossier.answers?.contact) lines.push(t('handoffUser.myData.readable.contact', { contact: contactText(dossier.answers.contact) }));
    if (dossier.decision) lines.push(t('handoffUser.myData.readable.decision', { outcome: t(`admin.outcome.${dossier.decision.outcome}`), date: date(dossier.decision.decidedAt) }));
    if (dossier.diagnostic && Object.keys(dossier.diagnostic.answers ?? {}).length) {
      lines.push(t('handoffUser.myData.readable.diagnostic'));
      for (const f of diagnosticFacts(dossier.diagnostic.answers, t)) if (!f.unknown) lines.push(t('handoffUser.myData.readable.fact', { label: f.label, value: f.value }));
    }
  }
  for (const h of data.handoffs as HandoffLike[]) {
    lines.push(t('handoffUser.myData.readable.handoff', { date: date(h.createdAt), reason: t(`admin.handoffReason.${h.reason}`), status: t(`admin.handoffStatus.${h.status}`) }));
  }
  for (const c of data.checkins as CheckinLike[]) {
    lines.push(t('handoffUser.myData.readable.checkin', { date: date(c.dueAt), status: t(`admin.followup.status.${c.status}`), count: Object.keys(c.answers ?? {}).length }));
  }
  if (data.followupOptOut) lines.push(t('handoffUser.myData.readable.optOut', { date: date(data.followupOptOut.at) }));
  const messages = data.conversations.reduce((n, c) => n + c.messages.length, 0);
  lines.push(t('handoffUser.myData.readable.messages', { count: messages }));
  return lines;
}
