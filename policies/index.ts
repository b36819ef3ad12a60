/**
 * The multicluster-mesh CrossGuard policy pack: every cluster an independent failure domain.
 *
 *   pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json
 *
 * The rules live in ./rules (one per file); this entry point only serves them.
 */
import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT_LEVEL, POLICY_PACK_NAME, rules } from "./rules";

new PolicyPack(POLICY_PACK_NAME, {
  description: "Keeps every cluster of a multicluster-mesh fleet an independent failure domain.",
  enforcementLevel: DEFAULT_ENFORCEMENT_LEVEL,
  policies: rules,
});
