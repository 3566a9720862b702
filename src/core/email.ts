/**
 * A primary email a mailbox could actually receive: one @, a non-empty local part, a dotted domain,
 * no spaces. Deliverability itself cannot be seen from Dataverse.
 */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function isFunctionalEmail(address: string): boolean {
  return address.length <= 254 && EMAIL_SHAPE.test(address);
}
