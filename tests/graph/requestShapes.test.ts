import { readFileSync } from "fs";
import { join } from "path";
import { describeGraphShape, GRAPH_PERMISSIONS, graphDocumentedRowFor } from "../../src/emulator/graphRequestShapes";
import { USERS } from "../../src/emulator/sampleOrg";
import { readEntraFacts } from "../../src/graph/entraReader";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { emulatorSuite } from "../support/emulator";

const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;
const APPS = ["0d000000-0000-4000-8000-000000000001", "0d000000-0000-4000-8000-000000000002"];

/** Every Graph request the product sends, as the emulator's table describes it: a change to one is a change to this list. */
const PRODUCT_SHAPES = [
  "POST $batch",
  "GET domains?$select",
  "GET identity/conditionalAccess/policies?$select",
  "GET policies/identitySecurityDefaultsEnforcementPolicy?$select",
  "GET users/<id>?$select",
  "GET users/<id>/transitiveMemberOf?$select",
  "GET applications(appId='<appId>')?$select",
  "GET applications(appId='<appId>')/owners?$select",
  "GET applications(appId='<appId>')/federatedIdentityCredentials?$select",
  "GET servicePrincipals(appId='<appId>')?$select",
].sort();

describe("the Graph requests the product sends", () => {
  const suite = emulatorSuite();
  const client = () => new HttpGraphClient(`${suite.running.url}/graph`, () => Promise.resolve(null));

  it("are each a documented row, with a Learn source and a permission, and together need exactly the product's permissions", async () => {
    const users = Object.values(USERS).map(objectId);
    const read = await readEntraFacts(client(), { users, applications: APPS });
    expect(read.users.size).toBe(users.length);
    const shapes = [...suite.running.emulator.graph.shapes.values()];
    expect(shapes.filter((shape) => !graphDocumentedRowFor(shape)).map(describeGraphShape)).toEqual([]);
    expect([...new Set(shapes.map(describeGraphShape))].sort()).toEqual(PRODUCT_SHAPES);
    const needed = new Set(
      shapes.flatMap((shape) => {
        const row = graphDocumentedRowFor(shape)!;
        return [
          ...row.permissions,
          ...(row.optionalPermissions ?? []),
          ...Object.values(row.properties ?? {}).flatMap((p) => p.permissions ?? []),
        ];
      }),
    );
    expect([...needed].sort()).toEqual([...GRAPH_PERMISSIONS].sort());
  });

  it("follow the memberships' next links as Graph writes them (a user in 150 groups)", async () => {
    const tenant = suite.running.emulator.graph.tenant;
    const erp = tenant.users.get(objectId(USERS.compliant))!;
    for (let index = 0; index < 150; index++) {
      const id = `9b000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
      tenant.groups.set(id, { id, displayName: `Group ${index}`, memberOf: [], directoryRoles: [] });
      erp.groups.push(id);
    }
    const read = await readEntraFacts(client(), { users: [objectId(USERS.compliant)], applications: [] });
    expect(read.users.get(objectId(USERS.compliant))?.mfa).toMatchObject({ value: { requiring: [{ name: "Require MFA for all users" }] } });
    expect(suite.running.emulator.graph.calls.filter((call) => call.method === "GET")).toHaveLength(1);
  });

  it("pass as advanced queries when one is ever built: the client adds ConsistencyLevel and $count, which Graph refuses without", async () => {
    const cast = `/users/${objectId(USERS.admin)}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName`;
    const raw = await fetch(`${suite.running.url}/graph/v1.0${cast}`);
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe("Request_UnsupportedQuery");
    const graph = client();
    const [item] = await graph.batch([{ id: "roles", url: cast }]);
    expect(item).toMatchObject({ status: 200, body: { "@odata.count": 1, value: [{ displayName: "Global Administrator" }] } });
    expect((await graph.get(cast)).status).toBe(200);
  });

  it("are listed in docs/entra.md with each permission, the checks that need it and what an admin sees without it", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "docs", "entra.md"), "utf8");
    for (const permission of GRAPH_PERMISSIONS)
      expect(readme).toMatch(new RegExp(`^\\| \`${permission.replace(/\./g, "\\.")}\` \\|.*\\|.*\\|.*\\|$`, "m"));
  });
});
