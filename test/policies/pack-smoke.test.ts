/**
 * Starts the real pack the way `pulumi preview --policy-pack policies` does (Pulumi's run-policy-pack with ts-node,
 * from the pack's folder) and talks CrossGuard's gRPC protocol to it: proves the pack's files are laid out so the
 * CLI can run it (package.json version, tsconfig, entry point, type-clean under ts-node). About 10 s cold.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { credentials } from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest,
  AnalyzerProviderResource,
  AnalyzerResourceOptions,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";

const ROOT = join(__dirname, "..", "..");

function startPack(): Promise<{ child: ChildProcess; port: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js"), "127.0.0.1:1", "."],
    {
      cwd: join(ROOT, "policies"),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.once("data", (d: Buffer) => resolve({ child, port: d.toString().trim() }));
    child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
  });
}

describe("the pack under CrossGuard's protocol", () => {
  it("serves every rule and reports a violation with its message", { timeout: 180_000 }, async () => {
    const { child, port } = await startPack();
    try {
      const client = new AnalyzerClient(`127.0.0.1:${port}`, credentials.createInsecure());
      const info = await new Promise<{ name: string; policies: string[] }>((resolve, reject) =>
        client.getAnalyzerInfo(new Empty(), (e, r) =>
          e ? reject(e) : resolve({ name: r.getName(), policies: r.getPoliciesList().map((p) => p.getName()) }),
        ),
      );
      expect(info.name).toBe("multicluster-mesh");
      expect(info.policies).toHaveLength(23);

      const request = new AnalyzeRequest();
      request.setType("gcp:container/cluster:Cluster");
      request.setUrn("urn:pulumi:dev::multicluster-mesh::gcp:container/cluster:Cluster::g1-cluster");
      request.setName("g1-cluster");
      request.setProperties(Struct.fromJavaScript({ location: "us-central1-a" }));
      request.setOptions(new AnalyzerResourceOptions());
      const provider = new AnalyzerProviderResource();
      provider.setType("pulumi:providers:gcp");
      provider.setName("g1-gcp");
      provider.setUrn("urn:pulumi:dev::multicluster-mesh::pulumi:providers:gcp::g1-gcp");
      provider.setProperties(Struct.fromJavaScript({ region: "us-central1" }));
      request.setProvider(provider);
      const messages = await new Promise<string[]>((resolve, reject) =>
        client.analyze(request, (e, r) =>
          e ? reject(e) : resolve(r.getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`)),
        ),
      );
      expect(messages).toEqual([
        'gke-regional: GKE clusters are regional (location is a region, not a zone), so the control plane is replicated.\ncluster g1: GKE cluster is zonal, so its control plane is a single replica in one zone (location "us-central1-a") — set location to the region us-central1 and list the zones in nodeLocations',
        'secrets-encryption: GKE and EKS clusters encrypt Kubernetes Secrets with a KMS key (GKE databaseEncryption, EKS encryptionConfig).\ncluster g1: GKE stores Secrets without application-layer encryption (databaseEncryption.state "DECRYPTED") — set multicluster-mesh:clusters[i].gcp.secretsEncryption: true (a KMS key in the cluster\'s region)',
      ]);

      // A config key the rule does not declare, passed as the CLI passes it (CrossGuard's own schema check lets it
      // through): the pack refuses to analyze rather than silently use the defaults.
      const configure = new ConfigureAnalyzerRequest();
      configure
        .getPolicyconfigMap()
        .set(
          "gke-regional",
          new PolicyConfig()
            .setEnforcementlevel(EnforcementLevel.MANDATORY)
            .setProperties(Struct.fromJavaScript({ allowZonal: true })),
        );
      await new Promise<void>((resolve, reject) => client.configure(configure, (e) => (e ? reject(e) : resolve())));
      const refused = await new Promise<string>((resolve) =>
        client.analyze(request, (e) => resolve(e ? e.message : "analyzed without error")),
      );
      expect(refused).toContain(
        "invalid policy config: gke-regional.allowZonal: gke-regional takes no config — remove it",
      );
      client.close();
    } finally {
      child.kill();
    }
  });
});
