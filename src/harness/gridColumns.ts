/**
 * What the Power Apps grid knows of each User column the app's views show: the data type it hands a
 * grid customizer's renderers (`cellRendererOverrides[dataType]`), whether the Web API returns it as
 * a lookup (`_<name>_value`), and its display name in English and French.
 */
export interface GridColumnFacts {
  dataType: string;
  lookup?: boolean;
  headers: [string, string];
}

export const GRID_COLUMNS: Record<string, GridColumnFacts> = {
  fullname: { dataType: "Text", headers: ["Full Name", "Nom complet"] },
  domainname: { dataType: "Text", headers: ["User Name", "Nom d'utilisateur"] },
  internalemailaddress: { dataType: "Text", headers: ["Primary Email", "Adresse de messagerie principale"] },
  title: { dataType: "Text", headers: ["Title", "Fonction"] },
  accessmode: { dataType: "OptionSet", headers: ["Access Mode", "Mode d'accès"] },
  isdisabled: { dataType: "TwoOptions", headers: ["Status", "Statut"] },
  islicensed: { dataType: "TwoOptions", headers: ["Is Licensed", "Sous licence"] },
  svcacct_compliancestatus: { dataType: "OptionSet", headers: ["Compliance status", "État de conformité"] },
  svcacct_compliancesummary: { dataType: "TextArea", headers: ["Compliance summary", "Résumé de conformité"] },
  svcacct_compliancecheckedon: { dataType: "DateAndTime", headers: ["Compliance checked on", "Conformité vérifiée le"] },
  businessunitid: { dataType: "Lookup", lookup: true, headers: ["Business Unit", "Division"] },
};
