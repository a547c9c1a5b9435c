import { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { Config } from './config';

/**
 * CloudAdapter with Bot Framework authentication. When MicrosoftAppId is set, every inbound
 * request must carry a valid Bot Framework token (401 otherwise); when it is empty (local
 * development, local Direct Line) the SDK runs without credentials.
 */
export function createAdapter(config: Pick<Config, 'appId' | 'appPassword' | 'appType' | 'appTenantId'>): DlaAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId,
  });
  return new DlaAdapter(auth);
}

/** CloudAdapter whose authenticated processing the HTTP route calls itself (src/server.ts answers the errors). */
export class DlaAdapter extends CloudAdapter {
  authenticateAndProcess(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
