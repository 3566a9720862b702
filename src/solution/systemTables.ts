/**
 * Columns of the system tables the solution extends, as Dataverse defines them before any solution
 * adds to them: "User (SystemUser) table/entity reference"
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuser),
 * logical names. Columns added by other Microsoft solutions (msdyn_…) are not part of the table a
 * bare environment has, so a form that needs them would import only where that solution is installed.
 */
const ADDRESS_FIELDS = [
  "addressid", "addresstypecode", "city", "composite", "country", "county", "fax", "latitude", "line1", "line2", "line3", "longitude", "name",
  "postalcode", "postofficebox", "shippingmethodcode", "stateorprovince", "telephone1", "telephone2", "telephone3", "upszone", "utcoffset",
];

const SYSTEMUSER = [
  "accessmode", "applicationid", "applicationiduri", "azureactivedirectoryobjectid", "azuredeletedon", "azurestate", "businessunitid",
  "calendarid", "caltype", "createdby", "createdon", "createdonbehalfby", "defaultfilterspopulated", "defaultmailbox", "defaultodbfoldername",
  "deletedstate", "disabledreason", "displayinserviceviews", "domainname", "emailrouteraccessapproval", "employeeid", "entityimage",
  "entityimage_timestamp", "entityimage_url", "entityimageid", "exchangerate", "firstname", "fullname", "governmentid", "homephone",
  "identityid", "importsequencenumber", "incomingemaildeliverymethod", "internalemailaddress", "invitestatuscode", "isdisabled",
  "isemailaddressapprovedbyo365admin", "isintegrationuser", "islicensed", "issyncwithdirectory", "jobtitle", "lastname", "middlename",
  "mobilealertemail", "mobileofflineprofileid", "mobilephone", "modifiedby", "modifiedon", "modifiedonbehalfby", "nickname", "organizationid",
  "outgoingemaildeliverymethod", "overriddencreatedon", "parentsystemuserid", "passporthi", "passportlo", "personalemailaddress", "photourl",
  "positionid", "preferredaddresscode", "preferredemailcode", "preferredphonecode", "processid", "queueid", "salutation", "setupuser",
  "sharepointemailaddress", "siteid", "skills", "stageid", "systemuserid", "territoryid", "timezoneruleversionnumber", "title",
  "transactioncurrencyid", "traversedpath", "userlicensetype", "userpuid", "utcconversiontimezonecode", "versionnumber", "windowsliveid",
  "yammeremailaddress", "yammeruserid", "yomifirstname", "yomifullname", "yomilastname", "yomimiddlename",
  ...["address1", "address2"].flatMap((address) => ADDRESS_FIELDS.map((field) => `${address}_${field}`)),
];

/** Stock columns by table logical name. */
export const SYSTEM_TABLE_COLUMNS: Record<string, ReadonlySet<string>> = {
  systemuser: new Set(SYSTEMUSER),
};
