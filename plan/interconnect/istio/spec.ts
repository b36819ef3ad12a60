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

/** A lowercase DNS-1123 label (Istio's revision rule, lowercase as Kubernetes names are), or empty. */
const REVISION = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;
/** Helm release names are at most 53 characters, and istiod's release is `istiod-<revision>`. */
export const MAX_REVISION_LENGTH = 53 - "istiod-".length;

/**
 * A sanity bound, not a cloud limit: one east-west gateway pod carries a cluster's cross-cluster traffic at line rate,
 * so more than this per cluster is a typo (e.g. 200 for 2).
 */
export const MAX_GATEWAY_REPLICAS = 50;

function tooManyReplicas(key: string): string {
  return says(
    `istio.gateway.${key} is above ${MAX_GATEWAY_REPLICAS}, more east-west gateway pods than a cluster needs`,
    `use ${MAX_GATEWAY_REPLICAS} or fewer`,
  );
}

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
    replicas: positiveInt("istio.gateway.replicas").max(MAX_GATEWAY_REPLICAS, tooManyReplicas("replicas")).default(2),
    /** Autoscaler ceiling. */
    maxReplicas: positiveInt("istio.gateway.maxReplicas")
      .max(MAX_GATEWAY_REPLICAS, tooManyReplicas("maxReplicas"))
      .default(5),
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
    /**
     * AWS NLB: idle timeout of the 15443 listener in seconds (60-6000; the NLB's own default is 350), set through the
     * load balancer controller's listener-attributes annotation. Other clouds' passthrough load balancers ignore it.
     */
    idleTimeoutSeconds: positiveInt("istio.gateway.idleTimeoutSeconds")
      .min(60, says("idleTimeoutSeconds is below 60", "use 60 to 6000 seconds"))
      .max(6000, says("idleTimeoutSeconds is above 6000", "use 60 to 6000 seconds"))
      .default(600),
    /**
     * AWS NLB: how long a deregistered gateway pod keeps receiving existing flows (target group
     * `deregistration_delay.timeout_seconds`, 0-3600; the AWS default is 300). Must stay below `drainSeconds`.
     */
    deregistrationDelaySeconds: z
      .number({ error: says("istio.gateway.deregistrationDelaySeconds must be a number", "write a whole number") })
      .int(says("istio.gateway.deregistrationDelaySeconds must be a whole number", "use 0 to 3600 seconds"))
      .min(0, says("deregistrationDelaySeconds is negative", "use 0 to 3600 seconds"))
      .max(3600, says("deregistrationDelaySeconds is above 3600", "use 0 to 3600 seconds"))
      .default(60),
    /**
     * How long a terminating gateway pod drains (Istio `terminationDrainDuration`); its termination grace period is
     * this plus 10 s. Longer than `deregistrationDelaySeconds`, so the load balancer stops sending first.
     */
    drainSeconds: positiveInt("istio.gateway.drainSeconds").default(90),
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
    if (g.drainSeconds <= g.deregistrationDelaySeconds) {
      ctx.addIssue({
        code: "custom",
        input: g,
        message: says(
          `drainSeconds (${g.drainSeconds}) is not above deregistrationDelaySeconds (${g.deregistrationDelaySeconds}), so a gateway pod could stop before its load balancer stops sending to it`,
          `raise drainSeconds to ${g.deregistrationDelaySeconds + 1} or more, or lower deregistrationDelaySeconds`,
        ),
      });
    }
  })
  .prefault({});

const istiodSchema = z
  .strictObject({
    /**
     * Minimum istiod replicas (the autoscaler's floor), spread across zones, with a PodDisruptionBudget (minAvailable 1)
     * when 2 or more. istiod is the injector (its webhook fails closed), the CA and xDS: production wants 2 or more.
     */
    replicas: positiveInt("istio.istiod.replicas").default(2),
    /** Autoscaler ceiling. */
    maxReplicas: positiveInt("istio.istiod.maxReplicas").default(5),
  })
  .superRefine((d, ctx) => {
    if (d.maxReplicas < d.replicas) {
      ctx.addIssue({
        code: "custom",
        input: d,
        message: says(
          `maxReplicas (${d.maxReplicas}) is below replicas (${d.replicas})`,
          `set maxReplicas to ${d.replicas} or more, or lower replicas`,
        ),
      });
    }
  })
  .prefault({});

/**
 * Mesh-wide TCP keepalive on every proxy's upstream connections (meshConfig.tcpKeepalive), so a cross-network
 * connection through a load balancer or NAT gateway that drops idle flows (AWS NLB and NAT gateway: 350 s) stays open.
 */
const tcpKeepaliveSchema = z
  .strictObject({
    /** Idle seconds before the first probe; must stay below `gateway.idleTimeoutSeconds`. */
    timeSeconds: positiveInt("istio.tcpKeepalive.timeSeconds").default(120),
    /** Seconds between probes. */
    intervalSeconds: positiveInt("istio.tcpKeepalive.intervalSeconds").default(30),
    /** Unanswered probes before the connection is dropped. */
    probes: positiveInt("istio.tcpKeepalive.probes").default(3),
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
    /**
     * Istio revision for canary upgrades; empty: the default revision. Istio's rule (istioctl and the operator:
     * a DNS-1123 label), lowercase because it names Kubernetes objects and labels (`istiod-<revision>`, `istio.io/rev`);
     * versions are written with dashes, `1-28-0`.
     */
    revision: z
      .string({ error: says("istio.revision must be a string", 'write a revision name such as canary or "1-28-0"') })
      .max(
        MAX_REVISION_LENGTH,
        says(
          `istio.revision is longer than ${MAX_REVISION_LENGTH} characters (istiod-<revision> names a Helm release, at most 53)`,
          `shorten it to ${MAX_REVISION_LENGTH} characters or fewer`,
        ),
      )
      .regex(
        REVISION,
        says(
          "istio.revision is not a revision name",
          "use lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. canary or 1-28-0",
        ),
      )
      .default(""),
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
    istiod: istiodSchema,
    tcpKeepalive: tcpKeepaliveSchema,
  })
  // Reported on istio itself: either side may be a default the user never wrote.
  .superRefine((i, ctx) => {
    if (i.tcpKeepalive.timeSeconds >= i.gateway.idleTimeoutSeconds) {
      ctx.addIssue({
        code: "custom",
        input: i,
        message: says(
          `tcpKeepalive.timeSeconds (${i.tcpKeepalive.timeSeconds}) is not below gateway.idleTimeoutSeconds (${i.gateway.idleTimeoutSeconds}), so the load balancer drops idle connections before the first keepalive`,
          `lower tcpKeepalive.timeSeconds below ${i.gateway.idleTimeoutSeconds}`,
        ),
      });
    }
  })
  // Defaults are the fields' own, written once above.
  .prefault({});

export type IstioSpec = Omit<z.output<typeof istioSchema>, "meshId"> & { readonly meshId: string };
