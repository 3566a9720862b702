import type { DataverseClient, OrganizationResources, Page, Row, UpdateOptions } from "../../src/dataverse/client";
import { DataverseError } from "../../src/dataverse/errors";
import type { UserSnapshot } from "../../src/core/snapshot";

type Method = keyof DataverseClient;

/** A team the user belongs to, with the role rows it holds. */
export interface MemoryTeam {
  team: Row;
  roles: Row[];
}

/**
 * An in-memory DataverseClient for component tests: one user, the teams they belong to and the role
 * catalogue, with the side effects the panel relies on (row version bumps, leaving non-interactive
 * disables) and failures injected per method. It answers the snapshot's queries as Dataverse shapes
 * them: the user with their teams expanded, and the roles query with its expansions.
 */
export class MemoryDataverse implements DataverseClient {
  readonly calls: Method[] = [];
  private readonly failures = new Map<Method, unknown[]>();
  private version = 1000;
  private gone = false;
  /** What runs as the user, by table; "forbidden" refuses the read as a missing privilege does. */
  private usageRows: Record<string, Row[] | "forbidden"> = {};

  constructor(
    private user: Row,
    private held: Row[],
    private readonly catalogue: Row[],
    private resources: OrganizationResources,
    private teams: MemoryTeam[] = [],
    /** Roles the roles query finds held while its expansions do not say how yet (a lagging cache). */
    private readonly lagging: Row[] = [],
  ) {}

  /** Builds the store from a core snapshot, so tests describe users the way the core sees them. */
  static from(snapshot: UserSnapshot, catalogue: Row[] = []): MemoryDataverse {
    const { user } = snapshot;
    const userRow: Row = {
      systemuserid: user.systemUserId,
      fullname: user.fullName,
      domainname: user.domainName,
      accessmode: user.accessMode,
      isdisabled: user.isDisabled,
      islicensed: user.isLicensed,
      internalemailaddress: user.primaryEmail,
      emailrouteraccessapproval: user.emailApproval,
      _businessunitid_value: user.businessUnitId,
      "_businessunitid_value@OData.Community.Display.V1.FormattedValue": user.businessUnitName,
      applicationid: user.applicationId,
      userlicensetype: user.userLicenseType,
      ...(snapshot.stampedEntra
        ? {
            svcacct_entraverdict: JSON.stringify({ checks: snapshot.stampedEntra.checks }),
            svcacct_entraverdicton: snapshot.stampedEntra.decidedOn,
          }
        : {}),
    };
    const roleRow = (role: UserSnapshot["roles"][number]): Row => ({
      roleid: role.roleId,
      name: role.name,
      _businessunitid_value: role.businessUnitId,
      _roletemplateid_value: role.templateId ?? null,
      privileges: role.privileges ?? [],
    });
    const held = snapshot.roles.filter((role) => role.source.kind === "direct").map(roleRow);
    const teams = new Map<string, MemoryTeam>();
    for (const role of snapshot.roles) {
      if (role.source.kind !== "team") continue;
      const { team } = role.source;
      const entry = teams.get(team.teamId) ?? {
        team: {
          teamid: team.teamId,
          name: team.name,
          teamtype: team.teamType,
          azureactivedirectoryobjectid: team.entraGroupId,
          isdefault: team.isDefault,
        },
        roles: [],
      };
      entry.roles.push(roleRow(role));
      teams.set(team.teamId, entry);
    }
    const used = snapshot.capacity.used ?? 0;
    return new MemoryDataverse(
      userRow,
      held,
      [...held, ...catalogue],
      { CurrentNumberOfNonInteractiveUsers: used, MaxNumberOfNonInteractiveUsers: snapshot.capacity.max ?? 7 },
      [...teams.values()],
      snapshot.roles.filter((role) => role.source.kind === "unattributed").map(roleRow),
    );
  }

  /** The next call of `method` rejects with `error` (one per call, in order). */
  failNext(method: Method, ...errors: unknown[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  /** Someone else edits the user: its row version moves on. */
  touch(changes: Row = {}): void {
    this.user = { ...this.user, ...changes };
    this.version++;
  }

  /** Other users take non-interactive slots. */
  takeSlots(count: number): void {
    this.resources.CurrentNumberOfNonInteractiveUsers += count;
  }

  /** The user is deleted elsewhere: reads find no row. */
  vanish(): void {
    this.gone = true;
  }

  get state(): { user: Row; roleIds: string[]; teamIds: string[] } {
    return {
      user: this.user,
      roleIds: this.held.map((role) => role.roleid as string),
      teamIds: this.teams.map(({ team }) => team.teamid as string),
    };
  }

  async retrieve(): Promise<Row> {
    await this.enter("retrieve");
    return { ...this.user, "@odata.etag": `W/"${this.version}"` };
  }

  /** The rows the usage read finds (workflow, sdkmessageprocessingstep, connectionreference, audit). */
  withUsage(rows: Record<string, Row[] | "forbidden">): this {
    this.usageRows = rows;
    return this;
  }

  async retrieveMultiple(entity: string, query: string): Promise<Page> {
    await this.enter("retrieveMultiple");
    if (["workflow", "sdkmessageprocessingstep", "connectionreference", "audit"].includes(entity)) {
      const rows = this.usageRows[entity] ?? [];
      if (rows === "forbidden")
        throw new DataverseError("forbidden", `no read privilege on ${entity}`, { status: 403, code: "0x80040220" });
      return { rows };
    }
    if (entity === "systemuser")
      return {
        rows: this.gone
          ? []
          : [{ ...this.user, "@odata.etag": `W/"${this.version}"`, teammembership_association: this.teams.map(({ team }) => team) }],
      };
    if (query.includes("systemuserroles_association/any(")) return { rows: this.heldRoleRows(query) };
    const name = /name eq '([^']*(?:''[^']*)*)'/.exec(query)?.[1];
    const businessUnit = /_businessunitid_value eq ([0-9a-f-]+)/i.exec(query)?.[1];
    const rows = this.catalogue.filter(
      (role) => decodeURIComponent(name ?? "").replace(/''/g, "'") === role.name && role._businessunitid_value === businessUnit,
    );
    return { rows };
  }

  async retrieveNextPage(): Promise<Page> {
    await this.enter("retrieveNextPage");
    return { rows: [] };
  }

  async update(_entity: string, _id: string, changes: Row, options: UpdateOptions = {}): Promise<void> {
    await this.enter("update");
    if (options.ifMatch && options.ifMatch !== `W/"${this.version}"`) throw new DataverseError("conflict", "changed", { status: 412 });
    const wasNonInteractive = this.user.accessmode === 4;
    this.user = { ...this.user, ...changes };
    if (changes.accessmode === 4 && !wasNonInteractive) this.resources.CurrentNumberOfNonInteractiveUsers++;
    if (wasNonInteractive && changes.accessmode !== undefined && changes.accessmode !== 4) {
      this.user.isdisabled = true; // Dataverse disables a user that leaves non-interactive mode
      this.resources.CurrentNumberOfNonInteractiveUsers--;
    }
    this.version++;
  }

  async associate(_entity: string, _id: string, _relationship: string, _related: string, relatedId: string): Promise<void> {
    await this.enter("associate");
    const role = this.catalogue.find((candidate) => candidate.roleid === relatedId);
    if (!role) throw new DataverseError("not-found", "role does not exist", { status: 404 });
    this.held = [...this.held, role];
  }

  async disassociate(_entity: string, _id: string, _relationship: string, relatedId: string): Promise<void> {
    await this.enter("disassociate");
    this.held = this.held.filter((role) => role.roleid !== relatedId);
  }

  async removeTeamMembers(teamId: string): Promise<void> {
    await this.enter("removeTeamMembers");
    this.teams = this.teams.filter(({ team }) => team.teamid !== teamId);
  }

  /** The rows of the roles query: each role held directly or through a team, with the expansions it asks for. */
  private heldRoleRows(query: string): Row[] {
    const byId = new Map<string, Row>(
      this.lagging.map((role) => [role.roleid as string, { ...role, systemuserroles_association: [], teamroles_association: [] }]),
    );
    const entry = (role: Row): Row =>
      byId.get(role.roleid as string) ?? { ...role, systemuserroles_association: [], teamroles_association: [] };
    for (const role of this.held)
      byId.set(role.roleid as string, { ...entry(role), systemuserroles_association: [{ systemuserid: this.user.systemuserid }] });
    for (const { team, roles } of this.teams)
      for (const role of roles) {
        const row = entry(role);
        byId.set(role.roleid as string, {
          ...row,
          teamroles_association: [...(row.teamroles_association as Row[]), { teamid: team.teamid }],
        });
      }
    const watched = [...query.matchAll(/name eq '([^']+)'/g)].map((match) => match[1].toLowerCase());
    return [...byId.values()].map(({ privileges, ...row }) =>
      query.includes("roleprivileges_association(")
        ? {
            ...row,
            roleprivileges_association: ((privileges as string[] | undefined) ?? [])
              .filter((name) => watched.includes(name.toLowerCase()))
              .map((name) => ({ name })),
          }
        : row,
    );
  }

  async retrieveOrganizationResources(): Promise<OrganizationResources> {
    await this.enter("retrieveOrganizationResources");
    return { ...this.resources };
  }

  private async enter(method: Method): Promise<void> {
    this.calls.push(method);
    await Promise.resolve();
    const queued = this.failures.get(method);
    if (queued?.length) throw queued.shift();
  }
}
