import { HttpDataverseClient } from "../dataverse-node/httpClient";
import { tokenProviderFor } from "../dataverse-node/tokenProvider";
import { connectGraph } from "../graph/connection";
import { webhookConfig, type WebhookConfig } from "./config";
import type { WebhookDependencies } from "./eventHandler";
import { englishTexts } from "./messageTexts";
import { membershipReaders } from "./roleHolders";

/**
 * The webhook as every host runs it (the `svcacct webhook` service, its container, the Azure
 * Function): configuration from the environment, and a Web API client signed in as its application user.
 */
export function webhookFromEnvironment(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<string, string>> = {},
): { config: WebhookConfig; dependencies: WebhookDependencies } {
  const config = webhookConfig(env, overrides);
  const client = new HttpDataverseClient(config.dataverseUrl, tokenProviderFor(config.dataverseUrl, config));
  // Graph with the same app registration; its faults become words on the Entra checks, never a lost event.
  const entra = config.graphUrl ? connectGraph(config.graphUrl, config).source : undefined;
  return { config, dependencies: { client, ...membershipReaders(client), texts: englishTexts(), entra } };
}
