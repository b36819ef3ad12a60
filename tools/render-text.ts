/**
 * The plan's text format: what a person reads in a terminal. Per cluster its cloud, region, zones and address
 * ranges; resources counted by type; policy violations.
 */
import type { FleetPlan } from "../plan";
import type { PlanDocument } from "./plan-document";
import { describeStandIn } from "./stand-ins";

/** Left-aligned columns separated by two spaces. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function renderText(doc: PlanDocument, plan: FleetPlan): string {
  const out: string[] = [];
  out.push(`${doc.project} · stack ${doc.stack} · mesh ${plan.mesh} · ${plan.addresses.clusters.length} clusters`);
  out.push("");
  out.push(`Address plan (space ${plan.addresses.space}, one /${plan.addresses.slotPrefix} block per slot)`);
  const zonesByCluster = new Map(plan.clusters.map((c) => [c.name, c]));
  const rows = plan.addresses.clusters.map((a) => {
    const c = zonesByCluster.get(a.cluster);
    return [
      a.cluster,
      String(a.slot),
      a.cloud,
      c?.region ?? "",
      (c?.zones ?? []).join(","),
      a.nodes,
      a.pods,
      a.services,
      a.controlPlane ?? "-",
    ];
  });
  out.push(
    ...renderTable(
      ["CLUSTER", "SLOT", "CLOUD", "REGION", "ZONES", "NODES", "PODS", "SERVICES", "CONTROL PLANE"],
      rows,
    ).map((l) => `  ${l}`),
  );
  out.push("");
  const counts = new Map<string, number>();
  for (const r of doc.resources) {
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  out.push(`Resources: ${doc.resources.length}`);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push(
    ...renderTable(
      ["COUNT", "TYPE"],
      sorted.map(([t, n]) => [String(n), t]),
    ).map((l) => `  ${l}`),
  );
  out.push("");
  if (doc.violations.length === 0) {
    out.push("Policies: no violations");
  } else {
    const mandatory = doc.violations.filter((v) => v.enforcement === "mandatory").length;
    out.push(`Policies: ${doc.violations.length} violations (${mandatory} mandatory)`);
    for (const v of doc.violations) {
      out.push(`  [${v.enforcement}] ${v.policy}: ${v.message}${v.urn ? ` (${v.urn})` : ""}`);
    }
  }
  if (doc.standIns !== undefined) {
    out.push("");
    out.push(`Secrets stood in offline (${doc.standIns.length}; the real values are used only by pulumi preview/up)`);
    out.push(...doc.standIns.map((s) => `  ${describeStandIn(s)}`));
  }
  return out.join("\n") + "\n";
}
