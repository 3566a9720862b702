import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { webhookConfig, type WebhookConfig } from "../../src/webhook/config";
import { createEventProcessor, type EventProcessor } from "../../src/webhook/eventHandler";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";

export const WEBHOOK_TEST_SECRET = "a-secret-dataverse-sends-with-every-call";

/** The event processor every host runs, over an emulator without a token, with the test secret and a short coalescing window. */
export function processorOver(dataverseUrl: string, config: Partial<WebhookConfig> = {}): EventProcessor {
  const client = new HttpDataverseClient(dataverseUrl, () => Promise.resolve(null));
  return createEventProcessor(
    { ...webhookConfig({ WEBHOOK_SECRET: WEBHOOK_TEST_SECRET, DATAVERSE_URL: dataverseUrl }), coalesceWindowMs: 5, ...config },
    { client, ...membershipReaders(client), texts: englishTexts() },
  );
}
