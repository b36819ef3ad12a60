/**
 * `multicluster-mesh:istio`: the Istio multi-primary, multi-network mesh. Used when `mesh: istio`.
 * Defaults are written here once.
 */
import { z } from "zod";
import { dnsLabel, ipv4Cidr, positiveInt, says } from "../../spec/common";

export const ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
export const DEFAULT_ISTIO_VERSION = "1.28.0";
/** The oldest Istio minor version whose charts this program writes values for. */
export const MIN_ISTIO_MINOR = 24;

const gatewaySchema = z
  .strictObject({
    /** `internet-facing` (default; needed across clouds without a VPN) or `internal`. */
    exposure: z
      .enum(["internet-facing", "internal"], { error: says("unknown exposure", "use internet-facing or internal") })
      .default("internet-facing"),
    /**
     * Minimum east-west gateway replicas (the autoscaler's floor), spread across zones. Production wants 2 or more;
     * with 1 no PodDisruptionBudget is created (it would block every node drain).
     */
    replicas: positiveInt("istio.gateway.replicas").default(2),
    /** Autoscaler ceiling. */
    maxReplicas: positiveInt("istio.gateway.maxReplicas").default(5),
    /** PodDisruptionBudget minAvailable (default 1: a drain never takes the last gateway); must stay below replicas. */
    minAvailable: positiveInt("istio.gateway.minAvailable").default(1),
    /** Client ranges allowed to reach the gateway's load balancer; empty allows any (mTLS still applies). */
    sourceRanges: z.array(ipv4Cidr("istio.gateway.sourceRanges[]")).default([]),
    /**
     * With no `sourceRanges` and an internet-facing gateway: admit only the other clusters' NAT egress addresses.
     * Off by default because it couples the clusters: adding or removing a cluster then updates every other
     * gateway's allow list (in place). The staging and prod stacks turn it on, and the policy
     * `gateway-perimeter-closed` requires a closed perimeter there. Has no effect while any cluster's egress is
     * unknown (existing clusters).
     */
    allowPeersOnly: z.boolean().default(false),
  })
  // Reported on istio.gateway itself: either side of a rule may be a default the user never wrote.
  .superRefine((g, ctx) => {
    if (g.maxReplicas < g.replicas) {
      ctx.addIssue({
        code: "custom",
        input: g,
        message: says(
          `maxReplicas (${g.maxReplicas}) is below replicas (${g.replicas})`,
          `set maxReplicas to ${g.replicas} or more, or lower replicas`,
        ),
      });
    }
    if (g.replicas > 1 && g.minAvailable >= g.replicas) {
      ctx.addIssue({
        code: "custom",
        input: g,
        message: says(
          `minAvailable (${g.minAvailable}) is not below replicas (${g.replicas}), so the PodDisruptionBudget would block every node drain`,
          `lower minAvailable to ${g.replicas - 1} or raise replicas to ${g.minAvailable + 1}`,
        ),
      });
    }
  })
  .prefault({});

export const istioSchema = z
  .strictObject({
    /** Chart version of base, istiod and gateway, pinned per stack. */
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, says("not an Istio version", 'write it as "1.28.0"'))
      .refine(
        (v) => v.startsWith("1.") && Number(v.split(".")[1]) >= MIN_ISTIO_MINOR,
        says(
          `Istio before 1.${MIN_ISTIO_MINOR} is not supported`,
          `use 1.${MIN_ISTIO_MINOR}.0 or later (the istiod chart's values are flat from 1.${MIN_ISTIO_MINOR})`,
        ),
      )
      .default(DEFAULT_ISTIO_VERSION),
    /** Istio revision for canary upgrades; empty: the default revision. */
    revision: z.union([z.literal(""), dnsLabel("istio.revision", 30)]).default(""),
    /** Shared by every cluster; default `<environment>-mesh`. */
    meshId: dnsLabel("istio.meshId", 63).optional(),
    chartRepository: z.string().url().default(ISTIO_CHART_REPOSITORY),
    /** Mesh-wide PeerAuthentication mode, applied in every cluster. */
    mtls: z
      .enum(["STRICT", "PERMISSIVE"], { error: says("unknown mTLS mode", "use STRICT or PERMISSIVE") })
      .default("STRICT"),
    /** DNS proxying, so services that exist only in a remote cluster resolve. */
    dnsProxy: z.boolean().default(true),
    /**
     * Locality failover: turns on meshConfig.localityLbSetting and ships a mesh-wide DestinationRule
     * (`default-locality-failover`, host `*.local`, in istio-system) with the outlierDetection failover needs.
     * A service's own DestinationRule replaces it for that service and must then carry outlierDetection itself.
     */
    localityFailover: z.boolean().default(true),
    gateway: gatewaySchema,
  })
  // Defaults are the fields' own, written once above.
  .prefault({});

export type IstioSpec = Omit<z.output<typeof istioSchema>, "meshId"> & { readonly meshId: string };
