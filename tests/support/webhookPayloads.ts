import { CONTRACTS, entityReference } from "../../src/emulator/webhookDispatcher";

/** RemoteExecutionContext bodies in the documented shape, for tests and benchmarks. */
const ORG = "0a000000-0000-4000-8000-000000000001";

function base(message: string, primaryName: string, primaryId: string, inputs: unknown[]): Record<string, unknown> {
  return {
    BusinessUnitId: "0b000000-0000-4000-8000-000000000001",
    CorrelationId: "9f0e3f3a-1111-4000-8000-000000000001",
    Depth: 1,
    InitiatingUserId: "5e000000-0000-4000-8000-000000000001",
    InputParameters: inputs,
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: message,
    Mode: 1,
    OperationCreatedOn: `/Date(${Date.now()})/`, // the operation just happened
    OperationId: "9f0e3f3a-2222-4000-8000-000000000001",
    OrganizationId: ORG,
    OrganizationName: "contoso",
    OutputParameters: [],
    OwningExtension: {
      Id: "9f0e3f3a-3333-4000-8000-000000000001",
      KeyAttributes: [],
      LogicalName: "sdkmessageprocessingstep",
      Name: "step",
      RowVersion: null,
    },
    ParentContext: null,
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: primaryId,
    PrimaryEntityName: primaryName,
    RequestId: "9f0e3f3a-4444-4000-8000-000000000001",
    SecondaryEntityName: "none",
    SharedVariables: [],
    Stage: 40,
    UserId: "5e000000-0000-4000-8000-000000000001",
  };
}

export function updateEvent(
  userId: string,
  attributes: Record<string, unknown> = { accessmode: { __type: `OptionSetValue:${CONTRACTS}`, Value: 4 } },
): Record<string, unknown> {
  return base("Update", "systemuser", userId, [
    {
      key: "Target",
      value: {
        __type: `Entity:${CONTRACTS}`,
        Attributes: [...Object.entries(attributes).map(([key, value]) => ({ key, value })), { key: "systemuserid", value: userId }],
        EntityState: null,
        FormattedValues: [],
        Id: userId,
        KeyAttributes: [],
        LogicalName: "systemuser",
        RelatedEntities: [],
        RowVersion: null,
      },
    },
  ]);
}

/** Create of a systemuser: the Target as sent (no Id yet), the new id in OutputParameters. */
export function createEvent(
  userId: string,
  attributes: Record<string, unknown> = { accessmode: { __type: `OptionSetValue:${CONTRACTS}`, Value: 4 } },
): Record<string, unknown> {
  const body = updateEvent(userId, attributes);
  const target = (body.InputParameters as { value: Record<string, unknown> }[])[0].value;
  target.Id = "00000000-0000-0000-0000-000000000000";
  target.Attributes = (target.Attributes as { key: string }[]).filter((attribute) => attribute.key !== "systemuserid");
  return { ...body, MessageName: "Create", OutputParameters: [{ key: "id", value: userId }] };
}

export function associateEvent(
  message: "Associate" | "Disassociate",
  target: { logicalName: string; id: string },
  related: { logicalName: string; id: string }[],
  relationship = "systemuserroles_association",
): Record<string, unknown> {
  return base(message, target.logicalName, target.id, [
    { key: "Target", value: entityReference(target.logicalName, target.id) },
    { key: "Relationship", value: { __type: `Relationship:${CONTRACTS}`, PrimaryEntityRole: null, SchemaName: relationship } },
    { key: "RelatedEntities", value: related.map((entry) => entityReference(entry.logicalName, entry.id)) },
  ]);
}

/** The form Dataverse sends over 256 KB (x-ms-dynamics-msg-size-exceeded): no InputParameters, images or parent. */
export function strippedEvent(message: string, primaryName: string, primaryId: string): Record<string, unknown> {
  const body = base(message, primaryName, primaryId, []);
  delete body.InputParameters;
  delete body.PreEntityImages;
  delete body.PostEntityImages;
  delete body.ParentContext;
  return body;
}
