/**
 * The Azure Functions app (package.json `main`): the webhook's HTTP functions and, when
 * RECONCILE_SCHEDULE (an NCRONTAB expression) is set, the heal on a timer trigger.
 */
import { app } from "@azure/functions";
import { healFunction, eventsFunction, healthFunction } from "./azureFunctions";
import { webhookFromEnvironment } from "./environment";
import { createEventProcessor } from "./eventHandler";

const { config, dependencies } = webhookFromEnvironment(process.env);
const processor = createEventProcessor(config, dependencies);

app.http("dataverseEvents", { methods: ["POST"], authLevel: "anonymous", route: "dataverse/events", handler: eventsFunction(processor) });
app.http("health", { methods: ["GET"], authLevel: "anonymous", route: "health", handler: healthFunction(processor) });
if (process.env.RECONCILE_SCHEDULE) app.timer("heal", { schedule: process.env.RECONCILE_SCHEDULE, handler: healFunction(processor) });
