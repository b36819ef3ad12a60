/**
 * The diff's text and markdown formats (`npm run plan -- --against <ref>`): the change in one line, every cluster's
 * status, and every added, removed and changed resource with what changed. Pure: a DiffDocument in, a string out.
 */
import type { ClusterStatus, DiffDocument, ResourceChange } from "./plan-diff";
import { cell, code, table } from "./render-markdown";
import { renderTable } from "./render-text";

/** Resources listed in full in markdown up to this many; the rest are counted (a PR comment holds 65,536 characters). */
export const MAX_DIFF_ROWS = 300;

const STATUS_TEXT: Record<ClusterStatus, string> = {
  added: "added: every resource of it is new",
  removed: "removed: every resource of it goes",
  unchanged: "nothing of it changes",
  "allow-list-only": "only in-place updates of its east-west gateway's allow list (istio.gateway.allowPeersOnly)",
  changed: "resources of it change (listed below)",
};

const MARK: Record<ResourceChange["change"], string> = { added: "+", removed: "-", changed: "~" };

function headline(doc: DiffDocument): string {
  const s = doc.summary;
  return s.added + s.removed + s.changed === 0
    ? `no change: all ${s.unchanged} resources are the same`
    : `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged`;
}

/** A cluster's status and the pairings it gains or loses, e.g. "nothing of it changes; gains 1 resource pairing it with aws-apse2". */
function statusLine(doc: DiffDocument, c: DiffDocument["clusters"][number]): string {
  const pairs = (change: ResourceChange["change"]): string => {
    const mine = doc.resources.filter((r) => r.cluster === c.cluster && r.change === change && r.pairsWith !== null);
    const peers = [...new Set(mine.map((r) => r.pairsWith))].join(", ");
    const verb = change === "added" ? "gains" : "loses";
    return mine.length === 0
      ? ""
      : `; ${verb} ${mine.length} resource${mine.length === 1 ? "" : "s"} pairing it with ${peers}`;
  };
  return `${STATUS_TEXT[c.status]}${pairs("added")}${pairs("removed")}`;
}

export function renderDiffText(doc: DiffDocument): string {
  const out = [`${doc.project} · stack ${doc.stack} · against ${doc.against}: ${headline(doc)}`, ""];
  out.push("Clusters");
  out.push(
    ...renderTable(
      ["cluster", "status", "added", "removed", "changed", "meaning"],
      doc.clusters.map((c) => [
        c.cluster,
        c.status,
        String(c.added),
        String(c.removed),
        String(c.changed),
        statusLine(doc, c),
      ]),
    ),
  );
  if (doc.resources.length > 0) {
    out.push("", "Resources");
    for (const r of doc.resources) {
      const paths = r.paths.length > 0 ? `  (${r.paths.join(", ")})` : "";
      out.push(`${MARK[r.change]} ${r.cluster}  ${r.type}  ${r.name}${paths}`);
    }
  }
  const mandatory = doc.violations.filter((v) => v.enforcement === "mandatory");
  out.push(
    "",
    mandatory.length === 0 ? "No mandatory policy violation." : `${mandatory.length} mandatory policy violation(s):`,
  );
  out.push(...mandatory.map((v) => `  [${v.policy}] ${v.message}`));
  return `${out.join("\n")}\n`;
}

export function renderDiffMarkdown(doc: DiffDocument): string {
  const clusters = table(
    ["Cluster", "Status", "Added", "Removed", "Changed"],
    doc.clusters.map((c) => [
      cell(c.cluster),
      cell(statusLine(doc, c)),
      String(c.added),
      String(c.removed),
      String(c.changed),
    ]),
    ["l", "l", "r", "r", "r"],
  );
  const shown = doc.resources.slice(0, MAX_DIFF_ROWS);
  const resources = table(
    ["", "Cluster", "Type", "Name", "Changed inputs"],
    shown.map((r) => [
      MARK[r.change],
      cell(r.cluster),
      code(r.type),
      code(r.name),
      r.paths.length > 0 ? r.paths.map(code).join(", ") : "",
    ]),
  );
  const rest = doc.resources.length - shown.length;
  const mandatory = doc.violations.filter((v) => v.enforcement === "mandatory").length;
  const sections = [
    [
      `## Change: stack ${code(doc.stack)} against ${code(doc.against)}`,
      "",
      `${headline(doc)}${mandatory > 0 ? `; **${mandatory} mandatory policy violation(s)** (see the plan summary)` : ""}.`,
    ],
    ["### By cluster", "", ...clusters],
    doc.resources.length === 0
      ? []
      : [
          "<details><summary>Resources</summary>",
          "",
          ...resources,
          ...(rest > 0 ? ["", `… and ${rest} more (\`npm run plan -- --against\` lists them all).`] : []),
          "",
          "</details>",
        ],
    [
      "<sub>Generated offline by `npm run plan -- --against <ref> --format markdown` under Pulumi mocks: both sides are planned without calling any cloud.</sub>",
    ],
  ].filter((s) => s.length > 0);
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
