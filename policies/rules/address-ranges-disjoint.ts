/**
 * No address range of one cluster overlaps a range of another: VPC and subnet blocks, EKS service ranges, GKE
 * subnetwork primary and secondary ranges, GKE control-plane /28s. Overlap rules out Submariner without Globalnet,
 * flat networking and peering, and it is fixed only by replacing a cluster.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { Validator } from "ip-num";
import { overlaps } from "../shared/cidr";
import { type ClusterFacts, fleetFacts, type RangeFacts } from "../facts";
import { clusters, configKey, configOf, say } from "../kit";

export interface AddressRangesConfig {
  readonly requireEksServiceCidr: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    requireEksServiceCidr: {
      type: "boolean",
      default: true,
      description:
        "In a stack of two or more clusters, every EKS cluster sets kubernetesNetworkConfig.serviceIpv4Cidr (EKS's default range is the same for every cluster).",
    },
  },
};

/** The order ranges are named in a message: the widest, most telling ones first. */
const PRIORITY = ["VPC", "subnetwork", "secondary", "EKS", "GKE", "subnet"];

function priority(r: RangeFacts): number {
  const i = PRIORITY.findIndex((p) => r.what.startsWith(p));
  return i < 0 ? PRIORITY.length : i;
}

function describe(cluster: string, r: RangeFacts): string {
  return `${cluster} ${r.what} ${r.cidr}`;
}

export const addressRangesDisjoint: StackValidationPolicy = {
  name: "address-ranges-disjoint",
  description:
    "No address range (VPC, subnet, service, pod, control-plane) of one cluster overlaps one of another cluster.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<AddressRangesConfig>(configSchema, args.getConfig());
    const all = fleetFacts(args.resources).clusters;
    const ranges = (c: ClusterFacts): RangeFacts[] =>
      c.ranges.filter((r) => Validator.isValidIPv4CidrNotation(r.cidr)[0]).sort((a, b) => priority(a) - priority(b));

    all.forEach((a, i) => {
      for (const b of all.slice(i + 1)) {
        const pairs: [RangeFacts, RangeFacts][] = [];
        for (const ra of ranges(a)) {
          for (const rb of ranges(b)) {
            if (overlaps(ra.cidr, rb.cidr)) {
              pairs.push([ra, rb]);
            }
          }
        }
        const first = pairs[0];
        if (first === undefined) {
          continue;
        }
        const more = pairs.length > 1 ? ` and ${pairs.length - 1} more overlap(s)` : "";
        report(
          say(
            clusters([a.name, b.name]),
            "have overlapping address ranges",
            `${describe(a.name, first[0])} overlaps ${describe(b.name, first[1])}${more}`,
            `give each cluster its own address slot (${configKey("clusters[].slot")}) or disjoint ${configKey("clusters[].cidrs")}`,
          ),
          first[1].urn,
        );
      }
    });

    if (config.requireEksServiceCidr && all.length > 1) {
      for (const c of all) {
        for (const eks of c.eks.filter((e) => e.serviceCidr === undefined)) {
          report(
            say(
              clusters([c.name]),
              "EKS service range is not set, so EKS picks 10.100.0.0/16 or 172.20.0.0/16, the same for every cluster",
              `EKS cluster ${eks.name}: kubernetesNetworkConfig.serviceIpv4Cidr missing`,
              `set it from the address plan (${configKey("clusters[].cidrs.services")}); it can only be set when the cluster is created`,
            ),
            eks.urn,
          );
        }
      }
    }
  },
};
