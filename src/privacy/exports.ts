import { Connection, Model, Schema } from 'mongoose';
import { linkTokenId, newLinkToken } from '../store/linkTokens';

/** How long a download link of « mes données » works. */
export const EXPORT_LINK_MINUTES = 15;
/** The JSON file, from the link's page: the same link, the same token, the same expiry. */
export const EXPORT_JSON_HREF = '?format=json';

interface ExportDoc {
  /** SHA-256 of the link's token: the token itself is never stored. */
  _id: string;
  /** "channelId:userId" of the person the export is about (erasure deletes their links). */
  owner: string;
  /** The export, as the JSON file the person downloads. */
  data: string;
  /** The same, as the readable page the link opens (src/privacy/exportHtml.ts). */
  html: string;
  expiresAt: Date;
}

const exportSchema = new Schema<ExportDoc>(
  {
    _id: String,
    owner: { type: String, required: true, index: true }, // erasure
    data: { type: String, required: true },
    html: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: true }, // the retention purge
  },
  { versionKey: false, collection: 'data_exports' },
);

/**
 * Short-lived download links for « mes données », where the channel cannot take the file in the
 * conversation (Teams accepts files from a bot only through its file-consent flow). A link is a
 * random token; it works for EXPORT_LINK_MINUTES, then the export is gone.
 */
export class DataExports {
  private readonly exports: Model<ExportDoc>;

  constructor(connection: Connection, private readonly now: () => Date = () => new Date()) {
    this.exports = (connection.models.DataExport as Model<ExportDoc>) ?? connection.model<ExportDoc>('DataExport', exportSchema);
  }

  async create(owner: string, files: { json: string; html: string }): Promise<{ token: string; expiresAt: Date }> {
    const { token, id } = newLinkToken();
    const expiresAt = new Date(this.now().getTime() + EXPORT_LINK_MINUTES * 60_000);
    await this.exports.create({ _id: id, owner, data: files.json, html: files.html, expiresAt });
    return { token, expiresAt };
  }

  /** The export behind a link still valid; undefined otherwise. */
  async read(token: string): Promise<{ json: string; html: string } | undefined> {
    const id = linkTokenId(token);
    if (!id) return undefined;
    const doc = await this.exports.findOne({ _id: id }).lean<ExportDoc>();
    return doc && new Date(doc.expiresAt).getTime() > this.now().getTime() ? { json: doc.data, html: doc.html } : undefined;
  }

  /** Erasure: the person's links stop working. Returns how many went. */
  async deleteFor(owner: string): Promise<number> {
    return (await this.exports.deleteMany({ owner })).deletedCount;
  }
}
