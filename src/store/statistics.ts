import { Connection } from 'mongoose';

export interface ThemeShare {
  theme: string;
  count: number;
  /** Share of the year's confirmed diagnostics, 0–100, one decimal. */
  share: number;
}

export interface YearThemes {
  year: number;
  total: number;
  themes: ThemeShare[];
}

/**
 * Share of dossiers by theme (the first axis of change the structure confirmed) and by year of
 * confirmation: what the back-office charts. One $group on { diagnostic.year, diagnostic.primaryTheme },
 * served by the dossiers' index on those two fields. `scope` narrows the dossiers counted (a
 * chargé·e's départements).
 */
export async function themeSharesByYear(connection: Connection, scope: Record<string, unknown> = {}): Promise<YearThemes[]> {
  const rows = await connection.db!.collection('dossiers').aggregate<{ _id: { year: number; theme: string }; count: number }>([
    { $match: { ...scope, 'diagnostic.year': { $exists: true }, 'diagnostic.primaryTheme': { $exists: true } } },
    { $group: { _id: { year: '$diagnostic.year', theme: '$diagnostic.primaryTheme' }, count: { $sum: 1 } } },
  ]).toArray();
  return yearThemesOf(rows.map((r) => ({ year: r._id.year, theme: r._id.theme, count: r.count })));
}

/** The shares by year of counts by { year, theme } (themeSharesByYear's figures, from rows counted elsewhere). */
export function yearThemesOf(counts: Iterable<{ year: number; theme: string; count: number }>): YearThemes[] {
  const byYear = new Map<number, { theme: string; count: number }[]>();
  for (const r of counts) byYear.set(r.year, [...(byYear.get(r.year) ?? []), { theme: r.theme, count: r.count }]);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, themes]) => {
      const total = themes.reduce((n, t) => n + t.count, 0);
      return {
        year,
        total,
        themes: themes
          .map((t) => ({ ...t, share: Math.round((t.count / total) * 1000) / 10 }))
          .sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme)),
      };
    });
}
