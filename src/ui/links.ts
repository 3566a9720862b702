/** Where licences are removed: the Microsoft 365 admin center's active users page. */
export const M365_ACTIVE_USERS_URL = "https://admin.microsoft.com/#/users";
