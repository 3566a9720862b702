import { DataverseError, toDataverseError } from "../dataverse/errors";
import { SolutionRefused } from "../solution/validate";
import { SolutionFileError } from "../solution/xml";
import { ConfigError } from "../webhook/config";

/** One line (or a short list) an admin can act on, for any failure of a command. */
export function describeFailure(error: unknown): string {
  if (error instanceof SolutionRefused || error instanceof SolutionFileError || error instanceof ConfigError) return error.message;
  const mapped: DataverseError = toDataverseError(error);
  switch (mapped.kind) {
    case "network":
      return `The org could not be reached (${mapped.message}). Check --url and the network.`;
    case "unauthorized":
      return `The org refused the sign-in (401). Check TENANT_ID, CLIENT_ID and CLIENT_SECRET, and that the app registration is an application user in the org.`;
    case "forbidden":
      return `Missing privileges: ${mapped.message}`;
    case "throttled":
      return `Dataverse kept throttling the requests (429) after several waits. Try again later.`;
    case "not-found":
      return `Not found: ${mapped.message}`;
    default:
      return mapped.message;
  }
}
