/** The webhook service without the rest of the CLI: what the container runs (compiled to out/service/webhook.js). */
import { describeFailure } from "../node/failure";
import { runWebhookService } from "./runService";

runWebhookService().catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
