/** Dataverse GUIDs arrive in either case and sometimes in braces: compare them as values, not strings. */
export function normalizeId(id: string): string {
  return id.replace(/[{}]/g, "").trim().toLowerCase();
}

export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  return a != null && b != null && normalizeId(a) === normalizeId(b);
}
