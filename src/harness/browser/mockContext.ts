/**
 * One typed ComponentFramework context, shaped as a model-driven app hands it to a control: the
 * harness pages and the component tests drive both controls through it (the panel on the User form,
 * the grid customizer in the view). What the controls use is real (parameters, mode, resources,
 * userSettings, webAPI, the grid's factory.fireEvent and formatting.formatDateShort); every other API
 * throws, naming itself, so a control that starts using one fails loudly here instead of reading a
 * made-up value.
 */

/** `context.mode.contextInfo` is undocumented but is where model-driven forms put the record id. */
export interface ContextInfo {
  entityId: string;
  entityTypeName: string;
  entityRecordName: string;
}

export type MockMode = ComponentFramework.Mode & { contextInfo?: ContextInfo };
/** `context.factory.fireEvent` is how a grid customizer hands itself to the grid; the PCF typings leave it out. */
export type MockFactory = ComponentFramework.Factory & { fireEvent: (eventName: string, payload: unknown) => void };
export type MockContext<TInputs> = ComponentFramework.Context<TInputs> & { mode: MockMode; factory: MockFactory };

export interface MockContextOptions<TInputs> {
  parameters: TInputs;
  /** context.resources.getString: the text of a resx key; the key itself when it has none, as the platform does. */
  strings: (key: string) => string | undefined;
  webAPI?: ComponentFramework.WebApi;
  /** The signed-in user's id, braced and upper-case as the platform gives it. */
  userId?: string;
  languageId?: number;
  securityRoles?: string[];
  disabled?: boolean;
  label?: string;
  contextInfo?: ContextInfo;
  allocatedWidth?: () => number;
  formFactor?: () => number;
  fluentDesignLanguage?: ComponentFramework.FluentDesignState;
  /** What the grid does with the event a customizer fires (the payload is its cell renderers). */
  fireEvent?: (eventName: string, payload: unknown) => void;
  formatDateShort?: (date: Date) => string;
}

/** A parameter as the platform fills it: no error, the raw value, its manifest type and, for a bound column, its field security. */
export function property<TRaw>(raw: TRaw, type: string, security?: ComponentFramework.PropertyHelper.SecurityValues) {
  return { error: false, errorMessage: "", raw, type, security };
}

function unavailable(member: string): () => never {
  return () => {
    throw new Error(`context.${member} is not available in the mock context.`);
  };
}

export function createMockContext<TInputs>(options: MockContextOptions<TInputs>): MockContext<TInputs> {
  const allocatedWidth = options.allocatedWidth ?? (() => -1);
  return {
    parameters: options.parameters,
    updatedProperties: [],
    events: {},
    fluentDesignLanguage: options.fluentDesignLanguage,
    mode: {
      isControlDisabled: options.disabled ?? false,
      isVisible: true,
      label: options.label ?? "",
      get allocatedWidth() {
        return allocatedWidth();
      },
      allocatedHeight: -1,
      contextInfo: options.contextInfo,
      setControlState: () => true,
      setFullScreen: () => undefined,
      trackContainerResize: () => undefined,
    },
    resources: {
      getString: (key) => options.strings(key) ?? key,
      getResource: (_id, _success, failure) => failure(),
    },
    userSettings: {
      userId: options.userId ?? "",
      userName: "",
      languageId: options.languageId ?? 1033,
      isRTL: false,
      securityRoles: options.securityRoles ?? [],
      get dateFormattingInfo() {
        return unavailable("userSettings.dateFormattingInfo")();
      },
      get numberFormattingInfo() {
        return unavailable("userSettings.numberFormattingInfo")();
      },
      getTimeZoneOffsetMinutes: unavailable("userSettings.getTimeZoneOffsetMinutes"),
    },
    client: {
      disableScroll: false,
      getFormFactor: options.formFactor ?? (() => 1),
      getClient: () => "Web",
      isOffline: () => false,
      isNetworkAvailable: () => true,
    },
    webAPI: options.webAPI ?? {
      createRecord: unavailable("webAPI.createRecord"),
      deleteRecord: unavailable("webAPI.deleteRecord"),
      updateRecord: unavailable("webAPI.updateRecord"),
      retrieveRecord: unavailable("webAPI.retrieveRecord"),
      retrieveMultipleRecords: unavailable("webAPI.retrieveMultipleRecords"),
    },
    utils: {
      getEntityMetadata: unavailable("utils.getEntityMetadata"),
      hasEntityPrivilege: unavailable("utils.hasEntityPrivilege"),
      lookupObjects: unavailable("utils.lookupObjects"),
    },
    device: {
      captureAudio: unavailable("device.captureAudio"),
      captureImage: unavailable("device.captureImage"),
      captureVideo: unavailable("device.captureVideo"),
      getBarcodeValue: unavailable("device.getBarcodeValue"),
      getCurrentPosition: unavailable("device.getCurrentPosition"),
      pickFile: unavailable("device.pickFile"),
    },
    factory: {
      getPopupService: unavailable("factory.getPopupService"),
      requestRender: unavailable("factory.requestRender"),
      fireEvent: options.fireEvent ?? unavailable("factory.fireEvent"),
    },
    formatting: {
      formatCurrency: unavailable("formatting.formatCurrency"),
      formatDecimal: unavailable("formatting.formatDecimal"),
      formatDateAsFilterStringInUTC: unavailable("formatting.formatDateAsFilterStringInUTC"),
      formatDateLong: unavailable("formatting.formatDateLong"),
      formatDateLongAbbreviated: unavailable("formatting.formatDateLongAbbreviated"),
      formatDateShort: options.formatDateShort ?? unavailable("formatting.formatDateShort"),
      formatDateYearMonth: unavailable("formatting.formatDateYearMonth"),
      formatInteger: unavailable("formatting.formatInteger"),
      formatLanguage: unavailable("formatting.formatLanguage"),
      formatTime: unavailable("formatting.formatTime"),
      getWeekOfYear: unavailable("formatting.getWeekOfYear"),
    },
    navigation: {
      openAlertDialog: unavailable("navigation.openAlertDialog"),
      openConfirmDialog: unavailable("navigation.openConfirmDialog"),
      openErrorDialog: unavailable("navigation.openErrorDialog"),
      openFile: unavailable("navigation.openFile"),
      openForm: unavailable("navigation.openForm"),
      openUrl: unavailable("navigation.openUrl"),
      openWebResource: unavailable("navigation.openWebResource"),
    },
    copilot: { executeEvent: unavailable("copilot.executeEvent"), executePrompt: unavailable("copilot.executePrompt") },
  };
}
