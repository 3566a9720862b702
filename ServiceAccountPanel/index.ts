import * as React from "react";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { policyFrom, type CompliancePolicy } from "../src/core/policy";
import { XrmDataverseClient } from "../src/dataverse/xrmClient";
import { readXrmEnvironment, usagePlaceOf } from "../src/dataverse/xrmEnvironment";
import type { UsagePlace } from "../src/core/usage";
import { UserComplianceService, type PanelServices } from "../src/dataverse/userComplianceService";
import { ServiceAccountPanel as Panel, type ServiceAccountPanelProps } from "../src/ui/ServiceAccountPanel";
import { Strings } from "../src/ui/strings";
import { themeFromTokens, type TokenTheme } from "../src/ui/theme";
import type { Theme } from "@fluentui/react";

/** `context.mode.contextInfo` is undocumented but is where model-driven forms put the record id. */
interface ModeWithContextInfo {
  contextInfo?: { entityId?: string };
}

/**
 * Thin PCF entry: maps the context to typed props and returns the panel. Services are made once in
 * init, so the many updateView calls of a form re-render without re-reading Dataverse.
 */
export class ServiceAccountPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private notifyOutputChanged: () => void;
  private services: PanelServices;
  private place: UsagePlace;
  private accessMode: number | undefined;
  private policy: { key: string; value: CompliancePolicy } | null = null;
  private theme: { tokens: unknown; value: Theme | undefined } | null = null;
  private strings: { languageId: number | undefined; value: Strings } | null = null;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notifyOutputChanged = notifyOutputChanged;
    // Reads go through context.webAPI, the documented PCF API. Xrm.WebApi.online.execute serves only
    // what context.webAPI lacks (Associate, Disassociate, RetrieveOrganizationResources), and a host
    // without a global Xrm (pcf-start, canvas apps) loads without them.
    const xrm = typeof Xrm !== "undefined" ? Xrm : null;
    const client = new XrmDataverseClient(context.webAPI, xrm?.WebApi?.online ?? null);
    const host = { roleAssignment: client.canExecute };
    const globalContext = xrm?.Utility?.getGlobalContext?.() ?? null;
    const actorId = context.userSettings?.userId ?? "";
    this.services = new UserComplianceService(client, () => readXrmEnvironment(globalContext, actorId, host), actorId);
    this.place = usagePlaceOf(globalContext);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const props: ServiceAccountPanelProps = {
      userId: recordId(context),
      services: this.services,
      strings: this.stringsOf(context),
      policy: this.policyOf(context),
      editable: !context.mode.isControlDisabled && context.parameters.accessMode.security?.editable !== false,
      // Field-level security: a column the admin cannot read comes with security.readable false.
      readable: context.parameters.accessMode.security?.readable !== false,
      theme: this.themeOf(context),
      onAccessModeChanged: this.onAccessModeChanged,
      place: this.place,
    };
    return React.createElement(Panel, props);
  }

  public getOutputs(): IOutputs {
    return { accessMode: this.accessMode };
  }

  public destroy(): void {
    // React unmounts the panel; in-flight reads are ignored once it is gone.
  }

  private readonly onAccessModeChanged = (accessMode: number): void => {
    this.accessMode = accessMode;
    this.notifyOutputChanged();
  };

  private policyOf(context: ComponentFramework.Context<IInputs>): CompliancePolicy {
    const input = {
      serviceRoleName: context.parameters.serviceRoleName?.raw,
      forbiddenRoleNames: context.parameters.forbiddenRoleNames?.raw,
      forbiddenPrivilegeNames: context.parameters.forbiddenPrivileges?.raw,
      warningPrivilegeNames: context.parameters.warningPrivileges?.raw,
      nonInteractiveLimit: context.parameters.nonInteractiveLimit?.raw,
    };
    const key = JSON.stringify(input);
    if (this.policy?.key === key) return this.policy.value;
    this.policy = { key, value: policyFrom(input) };
    return this.policy.value;
  }

  /** One Strings per language, so the memoized panel sees the same instance on every updateView. */
  private stringsOf(context: ComponentFramework.Context<IInputs>): Strings {
    const languageId = context.userSettings?.languageId;
    if (this.strings?.languageId === languageId) return this.strings.value;
    const resources = context.resources;
    const formatting = context.formatting;
    const formatDate = formatting?.formatDateShort ? (iso: string) => formatting.formatDateShort(new Date(iso)) : undefined;
    this.strings = { languageId, value: new Strings((key) => resources.getString(key), formatDate) };
    return this.strings.value;
  }

  private themeOf(context: ComponentFramework.Context<IInputs>): Theme | undefined {
    const tokens: unknown = context.fluentDesignLanguage?.tokenTheme;
    if (this.theme && this.theme.tokens === tokens) return this.theme.value;
    this.theme = { tokens, value: themeFromTokens(tokens as TokenTheme | undefined) };
    return this.theme.value;
  }
}

/** The user's id; null on a create form, where there is no record yet. */
function recordId(context: ComponentFramework.Context<IInputs>): string | null {
  const fromMode = (context.mode as unknown as ModeWithContextInfo).contextInfo?.entityId;
  const fromPage =
    typeof Xrm !== "undefined" ? (Xrm.Utility.getPageContext?.()?.input as { entityId?: string } | undefined)?.entityId : undefined;
  const id = fromMode || fromPage;
  return id ? id.replace(/[{}]/g, "") : null;
}
