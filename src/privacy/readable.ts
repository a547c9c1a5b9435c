/**
 * « mes données » in words: the first part of the exported file, for the person who asked,
 * in their language (the rest is the stored data itself, as it is kept).
 */
import { recap, recapText } from '../domain/accueilForm';
import { contactText } from '../domain/contact';
import { diagnosticFacts, rankingText, themesText } from '../domain/diagnosticFacts';
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
    const d = dossier.diagnostic;
    const facts = d ? [
      ...diagnosticFacts(d.answers, t).filter((f) => !f.unknown),
      { label: t('diagnostic.summary.themes'), value: themesText(d.themes, t) },
      { label: t('diagnostic.summary.ranking'), value: rankingText(d.ranking, t) },
    ].filter((f) => f.value !== undefined) : [];
    if (facts.length) lines.push(t('handoffUser.myData.readable.diagnostic'));
    for (const f of facts) lines.push(t('handoffUser.myData.readable.fact', { label: f.label, value: f.value }));
  }
  for (const h of data.handoffs as HandoffLike[]) {
    lines.push(t('handoffUser.myData.readable.handoff', { date: date(h.createdAt), reason: t(`admin.handoffReason.${h.reason}`), status: t(`admin.handoffStatus.${h.status}`) }));
  }
  for (const c of data.checkins as CheckinLike[]) {
    lines.push(t('handoffUser.myData.readable.checkin', { date: date(c.dueAt), status: t(`admin.followup.status.${c.status}`), count: Object.keys(c.answers ?? {}).length }));
  }
  if (data.followupOptOut) lines.push(t('handoffUser.myData.readable.optOut', { date: date(data.followupOptOut.at) }));
  const count = data.conversations.reduce((n, c) => n + c.messages.length, 0);
  lines.push(t('handoffUser.myData.readable.messages', { messages: t('handoffUser.myData.messages', { count }) }));
  return lines;
}
