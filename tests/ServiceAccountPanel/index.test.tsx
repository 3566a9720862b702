import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ServiceAccountPanel } from "../../ServiceAccountPanel";
import type { IInputs } from "../../ServiceAccountPanel/generated/ManifestTypes";
import type { ServiceAccountPanelProps } from "../../src/ui/ServiceAccountPanel";
import { createMockContext, property, type MockContext } from "../../src/harness/browser/mockContext";
import { readResx } from "../support/resx";
import { executeResponse, installXrm, type XrmStubs } from "../support/xrm";

const USER = "20000000-0000-0000-0000-000000000001";
const ROOT_BU = "10000000-0000-0000-0000-000000000001";
const texts = readResx(1033);

/** The loaded panel, with the conversion view open (the sample user is not yet a service account). */
async function loaded(): Promise<void> {
  await screen.findByText(`${texts.get("badge_compliance") ?? ""}:`);
  fireEvent.click(screen.getByRole("button", { name: texts.get("action_makeServiceAccount") }));
}

/** A model-driven-like PCF context: the bound Access Mode, static inputs, resources and mode. */
function pcfContext(options: { entityId?: string; disabled?: boolean; editable?: boolean; readable?: boolean } = {}): MockContext<IInputs> {
  const webApi = Xrm.WebApi;
  return createMockContext<IInputs>({
    parameters: {
      // pcf-scripts generates the types of every control in the project with one generator that keeps
      // the properties it has seen, so the panel's IInputs also lists the grid customizer's EventName.
      // The platform never passes it to the panel and the panel never reads it.
      EventName: property(null, "SingleLine.Text"),
      accessMode: property(0, "OptionSet", { editable: options.editable ?? true, readable: options.readable ?? true, secured: false }),
      serviceRoleName: property(null, "SingleLine.Text"),
      forbiddenRoleNames: property("System Administrator;System Customizer", "SingleLine.Text"),
      forbiddenPrivileges: property("prvAssignRole;prvCreateRole;prvWriteRole", "SingleLine.Text"),
      warningPrivileges: property("prvActOnBehalfOfAnotherUser", "SingleLine.Text"),
      nonInteractiveLimit: property(7, "Whole.None"),
    },
    strings: (key) => texts.get(key),
    disabled: options.disabled,
    label: "Access Mode",
    contextInfo: { entityId: options.entityId ?? USER, entityTypeName: "systemuser", entityRecordName: "Nora Interactive" },
    userId: "{20000000-0000-0000-0000-0000000000AD}",
    // The documented PCF data API; in a model-driven form it reaches the same Web API as Xrm.WebApi.
    webAPI: {
      retrieveRecord: (entity, id, query) => Promise.resolve(webApi.retrieveRecord(entity, id, query)),
      retrieveMultipleRecords: (entity, query, size) => Promise.resolve(webApi.retrieveMultipleRecords(entity, query, size)),
      updateRecord: (entity, id, data) => Promise.resolve(webApi.updateRecord(entity, id, data)),
      createRecord: () => Promise.reject(new Error("the control never creates records")),
      deleteRecord: () => Promise.reject(new Error("the control never deletes records")),
    },
  });
}

function userRow(accessmode: number, etag: string) {
  return {
    "@odata.etag": etag,
    systemuserid: USER,
    fullname: "Nora Interactive",
    domainname: "nora@contoso.com",
    accessmode,
    isdisabled: false,
    islicensed: true,
    internalemailaddress: "nora@contoso.com",
    emailrouteraccessapproval: 1,
    _businessunitid_value: ROOT_BU,
    applicationid: null,
  };
}

describe("ServiceAccountPanel control", () => {
  let xrm: XrmStubs;
  let accessMode: number;

  beforeEach(() => {
    xrm = installXrm();
    accessMode = 0;
    xrm.retrieveRecord.mockImplementation(() => Promise.resolve({ "@odata.etag": `W/"${accessMode}"` }));
    // The acting admin holds System Administrator: the user read brings their row too (Read-Write).
    const admin = { systemuserid: "20000000-0000-0000-0000-0000000000ad", accessmode: 0, isdisabled: false, applicationid: null };
    xrm.retrieveMultipleRecords.mockImplementation((entity: string) =>
      Promise.resolve({ entities: entity === "systemuser" ? [userRow(accessMode, `W/"${accessMode}"`), admin] : [] }),
    );
    xrm.updateRecord.mockImplementation((_entity: string, _id: string, data: { accessmode: number }) => {
      accessMode = data.accessmode;
      return Promise.resolve({});
    });
    xrm.execute.mockResolvedValue(
      executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 2, MaxNumberOfNonInteractiveUsers: 7 } }),
    );
    Object.assign(Xrm.Utility, {
      getGlobalContext: () => ({
        userSettings: {
          userId: "{20000000-0000-0000-0000-0000000000AD}",
          getSecurityRolePrivilegesInfo: () =>
            Promise.resolve({
              a: { privilegeName: "prvWriteUser" },
              b: { privilegeName: "prvAssignRole" },
              c: { privilegeName: "prvReadRole" },
            }),
        },
        isOnPremises: () => false,
      }),
      getPageContext: () => ({ input: { entityId: undefined } }),
    });
  });

  it("reads Dataverse once however many times the platform calls updateView", async () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext();
    control.init(context, jest.fn());
    const view = render(control.updateView(context));
    for (let i = 0; i < 10; i++) view.rerender(control.updateView(context));
    await loaded();
    for (let i = 0; i < 10; i++) view.rerender(control.updateView(context));

    // One load: the user and the roles through context.webAPI, the capacity through Xrm.WebApi.online.
    // The user is no service account: what runs as it is not read (the panel shows it only for one).
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledTimes(2);
    expect(xrm.retrieveRecord).not.toHaveBeenCalled();
    expect(xrm.execute).toHaveBeenCalledTimes(1);
    control.destroy();
    view.unmount();
  });

  it("reports the new access mode through its output after a switch", async () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext();
    const notifyOutputChanged = jest.fn();
    control.init(context, notifyOutputChanged);
    render(control.updateView(context));
    await loaded();
    const row = document.querySelector<HTMLElement>('[data-check="access-mode"]')!;

    fireEvent.click(within(row).getByRole("button", { name: texts.get("action_switchToNonInteractive") }));
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.click(within(dialog).getByRole("button", { name: texts.get("action_switchToNonInteractive") }));

    await waitFor(() => expect(notifyOutputChanged).toHaveBeenCalledTimes(1));
    expect(control.getOutputs()).toEqual({ accessMode: 4 });
    expect(xrm.updateRecord).toHaveBeenCalledWith("systemuser", USER, { accessmode: 4 });
  });

  it("falls back to the page context for the record id", async () => {
    Object.assign(Xrm.Utility, { getPageContext: () => ({ input: { entityId: `{${USER.toUpperCase()}}` } }) });
    const control = new ServiceAccountPanel();
    const context = pcfContext({ entityId: "" });
    control.init(context, jest.fn());
    render(control.updateView(context));
    await loaded();
    expect(xrm.retrieveMultipleRecords.mock.calls[0][1]).toContain(`systemuserid eq ${USER}`);
  });

  it("offers nothing on a create form", async () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext({ entityId: "" });
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(screen.getByText(texts.get("status_saveFirst") ?? "")).toBeTruthy();
    await act(() => Promise.resolve());
    expect(xrm.retrieveMultipleRecords).not.toHaveBeenCalled();
  });

  it("loads in a host without a global Xrm (pcf-start, canvas apps) and says why roles cannot be changed", async () => {
    const context = pcfContext();
    const webApi = Xrm.WebApi;
    const global = globalThis as { Xrm?: unknown };
    delete global.Xrm;
    try {
      const control = new ServiceAccountPanel();
      expect(() => control.init(context, jest.fn())).not.toThrow();
      render(control.updateView(context));
      await loaded();
      const row = document.querySelector<HTMLElement>('[data-check="service-role"]')!;
      expect(within(row).getByRole<HTMLButtonElement>("button").disabled).toBe(true);
      expect(row.textContent).toContain(texts.get("gate_roleChangesUnavailable"));
      expect(webApi.online.execute).not.toHaveBeenCalled();
    } finally {
      global.Xrm = { WebApi: webApi };
    }
  });

  it("disables the fixes when the control is disabled", async () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext({ disabled: true });
    control.init(context, jest.fn());
    render(control.updateView(context));
    await loaded();
    const reasons = await screen.findAllByText(texts.get("gate_notEditable") ?? "");
    expect(reasons.length).toBeGreaterThan(0);
    // Every fix of the checklist is a disabled button, not merely explained.
    const fixes = [...document.querySelectorAll<HTMLElement>("[data-check]")].flatMap((row) =>
      within(row).queryAllByRole<HTMLButtonElement>("button"),
    );
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) expect(fix.disabled).toBe(true);
  });
  it("hands the memoized panel the same strings, policy and theme on every updateView", () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext();
    control.init(context, jest.fn());
    const first = control.updateView(context).props as ServiceAccountPanelProps;
    const second = control.updateView({ ...context, updatedProperties: ["layout"] }).props as ServiceAccountPanelProps;
    expect(second.strings).toBe(first.strings);
    expect(second.policy).toBe(first.policy);
    expect(second.onAccessModeChanged).toBe(first.onAccessModeChanged);
  });

  it("says field security hides Access Mode and reads nothing when the column is not readable", async () => {
    const control = new ServiceAccountPanel();
    const context = pcfContext({ readable: false });
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(screen.getByText(texts.get("status_fieldNotReadable") ?? "")).toBeTruthy();
    await act(() => Promise.resolve());
    expect(xrm.retrieveMultipleRecords).not.toHaveBeenCalled();
  });
});
