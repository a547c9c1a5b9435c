import { randomBytes } from 'node:crypto';
import { CloudAdapter } from 'botbuilder';
import { ServiceClientCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';
import { ReusingBotFrameworkAuthentication } from '../../adapter';
import { bearer, sameSecret } from './tokens';

/**
 * The adapter that runs turns for the local Direct Line: no app credentials (inbound needs no
 * Bot Framework token: it never comes from the network), and outbound Connector calls signed
 * with a per-process key that only this server's Connector routes accept. So a bot reply
 * follows the code path Azure uses (HTTP to serviceUrl), and nobody else can post as the bot.
 */
class LocalConnectorCredentials extends ServiceClientCredentialsFactory {
  constructor(private readonly key: string) {
    super();
  }
  async isValidAppId(): Promise<boolean> { return true; }
  async isAuthenticationDisabled(): Promise<boolean> { return true; }
  async createCredentials(): Promise<ServiceClientCredentials> {
    const key = this.key;
    return {
      async signRequest(webResource) {
        webResource.headers.set('authorization', `Bearer ${key}`);
        return webResource;
      },
    } as ServiceClientCredentials;
  }
}

export interface LocalConnector {
  adapter: CloudAdapter;
  /** True when the request carries this process's connector key. */
  isTrusted(authorizationHeader: string | undefined): boolean;
}

export function createLocalConnector(): LocalConnector {
  const key = randomBytes(32).toString('base64url');
  const adapter = new CloudAdapter(new ReusingBotFrameworkAuthentication({}, new LocalConnectorCredentials(key)));
  return {
    adapter,
    isTrusted: (header) => {
      const token = bearer(header);
      return !!token && sameSecret(token, key);
    },
  };
}
