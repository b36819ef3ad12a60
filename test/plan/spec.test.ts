import { describe, expect, it } from "vitest";
import { renderIssue, renderIssues, SpecError } from "../../plan/issues";
import { checkFleetConfig, DEFAULT_KUBERNETES_VERSION, parseFleetSpec } from "../../plan/spec";

const aws0 = { name: "aws-use1", cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], slot: 0 };
const gcp1 = {
  name: "gcp-usc1",
  cloud: "gcp",
  region: "us-central1",
  zones: ["us-central1-a"],
  slot: 1,
  gcp: { project: "acme-platform" },
};
const kind2 = {
  name: "kind-east",
  cloud: "existing",
  region: "local",
  zones: ["local"],
  slot: 2,
  existing: { kubeconfig: "~/.kube/config", context: "kind-east", endpoint: "https://east-control-plane:6443" },
  cidrs: { nodes: "172.18.0.0/16", pods: "10.244.0.0/16", services: "10.96.0.0/16" },
};

function problems(raw: unknown): string[] {
  return checkFleetConfig(raw, "dev").map(renderIssue);
}

function withCluster(patch: Record<string, unknown>, base: Record<string, unknown> = aws0): unknown {
  return { mesh: "istio", clusters: [{ ...base, ...patch }] };
}

describe("a valid stack config", () => {
  it("parses into a fully defaulted spec", () => {
    const spec = parseFleetSpec({ mesh: "istio", clusters: [aws0, gcp1, kind2] }, "dev");
    expect(spec.environment).toBe("dev");
    expect(spec.addressSpace).toBe("10.0.0.0/8");
    expect(spec.protect).toBe(false);
    expect(spec.istio.meshId).toBe("dev-mesh");
    expect(spec.istio.gateway.replicas).toBe(2);
    const [aws, gcp, kind] = spec.clusters;
    expect(aws).toMatchObject({
      network: "aws-use1",
      kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
      nodes: { instanceType: "m6i.large", countPerZone: 1, maxPerZone: 3, diskSizeGiB: 50 },
      aws: { natGateways: "per-zone", adminPrincipalArns: [] },
    });
    expect(gcp).toMatchObject({
      nodes: { instanceType: "e2-standard-4" },
      gcp: {
        releaseChannel: "REGULAR",
        privateEndpoint: false,
        nat: { minPortsPerVm: 1024, maxPortsPerVm: 16384 },
        secretsEncryption: true,
      },
    });
    expect(kind?.existing?.endpoint).toBe("https://east-control-plane:6443");
  });

  it("keeps explicit values over defaults", () => {
    const spec = parseFleetSpec(
      {
        mesh: "submariner",
        addressSpace: "172.16.0.0/12",
        protect: true,
        clusters: [{ ...aws0, network: "east", kubernetesVersion: "1.34" }],
      },
      "prod",
    );
    expect(spec.mesh).toBe("submariner");
    expect(spec.addressSpace).toBe("172.16.0.0/12");
    expect(spec.protect).toBe(true);
    expect(spec.clusters[0]).toMatchObject({ network: "east", kubernetesVersion: "1.34" });
  });
});

describe("config rules, each with its exact message", () => {
  const cases: [string, unknown, string[]][] = [
    [
      "no clusters",
      { mesh: "istio", clusters: [] },
      ["multicluster-mesh:clusters: no clusters ([]) — list at least one cluster (two or more make a mesh)"],
    ],
    [
      "clusters missing",
      { mesh: "istio" },
      [
        "multicluster-mesh:clusters: is required (missing) — list the clusters, each with name, cloud, region, zones and slot",
      ],
    ],
    ["mesh missing", { clusters: [aws0] }, ["multicluster-mesh:mesh: is required (missing) — use istio or submariner"]],
    [
      "unknown mesh",
      { mesh: "linkerd", clusters: [aws0] },
      ['multicluster-mesh:mesh: unknown mesh ("linkerd") — use istio or submariner'],
    ],
    [
      "unknown cloud",
      withCluster({ cloud: "azure" }),
      ['multicluster-mesh:clusters[0].cloud: unknown cloud ("azure") — use aws, gcp or existing'],
    ],
    [
      "name with capitals",
      withCluster({ name: "AwsEast" }),
      [
        `multicluster-mesh:clusters[0].name: cluster name must be a DNS label ("AwsEast") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
      ],
    ],
    [
      "name with underscores",
      withCluster({ name: "aws_east" }),
      [
        `multicluster-mesh:clusters[0].name: cluster name must be a DNS label ("aws_east") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
      ],
    ],
    [
      "name too long for derived names",
      withCluster({ name: "aws-us-east-1-production" }),
      [
        'multicluster-mesh:clusters[0].name: cluster name is longer than 20 characters ("aws-us-east-1-production") — shorten it to 20 characters or fewer',
      ],
    ],
    [
      "negative slot",
      withCluster({ slot: -1 }),
      ["multicluster-mesh:clusters[0].slot: slot must not be negative (-1) — use 0, 1, 2, ..."],
    ],
    [
      "fractional slot",
      withCluster({ slot: 1.5 }),
      ["multicluster-mesh:clusters[0].slot: slot must be a whole number (1.5) — use 0, 1, 2, ..."],
    ],
    [
      "slot as text",
      withCluster({ slot: "one" }),
      [
        'multicluster-mesh:clusters[0].slot: slot must be a number ("one") — give every cluster its own whole number from 0 up',
      ],
    ],
    [
      "zone outside the region (aws)",
      withCluster({ zones: ["us-east-1a", "us-west-2a"] }),
      [
        'multicluster-mesh:clusters[0].zones[1]: zone is not in region us-east-1 ("us-west-2a") — use zones of us-east-1 such as us-east-1a, or change the region',
      ],
    ],
    [
      "zone outside the region (gcp)",
      withCluster({ zones: ["us-central1-a", "europe-west4-b"] }, gcp1),
      [
        'multicluster-mesh:clusters[0].zones[1]: zone is not in region us-central1 ("europe-west4-b") — use zones of us-central1 such as us-central1-a, or change the region',
      ],
    ],
    [
      "zone listed twice",
      withCluster({ zones: ["us-east-1a", "us-east-1a"] }),
      ['multicluster-mesh:clusters[0].zones[1]: zone listed twice ("us-east-1a") — list each zone once'],
    ],
    [
      "EKS with one zone",
      withCluster({ zones: ["us-east-1a"] }),
      [
        'multicluster-mesh:clusters[0].zones: EKS needs subnets in at least two zones (["us-east-1a"]) — list two or more zones of the region',
      ],
    ],
    [
      "no zones",
      withCluster({ zones: [] }),
      ["multicluster-mesh:clusters[0].zones: no zones ([]) — list at least one zone of the region"],
    ],
    [
      "not a region",
      withCluster({ region: "virginia" }),
      [
        'multicluster-mesh:clusters[0].region: not an AWS region name ("virginia") — write a region name such as us-east-1',
      ],
    ],
    [
      "gcp cluster without its section",
      withCluster({ gcp: undefined }, gcp1),
      [
        "multicluster-mesh:clusters[0].gcp: a gcp cluster needs its gcp section (missing) — add clusters[0].gcp.project",
      ],
    ],
    [
      "settings for another cloud",
      withCluster({ gcp: { project: "acme-platform" } }),
      [
        'multicluster-mesh:clusters[0].gcp: settings for gcp on an aws cluster ({"project":"acme-platform","authorizedNetworks":[],"privateEndpoint":false,"r...) — remove clusters[0].gcp, or set cloud: gcp',
      ],
    ],
    [
      "existing cluster without its ranges",
      withCluster({ cidrs: { nodes: "172.18.0.0/16" } }, kind2),
      [
        "multicluster-mesh:clusters[0].cidrs.pods: an existing cluster must declare its pods range (missing) — set clusters[0].cidrs.pods to the range the cluster already uses",
        "multicluster-mesh:clusters[0].cidrs.services: an existing cluster must declare its services range (missing) — set clusters[0].cidrs.services to the range the cluster already uses",
      ],
    ],
    [
      "not a CIDR",
      withCluster({ cidrs: { services: "10.100.0.0" } }),
      [
        'multicluster-mesh:clusters[0].cidrs.services: cidrs.services is not an IPv4 CIDR block ("10.100.0.0") — write it as a.b.c.d/n, e.g. 10.20.0.0/16',
      ],
    ],
    [
      "unknown key (typo)",
      withCluster({ zone: ["us-east-1a"] }),
      [
        'multicluster-mesh:clusters[0].zone: unknown key (["us-east-1a"]) — remove it or correct its spelling (see the config reference in the README)',
      ],
    ],
    [
      "unknown top-level key",
      { mesh: "istio", clusters: [aws0], clsuters: [] },
      [
        "multicluster-mesh:clsuters: unknown key ([]) — remove it or correct its spelling (see the config reference in the README)",
      ],
    ],
    [
      "kubernetes version as a number",
      withCluster({ kubernetesVersion: 1.3 }),
      [
        'multicluster-mesh:clusters[0].kubernetesVersion: kubernetesVersion must be a string (1.3) — quote it, e.g. "1.35"',
      ],
    ],
    [
      "autoscaling ceiling below the starting count",
      withCluster({ nodes: { countPerZone: 3, maxPerZone: 2 } }),
      [
        "multicluster-mesh:clusters[0].nodes.maxPerZone: is lower than nodes.countPerZone, which is 3 (2) — raise maxPerZone to at least countPerZone",
      ],
    ],
    [
      "submariner gateway nodes need a zone each",
      { mesh: "submariner", clusters: [{ ...gcp1, zones: ["us-central1-a"] }] },
      [
        'multicluster-mesh:clusters[0].zones: fewer zones than submariner.gatewayNodes.count (2); gateway nodes go one per zone (["us-central1-a"]) — list at least 2 zones, or lower submariner.gatewayNodes.count',
      ],
    ],
    [
      "a misspelt key under trust never echoes key material",
      {
        mesh: "istio",
        clusters: [aws0],
        trust: {
          roots: [{ name: "corp", source: "external", certPem: "x", keypem: "-----BEGIN PRIVATE KEY-----abc" }],
        },
      },
      [
        "multicluster-mesh:trust.roots[0].keypem: unknown key ([redacted]) — remove it or correct its spelling (see the config reference in the README)",
      ],
    ],
    [
      "NAT ports not a power of two, and a maximum not above the minimum",
      withCluster({ gcp: { project: "acme-platform", nat: { minPortsPerVm: 1000, maxPortsPerVm: 64 } } }, gcp1),
      [
        'multicluster-mesh:clusters[0].gcp.nat: gcp.nat.maxPortsPerVm must be greater than gcp.nat.minPortsPerVm ({"minPortsPerVm":1000,"maxPortsPerVm":64}) — raise maxPortsPerVm or lower minPortsPerVm',
        "multicluster-mesh:clusters[0].gcp.nat.minPortsPerVm: gcp.nat.minPortsPerVm is not a power of two from 32 to 65536 (1000) — use 32, 64, 128, ..., 65536",
      ],
    ],
    [
      "NAT maximum equal to the minimum",
      withCluster({ gcp: { project: "acme-platform", nat: { minPortsPerVm: 64, maxPortsPerVm: 64 } } }, gcp1),
      [
        'multicluster-mesh:clusters[0].gcp.nat: gcp.nat.maxPortsPerVm must be greater than gcp.nat.minPortsPerVm ({"minPortsPerVm":64,"maxPortsPerVm":64}) — raise maxPortsPerVm or lower minPortsPerVm',
      ],
    ],
    [
      "NAT minimum the nodes cannot all get from one address",
      withCluster(
        {
          nodes: { maxPerZone: 40 },
          gcp: { project: "acme-platform", nat: { minPortsPerVm: 4096, maxPortsPerVm: 8192 } },
        },
        gcp1,
      ),
      [
        "multicluster-mesh:clusters[0].gcp.nat.minPortsPerVm: 40 nodes (zones × nodes.maxPerZone) would need more ports than one NAT address gives (64512; the second address is headroom) (4096) — lower it to 1024 or less, or lower nodes.maxPerZone",
      ],
    ],
    [
      "broker names no cluster",
      { mesh: "submariner", clusters: [aws0], submariner: { brokerCluster: "nope" } },
      ['multicluster-mesh:submariner.brokerCluster: names no cluster of this stack ("nope") — use one of: aws-use1'],
    ],
  ];

  it.each(cases)("%s", (_label, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it("the stack name prefixes physical names, so it must be a short DNS label", () => {
    expect(checkFleetConfig({ mesh: "istio", clusters: [aws0] }, "Prod_EU").map(renderIssue)).toEqual([
      'multicluster-mesh: the stack name must be a lowercase DNS label of at most 19 characters, as it prefixes cloud resource names ("Prod_EU") — rename the stack (and its stacks/Pulumi.<stack>.yaml), e.g. dev, staging, prod-eu',
    ]);
    expect(checkFleetConfig({ mesh: "istio", clusters: [aws0] }, "a-twenty-char-stack1")).toHaveLength(1);
    expect(checkFleetConfig({ mesh: "istio", clusters: [aws0] }, "nineteen-char-stack")).toEqual([]);
  });

  it("duplicate names and slots name the first holder", () => {
    expect(problems({ mesh: "istio", clusters: [aws0, { ...gcp1, name: "aws-use1", slot: 0 }] })).toEqual([
      'multicluster-mesh:clusters[1].name: duplicate cluster name, already used by clusters[0] ("aws-use1") — give every cluster its own name',
      "multicluster-mesh:clusters[1].slot: duplicate slot, already used by clusters[0] (0) — give every cluster its own slot; use the next unused number for a new cluster and never reuse one",
    ]);
  });

  it("reports every problem at once, in config path order, even when the structure is also wrong", () => {
    const raw = {
      mesh: "istio",
      clusters: [
        { ...aws0, zones: ["us-east-1a", "eu-west-1a"] },
        { ...aws0, name: "Bad_Name" },
        { ...gcp1, slot: 0 },
      ],
    };
    expect(problems(raw)).toEqual([
      'multicluster-mesh:clusters[0].zones[1]: zone is not in region us-east-1 ("eu-west-1a") — use zones of us-east-1 such as us-east-1a, or change the region',
      `multicluster-mesh:clusters[1].name: cluster name must be a DNS label ("Bad_Name") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
      "multicluster-mesh:clusters[1].slot: duplicate slot, already used by clusters[0] (0) — give every cluster its own slot; use the next unused number for a new cluster and never reuse one",
      "multicluster-mesh:clusters[2].slot: duplicate slot, already used by clusters[0] (0) — give every cluster its own slot; use the next unused number for a new cluster and never reuse one",
    ]);
  });

  it("parseFleetSpec throws one SpecError carrying every issue", () => {
    const raw = { mesh: "istio", clusters: [aws0, { ...aws0 }] };
    let caught: unknown;
    try {
      parseFleetSpec(raw, "dev");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SpecError);
    const error = caught as SpecError;
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(renderIssues(error.issues));
    expect(error.message.split("\n")[0]).toBe("invalid stack config: 2 problems");
  });
});
