/**
 * Channels where the structure itself writes and reads (Web Chat through the local or Azure
 * Direct Line, Azure's web chat, Teams): it could post any event there, and its client receives
 * every activity sent there, events included (readable in a browser's developer tools).
 */
export const USER_CHANNELS: ReadonlySet<string> = new Set(['directline', 'webchat', 'msteams']);
