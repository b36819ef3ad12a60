/**
 * Every cluster has a VPC (AWS) or VPC network (GCP) of its own. Clusters in one network share its routing, NAT,
 * firewall and quotas, so one mistake or exhaustion there takes them down together. Existing clusters are judged by the
 * node network their stack file declares (allowed to be shared only where the environment's config says so).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { overlaps } from "../shared/cidr";
import { type ClusterFacts, dependenciesOf, fleetFacts, TYPES } from "../facts";
import { clusters, configKey, configOf, groupBy, say, show } from "../kit";

export interface VpcPerClusterConfig {
  readonly allowSharedNodeNetwork: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowSharedNodeNetwork: {
      type: "boolean",
      default: false,
      description:
        "true: existing clusters may declare one node network (kind clusters on one Docker network on a laptop).",
    },
  },
};

/** Network resources a cluster's resources must not borrow from another cluster. */
const NETWORK_TYPES: readonly string[] = [TYPES.vpc, TYPES.subnet, TYPES.gcpNetwork, TYPES.gcpSubnetwork];
/** Resources that live in a network. */
const IN_NETWORK: readonly string[] = [
  TYPES.subnet,
  TYPES.gcpSubnetwork,
  TYPES.eksCluster,
  TYPES.eksNodeGroup,
  TYPES.gkeCluster,
  TYPES.gkeNodePool,
];

export const vpcPerCluster: StackValidationPolicy = {
  name: "vpc-per-cluster",
  description: "Every EKS/GKE cluster has its own VPC or VPC network; no cluster uses another cluster's network.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<VpcPerClusterConfig>(configSchema, args.getConfig());
    const facts = fleetFacts(args.resources);
    const reported = new Set<string>();
    const shared = (a: string, b: string, what: string, urn: string): void => {
      const key = [a, b].sort().join(" ");
      if (reported.has(key)) {
        return;
      }
      reported.add(key);
      report(
        say(
          clusters([a, b].sort()),
          "share a network",
          what,
          "give every cluster its own VPC/network from its own address slot; connect clusters through their gateways, not a shared network",
        ),
        urn,
      );
    };

    for (const c of facts.clusters) {
      const managed = [
        ...c.eks.map((e) => `EKS cluster ${show(e.name)}`),
        ...c.gke.map((g) => `GKE cluster ${show(g.name)}`),
      ];
      if (managed.length > 0 && c.networks.length === 0) {
        report(
          say(
            clusters([c.name]),
            "has no VPC or network of its own",
            managed.join(", "),
            `create a network for ${c.name} (tagged/labelled with its cluster name) instead of reusing one`,
          ),
          c.urn,
        );
      }
      // Dependencies on another cluster's network resources (visible in CrossGuard; offline when recorded).
      for (const r of c.resources.filter((x) => IN_NETWORK.includes(x.type))) {
        for (const d of dependenciesOf(r).filter((x) => NETWORK_TYPES.includes(x.type))) {
          const owner = facts.clusterOf(d);
          if (owner !== undefined && owner !== c.name) {
            shared(c.name, owner, `${r.name} uses ${owner}'s ${d.name}`, r.urn);
          }
        }
      }
      // GKE clusters name their network.
      for (const g of c.gke) {
        const owner = networkOwner(facts.clusters, g.network);
        if (g.network !== undefined && owner !== undefined && owner !== c.name) {
          shared(c.name, owner, `GKE cluster ${show(g.name)} uses network ${show(g.network)}`, g.urn);
        }
      }
    }

    // GCP network names are global per project: two clusters declaring the same one get the same network.
    const gcpNetworks = facts.clusters.flatMap((c) =>
      c.networks.filter((n) => n.kind === "network").map((n) => ({ cluster: c.name, network: n })),
    );
    for (const [key, group] of groupBy(gcpNetworks, (x) => `${x.network.project ?? "?"}/${x.network.name ?? "?"}`)) {
      const names = [...new Set(group.map((x) => x.cluster))];
      if (names.length > 1 && group[1] !== undefined) {
        shared(names[0] ?? "", names[1] ?? "", `network ${show(key)}`, group[1].network.urn);
      }
    }

    // Existing clusters declare their node network (they have no VPC the pack could see).
    if (!config.allowSharedNodeNetwork) {
      const declared = facts.clusters.flatMap((c) =>
        c.declared?.nodeNetwork === undefined
          ? []
          : [{ cluster: c.name, cidr: c.declared.nodeNetwork, urn: c.declared.urn }],
      );
      declared.forEach((a, i) => {
        for (const b of declared.slice(i + 1)) {
          if (overlaps(a.cidr, b.cidr)) {
            report(
              say(
                clusters([a.cluster, b.cluster].sort()),
                "declare one node network, so one network outage or misconfiguration takes them all down",
                show([a.cidr, b.cidr]),
                `run them on separate node networks and declare each in ${configKey("clusters[].cidrs.nodes")} (a laptop stack sets allowSharedNodeNetwork in its policy config)`,
              ),
              b.urn,
            );
          }
        }
      });
    }
  },
};

function networkOwner(all: readonly ClusterFacts[], network: string | undefined): string | undefined {
  if (network === undefined) {
    return undefined;
  }
  return all.find((c) => c.networks.some((n) => n.kind === "network" && n.name === network))?.name;
}
