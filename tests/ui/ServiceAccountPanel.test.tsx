import * as React from "react";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { TeamType, type UserSnapshot } from "../../src/core/snapshot";
import { UserComplianceService } from "../../src/dataverse/userComplianceService";
import { ServiceAccountPanel } from "../../src/ui/ServiceAccountPanel";
import type { Row } from "../../src/dataverse/client";
import { MemoryDataverse } from "../support/memoryDataverse";
import { stringsFor } from "../support/resx";
import { ADMIN_ID, ALL_PRIVILEGES, role, ROOT_BU, snapshot, team, USER_ID } from "../support/snapshots";

const strings = stringsFor(1033);
const SERVICE_ROLE = { roleid: "r-service-root", name: "Integration Service Account", _businessunitid_value: ROOT_BU };

interface SetupOptions {
  /** What runs as the user, by table (see MemoryDataverse.withUsage). */
  usage?: Record<string, Row[] | "forbidden">;
  place?: { clientUrl: string | null; environmentId: string | null };
  editable?: boolean;
  readable?: boolean;
  privileges?: Set<string> | null;
  userId?: string | null;
  isSystemAdministrator?: boolean | null;
  host?: { roleAssignment: boolean };
}

function setup(input: UserSnapshot, options: SetupOptions = {}) {
  const dataverse = MemoryDataverse.from(input, [SERVICE_ROLE]).withUsage(options.usage ?? {});
  const facts = {
    isOnPremises: input.isOnPremises,
    actor: {
      userId: ADMIN_ID,
      privileges: options.privileges === undefined ? ALL_PRIVILEGES : options.privileges,
      isSystemAdministrator: options.isSystemAdministrator,
    },
    host: options.host,
  };
  const services = new UserComplianceService(dataverse, () => Promise.resolve(facts));
  const load = jest.spyOn(services, "load");
  const onAccessModeChanged = jest.fn();
  const view = render(
    <ServiceAccountPanel
      userId={options.userId === undefined ? USER_ID : options.userId}
      services={services}
      strings={strings}
      policy={DEFAULT_POLICY}
      editable={options.editable ?? true}
      readable={options.readable ?? true}
      onAccessModeChanged={onAccessModeChanged}
      place={options.place}
    />,
  );
  return { dataverse, load, onAccessModeChanged, view };
}

/** The panel over a Dataverse whose environment names no acting admin. */
function renderWithoutActor(dataverse: MemoryDataverse): void {
  const services = new UserComplianceService(dataverse, () => Promise.resolve({ isOnPremises: false, actor: null }));
  render(
    <ServiceAccountPanel
      userId={USER_ID}
      services={services}
      strings={strings}
      policy={DEFAULT_POLICY}
      editable
      readable
      onAccessModeChanged={jest.fn()}
    />,
  );
}

/** Waits for the loaded panel; for a user who is not a service account, opens the conversion view. */
async function ready(): Promise<void> {
  await screen.findByText(`${strings.get("badge_compliance")}:`);
  const convert = screen.queryByRole("button", { name: strings.get("action_makeServiceAccount") });
  if (convert) fireEvent.click(convert);
}
const checkRow = (id: string) => document.querySelector<HTMLElement>(`[data-check="${id}"]`)!;
const button = (name: string) => screen.getByRole("button", { name });

/** Confirms the open dialog once it has taken focus, as a person would. */
async function confirmDialog(): Promise<HTMLElement> {
  const dialog = await screen.findByRole("alertdialog");
  await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
  fireEvent.click(within(dialog).getAllByRole("button")[0]);
  return dialog;
}

describe("ServiceAccountPanel", () => {
  it("asks to save a new user first and reads nothing", () => {
    const { load } = setup(snapshot(), { userId: null });
    expect(screen.getByText(strings.get("status_saveFirst"))).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
  });

  it("says field security hides Access Mode, and reads and shows nothing of the user", async () => {
    const { load } = setup(snapshot(), { readable: false });
    expect(screen.getByText(strings.get("status_fieldNotReadable"))).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(load).not.toHaveBeenCalled();
    expect(screen.queryByText(`${strings.get("badge_accessMode")}:`)).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("shows a spinner while reading, then the badges and the checklist of a compliant service account", async () => {
    setup(snapshot());
    expect(screen.getByText(strings.get("status_loading"))).toBeTruthy();
    await ready();
    expect(screen.getByText("Non-interactive", { selector: "strong" })).toBeTruthy();
    expect(screen.getByText("Compliant", { selector: "strong" })).toBeTruthy();
    expect(checkRow("password-expiry").dataset.status).toBe("manual");
    expect(within(checkRow("password-expiry")).getByText(strings.get("checkStatus_manual"))).toBeTruthy();
    // The passed checks are folded into one line until asked for.
    expect(document.querySelector('[data-check="service-role"]')).toBeNull();
    const passedCount = document.querySelectorAll("[data-check]").length;
    const toggle = button(strings.get("checklist_passedMany", { count: 18 - passedCount }));
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(checkRow("service-role").dataset.status).toBe("pass");
  });

  it("leads with what needs action: failed, then warnings, then manual, then the passed checks folded", async () => {
    // Licensed while non-interactive (warning), no service role and a forbidden role (failures).
    setup(snapshot({ user: { isLicensed: true }, roles: [role("System Administrator")] }));
    await ready();
    const statuses = [...document.querySelectorAll<HTMLElement>("[data-check]")].map((row) => row.dataset.status);
    expect(statuses).toEqual(
      [...statuses].sort(
        (a, b) => ["fail", "warning", "manual", "not-applicable"].indexOf(a!) - ["fail", "warning", "manual", "not-applicable"].indexOf(b!),
      ),
    );
    expect(statuses.slice(0, 2)).toEqual(["fail", "fail"]);
    expect(statuses).toContain("warning");
    expect(statuses).not.toContain("pass");
  });

  it("shows the server's Entra verdict and its time, and says to check by hand only when there is none", async () => {
    const stampedEntra = {
      decidedOn: "2026-11-29T05:00:00Z",
      checks: [
        { id: "password-expiry" as const, status: "pass" as const, messageKey: "check_passwordExpiry_neverByUser" },
        {
          id: "m365-admin-role" as const,
          status: "fail" as const,
          messageKey: "check_m365AdminRole_fail",
          params: { roles: "Global Administrator" },
        },
      ],
    };
    const { view } = setup(snapshot({ stampedEntra }));
    await ready();
    expect(screen.getByTestId("entra-verdict").textContent).toMatch(/^Microsoft Entra checks by the server on .*2026/);
    expect(checkRow("m365-admin-role").dataset.status).toBe("fail");
    // A passed check is folded with the others until asked for.
    expect(checkRow("password-expiry")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /checks? passed$/ }));
    expect(checkRow("password-expiry").dataset.status).toBe("pass");
    expect(within(checkRow("m365-admin-role")).getByText(/Global Administrator/)).toBeTruthy();
    expect(screen.getByText("Non-compliant", { selector: "strong" })).toBeTruthy();
    view.unmount();

    setup(snapshot());
    await ready();
    expect(screen.getByTestId("entra-verdict").textContent).toBe(strings.get("entra_noVerdict"));
  });

  it("writes the dates of a stamped verdict in the admin's locale, and shows the verdict on an application user too", async () => {
    const signedIn = "2026-11-28T09:30:00Z";
    const stampedEntra = {
      decidedOn: "2026-11-29T05:00:00Z",
      checks: [
        {
          id: "interactive-sign-in" as const,
          status: "fail" as const,
          messageKey: "check_interactiveSignIn_fail",
          params: { date: { date: signedIn } },
        },
      ],
    };
    const { view } = setup(snapshot({ stampedEntra }));
    await ready();
    const local = new Date(signedIn).toLocaleDateString(undefined, { dateStyle: "medium" });
    expect(within(checkRow("interactive-sign-in")).getByText(new RegExp(`as a person: .* on ${local}\\.`))).toBeTruthy();
    expect(screen.getByText("Non-compliant", { selector: "strong" })).toBeTruthy();
    view.unmount();

    const expiring = {
      decidedOn: "2026-11-29T05:00:00Z",
      checks: [
        {
          id: "app-credentials" as const,
          status: "warning" as const,
          messageKey: "check_appCredentials_expiring",
          params: { credential: [{ key: "credential_secret" as const, params: { name: "prod" } }], date: { date: "2026-12-09T00:00:00Z" } },
        },
      ],
    };
    setup(snapshot({ user: { applicationId: "0d000000-0000-4000-8000-000000000002", primaryEmail: null }, stampedEntra: expiring }));
    await ready();
    expect(screen.getByTestId("entra-verdict").textContent).toMatch(/^Microsoft Entra checks by the server on/);
    expect(within(checkRow("app-credentials")).getByText(/The client secret “prod” expires on/)).toBeTruthy();
    expect(checkRow("app-credentials").dataset.status).toBe("warning");
  });

  it("converts an interactive user step by step, each step confirmed, and tells the form the new mode", async () => {
    const { dataverse, onAccessModeChanged } = setup(snapshot({ user: { accessMode: 0, isLicensed: true }, roles: [] }));
    await ready();
    expect(screen.getByText("Not a service account", { selector: "strong" })).toBeTruthy();

    const guide = screen.getByRole("group", { name: strings.get("guide_heading") });
    fireEvent.click(within(guide).getByRole("button", { name: strings.get("action_switchToNonInteractive") }));

    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(strings.get("confirm_switchToNonInteractive_slots", { used: 6, max: 7 }))).toBeTruthy();
    expect(within(dialog).getByText(/will no longer be able to sign in/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: strings.get("action_switchToNonInteractive") }));

    await screen.findByText(strings.get("result_applied"));
    expect(dataverse.state.user.accessmode).toBe(4);
    expect(onAccessModeChanged).toHaveBeenCalledWith(4);
    await waitFor(() => expect(document.activeElement?.getAttribute("role")).toBe("status"));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());

    // Now a service account: the guide stays and moves on to the role.
    const step = document.querySelector<HTMLElement>('[data-step="assign-role"]')!;
    expect(step.dataset.state).toBe("current");
    fireEvent.click(within(step).getByRole("button", { name: "Assign Integration Service Account" }));
    const assign = await screen.findByRole("alertdialog");
    expect(within(assign).getByText(/copy of Integration Service Account in its business unit, Contoso/)).toBeTruthy();
    fireEvent.click(within(assign).getByRole("button", { name: "Assign Integration Service Account" }));
    await waitFor(() => expect(dataverse.state.roleIds).toEqual(["r-service-root"]));

    await waitFor(() => expect(document.querySelector<HTMLElement>('[data-step="release-licence"]')!.dataset.state).toBe("current"));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(screen.getAllByRole("link", { name: strings.get("action_openM365") })[0].getAttribute("href")).toContain("admin.microsoft.com");
    expect(checkRow("licence-released").dataset.status).toBe("warning");

    // The admin removes the licence in Microsoft 365, then checks again: the conversion is confirmed.
    dataverse.touch({ islicensed: false });
    fireEvent.click(button(strings.get("action_checkAgain")));
    await screen.findByText("Compliant", { selector: "strong" });
    expect(document.querySelector<HTMLElement>('[data-step="confirm-mode"]')).toBeNull();
  });

  it("shows an ordinary user's checklist only on request, as what converting would take", async () => {
    setup(snapshot({ user: { accessMode: 0, isLicensed: true }, roles: [] }));
    await screen.findByText(`${strings.get("badge_compliance")}:`);
    expect(screen.queryByText(strings.get("checklist_previewHeading"))).toBeNull();
    fireEvent.click(button(strings.get("action_makeServiceAccount")));
    expect(screen.getByText(strings.get("checklist_previewHeading"))).toBeTruthy();
    expect(within(checkRow("access-mode")).getByText(strings.get("checkStatus_toDo"))).toBeTruthy();
    expect(within(checkRow("access-mode")).queryByText(strings.get("checkStatus_fail"))).toBeNull();
    fireEvent.click(button(strings.get("action_hideGuide")));
    expect(screen.queryByText(strings.get("checklist_previewHeading"))).toBeNull();
  });

  it("writes nothing when the admin cancels", async () => {
    const { dataverse } = setup(snapshot({ user: { accessMode: 0 } }));
    await ready();
    fireEvent.click(within(checkRow("access-mode")).getByRole("button", { name: strings.get("action_switchToNonInteractive") }));
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.click(within(dialog).getByRole("button", { name: strings.get("action_cancel") }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(dataverse.calls).not.toContain("update");
  });

  it("starts the dialog's focus on Cancel, so Enter alone changes nothing", async () => {
    setup(snapshot({ user: { accessMode: 0 } }));
    await ready();
    fireEvent.click(within(checkRow("access-mode")).getByRole("button", { name: strings.get("action_switchToNonInteractive") }));
    const dialog = await screen.findByRole("alertdialog");
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: strings.get("action_cancel") })));
  });

  it("removes a forbidden role after confirmation", async () => {
    const admin = role("System Administrator");
    const { dataverse } = setup(snapshot({ roles: [role("Integration Service Account"), admin] }));
    await ready();
    expect(screen.getByText("Non-compliant", { selector: "strong" })).toBeTruthy();
    fireEvent.click(within(checkRow("forbidden-roles")).getByRole("button", { name: "Remove System Administrator" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(/loses System Administrator and every privilege/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove System Administrator" }));
    await screen.findByText("Compliant", { selector: "strong" });
    expect(dataverse.state.roleIds).not.toContain(admin.roleId);
  });

  it("takes the account out of an owner team after a confirmation that names every role the team grants", async () => {
    const legacyAdmins = team("Legacy Admins", TeamType.Owner);
    const through = { source: { kind: "team" as const, team: legacyAdmins } };
    const { dataverse } = setup(
      snapshot({
        roles: [
          role("Integration Service Account"),
          role("System Administrator", ROOT_BU, "r-sa", through),
          role("Integration Reader", ROOT_BU, "r-ir", through),
        ],
      }),
    );
    await ready();
    const forbidden = checkRow("forbidden-roles");
    expect(forbidden.textContent).toContain("System Administrator (through the team Legacy Admins)");
    fireEvent.click(within(forbidden).getByRole("button", { name: "Remove from the team Legacy Admins" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(/loses every role it grants: System Administrator, Integration Reader\./)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove from the team Legacy Admins" }));
    await screen.findByText("Compliant", { selector: "strong" });
    expect(dataverse.state.teamIds).toEqual([]);
  });

  it("says what to do where no button can help: an Entra group team, the default team, a source not known yet, a privilege in a role", async () => {
    const entra = team("Dataverse Admins", TeamType.EntraSecurityGroup, { entraGroupId: "9a000000-0000-4000-8000-000000000001" });
    const defaultTeam = team("Contoso", TeamType.Owner, { isDefault: true });
    setup(
      snapshot({
        roles: [
          role("Integration Service Account"),
          role("System Administrator", ROOT_BU, "r-sa", { source: { kind: "team", team: entra } }),
          role("System Customizer", ROOT_BU, "r-sc", { source: { kind: "team", team: defaultTeam } }),
          role("System Administrator", ROOT_BU, "r-sa2", { source: { kind: "unattributed" } }),
          role("Integration Role Manager", ROOT_BU, "r-irm", { privileges: ["prvAssignRole", "prvWriteRole"] }),
        ],
      }),
    );
    await ready();
    const forbidden = checkRow("forbidden-roles");
    expect(within(forbidden).queryAllByRole("button")).toEqual([]);
    expect(forbidden.textContent).toContain(strings.get("guidance_entraGroup", { role: "System Administrator", team: "Dataverse Admins" }));
    expect(
      within(forbidden)
        .getByRole("link", { name: strings.get("action_openEntraGroup") })
        .getAttribute("href"),
    ).toBe(
      "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Members/groupId/9a000000-0000-4000-8000-000000000001",
    );
    expect(forbidden.textContent).toContain(strings.get("guidance_defaultTeam", { role: "System Customizer", team: "Contoso" }));
    expect(forbidden.textContent).toContain(strings.get("guidance_unattributed", { role: "System Administrator" }));
    const privileges = checkRow("forbidden-privileges");
    expect(privileges.textContent).toContain(
      "prvAssignRole from Integration Role Manager (assigned directly), prvWriteRole from Integration Role Manager (assigned directly)",
    );
    expect(privileges.textContent).toContain(
      strings.get("guidance_privilege", { role: "Integration Role Manager", privileges: "prvAssignRole, prvWriteRole" }),
    );
  });

  it("warns that going back to interactive disables the user, and does it", async () => {
    const { dataverse, onAccessModeChanged } = setup(snapshot());
    await ready();
    fireEvent.click(button(strings.get("action_switchToInteractive")));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText(/Dataverse disables a user who leaves Non-interactive mode/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: strings.get("action_switchToInteractive") }));
    await waitFor(() => expect(onAccessModeChanged).toHaveBeenCalledWith(0));
    expect(dataverse.state.user.isdisabled).toBe(true);
    await waitFor(() => expect(checkRow("account-enabled").dataset.status).toBe("fail"));
  });

  describe("what runs as this account", () => {
    const flows = [
      { workflowid: "f1", name: "Sync orders to ERP", category: 5, statecode: 1, _ownerid_value: USER_ID },
      { workflowid: "f2", name: "Nightly invoices", category: 5, statecode: 0, _ownerid_value: USER_ID },
      { workflowid: "w1", name: "Classic approval", category: 0, statecode: 1, _ownerid_value: USER_ID },
    ];
    const steps = [
      {
        sdkmessageprocessingstepid: "s1",
        name: "OrderSync: Create of order",
        statecode: 0,
        _impersonatinguserid_value: USER_ID,
        "_eventhandler_value@OData.Community.Display.V1.FormattedValue": "Contoso.Erp.Plugins.OrderSync",
      },
    ];
    const references = [
      {
        connectionreferenceid: "c1",
        connectionreferencedisplayname: "ERP SQL connection",
        connectorid: "/providers/Microsoft.PowerApps/apis/shared_sql",
        statecode: 0,
        _ownerid_value: USER_ID,
      },
    ];
    const place = { clientUrl: "https://contoso.crm.dynamics.com", environmentId: "env-1" };
    const usage = { workflow: flows, sdkmessageprocessingstep: steps, connectionreference: references };

    it("reads after the checklist, in three requests of its own, and folds into one line of counts that unfolds into links", async () => {
      const { dataverse } = setup(snapshot(), { usage, place });
      await ready();
      const section = await screen.findByTestId("account-usage");
      await waitFor(() => expect(within(section).getByText(/^Cloud flows: 2 \(1 on\)/)).toBeTruthy());
      expect(
        within(section).getByText(
          "Cloud flows: 2 (1 on) · Classic workflows: 1 (1 on) · Plug-in steps: 1 (1 enabled) · Connection references: 1",
        ),
      ).toBeTruthy();
      expect(dataverse.calls.filter((call) => call === "retrieveMultiple").length).toBeGreaterThanOrEqual(3);
      fireEvent.click(within(section).getByRole("button", { name: strings.get("usage_show") }));
      expect(within(section).getByRole("link", { name: "Sync orders to ERP" }).getAttribute("href")).toBe(
        "https://make.powerautomate.com/environments/env-1/flows/f1/details",
      );
      expect(within(section).getByRole("link", { name: "Classic approval" }).getAttribute("href")).toBe(
        "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=workflow&id=w1",
      );
      expect(within(section).getByRole("link", { name: "ERP SQL connection" }).getAttribute("href")).toBe(
        "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=connectionreference&id=c1",
      );
      expect(within(section).getByText(/OrderSync: Create of order/).textContent).toContain(strings.get("usage_noLink_step"));
    });

    it("says where a link cannot be built", async () => {
      setup(snapshot(), { usage, place: { clientUrl: null, environmentId: null } });
      await ready();
      const section = await screen.findByTestId("account-usage");
      fireEvent.click(await within(section).findByRole("button", { name: strings.get("usage_show") }));
      expect(within(section).queryAllByRole("link")).toEqual([]);
      expect(within(section).getByText(/Sync orders to ERP/).textContent).toContain(strings.get("usage_noLink_flow"));
    });

    it("says 'not visible to you' for a table the admin may not read, never zero", async () => {
      setup(snapshot(), { usage: { ...usage, workflow: "forbidden" } });
      await ready();
      const section = await screen.findByTestId("account-usage");
      await waitFor(() =>
        expect(
          within(section).getByText(new RegExp(strings.get("usage_hidden", { what: strings.get("usage_kind_processes") }))),
        ).toBeTruthy(),
      );
      expect(within(section).queryByText(/Cloud flows: 0/)).toBeNull();
    });

    it("says so when nothing runs as the account", async () => {
      setup(snapshot());
      await ready();
      expect(await screen.findByText(strings.get("usage_nothing"))).toBeTruthy();
    });

    it("names what runs as the account in the switch-back confirmation, or that some of it cannot be seen", async () => {
      const { view } = setup(snapshot(), { usage });
      await ready();
      await screen.findByText(/^Cloud flows: 2/);
      fireEvent.click(button(strings.get("action_switchToInteractive")));
      let dialog = await screen.findByRole("alertdialog");
      expect(within(dialog).getByText(strings.get("confirm_usage_active", { count: 3 }))).toBeTruthy();
      fireEvent.click(within(dialog).getByRole("button", { name: strings.get("action_cancel") }));
      view.unmount();

      setup(snapshot(), { usage: { ...usage, sdkmessageprocessingstep: "forbidden" } });
      await ready();
      await screen.findByText(new RegExp(strings.get("usage_kind_steps")));
      fireEvent.click(button(strings.get("action_switchToInteractive")));
      dialog = await screen.findByRole("alertdialog");
      expect(within(dialog).getByText(strings.get("confirm_usage_hidden"))).toBeTruthy();
    });

    it("names it when removing a role too", async () => {
      setup(snapshot({ roles: [role("Integration Service Account"), role("System Administrator")] }), { usage });
      await ready();
      await screen.findByText(/^Cloud flows: 2/);
      fireEvent.click(within(checkRow("forbidden-roles")).getAllByRole("button")[0]);
      const dialog = await screen.findByRole("alertdialog");
      expect(within(dialog).getByText(strings.get("confirm_usage_active", { count: 3 }))).toBeTruthy();
    });
  });

  describe("disables actions and says why", () => {
    const interactive = () => snapshot({ user: { accessMode: 0 }, roles: [] });
    const reasonOf = (id: string) => {
      const fix = within(checkRow(id)).getByRole<HTMLButtonElement>("button");
      expect(fix.disabled).toBe(true);
      return document.getElementById(fix.getAttribute("aria-describedby") ?? "")?.textContent;
    };

    it("when the limit is reached", async () => {
      setup({ ...interactive(), capacity: { used: 7, max: 7, source: "organizationResources" } });
      await ready();
      expect(reasonOf("access-mode")).toBe(strings.get("gate_limitReached", { used: 7, max: 7 }));
      expect(within(checkRow("service-role")).getByRole<HTMLButtonElement>("button").disabled).toBe(false);
    });

    it("on the admin's own account", async () => {
      setup(snapshot({ user: { accessMode: 0, systemUserId: ADMIN_ID } }), { userId: ADMIN_ID });
      await ready();
      expect(reasonOf("access-mode")).toBe(strings.get("gate_ownAccount"));
    });

    it("when the admin does not hold System Administrator: no access-mode switch, role fixes still offered", async () => {
      setup(interactive(), { isSystemAdministrator: false });
      await ready();
      expect(reasonOf("access-mode")).toBe(strings.get("gate_needsSystemAdministrator"));
      expect(within(checkRow("access-mode")).getByRole<HTMLButtonElement>("button").disabled).toBe(true);
      expect(within(checkRow("service-role")).getByRole<HTMLButtonElement>("button").disabled).toBe(false);
    });

    it("when the host cannot change roles, saying so, while the switch stays", async () => {
      setup(interactive(), { host: { roleAssignment: false } });
      await ready();
      expect(reasonOf("service-role")).toBe(strings.get("gate_roleChangesUnavailable"));
      expect(within(checkRow("access-mode")).getByRole<HTMLButtonElement>("button").disabled).toBe(false);
    });

    it("when the admin lacks a privilege, naming it", async () => {
      setup(interactive(), { privileges: new Set(["prvWriteUser", "prvReadRole"]) });
      await ready();
      expect(reasonOf("service-role")).toBe("You are missing the privilege prvAssignRole.");
      expect(within(checkRow("access-mode")).getByRole<HTMLButtonElement>("button").disabled).toBe(false);
    });

    it("when the field is read-only", async () => {
      setup(interactive(), { editable: false });
      await ready();
      expect(reasonOf("access-mode")).toBe(strings.get("gate_notEditable"));
    });

    it("on-premises", async () => {
      setup({ ...interactive(), isOnPremises: true });
      await ready();
      expect(reasonOf("access-mode")).toBe(strings.get("gate_onPremises"));
    });
  });

  it("offers nothing for an application user", async () => {
    setup(snapshot({ user: { applicationId: "30000000-0000-0000-0000-000000000001" } }));
    await ready();
    // Its account-type check passed: folded with the other passed checks, shown on request.
    fireEvent.click(screen.getByRole("button", { name: /checks? passed$/ }));
    expect(screen.getByText(strings.get("check_accountType_application"))).toBeTruthy();
    // Refresh, and the line that unfolds the passed checks: nothing that changes the user.
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual([
      strings.get("action_refresh"),
      expect.stringMatching(/checks? passed$/),
    ]);
  });

  it("offers nothing for the support user", async () => {
    setup(snapshot({ user: { accessMode: 3, domainName: "crmoln@microsoft.com" } }));
    await ready();
    expect(screen.queryByRole("button", { name: strings.get("action_makeServiceAccount") })).toBeNull();
    expect(screen.queryByRole("button", { name: strings.get("action_switchToInteractive") })).toBeNull();
  });

  describe("when Dataverse fails", () => {
    const interactive = () => snapshot({ user: { accessMode: 0 } });

    async function switchMode() {
      fireEvent.click(within(checkRow("access-mode")).getByRole("button", { name: strings.get("action_switchToNonInteractive") }));
      await confirmDialog();
    }

    it("says a 403 in words, re-reads, and shows what the server has", async () => {
      const { dataverse, load } = setup(interactive());
      await ready();
      dataverse.failNext("update", {
        status: 403,
        error: { code: "0x80040220", message: "Principal user is missing prvWriteUser privilege." },
      });
      await switchMode();
      const alert = await screen.findByRole("alert");
      expect(alert.textContent).toContain(strings.get("error_forbidden"));
      expect(alert.textContent).toContain("Dataverse said: Principal user is missing prvWriteUser privilege.");
      expect(alert.textContent).toContain(strings.get("result_reread"));
      await waitFor(() => expect(document.activeElement?.getAttribute("role")).toBe("alert"));
      expect(load).toHaveBeenCalledTimes(2);
      expect(checkRow("access-mode").dataset.status).toBe("fail");
    });

    it("refuses to overwrite someone else's change (412)", async () => {
      const { dataverse } = setup(interactive());
      await ready();
      dataverse.touch({ fullname: "Renamed elsewhere" });
      await switchMode();
      expect((await screen.findByRole("alert")).textContent).toContain(strings.get("error_conflict"));
      expect(dataverse.state.user.accessmode).toBe(0);
    });

    it("explains throttling that outlasted the retries (429)", async () => {
      const { dataverse } = setup(interactive());
      await ready();
      dataverse.failNext("update", { status: 429, retryAfter: 30, message: "Number of requests exceeded the limit." });
      await switchMode();
      expect((await screen.findByRole("alert")).textContent).toContain(strings.get("error_throttled"));
    });

    it("reports the non-interactive limit from a re-read of the capacity, whatever language the refusal is in", async () => {
      const { dataverse } = setup(interactive());
      await ready();
      // The limit has no error code of its own, and Dataverse words it in the caller's language.
      const message = "Votre organisation a atteint le nombre maximal d'utilisateurs non interactifs.";
      dataverse.failNext("update", { status: 400, error: { code: "0x80040216", message } });
      dataverse.takeSlots(1); // someone else took the last slot meanwhile
      await switchMode();
      const alert = await screen.findByRole("alert");
      expect(alert.textContent).toContain(strings.get("error_limitReached"));
      expect(alert.textContent).toContain(message);
    });

    it("does not call a refusal the limit when the re-read shows free slots", async () => {
      const { dataverse } = setup(interactive());
      await ready();
      dataverse.failNext("update", { status: 400, error: { code: "0x80040216", message: "Something else went wrong." } });
      await switchMode();
      const alert = await screen.findByRole("alert");
      expect(alert.textContent).toContain(strings.get("error_unknown"));
      expect(alert.textContent).not.toContain(strings.get("error_limitReached"));
    });

    it("says when the service role is missing from the user's business unit", async () => {
      const { dataverse } = setup(
        snapshot({ user: { businessUnitId: "10000000-0000-0000-0000-000000000009", businessUnitName: "Elsewhere" }, roles: [] }),
      );
      await ready();
      fireEvent.click(within(checkRow("service-role")).getByRole("button"));
      await confirmDialog();
      expect((await screen.findByRole("alert")).textContent).toContain(
        strings.get("error_serviceRoleNotFound", { role: "Integration Service Account", businessUnit: "Elsewhere" }),
      );
      expect(dataverse.calls).not.toContain("associate");
    });

    it("shows no stale data when the re-read after a failure fails too (5xx), and recovers on Refresh", async () => {
      const { dataverse } = setup(interactive());
      await ready();
      dataverse.failNext("update", { status: 503, message: "Service Unavailable" });
      dataverse.failNext("retrieveMultiple", new TypeError("Failed to fetch"));
      await switchMode();
      expect((await screen.findByRole("alert")).textContent).toContain(strings.get("error_network"));
      expect(screen.queryByText(strings.get("checklist_heading"))).toBeNull();
      expect(screen.queryByText(strings.get("checklist_previewHeading"))).toBeNull();
      fireEvent.click(button(strings.get("action_refresh")));
      await ready();
    });

    it("says a failed first read in words and offers Refresh (401)", async () => {
      const input = interactive();
      const dataverse = MemoryDataverse.from(input, [SERVICE_ROLE]);
      dataverse.failNext("retrieveMultiple", { status: 401, message: "" });
      renderWithoutActor(dataverse);
      expect((await screen.findByRole("alert")).textContent).toContain(strings.get("error_unauthorized"));
      fireEvent.click(button(strings.get("action_refresh")));
      await ready();
    });

    it("says a vanished user in words (404)", async () => {
      const input = interactive();
      const dataverse = MemoryDataverse.from(input);
      dataverse.vanish();
      renderWithoutActor(dataverse);
      expect((await screen.findByRole("alert")).textContent).toContain(strings.get("error_notFound"));
    });
  });

  it("re-reads on Refresh", async () => {
    const { load, dataverse } = setup(snapshot());
    await ready();
    dataverse.touch({ islicensed: true });
    fireEvent.click(button(strings.get("action_refresh")));
    await waitFor(() => expect(checkRow("licence-released").dataset.status).toBe("warning"));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("leads the licence badge with Licensed or Unlicensed, the userlicensetype code only as Dataverse's code", async () => {
    setup(snapshot({ user: { isLicensed: true, userLicenseType: 11 } }));
    await ready();
    const badge = screen.getByText("Licence:").parentElement!;
    expect(badge.querySelector("strong")!.textContent).toBe("Licensed");
    expect(badge.textContent).toBe("Licence:LicensedDataverse licence type code 11");
  });

  it("says Unlicensed for a user without a licence", async () => {
    setup(snapshot({ user: { isLicensed: false, userLicenseType: null } }));
    await ready();
    expect(screen.getByText("Licence:").parentElement!.textContent).toBe("Licence:Unlicensed");
  });
});
