import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { contrastRatio } from '../../src/domain/contrast';
import { ARTEFACTS } from './browser';

/** axe-core's own build, read from node_modules (never a CDN). */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.1 levels A and AA, and axe's best practices (landmarks, headings order…), recorded too. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

export interface AxeNode { target: string; html: string; summary: string }
export interface AxeViolation { rule: string; impact: string; help: string; nodes: AxeNode[] }

/**
 * Where axe's findings may be let through: only the Web Chat bundle's own markup, which the page
 * cannot change. `inside` is a selector of that bundle's elements; each entry says why.
 */
export interface AllowedViolation { rule: string; inside: string; reason: string }

/**
 * Runs axe on the page as it is now and writes everything it found to artefacts/axe/NAME.json.
 * Returns the violations of impact serious or critical (of any impact with `anyImpact`: a static
 * page of our own has no reason for even a moderate one), without the allowed ones, as
 * « rule (impact): target » lines: what a test expects to be empty.
 */
export async function axeBlockers(page: Page, name: string, { allowed = [], anyImpact = false }: { allowed?: AllowedViolation[]; anyImpact?: boolean } = {}): Promise<string[]> {
  // Through the DevTools protocol: the page's Content-Security-Policy (no inline script) does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async ({ tags, allowed }) => {
    type Result = { id: string; impact: string; help: string; nodes: { target: string[]; html: string; failureSummary?: string }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => {
        const element = document.querySelector(n.target.join(' '));
        const allowedBy = allowed.find((a) => a.rule === v.id && element?.closest(a.inside));
        return { target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary ?? '', allowed: allowedBy?.reason };
      }),
    }));
  }, { tags: TAGS, allowed });
  const dir = path.join(ARTEFACTS, 'axe');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(violations, null, 2));
  return violations.filter((v) => anyImpact || BLOCKING.has(v.impact))
    .flatMap((v) => v.nodes.filter((n) => !n.allowed).map((n) => `${v.rule} (${v.impact}): ${n.target} — ${n.summary.split('\n').slice(1, 2).join('').trim()}`));
}

/**
 * Presses Tab `stops` times from where the focus is and, at each stop in the page's own markup
 * (Web Chat's controls draw their own indicators; its send box is the page's), measures the focus
 * indicator: its outline's and box-shadow's colours against the background around it. Returns the
 * stops where none of them reaches 3:1 (WCAG 1.4.11), as « element: ratio » lines.
 */
export async function faintFocusRings(page: Page, stops: number): Promise<string[]> {
  const faint: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) return null;
      const sendBox = focused.closest('#webchat .webchat__send-box__main');
      if (!sendBox && focused.closest('#webchat') && focused.id !== 'webchat') return null;
      const style = getComputedStyle(sendBox ?? focused);
      const opaque = (colour: string) => !/^rgba\(.*, 0(\.\d+)?\)$/.test(colour) && colour !== 'transparent';
      // The background the ring is drawn on: the first opaque one from the ring's parent (its own, for a ring inside it).
      let under: Element | null = parseFloat(style.outlineOffset) < 0 ? (sendBox ?? focused) : (sendBox ?? focused).parentElement;
      while (under && !opaque(getComputedStyle(under).backgroundColor)) under = under.parentElement;
      return {
        name: `${focused.tagName.toLowerCase()} « ${(focused.getAttribute('aria-label') ?? focused.textContent ?? '').trim().slice(0, 40)} »`,
        background: under ? getComputedStyle(under).backgroundColor : 'rgb(255, 255, 255)',
        colours: [
          ...(style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? [style.outlineColor] : []),
          ...(style.boxShadow.match(/rgba?\([^)]*\)/g) ?? []),
        ].filter(opaque),
      };
    });
    if (!ring) continue;
    const best = Math.max(0, ...ring.colours.map((c) => contrastRatio(c, ring.background)));
    if (best < 3) faint.push(`${ring.name}: ${best.toFixed(2)}:1`);
  }
  return faint;
}
