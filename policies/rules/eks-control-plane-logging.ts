/**
 * EKS control-plane logging is on: without it, an API server or scheduler failure in one cluster leaves no trace to
 * tell it apart from a mesh problem.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { clusterOfResource, eksFacts, TYPES } from "../facts";
import { clusters, configOf, say, show } from "../kit";

/** Every control-plane log type EKS offers. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksLoggingConfig {
  readonly requiredLogTypes: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    requiredLogTypes: {
      type: "array",
      items: { type: "string", enum: [...EKS_LOG_TYPES] },
      uniqueItems: true,
      default: [...EKS_LOG_TYPES],
      description: "Control-plane log types every EKS cluster must enable (default: all five).",
    },
  },
};

export const eksControlPlaneLogging: ResourceValidationPolicy = {
  name: "eks-control-plane-logging",
  description: "EKS clusters send their control-plane logs (all five types, or the configured list) to CloudWatch.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: (args, report) => {
    if (args.type !== TYPES.eksCluster) {
      return;
    }
    const { requiredLogTypes } = configOf<EksLoggingConfig>(configSchema, args.getConfig());
    const eks = eksFacts(args);
    const missing = requiredLogTypes.filter((t) => !eks.logTypes.includes(t));
    if (missing.length === 0) {
      return;
    }
    report(
      say(
        clusters([clusterOfResource(args) ?? eks.name]),
        "EKS control-plane logging is missing log types",
        show(missing),
        `add them to enabledClusterLogTypes (now ${show(eks.logTypes)})`,
      ),
    );
  },
};
