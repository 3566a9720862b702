import { printable } from "../node/text";

/** A line for the admin on stderr (progress, outcomes, errors), so reports on stdout stay clean. */
export function say(line: string): void {
  process.stderr.write(`${printable(line)}\n`);
}

/** The waits throttling imposes, said as they happen. */
export const dataverseThrottled = (seconds: number) =>
  say(`Dataverse is throttling requests (429): waiting ${seconds} s as it asks, then retrying.`);
export const graphThrottled = (seconds: number) =>
  say(`Microsoft Graph is throttling requests (429): waiting ${seconds} s as it asks, then retrying.`);
