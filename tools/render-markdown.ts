/**
 * The plan's markdown format: a summary to post beside `pulumi preview` on a pull request, so a reviewer
 * understands an environment change from the pull request alone.
 *
 * Sections: a heading with project and stack; clusters and their address ranges; a Mermaid diagram of the topology
 * (./render-mermaid.ts); resources counted per cluster (./attribution.ts); policy verdicts; the estimated monthly
 * cost of the fixed-price parts (./prices.ts). Pure: a PlanDocument and the fleet plan in, a string out.
 */
import { type FleetPlan, topologyOf } from "../plan";
import { CLOUD_TRAITS } from "../plan/cloud";
import { interconnectOf } from "../plan/interconnect";
import type { AddressPlan } from "../plan/addresses-types";
import { type Cloud, CLOUDS, type MeshKind } from "../plan/spec";
import { attributeResources, SHARED, urnName, urnType } from "./attribution";
import type { RecordedResource } from "./mock-runtime";
import type { PlanDocument, Violation } from "./plan-document";
import { countFixedParts, estimateMonthlyCost, formatUnitPrice, formatUsd, type Placement, PRICES } from "./prices";
import { renderTopology, type TopologyCluster } from "./render-mermaid";
import { describePolicyConfig } from "./render-text";

/** What the summary needs from the fleet plan (a `FleetPlan` from plan/ is one). */
export interface SummaryPlan {
  readonly mesh: MeshKind;
  readonly addresses: AddressPlan;
  /** Where each cluster lives; matched to the address plan by name. */
  readonly clusters: readonly { readonly name: string; readonly region: string; readonly zones: readonly string[] }[];
  /** The planned mesh topology: the remote secrets (Istio) or the broker cluster (Submariner). */
  readonly topology?: FleetPlan["topology"];
}

/** Violations listed in full up to this many; the rest are counted (a PR comment holds at most 65,536 characters). */
export const MAX_VIOLATION_ROWS = 50;

/** The Submariner broker chart; the cluster it is installed in hosts the broker. */
const BROKER_CHART = "submariner-k8s-broker";

const ENFORCEMENT_ORDER: Record<Violation["enforcement"], number> = {
  mandatory: 0,
  remediate: 1,
  advisory: 2,
  disabled: 3,
};

/** Escapes text for a table cell: `|` cannot end the cell, HTML stays text, line breaks stay in the cell. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>");
}

/** Inline code that is safe in a table cell (GFM unescapes `\|` inside code spans in tables). */
export function code(text: string): string {
  const body = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  return body.includes("`") ? `\`\` ${body} \`\`` : `\`${body}\``;
}

/** A GFM table; every row gets exactly as many cells as the header. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ("l" | "r")[] = [],
): string[] {
  const line = (cells: readonly string[]): string => `| ${header.map((_, i) => cells[i] ?? "").join(" | ")} |`;
  const rule = `| ${header.map((_, i) => (align[i] === "r" ? "---:" : "---")).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

interface ClusterRow {
  readonly name: string;
  readonly cloud: Cloud;
  readonly slot: number;
  readonly region: string;
  readonly zones: readonly string[];
}

function clusterRows(plan: SummaryPlan): ClusterRow[] {
  const where = new Map(plan.clusters.map((c) => [c.name, c]));
  return plan.addresses.clusters.map((a) => ({
    name: a.cluster,
    cloud: a.cloud,
    slot: a.slot,
    region: where.get(a.cluster)?.region ?? "",
    zones: where.get(a.cluster)?.zones ?? [],
  }));
}

function addressSection(plan: SummaryPlan, clusters: readonly ClusterRow[]): string[] {
  const rows = plan.addresses.clusters.map((a, i) => {
    const c = clusters[i];
    return [
      cell(a.cluster),
      String(a.slot),
      a.cloud,
      cell(c?.region ?? ""),
      cell((c?.zones ?? []).join(", ")),
      code(a.nodes),
      code(a.pods),
      code(a.services),
      a.controlPlane ? code(a.controlPlane) : "—",
    ];
  });
  return [
    "### Clusters and address ranges",
    "",
    `Address space ${code(plan.addresses.space)}, one /${plan.addresses.slotPrefix} block per slot.`,
    "",
    ...table(
      ["Cluster", "Slot", "Cloud", "Region", "Zones", "Nodes / VPC", "Pods", "Services", "Control plane"],
      rows,
      ["l", "r"],
    ),
  ];
}

/**
 * The cluster hosting the Submariner broker: as planned; without a plan topology, where the broker chart is
 * installed, else the lowest slot (the default).
 */
export function brokerCluster(
  doc: PlanDocument,
  plan: SummaryPlan,
  clusters: readonly ClusterRow[],
  owner: ReadonlyMap<string, string>,
): string | undefined {
  const planned = topologyOf(plan.topology, "submariner");
  if (planned !== undefined) {
    return planned.brokerCluster;
  }
  const release = doc.resources.find(
    (r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs["chart"] ?? "").endsWith(BROKER_CHART),
  );
  const hosting = release ? owner.get(release.urn) : undefined;
  if (hosting !== undefined && hosting !== SHARED) {
    return hosting;
  }
  return [...clusters].sort((a, b) => a.slot - b.slot)[0]?.name;
}

function remoteSecretCount(resources: readonly RecordedResource[]): number {
  return resources.filter((r) => {
    const name = (r.inputs["metadata"] as Record<string, unknown> | undefined)?.["name"];
    return (
      r.type === "kubernetes:core/v1:Secret" && typeof name === "string" && name.startsWith("istio-remote-secret-")
    );
  }).length;
}

function topologySection(
  doc: PlanDocument,
  plan: SummaryPlan,
  rows: readonly ClusterRow[],
  owner: ReadonlyMap<string, string>,
): string[] {
  const clusters: TopologyCluster[] = rows.map((r) => ({ name: r.name, cloud: r.cloud, region: r.region }));
  const broker =
    interconnectOf(plan.mesh).summary.links === "tunnels-and-broker"
      ? brokerCluster(doc, plan, rows, owner)
      : undefined;
  const members = topologyOf(plan.topology, "submariner")?.members.map((m) => m.cluster);
  const rendered = renderTopology({
    environment: doc.stack,
    mesh: plan.mesh,
    clusters,
    ...(broker ? { broker } : {}),
    ...(members ? { members } : {}),
  });
  const legend = rendered.legend.map((l) => `- ${l}`);
  // Istio only: how many of the planned remote secrets the plan registered (they hang off the clusters' outputs).
  if (plan.mesh === "istio") {
    const n = rows.length;
    const planned = topologyOf(plan.topology, "istio")?.remoteSecrets.length ?? n * (n - 1);
    legend.push(`- Remote secrets registered in this plan: ${remoteSecretCount(doc.resources)} of ${planned}.`);
  }
  return ["### Topology", "", "```mermaid", ...rendered.lines, "```", "", ...legend];
}

type Category = "cloud" | "kubernetes" | "components" | "other";

function category(r: RecordedResource, project: string): Category {
  if (r.type.startsWith("aws:") || r.type.startsWith("gcp:")) {
    return "cloud";
  }
  if (r.type.startsWith("kubernetes:")) {
    return "kubernetes";
  }
  return r.type.startsWith(`${project}:`) ? "components" : "other";
}

function resourceSection(doc: PlanDocument, rows: readonly ClusterRow[], owner: ReadonlyMap<string, string>): string[] {
  const buckets = [...rows.map((r) => r.name), SHARED];
  const counts = new Map(buckets.map((b) => [b, { cloud: 0, kubernetes: 0, components: 0, other: 0 }]));
  for (const r of doc.resources) {
    const bucket = counts.get(owner.get(r.urn) ?? SHARED) ?? counts.get(SHARED);
    if (bucket) {
      bucket[category(r, doc.project)] += 1;
    }
  }
  const line = (
    label: string,
    c: { cloud: number; kubernetes: number; components: number; other: number },
  ): string[] => [
    label,
    String(c.cloud),
    String(c.kubernetes),
    String(c.components),
    String(c.other),
    String(c.cloud + c.kubernetes + c.components + c.other),
  ];
  const body = buckets.map((b) =>
    line(b === SHARED ? "_shared_" : cell(b), counts.get(b) ?? { cloud: 0, kubernetes: 0, components: 0, other: 0 }),
  );
  const total = [...counts.values()].reduce(
    (sum, c) => ({
      cloud: sum.cloud + c.cloud,
      kubernetes: sum.kubernetes + c.kubernetes,
      components: sum.components + c.components,
      other: sum.other + c.other,
    }),
    { cloud: 0, kubernetes: 0, components: 0, other: 0 },
  );
  return [
    "### Resources per cluster",
    "",
    ...table(
      ["Cluster", "Cloud", "Kubernetes", "Components", "Other", "Total"],
      [...body, line("**Total**", total).map((x, i) => (i === 0 ? x : `**${x}**`))],
      ["l", "r", "r", "r", "r", "r"],
    ),
    "",
    "Cloud: AWS and GCP resources. Other: providers, certificates and keys, random values, the stack. _shared_: what belongs to no single cluster (the fleet, the root CA).",
  ];
}

function resourceLabel(urn: string | null): string {
  return urn === null ? "_stack_" : `${code(urnName(urn))} (${cell(urnType(urn))})`;
}

function policySection(violations: readonly Violation[]): string[] {
  if (violations.length === 0) {
    return ["### Policies", "", "All policies pass."];
  }
  const sorted = violations
    .map((v, i) => ({ v, i }))
    .sort((a, b) => ENFORCEMENT_ORDER[a.v.enforcement] - ENFORCEMENT_ORDER[b.v.enforcement] || a.i - b.i)
    .map((x) => x.v);
  const mandatory = violations.filter((v) => v.enforcement === "mandatory").length;
  const shown = sorted.slice(0, MAX_VIOLATION_ROWS);
  const rows = shown.map((v) => [
    cell(v.policy),
    v.enforcement === "mandatory" ? "**mandatory**" : v.enforcement,
    resourceLabel(v.urn),
    cell(v.message),
  ]);
  const out = [
    "### Policies",
    "",
    `${plural(violations.length, "violation")}, ${mandatory} mandatory${mandatory > 0 ? " (blocks this change)" : ""}.`,
    "",
    ...table(["Policy", "Enforcement", "Resource", "Message"], rows),
  ];
  if (sorted.length > shown.length) {
    out.push("", `…and ${sorted.length - shown.length} more; run \`npm run plan\` to see them all.`);
  }
  return out;
}

function costSection(doc: PlanDocument, rows: readonly ClusterRow[], owner: ReadonlyMap<string, string>): string[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const place = (r: RecordedResource): Placement => {
    const c = byName.get(owner.get(r.urn) ?? SHARED);
    return c ? { cluster: c.name, cloud: c.cloud, zones: c.zones } : {};
  };
  const estimate = estimateMonthlyCost(countFixedParts(doc.resources, place));
  const head = ["### Estimated monthly cost of the fixed parts", ""];
  if (estimate.lines.length === 0) {
    return [...head, "No fixed-price parts (control planes, load balancers, NAT gateways) in this plan."];
  }
  const lines = estimate.lines.map((l) => {
    const price = PRICES[l.kind];
    const count = l.kind === "gcp-cloud-nat" ? `${l.count} (${l.quantity} VMs)` : String(l.count);
    return [
      cell(l.label),
      count,
      `${formatUnitPrice(price.microUsdPerHour)}/h per ${price.unit}`,
      formatUsd(l.microUsdPerMonth),
    ];
  });
  return [
    ...head,
    ...table(
      ["Item", "Count", "Unit price", "Per month"],
      [...lines, ["**Total**", "", "", `**${formatUsd(estimate.microUsdPerMonth)}**`]],
      ["l", "r", "r", "r"],
    ),
    "",
    `${estimate.hoursPerMonth} hours a month at list prices for us-east-1 and us-central1, checked ${estimate.checkedOn} (tools/prices.ts); other regions cost the same or more.`,
    "",
    ...estimate.lines.map((l) => `- ${PRICES[l.kind].label}: ${PRICES[l.kind].note}.`),
    "- Not included: nodes (EC2, Compute Engine), disks, data transfer and every other usage-based charge.",
  ];
}

/** The pull-request summary of a plan. */
export function renderMarkdown(doc: PlanDocument, plan: SummaryPlan): string {
  const rows = clusterRows(plan);
  const owner = attributeResources(
    doc.resources,
    rows.map((r) => r.name),
    doc.stack,
  );
  const clouds = CLOUDS.map((c) => [c, rows.filter((r) => r.cloud === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${CLOUD_TRAITS[c].title}`);
  const mandatory = doc.violations.filter((v) => v.enforcement === "mandatory").length;
  const verdict =
    doc.violations.length === 0
      ? "all policies pass"
      : mandatory > 0
        ? `**${plural(mandatory, "mandatory policy violation")}**`
        : `${plural(doc.violations.length, "policy violation")}, none mandatory`;
  const sections = [
    [
      `## Plan: ${cell(doc.project)}, stack ${code(doc.stack)}`,
      "",
      `Mesh **${plan.mesh}** over **${rows.length}** clusters (${clouds.join(", ")}), **${doc.resources.length}** resources, ${verdict}.`,
      ...(doc.stackFile === undefined ? [] : ["", `Stack file: ${code(doc.stackFile)}.`]),
      ...(doc.policyConfig === undefined
        ? []
        : ["", `Policy config: ${cell(describePolicyConfig(doc.policyConfig))}.`]),
    ],
    addressSection(plan, rows),
    topologySection(doc, plan, rows, owner),
    resourceSection(doc, rows, owner),
    policySection(doc.violations),
    ...(doc.standIns !== undefined
      ? [
          [
            "### Secrets stood in",
            "",
            "Offline, these `secure:` values cannot be decrypted; valid stand-in material of the same kind was planned in their place (the real values are used only by `pulumi preview`/`up`):",
            "",
            ...doc.standIns.map(
              (s) => `- ${code(s.path)}: ${s.kind === "placeholder" ? "shown as `[secret]`" : `a stand-in ${s.kind}`}`,
            ),
          ],
        ]
      : []),
    costSection(doc, rows, owner),
    [
      "<sub>Generated offline by `npm run plan -- --format markdown` under Pulumi mocks: no cloud was called, and values known only after deployment are mock values.</sub>",
    ],
  ];
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
