/**
 * The local stand-in for a model-driven User form: it plays the platform for the real production
 * bundle. React 17.0.2 and Fluent 8.121.1 are page globals (as model-driven apps load them for a
 * control declaring React 16.14.0), `Xrm` talks to the emulator, and the control gets a
 * ComponentFramework context built from its processed manifest and resx files.
 */
import { createMockContext, property } from "./mockContext";
import { loadResx, loadScript, text } from "./pageResources";
import { API, HarnessWebApi } from "./xrmWebApi";

interface HarnessConfig {
  userId: string;
  callerId?: string;
  lcid: number;
  disabled: boolean;
  /** Input property overrides from the query string (serviceRoleName, …). */
  inputs: Record<string, string>;
}

interface ControlInstance {
  init(context: unknown, notifyOutputChanged: () => void, state?: unknown): void;
  updateView(context: unknown): unknown;
  getOutputs(): Record<string, unknown>;
  destroy(): void;
}

type ControlConstructor = new () => ControlInstance;

/** The page globals the harness reads and sets, as the platform does. */
interface HarnessWindow {
  __HARNESS__: HarnessConfig;
  /** Set once the control has rendered, for tests. */
  __harnessReady?: boolean;
  /** The bound Access Mode value the form holds (what getOutputs last said). */
  __formAccessMode?: number | null;
  ReactDOM: { render: (element: unknown, container: Element) => void };
  ComponentFramework: { registerControl: (name: string, ctor: ControlConstructor) => void };
  Xrm: unknown;
}

/** The harness's stand-in for the org's Power Platform environment id, so maker-portal links can be built. */
const HARNESS_ENVIRONMENT_ID = "0e000000-0000-4000-8000-0000000000e1";
const page = window as unknown as HarnessWindow;
const config = page.__HARNESS__;
const webApi = new HarnessWebApi({ callerId: config.callerId });
const registered = new Map<string, ControlConstructor>();
page.ComponentFramework = { registerControl: (name, ctor) => void registered.set(name, ctor) };

/** context.resources.getString: the resx of the user's language, falling back to the key. */
async function loadStrings(lcid: number): Promise<Map<string, string>> {
  return loadResx(`/control/strings/ServiceAccountPanel.${lcid}.resx`);
}

/** The processed manifest's input properties and their default values, as the platform reads them. */
async function loadManifest(): Promise<{ name: string; ofType: string; usage: string; defaultValue: string | null }[]> {
  const xml = new DOMParser().parseFromString(await text("/control/ControlManifest.xml"), "application/xml");
  return [...xml.querySelectorAll("property")].map((node) => ({
    name: node.getAttribute("name") ?? "",
    ofType: node.getAttribute("of-type") ?? "",
    usage: node.getAttribute("usage") ?? "",
    defaultValue: node.getAttribute("default-value"),
  }));
}

/** getSecurityRolePrivilegesInfo, served from RetrieveUserPrivileges of the acting user. */
async function privilegesInfo(
  callerId: string,
): Promise<Record<string, { id: string; privilegeName: string; depth: number; businessUnitId: string }>> {
  const body = (await webApi.retrieveRecord("systemuser", callerId, "/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()")) as {
    RolePrivileges: { PrivilegeId: string; PrivilegeName: string; Depth: string; BusinessUnitId: string }[];
  };
  const depths = ["Basic", "Local", "Deep", "Global"];
  return Object.fromEntries(
    body.RolePrivileges.map((p) => [
      p.PrivilegeId,
      { id: p.PrivilegeId, privilegeName: p.PrivilegeName, depth: depths.indexOf(p.Depth), businessUnitId: p.BusinessUnitId },
    ]),
  );
}

/** userSettings.roles: the caller's roles as lookup values (id, name), as the platform fills it at page load. */
async function rolesOf(userId: string): Promise<{ id: string; name: string; entityType: string }[]> {
  const page = await webApi.retrieveMultipleRecords(
    "role",
    `?$select=roleid,name&$filter=systemuserroles_association/any(u:u/systemuserid eq ${userId})`,
  );
  return (page.entities as { roleid: string; name: string }[]).map((role) => ({ id: role.roleid, name: role.name, entityType: "role" }));
}

/** The platform's ItemCollection shape, for the members a control reads. */
function itemCollection<T>(items: T[]) {
  return {
    get: () => items,
    getLength: () => items.length,
    forEach: (callback: (item: T, index: number) => void) => items.forEach(callback),
  };
}

function field(label: string, value: string): HTMLElement {
  const row = document.createElement("div");
  row.className = "field";
  const name = document.createElement("label");
  name.textContent = label;
  const content = document.createElement("div");
  content.className = "field-value";
  content.textContent = value;
  row.append(name, content);
  return row;
}

async function main(): Promise<void> {
  const caller = (await fetch(`${API}WhoAmI()`, { headers: config.callerId ? { "x-svcacct-emulator-caller": config.callerId } : {} }).then(
    (r) => r.json(),
  )) as {
    UserId: string;
  };
  const callerId = caller.UserId;
  const record = (await webApi.retrieveRecord(
    "systemuser",
    config.userId,
    "?$select=fullname,internalemailaddress,accessmode,_businessunitid_value,domainname",
  )) as Record<string, string | number | null>;

  const callerRoles = await rolesOf(callerId);
  const globalContext = {
    getClientUrl: () => location.origin,
    isOnPremises: () => false,
    // The emulated environment's Power Platform id (organizationSettings.bapEnvironmentId).
    organizationSettings: { bapEnvironmentId: HARNESS_ENVIRONMENT_ID },
    userSettings: {
      userId: `{${callerId.toUpperCase()}}`,
      languageId: config.lcid,
      roles: itemCollection(callerRoles),
      securityRoles: callerRoles.map((role) => role.id),
      getSecurityRolePrivilegesInfo: () => privilegesInfo(callerId),
    },
  };
  page.Xrm = {
    WebApi: webApi,
    Utility: {
      getGlobalContext: () => globalContext,
      getPageContext: () => ({ input: { pageType: "entityrecord", entityName: "systemuser", entityId: config.userId } }),
    },
  };

  const [strings, manifest] = await Promise.all([loadStrings(config.lcid), loadManifest()]);
  await loadScript("/control/bundle.js");
  const Control = registered.get("ServiceAccounts.ServiceAccountPanel");
  if (!Control) throw new Error("The bundle did not register ServiceAccounts.ServiceAccountPanel.");

  // The form shell: a few read-only fields, then the control in place of Access Mode.
  const form = document.getElementById("form");
  if (!form) throw new Error("no #form");
  document.getElementById("record-title")!.textContent = String(record.fullname ?? "");
  form.append(
    field("Full Name", String(record.fullname ?? "")),
    field("User Name", String(record.domainname ?? "")),
    field("Primary Email", String(record.internalemailaddress ?? "---")),
    field("Business Unit", String(record["_businessunitid_value@OData.Community.Display.V1.FormattedValue"] ?? "")),
  );
  const accessModeRow = field("Access Mode", "");
  const host = accessModeRow.querySelector(".field-value")!;
  host.textContent = "";
  host.id = "control-host";
  form.append(accessModeRow);

  let accessMode = record.accessmode as number;
  page.__formAccessMode = accessMode;
  const parameters: Record<string, ComponentFramework.PropertyTypes.Property> = {};
  for (const manifestProperty of manifest) {
    if (manifestProperty.usage === "bound") {
      parameters[manifestProperty.name] = {
        ...property(null, manifestProperty.ofType, { editable: !config.disabled, readable: true, secured: false }),
        get raw() {
          return accessMode;
        },
      };
      continue;
    }
    const value = config.inputs[manifestProperty.name] ?? manifestProperty.defaultValue;
    const raw = manifestProperty.ofType.startsWith("Whole") ? (value == null ? null : Number(value)) : value;
    parameters[manifestProperty.name] = property(raw, manifestProperty.ofType);
  }

  const context = createMockContext({
    parameters,
    strings: (key) => strings.get(key),
    webAPI: {
      retrieveRecord: (entity, id, options) => webApi.retrieveRecord(entity, id, options),
      retrieveMultipleRecords: (entity, options, size) =>
        webApi.retrieveMultipleRecords(entity, options, size) as Promise<ComponentFramework.WebApi.RetrieveMultipleResponse>,
      updateRecord: (entity, id, data) => webApi.updateRecord(entity, id, data),
      createRecord: () => Promise.reject(new Error("not in the harness")),
      deleteRecord: () => Promise.reject(new Error("not in the harness")),
    },
    userId: globalContext.userSettings.userId,
    languageId: config.lcid,
    // The platform writes dates in the user's own format; the harness in its language's.
    formatDateShort: (date) => date.toLocaleDateString(config.lcid === 1036 ? "fr-FR" : "en-US"),
    securityRoles: globalContext.userSettings.securityRoles,
    disabled: config.disabled,
    label: "Access Mode",
    contextInfo: { entityId: config.userId, entityTypeName: "systemuser", entityRecordName: String(record.fullname ?? "") },
    allocatedWidth: () => host.clientWidth,
    formFactor: () => (window.innerWidth < 600 ? 3 : 1),
  });

  const control = new Control();
  const render = () => page.ReactDOM.render(control.updateView(context), host);
  control.init(
    context,
    () => {
      // The platform reads the outputs and feeds the new value back through updateView.
      const outputs = control.getOutputs();
      if (typeof outputs.accessMode === "number") accessMode = outputs.accessMode;
      page.__formAccessMode = accessMode;
      context.updatedProperties = ["accessMode"];
      document.getElementById("dirty")!.hidden = false;
      render();
    },
    {},
  );
  render();
  window.addEventListener("resize", () => {
    context.updatedProperties = ["layout"];
    render();
  });
  page.__harnessReady = true;
}

/** The fault buttons: each arms one fault in the emulator for the next matching request. */
function wireFaultButtons(): void {
  const status = document.getElementById("fault-status");
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-fault]")) {
    button.addEventListener("click", () => {
      void (async () => {
        const response = await fetch("/_emulator/faults", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: button.dataset.fault,
        });
        if (status)
          status.textContent = response.ok ? `Armed: ${button.textContent ?? ""}` : `Could not arm the fault (${response.status}).`;
      })();
    });
  }
  document.getElementById("clear-faults")?.addEventListener("click", () => {
    void (async () => {
      await fetch("/_emulator/faults", { method: "DELETE" });
      if (status) status.textContent = "No fault armed.";
    })();
  });
}

wireFaultButtons();
main().catch((error: unknown) => {
  const box = document.getElementById("harness-error");
  if (box) {
    box.hidden = false;
    box.textContent = `The harness could not start: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
  }
  console.error(error);
});
