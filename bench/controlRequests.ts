/**
 * Web API requests the control makes, counted at the context.webAPI / Xrm.WebApi boundary: per load,
 * per fix, and for a whole guided conversion (each fix is followed by the re-read the panel always
 * does). Re-renders read nothing (tests/ServiceAccountPanel asserts it).
 */
import { evaluate } from "../src/core/evaluate";
import { DEFAULT_POLICY, watchedPrivileges } from "../src/core/policy";
import { UserComplianceService } from "../src/dataverse/userComplianceService";
import { XrmDataverseClient, type XrmWebApi } from "../src/dataverse/xrmClient";

const USER = "20000000-0000-0000-0000-000000000001";
const BU = "10000000-0000-0000-0000-000000000001";

/** A Web API that answers like Dataverse for one user and counts every call. */
function countingWebApi(options: { resourcesFail?: boolean } = {}) {
  const state = { accessmode: 0, version: 1, roles: [] as string[] };
  let calls = 0;
  const ok = <T>(value: T) => {
    calls++;
    return Promise.resolve(value);
  };
  const userRow = () => ({
    "@odata.etag": `W/"${state.version}"`,
    systemuserid: USER,
    fullname: "Bench User",
    domainname: "bench@contoso.com",
    accessmode: state.accessmode,
    isdisabled: false,
    islicensed: false,
    internalemailaddress: "bench@contoso.com",
    _businessunitid_value: BU,
    applicationid: null,
  });
  const webApi = {
    retrieveRecord: () => ok(userRow()),
    retrieveMultipleRecords: (entity: string, options: string) =>
      ok({
        entities:
          entity === "systemuser"
            ? [userRow(), { systemuserid: "other-1", accessmode: 4, isdisabled: false, applicationid: null }]
            : options.includes("/any(")
              ? state.roles.map((roleid) => ({ roleid, name: "Integration Service Account", _businessunitid_value: BU }))
              : [{ roleid: "role-1" }],
      }),
    updateRecord: (_entity: string, _id: string, data: { accessmode: number }) => {
      state.accessmode = data.accessmode;
      state.version++;
      return ok({});
    },
    online: {
      execute: (request: { relatedEntities?: { id: string }[]; getMetadata(): { operationName: string } }) => {
        const name = request.getMetadata().operationName;
        if (name === "RetrieveOrganizationResources" && options.resourcesFail) {
          calls++;
          return Promise.reject(Object.assign(new Error("denied"), { errorCode: 0x80040220 }));
        }
        if (name === "Associate") state.roles.push(request.relatedEntities?.[0].id ?? "");
        return ok({
          ok: true,
          status: 200,
          json: () =>
            Promise.resolve({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 3, MaxNumberOfNonInteractiveUsers: 7 } }),
        });
      },
    },
  };
  return { webApi: webApi as unknown as XrmWebApi, count: () => calls };
}

/** The default policy's privileges, as the control reads their grants. */
const WATCHED = watchedPrivileges(DEFAULT_POLICY);

const facts = () => Promise.resolve({ isOnPremises: false, actor: { userId: "admin", privileges: null } });

export async function benchRequests(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};

  const plain = countingWebApi();
  const service = new UserComplianceService(new XrmDataverseClient(plain.webApi, plain.webApi.online), facts);
  await service.load(USER, WATCHED);
  figures["requests per load"] = plain.count();
  await service.usage(USER);
  figures["requests of the usage read (after the load, counted apart)"] = plain.count() - figures["requests per load"];

  const fallback = countingWebApi({ resourcesFail: true });
  await new UserComplianceService(new XrmDataverseClient(fallback.webApi, fallback.webApi.online), facts).load(USER, WATCHED);
  figures["requests per load (RetrieveOrganizationResources refused)"] = fallback.count();

  const withoutXrm = countingWebApi();
  await new UserComplianceService(new XrmDataverseClient(withoutXrm.webApi, null), facts).load(USER, WATCHED);
  figures["requests per load (host without Xrm: counted, not RetrieveOrganizationResources)"] = withoutXrm.count();

  // A guided conversion: load, switch + re-read, assign + re-read.
  const conversion = countingWebApi();
  const converting = new UserComplianceService(new XrmDataverseClient(conversion.webApi, conversion.webApi.online), facts);
  let snapshot = await converting.load(USER, WATCHED);
  for (const request of [
    { action: "switch-to-non-interactive" as const },
    { action: "assign-service-role" as const, roleName: "Integration Service Account" },
  ]) {
    const before = conversion.count();
    await converting.apply(request, snapshot, evaluate(snapshot, DEFAULT_POLICY), { editable: true });
    figures[`requests for ${request.action} (without re-read)`] = conversion.count() - before;
    snapshot = await converting.load(USER, WATCHED);
  }
  figures["requests for a whole conversion (load, 2 fixes, 2 re-reads)"] = conversion.count();
  return figures;
}
