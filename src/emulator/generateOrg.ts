import { sampleOrg } from "./sampleOrg";
import type { OrgData, Row } from "./store";

export interface GeneratedOrgOptions {
  users: number;
  /** Role assignments in all, spread over the generated users (the sample org's come on top). */
  roleAssignments: number;
  /** Business units besides the sample org's two. */
  businessUnits?: number;
  /** Owner teams besides the sample org's, each holding a role of its unit and about five members of it. */
  teams?: number;
  /**
   * Process (workflow) definitions besides the sample org's (default 0): mostly cloud flows (category 5),
   * every eighth a classic workflow (category 0), about three in four activated, owned round-robin by the
   * generated users.
   */
  flows?: number;
  /** Connection references besides the sample org's (default 0), owned round-robin by the generated users. */
  connectionReferences?: number;
}

/** A small deterministic generator (mulberry32), so the same options give the same org. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const guid = (kind: string, n: number) =>
  `${kind}${n.toString(16).padStart(8 - kind.length, "0")}-0000-4000-9000-${n.toString(16).padStart(12, "0")}`;

/**
 * A large organization for benchmarks: the sample org plus generated business units, role copies
 * and users (mostly interactive, some disabled, a few service-role holders), deterministic.
 */
export function generateOrg(options: GeneratedOrgOptions): OrgData {
  const base = sampleOrg();
  const next = random(options.users * 31 + options.roleAssignments);
  const businessunits = [...base.businessunits];
  const roles = [...base.roles];
  for (let b = 0; b < (options.businessUnits ?? 20); b++) {
    const businessunitid = guid("b1", b);
    businessunits.push({ businessunitid, name: `Region ${b + 1}`, parentbusinessunitid: base.businessunits[0].businessunitid });
    for (const template of base.roles.filter((role) => role.businessunitid === base.businessunits[0].businessunitid)) {
      const rootId = template.roleid as string;
      roles.push({ ...template, roleid: guid(`c${rootId.slice(6, 8)}`, b), businessunitid, parentrootroleid: rootId });
    }
  }
  const systemusers: Row[] = [...base.systemusers];
  const userRoles: [string, string][] = [...base.userRoles];
  const rolesByUnit = new Map<string, string[]>();
  for (const role of roles) {
    const unit = role.businessunitid as string;
    rolesByUnit.set(unit, [...(rolesByUnit.get(unit) ?? []), role.roleid as string]);
  }

  for (let n = 0; n < options.users; n++) {
    const bu = businessunits[Math.floor(next() * businessunits.length)].businessunitid as string;
    const id = guid("ab", n);
    systemusers.push({
      systemuserid: id,
      fullname: `Generated User ${n + 1}`,
      domainname: `user${n + 1}@contoso.com`,
      internalemailaddress: next() < 0.98 ? `user${n + 1}@contoso.com` : null,
      accessmode: 0,
      isdisabled: next() < 0.1,
      islicensed: true,
      caltype: 0,
      userlicensetype: 6,
      emailrouteraccessapproval: 1,
      applicationid: null,
      azureactivedirectoryobjectid: guid("ad", n),
      setupuser: false,
      businessunitid: bu,
    });
  }
  // Spread the assignments evenly over the users, each taking distinct roles of their own unit:
  // Salesperson first, then System Customizer, except every 250th user who holds the service role.
  const order = (round: number, n: number) => (round === 0 ? 3 : round === 1 ? (n % 250 === 0 ? 2 : 1) : round === 2 ? 0 : -1);
  for (let a = 0; a < options.roleAssignments && options.users > 0; a++) {
    const n = a % options.users;
    const user = systemusers[base.systemusers.length + n];
    const unitRoles = rolesByUnit.get(user.businessunitid as string) ?? [];
    const index = order(Math.floor(a / options.users), n);
    if (index >= 0) userRoles.push([user.systemuserid as string, unitRoles[index]]);
  }
  // Teams: each holds one role of its unit (Salesperson, or every tenth System Customizer) and five of its users.
  const teams = [...(base.teams ?? [])];
  const teamMembers = [...(base.teamMembers ?? [])];
  const teamRoles = [...(base.teamRoles ?? [])];
  const generatedUsers = systemusers.slice(base.systemusers.length);
  const usersByUnit = new Map<unknown, Row[]>();
  for (const user of generatedUsers) {
    const users = usersByUnit.get(user.businessunitid) ?? [];
    users.push(user);
    usersByUnit.set(user.businessunitid, users);
  }
  for (let t = 0; t < (options.teams ?? 0) && generatedUsers.length; t++) {
    const teamid = guid("7f", t);
    const member = generatedUsers[Math.floor(next() * generatedUsers.length)];
    const unit = member.businessunitid as string;
    teams.push({ teamid, name: `Team ${t + 1}`, teamtype: 0, isdefault: false, businessunitid: unit, azureactivedirectoryobjectid: null });
    teamRoles.push([teamid, (rolesByUnit.get(unit) ?? [])[t % 10 === 0 ? 1 : 3]]);
    const unitUsers = usersByUnit.get(unit) ?? [];
    for (let m = 0; m < 5; m++) teamMembers.push([teamid, unitUsers[Math.floor(next() * unitUsers.length)].systemuserid as string]);
  }
  const owners = generatedUsers.length ? generatedUsers : base.systemusers;
  const ownership = (i: number): Row => {
    const owner = owners[i % owners.length];
    return {
      ownerid: owner.systemuserid,
      owninguser: owner.systemuserid,
      owningteam: null,
      owningbusinessunit: owner.businessunitid,
      createdby: owner.systemuserid,
      createdon: "2025-06-01T00:00:00Z",
      modifiedby: owner.systemuserid,
      modifiedon: "2025-09-01T00:00:00Z",
    };
  };
  const workflows = [...(base.tables?.workflow ?? [])];
  for (let f = 0; f < (options.flows ?? 0); f++) {
    const on = f % 4 !== 3;
    workflows.push({
      workflowid: guid("af", f),
      name: `Generated flow ${f + 1}`,
      category: f % 8 === 7 ? 0 : 5,
      type: 1,
      statecode: on ? 1 : 0,
      statuscode: on ? 2 : 1,
      primaryentity: "none",
      ...ownership(f),
    });
  }
  const connectionreferences = [...(base.tables?.connectionreference ?? [])];
  for (let c = 0; c < (options.connectionReferences ?? 0); c++)
    connectionreferences.push({
      connectionreferenceid: guid("ac", c),
      connectionreferencedisplayname: `Generated connection ${c + 1}`,
      connectionreferencelogicalname: `contoso_Generated${c + 1}`,
      connectorid: "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps",
      connectionid: null,
      description: null,
      statecode: 0,
      statuscode: 1,
      ...ownership(c),
    });
  const tables = { ...base.tables, workflow: workflows, connectionreference: connectionreferences };
  return { ...base, businessunits, roles, systemusers, userRoles, teams, teamMembers, teamRoles, tables };
}

/** One environment of a generated tenant: its name (a GUID), display name, type and Dataverse org. */
export interface GeneratedEnvironment {
  name: string;
  displayName: string;
  sku: "Production" | "Sandbox" | "Developer";
  seed: () => OrgData;
}

/**
 * A tenant of many environments for benchmarks, each with a Dataverse org of `usersPerEnvironment`
 * generated users besides the sample org's. The orgs differ only by the id and name the tenant gives
 * them (tenant.ts), so the data is generated once, when the first org is seeded, and shared (OrgStore
 * copies each row it inserts); each org's store is built when it is first reached (server.ts).
 */
export function generateTenant(options: { environments: number; usersPerEnvironment: number }): GeneratedEnvironment[] {
  let shared: OrgData | undefined;
  const data = () =>
    (shared ??= generateOrg({ users: options.usersPerEnvironment, roleAssignments: options.usersPerEnvironment * 2, businessUnits: 4 }));
  const skus = ["Production", "Sandbox", "Developer"] as const;
  return Array.from({ length: options.environments }, (_, e) => {
    const displayName = `Environment ${e + 1}`;
    return { name: guid("e1", e), displayName, sku: skus[e % skus.length], seed: data };
  });
}
