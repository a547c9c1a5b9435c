import { Attachment, CardFactory, TurnContext } from 'botbuilder';
import { AccueilAnswers } from '../src/domain/accueilForm';
import { EligibilityResult } from '../src/domain/eligibility';
import { matchResources, Resource, ResourceMatch } from '../src/domain/resources';
import { tr } from './turnLocale';

/**
 * The 1–3 resources for an out-of-scope outcome: for each need the deciding rule names, its best
 * entry (the operator's local one in the structure's département first). Only entries a person can
 * reach are offered: a national network with its site, or a local entry with its checked site or contact.
 */
export function resourcesFor(result: EligibilityResult, answers: AccueilAnswers, all: readonly Resource[]): ResourceMatch[] {
  const reachable = all.filter((r) => r.scope === 'local' || r.url !== undefined);
  const dep = answers.location?.departement;
  // A chargé·e's « out of scope » where the rules named no need: whoever can point the way.
  if (result.orientation.length === 0) return matchResources(['general_orientation'], dep, reachable, 3);
  return matchResources(result.orientation, dep, reachable, 3, true);
}

/**
 * One Adaptive Card listing each resource with why it fits, how to find it, and a button to its
 * site right under it (the message's text already says « Voici qui peut vous aider »).
 */
export function orientationCard(context: TurnContext, matches: ResourceMatch[]): Attachment {
  const t = tr(context);
  const body: unknown[] = [];
  for (const { resource, whyKey } of matches) {
    const name = resource.scope === 'national' ? t(resource.nameKey) : resource.name;
    body.push(
      { type: 'TextBlock', text: name, weight: 'Bolder', wrap: true, spacing: 'Medium', separator: true },
      { type: 'TextBlock', text: t(whyKey), wrap: true },
    );
    if (resource.scope === 'national') body.push({ type: 'TextBlock', text: t(resource.finder), wrap: true, isSubtle: true });
    else {
      if (resource.contact) body.push({ type: 'TextBlock', text: resource.contact, wrap: true });
      body.push({ type: 'TextBlock', text: t('accueil.orientation.checked', { by: resource.checkedBy, date: resource.checkedAt }), wrap: true, isSubtle: true, size: 'Small' });
    }
    // Short button titles (Web Chat cuts long ones), still saying whose site it is.
    const short = name.split(' — ')[0];
    if (resource.url) body.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: t('accueil.orientation.open', { name: short }), url: resource.url }] });
  }
  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body });
}
