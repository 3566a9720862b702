import { createHash } from "crypto";
import { escapeHtml } from "../node/text";
import type { AuditStatus } from "./auditReport";
import type { EnvironmentAudit } from "./tenantAudit";
import { STATUSES } from "./tenantReport";

/**
 * The tenant audit as one self-contained HTML page: no network, no external file, readable in print.
 * Charts are plain SVG with their figures in words (role="img" and a label); every value from the org
 * is escaped, so nothing in a name can run as code in the reader's browser. The only script is the
 * page's own, for sorting and filtering the accounts table; without it the table is complete.
 */

const LABEL: Record<AuditStatus, string> = {
  "non-compliant": "Non-compliant",
  "needs-attention": "Needs attention",
  compliant: "Compliant",
};
/** Fills with at least 4.5:1 contrast against white text and the page (WCAG 1.4.11 asks 3:1 for graphics). */
const COLOUR: Record<AuditStatus, string> = { "non-compliant": "#a4262c", "needs-attention": "#8a5300", compliant: "#0e700e" };

const escape = (value: string | number): string => escapeHtml(String(value));

const countsOf = (summary: { compliant: number; needsAttention: number; nonCompliant: number }): Record<AuditStatus, number> => ({
  "non-compliant": summary.nonCompliant,
  "needs-attention": summary.needsAttention,
  compliant: summary.compliant,
});

/** A horizontal stacked bar of the statuses, with its figures in words for screen readers and print. */
function statusBar(counts: Record<AuditStatus, number>, id: string): string {
  const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
  const words = STATUSES.map((status) => `${counts[status]} ${LABEL[status].toLowerCase()}`).join(", ");
  let x = 0;
  const parts = total
    ? STATUSES.filter((status) => counts[status] > 0).map((status) => {
        const width = (counts[status] / total) * 300;
        const rect = `<rect x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="20" fill="${COLOUR[status]}"><title>${escape(`${counts[status]} ${LABEL[status]}`)}</title></rect>`;
        x += width;
        return rect;
      })
    : [`<rect x="0" y="0" width="300" height="20" fill="#c8c6c4"/>`];
  return `<svg id="${escape(id)}" role="img" aria-label="${escape(`Accounts by status: ${words}`)}" width="300" height="20" viewBox="0 0 300 20">${parts.join("")}</svg><p class="figures">${escape(words)}</p>`;
}

/** The non-interactive quota as a bar: used of the maximum, red at the limit. */
function quotaBar(used: number | null, max: number, id: string): string {
  const words = used === null ? `unknown of ${max} non-interactive users` : `${used} of ${max} non-interactive users`;
  const share = used === null ? 0 : Math.min(1, used / Math.max(1, max));
  const fill = share >= 1 ? COLOUR["non-compliant"] : share >= 0.8 ? COLOUR["needs-attention"] : "#0f6cbd";
  return `<svg id="${escape(id)}" role="img" aria-label="${escape(`Quota: ${words}`)}" width="300" height="12" viewBox="0 0 300 12"><rect width="300" height="12" fill="#edebe9"/><rect width="${(share * 300).toFixed(1)}" height="12" fill="${fill}"/></svg><p class="figures">${escape(words)}</p>`;
}

const STYLE = `
body { font-family: "Segoe UI", system-ui, sans-serif; color: #242424; background: #fff; margin: 0; }
main { padding: 16px 24px; max-width: 1100px; }
h1 { font-size: 24px; } h2 { font-size: 18px; margin-top: 24px; }
.figures { margin: 2px 0 8px; font-size: 14px; }
.environments { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
.environment { border: 1px solid #d1d1d1; border-radius: 4px; padding: 8px 12px; break-inside: avoid; }
.failed { border-color: #a4262c; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e0e0e0; vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
.filters { display: flex; gap: 16px; flex-wrap: wrap; margin: 8px 0; }
@media print { .filters, th button::after { display: none; } .environment { border-color: #000; } }
`;

/** Sorting by a column (button in its header) and filtering by environment and status; rows carry their values. */
const SCRIPT = `
(function () {
  var table = document.getElementById("accounts");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  function filter() {
    var environment = document.getElementById("filter-environment").value;
    var status = document.getElementById("filter-status").value;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!environment || row.dataset.environment === environment) && (!status || row.dataset.status === status);
      row.hidden = !visible;
      if (visible) shown++;
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " accounts shown";
  }
  document.getElementById("filter-environment").addEventListener("change", filter);
  document.getElementById("filter-status").addEventListener("change", filter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
    var button = cell.querySelector("button");
    button.addEventListener("click", function () {
      var ascending = cell.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var left = a.cells[index].dataset.sort || a.cells[index].textContent;
        var right = b.cells[index].dataset.sort || b.cells[index].textContent;
        return (ascending ? 1 : -1) * left.localeCompare(right);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  filter();
})();
`;

/** The page runs its own script only: the policy names it by hash, so no other inline script can run. */
const SCRIPT_HASH = createHash("sha256").update(SCRIPT).digest("base64");

const SEVERITY: Record<AuditStatus, string> = { "non-compliant": "0", "needs-attention": "1", compliant: "2" };

export function formatTenantHtml(outcomes: EnvironmentAudit[], generatedOn: string): string {
  const read = outcomes.filter((outcome) => outcome.status === "read");
  const totals: Record<AuditStatus, number> = { "non-compliant": 0, "needs-attention": 0, compliant: 0 };
  for (const outcome of read) for (const status of STATUSES) totals[status] += countsOf(outcome.report.summary)[status];
  const nearest = read
    .filter((outcome) => outcome.report.summary.nonInteractiveUsed !== null)
    .map((outcome) => ({
      outcome,
      share: (outcome.report.summary.nonInteractiveUsed ?? 0) / Math.max(1, outcome.report.summary.nonInteractiveMax),
    }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 5);
  const environments = outcomes
    .map((outcome, index) => {
      const heading = `<h3>${escape(outcome.environment.name)} <small>(${escape(outcome.environment.type)})</small></h3>`;
      if (outcome.status === "failed")
        return `<section class="environment failed" data-environment-id="${escape(outcome.environment.id)}" data-read="false">${heading}<p>Not read: ${escape(outcome.problem)}</p></section>`;
      const { summary } = outcome.report;
      const counts = countsOf(summary);
      return `<section class="environment" data-environment-id="${escape(outcome.environment.id)}" data-read="true" data-compliant="${counts.compliant}" data-needs-attention="${counts["needs-attention"]}" data-non-compliant="${counts["non-compliant"]}" data-quota-used="${summary.nonInteractiveUsed ?? ""}" data-quota-max="${summary.nonInteractiveMax}">${heading}${statusBar(counts, `status-${index}`)}${quotaBar(summary.nonInteractiveUsed, summary.nonInteractiveMax, `quota-${index}`)}</section>`;
    })
    .join("\n");
  const rows = read
    .flatMap((outcome) =>
      outcome.report.accounts.map(
        (account) =>
          `<tr data-environment="${escape(outcome.environment.id)}" data-status="${escape(account.status)}"><td>${escape(outcome.environment.name)}</td><td data-sort="${SEVERITY[account.status]}">${escape(LABEL[account.status])}</td><td>${escape(account.fullname)}</td><td>${escape(account.domainname)}</td><td>${escape(account.failing.join(", ") || "-")}</td></tr>`,
      ),
    )
    .join("\n");
  const environmentOptions = read
    .map((outcome) => `<option value="${escape(outcome.environment.id)}">${escape(outcome.environment.name)}</option>`)
    .join("");
  const statusOptions = STATUSES.map((status) => `<option value="${status}">${LABEL[status]}</option>`).join("");
  const header = (label: string) => `<th scope="col"><button type="button">${label}</button></th>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:">
<title>Service accounts across the tenant</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Service accounts across the tenant</h1>
<p>Generated on ${escape(generatedOn)}: ${read.length} of ${outcomes.length} environments read.</p>
<section aria-labelledby="summary-heading" id="summary" data-compliant="${totals.compliant}" data-needs-attention="${totals["needs-attention"]}" data-non-compliant="${totals["non-compliant"]}">
<h2 id="summary-heading">Summary</h2>
${statusBar(totals, "status-tenant")}
<h3>Nearest their non-interactive limit</h3>
<ol>${nearest.map(({ outcome }) => `<li>${escape(outcome.environment.name)}: ${outcome.report.summary.nonInteractiveUsed} of ${outcome.report.summary.nonInteractiveMax}</li>`).join("")}</ol>
</section>
<h2>Environments</h2>
<div class="environments">
${environments}
</div>
<h2 id="accounts-heading">Accounts</h2>
<div class="filters">
<span><label for="filter-environment">Environment</label> <select id="filter-environment"><option value="">All</option>${environmentOptions}</select></span>
<span><label for="filter-status">Status</label> <select id="filter-status"><option value="">All</option>${statusOptions}</select></span>
<span id="shown" role="status"></span>
</div>
<table id="accounts" aria-labelledby="accounts-heading">
<thead><tr>${header("Environment")}${header("Status")}${header("Name")}${header("User name")}${header("Failing checks")}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
