import { createHash } from "crypto";
import type { FastifyInstance } from "fastify";
import { isSystemAdministratorRole } from "../core/roleNames";
import { registerAdminApi } from "./adminApi";
import { FaultPlan } from "./faults";
import { generateOrg } from "./generateOrg";
import { entraTenantOf, registerGraphEmulator, type GraphEmulator } from "./graphEmulator";
import { SAMPLE_TENANT_ID } from "./graphTenant";
import { roleId, sampleOrg, SALES_BU, USERS } from "./sampleOrg";
import { registerEmulator, type Emulator } from "./server";
import { textOf, type OrgData, type OrgStore } from "./store";

/** The environment types the admin API reports as `properties.environmentSku` (docs/tenant-emulator.md). */
export type EnvironmentSku = "Default" | "Production" | "Sandbox" | "Developer" | "Trial" | "Teams";

export interface EnvironmentOptions {
  /** The environment's name, its id in the admin API: a GUID, or `Default-<tenant id>` for the default environment. */
  name: string;
  displayName: string;
  sku: EnvironmentSku;
  /** Its Dataverse org's data; none for an environment without Dataverse. */
  seed?: () => OrgData;
  /** The Dataverse organization id (default: one derived from the name). */
  organizationId?: string;
  /** The systemuser token-free Web API requests act as (default: the sample admin, USERS.admin). */
  defaultCallerId?: string;
}

export interface TenantOptions {
  /** The Microsoft Entra tenant id (default: the sample tenant's). */
  id?: string;
  /** Default: the sample tenant (sampleEnvironments). */
  environments?: EnvironmentOptions[];
  /** Entra object ids of the Power Platform and Global administrators (default: the sample tenant's two Global Administrators). */
  admins?: string[];
  /** Application ids registered as Power Platform management applications (default: none). */
  managementApps?: string[];
  /** Whom token-free admin API requests act as (default: Avery Admin's object id). */
  defaultCallerObjectId?: string;
  /** Environments per page of the admin list (default 100, the emulator's stated choice). */
  pageSize?: number;
}

export interface TenantEnvironment extends EnvironmentOptions {
  organizationId: string;
  isDefault: boolean;
  /** Its Dataverse org's path on the server, `/env/<name>` (the instance URL is the origin and this); none without Dataverse. */
  instancePath?: string;
}

export interface Tenant {
  id: string;
  environments: TenantEnvironment[];
  admins: Set<string>;
  managementApps: Set<string>;
  defaultCallerObjectId: string;
  pageSize: number;
  /** The admin API's faults, e.g. `{ status: 429, retryAfter: 30 }` for its next request (faults.ts). */
  readonly faults: FaultPlan;
  /** Every admin API request served: method, path and query, and the caller a token named. */
  readonly requests: { method: string; url: string; caller?: string }[];
}

export interface MountedTenant {
  tenant: Tenant;
  /** Each Dataverse environment's org by environment name. */
  orgs: Map<string, Emulator>;
  /** The org of the environment with this display name or name. */
  org(environment: string): Emulator;
  reset(): void;
}

/** The Entra object id the sample org gives a systemuser (graphTenant.ts's users share it). */
export const objectIdOf = (systemUserId: string): string => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;

/** Names of the sample tenant's environments. */
export const SAMPLE_ENVIRONMENTS = {
  default: `Default-${SAMPLE_TENANT_ID}`,
  test: "e0000000-0000-4000-8000-000000000002",
  dev: "e0000000-0000-4000-8000-000000000003",
  finance: "e0000000-0000-4000-8000-000000000004",
  teamsOnly: "e0000000-0000-4000-8000-000000000005",
} as const;

/** Who administers Contoso Finance: Avery Admin is no user there. */
export const FINANCE_ADMIN = "5e000000-0000-4000-8000-0000000000f1";

const DEV_USERS = new Set<string>([
  USERS.admin,
  USERS.salesNonAdmin,
  USERS.interactive,
  USERS.compliant,
  USERS.licenceStillAssigned,
  USERS.supportUser,
  USERS.delegatedAdmin,
]);

/**
 * A developer environment's org: the sample org's people and two service accounts (ERP Integration and
 * Billing Export, the ones its flows, connection references and plug-in steps name), with Sam Sales as
 * its System Administrator, so that a non-admin caller of the admin API sees this environment only.
 */
function devOrg(): OrgData {
  const data = sampleOrg();
  const userRoles = data.userRoles.filter(([user]) => DEV_USERS.has(user) && user !== USERS.salesNonAdmin);
  userRoles.push([USERS.salesNonAdmin, roleId("System Administrator", SALES_BU)]);
  const audit = (data.tables?.audit ?? []).filter((row) => DEV_USERS.has(String(row.objectid)) && DEV_USERS.has(String(row.userid)));
  return {
    ...data,
    systemusers: data.systemusers.filter((user) => DEV_USERS.has(String(user.systemuserid))),
    userRoles,
    teamMembers: (data.teamMembers ?? []).filter(([, user]) => DEV_USERS.has(user)),
    tables: { ...data.tables, audit },
  };
}

/** The sample org with Avery Admin replaced by Fiona Finance: the tenant's default caller is no member of it. */
function financeOrg(): OrgData {
  const json = JSON.stringify(sampleOrg())
    .replaceAll(USERS.admin, FINANCE_ADMIN)
    .replaceAll(objectIdOf(USERS.admin), objectIdOf(FINANCE_ADMIN))
    .replaceAll("Avery Admin", "Fiona Finance")
    .replaceAll("avery.admin@contoso.com", "fiona.finance@contoso.com");
  return JSON.parse(json) as OrgData;
}

/** The sample tenant's environments (docs/tenant-emulator.md, "The sample tenant"). */
export function sampleEnvironments(): EnvironmentOptions[] {
  return [
    { name: SAMPLE_ENVIRONMENTS.default, displayName: "Contoso (default)", sku: "Default", seed: () => sampleOrg() },
    // The sample org's six service accounts come along: 6 of the quota of 7.
    {
      name: SAMPLE_ENVIRONMENTS.test,
      displayName: "Contoso Test",
      sku: "Sandbox",
      seed: () => generateOrg({ users: 50, roleAssignments: 100, businessUnits: 2 }),
    },
    { name: SAMPLE_ENVIRONMENTS.dev, displayName: "Contoso Dev", sku: "Developer", seed: devOrg },
    { name: SAMPLE_ENVIRONMENTS.finance, displayName: "Contoso Finance", sku: "Production", seed: financeOrg },
    { name: SAMPLE_ENVIRONMENTS.teamsOnly, displayName: "Teams only", sku: "Production" },
  ];
}

/** A GUID of the name, so an environment keeps its organization id from run to run. */
function guidOf(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The environments of a tenant and who may list them; registerTenant serves it. */
export function createTenant(options: TenantOptions = {}): Tenant {
  const environments = (options.environments ?? sampleEnvironments()).map((environment) => ({
    ...environment,
    organizationId: environment.organizationId ?? guidOf(environment.name),
    isDefault: environment.sku === "Default",
    instancePath: environment.seed ? `/env/${environment.name}` : undefined,
  }));
  return {
    id: options.id ?? SAMPLE_TENANT_ID,
    environments,
    admins: new Set(options.admins ?? [objectIdOf(USERS.admin), objectIdOf(USERS.forbiddenRole)]),
    managementApps: new Set(options.managementApps ?? []),
    defaultCallerObjectId: options.defaultCallerObjectId ?? objectIdOf(USERS.admin),
    pageSize: options.pageSize ?? 100,
    faults: new FaultPlan(),
    requests: [],
  };
}

/** Whether the user of this Entra object id administers the environment: with Dataverse, that is System Administrator ("Configure user security in an environment"). */
function administers(store: OrgStore, objectId: string): boolean {
  const user = store.findRow("systemuser", (row) => row.azureactivedirectoryobjectid === objectId && row.isdisabled !== true);
  return (
    user !== undefined &&
    store.effectiveRolesOf(String(user.systemuserid)).some((role) => isSystemAdministratorRole({ templateId: textOf(role.roletemplateid) }))
  );
}

/**
 * Serves the tenant: the admin API under /powerplatform (adminApi.ts) and each Dataverse environment's
 * org at its instance path, every one its own store. The tenant's Microsoft Graph is `graph` when the
 * server already has one (the harness's root org), or else served at /graph/v1.0/ from the first org.
 */
export function registerTenant(app: FastifyInstance, tenant: Tenant, options: { graph?: GraphEmulator } = {}): MountedTenant {
  const withDataverse = tenant.environments.filter((environment) => environment.seed && environment.instancePath);
  const first = withDataverse[0]?.seed;
  const graph = options.graph ?? (first ? registerGraphEmulator(app, () => entraTenantOf(first())) : undefined);
  const orgs = new Map<string, Emulator>();
  for (const environment of withDataverse) {
    const seed = environment.seed!;
    orgs.set(
      environment.name,
      registerEmulator(app, {
        // The org's id and name are the environment's, whatever data it was seeded from.
        seed: () => {
          const data = seed();
          const { organizationId: organizationid, displayName: name } = environment;
          const rows = (data.tables?.organization ?? []).map((row) => ({ ...row, organizationid, name }));
          return { ...data, organization: { ...data.organization, organizationid, name }, tables: { ...data.tables, organization: rows } };
        },
        defaultCallerId: environment.defaultCallerId ?? USERS.admin,
        basePath: environment.instancePath,
        graph,
      }),
    );
  }
  registerAdminApi(app, tenant, (environment, objectId) => {
    const org = orgs.get(environment.name);
    return org !== undefined && administers(org.store, objectId);
  });
  return {
    tenant,
    orgs,
    org(name) {
      const environment = tenant.environments.find((candidate) => candidate.displayName === name || candidate.name === name);
      const org = environment && orgs.get(environment.name);
      if (!org) throw new Error(`No Dataverse environment '${name}' in the tenant.`);
      return org;
    },
    reset() {
      for (const org of orgs.values()) org.reset();
      if (!options.graph) graph?.reset();
      tenant.faults.clear();
      tenant.requests.length = 0;
    },
  };
}
