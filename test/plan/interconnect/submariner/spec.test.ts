import { describe, expect, it } from "vitest";
import { renderIssue } from "../../../../plan/issues";
import {
  checkFleetConfig,
  DEFAULT_SUBMARINER_VERSION,
  parseFleetSpec,
  SUBMARINER_CHART_REPOSITORY,
} from "../../../../plan/spec";

const aws0 = { name: "aws-use1", cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], slot: 0 };
const gcp1 = {
  name: "gcp-usc1",
  cloud: "gcp",
  region: "us-central1",
  zones: ["us-central1-a", "us-central1-b"],
  slot: 1,
  gcp: { project: "acme-platform" },
};

function problems(submariner: unknown): string[] {
  return checkFleetConfig({ mesh: "submariner", clusters: [aws0, gcp1], submariner }, "dev").map(renderIssue);
}

describe("the submariner config section", () => {
  it("defaults every key once, to a released chart version", () => {
    expect(DEFAULT_SUBMARINER_VERSION).toBe("0.18.1");
    expect(parseFleetSpec({ mesh: "submariner", clusters: [aws0, gcp1] }, "dev").submariner).toEqual({
      version: "0.18.1",
      chartRepository: SUBMARINER_CHART_REPOSITORY,
      dedicatedBrokerCluster: false,
      cableDriver: "libreswan",
      natEnabled: true,
      globalnet: false,
      gatewayNodes: { count: 2, instanceTypes: {} },
    });
  });

  it("fills the inner defaults of a partly written section", () => {
    const spec = parseFleetSpec(
      {
        mesh: "submariner",
        clusters: [aws0, gcp1],
        submariner: { gatewayNodes: { instanceTypes: { aws: "c6in.large" } } },
      },
      "dev",
    );
    expect(spec.submariner.gatewayNodes).toEqual({ count: 2, instanceTypes: { aws: "c6in.large" } });
    expect(spec.submariner.version).toBe(DEFAULT_SUBMARINER_VERSION);
  });

  it("accepts a dedicated broker cluster that is named", () => {
    expect(problems({ brokerCluster: "aws-use1", dedicatedBrokerCluster: true })).toEqual([]);
  });

  it.each([
    [
      "a dedicated broker cluster without a name",
      { dedicatedBrokerCluster: true },
      [
        "multicluster-mesh:submariner.dedicatedBrokerCluster: a dedicated broker cluster must be named (true) — set submariner.brokerCluster to the cluster that only hosts the broker",
      ],
    ],
    [
      "a pre-release chart version",
      { version: "0.25.0-rc1" },
      [
        'multicluster-mesh:submariner.version: not a Submariner release version ("0.25.0-rc1") — write it as "0.18.1" (no pre-releases)',
      ],
    ],
    [
      "an unknown cable driver",
      { cableDriver: "ipsec" },
      ['multicluster-mesh:submariner.cableDriver: unknown cable driver ("ipsec") — use libreswan, wireguard or vxlan'],
    ],
    [
      "zero gateway nodes",
      { gatewayNodes: { count: 0 } },
      [
        "multicluster-mesh:submariner.gatewayNodes.count: submariner.gatewayNodes.count must be greater than zero (0) — use 1 or more",
      ],
    ],
  ])("reports %s", (_, submariner, expected) => {
    expect(problems(submariner)).toEqual(expected);
  });
});
