/**
 * The topology diagram of the plan summary: a Mermaid flowchart of the clusters (grouped by cloud and region),
 * their gateways, how the mesh links them, and the trust chain. What the gateways are, how the clusters are linked
 * and the legend's words come from the interconnect's `summary` (plan/interconnect):
 *
 * - `all-pairs` (Istio multi-primary: every cluster holds a remote secret for every other, N·(N−1) in all): each
 *   unordered pair is drawn once with a two-way arrow; above MAX_PAIRWISE_CLUSTERS clusters the pairs would be
 *   unreadable (and Mermaid refuses more than 500 edges), so every cluster links to one hub node instead.
 * - `tunnels-and-broker` (Submariner): an IPsec tunnel between the gateways of every pair of members (`<-->`, through
 *   one hub node above MAX_PAIRWISE_CLUSTERS), and every member joins the broker in the broker's cluster (`-.->`);
 *   the broker's cluster is drawn as a member too unless it is a dedicated broker cluster (no gateway).
 * - Trust, as the interconnect declares it: `workload-ca`, the root CA signs one intermediate CA per cluster,
 *   plugged into that cluster as `cacerts`; `root-bundle`, each cluster holds only the root bundle.
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
  /** Submariner only: the joined clusters (all but a dedicated broker cluster); absent: every cluster. */
  readonly members?: readonly string[];
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
  const workloadCa = interconnectOf(t.mesh).trust === "workload-ca";
  const isMember = (name: string): boolean => t.members === undefined || t.members.includes(name);
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
      const role = c.name === t.broker ? `${service}, broker${isMember(c.name) ? ", member" : ""}` : service;
      const gateway = interconnectOf(t.mesh).summary.gateway(c.cloud);
      lines.push(`    ${cluster(c.name)}[${mermaidLabel(`${c.name} (${role})`)}]`);
      if (isMember(c.name)) {
        lines.push(`    ${ids.get("gw", c.name)}[[${mermaidLabel(`${c.name} ${gateway}`)}]]`);
      }
      if (workloadCa) {
        lines.push(`    ${ids.get("ica", c.name)}([${mermaidLabel(`intermediate CA: ${c.name}`)}])`);
      }
    }
    lines.push("  end");
  }

  for (const c of t.clusters) {
    if (workloadCa) {
      lines.push(`  ${root} --> ${ids.get("ica", c.name)}`);
      lines.push(`  ${ids.get("ica", c.name)} -.-> ${cluster(c.name)}`);
    } else {
      lines.push(`  ${root} -.-> ${cluster(c.name)}`);
    }
    if (isMember(c.name)) {
      lines.push(`  ${cluster(c.name)} --- ${ids.get("gw", c.name)}`);
    }
  }

  const legend: string[] = [
    workloadCa
      ? "`root CA --> intermediate CA -.-> cluster`: the root signs one intermediate per cluster, plugged in as `cacerts` (the root key stays out of every cluster)."
      : "`root CA -.-> cluster`: every cluster holds the root bundle (ConfigMap `kube-public/multicluster-mesh-root-ca`) and no CA key.",
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
    case "tunnels-and-broker": {
      const members = t.clusters.filter((c) => t.members === undefined || t.members.includes(c.name));
      const m = members.length;
      const throughHub = m > MAX_PAIRWISE_CLUSTERS;
      const gateway = (name: string): string => ids.get("gw", name);
      if (throughHub) {
        const hub = ids.get("tunnels", "all");
        lines.push(`  ${hub}{{${mermaidLabel(summary.hubLabel(m))}}}`);
        for (const c of members) {
          lines.push(`  ${gateway(c.name)} <--> ${hub}`);
        }
      } else {
        members.forEach((a, i) => {
          for (const b of members.slice(i + 1)) {
            lines.push(`  ${gateway(a.name)} <--> ${gateway(b.name)}`);
          }
        });
      }
      const broker = t.broker;
      if (broker !== undefined) {
        for (const c of members) {
          if (c.name !== broker) {
            lines.push(`  ${cluster(c.name)} -.-> ${cluster(broker)}`);
          }
        }
      }
      legend.push(
        summary.legend({
          clusters: m,
          ...(broker !== undefined ? { broker } : {}),
          throughHub,
          maxPairwise: MAX_PAIRWISE_CLUSTERS,
        }),
      );
      return lines;
    }
  }
}
