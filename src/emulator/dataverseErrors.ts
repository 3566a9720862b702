/**
 * Errors as Dataverse shapes them: `{"error": {"code": "0x…", "message": "…"}}` with the HTTP status
 * ("Web API error codes", "Compose HTTP requests and handle errors"). Messages come in the caller's
 * language (usersettings.uilanguageid): a fault carries its text per LCID, English always.
 */
export type LocalizedText = { 1033: string } & Record<number, string>;

export class DataverseFault extends Error {
  readonly texts: LocalizedText;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string | LocalizedText,
    readonly headers: Record<string, string> = {},
  ) {
    const texts = typeof message === "string" ? { 1033: message } : message;
    super(texts[1033]);
    this.texts = texts;
  }

  /** The body in the caller's language; English where the emulator has no translation. */
  body(lcid = 1033): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.texts[lcid] ?? this.texts[1033] } };
  }
}

export const notFound = (logicalName: string, id: string) =>
  new DataverseFault(404, "0x80040217", {
    1033: `${logicalName} With Id = ${id} Does Not Exist`,
    1036: `${logicalName} avec l'ID = ${id} n'existe pas`,
  });

export const privilegeDenied = (callerId: string, privilege: string) =>
  new DataverseFault(403, "0x80040220", {
    1033: `Principal user (Id=${callerId}, type=8) is missing ${privilege} privilege.`,
    1036: `Il manque le privilège ${privilege} à l'utilisateur principal (Id=${callerId}, type=8).`,
  });

export const badRequest = (message: string | LocalizedText, code = "0x80060888") => new DataverseFault(400, code, message);

export const versionMismatch = () =>
  new DataverseFault(412, "0x80060882", {
    1033: "The version of the existing record doesn't match the RowVersion property provided.",
    1036: "La version de l'enregistrement existant ne correspond pas à la propriété RowVersion fournie.",
  });
