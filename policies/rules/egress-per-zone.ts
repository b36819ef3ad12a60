/**
 * A cluster's egress survives the loss of any one zone: egress carries the cluster's traffic to the internet and to
 * the other clusters' gateways, so a single egress point makes one zone (or one address) the whole cluster's fate.
 *
 * - AWS: one NAT gateway per zone (a NAT gateway lives in one zone; `aws.natGateways: single` routes every zone's
 *   private subnets through it). Read: the cluster's NAT gateways and the zones of its subnets.
 * - GCP: Cloud NAT is regional (no zone to lose), but with manually reserved addresses its capacity is those addresses'
 *   source ports; one address leaves no headroom, so a burst or a growing node count exhausts it and cuts egress.
 *   Read: the Cloud NAT's `natIpAllocateOption` and `natIps` (automatic allocation adds addresses as needed).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, list, str, TYPES } from "../facts";
import { clusters, configKey, configOf, say, show } from "../kit";

export interface EgressPerZoneConfig {
  readonly minNatAddresses: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minNatAddresses: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "The fewest reserved addresses a Cloud NAT with manual allocation may egress through.",
    },
  },
};

export const egressPerZone: StackValidationPolicy = {
  name: "egress-per-zone",
  description: "Every cluster's egress survives a zone: a NAT gateway per zone (AWS), Cloud NAT with headroom (GCP).",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const { minNatAddresses } = configOf<EgressPerZoneConfig>(configSchema, args.getConfig());
    for (const c of fleetFacts(args.resources).clusters) {
      const nats = c.resources.filter((r) => r.type === TYPES.natGateway);
      const zones = [
        ...new Set(
          c.resources.filter((r) => r.type === TYPES.subnet).flatMap((s) => str(s.props, "availabilityZone") ?? []),
        ),
      ].sort();
      if (nats.length > 0 && nats.length < zones.length) {
        report(
          say(
            clusters([c.name]),
            `egresses through ${nats.length} NAT gateway(s) for ${zones.length} zones, so losing that zone cuts the whole cluster's egress, including its traffic to the other clusters`,
            show(nats.map((n) => n.name)),
            `set ${configKey("clusters[].aws.natGateways")} to per-zone (one NAT gateway in every zone)`,
          ),
          nats[0]?.urn,
        );
      }
      for (const nat of c.resources.filter((r) => r.type === TYPES.routerNat)) {
        if (str(nat.props, "natIpAllocateOption") !== "MANUAL_ONLY") {
          continue; // AUTO_ONLY: Google adds addresses as ports run out
        }
        const ips = list(nat.props, "natIps");
        if (ips !== undefined && ips.length < minNatAddresses) {
          report(
            say(
              clusters([c.name]),
              `Cloud NAT egresses through ${ips.length} reserved address(es), fewer than minNatAddresses ${minNatAddresses}: no headroom, so exhausting its ports cuts the cluster's egress`,
              nat.name,
              `reserve at least ${minNatAddresses} addresses for the Cloud NAT (the GcpNetwork component reserves two)`,
            ),
            nat.urn,
          );
        }
      }
    }
  },
};
