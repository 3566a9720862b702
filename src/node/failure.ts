import { DataverseError, toDataverseError } from "../dataverse/errors";
import { SolutionRefused } from "../solution/validate";
import { SolutionFileError } from "../solution/xml";
import { printable } from "./text";
import { SettingError } from "../dataverse-node/settings";
import { SignInError } from "../dataverse-node/signIn";

/** One line (or a short list) an admin can act on, for any failure of a command or of the service; safe for a terminal. */
export function describeFailure(error: unknown): string {
  return printable(describe(error));
}

function describe(error: unknown): string {
  if (
    error instanceof SolutionRefused ||
    error instanceof SolutionFileError ||
    error instanceof SettingError ||
    error instanceof SignInError
  )
    return error.message;
  const mapped: DataverseError = toDataverseError(error);
  switch (mapped.kind) {
    case "network":
      return `The org could not be reached (${mapped.message}). Check --url and the network.`;
    case "unauthorized":
      return `The org refused the sign-in (401). Check that the identity signed in (--auth) is a user of this org (an app registration or managed identity as an application user) and that --url names the org.`;
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
