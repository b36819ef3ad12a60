/**
 * The topology diagram of the plan summary: a Mermaid flowchart of the clusters (grouped by cloud and region),
 * their gateways, how the mesh links them, and the trust chain. What the gateways are, how the clusters are linked
 * and the legend's words come from the interconnect's `summary` (plan/interconnect):
 *
 * - `all-pairs` (Istio multi-primary: every cluster holds a remote secret for every other, N·(N−1) in all): each
 *   unordered pair is drawn once with a two-way arrow; above MAX_PAIRWISE_CLUSTERS clusters the pairs would be
 *   unreadable (and Mermaid refuses more than 500 edges), so every cluster links to one hub node instead.
 * - `to-broker` (Submariner): every other cluster joins the broker cluster.
 * - Trust: the root CA signs one intermediate CA per cluster, plugged into that cluster as `cacerts`.
 *
 * Node ids are Mermaid-safe (letters, digits, underscore, unique); every label is quoted.
 */
import { CLOUD_TRAITS } from "../plan/cloud";
import { interconnectOf } from "../plan/interconnect";
import type { Cloud, MeshKind } from "../plan/spec";

/** Pairwise remote-secret links are drawn up to this many clusters (66 links); above, a single full-mesh node. */
export const MAX_PAIRWISE_CLUSTERS = 12;

export interface TopologyCluster {
  readonly name: string;
  readonly cloud: Cloud;
  readonly region: string;
}

export interface Topology {
  readonly environment: string;
  readonly mesh: MeshKind;
  /** In the stack file's order. */
  readonly clusters: readonly TopologyCluster[];
  /** Submariner only: the cluster hosting the broker. */
  readonly broker?: string;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Letters, digits and underscores only. */
export function mermaidId(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, "_");
}

/** A quoted Mermaid label; quotes and angle brackets become entity codes. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")}"`;
}

/** Hands out sanitized ids, adding a numeric suffix when two keys would collide. */
class Ids {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  get(prefix: string, key: string): string {
    const k = `${prefix}\u0000${key}`;
    const known = this.byKey.get(k);
    if (known !== undefined) {
      return known;
    }
    const base = `${prefix}_${mermaidId(key)}`;
    let id = base;
    for (let n = 2; this.taken.has(id); n++) {
      id = `${base}_${n}`;
    }
    this.taken.add(id);
    this.byKey.set(k, id);
    return id;
  }
}

export interface RenderedTopology {
  /** The diagram, without the ``` fence. */
  readonly lines: readonly string[];
  /** One sentence per kind of edge, for the text under the diagram. */
  readonly legend: readonly string[];
}

export function renderTopology(t: Topology): RenderedTopology {
  const ids = new Ids();
  const cluster = (name: string): string => ids.get("c", name);
  const lines: string[] = ["flowchart LR"];
  const root = ids.get("ca", "root");
  lines.push(`  ${root}([${mermaidLabel(`root CA: ${t.environment}`)}])`);

  const groups = new Map<string, TopologyCluster[]>();
  for (const c of t.clusters) {
    const key = `${c.cloud} ${c.region}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const [key, members] of groups) {
    const first = members[0] as TopologyCluster;
    lines.push(
      `  subgraph ${ids.get("r", key)}[${mermaidLabel(`${capitalized(CLOUD_TRAITS[first.cloud].title)} ${first.region}`)}]`,
    );
    for (const c of members) {
      const service = CLOUD_TRAITS[c.cloud].service;
      const role = c.name === t.broker ? `${service}, broker` : service;
      const gateway = interconnectOf(t.mesh).summary.gateway(c.cloud);
      lines.push(`    ${cluster(c.name)}[${mermaidLabel(`${c.name} (${role})`)}]`);
      lines.push(`    ${ids.get("gw", c.name)}[[${mermaidLabel(`${c.name} ${gateway}`)}]]`);
      lines.push(`    ${ids.get("ica", c.name)}([${mermaidLabel(`intermediate CA: ${c.name}`)}])`);
    }
    lines.push("  end");
  }

  for (const c of t.clusters) {
    lines.push(`  ${root} --> ${ids.get("ica", c.name)}`);
    lines.push(`  ${ids.get("ica", c.name)} -.-> ${cluster(c.name)}`);
    lines.push(`  ${cluster(c.name)} --- ${ids.get("gw", c.name)}`);
  }

  const legend: string[] = [
    "`root CA --> intermediate CA -.-> cluster`: the root signs one intermediate per cluster, plugged in as `cacerts` (the root key stays out of every cluster).",
  ];
  lines.push(...interconnectLinks(t, cluster, ids, legend));
  return { lines, legend };
}

/** How the mesh links the clusters (its summary's `links`): the diagram lines; the legend sentence goes to `legend`. */
function interconnectLinks(t: Topology, cluster: (name: string) => string, ids: Ids, legend: string[]): string[] {
  const summary = interconnectOf(t.mesh).summary;
  const n = t.clusters.length;
  const lines: string[] = [];
  switch (summary.links) {
    case "all-pairs": {
      const throughHub = n > MAX_PAIRWISE_CLUSTERS;
      if (throughHub) {
        const hub = ids.get("mesh", "all");
        lines.push(`  ${hub}{{${mermaidLabel(summary.hubLabel(n))}}}`);
        for (const c of t.clusters) {
          lines.push(`  ${cluster(c.name)} <--> ${hub}`);
        }
      } else {
        t.clusters.forEach((a, i) => {
          for (const b of t.clusters.slice(i + 1)) {
            lines.push(`  ${cluster(a.name)} <--> ${cluster(b.name)}`);
          }
        });
      }
      legend.push(summary.legend({ clusters: n, throughHub, maxPairwise: MAX_PAIRWISE_CLUSTERS }));
      return lines;
    }
    case "to-broker": {
      const broker = t.broker;
      if (broker !== undefined) {
        for (const c of t.clusters) {
          if (c.name !== broker) {
            lines.push(`  ${cluster(c.name)} --> ${cluster(broker)}`);
          }
        }
        legend.push(summary.legend({ clusters: n, broker, throughHub: false, maxPairwise: MAX_PAIRWISE_CLUSTERS }));
      }
      return lines;
    }
  }
}
