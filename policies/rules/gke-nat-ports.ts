/**
 * Cloud NAT gives every GKE node enough source ports for the mesh: dynamic port allocation with at least the
 * configured minimum per node. Static allocation's 64 ports let a node hold about 64 concurrent connections to one
 * peer gateway address before new ones are dropped (Google Cloud NAT, "Ports and addresses").
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { bool, clusterOfResource, num, TYPES } from "../facts";
import { clusters, configOf, say, show } from "../kit";

export interface NatPortsConfig {
  readonly minPortsPerVm: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minPortsPerVm: {
      type: "integer",
      minimum: 32,
      default: 1024,
      description: "The fewest NAT source ports every node must be guaranteed (default 1024).",
    },
  },
};

export const gkeNatPorts: ResourceValidationPolicy = {
  name: "gke-nat-ports",
  description:
    "Cloud NAT of a GKE cluster allocates ports dynamically, at least the configured minimum per node (default 1024).",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: (args, report) => {
    if (args.type !== TYPES.gcpRouterNat) {
      return;
    }
    const { minPortsPerVm } = configOf<NatPortsConfig>(configSchema, args.getConfig());
    const subject = clusters([clusterOfResource(args) ?? args.name]);
    const dynamic = bool(args.props, "enableDynamicPortAllocation");
    const min = num(args.props, "minPortsPerVm");
    if (dynamic !== true) {
      report(
        say(
          subject,
          "Cloud NAT allocates ports statically",
          `enableDynamicPortAllocation ${show(dynamic ?? false)}`,
          `set enableDynamicPortAllocation: true with minPortsPerVm ${minPortsPerVm} or more (multicluster-mesh:clusters[i].gcp.nat)`,
        ),
      );
      return;
    }
    if (min === undefined || min < minPortsPerVm) {
      report(
        say(
          subject,
          `Cloud NAT guarantees a node fewer than ${minPortsPerVm} ports`,
          `minPortsPerVm ${show(min ?? 32)}`,
          `raise multicluster-mesh:clusters[i].gcp.nat.minPortsPerVm to ${minPortsPerVm} or more`,
        ),
      );
    }
  },
};
