import {
  describeGraphShape,
  GRAPH_DOCUMENTED_SHAPES,
  GRAPH_PERMISSIONS,
  graphDocumentedRowFor,
  graphShapeOf,
} from "../../src/emulator/graphRequestShapes";
import { USERS } from "../../src/emulator/sampleOrg";
import { emulatorSuite } from "../support/emulator";
import { graphBatch, graphGet, objectId } from "./graphSupport";

describe("the Graph emulator's documented request shapes", () => {
  const suite = emulatorSuite();

  it("gives every row a Microsoft Learn Graph source and its permissions, and no two rows the same method and path", () => {
    for (const row of GRAPH_DOCUMENTED_SHAPES) {
      expect(row.source).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\/\S+$/);
      // A batch is authorized item by item; every other request needs a permission.
      if (row.path !== "$batch") expect(row.permissions.length).toBeGreaterThan(0);
      for (const permission of row.permissions) expect(GRAPH_PERMISSIONS).toContain(permission);
      for (const property of Object.values(row.properties ?? {}))
        expect(property.source).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\//);
    }
    const keys = GRAPH_DOCUMENTED_SHAPES.map((row) => `${row.method} ${row.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...GRAPH_PERMISSIONS].sort()).toEqual(
      [
        "Application.Read.All",
        "AuditLog.Read.All",
        "Domain.Read.All",
        "Policy.Read.All",
        "RoleManagement.Read.Directory",
        "User.Read.All",
      ].sort(),
    );
  });

  it("describes a request by method, path with keys as <id> and (appId='<appId>'), query options and ConsistencyLevel", () => {
    const cast = graphShapeOf("get", `/users/${objectId(USERS.admin)}/transitiveMemberOf/microsoft.graph.group?$select=id&$count=true`, {
      ConsistencyLevel: "eventual",
      accept: "application/json",
    });
    expect(describeGraphShape(cast)).toBe(
      "GET users/<id>/transitiveMemberOf/microsoft.graph.group?$count&$select [ConsistencyLevel: eventual]",
    );
    expect(graphDocumentedRowFor(cast)?.source).toBe("https://learn.microsoft.com/graph/api/user-list-transitivememberof");
    const app = graphShapeOf("GET", "applications(appId=%270d000000-0000-4000-8000-000000000001%27)/owners?$select=id", {});
    expect(describeGraphShape(app)).toBe("GET applications(appId='<appId>')/owners?$select");
    expect(graphDocumentedRowFor(app)?.permissions).toEqual(["Application.Read.All"]);
  });

  it("records every shape it receives, batch items with their own headers", async () => {
    await graphBatch(suite.running, [
      {
        id: "1",
        method: "GET",
        url: `/users/${objectId(USERS.admin)}/transitiveMemberOf/microsoft.graph.directoryRole?$count=true`,
        headers: { ConsistencyLevel: "eventual" },
      },
      { id: "2", method: "GET", url: "/domains?$select=id" },
    ]);
    expect([...suite.running.emulator.graph.shapes.keys()].sort()).toEqual([
      "GET domains?$select",
      "GET users/<id>/transitiveMemberOf/microsoft.graph.directoryRole?$count [ConsistencyLevel: eventual]",
      "POST $batch",
    ]);
  });

  it.each([
    ["a resource the table does not hold", `users/${objectId(USERS.admin)}/memberOf`, {}],
    ["an option the row does not take", `users/${objectId(USERS.admin)}?$expand=manager`, {}],
    ["a header the row does not take", "domains?$select=id", { ConsistencyLevel: "eventual" }],
  ])("refuses an undocumented shape with 400 naming it: %s", async (_label, path, headers) => {
    const { status, body } = await graphGet(suite.running, path, headers);
    expect(status).toBe(400);
    expect(body.error.code).toBe("BadRequest");
    expect(body.error.message).toMatch(/^GET \S+.* is not a request Microsoft Graph documents \(src\/emulator\/graphRequestShapes\.ts\)$/);
  });

  it("refuses an undocumented shape inside a batch, and answers the other items", async () => {
    const batch = await graphBatch(suite.running, [
      { id: "write", method: "PATCH", url: `/users/${objectId(USERS.admin)}` },
      { id: "read", method: "GET", url: "/domains?$select=id" },
    ]);
    expect(batch.item("write")).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "BadRequest",
          message: "PATCH users/<id> is not a request Microsoft Graph documents (src/emulator/graphRequestShapes.ts)",
        },
      },
    });
    expect(batch.item("read").status).toBe(200);
  });
});
