/**
 * Every rule of the multicluster-mesh policy pack, without constructing the pack: constructing a PolicyPack starts
 * CrossGuard's gRPC server, so the offline runner (tools/policy-runner.ts) and the tests import only this list.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { addressRangesDisjoint } from "./address-ranges-disjoint";
import { certificateRenewalWindow } from "./certificate-renewal-window";
import { distinctMetros } from "./distinct-metros";
import { distinctRegions } from "./distinct-regions";
import { egressPerZone } from "./egress-per-zone";
import { eastWestGatewayPerCluster } from "./eastwest-gateway-per-cluster";
import { eksControlPlaneLogging } from "./eks-control-plane-logging";
import { gatewayPerimeterClosed } from "./gateway-perimeter-closed";
import { gkeNatPorts } from "./gke-nat-ports";
import { gkeRegional } from "./gke-regional";
import { intermediateCaPerCluster } from "./intermediate-ca-per-cluster";
import { istioMeshIdentity } from "./istio-mesh-identity";
import { intermediateWithinRoot } from "./intermediate-within-root";
import { istiodPerCluster } from "./istiod-per-cluster";
import { istiodReplicas } from "./istiod-replicas";
import { localityFailover } from "./locality-failover";
import { nodesSpanZones } from "./nodes-span-zones";
import { protectStatefulResources } from "./protect-stateful-resources";
import { rootKeyOffCluster } from "./root-key-off-cluster";
import { secretsEncryption } from "./secrets-encryption";
import { submarinerBrokerDedicated } from "./submariner-broker-dedicated";
import { submarinerGatewaysSpanZones } from "./submariner-gateways-span-zones";
import { vpcPerCluster } from "./vpc-per-cluster";
import { strictConfig } from "../strict-config";

/** The pack's name (as `pulumi preview --policy-pack` reports it). */
export const POLICY_PACK_NAME = "multicluster-mesh";

/** Level of a rule that names none (every rule names one; this is CrossGuard's own default). */
export const DEFAULT_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

/** Every rule refuses config keys it does not declare (../strict-config.ts). */
export const rules: Policies = [
  distinctRegions,
  distinctMetros,
  nodesSpanZones,
  egressPerZone,
  gkeRegional,
  eksControlPlaneLogging,
  istiodPerCluster,
  istiodReplicas,
  istioMeshIdentity,
  localityFailover,
  eastWestGatewayPerCluster,
  vpcPerCluster,
  intermediateCaPerCluster,
  rootKeyOffCluster,
  addressRangesDisjoint,
  submarinerGatewaysSpanZones,
  submarinerBrokerDedicated,
  protectStatefulResources,
  gkeNatPorts,
  secretsEncryption,
  gatewayPerimeterClosed,
  intermediateWithinRoot,
  certificateRenewalWindow,
].map(strictConfig);
