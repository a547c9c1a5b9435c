import { FakeConnector } from './connector';
import { Channel, post, RunningApp } from './app';

/** A structure talking to the assistant through /api/messages; each `say` returns the bot's answer. */
export class Persona {
  readonly channel: Channel;

  /** `channelId`: Web Chat through Direct Line unless said (a hub's channel, the Emulator…). */
  constructor(private readonly app: () => RunningApp, private readonly connector: FakeConnector, locale = 'fr-FR', userId?: string, channelId = 'directline') {
    this.channel = new Channel(connector.url, locale, channelId);
    if (userId) Object.assign(this.channel, { userId });
  }

  get userId(): string {
    return this.channel.userId;
  }

  async join(): Promise<string> {
    return this.send(this.channel.join());
  }

  async say(text: string): Promise<string> {
    return this.send(this.channel.say(text));
  }

  /** The last activities the bot sent in this conversation (cards included). */
  last(n = 1) {
    return this.connector.activities.filter((a) => a.conversation?.id === this.channel.conversationId).slice(-n);
  }

  private async send(activity: unknown): Promise<string> {
    const before = this.connector.messages(this.channel.conversationId).length;
    const res = await post(this.app().baseUrl, activity);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return this.connector.messages(this.channel.conversationId).slice(before).join('\n');
  }
}
