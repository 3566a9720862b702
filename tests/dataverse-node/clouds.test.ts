import { cloudOf, graphUrlFrom } from "../../src/dataverse-node/clouds";

describe("the org's cloud", () => {
  it.each([
    ["https://contoso.crm.dynamics.com", "public", "https://login.microsoftonline.com", "https://graph.microsoft.com"],
    ["https://contoso.crm4.dynamics.com", "public", "https://login.microsoftonline.com", "https://graph.microsoft.com"],
    ["https://contoso.api.crm11.dynamics.com", "public", "https://login.microsoftonline.com", "https://graph.microsoft.com"],
    ["https://contoso.crm9.dynamics.com", "gcc", "https://login.microsoftonline.com", "https://graph.microsoft.com"],
    ["https://contoso.crm.microsoftdynamics.us", "gcc-high", "https://login.microsoftonline.us", "https://graph.microsoft.us"],
    ["https://contoso.api.crm.microsoftdynamics.us", "gcc-high", "https://login.microsoftonline.us", "https://graph.microsoft.us"],
    ["https://contoso.crm.appsplatform.us", "dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"],
    ["https://contoso.crm.dynamics.cn", "china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"],
  ])("%s is in the %s cloud", (url, name, authorityHost, graphUrl) => {
    expect(cloudOf(url)).toMatchObject({ name, authorityHost, graphUrl });
  });

  it("takes the cloud asked for a host no cloud names, and the commercial one when nothing says", () => {
    expect(cloudOf("https://crm.contoso.example", "gcc-high").name).toBe("gcc-high");
    expect(cloudOf("http://127.0.0.1:8181").name).toBe("public");
  });

  it("refuses a cloud the org's host contradicts, and a cloud it does not know", () => {
    expect(() => cloudOf("https://contoso.crm.dynamics.com", "china")).toThrow(
      "contoso.crm.dynamics.com is an org of the commercial cloud, not of Microsoft Azure operated by 21Vianet (China): leave out --cloud or correct it.",
    );
    expect(() => cloudOf("https://contoso.crm.dynamics.com", "mars")).toThrow(
      'The cloud "mars" is not one of public, gcc, gcc-high, dod, china.',
    );
  });

  it("turns Graph on at the cloud's endpoint unless a URL is given", () => {
    const gccHigh = cloudOf("https://contoso.crm.microsoftdynamics.us");
    expect(graphUrlFrom(true, {}, gccHigh)).toBe("https://graph.microsoft.us");
    expect(graphUrlFrom(undefined, { GRAPH_ENABLED: "true" }, gccHigh)).toBe("https://graph.microsoft.us");
    expect(graphUrlFrom("http://127.0.0.1:8181/graph", {}, gccHigh)).toBe("http://127.0.0.1:8181/graph");
    expect(graphUrlFrom(undefined, {}, gccHigh)).toBeNull();
  });
});
