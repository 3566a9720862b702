/** `npm run bench`: prints the figures the issues ask for. Benchmarks report; tests assert. */
import { benchAudit } from "./audit";
import { benchCliStartup } from "./cliStartup";
import { benchBundle } from "./controlBundle";
import { benchEntraAudit } from "./entraAudit";
import { benchRequests } from "./controlRequests";
import { benchPackage } from "./npmPackage";
import { benchPack } from "./solutionPack";
import { benchWebhook } from "./webhookBurst";
import { benchSlowClients } from "./webhookSlowClients";
import { benchTenantAudit } from "./tenantAudit";

function print(title: string, figures: Record<string, string | number>): void {
  console.log(`\n${title}`);
  const width = Math.max(...Object.keys(figures).map((key) => key.length));
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  print("Control bundle (production build)", benchBundle());
  print("Solution packer (npm run pack)", await benchPack());
  print("npm package (npm pack)", benchPackage());
  print("svcacct start-up", benchCliStartup());
  print("Web API requests of the control (counted at Xrm.WebApi)", await benchRequests());
  print("Webhook under a burst (emulator on loopback)", await benchWebhook());
  print("Webhook beside slow, unauthenticated connections (emulator on loopback)", await benchSlowClients());
  print("svcacct audit (emulator on loopback)", await benchAudit());
  print("svcacct audit --graph: Microsoft Graph calls (Graph emulator on loopback)", await benchEntraAudit());
  print("svcacct audit --all-environments (tenant emulator on loopback)", await benchTenantAudit());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
