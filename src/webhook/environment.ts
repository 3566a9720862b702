import { HttpDataverseClient } from "../dataverse-node/httpClient";
import { signInFor, tokenProviderFor } from "../dataverse-node/signIn";
import { connectGraph } from "../graph/connection";
import { webhookConfig, type WebhookConfig } from "./config";
import type { WebhookDependencies } from "./eventHandler";
import { englishTexts } from "./messageTexts";
import { membershipReaders } from "./roleHolders";

/**
 * The webhook as every host runs it (the `svcacct webhook` service, its container, the Azure
 * Function): configuration from the environment, and a Web API client signed in as its application
 * user, with the identity AUTH_METHOD names (a managed identity, when Azure provides one).
 */
export function webhookFromEnvironment(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<string, string>> = {},
): { config: WebhookConfig; dependencies: WebhookDependencies } {
  const config = webhookConfig(env, overrides);
  const signIn = signInFor(config.signIn, config.dataverseUrl);
  const client = new HttpDataverseClient(config.dataverseUrl, tokenProviderFor(config.dataverseUrl, signIn));
  // Graph with the same identity; its faults become words on the Entra checks, never a lost event.
  const entra = config.graphUrl ? connectGraph(config.graphUrl, signIn).source : undefined;
  return { config, dependencies: { client, ...membershipReaders(client), texts: englishTexts(), entra } };
}
