/** Browser entry: runs the contract through XrmDataverseClient over the page's Xrm.WebApi. */
import { XrmDataverseClient, type XrmWebApi } from "../../src/dataverse/xrmClient";
import { runDataverseClientContract, type ContractIds, type ContractResult } from "./dataverseClientContract";

(window as unknown as { runXrmContract: (ids: ContractIds) => Promise<ContractResult[]> }).runXrmContract = (ids) =>
  runDataverseClientContract(new XrmDataverseClient((window as unknown as { Xrm: { WebApi: XrmWebApi } }).Xrm.WebApi, { sleep: () => Promise.resolve() }), ids);
