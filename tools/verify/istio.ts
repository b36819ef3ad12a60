/**
 * The Istio checks. `collectIstio` reads one cluster (I/O, bounded by the cluster's timeout); `checkIstio` judges the
 * whole fleet from what was read (pure): per cluster istiod, cacerts and the east-west gateway; per pair the remote
 * secret, istiod's sync of the peer (`/debug/clusterz`, what `istioctl remote-clusters` reads) and the gateway address
 * istiod uses for the peer's network (`/debug/networkz`).
 */
import type { V1Deployment, V1Secret, V1Service } from "@kubernetes/client-node";
import { parse } from "yaml";
import {
  ISTIO_NAMESPACE,
  NETWORK_LABEL,
  REMOTE_SECRET_CLUSTER_ANNOTATION,
  REMOTE_SECRET_LABEL,
} from "../../plan/interconnect/istio/topology";
import { EAST_WEST_RELEASE } from "../../plan/interconnect/istio/values";
import { checkCacerts } from "./certs";
import type { ClusterReader, Read } from "./client";
import type { CheckResult } from "./report";

/** istiod's monitoring port, where its debug endpoints listen (the pod's `prometheus.io/port` when set). */
export const ISTIOD_MONITORING_PORT = 15014;

/** One entry of `/debug/clusterz` (istio pkg/cluster DebugInfo). */
interface ClusterDebugInfo {
  readonly id: string;
  readonly secretName: string;
  readonly syncStatus: string;
}

/** One entry of `/debug/networkz` (istio pilot/pkg/model NetworkGateway, Go field names). */
interface NetworkGateway {
  readonly Network: string;
  readonly Cluster: string;
  readonly Addr: string;
  readonly Port: number;
}

export interface IstiodPodView {
  readonly pod: string;
  readonly clusterz: Read<string>;
  readonly networkz: Read<string>;
}

export interface IstioFacts {
  readonly istiod: Read<V1Deployment>;
  readonly cacerts: Read<V1Secret>;
  readonly gatewayService: Read<V1Service>;
  readonly gatewayDeployment: Read<V1Deployment>;
  /** The addresses the gateway's load-balancer hostname resolves to (empty for an IP or when it does not resolve). */
  readonly gatewayResolved: readonly string[];
  readonly remoteSecrets: Readonly<Record<string, Read<V1Secret>>>;
  readonly istiodPods: Read<readonly IstiodPodView[]>;
}

export interface IstioExpectations {
  /** The mesh's clusters (clusterName and network), in the stack's order. */
  readonly clusters: readonly { readonly name: string; readonly network: string }[];
  readonly version: string;
  /** "" for the default revision. */
  readonly revision: string;
  /** Each cluster's API server as the stack outputs give it (what remote secrets must point at), when known. */
  readonly endpoints: Readonly<Record<string, string | undefined>>;
  /** The environment's trust bundle (stack output `rootCertificate`), when known. */
  readonly roots: string | undefined;
  readonly now: Date;
  readonly expiryWindowDays: number;
}

function istiodName(revision: string): string {
  return revision === "" ? "istiod" : `istiod-${revision}`;
}

function ingressAddress(service: V1Service): string | undefined {
  const ingress = service.status?.loadBalancer?.ingress?.[0];
  return ingress?.ip ?? ingress?.hostname ?? undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export async function collectIstio(
  reader: ClusterReader,
  self: string,
  expect: IstioExpectations,
  resolveHost: (host: string) => Promise<string[]>,
): Promise<IstioFacts> {
  const peers = expect.clusters.map((c) => c.name).filter((n) => n !== self);
  const revisionLabel = expect.revision === "" ? "default" : expect.revision;
  const [istiod, cacerts, gatewayService, gatewayDeployment, secrets, pods] = await Promise.all([
    reader.deployment(ISTIO_NAMESPACE, istiodName(expect.revision)),
    reader.secret(ISTIO_NAMESPACE, "cacerts"),
    reader.service(ISTIO_NAMESPACE, EAST_WEST_RELEASE),
    reader.deployment(ISTIO_NAMESPACE, EAST_WEST_RELEASE),
    Promise.all(peers.map(async (p) => [p, await reader.secret(ISTIO_NAMESPACE, `istio-remote-secret-${p}`)] as const)),
    reader.pods(ISTIO_NAMESPACE, `app=istiod,istio.io/rev=${revisionLabel}`, "status.phase=Running"),
  ]);
  let istiodPods: Read<readonly IstiodPodView[]>;
  if (pods.kind === "found") {
    const views = await Promise.all(
      pods.value.map(async (pod): Promise<IstiodPodView> => {
        const name = pod.metadata?.name ?? "";
        const port = Number(pod.metadata?.annotations?.["prometheus.io/port"] ?? ISTIOD_MONITORING_PORT);
        const [clusterz, networkz] = await Promise.all([
          reader.podProxy(ISTIO_NAMESPACE, name, port, "debug/clusterz"),
          reader.podProxy(ISTIO_NAMESPACE, name, port, "debug/networkz"),
        ]);
        return { pod: name, clusterz, networkz };
      }),
    );
    istiodPods = { kind: "found", value: views };
  } else {
    istiodPods = pods;
  }
  const address = gatewayService.kind === "found" ? ingressAddress(gatewayService.value) : undefined;
  let gatewayResolved: string[] = [];
  if (address !== undefined && !IPV4.test(address)) {
    gatewayResolved = await resolveHost(address).catch(() => []);
  }
  return {
    istiod,
    cacerts,
    gatewayService,
    gatewayDeployment,
    gatewayResolved,
    remoteSecrets: Object.fromEntries(secrets),
    istiodPods,
  };
}

function readFailure(what: string, read: Read<unknown>, fix: string): string | undefined {
  if (read.kind === "absent") return `${what} not found — ${fix}`;
  if (read.kind === "error") return `${what} cannot be read (${read.message}) — check the credentials' RBAC`;
  return undefined;
}

function replicas(d: V1Deployment): { ready: number; wanted: number } {
  return { ready: d.status?.readyReplicas ?? 0, wanted: d.spec?.replicas ?? d.status?.replicas ?? 1 };
}

function checkIstiod(facts: IstioFacts, expect: IstioExpectations): { ok: boolean; reason: string } {
  const name = `Deployment istio-system/${istiodName(expect.revision)}`;
  const unread = readFailure(name, facts.istiod, "Istio is not installed at the planned revision; run pulumi up");
  if (unread !== undefined || facts.istiod.kind !== "found") return { ok: false, reason: unread ?? "" };
  const d = facts.istiod.value;
  const problems: string[] = [];
  const revision = d.metadata?.labels?.["istio.io/rev"] ?? "";
  const wantedRevision = expect.revision === "" ? "default" : expect.revision;
  if (revision !== wantedRevision)
    problems.push(`runs revision ${revision || "(none)"}, the stack plans ${wantedRevision}`);
  const image = d.spec?.template?.spec?.containers?.find((c) => c.name === "discovery")?.image ?? "";
  const version = d.metadata?.labels?.["app.kubernetes.io/version"] ?? /:([^:/]+)$/.exec(image)?.[1] ?? "";
  if (version.replace(/-distroless$/, "") !== expect.version) {
    problems.push(`runs ${version || "an unknown version"}, the stack plans ${expect.version}`);
  }
  const { ready, wanted } = replicas(d);
  if (ready < 1 || ready < wanted) problems.push(`${ready} of ${wanted} replicas ready`);
  return problems.length > 0
    ? {
        ok: false,
        reason: `istiod ${problems.join("; ")} — see kubectl -n istio-system describe deploy ${istiodName(expect.revision)}`,
      }
    : { ok: true, reason: `istiod ${version}, revision ${wantedRevision}, ${ready}/${wanted} ready` };
}

function checkGateway(facts: IstioFacts, network: string): { ok: boolean; reason: string } {
  const what = `Service istio-system/${EAST_WEST_RELEASE}`;
  const unread = readFailure(what, facts.gatewayService, "the east-west gateway is not installed; run pulumi up");
  if (unread !== undefined || facts.gatewayService.kind !== "found") return { ok: false, reason: unread ?? "" };
  const service = facts.gatewayService.value;
  const problems: string[] = [];
  const address = ingressAddress(service);
  if (address === undefined) {
    problems.push(
      `${what} has no load balancer address — check its events (kubectl -n istio-system describe svc ${EAST_WEST_RELEASE}): on EKS the AWS Load Balancer Controller, on GKE the subnet's quota`,
    );
  }
  if (service.metadata?.labels?.[NETWORK_LABEL] !== network) {
    problems.push(`${what} lacks label ${NETWORK_LABEL}=${network}, so no istiod treats it as the network's gateway`);
  }
  const deployment = facts.gatewayDeployment;
  if (deployment.kind === "found") {
    const { ready, wanted } = replicas(deployment.value);
    if (ready < 1) problems.push(`east-west gateway has ${ready} of ${wanted} pods ready`);
  } else {
    problems.push(readFailure(`Deployment istio-system/${EAST_WEST_RELEASE}`, deployment, "run pulumi up") ?? "");
  }
  return problems.length > 0
    ? { ok: false, reason: problems.join("; ") }
    : { ok: true, reason: `east-west gateway ready at ${address ?? ""}` };
}

function checkRemoteSecret(
  read: Read<V1Secret>,
  peer: string,
  endpoint: string | undefined,
): { ok: boolean; reason: string } {
  const name = `Secret istio-system/istio-remote-secret-${peer}`;
  const unread = readFailure(name, read, `this cluster's istiod cannot read ${peer}; run pulumi up to create it`);
  if (unread !== undefined || read.kind !== "found") return { ok: false, reason: unread ?? "" };
  const secret = read.value;
  const problems: string[] = [];
  if (secret.metadata?.labels?.[REMOTE_SECRET_LABEL] !== "true")
    problems.push(`lacks label ${REMOTE_SECRET_LABEL}=true, so istiod ignores it`);
  if (secret.metadata?.annotations?.[REMOTE_SECRET_CLUSTER_ANNOTATION] !== peer) {
    problems.push(`annotation ${REMOTE_SECRET_CLUSTER_ANNOTATION} is not ${peer}`);
  }
  const data = secret.data?.[peer];
  if (data === undefined) {
    problems.push(`has no data key ${peer} (it must equal the peer's clusterName)`);
  } else {
    let config: { clusters?: { cluster?: { server?: string } }[]; users?: { user?: Record<string, unknown> }[] } = {};
    try {
      config = (parse(Buffer.from(data, "base64").toString("utf8")) ?? {}) as typeof config;
    } catch {
      problems.push("holds a kubeconfig that does not parse");
    }
    const server = config.clusters?.[0]?.cluster?.server;
    if (endpoint !== undefined && server !== endpoint)
      problems.push(`points at ${server ?? "no server"}, but ${peer}'s API server is ${endpoint}`);
    const user = config.users?.[0]?.user ?? {};
    if (typeof user["token"] !== "string")
      problems.push("carries no bearer token (istiod rejects exec and client-certificate kubeconfigs)");
  }
  return problems.length > 0
    ? { ok: false, reason: `${name} ${problems.join("; ")} — run pulumi up to rewrite it` }
    : { ok: true, reason: `${name} present` };
}

function parseJsonArray<T>(read: Read<string>): T[] | string {
  if (read.kind !== "found") return read.kind === "absent" ? "not found" : read.message;
  try {
    const parsed: unknown = typeof read.value === "string" ? JSON.parse(read.value) : read.value;
    return Array.isArray(parsed) ? (parsed as T[]) : "not a JSON list";
  } catch {
    return "not JSON";
  }
}

function checkSync(pods: readonly IstiodPodView[], peer: string): { ok: boolean; reason: string } {
  const problems: string[] = [];
  for (const view of pods) {
    const entries = parseJsonArray<ClusterDebugInfo>(view.clusterz);
    if (typeof entries === "string") {
      problems.push(`istiod pod ${view.pod} /debug/clusterz: ${entries}`);
      continue;
    }
    const entry = entries.find((e) => e.id === peer);
    if (entry === undefined) {
      problems.push(
        `istiod pod ${view.pod} does not list ${peer} among its remote clusters — check istiod's log for the remote secret`,
      );
    } else if (entry.syncStatus !== "synced") {
      problems.push(
        `istiod pod ${view.pod} reports ${peer} as ${entry.syncStatus} — it cannot finish reading ${peer}'s API server (reachability, token, RBAC)`,
      );
    }
  }
  return problems.length > 0 ? { ok: false, reason: problems.join("; ") } : { ok: true, reason: `${peer} synced` };
}

function checkGatewayAddress(
  pods: readonly IstiodPodView[],
  peer: string,
  network: string,
  addresses: readonly string[],
): { ok: boolean; reason: string } {
  const problems: string[] = [];
  for (const view of pods) {
    const gateways = parseJsonArray<NetworkGateway>(view.networkz);
    if (typeof gateways === "string") {
      problems.push(`istiod pod ${view.pod} /debug/networkz: ${gateways}`);
      continue;
    }
    const used = gateways.filter((g) => g.Network === network).map((g) => g.Addr);
    if (used.length === 0) {
      problems.push(
        `istiod pod ${view.pod} knows no gateway for network ${network} — ${peer}'s east-west Service must carry ${NETWORK_LABEL}=${network} and its remote secret must sync`,
      );
    } else if (!used.some((a) => addresses.includes(a))) {
      problems.push(
        `istiod pod ${view.pod} sends ${network} traffic to ${used.join(", ")}, but ${peer}'s east-west load balancer is ${addresses.join(", ")}`,
      );
    }
  }
  return problems.length > 0
    ? { ok: false, reason: problems.join("; ") }
    : { ok: true, reason: `${network} via ${addresses[0] ?? ""}` };
}

/** Every Istio check, for the clusters that could be read (`facts`); unreachable clusters are judged elsewhere. */
export function checkIstio(facts: Readonly<Record<string, IstioFacts>>, expect: IstioExpectations): CheckResult[] {
  const results: CheckResult[] = [];
  const add = (
    cluster: string,
    peer: string | null,
    check: CheckResult["check"],
    v: { ok: boolean; reason: string },
  ): void => {
    results.push({ cluster, peer, check, ok: v.ok, reason: v.reason });
  };
  for (const { name, network } of expect.clusters) {
    const own = facts[name];
    if (own === undefined) continue;
    add(name, null, "istiod", checkIstiod(own, expect));
    if (own.cacerts.kind === "found") {
      add(
        name,
        null,
        "cacerts",
        checkCacerts(own.cacerts.value.data ?? {}, expect.roots, expect.now, expect.expiryWindowDays),
      );
    } else {
      add(name, null, "cacerts", {
        ok: false,
        reason:
          readFailure(
            "Secret istio-system/cacerts",
            own.cacerts,
            "istiod issues from its own self-signed root; run pulumi up, then restart istiod",
          ) ?? "",
      });
    }
    add(name, null, "eastwest-gateway", checkGateway(own, network));
    for (const peer of expect.clusters.filter((c) => c.name !== name)) {
      add(
        name,
        peer.name,
        "remote-secret",
        checkRemoteSecret(own.remoteSecrets[peer.name] ?? { kind: "absent" }, peer.name, expect.endpoints[peer.name]),
      );
      if (own.istiodPods.kind !== "found" || own.istiodPods.value.length === 0) {
        const reason =
          own.istiodPods.kind === "error"
            ? `istiod pods cannot be listed (${own.istiodPods.message})`
            : "no running istiod pod to ask";
        add(name, peer.name, "remote-sync", { ok: false, reason });
        continue;
      }
      add(name, peer.name, "remote-sync", checkSync(own.istiodPods.value, peer.name));
      // Judged against the peer's live load balancer; a peer that could not be read is reported as such instead.
      const theirs = facts[peer.name];
      const address = theirs?.gatewayService.kind === "found" ? ingressAddress(theirs.gatewayService.value) : undefined;
      if (theirs !== undefined && address !== undefined) {
        const addresses = [address, ...theirs.gatewayResolved];
        add(
          name,
          peer.name,
          "gateway-address",
          checkGatewayAddress(own.istiodPods.value, peer.name, peer.network, addresses),
        );
      }
    }
  }
  return results;
}
