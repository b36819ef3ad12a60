/**
 * `multicluster-mesh:submariner`: the Submariner broker and the clusters joined to it. Used when `mesh: submariner`.
 * Defaults are written here once.
 */
import { z } from "zod";
import { positiveInt, says } from "./common";

export const SUBMARINER_CHART_REPOSITORY = "https://submariner-io.github.io/submariner-charts/charts";
export const DEFAULT_SUBMARINER_VERSION = "0.20.1";

export const submarinerSchema = z
  .strictObject({
    /** Chart version of submariner-k8s-broker and submariner-operator. */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, says("not a Submariner version", 'write it as "0.20.1"')).default(DEFAULT_SUBMARINER_VERSION),
    chartRepository: z.string().url().default(SUBMARINER_CHART_REPOSITORY),
    /** The cluster that hosts the broker; default: the cluster with the lowest slot. */
    brokerCluster: z.string().min(1).optional(),
    cableDriver: z.enum(["libreswan", "wireguard", "vxlan"], { error: says("unknown cable driver", "use libreswan, wireguard or vxlan") }).default("libreswan"),
    /** Gateways reach each other through NAT (public IPs); true across clouds. */
    natEnabled: z.boolean().default(true),
    /** Globalnet lets overlapping ranges join; off because the address plan guarantees no overlap. */
    globalnet: z.boolean().default(false),
    gatewayNodes: z
      .strictObject({
        /** Gateway nodes per cluster (active/passive), spread over distinct zones. */
        count: positiveInt("submariner.gatewayNodes.count").default(2),
        /** Machine type; default: the cluster's node type. */
        instanceType: z.string().min(1).optional(),
      })
      .default({ count: 2 }),
  })
  .default({
    version: DEFAULT_SUBMARINER_VERSION,
    chartRepository: SUBMARINER_CHART_REPOSITORY,
    cableDriver: "libreswan",
    natEnabled: true,
    globalnet: false,
    gatewayNodes: { count: 2 },
  });

export type SubmarinerSpec = z.output<typeof submarinerSchema>;
