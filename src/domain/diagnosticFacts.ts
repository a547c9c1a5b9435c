/**
 * The diagnostic's answers as lines a person reads — the same for the structure's summary, the
 * back-office and the chargé·es' handoff packet. Pure: the texts come through `t`.
 */
import type { Translate } from '../i18n';
import { urgencyOf } from './diagnosticForm';
import { Area, AREAS } from './ranking';

export interface DiagnosticFact {
  key: string;
  label: string;
  /** The answer in words; `unknown` (diagnostic.summary.unknown) when not given. */
  value: string;
  unknown: boolean;
}

/** The themes of the structure's needs, in words (« Diversification des financements ; Emploi »); undefined when none. */
export function themesText(themes: readonly string[] | undefined, t: Translate): string | undefined {
  return themes?.length ? themes.map((theme) => t(`themes.label.${theme}`)).join(t('separator')) : undefined;
}

/** The axes of change in the structure's order (« 1. Finances ; 2. Emploi »); undefined when not ranked. */
export function rankingText(ranking: readonly string[] | undefined, t: Translate): string | undefined {
  return ranking?.length ? ranking.map((axis, i) => `${i + 1}. ${t(`themes.label.${axis}`)}`).join(t('separator')) : undefined;
}

export function diagnosticFacts(answers: Record<string, unknown> | undefined, t: Translate): DiagnosticFact[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const a = (answers ?? {}) as Record<string, any>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const fact = (key: string, label: string, value: string | undefined): DiagnosticFact =>
    ({ key, label, value: value ?? t('diagnostic.summary.unknown'), unknown: value === undefined });
  // An answer kept as written after retries (unread): said so, for the chargé·e to check.
  const typed = (v: { text?: unknown; unread?: boolean } | undefined): string | undefined =>
    (v?.unread && typeof v.text === 'string' ? t('diagnostic.summary.asTyped', { text: v.text }) : str(v?.text));
  const sources = Array.isArray(a.funding?.sources) ? (a.funding.sources as { label?: string; share?: number }[]) : [];
  return [
    fact('activity', t('diagnostic.summary.activity'), str(a.activity)),
    fact('budget', t('diagnostic.summary.budget'), typeof a.budget?.euros === 'number' ? t('diagnostic.summary.euros', { value: a.budget.euros }) : typed(a.budget)),
    fact('funding', t('diagnostic.summary.funding'), sources.length
      ? sources.map((s) => (typeof s.share === 'number' ? t('diagnostic.summary.share', { label: s.label ?? '', value: Math.round(s.share) }) : s.label ?? '')).join(', ')
      : typed(a.funding)),
    fact('staff', t('diagnostic.summary.staff'), a.staff?.counts
      ? t('diagnostic.summary.staffCounts', { etp: a.staff.employees, count: a.staff.volunteers })
      : !a.staff?.etpFromAccueil
      ? typed(a.staff)
      : typeof a.staff.volunteers === 'number'
        ? t('diagnostic.summary.staffKnown', { etp: a.staff.employees, count: a.staff.volunteers })
        : t('diagnostic.summary.staffKnownVolunteersTyped', { etp: a.staff.employees, volunteers: typed(a.staff) })),
    fact('governance', t('diagnostic.summary.governance'), str(a.governance?.text)),
    ...AREAS.map((area) => fact(area, t(`diagnostic.areas.${area}`),
      a[`${area}_situation`] === undefined && a[`${area}_urgency`] === undefined ? undefined : areaText(a, area, t))),
    fact('support', t('diagnostic.summary.support'), str(a.support)),
    fact('availability', t('diagnostic.summary.availability'), str(a.availability)),
    fact('needs', t('diagnostic.summary.needs'), str(a.needs?.text) ?? str(a.needs)),
  ];
}

/**
 * An area's situation with its urgency: « …(urgence 3/4) », « …(urgence non précisée) » after
 * « je ne sais pas », « …(urgence : « bof », tel qu'écrit, à vérifier) » when kept as written.
 */
function areaText(a: Record<string, unknown>, area: Area, t: Translate): string {
  const situation = typeof a[`${area}_situation`] === 'string' ? a[`${area}_situation`] as string : t('diagnostic.summary.unknown');
  const urgency = urgencyOf(a, area);
  if (urgency === undefined || typeof urgency === 'number') return t('diagnostic.summary.areaValue', { situation, urgency: urgency ?? '?' });
  return urgency.unread ? t('diagnostic.summary.areaValueAsTyped', { situation, urgency: urgency.text }) : t('diagnostic.summary.areaValueUnrated', { situation });
}
