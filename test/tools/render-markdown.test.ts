import { describe, expect, it } from "vitest";
import { attributeResources, clusterByName, SHARED, urnName, urnType } from "../../tools/attribution";
import { brokerCluster, cell, code, MAX_VIOLATION_ROWS, renderMarkdown, table } from "../../tools/render-markdown";
import {
  MAX_PAIRWISE_CLUSTERS,
  mermaidId,
  mermaidLabel,
  renderTopology,
  type TopologyCluster,
} from "../../tools/render-mermaid";
import type { Violation } from "../../tools/plan-document";
import type { SubmarinerMember } from "../../plan/interconnect/submariner/topology";
import { CLUSTERS, summaryDocument, summaryPlan, VIOLATIONS } from "./summary-fixture";

/** The lines of the section that starts with `### <title>`, up to the next section. */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`### ${title}`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && (l.startsWith("### ") || l.startsWith("<sub>")));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function mermaidBlock(markdown: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf("```mermaid");
  const end = lines.indexOf("```", start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

/** Cells of a table line, split on pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Every table in the document: its lines, grouped by blocks of consecutive `|` lines. */
function tables(markdown: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of markdown.split("\n")) {
    if (line.startsWith("|")) {
      current.push(line);
    } else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  return current.length > 0 ? [...out, current] : out;
}

describe("renderMarkdown over a synthetic three-cluster plan", () => {
  const md = renderMarkdown(summaryDocument(), summaryPlan());

  it("starts with a heading naming project and stack, and a one-line summary", () => {
    const [heading, blank, summary] = md.split("\n");
    expect(heading).toBe("## Plan: multicluster-mesh, stack `dev`");
    expect(blank).toBe("");
    expect(summary).toBe(
      "Mesh **istio** over **3** clusters (2 AWS, 1 GCP), **42** resources, **1 mandatory policy violation**.",
    );
  });

  it("lists every cluster with its address ranges in a table", () => {
    expect(section(md, "Clusters and address ranges")).toEqual([
      "",
      "Address space `10.0.0.0/8`, one /14 block per slot.",
      "",
      "| Cluster | Slot | Cloud | Region | Zones | Nodes / VPC | Pods | Services | Control plane |",
      "| --- | ---: | --- | --- | --- | --- | --- | --- | --- |",
      "| aws-use1 | 0 | aws | us-east-1 | us-east-1a, us-east-1b | `10.0.0.0/16` | `10.0.0.0/16` | `10.1.0.0/20` | — |",
      "| gcp-usc1 | 1 | gcp | us-central1 | us-central1-a, us-central1-b, us-central1-c | `10.4.0.0/20` | `10.5.0.0/16` | `10.6.0.0/20` | `10.7.0.0/28` |",
      "| aws-euw1 | 2 | aws | eu-west-1 | eu-west-1a, eu-west-1b | `10.8.0.0/16` | `10.8.0.0/16` | `10.9.0.0/20` | — |",
      "",
    ]);
  });

  it("draws the topology: clusters grouped by cloud and region, gateways, one two-way edge per pair, the trust chain", () => {
    const diagram = mermaidBlock(md);
    expect(diagram[0]).toBe("flowchart LR");
    expect(diagram).toContain('  ca_root(["root CA: dev"])');
    expect(diagram.filter((l) => l.trimStart().startsWith("subgraph "))).toEqual([
      '  subgraph r_aws_us_east_1["AWS us-east-1"]',
      '  subgraph r_gcp_us_central1["GCP us-central1"]',
      '  subgraph r_aws_eu_west_1["AWS eu-west-1"]',
    ]);
    expect(diagram.filter((l) => l === "  end")).toHaveLength(3);
    expect(diagram).toContain('    c_aws_use1["aws-use1 (EKS)"]');
    expect(diagram).toContain('    gw_aws_use1[["aws-use1 east-west gateway (NLB)"]]');
    expect(diagram).toContain('    gw_gcp_usc1[["gcp-usc1 east-west gateway (passthrough LB)"]]');
    expect(diagram).toContain('    ica_gcp_usc1(["intermediate CA: gcp-usc1"])');
    // 3 clusters: 3·2 = 6 remote secrets, drawn as 3 two-way edges.
    expect(diagram.filter((l) => l.includes("<-->"))).toEqual([
      "  c_aws_use1 <--> c_gcp_usc1",
      "  c_aws_use1 <--> c_aws_euw1",
      "  c_gcp_usc1 <--> c_aws_euw1",
    ]);
    expect(diagram.filter((l) => / --> ica_/.test(l))).toEqual([
      "  ca_root --> ica_aws_use1",
      "  ca_root --> ica_gcp_usc1",
      "  ca_root --> ica_aws_euw1",
    ]);
    expect(diagram.filter((l) => l.includes(" -.-> "))).toHaveLength(3);
    expect(diagram.filter((l) => l.includes(" --- "))).toHaveLength(3);
    const legend = section(md, "Topology").filter((l) => l.startsWith("- "));
    expect(legend).toHaveLength(3);
    expect(legend[0]).toBe(
      "- `root CA --> intermediate CA -.-> cluster`: the root signs one intermediate per cluster, plugged in as `cacerts` (the root key stays out of every cluster).",
    );
    expect(legend[1]).toBe(
      "- `A <--> B`: A and B each hold a remote secret for the other, so each istiod reads the other's API: 3 links, 6 remote secrets.",
    );
    expect(legend[2]).toBe("- Remote secrets registered in this plan: 6 of 6.");
  });

  it("uses only Mermaid-safe node ids and quoted labels", () => {
    const diagram = mermaidBlock(md).slice(1);
    for (const line of diagram) {
      const t = line.trim();
      if (t === "end") {
        continue;
      }
      const edge = /^(\S+) (-->|<-->|-\.->|---) (\S+)$/.exec(t);
      const node = /^(?:subgraph )?([A-Za-z0-9_]+)[[({]+"[^"]*"[\])}]+$/.exec(t);
      expect(edge !== null || node !== null, t).toBe(true);
      for (const id of edge ? [edge[1], edge[3]] : [node?.[1]]) {
        expect(id, t).toMatch(/^[A-Za-z0-9_]+$/);
      }
    }
  });

  it("counts resources per cluster, attributing by provider, name prefix and parent", () => {
    expect(section(md, "Resources per cluster").slice(1, 9)).toEqual([
      "| Cluster | Cloud | Kubernetes | Components | Other | Total |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      "| aws-use1 | 6 | 3 | 2 | 3 | 14 |",
      "| gcp-usc1 | 5 | 3 | 1 | 2 | 11 |",
      "| aws-euw1 | 4 | 3 | 1 | 2 | 10 |",
      "| _shared_ | 0 | 0 | 3 | 4 | 7 |",
      "| **Total** | **15** | **9** | **7** | **11** | **42** |",
      "",
    ]);
  });

  it("lists violations, mandatory first, with escaped cells", () => {
    expect(section(md, "Policies")).toEqual([
      "",
      "2 violations, 1 mandatory (blocks this change).",
      "",
      "| Policy | Enforcement | Resource | Message |",
      "| --- | --- | --- | --- |",
      "| gateway-replicas | **mandatory** | `dev-eastwest-aws-use1` (kubernetes:helm.sh/v3:Release) | replicas \\| minAvailable must be &gt;= 2 |",
      "| clusters-in-distinct-regions | advisory | _stack_ | two clusters share a region |",
      "",
    ]);
  });

  it("says all policies pass when there is no violation", () => {
    const clean = renderMarkdown(summaryDocument([]), summaryPlan());
    expect(section(clean, "Policies")).toEqual(["", "All policies pass.", ""]);
    expect(clean.split("\n")[2]).toBe(
      "Mesh **istio** over **3** clusters (2 AWS, 1 GCP), **42** resources, all policies pass.",
    );
  });

  it("estimates the monthly cost of the fixed parts from the price table", () => {
    expect(section(md, "Estimated monthly cost of the fixed parts")).toEqual([
      "",
      "| Item | Count | Unit price | Per month |",
      "| --- | ---: | ---: | ---: |",
      "| EKS control plane | 2 | $0.10/h per cluster | $146.00 |",
      "| GKE cluster management fee | 1 | $0.10/h per cluster | $73.00 |",
      "| AWS Network Load Balancer | 2 | $0.0225/h per load balancer | $32.85 |",
      "| GCP load balancer forwarding rule | 1 | $0.025/h per forwarding rule | $18.25 |",
      "| AWS NAT gateway | 3 | $0.045/h per gateway | $98.55 |",
      "| GCP Cloud NAT gateway | 1 (5 VMs) | $0.0014/h per VM served | $5.11 |",
      "| Public IPv4 address (Elastic IP, GCP static address) | 3 | $0.005/h per address | $10.95 |",
      "| **Total** |  |  | **$384.71** |",
      "",
      "730 hours a month at list prices for us-east-1 and us-central1, checked 2026-11-21 (tools/prices.ts); other regions cost the same or more.",
      "",
      "- EKS control plane: Kubernetes versions in extended support cost $0.60/h per cluster instead.",
      "- GKE cluster management fee: the GKE free tier ($74.40 of credit a month per billing account) covers zonal and Autopilot clusters only, not regional ones, and is not subtracted.",
      "- AWS Network Load Balancer: NLB capacity units ($0.006 per NLCU-hour) are usage-based and excluded.",
      "- GCP load balancer forwarding rule: the price of each of the first 5 rules per project and region (further rules cost $0.01/h); data processed by the load balancer is usage-based and excluded.",
      "- AWS NAT gateway: data processing ($0.045 per GB) is usage-based and excluded.",
      "- GCP Cloud NAT gateway: data processing ($0.045 per GiB) is usage-based and excluded; above 32 VMs a gateway costs a flat $0.044/h.",
      "- Public IPv4 address (Elastic IP, GCP static address): addresses the clouds assign by themselves (internet-facing NLBs, nodes, auto-allocated Cloud NAT IPs) are excluded.",
      "- Not included: nodes (EC2, Compute Engine), disks, data transfer and every other usage-based charge.",
      "",
    ]);
  });

  it("is well-formed: every table row has as many cells as its header, and the output ends with one newline", () => {
    const all = tables(md);
    expect(all).toHaveLength(4);
    for (const t of all) {
      const width = cells(t[0] as string).length;
      for (const line of t) {
        expect(cells(line), line).toHaveLength(width);
      }
    }
    expect(md.endsWith("</sub>\n")).toBe(true);
    expect(md.endsWith("\n\n")).toBe(false);
  });

  it("caps the violation table and counts the rest", () => {
    const many: Violation[] = Array.from({ length: MAX_VIOLATION_ROWS + 5 }, (_, i) => ({
      policy: `p${i}`,
      enforcement: "advisory",
      urn: null,
      message: "m",
    }));
    const out = section(renderMarkdown(summaryDocument(many), summaryPlan()), "Policies");
    expect(out.filter((l) => l.startsWith("| p"))).toHaveLength(MAX_VIOLATION_ROWS);
    expect(out).toContain("…and 5 more; run `npm run plan` to see them all.");
  });
});

describe("Submariner topology", () => {
  it("draws a tunnel between every pair of gateways and joins every other member to the broker chart's cluster", () => {
    const doc = summaryDocument([]);
    const euwK8s = doc.resources.find((r) => r.name === "aws-euw1-k8s")?.urn ?? "";
    const broker = {
      urn: "urn:pulumi:dev::multicluster-mesh::kubernetes:helm.sh/v3:Release::dev-broker",
      type: "kubernetes:helm.sh/v3:Release",
      name: "dev-broker",
      parent: null,
      provider: euwK8s,
      protect: false,
      dependsOn: [],
      inputs: { chart: "submariner-k8s-broker" },
    };
    const md = renderMarkdown(
      { ...doc, resources: [...doc.resources, broker] },
      { ...summaryPlan(), mesh: "submariner" },
    );
    const diagram = mermaidBlock(md);
    expect(diagram).toContain('    c_aws_euw1["aws-euw1 (EKS, broker, member)"]');
    for (const c of ["aws_use1", "aws_euw1", "gcp_usc1"])
      expect(diagram.some((l) => l.startsWith(`    gw_${c}[[`))).toBe(true);
    expect(diagram).toContain('    gw_aws_use1[["aws-use1 Submariner gateway nodes"]]');
    expect(diagram.filter((l) => l.includes("<-->") && !l.includes("gw_"))).toEqual([]);
    expect(diagram.filter((l) => l.includes("<-->"))).toEqual([
      "  gw_aws_use1 <--> gw_gcp_usc1",
      "  gw_aws_use1 <--> gw_aws_euw1",
      "  gw_gcp_usc1 <--> gw_aws_euw1",
    ]);
    expect(diagram.filter((l) => / -\.-> c_aws_euw1/.test(l) && !l.includes("ca_root"))).toEqual([
      "  c_aws_use1 -.-> c_aws_euw1",
      "  c_gcp_usc1 -.-> c_aws_euw1",
    ]);
    // No intermediate CAs: Submariner clusters hold the root bundle alone.
    expect(diagram.filter((l) => l.includes("intermediate"))).toEqual([]);
    expect(diagram).toContain("  ca_root -.-> c_aws_use1");
    expect(md).toContain("IPsec tunnel between the gateways of every pair of members (3 tunnels)");
    expect(md).not.toContain("Remote secrets registered");
  });

  it("falls back to the cluster with the lowest slot when no broker chart is registered", () => {
    const rows = [
      { name: "b", cloud: "aws" as const, slot: 3, region: "r", zones: [] },
      { name: "a", cloud: "gcp" as const, slot: 1, region: "r", zones: [] },
    ];
    expect(brokerCluster(summaryDocument([]), summaryPlan(), rows, new Map())).toBe("a");
  });

  it("takes the broker cluster from the plan's topology when there is one", () => {
    const plan = {
      ...summaryPlan(),
      mesh: "submariner" as const,
      topology: {
        kind: "submariner" as const,
        submariner: {
          brokerCluster: "gcp-usc1",
          brokerNamespace: "submariner-k8s-broker",
          brokerInWorkloadCluster: true,
          globalnet: false,
          // A dedicated broker cluster: gcp-usc1 hosts the broker and joins nothing.
          members: ["aws-use1", "aws-euw1"].map((cluster) => ({ cluster }) as SubmarinerMember),
        },
      },
    };
    const diagram = mermaidBlock(renderMarkdown(summaryDocument([]), plan));
    expect(diagram).toContain('    c_gcp_usc1["gcp-usc1 (GKE, broker)"]');
    expect(diagram.some((l) => l.startsWith("    gw_gcp_usc1"))).toBe(false);
    expect(diagram.filter((l) => l.includes("<-->"))).toEqual(["  gw_aws_use1 <--> gw_aws_euw1"]);
    expect(diagram.filter((l) => / -\.-> c_gcp_usc1/.test(l) && !l.includes("ca_root"))).toEqual([
      "  c_aws_use1 -.-> c_gcp_usc1",
      "  c_aws_euw1 -.-> c_gcp_usc1",
    ]);
  });
});

describe("renderTopology", () => {
  const fleet = (n: number): TopologyCluster[] =>
    Array.from({ length: n }, (_, i) => ({
      name: `c${i}`,
      cloud: i % 2 === 0 ? "aws" : "gcp",
      region: `region-${i % 4}`,
    }));

  it(`draws N·(N−1)/2 two-way edges up to ${MAX_PAIRWISE_CLUSTERS} clusters`, () => {
    const n = MAX_PAIRWISE_CLUSTERS;
    const { lines } = renderTopology({ environment: "prod", mesh: "istio", clusters: fleet(n) });
    const pairs = lines.filter((l) => l.includes("<-->"));
    expect(pairs).toHaveLength((n * (n - 1)) / 2);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it("draws one full-mesh node above that, keeping the edge count linear", () => {
    const n = 50;
    const { lines, legend } = renderTopology({ environment: "prod", mesh: "istio", clusters: fleet(n) });
    expect(lines.filter((l) => l.includes("<-->"))).toHaveLength(n);
    expect(lines).toContain('  mesh_all{{"multi-primary: each of 50 clusters reads the other 49"}}');
    expect(legend[1]).toBe(
      "Every cluster holds a remote secret for every other (2450 in all); with more than 12 clusters they are drawn through one node.",
    );
    // Mermaid refuses more than 500 edges.
    expect(lines.filter((l) => /(-->|<-->|-\.->|---)/.test(l)).length).toBeLessThan(500);
  });

  it("sanitizes ids and keeps them unique when two names sanitize alike", () => {
    const { lines } = renderTopology({
      environment: 'e"v',
      mesh: "istio",
      clusters: [
        { name: "x-1", cloud: "aws", region: "r" },
        { name: "x.1", cloud: "aws", region: "r" },
      ],
    });
    expect(lines).toContain('    c_x_1["x-1 (EKS)"]');
    expect(lines).toContain('    c_x_1_2["x.1 (EKS)"]');
    expect(lines).toContain("  c_x_1 <--> c_x_1_2");
    expect(lines).toContain('  ca_root(["root CA: e#quot;v"])');
  });

  it("escapes labels and ids", () => {
    expect(mermaidId("aws-use1.a b")).toBe("aws_use1_a_b");
    expect(mermaidLabel('a "b" <c>')).toBe('"a #quot;b#quot; #lt;c#gt;"');
  });
});

describe("table helpers", () => {
  it("escapes pipes, HTML and line breaks in cells", () => {
    expect(cell("a|b <i>\nc & d \\")).toBe("a\\|b &lt;i&gt;<br>c &amp; d \\\\");
    expect(code("x|y")).toBe("`x\\|y`");
    expect(code("a`b")).toBe("`` a`b ``");
  });

  it("pads short rows to the header's width", () => {
    expect(table(["A", "B"], [["1"]], ["l", "r"])).toEqual(["| A | B |", "| --- | ---: |", "| 1 |  |"]);
  });
});

describe("attribution", () => {
  it("prefers the provider, then the longest name prefix, then the parent", () => {
    expect(clusterByName("aws-use1-b-vpc", ["aws-use1", "aws-use1-b"])).toBe("aws-use1-b");
    expect(clusterByName("aws-use1-bastion", ["aws-use1", "aws-use1-b"])).toBe("aws-use1");
    expect(clusterByName("aws-use1", ["aws-use1"])).toBe("aws-use1");
    expect(clusterByName("aws-use10-vpc", ["aws-use1"])).toBeUndefined();
    const doc = summaryDocument();
    const owner = attributeResources(doc.resources, [...CLUSTERS]);
    const of = (name: string): string | undefined => owner.get(doc.resources.find((r) => r.name === name)?.urn ?? "");
    expect(of("dev-remote-aws-use1-in-gcp-usc1")).toBe("gcp-usc1");
    expect(of("webhook-token")).toBe("aws-use1");
    expect(of("aws-use1-k8s")).toBe("aws-use1");
    expect(of("dev-root-key")).toBe(SHARED);
    expect(of("default_4_21_2")).toBe(SHARED);
  });

  it("recognizes children of environment-wide components named <environment>-<cluster>-…", () => {
    const component = (name: string) => ({
      urn: `urn:pulumi:dev::p::multicluster-mesh:mesh/istio:IstioCluster::${name}`,
      type: "multicluster-mesh:mesh/istio:IstioCluster",
      name,
      parent: null,
      provider: null,
      protect: false,
      dependsOn: [],
      inputs: {},
    });
    const resources = [component("dev-aws-use1"), component("dev-aws-use1-eastwest"), component("dev-mesh")];
    const owner = attributeResources(resources, [...CLUSTERS], "dev");
    expect(resources.map((r) => owner.get(r.urn))).toEqual(["aws-use1", "aws-use1", SHARED]);
    // Without the environment, the names say nothing.
    expect(resources.map((r) => attributeResources(resources, [...CLUSTERS]).get(r.urn))).toEqual([
      SHARED,
      SHARED,
      SHARED,
    ]);
  });

  it("reads names and types from URNs", () => {
    const urn = VIOLATIONS[1]?.urn ?? "";
    expect(urnName(urn)).toBe("dev-eastwest-aws-use1");
    expect(urnType("urn:pulumi:dev::p::multicluster-mesh:index:Fleet$aws:ec2/vpc:Vpc::v")).toBe("aws:ec2/vpc:Vpc");
  });
});
