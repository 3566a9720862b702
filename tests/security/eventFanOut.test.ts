import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { webhookConfig } from "../../src/webhook/config";
import { createEventProcessor, type EventLog, type EventProcessor } from "../../src/webhook/eventHandler";
import { englishTexts } from "../../src/webhook/messageTexts";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { associateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const quiet: EventLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const roleIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`);

describe("one authenticated event cannot fan out into unbounded reads", () => {
  let dataverse: RunningEmulator;
  let processor: EventProcessor;
  let inFlight = 0;
  let mostInFlight = 0;
  let lookups = 0;

  beforeAll(async () => {
    dataverse = await startEmulator();
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    const config = { ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url }), coalesceWindowMs: 1 };
    const roleHolders = async () => {
      lookups++;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return [];
    };
    processor = createEventProcessor(config, { client, roleHolders, teamMembers: roleHolders, texts: englishTexts() });
  });
  beforeEach(() => {
    dataverse.emulator.reset();
    lookups = mostInFlight = 0;
  });
  afterAll(async () => {
    await processor?.close();
    await dataverse?.close();
  });

  const associateRoles = (count: number) => {
    const [target, ...related] = roleIds(count).map((id) => ({ logicalName: "role", id }));
    return processor.handle({
      headers: { "x-svcacct-key": SECRET },
      query: {},
      body: associateEvent("Associate", target, related),
      log: quiet,
    });
  };

  it("answers an event naming 15,000 roles with the heal's paged reads, not 15,000 lookups", async () => {
    const answer = await associateRoles(15_000);
    expect(answer.status).toBe(200);
    expect(lookups).toBe(0);
    expect(answer.body.evaluated).toBeGreaterThan(0);
  });

  it("looks up the holders of the roles an ordinary event names a few at a time", async () => {
    expect((await associateRoles(40)).status).toBe(200);
    expect(lookups).toBe(40);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });
});
