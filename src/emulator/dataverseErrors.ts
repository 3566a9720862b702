/**
 * Errors as Dataverse shapes them: `{"error": {"code": "0x…", "message": "…"}}` with the HTTP status
 * ("Web API error codes", "Compose HTTP requests and handle errors").
 */
export class DataverseFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const notFound = (logicalName: string, id: string) =>
  new DataverseFault(404, "0x80040217", `${logicalName} With Id = ${id} Does Not Exist`);

export const privilegeDenied = (callerId: string, privilege: string) =>
  new DataverseFault(403, "0x80040220", `Principal user (Id=${callerId}, type=8) is missing ${privilege} privilege.`);

export const badRequest = (message: string, code = "0x80060888") => new DataverseFault(400, code, message);

export const versionMismatch = () =>
  new DataverseFault(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
