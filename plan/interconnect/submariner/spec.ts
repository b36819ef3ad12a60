/**
 * `multicluster-mesh:submariner`: the Submariner broker and the clusters joined to it. Used when `mesh: submariner`.
 * Defaults are written here once (nested objects use `prefault({})`, so each inner default is applied from here).
 */
import { z } from "zod";
import { positiveInt, says } from "../../spec/common";
import { NODE_LIMITS } from "../../spec/limits";

export const SUBMARINER_CHART_REPOSITORY = "https://submariner-io.github.io/submariner-charts/charts";
/**
 * Chart version of both submariner-k8s-broker and submariner-operator (the project releases them together, and the
 * operator chart's appVersion picks the image tags). 0.18.1: the newest final release whose charts were read here
 * (submariner-io/submariner-charts tag v0.18.1, and both .tgz in its gh-pages index.yaml), with every values key the
 * components set. Later releases exist (0.24.1, submariner-io/releases#1465) but their charts were not available to
 * read; raise the pin after reading them. Keep the two charts on the same version.
 */
export const DEFAULT_SUBMARINER_VERSION = "0.18.1";

/** A machine type of that cloud (`submariner.gatewayNodes.instanceTypes.<cloud>`), named as the cloud names them. */
function machineType(cloud: "aws" | "gcp"): z.ZodString {
  const limits = NODE_LIMITS[cloud];
  return z
    .string()
    .regex(
      limits.machineTypeShape,
      says(`is not ${limits.machineType}`, `use ${limits.machineType} such as ${limits.exampleMachineType}`),
    );
}

const gatewayNodesSchema = z
  .strictObject({
    /** Gateway nodes per cluster (active/passive), one per zone in the cluster's first `count` zones. */
    count: positiveInt("submariner.gatewayNodes.count").default(2),
    /** Machine type per cloud (a fleet may mix both); default: the cluster's own node type. */
    instanceTypes: z
      .strictObject({ aws: machineType("aws").optional(), gcp: machineType("gcp").optional() })
      .prefault({}),
  })
  .prefault({});

export const submarinerSchema = z
  .strictObject({
    /** Chart version of submariner-k8s-broker and submariner-operator; default `DEFAULT_SUBMARINER_VERSION`. */
    version: z
      .string()
      .regex(
        /^\d+\.\d+\.\d+$/,
        says("not a Submariner release version", `write it as "${DEFAULT_SUBMARINER_VERSION}" (no pre-releases)`),
      )
      .default(DEFAULT_SUBMARINER_VERSION),
    /** Helm repository both charts come from; default: the Submariner project's own. */
    chartRepository: z.string().url().default(SUBMARINER_CHART_REPOSITORY),
    /**
     * The cluster that hosts the broker; default: the cluster with the lowest slot, which stays put as long as new
     * clusters take the next unused slot. Set it explicitly in long-lived environments: moving the broker re-joins
     * every cluster.
     */
    brokerCluster: z.string().min(1).optional(),
    /**
     * true: the broker cluster hosts only the broker and is not joined itself (no operator, gateways or Lighthouse
     * there), keeping the control-plane single point out of the workload clusters. Requires `brokerCluster`.
     * Default false: the broker cluster is also a joined workload cluster.
     */
    dedicatedBrokerCluster: z.boolean().default(false),
    cableDriver: z
      .enum(["libreswan", "wireguard", "vxlan"], {
        error: says("unknown cable driver", "use libreswan, wireguard or vxlan"),
      })
      .default("libreswan"),
    /** Gateways reach each other through NAT (public IPs); true across clouds. */
    natEnabled: z.boolean().default(true),
    /**
     * Globalnet lets overlapping ranges join; off because the address plan guarantees no overlap. When on, every
     * cluster gets the /16 of 242.0.0.0/8 numbered by its slot as its global CIDR.
     */
    globalnet: z.boolean().default(false),
    gatewayNodes: gatewayNodesSchema,
  })
  .refine((s) => !s.dedicatedBrokerCluster || s.brokerCluster !== undefined, {
    path: ["dedicatedBrokerCluster"],
    message: says(
      "a dedicated broker cluster must be named",
      "set submariner.brokerCluster to the cluster that only hosts the broker",
    ),
  })
  .prefault({});

export type SubmarinerSpec = z.output<typeof submarinerSchema>;
