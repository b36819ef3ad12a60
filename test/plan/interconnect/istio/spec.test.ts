import { describe, expect, it } from "vitest";
import { renderIssue } from "../../../../plan/issues";
import { checkFleetConfig } from "../../../../plan/spec";
import { clusterInput, fleetSpec } from "../../../support/fixtures";

const problems = (istio: Record<string, unknown>): string[] =>
  checkFleetConfig({ mesh: "istio", clusters: [clusterInput(0)], istio }, "dev").map(renderIssue);

describe("istio section of the stack config", () => {
  it("defaults: pinned version, default revision, STRICT mTLS, DNS proxy, locality failover, 2–5 spread gateway replicas", () => {
    expect(fleetSpec(2, {}, "prod").istio).toEqual({
      version: "1.28.0",
      revision: "",
      meshId: "prod-mesh",
      chartRepository: "https://istio-release.storage.googleapis.com/charts",
      mtls: "STRICT",
      dnsProxy: true,
      localityFailover: true,
      gateway: {
        exposure: "internet-facing",
        replicas: 2,
        maxReplicas: 5,
        minAvailable: 1,
        sourceRanges: [],
        allowPeersOnly: false,
        idleTimeoutSeconds: 600,
        deregistrationDelaySeconds: 60,
        drainSeconds: 90,
      },
      istiod: { replicas: 2, maxReplicas: 5 },
      tcpKeepalive: { timeSeconds: 120, intervalSeconds: 30, probes: 3 },
    });
  });

  it("rejects an istiod autoscaler ceiling below its floor", () => {
    expect(problems({ istiod: { replicas: 6 } })).toEqual([
      'multicluster-mesh:istio.istiod: maxReplicas (5) is below replicas (6) ({"replicas":6}) — set maxReplicas to 6 or more, or lower replicas',
    ]);
  });

  it("rejects a keepalive not below the load balancer's idle timeout, and an idle timeout out of range", () => {
    expect(problems({ tcpKeepalive: { timeSeconds: 600 } })).toEqual([
      'multicluster-mesh:istio: tcpKeepalive.timeSeconds (600) is not below gateway.idleTimeoutSeconds (600), so the load balancer drops idle connections before the first keepalive ({"tcpKeepalive":{"timeSeconds":600}}) — lower tcpKeepalive.timeSeconds below 600',
    ]);
    expect(problems({ gateway: { idleTimeoutSeconds: 30 } })).toEqual([
      'multicluster-mesh:istio: tcpKeepalive.timeSeconds (120) is not below gateway.idleTimeoutSeconds (30), so the load balancer drops idle connections before the first keepalive ({"gateway":{"idleTimeoutSeconds":30}}) — lower tcpKeepalive.timeSeconds below 30',
      "multicluster-mesh:istio.gateway.idleTimeoutSeconds: idleTimeoutSeconds is below 60 (30) — use 60 to 6000 seconds",
    ]);
    expect(problems({ gateway: { idleTimeoutSeconds: 6000 } })).toEqual([]);
  });

  it("rejects a gateway drain that does not outlast the deregistration delay", () => {
    expect(problems({ gateway: { deregistrationDelaySeconds: 90 } })).toEqual([
      'multicluster-mesh:istio.gateway: drainSeconds (90) is not above deregistrationDelaySeconds (90), so a gateway pod could stop before its load balancer stops sending to it ({"deregistrationDelaySeconds":90}) — raise drainSeconds to 91 or more, or lower deregistrationDelaySeconds',
    ]);
    expect(problems({ gateway: { deregistrationDelaySeconds: 4000, drainSeconds: 5000 } })).toEqual([
      "multicluster-mesh:istio.gateway.deregistrationDelaySeconds: deregistrationDelaySeconds is above 3600 (4000) — use 0 to 3600 seconds",
    ]);
  });

  it("rejects a gateway autoscaler ceiling below its floor", () => {
    expect(problems({ gateway: { replicas: 6 } })).toEqual([
      'multicluster-mesh:istio.gateway: maxReplicas (5) is below replicas (6) ({"replicas":6}) — set maxReplicas to 6 or more, or lower replicas',
    ]);
  });

  it("rejects a PodDisruptionBudget that would block every drain", () => {
    expect(problems({ gateway: { replicas: 3, minAvailable: 3 } })).toEqual([
      'multicluster-mesh:istio.gateway: minAvailable (3) is not below replicas (3), so the PodDisruptionBudget would block every node drain ({"replicas":3,"minAvailable":3}) — lower minAvailable to 2 or raise replicas to 4',
    ]);
  });

  it("accepts a single replica (no PodDisruptionBudget is created then)", () => {
    expect(problems({ gateway: { replicas: 1 } })).toEqual([]);
  });

  it("rejects Istio versions before 1.24, whose istiod chart reads other values", () => {
    expect(problems({ version: "1.23.4" })).toEqual([
      'multicluster-mesh:istio.version: Istio before 1.24 is not supported ("1.23.4") — use 1.24.0 or later (the istiod chart\'s values are flat from 1.24)',
    ]);
    expect(problems({ version: "1.24.0" })).toEqual([]);
  });

  it("rejects an unknown key and a wrongly typed locality failover switch", () => {
    expect(problems({ localityFailover: "yes", failover: true })).toEqual([
      "multicluster-mesh:istio.failover: unknown key (true) — remove it or correct its spelling (see the config reference in the README)",
      'multicluster-mesh:istio.localityFailover: must be a boolean ("yes") — write a boolean here',
    ]);
  });
  it("accepts Istio revision names, version-style ones included", () => {
    expect(problems({ revision: "1-28-0" })).toEqual([]);
    expect(problems({ revision: "canary" })).toEqual([]);
    expect(problems({ revision: "2024a" })).toEqual([]);
  });

  it("rejects revisions Istio or Kubernetes refuse, naming the rule", () => {
    expect(problems({ revision: "1.28.0" })).toEqual([
      "multicluster-mesh:istio.revision: istio.revision is not a revision name (\"1.28.0\") — use lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. canary or 1-28-0",
    ]);
    expect(problems({ revision: "Canary" })).toEqual([
      "multicluster-mesh:istio.revision: istio.revision is not a revision name (\"Canary\") — use lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. canary or 1-28-0",
    ]);
    expect(problems({ revision: "canary-" })).toHaveLength(1);
    const long = "r".repeat(47);
    expect(problems({ revision: long })).toEqual([
      `multicluster-mesh:istio.revision: istio.revision is longer than 46 characters (istiod-<revision> names a Helm release, at most 53) ("${long}") — shorten it to 46 characters or fewer`,
    ]);
    expect(problems({ revision: "r".repeat(46) })).toEqual([]);
  });

  it("bounds gateway replica counts", () => {
    expect(problems({ gateway: { replicas: 51, maxReplicas: 60 } })).toEqual([
      "multicluster-mesh:istio.gateway.maxReplicas: istio.gateway.maxReplicas is above 50, more east-west gateway pods than a cluster needs (60) — use 50 or fewer",
      "multicluster-mesh:istio.gateway.replicas: istio.gateway.replicas is above 50, more east-west gateway pods than a cluster needs (51) — use 50 or fewer",
    ]);
    expect(problems({ gateway: { replicas: 50, maxReplicas: 50 } })).toEqual([]);
  });
});
