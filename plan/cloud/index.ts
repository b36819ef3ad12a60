/**
 * What the plan and its readers need to know about each cloud, as plain data, and their registry: one entry per
 * cloud, so a new cloud does not compile until its module is listed here. The cloud's resources are built by its
 * module in components/cloud/. Adding one: see ARCHITECTURE.md.
 */
import type { Cloud, ClusterSpec } from "../spec";
import { aws } from "./aws";
import { existing } from "./existing";
import { gcp } from "./gcp";

/** Listener and target timing of a passthrough load balancer. */
export interface PassthroughTiming {
  /** The port whose listener gets `idleTimeoutSeconds` (the long-lived data port). */
  readonly listenerPort: number;
  /** Seconds an idle flow stays open on that listener. */
  readonly idleTimeoutSeconds: number;
  /** Seconds a deregistered target keeps receiving its existing flows. */
  readonly deregistrationDelaySeconds: number;
}

export interface CloudTraits<C extends Cloud> {
  readonly cloud: C;
  /** How summaries name the cloud: `AWS`, `GCP`, `existing`. */
  readonly title: string;
  /** How summaries name its clusters: `EKS`, `GKE`, `existing`. */
  readonly service: string;
  /**
   * The fewest zones a cluster of this cloud lists: EKS puts subnets in at least two (the schema refuses fewer);
   * `add-cluster` picks at least as many.
   */
  readonly minZones: number;
  /** Every node carries `topology.kubernetes.io/zone`, so workloads can be spread over zones as a hard constraint. */
  readonly zonesLabelled: boolean;
  /**
   * The annotations of a Service of type LoadBalancer that gets an L4 passthrough load balancer, `internet-facing` or
   * `internal`, health-checked on `healthCheckPort`'s `/healthz/ready`, with the listener and target timing of
   * `timing` where the cloud's load balancer takes them.
   */
  passthroughLoadBalancer(
    exposure: "internet-facing" | "internal",
    healthCheckPort: number,
    timing: PassthroughTiming,
  ): Record<string, string>;
  /**
   * Labels of the namespace the passthrough load balancer's pods run in (the east-west gateway's), e.g. what makes the
   * load balancer controller inject its pod readiness gate.
   */
  readonly gatewayNamespaceLabels: Readonly<Record<string, string>>;
  /**
   * Those annotations that choose which kind of load balancer backs the Service: changing one in place makes the
   * controller leak or half-convert the old load balancer.
   */
  readonly loadBalancerKindAnnotations: readonly string[];
  /**
   * How the address plan lays out the cluster's ranges: `vpc-subnets` (a VPC of the node range, a private and a public
   * subnet per zone), `secondary-ranges` (one subnetwork with named pod and service ranges, and a control-plane /28),
   * `declared` (the ranges the cluster already has).
   */
  readonly addressLayout: "vpc-subnets" | "secondary-ranges" | "declared";
  /** Its ranges must be private (RFC 1918): the program creates a network from them. */
  readonly privateRangesOnly: boolean;
  /**
   * Its network reserves the public addresses of the cluster's gateway nodes (the interconnect's `addressPool`), so
   * peers admit tunnels from them. false: the program creates no network, and the addresses come from the cluster's
   * config (`existing.gatewayAddresses`).
   */
  readonly reservesGatewayAddresses: boolean;
  /** A private managed control plane takes a planned /28 (`cidrs.controlPlane`). */
  readonly controlPlaneRange: boolean;
  /** What a Service of type LoadBalancer becomes, in summaries: `NLB`, `passthrough LB`, `LoadBalancer`. */
  readonly loadBalancer: string;
  /** What a Service of type LoadBalancer becomes, as a price key; absent: nothing billed by the program's clouds. */
  readonly loadBalancerPriceKey?: "aws-nlb" | "gcp-forwarding-rule";
  /**
   * How many fixed public addresses the cluster's outbound traffic leaves from (its NAT's), which peers admit by
   * address; 0 where the program does not know them (an existing cluster).
   */
  egressAddresses(cluster: ClusterSpec): number;
}

export const CLOUD_TRAITS: { readonly [C in Cloud]: CloudTraits<C> } = { aws, gcp, existing };
