/** Where licences are removed: the Microsoft 365 admin center's active users page. */
export const M365_ACTIVE_USERS_URL = "https://admin.microsoft.com/#/users";

/**
 * A Microsoft Entra group's members in the Entra admin center, where an Entra group team's membership
 * is managed ("Manage teams": for group teams, "managing team members must be performed by a Microsoft
 * Entra admin").
 */
export function entraGroupMembersUrl(groupId: string): string {
  return `https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Members/groupId/${encodeURIComponent(groupId)}`;
}
