/**
 * The Submariner checks. `collectMember` and `collectBroker` read one cluster (I/O, bounded by its timeout);
 * `checkSubmariner` judges the fleet (pure): the broker answers, every member is registered with it (a `Cluster` and
 * an `Endpoint` in the broker namespace), advertises the planned pod and service ranges, runs an active gateway, and
 * that gateway reports a connected tunnel to every other member. Shapes: submariner.io/v1 (submariner
 * pkg/apis/submariner.io/v1/types.go).
 */
import { BROKER_NAMESPACE, OPERATOR_NAMESPACE } from "../../plan/interconnect/submariner/topology";
import type { ClusterReader, Read } from "./client";
import type { CheckResult } from "./report";

const GROUP = "submariner.io";
const VERSION = "v1";

interface EndpointSpec {
  readonly cluster_id?: string;
  readonly hostname?: string;
}
interface ClusterObject {
  readonly spec?: { readonly cluster_id?: string; readonly cluster_cidr?: string[]; readonly service_cidr?: string[] };
}
interface EndpointObject {
  readonly spec?: EndpointSpec;
}
interface Connection {
  readonly status?: string;
  readonly statusMessage?: string;
  readonly endpoint?: EndpointSpec;
}
interface GatewayObject {
  readonly metadata?: { readonly name?: string };
  readonly status?: {
    readonly haStatus?: string;
    readonly statusFailure?: string;
    readonly connections?: Connection[];
  };
}

export interface MemberFacts {
  readonly gateways: Read<unknown[]>;
}

export interface BrokerFacts {
  readonly clusters: Read<unknown[]>;
  readonly endpoints: Read<unknown[]>;
}

export interface SubmarinerExpectations {
  readonly brokerCluster: string;
  readonly members: readonly { readonly cluster: string; readonly clusterCidr: string; readonly serviceCidr: string }[];
}

export async function collectMember(reader: ClusterReader): Promise<MemberFacts> {
  return { gateways: await reader.customObjects(GROUP, VERSION, OPERATOR_NAMESPACE, "gateways") };
}

export async function collectBroker(reader: ClusterReader): Promise<BrokerFacts> {
  const [clusters, endpoints] = await Promise.all([
    reader.customObjects(GROUP, VERSION, BROKER_NAMESPACE, "clusters"),
    reader.customObjects(GROUP, VERSION, BROKER_NAMESPACE, "endpoints"),
  ]);
  return { clusters, endpoints };
}

function unread(what: string, read: Read<unknown>): string {
  return read.kind === "absent"
    ? `${what}: not found (is Submariner installed?)`
    : `${what} cannot be read (${read.kind === "error" ? read.message : ""})`;
}

function sameRanges(advertised: readonly string[] | undefined, planned: string): boolean {
  return advertised !== undefined && advertised.length === 1 && advertised[0] === planned;
}

function show(ranges: readonly string[] | undefined): string {
  return ranges === undefined || ranges.length === 0 ? "nothing" : ranges.join(", ");
}

function activeGateway(read: Read<unknown[]>): GatewayObject | string {
  if (read.kind !== "found") return unread(`Gateways in ${OPERATOR_NAMESPACE}`, read);
  const gateways = read.value as GatewayObject[];
  const active = gateways.find((g) => g.status?.haStatus === "active");
  return (
    active ??
    `no active Gateway in ${OPERATOR_NAMESPACE} (${gateways.length} found) — check that gateway nodes are labelled submariner.io/gateway=true and the gateway pod runs`
  );
}

export function checkSubmariner(
  members: Readonly<Record<string, MemberFacts>>,
  broker: BrokerFacts | undefined,
  expect: SubmarinerExpectations,
): CheckResult[] {
  const results: CheckResult[] = [];
  if (broker !== undefined) {
    const ok = broker.clusters.kind === "found" && broker.endpoints.kind === "found";
    results.push({
      cluster: expect.brokerCluster,
      peer: null,
      check: "broker",
      ok,
      reason: ok
        ? `broker namespace ${BROKER_NAMESPACE} answers`
        : unread(
            `Clusters and Endpoints in ${BROKER_NAMESPACE}`,
            broker.clusters.kind !== "found" ? broker.clusters : broker.endpoints,
          ),
    });
  }
  const clusters = broker?.clusters.kind === "found" ? (broker.clusters.value as ClusterObject[]) : undefined;
  const endpoints = broker?.endpoints.kind === "found" ? (broker.endpoints.value as EndpointObject[]) : undefined;
  for (const member of expect.members) {
    const name = member.cluster;
    if (clusters !== undefined && endpoints !== undefined) {
      const registered = clusters.find((c) => c.spec?.cluster_id === name);
      const endpoint = endpoints.some((e) => e.spec?.cluster_id === name);
      const missing = [registered ? "" : "Cluster", endpoint ? "" : "Endpoint"].filter((m) => m !== "");
      results.push({
        cluster: name,
        peer: null,
        check: "registered",
        ok: missing.length === 0,
        reason:
          missing.length === 0
            ? `Cluster and Endpoint ${name} in ${BROKER_NAMESPACE}`
            : `no ${missing.join(" or ")} for ${name} in the broker's ${BROKER_NAMESPACE} — the operator has not joined: check the submariner-operator logs, the broker token and that ${expect.brokerCluster}'s API server is reachable from ${name}`,
      });
      if (registered !== undefined) {
        const spec = registered.spec ?? {};
        const problems: string[] = [];
        if (!sameRanges(spec.cluster_cidr, member.clusterCidr))
          problems.push(`cluster_cidr ${show(spec.cluster_cidr)}, planned ${member.clusterCidr}`);
        if (!sameRanges(spec.service_cidr, member.serviceCidr))
          problems.push(`service_cidr ${show(spec.service_cidr)}, planned ${member.serviceCidr}`);
        results.push({
          cluster: name,
          peer: null,
          check: "cidrs",
          ok: problems.length === 0,
          reason:
            problems.length === 0
              ? `advertises ${member.clusterCidr} and ${member.serviceCidr}`
              : `advertises ${problems.join("; ")} — routes to it are wrong; re-run pulumi up (the operator takes clusterCidr and serviceCidr from the plan)`,
        });
      }
    }
    const facts = members[name];
    if (facts === undefined) continue;
    const gateway = activeGateway(facts.gateways);
    if (typeof gateway === "string") {
      results.push({ cluster: name, peer: null, check: "gateway", ok: false, reason: gateway });
      continue;
    }
    const failure = gateway.status?.statusFailure ?? "";
    results.push({
      cluster: name,
      peer: null,
      check: "gateway",
      ok: failure === "",
      reason:
        failure === ""
          ? `active gateway ${gateway.metadata?.name ?? ""}`
          : `active gateway ${gateway.metadata?.name ?? ""} reports: ${failure}`,
    });
    for (const peer of expect.members.filter((m) => m.cluster !== name)) {
      const connection = (gateway.status?.connections ?? []).find((c) => c.endpoint?.cluster_id === peer.cluster);
      const status = connection?.status ?? "missing";
      results.push({
        cluster: name,
        peer: peer.cluster,
        check: "tunnel",
        ok: status === "connected",
        reason:
          connection === undefined
            ? `no tunnel to ${peer.cluster} — ${peer.cluster} may not be registered, or its gateway is unreachable on UDP 4500/4490`
            : status === "connected"
              ? `connected to ${connection.endpoint?.hostname ?? peer.cluster}`
              : `tunnel to ${peer.cluster} is ${status}: ${connection.statusMessage ?? ""} — check UDP 4500/4490 (and ESP) between the gateways and the IPsec pre-shared key`,
      });
    }
  }
  return results;
}
