import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { IstioMesh } from "../../../../components/mesh/istio/istio-mesh";
import { byName, runUnderMocks } from "../../../../tools/mock-runtime";
import { type ClusterShape, members, topologyOf } from "./members";
import { AWS_USE1, defaultIstio, GCP_USC1, ONPREM } from "./mesh-run";

/** Each cloud cluster's NAT egress, as the networks report it. */
const EGRESS: Record<string, string[]> = {
  "aws-use1": ["203.0.113.10", "203.0.113.11"],
  "gcp-usc1": ["198.51.100.7"],
};

async function sourceRanges(
  shapes: readonly ClusterShape[],
  istio: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const run = await runUnderMocks(
    () => {
      const clusters = members(shapes);
      const settings = defaultIstio(istio);
      new IstioMesh("prod", {
        clusters,
        topology: topologyOf(settings.meshId, clusters),
        istio: settings,
        multiRoot: false,
        egress: Object.fromEntries(
          shapes.filter((s) => EGRESS[s.name]).map((s) => [s.name, pulumi.output(EGRESS[s.name] as string[])]),
        ),
      });
      return {};
    },
    { project: "multicluster-mesh", stack: "prod" },
  );
  return Object.fromEntries(
    shapes.map((s) => {
      const spec = byName(run, `prod-${s.name}-eastwest-service`).inputs["spec"] as Record<string, unknown>;
      return [s.name, spec["loadBalancerSourceRanges"]];
    }),
  );
}

const PEERS_ONLY = { gateway: { allowPeersOnly: true } };

describe("east-west gateway source ranges", () => {
  it("stay open by default: adding a cluster must not touch the other clusters' gateways", async () => {
    expect(await sourceRanges([AWS_USE1, GCP_USC1])).toEqual({ "aws-use1": undefined, "gcp-usc1": undefined });
  });

  it("with allowPeersOnly, admit only the peers' NAT egress, as /32s", async () => {
    expect(await sourceRanges([AWS_USE1, GCP_USC1], PEERS_ONLY)).toEqual({
      "aws-use1": ["198.51.100.7/32"],
      "gcp-usc1": ["203.0.113.10/32", "203.0.113.11/32"],
    });
  });

  it("stay as configured when the stack sets them (0.0.0.0/0 opens them)", async () => {
    expect(
      await sourceRanges([AWS_USE1, GCP_USC1], { gateway: { sourceRanges: ["0.0.0.0/0"], allowPeersOnly: true } }),
    ).toEqual({
      "aws-use1": ["0.0.0.0/0"],
      "gcp-usc1": ["0.0.0.0/0"],
    });
  });

  it("stay open when a peer's egress is unknown (an existing cluster), or the gateway is internal", async () => {
    // The existing cluster's own gateway still admits only its (cloud) peers, whose egress is known.
    expect(await sourceRanges([AWS_USE1, GCP_USC1, ONPREM], PEERS_ONLY)).toEqual({
      "aws-use1": undefined,
      "gcp-usc1": undefined,
      "onprem-dc1": ["198.51.100.7/32", "203.0.113.10/32", "203.0.113.11/32"],
    });
    expect(
      await sourceRanges([AWS_USE1, GCP_USC1], { gateway: { exposure: "internal", allowPeersOnly: true } }),
    ).toEqual({
      "aws-use1": undefined,
      "gcp-usc1": undefined,
    });
  });
});
