import { Attachment, CardFactory, TurnContext } from 'botbuilder';
import { AccueilAnswers } from '../src/domain/accueilForm';
import { EligibilityResult } from '../src/domain/eligibility';
import { matchResources, Resource, ResourceMatch } from '../src/domain/resources';
import { tr } from './turnLocale';

/**
 * The 1–3 resources for an out-of-scope outcome: those the deciding rules name, preceded by the
 * operator's local entries for the same needs in the structure's département.
 */
export function resourcesFor(result: EligibilityResult, answers: AccueilAnswers, all: readonly Resource[]): ResourceMatch[] {
  const named = result.orientation.map((id) => all.find((r) => r.id === id)).filter((r): r is Resource => !!r);
  if (named.length === 0) return matchResources(['general_orientation'], answers.location?.departement, all, 3);
  const needs = named.flatMap((r) => r.needs);
  const dep = answers.location?.departement;
  const local = dep ? matchResources(needs, dep, all.filter((r) => r.scope === 'local'), 3).filter((m) => m.resource.scope === 'local') : [];
  const national = named.map((resource) => ({ resource, whyKey: `resources.why.${resource.needs[0]}` }));
  return [...local, ...national].slice(0, 3);
}

/**
 * One Adaptive Card listing each resource with why it fits, how to find it, and a button to its
 * site right under it (the message's text already says « Voici qui peut vous aider »).
 */
export function orientationCard(context: TurnContext, matches: ResourceMatch[]): Attachment {
  const t = tr(context);
  const body: unknown[] = [];
  for (const { resource, whyKey } of matches) {
    body.push(
      { type: 'TextBlock', text: resource.name, weight: 'Bolder', wrap: true, spacing: 'Medium', separator: true },
      { type: 'TextBlock', text: t(whyKey), wrap: true },
    );
    if (resource.scope === 'national') body.push({ type: 'TextBlock', text: t(resource.finder), wrap: true, isSubtle: true });
    else {
      if (resource.contact) body.push({ type: 'TextBlock', text: resource.contact, wrap: true });
      body.push({ type: 'TextBlock', text: t('accueil.orientation.checked', { by: resource.checkedBy, date: resource.checkedAt }), wrap: true, isSubtle: true, size: 'Small' });
    }
    // Short button titles (Web Chat cuts long ones), still saying whose site it is.
    const short = resource.name.split(' — ')[0];
    if (resource.url) body.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: t('accueil.orientation.open', { name: short }), url: resource.url }] });
  }
  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body });
}
