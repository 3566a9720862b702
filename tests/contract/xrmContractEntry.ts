/** Browser entry: runs the contract through XrmDataverseClient over the page's Xrm.WebApi. */
import { XrmDataverseClient, type XrmWebApi } from "../../src/dataverse/xrmClient";
import { runDataverseClientContract, type ContractIds, type ContractResult } from "./dataverseClientContract";

const webApi = () => (window as unknown as { Xrm: { WebApi: XrmWebApi } }).Xrm.WebApi;

(window as unknown as { runXrmContract: (ids: ContractIds) => Promise<ContractResult[]> }).runXrmContract = (ids) =>
  runDataverseClientContract(new XrmDataverseClient(webApi(), webApi().online, { sleep: () => Promise.resolve() }), ids);
