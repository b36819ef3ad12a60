/**
 * The plan's text format: what a person reads in a terminal. The stack file and policy config used; per cluster its
 * cloud, region, zones and address ranges, and its gateway; trust; protection; resources counted by type; policy
 * violations.
 */
import type { FleetPlan } from "../plan";
import type { PlanDocument, PolicyConfigUsed } from "./plan-document";
import { describeStandIn } from "./stand-ins";

/** `1 violation`, `2 violations`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `policies/config/dev.json (mandatory: a, b; advisory: c)`, or the pack's defaults when no file was used. */
export function describePolicyConfig(used: PolicyConfigUsed): string {
  const byLevel = new Map<string, string[]>();
  for (const [policy, level] of Object.entries(used.enforcement).sort(([a], [b]) => a.localeCompare(b))) {
    byLevel.set(level, [...(byLevel.get(level) ?? []), policy]);
  }
  const levels = ["mandatory", "remediate", "advisory", "disabled"]
    .filter((l) => byLevel.has(l))
    .map((l) => `${l}: ${(byLevel.get(l) ?? []).join(", ")}`)
    .join("; ");
  return `${used.file ?? "none (the pack's defaults)"} (${levels})`;
}

/**
 * Per cluster: its gateway's address (as planned; mock values offline) and its dedicated gateway nodes, if any, with
 * the public addresses its network reserves for them.
 */
function gatewayRows(doc: PlanDocument, plan: FleetPlan): string[][] {
  const outputs = (doc.outputs["clusters"] ?? {}) as Record<string, { gatewayAddress?: unknown }>;
  return plan.clusters.map((c) => {
    const address = outputs[c.name]?.gatewayAddress;
    const nodes = plan.requirements[c.name]?.gatewayNodes;
    return [
      c.name,
      typeof address === "string" ? address : "-",
      nodes === undefined
        ? "-"
        : `${plural(nodes.count, "node")} (${nodes.role})` +
          (nodes.addressPool > 0 ? `, ${plural(nodes.addressPool, "reserved public IP")}` : ""),
    ];
  });
}

/** Trust roots, the issuer, and how each cluster's intermediate is made. */
function trustLines(plan: FleetPlan): string[] {
  const roots = plan.trust.roots.map((r) => `${r.name} (${r.source})`).join(", ");
  const intermediates = plan.trust.clusters.map((c) => `${c.cluster}: ${c.intermediate.source}`).join(", ");
  return [
    `Trust: ${plural(plan.trust.roots.length, "root")} ${roots}; issuer ${plan.trust.issuer}`,
    `  intermediates: ${intermediates || "none"}`,
  ];
}

/** Which resources are protected from `pulumi destroy`, by type. */
function protectionLines(doc: PlanDocument): string[] {
  const protectedTypes = new Map<string, number>();
  for (const r of doc.resources) {
    if (r.protect) {
      protectedTypes.set(r.type, (protectedTypes.get(r.type) ?? 0) + 1);
    }
  }
  const total = [...protectedTypes.values()].reduce((a, b) => a + b, 0);
  return [
    `Protection: ${plural(total, "protected resource")}`,
    ...[...protectedTypes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `  ${n}  ${t}`),
  ];
}

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
  out.push(
    `${doc.project} · stack ${doc.stack} · mesh ${plan.mesh} · ${plural(plan.addresses.clusters.length, "cluster")}`,
  );
  if (doc.stackFile !== undefined) {
    out.push(`Stack file: ${doc.stackFile}`);
  }
  if (doc.policyConfig !== undefined) {
    out.push(`Policy config: ${describePolicyConfig(doc.policyConfig)}`);
  }
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
  out.push("Gateways");
  out.push(...renderTable(["CLUSTER", "ADDRESS", "GATEWAY NODES"], gatewayRows(doc, plan)).map((l) => `  ${l}`));
  out.push("");
  out.push(...trustLines(plan));
  out.push("");
  out.push(...protectionLines(doc));
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
    out.push(`Policies: ${plural(doc.violations.length, "violation")} (${mandatory} mandatory)`);
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
