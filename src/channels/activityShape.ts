/**
 * What is wrong with an inbound activity, before a turn reads it: botbuilder trusts the shape
 * (`membersAdded.filter`, `entities[i].mentioned.id`…) and a malformed field would otherwise
 * fail the turn after the request was accepted. Only the fields the assistant reads are checked.
 */

/** Longer messages are refused: no answer the assistant asks for needs more. */
export const MAX_TEXT_CHARS = 20_000;
/**
 * Objects and arrays nested deeper are refused (a card's answers need a few levels): serialising
 * or copying a very deep activity overflows the stack after it was accepted.
 */
export const MAX_NESTING = 32;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown) => isObject(v) && typeof v.id === 'string' && v.id !== '';

/**
 * `routed`: the activity must say where it comes from and where replies go (Bot Framework
 * channels on /api/messages); a local Direct Line post gets those from its token instead.
 */
export function activityShapeProblem(activity: unknown, routed: boolean): string | undefined {
  if (!isObject(activity)) return 'The body must be an activity (a JSON object).';
  const a = activity;
  for (const [, depth] of nested(a)) {
    if (depth > MAX_NESTING) return `The activity is nested more than ${MAX_NESTING} levels deep (objects and arrays).`;
  }
  if (typeof a.type !== 'string' || a.type === '') return 'The activity has no "type" (expected "message", "conversationUpdate", …).';
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') return '"text" must be a string.';
  if (typeof a.text === 'string' && a.text.length > MAX_TEXT_CHARS) return `"text" is longer than ${MAX_TEXT_CHARS} characters.`;
  if (a.locale !== undefined && a.locale !== null && typeof a.locale !== 'string') return '"locale" must be a string.';
  // A card's answers (Action.Submit) are text the structure typed, like "text".
  for (const [v] of nested(a.value)) {
    const strings = typeof v === 'string' ? [v] : isObject(v) ? Object.keys(v) : [];
    if (strings.some((s) => s.length > MAX_TEXT_CHARS)) return `A text in "value" is longer than ${MAX_TEXT_CHARS} characters.`;
  }
  if (routed) {
    if (!hasId(a.conversation)) return 'The activity needs "conversation": { "id": … }.';
    if (!hasId(a.from)) return 'The activity needs "from": { "id": … }.';
    if (!hasId(a.recipient)) return 'The activity needs "recipient": { "id": … }.';
    if (typeof a.serviceUrl !== 'string' || a.serviceUrl === '') return 'The activity needs a "serviceUrl".';
  } else if (a.from !== undefined && a.from !== null && !isObject(a.from)) {
    return '"from" must be an object.';
  }
  for (const key of ['membersAdded', 'membersRemoved'] as const) {
    const members = a[key];
    if (members !== undefined && !(Array.isArray(members) && members.every(hasId))) return `"${key}" must be a list of { "id": … }.`;
  }
  for (const key of ['attachments', 'entities'] as const) {
    const list = a[key];
    if (list !== undefined && !(Array.isArray(list) && list.every(isObject))) return `"${key}" must be a list of objects.`;
  }
  const entities = Array.isArray(a.entities) ? (a.entities as Record<string, unknown>[]) : [];
  if (entities.some((e) => e.type === 'mention' && !hasId(e.mentioned))) return 'A "mention" entity needs "mentioned": { "id": … }.';
  if (a.channelData !== undefined && a.channelData !== null && !isObject(a.channelData)) return '"channelData" must be an object.';
  return undefined;
}

/**
 * `root` and every value inside it, each with its depth in objects and arrays (1 for root's own
 * fields), without recursion: a body of 100,000 levels is walked as safely as a flat one.
 */
function* nested(root: unknown): Generator<[unknown, number]> {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    yield [v, depth];
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}
