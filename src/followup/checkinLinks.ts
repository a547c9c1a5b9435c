import { Connection, Model, Schema } from 'mongoose';
import { checkinLinkExpiry, checkinLinkUsable } from '../domain/checkinEmail';
import { linkTokenId, newLinkToken } from '../store/linkTokens';
import type { Language } from '../i18n';

/**
 * The links of a check-in e-mail (collection `checkin_links`): one random token per e-mail,
 * stored only as its SHA-256, as the back-office's login codes are. `/?suivi=<token>` binds the
 * browser to the dossier's web-chat user (the chat then offers the check-in at its welcome);
 * `/ne-plus-relancer/<token>` stops the dossier's check-ins. A link works until it expires, as
 * often as needed: the leader may open it on a phone, then on a laptop. It goes with the dossier
 * on erasure (deleteDossiers) and once expired with the daily retention purge.
 */
export interface CheckinLink {
  /** SHA-256 (hex) of the token. */
  _id: string;
  dossierId: string;
  checkinId: string;
  /** "channelId:userId" of the web-chat user the link signs in as (an entry of the dossier's channelUsers). */
  channelUser: string;
  /** The e-mail's language: the pages the links open speak it. */
  language: Language;
  expiresAt: Date;
  createdAt: Date;
}

const linkSchema = new Schema<CheckinLink>(
  {
    _id: String,
    dossierId: { type: String, required: true, index: true }, // erasure
    checkinId: { type: String, required: true },
    channelUser: { type: String, required: true },
    language: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: true }, // the retention purge
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'checkin_links' },
);

export class CheckinLinks {
  private readonly model: Model<CheckinLink>;

  constructor(connection: Connection, private readonly days: number, private readonly now: () => Date = () => new Date()) {
    this.model = (connection.models.CheckinLink as Model<CheckinLink>) ?? connection.model<CheckinLink>('CheckinLink', linkSchema);
  }

  async create(link: Pick<CheckinLink, 'dossierId' | 'checkinId' | 'channelUser' | 'language'>): Promise<{ token: string; expiresAt: Date }> {
    const { token, id } = newLinkToken();
    const createdAt = this.now();
    const expiresAt = checkinLinkExpiry(createdAt, this.days);
    await this.model.create({ ...link, _id: id, expiresAt, createdAt });
    return { token, expiresAt };
  }

  /** The link of a token still valid; undefined for a malformed, unknown or expired one. */
  async find(token: unknown): Promise<CheckinLink | undefined> {
    const id = linkTokenId(token);
    if (!id) return undefined;
    const link = await this.model.findOne({ _id: id }).lean<CheckinLink>();
    return link && checkinLinkUsable(link.expiresAt, this.now()) ? link : undefined;
  }

  /** An e-mail that did not go: its link is of no use. */
  async delete(token: string): Promise<void> {
    const id = linkTokenId(token);
    if (id) await this.model.deleteOne({ _id: id });
  }
}
