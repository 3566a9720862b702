import { secureUrl } from "../dataverse-node/endpoints";
import { tokenProviderFor, type SignIn } from "../dataverse-node/signIn";
import { entraSourceFor } from "./entraReader";
import type { EntraSource } from "./entraSnapshots";
import { HttpGraphClient } from "./httpGraphClient";

export interface GraphConnection {
  client: HttpGraphClient;
  source: EntraSource;
}

/**
 * The Entra source over Graph, signed in as Dataverse is (the same credential, scope `<graph>/.default`);
 * `https://` only, except a loopback URL (the emulator), which with no sign-in goes without a token.
 */
export function connectGraph(graphUrl: string, signIn: SignIn | null, onThrottled?: (seconds: number) => void): GraphConnection {
  secureUrl(graphUrl, "The Graph URL");
  const client = new HttpGraphClient(graphUrl, tokenProviderFor(graphUrl, signIn), { maxAttempts: 5, onThrottled });
  return { client, source: entraSourceFor(client, { maxAttempts: 5, onThrottled }) };
}
