import { ROOT_BU, sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import type { ContractIds } from "./dataverseClientContract";

/** The contract's expectations on the emulator's freshly reset sample org. */
export const SAMPLE_ORG_CONTRACT: ContractIds = {
  interactiveUser: USERS.interactive,
  compliantUser: USERS.compliant,
  rootBusinessUnit: ROOT_BU,
  serviceRoleName: "Integration Service Account",
  userCount: sampleOrg().systemusers.length,
  nonInteractiveUsed: 6,
};
