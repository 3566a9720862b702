/**
 * The Azure Functions app (package.json `main`): the webhook's HTTP functions and the heal on a timer
 * trigger, every 6 hours unless RECONCILE_SCHEDULE (an NCRONTAB expression) says otherwise or is "off".
 * A function app's instances come and go, so the heal runs on the timer, never on the service's interval.
 */
import { app } from "@azure/functions";
import { healFunction, eventsFunction, healthFunction } from "./azureFunctions";
import { webhookFromEnvironment } from "./environment";
import { createEventProcessor } from "./eventHandler";

/** NCRONTAB (second minute hour day month weekday): at the top of every sixth hour. */
export const DEFAULT_RECONCILE_SCHEDULE = "0 0 */6 * * *";

// Requests stream into the handler rather than arriving buffered, so the secret and the declared size
// are checked before the body is read (HTTP streams: Functions runtime 4.28+, @azure/functions 4.3+).
app.setup({ enableHttpStream: true });

const { config, dependencies } = webhookFromEnvironment(process.env, { RECONCILE_EVERY: "off" });
const processor = createEventProcessor(config, dependencies);

app.http("dataverseEvents", { methods: ["POST"], authLevel: "anonymous", route: "dataverse/events", handler: eventsFunction(processor) });
app.http("health", { methods: ["GET"], authLevel: "anonymous", route: "health", handler: healthFunction(processor) });
const schedule = process.env.RECONCILE_SCHEDULE || DEFAULT_RECONCILE_SCHEDULE;
if (schedule !== "off") app.timer("heal", { schedule, handler: healFunction(processor) });
