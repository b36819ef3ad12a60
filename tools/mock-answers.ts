/**
 * Deterministic, realistic answers for resources and invokes under Pulumi's mock runtime: the ids, ARNs, endpoints,
 * CA data, load balancer addresses, token secrets and certificates the cloud would return, derived from each
 * resource's type and name so that every run of the same program yields the same graph. The tls provider's keys,
 * requests and certificates are real ones (./mock-certificates.ts).
 */
import { createHash } from "node:crypto";
import {
  mockCertRequest,
  mockKeyPem,
  mockLocallySignedCert,
  mockSelfSignedCert,
  publicKeyPemOf,
  type Subject,
} from "./mock-certificates";

/** The AWS account every mocked ARN lives in. */
export const MOCK_ACCOUNT_ID = "123456789012";
/** The caller the mocked AWS credentials belong to. */
export const MOCK_CALLER_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/platform-deployer`;
/** The project number of every mocked GCP project. */
export const MOCK_PROJECT_NUMBER = "123456789012";
/** A fixed clock for certificate validity, so runs are reproducible. */
export const MOCK_NOW = Date.parse("2026-01-01T00:00:00Z");

export function digest(...parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("|")).digest("hex");
}

/** What a secret value reads as in everything the mock runtime records. */
export const SECRET = "[secret]";

/** Pulumi's wire marker for a secret value inside mock inputs. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isWireSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces wire-format secrets by "[secret]" (redact) or by their value (reveal). */
export function walkSecrets(v: unknown, redact: boolean): unknown {
  if (isWireSecret(v)) {
    return redact ? SECRET : walkSecrets(v.value, redact);
  }
  if (Array.isArray(v)) {
    return v.map((x) => walkSecrets(x, redact));
  }
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walkSecrets(x, redact)]));
  }
  return v;
}

/** A PEM block whose body is deterministic filler (not a real key or certificate). */
export function fakePem(label: string, seed: string): string {
  const body = Buffer.from(digest(label, seed).repeat(6), "hex").toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ""].join("\n");
}

/** A documentation-range (RFC 5737) address, never routable. */
function testNetAddress(seed: string): string {
  const n = parseInt(digest(seed).slice(0, 4), 16);
  return `203.0.113.${(n % 250) + 1}`;
}

export interface MockContext {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Inputs of the provider this resource uses (e.g. `region` of an aws provider), if known. */
  readonly providerInputs: Record<string, unknown>;
}

export interface MockAnswer {
  readonly id: string;
  readonly state: Record<string, unknown>;
}

type Answer = (ctx: MockContext, h: string) => Record<string, unknown>;

const EC2_ID_PREFIX: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt",
  "aws:ec2/managedPrefixList:ManagedPrefixList": "pl",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule",
};

/** The region of the resource's provider: an aws/gcp provider's `region`, or the EKS endpoint in a kubeconfig. */
function region(ctx: MockContext): string {
  const r = ctx.providerInputs["region"];
  if (typeof r === "string") {
    return r;
  }
  const kubeconfig = ctx.providerInputs["kubeconfig"];
  const fromEndpoint =
    typeof kubeconfig === "string" ? /\.([a-z]{2}-[a-z]+-\d)\.eks\.amazonaws\.com/.exec(kubeconfig) : null;
  return fromEndpoint?.[1] ?? "us-east-1";
}

function project(ctx: MockContext): string {
  const p = ctx.inputs["project"] ?? ctx.providerInputs["project"];
  return typeof p === "string" ? p : "mock-project";
}

function nameOf(ctx: MockContext): string {
  const n = ctx.inputs["name"];
  return typeof n === "string" ? n : ctx.name;
}

const ANSWERS: Record<string, Answer> = {
  "aws:eks/cluster:Cluster": (ctx, h) => {
    const vpcConfig = (ctx.inputs["vpcConfig"] as Record<string, unknown> | undefined) ?? {};
    return {
      arn: `arn:aws:eks:${region(ctx)}:${MOCK_ACCOUNT_ID}:cluster/${nameOf(ctx)}`,
      name: nameOf(ctx),
      endpoint: `https://${h.slice(0, 32).toUpperCase()}.gr7.${region(ctx)}.eks.amazonaws.com`,
      certificateAuthority: { data: Buffer.from(fakePem("CERTIFICATE", `eks-ca-${ctx.name}`)).toString("base64") },
      identities: [
        { oidcs: [{ issuer: `https://oidc.eks.${region(ctx)}.amazonaws.com/id/${h.slice(0, 32).toUpperCase()}` }] },
      ],
      vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${h.slice(0, 17)}`, vpcId: `vpc-${h.slice(17, 34)}` },
      status: "ACTIVE",
      platformVersion: "eks.1",
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (ctx) => ({
    arn: `arn:aws:eks:${region(ctx)}:${MOCK_ACCOUNT_ID}:nodegroup/${ctx.name}`,
    status: "ACTIVE",
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
  "aws:iam/role:Role": (ctx) => ({
    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${nameOf(ctx)}`,
    name: nameOf(ctx),
    uniqueId: `AROA${digest(ctx.name).slice(0, 17).toUpperCase()}`,
  }),
  "aws:iam/policy:Policy": (ctx) => ({ arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${nameOf(ctx)}` }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (ctx) => ({
    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${String(ctx.inputs["url"] ?? ctx.name).replace(/^https:\/\//, "")}`,
  }),
  "aws:ec2/eip:Eip": (ctx) => ({
    publicIp: testNetAddress(ctx.name),
    allocationId: `eipalloc-${digest(ctx.name).slice(0, 17)}`,
  }),
  "aws:ec2/natGateway:NatGateway": (ctx) => ({ publicIp: testNetAddress(`nat-${ctx.name}`) }),
  "gcp:container/cluster:Cluster": (ctx, h) => ({
    endpoint: testNetAddress(`gke-${ctx.name}`),
    masterAuth: { clusterCaCertificate: Buffer.from(fakePem("CERTIFICATE", `gke-ca-${ctx.name}`)).toString("base64") },
    selfLink: `https://container.googleapis.com/v1/projects/${project(ctx)}/locations/${String(ctx.inputs["location"])}/clusters/${nameOf(ctx)}`,
    name: nameOf(ctx),
    workloadIdentityConfig: ctx.inputs["workloadIdentityConfig"],
    privateClusterConfig: {
      ...((ctx.inputs["privateClusterConfig"] as Record<string, unknown> | undefined) ?? {}),
      privateEndpoint: `10.255.${parseInt(h.slice(0, 2), 16)}.2`,
    },
  }),
  "gcp:compute/network:Network": (ctx) => ({
    selfLink: `https://www.googleapis.com/compute/v1/projects/${project(ctx)}/global/networks/${nameOf(ctx)}`,
    name: nameOf(ctx),
  }),
  "gcp:compute/subnetwork:Subnetwork": (ctx) => ({
    selfLink: `https://www.googleapis.com/compute/v1/projects/${project(ctx)}/regions/${String(ctx.inputs["region"] ?? region(ctx))}/subnetworks/${nameOf(ctx)}`,
    name: nameOf(ctx),
  }),
  "gcp:compute/address:Address": (ctx) => ({ address: testNetAddress(`gcp-address-${ctx.name}`) }),
  // Autonamed like the network: Cloud NAT refers to its router by name.
  "gcp:compute/router:Router": (ctx) => ({ name: nameOf(ctx) }),
  "gcp:projects/serviceIdentity:ServiceIdentity": (ctx) => {
    const agent = String(ctx.inputs["service"] ?? "").replace(/\.googleapis\.com$/, "");
    const email = `service-${MOCK_PROJECT_NUMBER}@${agent === "container" ? "container-engine-robot" : `gcp-sa-${agent}`}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}` };
  },
  "gcp:serviceaccount/account:Account": (ctx) => {
    const email = `${String(ctx.inputs["accountId"] ?? ctx.name)}@${project(ctx)}.iam.gserviceaccount.com`;
    return { email, name: `projects/${project(ctx)}/serviceAccounts/${email}`, member: `serviceAccount:${email}` };
  },
  // GCP names a project's custom role `projects/<project>/roles/<roleId>`.
  "gcp:projects/iAMCustomRole:IAMCustomRole": (ctx) => ({
    name: `projects/${project(ctx)}/roles/${String(ctx.inputs["roleId"] ?? ctx.name)}`,
  }),
  "kubernetes:core/v1:Secret": (ctx) => {
    if (ctx.inputs["type"] !== "kubernetes.io/service-account-token") {
      return {};
    }
    // The token controller fills these in; @pulumi/kubernetes waits for them.
    const metadata = (ctx.inputs["metadata"] as Record<string, unknown> | undefined) ?? {};
    const token = `eyJhbGciOiJSUzI1NiJ9.${digest("token", ctx.name).slice(0, 48)}.${digest("sig", ctx.name).slice(0, 43)}`;
    return {
      data: {
        token: Buffer.from(token).toString("base64"),
        "ca.crt": Buffer.from(fakePem("CERTIFICATE", `sa-ca-${ctx.name}`)).toString("base64"),
        namespace: Buffer.from(String(metadata["namespace"] ?? "default")).toString("base64"),
      },
    };
  },
  "kubernetes:core/v1:ConfigMap": (ctx) => {
    // A read (`ConfigMap.get`) registers no `kind`; the program reads only `kube-public/kube-root-ca.crt`.
    if (ctx.inputs["kind"] !== undefined) {
      return {};
    }
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kube-root-ca.crt", namespace: "kube-public" },
      data: { "ca.crt": fakePem("CERTIFICATE", `root-ca-${ctx.name}`) },
    };
  },
  "kubernetes:core/v1:Service": (ctx) => {
    const spec = (ctx.inputs["spec"] as Record<string, unknown> | undefined) ?? {};
    if (spec["type"] !== "LoadBalancer") {
      return {};
    }
    const metadata = (ctx.inputs["metadata"] as Record<string, unknown> | undefined) ?? {};
    const annotations = (metadata["annotations"] as Record<string, unknown> | undefined) ?? {};
    const aws = Object.keys(annotations).some((k) => k.startsWith("service.beta.kubernetes.io/aws-load-balancer"));
    const ingress = aws
      ? { hostname: `k8s-${digest(ctx.name).slice(0, 20)}.elb.${region(ctx)}.amazonaws.com` }
      : { ip: testNetAddress(`lb-${ctx.name}`) };
    return { status: { loadBalancer: { ingress: [ingress] } } };
  },
  "kubernetes:helm.sh/v3:Release": (ctx) => ({
    status: {
      name: ctx.inputs["name"] ?? ctx.name,
      namespace: ctx.inputs["namespace"] ?? "default",
      chart: ctx.inputs["chart"],
      version: ctx.inputs["version"],
      status: "deployed",
      revision: 1,
    },
  }),
  "tls:index/privateKey:PrivateKey": (ctx) => {
    const privateKeyPem = mockKeyPem(ctx.name);
    return {
      privateKeyPem,
      publicKeyPem: publicKeyPemOf(privateKeyPem),
      publicKeyFingerprintSha256: `SHA256:${digest("fp", ctx.name).slice(0, 43)}`,
    };
  },
  "tls:index/certRequest:CertRequest": (ctx) => {
    const inputs = revealed(ctx);
    return {
      certRequestPem: mockCertRequest(
        String(inputs["privateKeyPem"]),
        inputs["subject"] as Subject | undefined,
        (inputs["dnsNames"] as string[] | undefined) ?? [],
      ),
    };
  },
  "tls:index/selfSignedCert:SelfSignedCert": (ctx) => {
    const inputs = revealed(ctx);
    return {
      certPem: mockSelfSignedCert(
        ctx.name,
        String(inputs["privateKeyPem"]),
        inputs["subject"] as Subject | undefined,
        inputs,
        MOCK_NOW,
      ),
      ...validity(ctx),
    };
  },
  "tls:index/locallySignedCert:LocallySignedCert": (ctx) => {
    const inputs = revealed(ctx);
    return {
      certPem: mockLocallySignedCert(
        ctx.name,
        String(inputs["certRequestPem"]),
        String(inputs["caCertPem"]),
        String(inputs["caPrivateKeyPem"]),
        inputs,
        MOCK_NOW,
      ),
      ...validity(ctx),
    };
  },
  "random:index/randomPassword:RandomPassword": (ctx) => ({ result: randomText(ctx) }),
  "random:index/randomString:RandomString": (ctx) => ({ result: randomText(ctx) }),
};

/** A resource's inputs with secrets revealed (the tls answers sign with the keys they are given). */
function revealed(ctx: MockContext): Record<string, unknown> {
  return walkSecrets(ctx.inputs, false) as Record<string, unknown>;
}

function validity(ctx: MockContext): Record<string, unknown> {
  const hours = Number(ctx.inputs["validityPeriodHours"] ?? 0);
  const early = Number(ctx.inputs["earlyRenewalHours"] ?? 0);
  return {
    validityStartTime: new Date(MOCK_NOW).toISOString(),
    validityEndTime: new Date(MOCK_NOW + hours * 3_600_000).toISOString(),
    readyForRenewal: hours > 0 && early >= hours,
  };
}

function randomText(ctx: MockContext): string {
  const length = Number(ctx.inputs["length"] ?? 16);
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += digest("random", ctx.name, String(i));
  }
  return out.slice(0, length);
}

function idFor(ctx: MockContext, h: string): string {
  const prefix = EC2_ID_PREFIX[ctx.type];
  if (prefix) {
    return `${prefix}-${h.slice(0, 17)}`;
  }
  if (ctx.type === "gcp:kms/keyRing:KeyRing") {
    return `projects/${project(ctx)}/locations/${String(ctx.inputs["location"])}/keyRings/${nameOf(ctx)}`;
  }
  if (ctx.type === "gcp:kms/cryptoKey:CryptoKey") {
    return `${String(ctx.inputs["keyRing"])}/cryptoKeys/${nameOf(ctx)}`;
  }
  if (ctx.type.startsWith("gcp:")) {
    return `projects/${project(ctx)}/${ctx.type.split(":")[1]?.split("/")[0] ?? "resource"}/${nameOf(ctx)}`;
  }
  return `${ctx.name}-${h.slice(0, 8)}`;
}

/** The mock answer for one resource: its id and its state (inputs plus what the cloud computes). */
export function answerResource(ctx: MockContext): MockAnswer {
  const h = digest(ctx.type, ctx.name);
  const computed = ANSWERS[ctx.type]?.(ctx, h) ?? {};
  const state: Record<string, unknown> = { ...ctx.inputs, ...computed };
  if (ctx.type.startsWith("aws:") && state["arn"] === undefined) {
    const service = ctx.type.split(":")[1]?.split("/")[0] ?? "aws";
    state["arn"] = `arn:aws:${service}:${region(ctx)}:${MOCK_ACCOUNT_ID}:${ctx.name}`;
  }
  if (ctx.type.startsWith("gcp:") && state["selfLink"] === undefined) {
    state["selfLink"] = `https://www.googleapis.com/mock/projects/${project(ctx)}/${nameOf(ctx)}`;
  }
  return { id: idFor(ctx, h), state };
}

/** Answers for invokes (data sources), by token. Unknown tokens fail loudly so a missing answer is noticed. */
export function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
  providerInputs: Record<string, unknown>,
): Record<string, unknown> {
  const r = typeof providerInputs["region"] === "string" ? providerInputs["region"] : "us-east-1";
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: MOCK_CALLER_ARN,
        userId: "AROAMOCKDEPLOYER:session",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:index/getRegion:getRegion":
      return { name: r, region: r, id: r, endpoint: `ec2.${r}.amazonaws.com` };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["a", "b", "c"].map((z) => `${r}${z}`), zoneIds: [1, 2, 3].map((n) => `use1-az${n}`), id: r };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: JSON.stringify(inputs), id: digest("policy", JSON.stringify(inputs)).slice(0, 10) };
    case "gcp:organizations/getClientConfig:getClientConfig":
      return {
        project: providerInputs["project"] ?? "mock-project",
        region: providerInputs["region"] ?? "us-central1",
        accessToken: "mock-token",
        id: "client-config",
      };
    default:
      throw new Error(`mock runtime: no answer for invoke ${token}; add one in tools/mock-answers.ts`);
  }
}
